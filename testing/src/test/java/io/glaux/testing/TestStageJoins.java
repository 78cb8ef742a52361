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
            // a join key that is not the stage's partitioning key: the small scan is broadcast into the stage
            "SELECT count(*), sum(a.q) FROM (SELECT l_partkey AS k, l_suppkey AS s, sum(l_quantity) AS q FROM lineitem GROUP BY l_partkey, l_suppkey) a"
                    + " JOIN supplier ON a.s = s_suppkey",
            // NOT IN with NULLs among the probe values, among the subquery's values, on both sides and with no values
            "SELECT count(*) FROM orders WHERE CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_custkey END NOT IN (SELECT c_custkey FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE o_custkey NOT IN (SELECT CASE WHEN c_custkey % 50 = 0 THEN NULL ELSE c_custkey END FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_custkey END NOT IN"
                    + " (SELECT CASE WHEN c_custkey % 50 = 0 THEN NULL ELSE c_custkey END FROM customer WHERE c_nationkey = 3)",
            "SELECT count(*) FROM orders WHERE CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_custkey END NOT IN (SELECT c_custkey FROM customer WHERE c_nationkey = 99)",
            // two aggregations partitioned on the join key: one stage runs both (inner, outer; keys in either order)
            "SELECT count(*), sum(a.q), sum(b.c) FROM " + LINEITEM_BY_PART + " a JOIN (SELECT ps_partkey AS k, count(*) AS c FROM partsupp WHERE ps_availqty < 3000 GROUP BY ps_partkey) b ON a.k = b.k",
            "SELECT count(*), count(a.k), count(b.k), sum(b.c) FROM (SELECT l_partkey AS k, sum(l_quantity) AS q FROM lineitem WHERE l_quantity < 5 GROUP BY l_partkey) a"
                    + " FULL JOIN (SELECT ps_partkey AS k, count(*) AS c FROM partsupp WHERE ps_availqty < 3000 GROUP BY ps_partkey) b ON a.k = b.k",
            "SELECT count(*), sum(a.q + b.q) FROM (SELECT l_partkey AS p, l_suppkey AS s, sum(l_quantity) AS q FROM lineitem GROUP BY l_partkey, l_suppkey) a"
                    + " JOIN (SELECT ps_suppkey AS s, ps_partkey AS p, sum(ps_availqty) AS q FROM partsupp GROUP BY ps_suppkey, ps_partkey) b ON a.s = b.s AND a.p = b.p",
            // a broadcast build side in the stage (an anti join: the stage's unmatched rows), then a join on the stage's key
            "SELECT count(*), sum(a.q) FROM (SELECT l_partkey AS k, l_suppkey AS s, sum(l_quantity) AS q FROM lineitem GROUP BY l_partkey, l_suppkey) a"
                    + " WHERE NOT EXISTS (SELECT 1 FROM supplier WHERE s_suppkey = a.s AND s_nationkey = 3)",
            // the anti join filters the customers before the nested loop join with the scalar subquery's value
            TpchDataset.query(22),
            "SELECT count(*), sum(c_acctbal) FROM customer WHERE c_acctbal > (SELECT avg(c_acctbal) FROM customer WHERE c_mktsegment = 'BUILDING')"
                    + " AND EXISTS (SELECT 1 FROM orders WHERE o_custkey = c_custkey AND o_orderpriority = '1-URGENT')");

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
        // keyed by another column than the stage's partitioning: the small scan is broadcast into the stage
        assertThat(finalStage(explain(QUERIES.get(10)))).doesNotContain("Join[");
        assertThat(explain(QUERIES.get(10))).contains("distribution = BROADCAST").contains("type = BROADCAST]");
        // ... unless the session partitions joins
        try (Statement statement = glaux.createStatement()) {
            statement.execute("SET SESSION join_distribution_type = 'PARTITIONED'");
            assertThat(finalStage(explain(QUERIES.get(10)))).contains("Join[");
        }
        finally {
            try (Statement statement = glaux.createStatement()) {
                statement.execute("RESET SESSION join_distribution_type");
            }
        }
        // q2: the cheapest cost per part is aggregated in a stage (over the star join), joined there on the part and the cost
        String q2 = explain(TpchDataset.query(2));
        assertThat(finalStage(q2)).doesNotContain("Aggregate[").doesNotContain("#1 = #5");
        assertThat(q2).contains("Aggregate[type = FINAL, keys = [#0], aggregates = [min(");
        // q11: the value per part in a stage; q20: the semi join with the parts named 'forest%' in the stage
        assertThat(finalStage(explain(TpchDataset.query(11)))).doesNotContain("Aggregate[type = FINAL, keys = [#0]");
        assertThat(finalStage(explain(TpchDataset.query(20)))).doesNotContain("type = SEMI");
        // q22: NOT EXISTS joins on the workers, below the nested loop join with the average
        assertThat(finalStage(explain(TpchDataset.query(22)))).contains("NestedLoopJoin[").doesNotContain("type = ANTI");
        assertThat(finalStage(explain(QUERIES.get(20)))).contains("NestedLoopJoin[").doesNotContain("type = SEMI");
        // two stages joined on their partitioning keys become one stage (keys in either order)
        for (int query = 15; query <= 17; query++) {
            String plan = explain(QUERIES.get(query));
            assertThat(finalStage(plan)).as(QUERIES.get(query)).doesNotContain("Join[");
            assertThat(plan.split("\\[HASH\\]", -1)).as(QUERIES.get(query)).hasSize(2);
        }
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
