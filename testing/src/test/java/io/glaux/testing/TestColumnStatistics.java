package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
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

    private HiveTable table(String name)
    {
        var table = cluster.coordinator().catalog().getTable(SCHEMA, name).orElseThrow();
        // time enough to read every footer, however busy the machine
        return new HiveTable("hive", table, new TableStatistics(cluster.coordinator().objectStore(), cluster.coordinator().catalog(),
                java.util.concurrent.TimeUnit.SECONDS.toNanos(60)));
    }
}
