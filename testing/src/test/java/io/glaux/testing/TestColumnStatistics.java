package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.glaux.coordinator.metadata.ColumnStatistics;
import io.glaux.coordinator.metadata.HiveTable;
import io.glaux.coordinator.metadata.TableStatistics;
import io.glaux.launcher.demo.DemoDataset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The column statistics the planner orders joins by, read from the Parquet footers of TPC-H tables in the
 * object store (scale factor 0.01): the integer, date and decimal columns' ranges, and distinct values at
 * most their non-null rows and the integers in their range.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestColumnStatistics
{
    private static final String SCHEMA = "tpch_statistics";

    private TestCluster cluster;
    private Connection glaux;
    private Connection duckdb;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        Path directory = Files.createTempDirectory("glaux-tpch-statistics");
        glaux = cluster.jdbc();
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        TpchDataset.create(glaux, duckdb, cluster.coordinator().objectStore(), DemoDataset.BUCKET, SCHEMA, directory, 0.01);
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        glaux.close();
        duckdb.close();
    }

    @Test
    void keysAreUniqueAndCodesFew()
    {
        HiveTable orders = table("orders");
        assertThat(orders.rowCount()).hasValue(15_000);
        // 15,000 order keys spread over 1..60,000: at most one per row
        ColumnStatistics orderKey = orders.columnStatistics("o_orderkey");
        assertThat(orderKey.distinctValues()).isEqualTo(15_000);
        assertThat(orderKey.min()).isEqualTo(1);
        assertThat(orderKey.max()).isEqualTo(60_000);
        assertThat(orderKey.nullFraction()).isZero();
        // customer keys 1..1,499 (a third of the customers have no orders): the range bounds them
        assertThat(orders.columnStatistics("o_custkey").distinctValues()).isLessThanOrEqualTo(1_500).isGreaterThan(1_000);
        ColumnStatistics orderDate = orders.columnStatistics("o_orderdate");
        assertThat(orderDate.min()).isGreaterThanOrEqualTo(LocalDate.parse("1992-01-01").toEpochDay());
        assertThat(orderDate.max()).isLessThanOrEqualTo(LocalDate.parse("1998-08-02").toEpochDay());
        // strings: unknown
        assertThat(orders.columnStatistics("o_comment").distinctValues()).isNaN();

        assertThat(table("customer").columnStatistics("c_nationkey")).isEqualTo(new ColumnStatistics(25, 0, 0, 24));
    }

    @Test
    void decimalsAreRangesOfTheirValues()
    {
        ColumnStatistics discount = table("lineitem").columnStatistics("l_discount");
        assertThat(discount.min()).isZero();
        assertThat(discount.max()).isCloseTo(0.10, within(1e-9));
        // 0.00, 0.01, ... 0.10
        assertThat(discount.distinctValues()).isEqualTo(11);
    }

    @Test
    void theMetastoresColumnStatisticsComeFirst()
            throws SQLException
    {
        // Hive's column statistics, as ANALYZE in Hive, Spark or Trino writes them: a string's distinct values (unknown
        // from the footers), and a range narrower than the footers' (the metastore's word is taken)
        cluster.coordinator().catalog().setColumnStatistics(SCHEMA, "part", Map.of(
                "p_brand", new io.glaux.catalog.model.ColumnStatistics(OptionalLong.of(25), OptionalLong.of(0), OptionalDouble.empty(), OptionalDouble.empty()),
                "p_size", new io.glaux.catalog.model.ColumnStatistics(OptionalLong.of(40), OptionalLong.of(500), OptionalDouble.of(2), OptionalDouble.of(41))));
        HiveTable part = table("part");
        assertThat(part.rowCount()).hasValue(2_000);
        assertThat(part.columnStatistics("p_brand")).isEqualTo(new ColumnStatistics(25, 0, Double.NaN, Double.NaN));
        assertThat(part.columnStatistics("p_size")).isEqualTo(new ColumnStatistics(40, 0.25, 2, 41));
        // without them, from the footers: a string is unknown, p_size is 1..50
        assertThat(part.columnStatistics("p_type").distinctValues()).isNaN();
        assertThat(part.columnStatistics("p_partkey")).isEqualTo(new ColumnStatistics(2_000, 0, 1, 2_000));

        // SHOW STATS FOR shows them as Trino does (the row count is the metastore's numRows, which this table has not)
        try (var statement = glaux.createStatement(); var result = statement.executeQuery("SHOW STATS FOR " + SCHEMA + ".part")) {
            Map<String, List<String>> rows = new java.util.HashMap<>();
            while (result.next()) {
                rows.put(result.getString(1), List.of(String.valueOf(result.getObject(3)), String.valueOf(result.getObject(4)),
                        String.valueOf(result.getObject(6)), String.valueOf(result.getObject(7))));
            }
            assertThat(rows.get("p_brand")).containsExactly("25.0", "null", "null", "null");
            assertThat(rows.get("p_size")).containsExactly("40.0", "null", "2", "41");
            assertThat(rows.get("p_type")).containsExactly("null", "null", "null", "null");
        }
    }

    @Test
    void analyzeWritesTheStatisticsThePlannerAndShowStatsRead()
            throws SQLException
    {
        try (var statement = glaux.createStatement()) {
            // an update, as in Trino: its count is the rows analyzed
            assertThat(statement.executeUpdate("ANALYZE " + SCHEMA + ".supplier")).isEqualTo(100);
            // in the metastore, where Hive, Spark and Trino read them too
            var table = cluster.coordinator().catalog().getTable(SCHEMA, "supplier").orElseThrow();
            assertThat(table.parameters()).containsEntry("numRows", "100");
            var written = cluster.coordinator().catalog().getColumnStatistics(SCHEMA, "supplier", List.of("s_suppkey", "s_nationkey", "s_acctbal", "s_name"));
            assertThat(written.get("s_nationkey")).isEqualTo(new io.glaux.catalog.model.ColumnStatistics(OptionalLong.of(25), OptionalLong.of(0), OptionalDouble.of(0), OptionalDouble.of(24)));
            // approx_distinct's estimate, at most the rows
            assertThat(written.get("s_suppkey").distinctValues().getAsLong()).isBetween(95L, 100L);
            assertThat(written.get("s_suppkey").min()).hasValue(1);
            assertThat(written.get("s_suppkey").max()).hasValue(100);
            assertThat(written.get("s_name").distinctValues().getAsLong()).isBetween(95L, 100L);
            assertThat(written.get("s_name").min()).isEmpty();
            var balances = rowOf(statement, "SELECT CAST(min(s_acctbal) AS double), CAST(max(s_acctbal) AS double) FROM " + SCHEMA + ".supplier");
            assertThat(written.get("s_acctbal").min()).hasValue(Double.parseDouble(balances.get(0)));
            assertThat(written.get("s_acctbal").max()).hasValue(Double.parseDouble(balances.get(1)));

            // SHOW STATS FOR and the planner's statistics read them
            Map<String, List<String>> stats = new java.util.HashMap<>();
            try (var result = statement.executeQuery("SHOW STATS FOR " + SCHEMA + ".supplier")) {
                while (result.next()) {
                    stats.put(String.valueOf(result.getString(1)), List.of(String.valueOf(result.getObject(3)), String.valueOf(result.getObject(4)),
                            String.valueOf(result.getObject(5)), String.valueOf(result.getObject(6)), String.valueOf(result.getObject(7))));
                }
            }
            assertThat(stats.get("s_nationkey")).containsExactly("25.0", "0.0", "null", "0", "24");
            assertThat(stats.get("null")).containsExactly("null", "null", "100.0", "null", "null");
            HiveTable supplier = table("supplier");
            assertThat(supplier.rowCount()).hasValue(100);
            assertThat(supplier.columnStatistics("s_name").distinctValues()).isBetween(95.0, 100.0);

            assertThatThrownBy(() -> statement.execute("ANALYZE " + SCHEMA + ".nope"))
                    .hasMessageContaining("Table 'hive." + SCHEMA + ".nope' does not exist");
        }
    }

    private static List<String> rowOf(java.sql.Statement statement, String sql)
            throws SQLException
    {
        try (var result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            List<String> row = new java.util.ArrayList<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                row.add(result.getString(i));
            }
            return row;
        }
    }

    private HiveTable table(String name)
    {
        var table = cluster.coordinator().catalog().getTable(SCHEMA, name).orElseThrow();
        // time enough to read every footer, however busy the machine
        return new HiveTable("hive", table, new TableStatistics(cluster.coordinator().objectStore(), cluster.coordinator().catalog(),
                java.util.concurrent.TimeUnit.SECONDS.toNanos(60)));
    }
}
