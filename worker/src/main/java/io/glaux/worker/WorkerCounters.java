package io.glaux.worker;

import java.util.concurrent.atomic.AtomicLong;

/** The mutable counters behind {@link WorkerStats}. Thread-safe. */
final class WorkerCounters
{
    final AtomicLong tasksStarted = new AtomicLong();
    final AtomicLong tasksSucceeded = new AtomicLong();
    final AtomicLong tasksFailed = new AtomicLong();
    final AtomicLong tasksCancelled = new AtomicLong();
    final AtomicLong runningTasks = new AtomicLong();
    final AtomicLong splitsProcessed = new AtomicLong();
    final AtomicLong rowsRead = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong batchesSent = new AtomicLong();
    final AtomicLong rowsSent = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong spilledBytes = new AtomicLong();
    /** Tasks of hash-partitioned stages (part of tasksStarted). */
    final AtomicLong stageTasksStarted = new AtomicLong();

    WorkerStats snapshot(String nodeId)
    {
        return new WorkerStats(
                nodeId,
                tasksStarted.get(),
                tasksSucceeded.get(),
                tasksFailed.get(),
                tasksCancelled.get(),
                runningTasks.get(),
                splitsProcessed.get(),
                rowsRead.get(),
                bytesRead.get(),
                batchesSent.get(),
                rowsSent.get(),
                bytesSent.get(),
                spilledBytes.get());
    }
}
