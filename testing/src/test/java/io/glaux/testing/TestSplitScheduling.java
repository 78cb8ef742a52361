package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How a scan finds its splits: a {@code "$path"} filter stats the named objects (HEAD) instead of
 * listing, a {@code "$path" LIKE} prefix lists only that prefix, many small objects are listed page by
 * page into few tasks, a scan of footers only runs one task per worker, and listing failures still
 * fail the query clearly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestSplitScheduling
{
    private static final int SMALL_OBJECTS = 2_000;
    private static final int ROWS_PER_OBJECT = 50;
    private static final String TABLE_PATH = "s3://" + DemoDataset.BUCKET + "/" + DemoDataset.PREFIX;

    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        var store = cluster.coordinator().objectStore();
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(Database.named("splits"), true);
        // 2,000 CSV objects of 50 lines (about 1 KB) each: id, object number
        try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
            for (int object = 0; object < SMALL_OBJECTS; object++) {
                int number = object;
                executor.submit(() -> {
                    StringBuilder text = new StringBuilder();
                    for (int row = 0; row < ROWS_PER_OBJECT; row++) {
                        text.append(number * ROWS_PER_OBJECT + row).append(',').append(number).append('\n');
                    }
                    store.put(DemoDataset.BUCKET, "small/part-%05d.csv".formatted(number), text.toString().getBytes(StandardCharsets.UTF_8));
                });
            }
        }
        catalog.createTable(Table.external("splits", "small", List.of(new Column("id", Type.BIGINT), new Column("object", Type.INTEGER)), List.of(),
                StorageFormat.TEXTFILE.withSerdeParameters(Map.of("field.delim", ",")), "s3://" + DemoDataset.BUCKET + "/small/", Map.of()), true);
        catalog.createTable(Table.external("splits", "missing_bucket", List.of(new Column("id", Type.BIGINT)), List.of(),
                StorageFormat.TEXTFILE, "s3://no-such-bucket-here/data/", Map.of()), true);
    }

    @Test
    void pathEqualityStatsTheObjectInsteadOfListing()
            throws SQLException
    {
        List<String> paths = strings("SELECT DISTINCT \"$path\" FROM access_logs WHERE dt = '2024-03-02'");
        assertThat(paths).hasSize(2).allMatch(path -> path.startsWith(TABLE_PATH + "dt=2024-03-02/"));

        ObjectStoreStats before = stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE \"$path\" = '" + paths.getFirst() + "'")).isEqualTo(20_000);
        ObjectStoreStats used = stats().minus(before);
        assertThat(used.lists()).isZero();
        assertThat(used.heads()).isEqualTo(1);

        // an IN list; a path outside the table and one of a missing object are not read
        before = stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE \"$path\" IN ('%s', '%s', 's3://elsewhere/x.parquet', '%sdt=2024-03-01/nothing.parquet')"
                .formatted(paths.get(0), paths.get(1), TABLE_PATH))).isEqualTo(40_000);
        used = stats().minus(before);
        assertThat(used.lists()).isZero();
        assertThat(used.heads()).isEqualTo(3);

        // partition values still come from the object's partition
        assertThat(strings("SELECT DISTINCT CAST(dt AS varchar) FROM access_logs WHERE \"$path\" = '" + paths.getFirst() + "'")).containsExactly("2024-03-02");
        // a partition filter that excludes the path's partition: nothing to read
        before = stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE dt = '2024-03-01' AND \"$path\" = '" + paths.getFirst() + "'")).isZero();
        assertThat(stats().minus(before).heads()).isZero();
    }

    @Test
    void pathPrefixListsOnlyThatPrefix()
            throws SQLException
    {
        ObjectStoreStats before = stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE \"$path\" LIKE '" + TABLE_PATH + "dt=2024-03-03/%'")).isEqualTo(40_000);
        assertThat(stats().minus(before).lists()).isEqualTo(1);

        before = stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE \"$path\" LIKE 's3://elsewhere/%'")).isZero();
        assertThat(stats().minus(before).lists()).isZero();
    }

    @Test
    void smallObjectsArePackedIntoFewTasks()
            throws SQLException
    {
        long tasksBefore = workerTasks();
        long start = System.nanoTime();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT count(*), sum(id), count(DISTINCT object) FROM splits.small")) {
            assertThat(resultSet.next()).isTrue();
            long rows = (long) SMALL_OBJECTS * ROWS_PER_OBJECT;
            assertThat(resultSet.getLong(1)).isEqualTo(rows);
            assertThat(resultSet.getLong(2)).isEqualTo(rows * (rows - 1) / 2);
            assertThat(resultSet.getLong(3)).isEqualTo(SMALL_OBJECTS);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long tasks = workerTasks() - tasksBefore;
        System.out.printf("%d small objects: %d ms, %d tasks%n", SMALL_OBJECTS, millis, tasks);
        // 2 workers × 2 slots × 2 equal tasks a slot once the listing is over, plus the few formed during it
        assertThat(tasks).isBetween(4L, 64L);

        // rows, not only aggregates: every line of every object once
        assertThat(count("SELECT count(*) FROM (SELECT DISTINCT id FROM splits.small)")).isEqualTo((long) SMALL_OBJECTS * ROWS_PER_OBJECT);
    }

    @Test
    void smallLimitWithoutFilterRunsOneTask()
            throws SQLException
    {
        long tasksBefore = workerTasks();
        assertThat(count("SELECT count(*) FROM (SELECT * FROM access_logs LIMIT 100)")).isEqualTo(100);
        // six objects, but their first one holds the rows: one task, not one per slot
        assertThat(workerTasks() - tasksBefore).isEqualTo(1);
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT * FROM access_logs LIMIT 100")) {
            int rows = 0;
            while (resultSet.next()) {
                rows++;
            }
            assertThat(rows).isEqualTo(100);
        }
    }

    @Test
    void scanOfFootersOnlyRunsOneTaskPerWorker()
            throws SQLException
    {
        // count(*) reads no column of the files, only their footers' row counts: one task per worker
        // holding its share of the objects, not one task per object
        long tasksBefore = workerTasks();
        assertThat(count("SELECT count(*) FROM access_logs")).isEqualTo(120_000);
        assertThat(workerTasks() - tasksBefore).isBetween(1L, (long) cluster.workers().size());
        assertThat(strings("SELECT CAST(count(*) AS varchar) FROM access_logs GROUP BY dt ORDER BY 1")).hasSize(3).containsOnly("40000");
    }

    @Test
    void listingFailureFailsTheQuery()
    {
        assertThatThrownBy(() -> count("SELECT count(*) FROM splits.missing_bucket"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Bucket 'no-such-bucket-here' does not exist");
    }

    private long workerTasks()
    {
        return cluster.workers().stream().mapToLong(worker -> worker.server().stats().tasksStarted()).sum();
    }

    private ObjectStoreStats stats()
    {
        return cluster.coordinator().objectStore().stats();
    }

    private List<String> strings(String sql)
            throws SQLException
    {
        List<String> values = new ArrayList<>();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                values.add(resultSet.getString(1));
            }
        }
        values.sort(null);
        return values;
    }

    private long count(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }
}
