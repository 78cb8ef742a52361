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
 * Joins whose input is the output of a hash-partitioned stage (an aggregation, a partitioned join) run
 * in that stage's tasks on the workers when the join keys are the stage's partitioning keys: the other
 * side (a scan, or a scan joining broadcast build sides) is hash-partitioned into the same stage. On a
 * real cluster with TPC-H (SF 0.01): every answer equals DuckDB's, with one worker (the coordinator runs
 * the stage) and with three, and every node's memory is released afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestStageJoins
{
    private static final String LINEITEM_BY_PART = "(SELECT l_partkey AS k, sum(l_quantity) AS q FROM lineitem GROUP BY l_partkey)";
    private static final List<String> QUERIES = List.of(
            TpchDataset.query(2),
            TpchDataset.query(11),
            TpchDataset.query(13),
            TpchDataset.query(15),
            TpchDataset.query(17),
            TpchDataset.query(18),
            TpchDataset.query(20),
            // the aggregation on the probe side, the scan built; and on the build side of an outer join
            "SELECT count(*), sum(a.q), max(p_name) FROM " + LINEITEM_BY_PART + " a JOIN part ON a.k = p_partkey WHERE p_size < 20",
            "SELECT count(*), count(a.q), sum(a.q) FROM part LEFT JOIN " + LINEITEM_BY_PART + " a ON a.k = p_partkey AND p_size < 20",
            "SELECT count(*), count(p_partkey), sum(a.q) FROM " + LINEITEM_BY_PART + " a FULL JOIN (SELECT * FROM part WHERE p_size < 10) p ON a.k = p_partkey",
            // a join key that is not the stage's partitioning key stays on the coordinator
            "SELECT count(*), sum(a.q) FROM (SELECT l_partkey AS k, l_suppkey AS s, sum(l_quantity) AS q FROM lineitem GROUP BY l_partkey, l_suppkey) a"
                    + " JOIN supplier ON a.s = s_suppkey",
            // NOT IN with NULLs among the probe values, among the subquery's values, on both sides and with no values
            "SELECT count(*) FROM orders WHERE CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_custkey END NOT IN (SELECT c_custkey FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE o_custkey NOT IN (SELECT CASE WHEN c_custkey % 50 = 0 THEN NULL ELSE c_custkey END FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_custkey END NOT IN"
                    + " (SELECT CASE WHEN c_custkey % 50 = 0 THEN NULL ELSE c_custkey END FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_custkey END NOT IN (SELECT c_custkey FROM customer WHERE c_nationkey = 99)");

    private TestCluster cluster;
    private Connection glaux;
    private Connection duckdb;
    private final Map<String, List<List<Object>>> singleWorker = new LinkedHashMap<>();

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = TestCluster.start(Files.createTempDirectory("glaux-stagejoins-cluster"), 1, 2_000, 1);
        glaux = cluster.jdbc();
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        TpchDataset.create(glaux, duckdb, cluster.coordinator().objectStore(), DemoDataset.BUCKET, "tpch", Files.createTempDirectory("glaux-stagejoins-tpch"), 0.01);
        // one worker: the coordinator runs every partitioned stage itself
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

    @Test
    void answersEqualDuckDbsWithOneWorkerAndWithThree()
            throws Exception
    {
        for (String query : QUERIES) {
            List<List<Object>> expected = run(duckdb, query);
            String difference = TpchDataset.difference(singleWorker.get(query), expected);
            if (difference != null) {
                fail("one worker: %s: %s", query, difference);
            }
            difference = TpchDataset.difference(run(glaux, query), expected);
            if (difference != null) {
                fail("three workers: %s: %s", query, difference);
            }
            try {
                ClusterChecks.assertReleased(cluster);
            }
            catch (AssertionError e) {
                throw new AssertionError("after " + query + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void joinsWithAnAggregationRunInItsStage()
            throws SQLException
    {
        for (String query : QUERIES) {
            System.out.println("=== " + query + "\n" + explain(query));
        }
        // q17: lineitem (joining part by broadcast) is hash-partitioned into the stage of the FINAL aggregation by part
        String q17 = explain(TpchDataset.query(17));
        assertThat(finalStage(q17)).doesNotContain("Join[");
        assertThat(q17).contains("distribution = PARTITIONED").contains("type = BROADCAST]");
        // q15: supplier joins the revenue aggregation in its stage
        assertThat(explain(TpchDataset.query(15))).contains("Join[type = INNER, criteria = (#0 = #2), distribution = PARTITIONED");
        // the aggregation on either side, and an outer join
        assertThat(finalStage(explain(QUERIES.get(7)))).doesNotContain("Join[");
        assertThat(finalStage(explain(QUERIES.get(8)))).doesNotContain("Join[");
        assertThat(finalStage(explain(QUERIES.get(9)))).doesNotContain("Join[");
        assertThat(explain(QUERIES.get(9))).contains("Join[type = FULL");
        // keyed by another column than the stage's partitioning: not in the stage
        assertThat(finalStage(explain(QUERIES.get(10)))).contains("Join[");
    }

    private static String finalStage(String plan)
    {
        return plan.substring(0, plan.indexOf("\nFragment ", 1));
    }

    private static List<List<Object>> run(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            return TpchDataset.rows(statement.executeQuery(sql));
        }
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
