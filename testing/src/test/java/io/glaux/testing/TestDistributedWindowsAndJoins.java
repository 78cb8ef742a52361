package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.model.Table;
import io.glaux.worker.WorkerMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Windows and partitioned joins on the workers, on a real cluster: the same queries run first with
 * one worker (the coordinator computes the windows and joins over the gathered scans) and then with
 * three (the scan tasks hash-partition their rows on the windows' PARTITION BY columns or the join
 * keys, one stage task per worker computes the windows or joins its partitions, the coordinator
 * gathers), and the answers must be equal. {@code web.access_logs_big} is the access logs again, with
 * metastore statistics that say it is too large to broadcast. Every node's query memory, Arrow buffers
 * and output buffers are released afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestDistributedWindowsAndJoins
{
    private static final List<String> QUERIES = List.of(
            // the benchmark's sessionization: lag() per client, then a count of long gaps
            "SELECT count(*) FROM (SELECT date_diff('second', lag(ts) OVER (PARTITION BY client_ip ORDER BY ts), ts) AS gap"
                    + " FROM web.access_logs WHERE dt = '2024-03-01') WHERE gap > 60",
            "SELECT client_ip, url, ts, rn FROM (SELECT client_ip, url, ts, row_number() OVER (PARTITION BY client_ip ORDER BY ts, url, latency) AS rn"
                    + " FROM web.access_logs) WHERE rn <= 2 ORDER BY client_ip, rn",
            // two windows partitioned by url and by (url, status): partitioned by url, grouped per url afterwards
            "SELECT url, max(c), sum(r), count(*) FROM (SELECT url, count(*) OVER (PARTITION BY url) AS c,"
                    + " rank() OVER (PARTITION BY url, status ORDER BY latency) AS r FROM web.access_logs) GROUP BY url ORDER BY url",
            // constants and a frame travel to the workers
            "SELECT client_ip, ts, url, lead(status, 2, -1) OVER w, round(avg(latency) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 9),"
                    + " sum(bytes) OVER (PARTITION BY client_ip) FROM web.access_logs WHERE status >= 500"
                    + " WINDOW w AS (PARTITION BY client_ip ORDER BY ts, url, latency) ORDER BY client_ip, ts, url, latency LIMIT 200",
            // no PARTITION BY: the window stays on the coordinator
            "SELECT count(*), max(rn) FROM (SELECT row_number() OVER (ORDER BY ts) AS rn FROM web.access_logs WHERE status = 404)",
            // partitioned joins (the build side's statistics rule out a broadcast), of every type
            "SELECT l.status, count(*), sum(r.bytes) FROM web.access_logs l JOIN web.access_logs_big r ON l.ts = r.ts AND l.url = r.url"
                    + " GROUP BY l.status ORDER BY l.status",
            "SELECT l.method, r.method, count(*), count(r.ts), count(l.ts) FROM (SELECT * FROM web.access_logs WHERE status = 404) l"
                    + " FULL JOIN (SELECT * FROM web.access_logs_big WHERE latency > 0.5) r ON l.ts = r.ts AND l.client_ip = r.client_ip"
                    + " GROUP BY l.method, r.method ORDER BY 1 NULLS FIRST, 2 NULLS FIRST",
            "SELECT count(*), sum(l.bytes) FROM web.access_logs l LEFT JOIN web.access_logs_big r ON l.ts = r.ts AND l.url = r.url AND r.status >= 500"
                    + " WHERE r.ts IS NULL",
            "SELECT r.url, l.status, r.ts FROM (SELECT * FROM web.access_logs WHERE status = 503) l"
                    + " RIGHT JOIN (SELECT * FROM web.access_logs_big WHERE status = 404 AND method = 'DELETE') r ON l.client_ip = r.client_ip AND l.url = r.url"
                    + " AND l.ts < r.ts ORDER BY r.ts, r.url, l.status LIMIT 100",
            "SELECT count(*) FROM web.access_logs l WHERE l.url IN (SELECT url FROM web.access_logs_big WHERE status = 503 AND method = 'PUT')");

    private TestCluster cluster;
    private final Map<String, List<List<String>>> singleWorker = new LinkedHashMap<>();

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = TestCluster.start(Files.createTempDirectory("glaux-distributed-cluster"), 1, 40_000, 2);
        var catalog = cluster.coordinator().catalog();
        Table logs = catalog.getTable("web", "access_logs").orElseThrow();
        Map<String, String> parameters = new java.util.HashMap<>(logs.parameters());
        parameters.put("numRows", "1000000000");
        catalog.createTable(Table.external("web", "access_logs_big", logs.dataColumns(), logs.partitionColumns(), logs.storage(), logs.location(), parameters), true);
        catalog.addPartitions("web", "access_logs_big", catalog.getPartitions("web", "access_logs"), true);
        // one worker: the coordinator runs every window and join itself
        for (String query : QUERIES) {
            singleWorker.put(query, ClusterChecks.rows(cluster, query));
        }
        assertThat(cluster.workers().getFirst().server().exchangePeers()).isZero();
        cluster.addWorker("worker-2");
        cluster.addWorker("worker-3");
        cluster.waitForWorkers(3);
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
    void windowsOnTheWorkersGiveTheSingleWorkerAnswers()
            throws Exception
    {
        for (String query : QUERIES) {
            assertThat(ClusterChecks.rows(cluster, query)).as(query).isEqualTo(singleWorker.get(query)).isNotEmpty();
        }
        // every worker pulled its partition from every worker (itself included) over Flight
        for (WorkerMain.Handle worker : cluster.workers()) {
            assertThat(worker.server().exchangePeers()).as(worker.server().nodeId()).isEqualTo(3);
        }
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void distributedPlanShowsTheWindowOnTheWorkers()
            throws SQLException
    {
        String plan = explain(QUERIES.getFirst());
        assertThat(plan)
                .contains("Fragment 0 [SINGLE]")
                .contains("Fragment 2 [HASH]")
                .contains("RemoteSource[sourceFragmentIds = [1], type = REPARTITION]")
                .contains("Fragment 1 [SOURCE]")
                .contains("Output partitioning: HASH [#");
        int hashStage = plan.indexOf("Fragment 2 [HASH]");
        int scanStage = plan.indexOf("Fragment 1 [SOURCE]");
        // the window, the gap filter and the partial count run in the hash stage; the final count here
        assertThat(plan.indexOf("Window[partitionBy")).isBetween(hashStage, scanStage);
        assertThat(plan.indexOf("Aggregate[type = PARTIAL")).isBetween(hashStage, scanStage);
        assertThat(plan.indexOf("Aggregate[type = FINAL")).isLessThan(hashStage);
        // without PARTITION BY there is nothing to partition on: the window runs on the coordinator
        String single = explain(QUERIES.get(4));
        assertThat(single).doesNotContain("[HASH]");
        assertThat(single.indexOf("Window[")).isLessThan(single.indexOf("Fragment 1 [SOURCE]"));
    }

    @Test
    void distributedPlanShowsThePartitionedJoin()
            throws SQLException
    {
        String plan = explain("SELECT l.status, count(*) FROM web.access_logs l JOIN web.access_logs_big r ON l.ts = r.ts AND l.url = r.url GROUP BY l.status");
        int hashStage = plan.indexOf("Fragment 3 [HASH]");
        assertThat(hashStage).isPositive();
        assertThat(plan)
                .contains("RemoteSource[sourceFragmentIds = [1], type = REPARTITION]")
                .contains("RemoteSource[sourceFragmentIds = [2], type = REPARTITION]")
                .contains("distribution = PARTITIONED");
        // both scans hash-partition their rows on the join keys
        assertThat(plan.split("Output partitioning: HASH \\[#", -1)).hasSize(3);
        assertThat(plan.indexOf("Join[type = INNER")).isBetween(hashStage, plan.indexOf("Fragment 1 [SOURCE]"));
        assertThat(plan.indexOf("Aggregate[type = PARTIAL")).isBetween(hashStage, plan.indexOf("Fragment 1 [SOURCE]"));
        // without statistics, the same join broadcasts its build side
        String broadcast = explain("SELECT l.status, count(*) FROM web.access_logs l JOIN web.access_logs r ON l.ts = r.ts AND l.url = r.url GROUP BY l.status");
        // (its grouped FINAL aggregation still runs in a hash stage)
        assertThat(broadcast).contains("distribution = BROADCAST").contains("Output partitioning: BROADCAST").doesNotContain("distribution = PARTITIONED");
    }

    @Test
    void theSessionsJoinDistributionTypeDecides()
            throws SQLException
    {
        String small = "EXPLAIN (TYPE DISTRIBUTED) SELECT l.status, count(*) FROM web.access_logs l JOIN web.access_logs r ON l.ts = r.ts AND l.url = r.url GROUP BY l.status";
        String big = small.replace("JOIN web.access_logs r", "JOIN web.access_logs_big r");
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION join_distribution_type = 'PARTITIONED'");
            assertThat(plan(statement, small)).contains("distribution = PARTITIONED").contains("[HASH]");
            statement.execute("SET SESSION join_distribution_type = 'BROADCAST'");
            assertThat(plan(statement, big)).contains("distribution = BROADCAST").doesNotContain("distribution = PARTITIONED");
            statement.execute("RESET SESSION join_distribution_type");
            assertThat(plan(statement, big)).contains("distribution = PARTITIONED");
            assertThat(plan(statement, small)).contains("distribution = BROADCAST");
        }
    }

    private static String plan(Statement statement, String explain)
            throws SQLException
    {
        StringBuilder plan = new StringBuilder();
        try (ResultSet resultSet = statement.executeQuery(explain)) {
            while (resultSet.next()) {
                plan.append(resultSet.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private String explain(String query)
            throws SQLException
    {
        return String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) " + query).stream().map(row -> row.getFirst()).toList());
    }
}
