package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
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
    private static final Map<String, Table> TABLES = Map.of(
            "nation", table("nation", 25, List.of(new Column("n_nationkey", Type.BIGINT), new Column("n_name", Type.VARCHAR))),
            "supplier", table("supplier", 10_000, List.of(new Column("s_suppkey", Type.BIGINT), new Column("s_nationkey", Type.BIGINT), new Column("s_name", Type.VARCHAR))),
            "customer", table("customer", 150_000, List.of(new Column("c_custkey", Type.BIGINT), new Column("c_nationkey", Type.BIGINT), new Column("c_name", Type.VARCHAR))),
            "orders", table("orders", 1_500_000, List.of(new Column("o_orderkey", Type.BIGINT), new Column("o_custkey", Type.BIGINT), new Column("o_orderdate", Type.DATE))),
            "lineitem", table("lineitem", 6_000_000, List.of(new Column("l_orderkey", Type.BIGINT), new Column("l_suppkey", Type.BIGINT),
                    new Column("l_quantity", Type.BIGINT), new Column("l_comment", Type.VARCHAR))),
            "mystery", table("mystery", -1, List.of(new Column("u_key", Type.BIGINT))));

    private final TableStatistics statistics = new TableStatistics(null);
    private final QueryPlanner planner;

    TestJoinPlanning()
    {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        root.add("hive", new HiveCatalogSchema("hive", new TablesCatalog(), Optional.empty(), statistics));
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

    /** The catalog API over in-memory table definitions: the planner reads nothing else. */
    private static final class TablesCatalog
            implements Catalog
    {
        @Override
        public List<String> listSchemas()
        {
            return List.of("tpch");
        }

        @Override
        public Optional<Database> getSchema(String name)
        {
            return name.equals("tpch") ? Optional.of(Database.named("tpch")) : Optional.empty();
        }

        @Override
        public List<String> listTables(String schema)
        {
            return List.copyOf(TABLES.keySet());
        }

        @Override
        public Optional<Table> getTable(String schema, String table)
        {
            return schema.equals("tpch") ? Optional.ofNullable(TABLES.get(table)) : Optional.empty();
        }

        @Override
        public List<Partition> getPartitions(String schema, String table)
        {
            return List.of();
        }

        @Override
        public List<String> listPartitionNames(String schema, String table)
        {
            return List.of();
        }

        @Override
        public void createSchema(Database database, boolean ifNotExists)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dropSchema(String name, boolean ifExists, boolean cascade)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void createTable(Table table, boolean ifNotExists)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dropTable(String schema, String table, boolean ifExists)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addPartitions(String schema, String table, List<Partition> partitions, boolean ifNotExists)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void alterTable(Table table)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dropPartitions(String schema, String table, List<List<String>> partitionValues, boolean ifExists)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPartitionLocation(String schema, String table, List<String> partitionValues, String location)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close()
        {
        }
    }
}
