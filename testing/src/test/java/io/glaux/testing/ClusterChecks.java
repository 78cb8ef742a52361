package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.worker.WorkerMain;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Checks the cluster tests share: every node released what a query held; a query's rows as strings. */
final class ClusterChecks
{
    private ClusterChecks() {}

    /** Waits (up to 30 s) until no node holds query memory, Arrow buffers, output buffers or running tasks, then asserts it. */
    static void assertReleased(TestCluster cluster)
            throws InterruptedException
    {
        await(() -> cluster.coordinator().reservedQueryMemory() == 0);
        for (WorkerMain.Handle worker : cluster.workers()) {
            await(() -> worker.server().reservedQueryMemory() == 0
                    && worker.server().allocatedMemory() == 0
                    && worker.server().outputBuffers() == 0
                    && worker.server().runningTasks() == 0);
            assertThat(worker.server().reservedQueryMemory()).as(worker.server().nodeId()).isZero();
            assertThat(worker.server().allocatedMemory()).as(worker.server().nodeId()).isZero();
            assertThat(worker.server().outputBuffers()).as(worker.server().nodeId()).isZero();
            assertThat(worker.server().runningTasks()).as(worker.server().nodeId()).isZero();
        }
        assertThat(cluster.coordinator().reservedQueryMemory()).isZero();
    }

    /** The rows of {@code sql}, each value as the driver's string. */
    static List<List<String>> rows(TestCluster cluster, String sql)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            while (resultSet.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= metaData.getColumnCount(); i++) {
                    row.add(resultSet.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Waits up to 30 s for {@code condition} (the caller asserts what it waited for). */
    static void await(BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
