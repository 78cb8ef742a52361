package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The web console in a real browser: Debian's Chromium, driven by playwright-core from
 * web-ui/e2e/console.e2e.mjs, against a cluster of this JVM (coordinator over HTTPS, 2 workers, the
 * real metastore and object store). Each test runs one scenario and checks what the page showed
 * against the coordinator (JDBC, the console API). Screenshots of every step are kept in
 * target/console-screenshots. In CI (CI=true) a missing Chromium fails these tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestConsoleInBrowser
{
    private static final Path SCREENSHOTS = ConsoleScript.SCREENSHOTS;
    private static final String USER = "e2e";
    private static final String AGGREGATE = "SELECT status, count(*) AS requests, sum(bytes) AS total_bytes FROM access_logs GROUP BY status ORDER BY status";

    private final ObjectMapper mapper = new ObjectMapper();
    private TestCluster cluster;
    private HttpClient http;

    @BeforeAll
    void setUp()
            throws Exception
    {
        ConsoleScript.requireBrowser();
        cluster = TestCluster.start(Files.createTempDirectory("glaux-console-test"), 2, 40_000, 2);
        http = HttpClient.newBuilder().sslContext(trusting(cluster.caCertificate())).build();
    }

    @AfterAll
    void tearDown()
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void typeAndRunQueryThenReadTheGrid()
            throws Exception
    {
        JsonNode result = scenario("run", AGGREGATE);
        assertThat(texts(result.get("header"))).containsExactly("status", "requests", "total_bytes");
        assertThat(rows(result.get("rows"))).isEqualTo(jdbc(AGGREGATE));
        assertThat(result.get("info").asText()).isEqualTo(jdbc(AGGREGATE).size() + " rows");
        System.out.printf("console first page: DOMContentLoaded %.0f ms, load %.0f ms%n", result.at("/timing/domContentLoaded").asDouble(), result.at("/timing/load").asDouble());
        // the first page (HTML, script, style, from the coordinator) loads in well under the budget
        assertThat(result.at("/timing/load").asDouble()).isBetween(1.0, 3000.0);
        assertThat(result.get("formatted").asText()).isEqualTo(
                "SELECT\n  status,\n  count(*) AS requests,\n  sum(bytes) AS total_bytes\nFROM access_logs\nGROUP BY\n  status\nORDER BY\n  status");
        assertThat(result.get("consoleErrors")).isEmpty();

        // the query's detail: the plan with what each operator did, and the stages
        String queryId = consoleApi("history?q=total_bytes").at("/items/0/queryId").asText();
        JsonNode detail = consoleApi("query/" + queryId);
        assertThat(detail.get("plan").asText()).contains("Fragment 0 [SINGLE]").contains("Output: " + jdbc(AGGREGATE).size() + " rows");
        JsonNode stages = detail.get("stages");
        assertThat(stages.at("/0/runsOn").asText()).isEqualTo("coordinator");
        List<String> operators = new ArrayList<>();
        stages.at("/0/operators").forEach(operator -> operators.add(operator.get("operator").asText()));
        assertThat(operators).contains("Sort", "RemoteSource");
        assertThat(stages.at("/0/operators/0/outputRows").asLong()).isEqualTo(jdbc(AGGREGATE).size());
        // with two workers the final aggregation is a hash-partitioned stage of its own
        List<String> partitionings = new ArrayList<>();
        stages.forEach(stage -> partitionings.add(stage.get("partitioning").asText()));
        assertThat(partitionings).hasSize(3).contains("SINGLE", "SOURCE").anyMatch(partitioning -> partitioning.startsWith("HASH"));
        JsonNode scan = stages.get(2);
        assertThat(scan.get("table").asText()).isEqualTo("hive.web.access_logs");
        assertThat(scan.get("completedSplits").asInt()).isPositive().isEqualTo(scan.get("totalSplits").asInt());
    }

    @Test
    void cancelLongQuery()
            throws Exception
    {
        JsonNode result = scenario("cancel", "SELECT count(*) AS n FROM access_logs a CROSS JOIN access_logs b WHERE a.bytes > b.bytes");
        assertThat(result.get("errorName").asText()).isEqualTo("USER_CANCELED");
        assertThat(result.get("state").asText()).isEqualTo("FAILED");
        assertThat(result.get("cancelMillis").asLong()).isLessThan(10_000);
        JsonNode detail = consoleApi("query/" + result.get("queryId").asText());
        assertThat(detail.get("state").asText()).isEqualTo("FAILED");
        assertThat(detail.get("errorName").asText()).isEqualTo("USER_CANCELED");
    }

    @Test
    void errorIsMarkedInTheEditor()
            throws Exception
    {
        JsonNode result = scenario("error", "SELECT 1;\nSELECT status,\n  nosuchcolumn\nFROM access_logs");
        assertThat(result.get("errorName").asText()).isEqualTo("COLUMN_NOT_FOUND");
        assertThat(result.get("message").asText()).contains("nosuchcolumn");
        assertThat(result.get("location").asText()).contains("line 2:3");
        // line 2 of the statement is line 3 of the editor; the mark covers the name
        assertThat(result.get("marked").asText()).isEqualTo("nosuchcolumn");
        assertThat(result.get("line").asInt()).isEqualTo(3);
        assertThat(result.get("tooltip").asText()).contains("COLUMN_NOT_FOUND");
    }

    @Test
    void browseCatalogAndPreviewTable()
            throws Exception
    {
        JsonNode result = scenario("catalog", "web.access_logs");
        List<String> columns = new ArrayList<>();
        result.get("columns").forEach(column -> columns.add(column.get("name").asText() + ":" + column.get("partition").asBoolean()));
        assertThat(columns).startsWith("ts:false", "client_ip:false").contains("status:false").endsWith("dt:true");
        assertThat(result.at("/props/Format").asText()).isEqualTo("Parquet");
        assertThat(result.at("/props/Location").asText()).startsWith("s3://");
        assertThat(result.get("inserted").asText()).isEqualTo("SELECT ts FROM t");
        assertThat(result.get("previewSql").asText()).isEqualTo("SELECT * FROM web.access_logs LIMIT 100");
        assertThat(result.get("previewInfo").asText()).isEqualTo("100 rows");
        assertThat(texts(result.get("previewHeader"))).startsWith("ts", "client_ip").endsWith("dt");
        assertThat(result.get("ddl").asText()).startsWith("CREATE EXTERNAL TABLE").contains("PARTITIONED BY");
        assertThat(texts(result.at("/completions/table"))).contains("access_logs");
        assertThat(texts(result.at("/completions/column"))).startsWith("status");
    }

    @Test
    void downloadCsvMatchesJdbc()
            throws Exception
    {
        String sql = "SELECT status, method, count(*) AS n, sum(bytes) AS total, min(url) AS first_url FROM access_logs GROUP BY status, method ORDER BY status, method";
        Path file = SCREENSHOTS.resolve("download");
        JsonNode result = scenario("download", file + "\n" + sql);
        assertThat(result.get("csvName").asText()).startsWith("glaux-").endsWith(".csv");
        List<String> lines = Files.readAllLines(file.resolveSibling("download.csv"), StandardCharsets.UTF_8);
        assertThat(lines.getFirst()).isEqualTo("status,method,n,total,first_url");
        List<List<String>> expected = jdbc(sql);
        assertThat(lines).hasSize(expected.size() + 1);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(List.of(lines.get(i + 1).split(",", -1))).as("CSV line %d", i + 2).isEqualTo(expected.get(i));
        }
        JsonNode json = mapper.readTree(file.resolveSibling("download.json").toFile());
        assertThat(json).hasSize(expected.size());
        assertThat(json.get(0).get("n").asText()).isEqualTo(expected.getFirst().get(2));
        // copy: the clicked cell, then the selected row with a header, tab-separated
        assertThat(result.get("copiedCell").asText()).isEqualTo(expected.getFirst().get(2));
        assertThat(result.get("copiedRow").asText()).isEqualTo("status\tmethod\tn\ttotal\tfirst_url\n" + String.join("\t", expected.getFirst()));
        // the client-side filter keeps the rows with "post" in any cell
        List<List<String>> posts = expected.stream().filter(row -> row.stream().anyMatch(cell -> cell.toLowerCase(java.util.Locale.ROOT).contains("post"))).toList();
        assertThat(result.get("filteredInfo").asText()).isEqualTo(posts.size() + " of " + expected.size() + " rows");
        assertThat(rows(result.get("filtered"))).isEqualTo(posts);
    }

    @Test
    void reloadFindHistoryAndRerun()
            throws Exception
    {
        JsonNode result = scenario("history", "SELECT 'history-marker' AS marker, count(*) AS n FROM access_logs");
        assertThat(result.get("editorAfterReload").asText()).contains("history-marker");
        assertThat(texts(result.get("cells"))).contains("FINISHED");
        assertThat(result.get("shown").asInt()).as("history rows matching the search").isEqualTo(1);
        assertThat(result.get("rerunId").asText()).isNotEqualTo(result.get("queryId").asText());
        assertThat(rows(result.get("rows"))).isEqualTo(jdbc("SELECT 'history-marker' AS marker, count(*) AS n FROM access_logs"));
        assertThat(result.get("detail").asText()).contains("FINISHED").contains("history-marker").contains("Plan");
        // both runs are in the coordinator's history for this user, newest first
        JsonNode history = consoleApi("history?q=history-marker");
        assertThat(history.get("items").get(0).get("queryId").asText()).isEqualTo(result.get("rerunId").asText());
        assertThat(history.get("items").get(1).get("queryId").asText()).isEqualTo(result.get("queryId").asText());
    }

    @Test
    void savedQuerySurvivesCoordinatorRestart()
            throws Exception
    {
        String name = "Errors by day";
        String sql = "SELECT dt, count(*) AS errors FROM access_logs WHERE status >= 500 GROUP BY dt ORDER BY dt";
        JsonNode saved = scenario("save", name + "|Server errors per partition|" + sql);
        assertThat(texts(saved.get("tabs"))).contains(name);
        cluster.restartCoordinator();
        JsonNode found = scenario("findSaved", name);
        assertThat(found.get("text").asText()).contains(name).contains("Server errors per partition");
        assertThat(found.get("editor").asText()).isEqualTo(sql);
        assertThat(rows(found.get("rows"))).isEqualTo(jdbc(sql));
    }

    @Test
    void chartAnAggregate()
            throws Exception
    {
        String hourly = "SELECT date_trunc('hour', ts) AS hour, count(*) AS requests FROM access_logs GROUP BY 1 ORDER BY 1";
        JsonNode result = scenario("chart", AGGREGATE + "\n---\n" + hourly);
        int points = jdbc(AGGREGATE).size();
        assertThat(result.get("bar").asText()).isEqualTo("bar chart of requests, total_bytes by status (" + points + " points)");
        assertThat(result.get("line").asText()).startsWith("line chart of");
        assertThat(result.get("painted").asInt()).isGreaterThan(2_000);
        assertThat(result.at("/time/xOption").asText()).isEqualTo("hour (time)");
        assertThat(result.at("/time/label").asText()).isEqualTo("area chart of requests by hour (" + jdbc(hourly).size() + " points)");
    }

    @Test
    void hundredThousandRowsStayResponsive()
            throws Exception
    {
        JsonNode result = scenario("bigResult", "SELECT * FROM access_logs LIMIT 100000");
        long total = Long.parseLong(jdbc("SELECT count(*) FROM access_logs").getFirst().getFirst());
        long expected = Math.min(100_000, total);
        assertThat(result.get("info").asText()).isEqualTo(String.format("%,d rows", expected));
        assertThat(result.get("lastRowNumber").asText()).isEqualTo(String.valueOf(expected));
        // virtualized: a few dozen rows in the DOM, whatever the result's size
        assertThat(result.get("domRows").asInt()).isBetween(1, 200);
        assertThat(result.get("endMillis").asLong()).isLessThan(3_000);
        assertThat(result.get("sortMillis").asLong()).isLessThan(5_000);
        System.out.println("console 100,000 rows: End key " + result.get("endMillis") + " ms, sort " + result.get("sortMillis") + " ms, long tasks " + result.get("longTasks"));
    }

    private JsonNode scenario(String name, String argument)
            throws Exception
    {
        return ConsoleScript.run(cluster.serverUri(), name, argument);
    }

    private List<List<String>> jdbc(String sql)
            throws Exception
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = rows.getMetaData();
            List<List<String>> result = new ArrayList<>();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= metadata.getColumnCount(); i++) {
                    row.add(rows.getString(i) == null ? "" : rows.getString(i));
                }
                result.add(row);
            }
            return result;
        }
    }

    private JsonNode consoleApi(String path)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/console/" + path))
                .header("X-Trino-User", USER).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return mapper.readTree(response.body());
    }

    private static List<String> texts(JsonNode array)
    {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<List<String>> rows(JsonNode array)
    {
        List<List<String>> rows = new ArrayList<>();
        array.forEach(row -> {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.isNull() ? "" : cell.asText()));
            rows.add(cells);
        });
        return rows;
    }

    private static SSLContext trusting(Path caPem)
            throws Exception
    {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("glaux-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
