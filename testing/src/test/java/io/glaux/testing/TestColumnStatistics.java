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

    private HiveTable table(String name)
    {
        var table = cluster.coordinator().catalog().getTable(SCHEMA, name).orElseThrow();
        // time enough to read every footer, however busy the machine
        return new HiveTable("hive", table, new TableStatistics(cluster.coordinator().objectStore(), java.util.concurrent.TimeUnit.SECONDS.toNanos(60)));
    }
}
