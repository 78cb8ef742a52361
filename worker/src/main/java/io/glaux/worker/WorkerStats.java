package io.glaux.worker;

/**
 * A snapshot of one worker's counters since it started. {@code rowsRead}/{@code bytesRead} are what
 * the page sources produced and fetched from the object store (before filtering); {@code rowsSent}/
 * {@code bytesSent} are the output sent over Flight (Arrow body bytes, before TLS/HTTP2 framing);
 * {@code spilledBytes} what the hash stages' operators wrote to spill files.
 */
public record WorkerStats(
        String nodeId,
        long tasksStarted,
        long tasksSucceeded,
        long tasksFailed,
        long tasksCancelled,
        long runningTasks,
        long splitsProcessed,
        long rowsRead,
        long bytesRead,
        long batchesSent,
        long rowsSent,
        long bytesSent,
        long spilledBytes)
{
}
