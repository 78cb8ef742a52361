package io.glaux.cli.protocol;

/**
 * Progress of a statement as the coordinator reports it with every page. Counters the server does not
 * send are zero.
 */
public record StatementStats(
        String state,
        boolean queued,
        boolean scheduled,
        Double progressPercentage,
        Double runningPercentage,
        int nodes,
        int totalSplits,
        int queuedSplits,
        int runningSplits,
        int completedSplits,
        long cpuTimeMillis,
        long wallTimeMillis,
        long queuedTimeMillis,
        long elapsedTimeMillis,
        long processedRows,
        long processedBytes,
        long physicalInputBytes,
        long peakMemoryBytes,
        long spilledBytes)
{
    /** Stats for a query the client has not heard about yet. */
    public static StatementStats unknown()
    {
        return new StatementStats("QUEUED", true, false, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
