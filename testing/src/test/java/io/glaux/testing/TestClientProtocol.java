package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The Trino client protocol v1 on the wire: paging, stats, errors, cancellation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestClientProtocol
{
    private final ObjectMapper mapper = new ObjectMapper();
    private TestCluster cluster;
    private HttpClient http;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        http = HttpClient.newBuilder().sslContext(cluster.coordinator().tls().clientSslContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void pagesThroughResultsWithStats()
            throws Exception
    {
        JsonNode results = post("SELECT status, count(*) AS c FROM access_logs GROUP BY status");
        assertThat(results.get("id").asText()).matches("\\d{8}_\\d{6}_\\d{5}_[a-z]{5}");
        long rows = 0;
        JsonNode last = results;
        while (results.has("nextUri")) {
            results = get(results.get("nextUri").asText());
            if (results.has("data")) {
                assertThat(results.get("columns").get(0).get("name").asText()).isEqualTo("status");
                assertThat(results.get("columns").get(1).get("typeSignature").get("rawType").asText()).isEqualTo("bigint");
                rows += results.get("data").size();
            }
            last = results;
        }
        JsonNode stats = last.get("stats");
        assertThat(stats.get("state").asText()).isEqualTo("FINISHED");
        assertThat(rows).isEqualTo(8);
        assertThat(stats.get("totalSplits").asInt()).isGreaterThan(1);
        assertThat(stats.get("completedSplits").asInt()).isEqualTo(stats.get("totalSplits").asInt());
        assertThat(stats.get("processedRows").asLong()).isPositive();
        assertThat(stats.get("elapsedTimeMillis").asLong()).isNotNegative();
    }

    @Test
    void deleteCancelsARunningQuery()
            throws Exception
    {
        // the client reads nothing, so the query blocks on its full result buffer until canceled
        JsonNode results = post("SELECT * FROM access_logs");
        String nextUri = results.get("nextUri").asText();
        JsonNode first = get(nextUri);
        HttpResponse<Void> deleted = http.send(HttpRequest.newBuilder(URI.create(first.get("nextUri").asText())).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(204);
        JsonNode after = first;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (after.has("nextUri") && System.nanoTime() < deadline) {
            after = get(after.get("nextUri").asText());
        }
        assertThat(after.has("nextUri")).isFalse();
        assertThat(after.get("stats").get("state").asText()).isEqualTo("FAILED");
        assertThat(after.get("error").get("errorName").asText()).isEqualTo("USER_CANCELED");
        assertThat(after.get("error").get("errorType").asText()).isEqualTo("USER_ERROR");
    }

    @Test
    void syntaxErrorOnTheWire()
            throws Exception
    {
        JsonNode results = post("SELECT FROM WHERE");
        while (results.has("nextUri")) {
            results = get(results.get("nextUri").asText());
        }
        JsonNode error = results.get("error");
        assertThat(error.get("errorName").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(error.get("errorCode").asInt()).isEqualTo(1);
        assertThat(error.get("errorType").asText()).isEqualTo("USER_ERROR");
        assertThat(error.get("errorLocation").get("lineNumber").asInt()).isEqualTo(1);
        assertThat(error.get("errorLocation").get("columnNumber").asInt()).isPositive();
    }

    @Test
    void servesPrometheusMetrics()
            throws Exception
    {
        // a query that ends, so the totals have something to count
        JsonNode results = post("SELECT count(*) FROM access_logs");
        while (results.has("nextUri")) {
            results = get(results.get("nextUri").asText());
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        String metrics = response.body();
        assertThat(metrics)
                .contains("# TYPE glaux_queries gauge\n")
                .contains("glaux_queries{state=\"RUNNING\"} ")
                .contains("jvm_memory_bytes_used{area=\"heap\"} ")
                .contains("glaux_arrow_memory_allocated_bytes ")
                .containsPattern("(?m)^glaux_workers_active [1-9]$")
                .containsPattern("(?m)^glaux_queries_submitted_total [1-9]")
                .containsPattern("(?m)^glaux_queries_completed_total\\{outcome=\"succeeded\"} [1-9]")
                .containsPattern("(?m)^glaux_splits_completed_total [1-9]");
    }

    private JsonNode post(String sql)
            throws Exception
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/statement"))
                .header("X-Trino-User", "protocol-test")
                .header("X-Trino-Catalog", "hive")
                .header("X-Trino-Schema", "web")
                .header("X-Trino-Source", "test")
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return mapper.readTree(response.body());
    }

    private JsonNode get(String uri)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return mapper.readTree(response.body());
    }
}
