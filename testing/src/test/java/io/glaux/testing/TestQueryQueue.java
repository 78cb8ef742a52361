package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.coordinator.limits.QueryLimits;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryState;
import io.glaux.coordinator.security.AccessControlConfig;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/**
 * Workgroup-style limits on a real cluster: one query at a time per user and per group, a FIFO queue
 * whose queries show QUEUED in the protocol, a full queue, the queued-time limit and the bytes-scanned
 * cutoff. A query whose client does not fetch its results holds its slot (its page buffer is full), so
 * the tests decide when a slot frees; they wait on conditions, never on time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestQueryQueue
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** 45,000 rows of one int column: more than a query's page buffer holds (8 × 4096), few bytes. */
    private static final String BLOCKING = "SELECT status FROM access_logs";

    private TestCluster cluster;
    private HttpClient client;

    @BeforeAll
    void start()
            throws Exception
    {
        Path directory = Files.createTempDirectory("glaux-queue");
        Path rules = directory.resolve("rules.json");
        // no rule sections: everyone may do everything; only the groups matter here
        Files.writeString(rules, """
                {"groups": {"team": ["gina", "gus"]}}
                """);
        cluster = TestCluster.withCoordinatorProperties(directory.resolve("cluster"), 1, 15_000, 1, Map.of(
                AccessControlConfig.RULES_FILE, rules.toString(),
                QueryLimits.MAX_CONCURRENT_PER_USER, "1",
                QueryLimits.MAX_CONCURRENT_PER_GROUP, "1",
                QueryLimits.MAX_QUEUED_PER_USER, "2",
                QueryLimits.MAX_QUEUED_TIME, "40s",
                QueryLimits.MAX_SCAN_BYTES, "1MB"));
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
    void aUsersQueriesWaitInOrderShowingQueued()
            throws Exception
    {
        JsonNode first = post("bob", BLOCKING);
        Query a = query(first);
        waitFor(() -> a.state() == QueryState.RUNNING, "the first query runs");

        JsonNode second = post("bob", BLOCKING);
        JsonNode third = post("bob", "SELECT 42");
        Query b = query(second);
        Query c = query(third);
        // the protocol says QUEUED, in the state and in the stats, while they wait
        JsonNode polled = get(second.get("nextUri").asText(), "bob");
        assertThat(polled.get("stats").get("state").asText()).isEqualTo("QUEUED");
        assertThat(polled.get("stats").get("queued").asBoolean()).isTrue();
        assertThat(get(third.get("nextUri").asText(), "bob").get("stats").get("state").asText()).isEqualTo("QUEUED");

        // two wait already: a third is refused, naming the limit
        Query d = query(post("bob", "SELECT 1"));
        waitFor(() -> d.state().isDone(), "the query over the queue's size fails");
        assertThat(d.error()).hasValueSatisfying(error -> {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.QUERY_QUEUE_FULL);
            assertThat(error.getMessage()).contains("query.max-queued-per-user = 2");
        });

        // the cap is per user: someone else runs now
        assertThat(scalar("alice", "SELECT count(*) FROM access_logs")).isEqualTo(45_000);
        assertThat(b.state()).isEqualTo(QueryState.QUEUED);
        assertThat(c.state()).isEqualTo(QueryState.QUEUED);

        // the first query's client fetches everything: its slot goes to the query queued first
        drain(first, "bob");
        waitFor(() -> b.state() != QueryState.QUEUED, "the second query leaves the queue");
        assertThat(c.state()).as("FIFO: the third query still waits").isEqualTo(QueryState.QUEUED);

        // the third waits behind the second (whose client fetches nothing) until the queued-time limit
        waitFor(() -> c.state().isDone(), "the third query reaches the queued-time limit");
        assertThat(c.error()).hasValueSatisfying(error -> {
            assertThat(error.errorCode()).isEqualTo(ErrorCode.EXCEEDED_TIME_LIMIT);
            assertThat(error.getMessage()).contains("queued time").contains("40s").contains(QueryLimits.MAX_QUEUED_TIME);
        });
        b.cancel();
        waitFor(() -> b.state().isDone(), "the second query is cancelled");
        assertThat(scalar("bob", "SELECT count(*) FROM access_logs")).isEqualTo(45_000);
    }

    @Test
    void aGroupsQueriesShareTheGroupsCap()
            throws Exception
    {
        JsonNode gina = post("gina", BLOCKING);
        Query held = query(gina);
        waitFor(() -> held.state() == QueryState.RUNNING, "gina's query runs");
        JsonNode gus = post("gus", "SELECT 7");
        Query waiting = query(gus);
        assertThat(get(gus.get("nextUri").asText(), "gus").get("stats").get("state").asText()).isEqualTo("QUEUED");
        // not in the group: not held up
        assertThat(scalar("alice", "SELECT 1")).isEqualTo(1);
        assertThat(waiting.state()).isEqualTo(QueryState.QUEUED);

        drain(gina, "gina");
        waitFor(() -> waiting.state() != QueryState.QUEUED, "gus's query runs once gina's is over");
        assertThat(drain(gus, "gus").get("stats").get("state").asText()).isEqualTo("FINISHED");
    }

    @Test
    void theBytesScannedCutoffStopsAWideQueryAndPassesANarrowOne()
            throws Exception
    {
        // the table's objects hold more than the 1MB limit: reading all of their columns passes it
        long objectBytes;
        try (var files = Files.walk(cluster.tableDirectory())) {
            objectBytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        assertThat(objectBytes).as("bytes of the table's objects").isGreaterThan(1L << 20);
        assertThatThrownBy(() -> countRows("carol", "SELECT * FROM access_logs"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("bytes-scanned limit of 1MB")
                .hasMessageContaining("query.max-scan-physical-bytes = 1048576")
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.EXCEEDED_SCAN_LIMIT.code()));
        waitFor(() -> cluster.workers().getFirst().server().stats().runningTasks() == 0, "the stopped scan's tasks to end");

        // the narrow query reads one column: bytes scanned are the bytes its ranged GETs fetched from the
        // object store (what the worker counts), not the few Arrow bytes of its partial aggregates, and show
        // in the protocol's stats and in the console's history
        long before = cluster.workers().getFirst().server().stats().bytesRead();
        JsonNode last = drain(post("carol", "SELECT max(status) FROM access_logs"), "carol");
        assertThat(last.get("stats").get("state").asText()).isEqualTo("FINISHED");
        long fetched = cluster.workers().getFirst().server().stats().bytesRead() - before;
        long scanned = last.get("stats").get("processedBytes").asLong();
        assertThat(scanned).isEqualTo(fetched).isGreaterThan(1024).isLessThan(1L << 20).isLessThan(objectBytes);
        assertThat(last.get("stats").get("physicalInputBytes").asLong()).isEqualTo(scanned);
        String id = last.get("id").asText();
        waitFor(() -> {
            JsonNode history = getPath("/v1/console/history", "carol");
            for (JsonNode entry : history.get("items")) {
                if (entry.path("queryId").asText().equals(id) && entry.path("state").asText().equals("FINISHED")) {
                    return entry.path("bytesScanned").asLong() == scanned;
                }
            }
            return false;
        }, "the history records the bytes scanned");
    }

    private Query query(JsonNode results)
    {
        return cluster.coordinator().queryManager().get(results.get("id").asText()).orElseThrow();
    }

    /** Follows nextUri to the end; the last response. */
    private JsonNode drain(JsonNode results, String user)
            throws Exception
    {
        JsonNode current = results;
        while (current.has("nextUri")) {
            current = get(current.get("nextUri").asText(), user);
        }
        return current;
    }

    private long scalar(String user, String sql)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl(), properties); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    /** Reads every row (a failure may come with any page). */
    private long countRows(String user, String sql)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl(), properties); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            long count = 0;
            while (rows.next()) {
                count++;
            }
            return count;
        }
    }

    private JsonNode post(String user, String sql)
            throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/statement"))
                .header("X-Trino-User", user)
                .header("X-Trino-Schema", "web")
                .header("X-Trino-Catalog", "hive")
                .POST(HttpRequest.BodyPublishers.ofString(sql))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private JsonNode get(String uri, String user)
            throws Exception
    {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(uri)).header("X-Trino-User", user).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private JsonNode getPath(String path, String user)
    {
        try {
            return get(cluster.serverUri() + path, user);
        }
        catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /** Waits (up to a minute) for a condition, checking every 20 ms. */
    private static void waitFor(BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
