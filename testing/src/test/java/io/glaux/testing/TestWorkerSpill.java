package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.model.Table;
import io.glaux.worker.WorkerMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Hash stages spill on the workers: two workers whose queries may hold 16MB each
 * ({@code query.max-memory-per-node}) run a partitioned aggregation, a window and a partitioned join
 * whose state is larger than that on each worker. They complete by spilling into the workers' spill
 * folders (the workers' spilled bytes grow), with the answers of the shared cluster (default limits, the
 * same generated data), and afterwards no node holds memory, buffers, tasks or spill files.
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
