package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.s3.ObjectStoreStats;
import io.glaux.worker.WorkerMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Pushdown proven by I/O: the coordinator lists only the partitions the filter keeps, and workers
 * skip row groups whose statistics exclude the filter and read only the columns the query uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPushdownToData
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
    }

    @Test
    void partitionsArePrunedBeforeListing()
            throws SQLException
    {
        ObjectStoreStats before = cluster.coordinator().objectStore().stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE dt = '2024-03-02'")).isEqualTo(40_000);
        assertThat(cluster.coordinator().objectStore().stats().minus(before).lists()).isEqualTo(1);

        // most of the partitions: one listing of the table's location finds them all, instead of one per partition
        before = cluster.coordinator().objectStore().stats();
        assertThat(count("SELECT count(*) FROM access_logs")).isEqualTo(120_000);
        assertThat(cluster.coordinator().objectStore().stats().minus(before).lists()).isEqualTo(1);
        before = cluster.coordinator().objectStore().stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE dt >= '2024-03-02'")).isEqualTo(80_000);
        assertThat(cluster.coordinator().objectStore().stats().minus(before).lists()).isEqualTo(1);

        before = cluster.coordinator().objectStore().stats();
        assertThat(count("SELECT count(*) FROM access_logs WHERE dt > '2024-03-09'")).isZero();
        assertThat(cluster.coordinator().objectStore().stats().minus(before).lists()).isZero();
    }

    @Test
    void partitionProjectionListsOnlyProjectedPrefixes()
            throws SQLException
    {
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(io.glaux.catalog.model.Database.named("projected"), true);
        var logs = catalog.getTable("web", "access_logs").orElseThrow();
        catalog.createTable(io.glaux.catalog.model.Table.external("projected", "access_logs", logs.dataColumns(), logs.partitionColumns(),
                logs.storage(), logs.location(), java.util.Map.of(
                        "projection.enabled", "true",
                        "projection.dt.type", "date",
                        "projection.dt.range", "2024-03-01,2024-03-05",
                        "projection.dt.format", "yyyy-MM-dd")), true);
        assertThat(catalog.getPartitions("projected", "access_logs")).isEmpty();

        ObjectStoreStats before = cluster.coordinator().objectStore().stats();
        assertThat(count("SELECT count(*) FROM projected.access_logs WHERE dt = '2024-03-02'")).isEqualTo(40_000);
        assertThat(cluster.coordinator().objectStore().stats().minus(before).lists()).isEqualTo(1);

        before = cluster.coordinator().objectStore().stats();
        assertThat(count("SELECT count(*) FROM projected.access_logs WHERE dt >= '2024-03-02'")).isEqualTo(80_000);
        // 2024-03-02 .. 2024-03-05: four projected prefixes, two of them empty
        assertThat(cluster.coordinator().objectStore().stats().minus(before).lists()).isEqualTo(4);
    }

    @Test
    void rowGroupStatisticsAndProjectionLimitWhatIsRead()
            throws SQLException
    {
        assertThat(rowsDecoded("SELECT count(ts) FROM access_logs")).isEqualTo(120_000);
        // ts rises within each file (two files a day): one hour of one day lies in one file's row groups
        assertThat(rowsDecoded("SELECT count(ts) FROM access_logs WHERE ts >= TIMESTAMP '2024-03-02 03:00:00' AND ts < TIMESTAMP '2024-03-02 04:00:00'"))
                .isEqualTo(20_000);
        long oneColumn = bytesRead("SELECT count(*) FROM access_logs WHERE status >= 500");
        long allColumns = bytesRead("SELECT count(*) FROM access_logs WHERE concat(url, user_agent, referrer, method, client_ip, target) IS NOT NULL AND bytes >= 0 AND latency >= 0");
        assertThat(oneColumn).isPositive().isLessThan(allColumns / 4);
    }

    @Test
    void aBroadcastJoinsBuildKeysPruneTheProbeScan()
            throws Exception
    {
        // a dimension of days: the join's build side; its keys leave one partition of the logs to read
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(io.glaux.catalog.model.Database.named("days"), true);
        for (String name : List.of("one", "none")) {
            java.nio.file.Path file = java.nio.file.Files.createTempDirectory("glaux-days").resolve(name + ".tsv");
            java.nio.file.Files.writeString(file, name.equals("one") ? "2024-03-02\tsaturday\n" : "2031-01-01\tnever\n");
            cluster.coordinator().objectStore().put(io.glaux.launcher.demo.DemoDataset.BUCKET, "days/" + name + "/days.tsv", file);
            catalog.createTable(io.glaux.catalog.model.Table.external("days", name,
                    List.of(new io.glaux.catalog.model.Column("dt", io.glaux.spi.type.Type.VARCHAR), new io.glaux.catalog.model.Column("label", io.glaux.spi.type.Type.VARCHAR)),
                    List.of(), io.glaux.catalog.model.StorageFormat.TEXTFILE.withSerdeParameters(java.util.Map.of("field.delim", "\t")),
                    "s3://" + io.glaux.launcher.demo.DemoDataset.BUCKET + "/days/" + name + "/", java.util.Map.of()), true);
        }
        long all = count("SELECT sum(bytes) FROM access_logs");
        long oneDay = count("SELECT sum(bytes) FROM access_logs WHERE dt = '2024-03-02'");
        assertThat(rowsDecoded("SELECT sum(bytes) FROM access_logs")).isEqualTo(120_000);

        // partitions: only the one the build side's key names is read (and the build side's one row), with the
        // same answer as the filter
        assertThat(rowsDecoded("SELECT sum(l.bytes) FROM access_logs l JOIN days.one d ON l.dt = d.dt")).isEqualTo(40_001);
        assertThat(count("SELECT sum(l.bytes) FROM access_logs l JOIN days.one d ON l.dt = d.dt")).isEqualTo(oneDay);
        assertThat(count("SELECT count(*) FROM access_logs l WHERE l.dt IN (SELECT dt FROM days.one)")).isEqualTo(40_000);
        // no key matches: nothing of the logs is read
        assertThat(rowsDecoded("SELECT sum(l.bytes) FROM access_logs l JOIN days.none d ON l.dt = d.dt")).isEqualTo(1);
        // a join that keeps the logs without a match reads them all
        assertThat(count("SELECT sum(l.bytes) FROM access_logs l LEFT JOIN days.one d ON l.dt = d.dt")).isEqualTo(all);
        assertThat(count("SELECT count(*) FROM access_logs l WHERE l.dt NOT IN (SELECT dt FROM days.one)")).isEqualTo(80_000);
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void aJoinsBuildKeysFilterTheProbeScansRows()
            throws Exception
    {
        // a dimension of status codes (an int column of the logs, not a partition): its keys filter the log rows in the scan
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(io.glaux.catalog.model.Database.named("codes"), true);
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("glaux-codes").resolve("codes.tsv");
        java.nio.file.Files.writeString(file, "503\tunavailable\n504\ttimeout\n");
        cluster.coordinator().objectStore().put(io.glaux.launcher.demo.DemoDataset.BUCKET, "codes/errors/codes.tsv", file);
        catalog.createTable(io.glaux.catalog.model.Table.external("codes", "errors",
                List.of(new io.glaux.catalog.model.Column("code", io.glaux.spi.type.Type.INTEGER), new io.glaux.catalog.model.Column("label", io.glaux.spi.type.Type.VARCHAR)),
                List.of(), io.glaux.catalog.model.StorageFormat.TEXTFILE.withSerdeParameters(java.util.Map.of("field.delim", "\t")),
                "s3://" + io.glaux.launcher.demo.DemoDataset.BUCKET + "/codes/errors/", java.util.Map.of()), true);
        long expected = count("SELECT count(*) FROM access_logs WHERE status IN (503, 504)");
        assertThat(expected).isPositive().isLessThan(20_000);
        String join = "SELECT l.url, l.status, e.label FROM access_logs l JOIN codes.errors e ON l.status = e.code";
        for (String distribution : List.of("AUTOMATIC", "PARTITIONED")) {
            try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION join_distribution_type = '" + distribution + "'");
                StringBuilder plan = new StringBuilder();
                try (ResultSet result = statement.executeQuery("EXPLAIN ANALYZE " + join)) {
                    while (result.next()) {
                        plan.append(result.getString(1)).append('\n');
                    }
                }
                // broadcast: the keys go to the log scan's tasks with the build rows; partitioned: the build scan's tasks
                // report them, and the log scan, which starts after the build side's, gets them
                assertThat(plan.toString()).as(distribution)
                        .contains(distribution.equals("PARTITIONED") ? "distribution = PARTITIONED" : "type = BROADCAST")
                        .contains("Run time: Scan of hive.web.access_logs: dynamic filter status in 2 values");
                // the log scan read every row, and sent on only those with the keys
                int scan = plan.indexOf("ScanFilterProject[table = hive.web.access_logs");
                java.util.regex.Matcher output = java.util.regex.Pattern.compile("Input: ([0-9,]+) rows.*Output: ([0-9,]+) rows").matcher(plan.substring(scan));
                assertThat(output.find()).isTrue();
                assertThat(Long.parseLong(output.group(1).replace(",", ""))).as(distribution).isEqualTo(120_000);
                assertThat(Long.parseLong(output.group(2).replace(",", ""))).as(distribution).isEqualTo(expected);
                long rows = 0;
                try (ResultSet result = statement.executeQuery(join)) {
                    while (result.next()) {
                        assertThat(result.getInt(2)).isIn(503, 504);
                        rows++;
                    }
                }
                assertThat(rows).as(distribution).isEqualTo(expected);
            }
        }
        // a join keeping the logs without a match filters nothing
        assertThat(count("SELECT count(*) FROM access_logs l LEFT JOIN codes.errors e ON l.status = e.code")).isEqualTo(120_000);
        ClusterChecks.assertReleased(cluster);
    }

    @Test
    void bytesScannedCountWhatTasksCancelledByALimitFetched()
            throws Exception
    {
        long before = workerStat(false);
        String sql = "SELECT url, status FROM access_logs LIMIT 50000 -- cancelled tasks";
        long rows = 0;
        try (java.sql.Connection connection = cluster.jdbc();
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows++;
            }
        }
        assertThat(rows).isEqualTo(50_000);
        io.glaux.coordinator.query.Query query = cluster.coordinator().queryManager().all().stream()
                .filter(candidate -> candidate.sql().equals(sql)).findFirst().orElseThrow();
        // the LIMIT is reached before every task ended: the coordinator cancelled the others' streams,
        // and still counts every byte the workers fetched for the query
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (query.stats().processedBytes.get() != workerStat(false) - before
                || cluster.workers().stream().anyMatch(worker -> worker.server().runningTasks() > 0)) {
            assertThat(System.nanoTime()).as("bytes scanned %s, fetched %s", query.stats().processedBytes.get(), workerStat(false) - before).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(query.stats().processedBytes.get()).isPositive();
    }

    @Test
    void aLimitQueryAnswersBeforeTheBytesOfCancelledTasksAreTold()
            throws Exception
    {
        // every worker holds its answers about cancelled tasks (up to WorkerClient.TASK_BYTES_WAIT, as
        // for a task slow to stop): the client gets its rows while the coordinator still waits for them
        List<AutoCloseable> holds = new java.util.ArrayList<>();
        io.glaux.coordinator.query.Query answered = null;
        long before = workerStat(false);
        try {
            for (WorkerMain.Handle worker : cluster.workers()) {
                holds.add(worker.server().holdTaskBytesAnswers());
            }
            // a query whose LIMIT is reached while other tasks still stream; a few tries, as a task may end first
            for (int attempt = 0; attempt < 5 && answered == null; attempt++) {
                awaitNoRunningTasks();
                before = workerStat(false);
                String sql = "SELECT url, status FROM access_logs LIMIT 50000 -- answered early " + attempt;
                long rows = 0;
                try (Connection connection = cluster.jdbc();
                        Statement statement = connection.createStatement();
                        ResultSet result = statement.executeQuery(sql)) {
                    while (result.next()) {
                        rows++;
                    }
                }
                assertThat(rows).isEqualTo(50_000);
                io.glaux.coordinator.query.Query query = cluster.coordinator().queryManager().all().stream()
                        .filter(candidate -> candidate.sql().equals(sql)).findFirst().orElseThrow();
                assertThat(query.state()).isEqualTo(io.glaux.coordinator.query.QueryState.FINISHED);
                if (query.stats().pendingLateCounts() > 0) {
                    answered = query;
                }
            }
            assertThat(answered).as("a LIMIT query answered while the bytes of its cancelled tasks were still asked for").isNotNull();
        }
        finally {
            for (AutoCloseable hold : holds) {
                hold.close();
            }
        }
        // then the bytes come: the query's statistics and its history count every byte the workers fetched
        io.glaux.coordinator.query.Query query = answered;
        long fetchedBefore = before;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (query.stats().pendingLateCounts() > 0
                || query.stats().processedBytes.get() != workerStat(false) - fetchedBefore
                || cluster.workers().stream().anyMatch(worker -> worker.server().runningTasks() > 0)
                || cluster.coordinator().history().get(query.id()).map(io.glaux.coordinator.console.HistoryEntry::bytesScanned).orElse(-1L) != query.stats().processedBytes.get()) {
            assertThat(System.nanoTime()).as("bytes scanned %s, fetched %s, in the history %s", query.stats().processedBytes.get(), workerStat(false) - fetchedBefore,
                    cluster.coordinator().history().get(query.id())).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(query.stats().processedBytes.get()).isPositive();
    }

    private void awaitNoRunningTasks()
    {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (cluster.workers().stream().anyMatch(worker -> worker.server().runningTasks() > 0)) {
            assertThat(System.nanoTime()).as("the workers' tasks end").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    private long rowsDecoded(String sql)
            throws SQLException
    {
        long before = workerStat(true);
        count(sql);
        return workerStat(true) - before;
    }

    private long bytesRead(String sql)
            throws SQLException
    {
        long before = workerStat(false);
        count(sql);
        return workerStat(false) - before;
    }

    private long workerStat(boolean rows)
    {
        long total = 0;
        for (WorkerMain.Handle worker : cluster.workers()) {
            total += rows ? worker.server().stats().rowsRead() : worker.server().stats().bytesRead();
        }
        return total;
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
