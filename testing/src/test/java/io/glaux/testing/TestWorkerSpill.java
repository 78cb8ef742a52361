package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.catalog.model.Table;
import io.glaux.worker.WorkerMain;
import io.trino.jdbc.QueryStats;
import io.trino.jdbc.StageStats;
import io.trino.jdbc.TrinoStatement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Hash stages spill on the workers: two workers whose queries may hold 16MB each
 * ({@code query.max-memory-per-node}) run a partitioned aggregation, a window and a partitioned join
 * whose state is larger than that on each worker. They complete by spilling into the workers' spill
 * folders (the workers' spilled bytes grow), with the answers of the shared cluster (default limits, the
 * same generated data), and afterwards no node holds memory, buffers, tasks or spill files. The Trino
 * protocol's stats of such a query, on the wire and through the JDBC driver, say what the workers did:
 * the bytes they spilled, the memory they held and the rows of each stage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestWorkerSpill
{
    private static final String AGGREGATION = """
            SELECT count(*), sum(c), max(c), max(l) FROM (
                SELECT user_agent, url, client_ip, ts, count(*) AS c, max(latency) AS l FROM web.access_logs GROUP BY user_agent, url, client_ip, ts)
            """;
    private static final String WINDOW = """
            SELECT count(*), max(rn), sum(CASE WHEN rn = 1 THEN length(url) END) FROM (
                SELECT url, row_number() OVER (PARTITION BY client_ip ORDER BY ts, url, user_agent, latency) AS rn FROM web.access_logs)
            """;
    private static final String JOIN = """
            SELECT count(*), sum(a.bytes), count(DISTINCT b.user_agent)
            FROM web.access_logs a JOIN web.%s b ON a.ts = b.ts AND a.client_ip = b.client_ip AND a.url = b.url AND a.user_agent = b.user_agent
            """;

    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = TestCluster.start(Files.createTempDirectory("glaux-worker-spill"), 0, 40_000, 2);
        // the access logs again, with statistics that rule out broadcasting them: a partitioned join
        var catalog = cluster.coordinator().catalog();
        Table logs = catalog.getTable("web", "access_logs").orElseThrow();
        Map<String, String> parameters = new java.util.HashMap<>(logs.parameters());
        parameters.put("numRows", "1000000000");
        catalog.createTable(Table.external("web", "access_logs_big", logs.dataColumns(), logs.partitionColumns(), logs.storage(), logs.location(), parameters), true);
        catalog.addPartitions("web", "access_logs_big", catalog.getPartitions("web", "access_logs"), true);
        cluster.addWorker("worker-1", Map.of("query.max-memory-per-node", "16MB"));
        cluster.addWorker("worker-2", Map.of("query.max-memory-per-node", "16MB"));
        cluster.waitForWorkers(2);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPartitionedAggregationLargerThanTheWorkersLimitSpills()
            throws Exception
    {
        assertSpillsWithTheAnswer(AGGREGATION, AGGREGATION);
    }

    @Test
    void aWindowLargerThanTheWorkersLimitSpills()
            throws Exception
    {
        assertSpillsWithTheAnswer(WINDOW, WINDOW);
    }

    @Test
    void aPartitionedJoinLargerThanTheWorkersLimitSpills()
            throws Exception
    {
        assertThat(String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + JOIN.formatted("access_logs_big")).stream().map(List::getFirst).toList()))
                .contains("[HASH]");
        assertSpillsWithTheAnswer(JOIN.formatted("access_logs_big"), JOIN.formatted("access_logs"));
    }

    @Test
    void theProtocolStatsOfASpillingQueryComeFromTheWorkers()
            throws Exception
    {
        long tableRows = Long.parseLong(ClusterChecks.rows(cluster, "SELECT count(*) FROM web.access_logs").getFirst().getFirst());
        long spilledBefore = spilledBytes();

        // on the wire: the last response's stats
        JsonNode stats = protocolStats(AGGREGATION);
        assertThat(spilledBytes()).as("bytes the workers spilled").isGreaterThan(spilledBefore);
        assertThat(stats.get("state").asText()).isEqualTo("FINISHED");
        assertThat(stats.get("spilledBytes").asLong()).as("spilledBytes").isPositive();
        // the workers' operators held at least their limit's worth before spilling
        assertThat(stats.get("peakMemoryBytes").asLong()).as("peakMemoryBytes").isGreaterThan(1L << 20);
        assertThat(stats.get("processedRows").asLong()).as("processedRows").isEqualTo(tableRows);
        JsonNode root = stats.get("rootStage");
        assertThat(root.get("stageId").asText()).isEqualTo("0");
        assertThat(root.get("coordinatorOnly").asBoolean()).isTrue();
        assertThat(root.get("done").asBoolean()).isTrue();
        assertThat(root.get("state").asText()).isEqualTo("FINISHED");
        List<JsonNode> stages = new ArrayList<>();
        flatten(root, stages);
        assertThat(stages).as("the final stage, the partitioned stage and the scan stage").hasSizeGreaterThanOrEqualTo(3);
        assertThat(stages.stream().map(stage -> stage.get("stageId").asText()).distinct()).hasSize(stages.size());
        JsonNode partitioned = root.get("subStages").get(0);
        assertThat(partitioned.get("coordinatorOnly").asBoolean()).isFalse();
        // the rows the hash stage's tasks read from the scan stage (partial groups): at least one group per output row of it
        assertThat(partitioned.get("processedRows").asLong()).as("rows the hash stage read").isPositive();
        assertThat(root.get("processedRows").asLong()).as("rows the final stage read").isPositive().isLessThanOrEqualTo(partitioned.get("processedRows").asLong());
        JsonNode scan = stages.getLast();
        assertThat(scan.get("subStages")).isEmpty();
        assertThat(scan.get("processedRows").asLong()).as("rows the scan stage read").isEqualTo(tableRows);
        assertThat(scan.get("totalSplits").asInt()).isPositive().isEqualTo(scan.get("completedSplits").asInt());
        assertThat(scan.get("physicalInputBytes").asLong()).isPositive();

        // through the JDBC driver: what its progress monitor (the CLI's progress line) was last given
        AtomicReference<QueryStats> last = new AtomicReference<>();
        try (Connection connection = cluster.jdbc(); TrinoStatement statement = connection.createStatement().unwrap(TrinoStatement.class)) {
            statement.setProgressMonitor(last::set);
            try (ResultSet results = statement.executeQuery(AGGREGATION)) {
                assertThat(results.next()).isTrue();
                while (results.next()) {
                    // drain
                }
            }
        }
        QueryStats driverStats = last.get();
        assertThat(driverStats.getPeakMemoryBytes()).isGreaterThan(1L << 20);
        assertThat(driverStats.getProcessedRows()).isEqualTo(tableRows);
        StageStats driverRoot = driverStats.getRootStage().orElseThrow();
        assertThat(driverRoot.getSubStages()).isNotEmpty();
        StageStats driverScan = driverRoot;
        while (!driverScan.getSubStages().isEmpty()) {
            driverScan = driverScan.getSubStages().getFirst();
        }
        assertThat(driverScan.getProcessedRows()).isEqualTo(tableRows);
        ClusterChecks.assertReleased(cluster);
    }

    private static void flatten(JsonNode stage, List<JsonNode> out)
    {
        out.add(stage);
        stage.get("subStages").forEach(sub -> flatten(sub, out));
    }

    /** Runs {@code sql} over the Trino protocol, following nextUri to the end: the last response's stats. */
    private JsonNode protocolStats(String sql)
            throws Exception
    {
        ObjectMapper mapper = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().sslContext(cluster.coordinator().tls().clientSslContext()).build();
        HttpRequest post = HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/statement"))
                .header("X-Trino-User", "test")
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build();
        JsonNode results = mapper.readTree(http.send(post, HttpResponse.BodyHandlers.ofString()).body());
        while (results.has("nextUri")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(results.get("nextUri").asText())).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            results = mapper.readTree(response.body());
        }
        assertThat(results.has("error")).as(results.toString()).isFalse();
        return results.get("stats");
    }

    private void assertSpillsWithTheAnswer(String sql, String reference)
            throws Exception
    {
        long before = spilledBytes();
        assertThat(ClusterChecks.rows(cluster, sql)).isEqualTo(ClusterChecks.rows(SharedCluster.get(), reference)).isNotEmpty();
        assertThat(spilledBytes()).as("bytes the workers spilled").isGreaterThan(before);
        ClusterChecks.assertReleased(cluster);
        for (WorkerMain.Handle worker : cluster.workers()) {
            Path spill = cluster.dataDir().resolve(worker.server().nodeId()).resolve("spill");
            ClusterChecks.await(() -> spillFiles(spill).isEmpty() && worker.server().spillBytesInUse() == 0);
            assertThat(spillFiles(spill)).as(worker.server().nodeId()).isEmpty();
            assertThat(worker.server().spillBytesInUse()).as(worker.server().nodeId()).isZero();
        }
        assertThat(ClusterChecks.rows(cluster, "SELECT 1")).containsExactly(List.of("1"));
    }

    private long spilledBytes()
    {
        return cluster.workers().stream().mapToLong(worker -> worker.server().spilledBytes()).sum();
    }

    /** What is left under a worker's spill folder (files and query folders). */
    private static List<Path> spillFiles(Path spill)
    {
        try (Stream<Path> paths = Files.walk(spill)) {
            return paths.filter(path -> !path.equals(spill)).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
