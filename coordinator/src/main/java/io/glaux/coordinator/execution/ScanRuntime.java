package io.glaux.coordinator.execution;

import io.glaux.coordinator.planner.GlauxTableScan;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;

/** Entry points called by the code Calcite generates for a {@link GlauxTableScan}. */
public final class ScanRuntime
{
    public static final String EXECUTION = "glaux.execution";

    private ScanRuntime() {}

    public static Enumerable<Object[]> scan(DataContext root, GlauxTableScan scan)
    {
        return execution(root).scan(scan).select(row -> (Object[]) row);
    }

    public static Enumerable<Object> scanScalar(DataContext root, GlauxTableScan scan)
    {
        return execution(root).scan(scan).select(row -> ((Object[]) row)[0]);
    }

    private static QueryExecution execution(DataContext root)
    {
        return (QueryExecution) root.get(EXECUTION);
    }
}
