package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Queries run by Glaux's engine (not Calcite's executor) on the in-process cluster, seen through
 * EXPLAIN: the plan is cut into a final stage on the coordinator and scan stages on the workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestEngineExecution
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
    }

    @Test
    void distributedPlanShowsStages()
            throws SQLException
    {
        String plan = explain("EXPLAIN (TYPE DISTRIBUTED) SELECT status, count(*) FROM web.access_logs WHERE method = 'GET' GROUP BY status");
        assertThat(plan)
                .contains("Fragment 0 [SINGLE]")
                .contains("RemoteSource[sourceFragmentIds = [2]]")
                .contains("Fragment 2 [HASH]")
                .contains("RemoteSource[sourceFragmentIds = [1], type = REPARTITION]")
                .contains("Fragment 1 [SOURCE]")
                .contains("Output partitioning: HASH [#0]")
                .contains("Aggregate[type = PARTIAL")
                .contains("ScanFilterProject[table = hive.web.access_logs");
    }

    @Test
    void topNRunsOnTheWorkersBeforeTheGather()
            throws SQLException
    {
        String plan = explain("EXPLAIN (TYPE DISTRIBUTED) SELECT url, latency FROM web.access_logs ORDER BY latency DESC, url LIMIT 5");
        assertThat(plan)
                .contains("TopN[count = 5")
                .contains("TopNPartial[count = 5")
                .contains("ScanFilterProject[table = hive.web.access_logs");
        assertThat(plan.indexOf("TopNPartial")).isGreaterThan(plan.indexOf("Fragment 1 [SOURCE]"));
    }

    @Test
    void joinsAndWindowsRunInTheEngine()
            throws SQLException
    {
        String targets = "WITH targets(target, team) AS (VALUES ('10.1.0.1:8080', 'core'), ('10.1.0.2:8080', 'edge'), ('10.1.0.3:8080', 'edge')) ";
        String plan = explain("EXPLAIN (TYPE DISTRIBUTED) " + targets
                + "SELECT l.url, t.team, row_number() OVER (PARTITION BY t.team ORDER BY l.latency DESC) AS r "
                + "FROM web.access_logs l JOIN targets t ON l.target = t.target");
        assertThat(plan).contains("Join[type = INNER").contains("Window[partitionBy");
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(targets
                        + "SELECT t.team, count(*) FROM web.access_logs l JOIN targets t ON l.target = t.target GROUP BY t.team ORDER BY 1")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("core");
            long core = resultSet.getLong(2);
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("edge");
            // targets are drawn uniformly from ten addresses: edge has two of them, core one
            assertThat(resultSet.getLong(2)).isGreaterThan(core);
            assertThat(resultSet.next()).isFalse();
        }
    }

    @Test
    void aLimitThatStopsTheScanEarlyReleasesEverything()
            throws Exception
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT * FROM web.access_logs LIMIT 100000")) {
            int rows = 0;
            while (resultSet.next()) {
                rows++;
            }
            assertThat(rows).isEqualTo(100_000);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (cluster.coordinator().reservedQueryMemory() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(cluster.coordinator().reservedQueryMemory()).isZero();
    }

    @Test
    void explainAnalyzeReportsWhatRan()
            throws SQLException
    {
        String plan = explain("EXPLAIN ANALYZE SELECT url, bytes * 2 FROM web.access_logs WHERE status = 503");
        assertThat(plan)
                .contains("Fragment 0 [SINGLE]")
                .containsPattern("Output: [0-9,]+ rows")
                .containsPattern("scanned [0-9,]+ rows");
    }

    @Test
    void explainAnalyzeReportsWhatTheWorkersDid()
            throws SQLException
    {
        // the scan stage's tasks report their scans (rows read before the filter, rows sent), summed over the tasks
        String aggregated = explain("EXPLAIN ANALYZE SELECT status, count(*) FROM web.access_logs WHERE method = 'GET' GROUP BY status");
        String source = aggregated.substring(aggregated.indexOf("[SOURCE]"));
        assertThat(source)
                .contains("ScanFilterProject[table = hive.web.access_logs")
                .containsPattern("Wall: [^,]+, Input: 120,000 rows \\([^)]+ read\\), Output: [0-9,]+ rows");

        // a hash-partitioned stage's operators run on the workers: their rows, summed over the stage's tasks
        String windowed = explain("EXPLAIN ANALYZE SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY client_ip ORDER BY ts) AS rn FROM web.access_logs) t WHERE rn = 1");
        assertThat(windowed).contains("[HASH]");
        String hash = windowed.substring(windowed.indexOf("[HASH]"), windowed.indexOf("[SOURCE]"));
        assertThat(hash).containsPattern("Window\\[[^\\n]*\\n[^\\n]*Layout[^\\n]*\\n[^\\n]*Wall: [^,]+, Input: 120,000 rows, Output: 120,000 rows");
        assertThat(windowed.substring(windowed.indexOf("[SOURCE]"))).containsPattern("Input: 120,000 rows \\([^)]+ read\\), Output: 120,000 rows");
    }

    @Test
    void whatTheEngineCannotRunFailsWithNotSupported()
            throws SQLException
    {
        // there is no other executor: Calcite's multiset aggregate COLLECT (not a Trino function) is refused,
        // in EXPLAIN as when run, and the next query runs
        for (String sql : java.util.List.of("EXPLAIN SELECT collect(x) FROM (VALUES 'a', 'b') AS t(x)", "SELECT collect(x) FROM (VALUES 'a', 'b') AS t(x)")) {
            try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.executeQuery(sql))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getErrorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.NOT_SUPPORTED.code());
                            assertThat(e.getMessage()).contains("the engine cannot run");
                        });
            }
        }
        assertThat(explain("EXPLAIN SELECT 1")).contains("Fragment 0");
    }

    private String explain(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1);
        }
    }
}
