package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.coordinator.limits.QueryLimits;
import io.glaux.coordinator.query.Query;
import io.glaux.spi.error.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/** A client that stops polling, oversized SQL and oversized bodies: coded errors naming the limit, server healthy after. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestQueryLimits
{
    private TestCluster cluster;
    private HttpClient client;

    @BeforeAll
    void start()
            throws Exception
    {
        cluster = TestCluster.withCoordinatorProperties(Files.createTempDirectory("glaux-limits"), 1, 20_000, 2, Map.of(
                QueryLimits.CLIENT_TIMEOUT, "3s",
                QueryLimits.MAX_QUERY_LENGTH, "1000",
                QueryLimits.MAX_REQUEST_BODY_SIZE, "10KB"));
        client = HttpClient.newBuilder().sslContext(cluster.coordinator().tls().clientSslContext()).build();
    }

    @AfterAll
    void stop()
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aQueryWhoseClientStopsPollingIsCancelled()
            throws Exception
    {
        HttpResponse<String> submitted = post("SELECT * FROM access_logs");
        assertThat(submitted.statusCode()).isEqualTo(200);
        String queryId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(submitted.body()).get("id").asText();
        Query query = cluster.coordinator().queryManager().get(queryId).orElseThrow();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!query.state().isDone() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(query.error()).hasValueSatisfying(error -> {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.ABANDONED_QUERY);
            assertThat(error.getMessage()).contains("query.client.timeout").contains("3s");
        });
        assertHealthy();
    }

    @Test
    void oversizedSqlAndBodiesAreRefusedNamingTheLimit()
            throws Exception
    {
        HttpResponse<String> longSql = post("SELECT 1 AS x" + " ".repeat(1_500));
        assertThat(longSql.statusCode()).isEqualTo(413);
        assertThat(longSql.body()).contains("QUERY_TEXT_TOO_LARGE").contains("query.max-length").contains("1000");

        HttpResponse<String> bigBody = post("SELECT '" + "x".repeat(20_000) + "'");
        assertThat(bigBody.statusCode()).isEqualTo(413);
        assertThat(bigBody.body()).contains("http-server.max-request-body-size").contains("10240");

        // a 10 MB body is refused the same way, before it is read
        HttpResponse<String> huge = post("--" + "y".repeat(10 << 20));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertHealthy();
    }

    @Test
    void consoleStaticPathsCannotLeaveTheConsole()
            throws Exception
    {
        for (String path : java.util.List.of("/ui/../../../../etc/passwd", "/ui/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/ui/..%2f..%2f..%2fetc%2fpasswd", "/ui/%252e%252e/etc/passwd", "/ui/..\\..\\etc\\passwd")) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + path.replace("\\", "%5c")))
                    .header("X-Trino-User", "test").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isBetween(400, 404);
            assertThat(response.body()).as(path).doesNotContain("root:");
        }
        assertHealthy();
    }

    private HttpResponse<String> post(String sql)
            throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/statement"))
                .header("X-Trino-User", "test")
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertHealthy()
            throws Exception
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM access_logs")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(60_000);
        }
    }
}
