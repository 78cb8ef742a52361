package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Hash-partitioned FINAL aggregation on the workers, on a real cluster: the same queries are run
 * first with one worker (the coordinator merges the partial groups over the gathered scan) and then
 * with three (each scan task hash-partitions its partial groups into its worker's output buffer, one
 * task per worker thread merges its partition pulled over Flight from every worker, the coordinator gathers),
 * and the answers must be equal. A failure in a worker's stage task fails the query with its error
 * code; a query cancelled mid-way leaves no memory, buffer or task behind on any node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPartitionedAggregation
{
    private static final List<String> QUERIES = List.of(
            "SELECT status, count(*), sum(bytes), min(latency), max(url) FROM web.access_logs GROUP BY status ORDER BY status",
            "SELECT client_ip, url, count(*) AS c, sum(bytes), max(latency) FROM web.access_logs GROUP BY client_ip, url ORDER BY client_ip, url",
            "SELECT dt, method, sum(bytes), count(DISTINCT status) FROM web.access_logs GROUP BY dt, method ORDER BY dt, method",
            "SELECT url, count(*) FROM web.access_logs WHERE method = 'GET' GROUP BY url HAVING count(*) > 3 ORDER BY url",
            "SELECT target, count(*) AS c FROM web.access_logs GROUP BY target ORDER BY c DESC, target LIMIT 3",
            "SELECT referrer, count(*) FROM web.access_logs GROUP BY referrer ORDER BY referrer NULLS FIRST",
            "SELECT DISTINCT status, method FROM web.access_logs ORDER BY status, method",
            "SELECT status / 100 AS class, sum(bytes) FROM web.access_logs GROUP BY status / 100 ORDER BY class",
            "SELECT count(*), sum(c) FROM (SELECT user_agent, url, client_ip, count(*) AS c FROM web.access_logs GROUP BY user_agent, url, client_ip)",
            "SELECT CAST(latency * 10 AS decimal(10, 1)) AS l, count(*) FROM web.access_logs GROUP BY 1 ORDER BY 1 LIMIT 20",
            // states typed other than the results (a row for the variance)
            "SELECT method, round(stddev(latency), 9), round(var_pop(bytes), 3) FROM web.access_logs GROUP BY method ORDER BY method");

    private TestCluster cluster;
    private final Map<String, List<List<String>>> singleWorker = new LinkedHashMap<>();

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = TestCluster.start(Files.createTempDirectory("glaux-partitioned-cluster"), 0, 40_000, 2);
        cluster.addWorker("worker-1", Map.of("task.concurrency", "2"));
        cluster.waitForWorkers(1);
        // one worker: the FINAL step runs on the coordinator over the gathered partial groups
        for (String query : QUERIES) {
            singleWorker.put(query, ClusterChecks.rows(cluster, query));
        }
        assertThat(cluster.workers().getFirst().server().exchangePeers()).isZero();
        cluster.addWorker("worker-2", Map.of("task.concurrency", "2"));
        cluster.addWorker("worker-3", Map.of("task.concurrency", "2"));
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
    void partitionedAggregationGivesTheSingleStageAnswers()
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
    void everyWorkerRunsOneStageTaskPerThread()
            throws Exception
    {
        // the workers run tasks on two threads each (task.concurrency): two tasks of the hash stage each
        Map<String, Long> before = new LinkedHashMap<>();
        for (WorkerMain.Handle worker : cluster.workers()) {
            before.put(worker.server().nodeId(), worker.server().stageTasksStarted());
        }
        assertThat(ClusterChecks.rows(cluster, QUERIES.get(1))).isEqualTo(singleWorker.get(QUERIES.get(1)));
        for (WorkerMain.Handle worker : cluster.workers()) {
            assertThat(worker.server().stageTasksStarted() - before.get(worker.server().nodeId())).as(worker.server().nodeId()).isEqualTo(2);
        }
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void distributedPlanShowsTheHashStage()
            throws SQLException
    {
        String plan = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) SELECT url, count(*) FROM web.access_logs GROUP BY url HAVING count(*) > 1").stream()
                .map(row -> row.getFirst()).toList());
        assertThat(plan)
                .contains("Fragment 0 [SINGLE]")
                .contains("RemoteSource[sourceFragmentIds = [2]]")
                .contains("Fragment 2 [HASH]")
                .contains("Aggregate[type = FINAL")
                .contains("RemoteSource[sourceFragmentIds = [1], type = REPARTITION]")
                .contains("Fragment 1 [SOURCE]")
                .contains("Output partitioning: HASH [#0]")
                .contains("Aggregate[type = PARTIAL");
        // aggregates whose partial states differ from their results (a sketch, a variance) merge there too
        String sketches = String.join("\n", ClusterChecks.rows(cluster, "EXPLAIN (TYPE DISTRIBUTED) SELECT target, stddev(latency), approx_percentile(latency, 0.99) FROM web.access_logs GROUP BY target")
                .stream().map(row -> row.getFirst()).toList());
        assertThat(sketches).contains("Fragment 2 [HASH]").contains("RemoteSource[sourceFragmentIds = [1], type = REPARTITION]");
        // the HAVING filter runs in the hash stage, on the workers
        assertThat(plan.indexOf("Filter[")).isBetween(plan.indexOf("Fragment 2 [HASH]"), plan.indexOf("Fragment 1 [SOURCE]"));
    }

    @Test
    void aFailingStageTaskFailsTheQueryWithItsCode()
            throws Exception
    {
        assertThatThrownBy(() -> ClusterChecks.rows(cluster, "SELECT url, count(*) FROM web.access_logs GROUP BY url HAVING count(*) / (count(*) - count(*)) > 0"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Division by zero");
        assertThat(ClusterChecks.rows(cluster, "SELECT 1")).containsExactly(List.of("1"));
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void aCancelledQueryLeavesNothingBehind()
            throws Exception
    {
        // ~120,000 groups: the stage tasks are still sending (held back by the client that stopped
        // reading) when the query is cancelled
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            ResultSet resultSet = statement.executeQuery("SELECT ts, client_ip, url, user_agent, count(*), max(latency) FROM web.access_logs GROUP BY ts, client_ip, url, user_agent");
            assertThat(resultSet.next()).isTrue();
            statement.cancel();
        }
        ClusterChecks.assertReleased(cluster);
        assertThat(ClusterChecks.rows(cluster, "SELECT status, count(*) FROM web.access_logs GROUP BY status ORDER BY status"))
                .isEqualTo(singleWorker.get(QUERIES.getFirst()).stream().map(row -> List.of(row.get(0), row.get(1))).toList());
        ClusterChecks.assertReleased(cluster);
    }
}
