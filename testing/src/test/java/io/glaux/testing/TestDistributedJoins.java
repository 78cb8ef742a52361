package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.glaux.launcher.demo.DemoDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Semi, anti and chained joins on the workers, on a real cluster with TPC-H (SF 0.01): EXISTS, IN and
 * NOT EXISTS run as SEMI and ANTI joins, NOT IN keeps its NULL semantics, a chain of broadcast joins runs
 * in the probe stage's tasks, and a join outputs only the columns the plan above it reads. Every answer
 * equals DuckDB's over the same files, and is the same with one worker and with three; every node's
 * memory is released afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestDistributedJoins
{
    private static final List<String> QUERIES = List.of(
            // EXISTS (TPC-H q4): a SEMI join
            TpchDataset.query(4),
            // IN and NOT EXISTS / EXISTS with a residual (q16, q20, q21, q22)
            TpchDataset.query(16),
            TpchDataset.query(20),
            TpchDataset.query(21),
            TpchDataset.query(22),
            // star joins (q5, q7, q10)
            TpchDataset.query(5),
            TpchDataset.query(7),
            TpchDataset.query(10),
            // a chain of broadcast joins on the probe side, pruned to the columns the aggregation reads
            "SELECT n_name, count(*), sum(o_totalprice) FROM orders JOIN customer ON o_custkey = c_custkey JOIN nation ON c_nationkey = n_nationkey"
                    + " GROUP BY n_name ORDER BY n_name",
            "SELECT count(*) FROM orders WHERE NOT EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_shipmode = 'AIR')",
            "SELECT count(*) FROM orders WHERE o_custkey IN (SELECT c_custkey FROM customer WHERE c_mktsegment = 'BUILDING')",
            // NOT IN: without NULLs among the values, and with one (then no row qualifies)
            "SELECT count(*) FROM orders WHERE o_custkey NOT IN (SELECT c_custkey FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE o_orderkey NOT IN (SELECT CASE WHEN l_linenumber > 1 THEN l_orderkey END FROM lineitem WHERE l_quantity > 45)",
            "SELECT count(*) FROM orders WHERE o_orderkey NOT IN (SELECT l_orderkey FROM lineitem WHERE l_quantity > 45)");

    private TestCluster cluster;
    private Connection glaux;
    private Connection duckdb;
    private final Map<String, List<List<Object>>> singleWorker = new LinkedHashMap<>();

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = TestCluster.start(Files.createTempDirectory("glaux-joins-cluster"), 1, 2_000, 1);
        glaux = cluster.jdbc();
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        TpchDataset.create(glaux, duckdb, cluster.coordinator().objectStore(), DemoDataset.BUCKET, "tpch", Files.createTempDirectory("glaux-joins-tpch"), 0.01);
        // one worker: the coordinator runs every partitioned join itself
        for (String query : QUERIES) {
            singleWorker.put(query, run(glaux, query));
        }
        cluster.addWorker("worker-2");
        cluster.addWorker("worker-3");
        cluster.waitForWorkers(3);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        if (glaux != null) {
            glaux.close();
        }
        if (duckdb != null) {
            duckdb.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<List<Object>> run(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            return TpchDataset.rows(statement.executeQuery(sql));
        }
    }

    @Test
    void answersEqualDuckDbsWithOneWorkerAndWithThree()
            throws Exception
    {
        for (String query : QUERIES) {
            List<List<Object>> expected = run(duckdb, query);
            List<List<Object>> one = singleWorker.get(query);
            List<List<Object>> three = run(glaux, query);
            String difference = TpchDataset.difference(one, expected);
            if (difference != null) {
                fail("one worker: %s: %s", query, difference);
            }
            difference = TpchDataset.difference(three, expected);
            if (difference != null) {
                fail("three workers: %s: %s", query, difference);
            }
        }
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void aChainWhoseLastBuildSideIsTooLargeToBroadcastEndsOnTheCoordinator()
            throws Exception
    {
        // with 8MB of query memory a broadcast may hold 512KB: supplier's keys fit, orders' comments do not; the
        // join with supplier stays in the lineitem tasks, the join with orders runs on the coordinator
        String query = "SELECT count(*), sum(l_extendedprice), max(o_comment) FROM lineitem JOIN supplier ON l_suppkey = s_suppkey"
                + " JOIN orders ON l_orderkey = o_orderkey";
        List<List<Object>> expected = run(duckdb, query);
        try (Connection small = cluster.jdbc()) {
            small.setSchema("tpch");
            try (Statement statement = small.createStatement()) {
                statement.execute("SET SESSION query_max_memory = '8MB'");
            }
            String difference = TpchDataset.difference(run(small, query), expected);
            if (difference != null) {
                fail("%s: %s", query, difference);
            }
        }
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void notInKeepsItsNullSemantics()
            throws SQLException
    {
        String values = "(VALUES 1, 2, 3, CAST(NULL AS integer)) t(x)";
        assertThat(run(glaux, "SELECT x FROM " + values + " WHERE x NOT IN (SELECT y FROM (VALUES 2, CAST(NULL AS integer)) s(y))")).isEmpty();
        assertThat(run(glaux, "SELECT x FROM " + values + " WHERE x NOT IN (SELECT y FROM (VALUES 2) s(y)) ORDER BY x")).isEqualTo(List.of(List.of(1), List.of(3)));
        assertThat(run(glaux, "SELECT x FROM " + values + " WHERE x IN (SELECT y FROM (VALUES 2, CAST(NULL AS integer)) s(y))")).isEqualTo(List.of(List.of(2)));
        List<List<Object>> notExists = run(glaux, "SELECT x FROM " + values + " WHERE NOT EXISTS (SELECT 1 FROM (VALUES 2, CAST(NULL AS integer)) s(y) WHERE s.y = t.x)"
                + " ORDER BY x NULLS LAST");
        List<Object> nullRow = new ArrayList<>();
        nullRow.add(null);
        assertThat(notExists).isEqualTo(List.of(List.of(1), List.of(3), nullRow));
        assertThat(run(glaux, "SELECT x FROM " + values + " WHERE EXISTS (SELECT 1 FROM (VALUES 2, CAST(NULL AS integer)) s(y) WHERE s.y = t.x)"))
                .isEqualTo(List.of(List.of(2)));
    }

    @Test
    void plans()
            throws SQLException
    {
        for (String query : QUERIES) {
            System.out.println("=== " + query + "\n" + explain(query));
        }
        // EXISTS and IN are SEMI joins, NOT EXISTS an ANTI join, on the workers
        assertThat(finalStage(explain(TpchDataset.query(4)))).doesNotContain("Join[");
        assertThat(explain(TpchDataset.query(4))).contains("Join[type = SEMI");
        assertThat(explain(QUERIES.get(9))).contains("Join[type = ANTI");
        assertThat(explain(QUERIES.get(10))).contains("Join[type = SEMI");
        // q21's EXISTS and NOT EXISTS with a condition other than equality: joins with a residual, lineitem scanned once for each (not six times)
        String q21 = explain(TpchDataset.query(21));
        assertThat(q21).contains("Join[type = SEMI").contains("Join[type = ANTI");
        assertThat(q21.split("table = hive.tpch.lineitem", -1)).hasSize(4);
        // the star join: both broadcast joins in the orders scan stage's pipeline, the last one gathering only what the aggregation reads
        String star = explain(QUERIES.get(8));
        assertThat(finalStage(star)).doesNotContain("Join[");
        assertThat(star.split("type = BROADCAST]", -1)).hasSize(3);
        assertThat(star).contains("Join[type = INNER, criteria = (#3 = #4), distribution = BROADCAST, outputs = [#1, #5]]");
    }

    private static String finalStage(String plan)
    {
        return plan.substring(0, plan.indexOf("\nFragment ", 1));
    }

    private String explain(String query)
            throws SQLException
    {
        List<String> lines = new ArrayList<>();
        for (List<Object> row : run(glaux, "EXPLAIN (TYPE DISTRIBUTED) " + query)) {
            lines.add(String.valueOf(row.getFirst()));
        }
        return String.join("\n", lines);
    }
}
