package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.metadata.HiveCatalogSchema;
import io.glaux.coordinator.metadata.TableStatistics;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.type.Type;
import org.apache.calcite.jdbc.CalciteSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Join order, build sides and distribution follow the tables' row counts (here the metastore's
 * {@code numRows}, as ANALYZE or Spark write them), whatever the FROM order.
 */
class TestJoinPlanning
{
    private static final List<Table> TABLES = List.of(
            table("nation", 25, List.of(new Column("n_nationkey", Type.BIGINT), new Column("n_name", Type.VARCHAR))),
            table("supplier", 10_000, List.of(new Column("s_suppkey", Type.BIGINT), new Column("s_nationkey", Type.BIGINT), new Column("s_name", Type.VARCHAR))),
            table("customer", 150_000, List.of(new Column("c_custkey", Type.BIGINT), new Column("c_nationkey", Type.BIGINT), new Column("c_name", Type.VARCHAR))),
            table("orders", 1_500_000, List.of(new Column("o_orderkey", Type.BIGINT), new Column("o_custkey", Type.BIGINT), new Column("o_orderdate", Type.DATE))),
            table("lineitem", 6_000_000, List.of(new Column("l_orderkey", Type.BIGINT), new Column("l_suppkey", Type.BIGINT),
                    new Column("l_quantity", Type.BIGINT), new Column("l_comment", Type.VARCHAR))),
            table("mystery", -1, List.of(new Column("u_key", Type.BIGINT))),
            // TPC-H at scale factor 1 with the column statistics Glaux estimates from Parquet footers: the keys' ranges
            // (l_orderkey's 1..6,000,000 look unique; o_orderkey's 1.5M keys are spread over the same range)
            table("sf1", "region", 5, Map.of("r_regionkey", range(5, 0, 4)), "r_name"),
            table("sf1", "nation", 25, Map.of("n_nationkey", range(25, 0, 24), "n_regionkey", range(5, 0, 4)), "n_name"),
            table("sf1", "supplier", 10_000, Map.of("s_suppkey", range(10_000, 1, 10_000), "s_nationkey", range(25, 0, 24)), "s_name"),
            table("sf1", "customer", 150_000, Map.of("c_custkey", range(150_000, 1, 150_000), "c_nationkey", range(25, 0, 24)), "c_mktsegment"),
            table("sf1", "orders", 1_500_000, Map.of("o_orderkey", range(1_500_000, 1, 6_000_000), "o_custkey", range(149_999, 1, 149_999),
                    "o_orderdate", range(2_406, 8_035, 10_440)), "o_orderpriority"),
            table("sf1", "lineitem", 6_000_000, Map.of("l_orderkey", range(6_000_000, 1, 6_000_000), "l_partkey", range(200_000, 1, 200_000),
                    "l_suppkey", range(10_000, 1, 10_000), "l_shipdate", range(2_526, 8_037, 10_562), "l_extendedprice", range(6_000_000, 90_000, 10_494_950),
                    "l_discount", range(11, 0, 10), "l_quantity", range(50, 1, 50)), "l_comment"),
            table("sf1", "part", 200_000, Map.of("p_partkey", range(200_000, 1, 200_000)), "p_name", "p_type"),
            table("sf1", "partsupp", 800_000, Map.of("ps_partkey", range(200_000, 1, 200_000), "ps_suppkey", range(10_000, 1, 10_000),
                    "ps_supplycost", range(800_000, 100, 100_000)), "ps_comment"));

    private final TableStatistics statistics = new TableStatistics(null);
    private final QueryPlanner planner;

    TestJoinPlanning()
    {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        root.add("hive", new HiveCatalogSchema("hive", new TablesCatalog(TABLES), Optional.empty(), statistics));
        planner = new QueryPlanner(root);
    }

    @Test
    void theSmallerTableIsBroadcastWhicheverSideItIsWritten()
    {
        for (String sql : List.of(
                "SELECT count(*) FROM nation n JOIN supplier s ON s.s_nationkey = n.n_nationkey",
                "SELECT count(*) FROM supplier s JOIN nation n ON s.s_nationkey = n.n_nationkey")) {
            PhysicalPlanner.EnginePlan plan = plan(sql);
            assertThat(plan.stages()).as(sql).isEmpty();
            PhysicalPlanner.ScanStage probe = plan.scans().values().stream().filter(PhysicalPlanner::joinsBroadcast).findFirst().orElseThrow();
            assertThat(table(probe)).as(sql).isEqualTo("supplier");
            int build = PhysicalPlanner.broadcastStage(probe.pipeline().orElseThrow()).orElseThrow();
            assertThat(table(plan.scans().get(build))).as(sql).isEqualTo("nation");
        }
    }

    @Test
    void twoLargeTablesArePartitionedWithTheSmallerBuilt()
    {
        for (String sql : List.of(
                "SELECT count(*) FROM orders o JOIN lineitem l ON l.l_orderkey = o.o_orderkey",
                "SELECT count(*) FROM lineitem l JOIN orders o ON l.l_orderkey = o.o_orderkey")) {
            PhysicalPlanner.EnginePlan plan = plan(sql);
            assertThat(plan.stages()).as(sql).hasSize(1);
            PhysicalPlanner.PartitionedStage stage = plan.stages().values().iterator().next();
            // the build side is the first input
            assertThat(table(plan.scans().get(stage.inputs().get(0).stage()))).as(sql).isEqualTo("orders");
            assertThat(table(plan.scans().get(stage.inputs().get(1).stage()))).as(sql).isEqualTo("lineitem");
        }
    }

    @Test
    void aSelectiveFilterMakesALargeTableBroadcastable()
    {
        // 1.5M orders are too many to broadcast; those of one order key are few
        PhysicalPlanner.EnginePlan plan = plan("SELECT count(*) FROM lineitem l JOIN orders o ON l.l_orderkey = o.o_orderkey WHERE o.o_custkey = 42 AND o.o_orderkey = 7");
        assertThat(plan.stages()).isEmpty();
        PhysicalPlanner.ScanStage probe = plan.scans().values().stream().filter(PhysicalPlanner::joinsBroadcast).findFirst().orElseThrow();
        assertThat(table(probe)).isEqualTo("lineitem");
    }

    @Test
    void joinsAreOrderedBySizeNotByTheFromClause()
    {
        String plan = planner.plan("SELECT n.n_name, sum(l.l_quantity) FROM nation n, customer c, orders o, lineitem l, supplier s "
                + "WHERE c.c_nationkey = n.n_nationkey AND o.o_custkey = c.c_custkey AND l.l_orderkey = o.o_orderkey AND l.l_suppkey = s.s_suppkey "
                + "AND s.s_nationkey = n.n_nationkey GROUP BY n.n_name", "hive", "tpch").explain();
        // every join has a condition, and each join's right (build) input is estimated smaller than its left
        assertThat(plan).doesNotContain("condition=[true]");
        List<String> scanned = scannedTables(plan);
        assertThat(scanned).hasSize(5);
        // the largest table is the probe side at the bottom of the tree, read first; customer joins after the orders that lead to it
        assertThat(scanned.getFirst()).as(plan).isEqualTo("lineitem");
        assertThat(scanned.indexOf("customer")).as(plan).isGreaterThan(scanned.indexOf("orders"));
    }

    @Test
    void customersMeetSuppliersOfTheirNationOnlyThroughTheirLineItems()
    {
        // TPC-H q5: joining customers with the suppliers of their nation first makes 150,000 x 2,000 / 5 rows
        String plan = explainSf1("""
                SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
                FROM customer, orders, lineitem, supplier, nation, region
                WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey AND c_nationkey = s_nationkey
                  AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'ASIA'
                  AND o_orderdate >= DATE '1994-01-01' AND o_orderdate < DATE '1995-01-01'
                GROUP BY n_name ORDER BY revenue DESC""");
        assertThat(plan).doesNotContain("condition=[true]");
        for (java.util.Set<String> join : joins(plan)) {
            if (join.contains("customer") && join.contains("supplier")) {
                assertThat(join).as(plan).contains("lineitem");
            }
        }
        // the line items meet a year of orders (with their customers) or the region's suppliers first
        java.util.Set<String> first = joins(plan).stream().filter(join -> join.contains("lineitem")).min(java.util.Comparator.comparing(java.util.Set::size)).orElseThrow();
        assertThat(first).as(plan).containsAnyOf("orders", "supplier");
        if (first.contains("customer")) {
            assertThat(first).as(plan).contains("orders");
        }
    }

    @Test
    void filteredDimensionsAreJoinedBeforeTheFacts()
    {
        // TPC-H q8: two years of orders of one region's customers, or one part type (a string: 15% as Calcite guesses), shrink
        // the line items first; customers meet suppliers only through the line items
        String plan = explainSf1("""
                SELECT extract(YEAR FROM o_orderdate) AS o_year, sum(l_extendedprice * (1 - l_discount))
                FROM part, supplier, lineitem, orders, customer, nation n1, nation n2, region
                WHERE p_partkey = l_partkey AND s_suppkey = l_suppkey AND l_orderkey = o_orderkey AND o_custkey = c_custkey
                  AND c_nationkey = n1.n_nationkey AND n1.n_regionkey = r_regionkey AND r_name = 'AMERICA' AND s_nationkey = n2.n_nationkey
                  AND o_orderdate BETWEEN DATE '1995-01-01' AND DATE '1996-12-31' AND p_type = 'ECONOMY ANODIZED STEEL'
                GROUP BY 1""");
        assertThat(plan).doesNotContain("condition=[true]");
        java.util.Set<String> first = joins(plan).stream().filter(join -> join.contains("lineitem")).min(java.util.Comparator.comparing(java.util.Set::size)).orElseThrow();
        assertThat(first).as(plan).containsAnyOf("part", "orders").doesNotContain("supplier");
        for (java.util.Set<String> join : joins(plan)) {
            if (join.contains("customer") && join.contains("supplier")) {
                assertThat(join).as(plan).contains("lineitem", "orders");
            }
        }
    }

    @Test
    void aCompositeKeyMeetsItsTableOnce()
    {
        // TPC-H q9: partsupp's (partkey, suppkey) is a key: joined with the line items it keeps their number
        String plan = explainSf1("""
                SELECT n_name, extract(YEAR FROM o_orderdate), sum(l_extendedprice * (1 - l_discount) - ps_supplycost * l_quantity)
                FROM part, supplier, lineitem, partsupp, orders, nation
                WHERE s_suppkey = l_suppkey AND ps_suppkey = l_suppkey AND ps_partkey = l_partkey AND p_partkey = l_partkey
                  AND o_orderkey = l_orderkey AND s_nationkey = n_nationkey AND p_name LIKE '%green%'
                GROUP BY 1, 2""");
        assertThat(plan).doesNotContain("condition=[true]");
        java.util.Set<String> first = joins(plan).stream().filter(join -> join.contains("lineitem")).min(java.util.Comparator.comparing(java.util.Set::size)).orElseThrow();
        assertThat(first).as(plan).contains("part").hasSize(2);
        // no join of partsupp with anything but what holds the line items
        for (java.util.Set<String> join : joins(plan)) {
            if (join.contains("partsupp")) {
                assertThat(join).as(plan).contains("lineitem");
            }
        }
    }

    @Test
    void aTableWithoutStatisticsIsPlannedAsWritten()
    {
        // no row count: Calcite's default (100 rows) makes it small, broadcast as before
        PhysicalPlanner.EnginePlan plan = plan("SELECT count(*) FROM lineitem l JOIN mystery u ON u.u_key = l.l_orderkey");
        PhysicalPlanner.ScanStage probe = plan.scans().values().stream().filter(PhysicalPlanner::joinsBroadcast).findFirst().orElseThrow();
        assertThat(table(probe)).isEqualTo("lineitem");
    }

    @Test
    void statisticsAreReadOnlyForPlansWithJoins()
    {
        planner.plan("SELECT l_orderkey, count(*) FROM lineitem WHERE l_quantity > 3 GROUP BY l_orderkey ORDER BY 2 DESC LIMIT 10", "hive", "tpch");
        planner.plan("SELECT * FROM orders WHERE o_custkey = 4 LIMIT 10", "hive", "tpch");
        assertThat(statistics.requests()).isZero();
        planner.plan("SELECT count(*) FROM lineitem l JOIN orders o ON l.l_orderkey = o.o_orderkey", "hive", "tpch");
        assertThat(statistics.requests()).isPositive();
    }

    private String explainSf1(String sql)
    {
        return planner.plan(sql, "hive", "sf1").explain();
    }

    private PhysicalPlanner.EnginePlan plan(String sql)
    {
        return planner.plan(sql, "hive", "tpch").engine();
    }

    private static String table(PhysicalPlanner.ScanStage stage)
    {
        return stage.scan().hiveTable().table().tableName();
    }

    /** The tables in the order the logical plan's text names them (a join's left input before its right). */
    private static List<String> scannedTables(String explain)
    {
        List<String> tables = new ArrayList<>();
        Matcher matcher = Pattern.compile("GlauxTableScan\\(table=\\[\\[hive, tpch, (\\w+)]]").matcher(explain);
        while (matcher.find()) {
            tables.add(matcher.group(1));
        }
        return tables;
    }

    private static Table table(String name, long rows, List<Column> columns)
    {
        return Table.external("tpch", name, columns, List.of(), StorageFormat.PARQUET, "s3://b/tpch/" + name + "/",
                rows < 0 ? Map.of() : Map.of("numRows", Long.toString(rows)));
    }

    /** A table whose integer columns have statistics (Spark's column statistics properties), and string columns. */
    private static Table table(String schema, String name, long rows, Map<String, long[]> statistics, String... strings)
    {
        List<Column> columns = new ArrayList<>();
        Map<String, String> parameters = new java.util.HashMap<>();
        parameters.put("numRows", Long.toString(rows));
        new java.util.TreeMap<>(statistics).forEach((column, values) -> {
            columns.add(new Column(column, column.endsWith("date") ? Type.DATE : Type.BIGINT));
            parameters.put("spark.sql.statistics.colStats." + column + ".distinctCount", Long.toString(values[0]));
            parameters.put("spark.sql.statistics.colStats." + column + ".min", column.endsWith("date") ? java.time.LocalDate.ofEpochDay(values[1]).toString() : Long.toString(values[1]));
            parameters.put("spark.sql.statistics.colStats." + column + ".max", column.endsWith("date") ? java.time.LocalDate.ofEpochDay(values[2]).toString() : Long.toString(values[2]));
        });
        for (String column : strings) {
            columns.add(new Column(column, Type.VARCHAR));
        }
        return Table.external(schema, name, columns, List.of(), StorageFormat.PARQUET, "s3://b/" + schema + "/" + name + "/", parameters);
    }

    private static long[] range(long distinct, long min, long max)
    {
        return new long[] {distinct, min, max};
    }

    /** For each join of the logical plan's text, the tables it reads. */
    private static List<java.util.Set<String>> joins(String explain)
    {
        List<String> lines = explain.lines().toList();
        List<java.util.Set<String>> joins = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("LogicalJoin")) {
                continue;
            }
            int indent = lines.get(i).indexOf('L');
            java.util.Set<String> tables = new java.util.TreeSet<>();
            for (int j = i + 1; j < lines.size() && lines.get(j).length() - lines.get(j).stripLeading().length() > indent; j++) {
                Matcher matcher = Pattern.compile("GlauxTableScan\\(table=\\[\\[hive, \\w+, (\\w+)]]").matcher(lines.get(j));
                if (matcher.find()) {
                    tables.add(matcher.group(1));
                }
            }
            joins.add(tables);
        }
        return joins;
    }
}
