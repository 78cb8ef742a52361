package io.glaux.worker;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The object store bytes each task that ended here recently fetched, for a coordinator that cancelled
 * the task's stream early (a LIMIT was reached, the query ended) and so never received its last progress
 * report: it asks for them ({@code DoAction("task-bytes")}) so that the query's bytes scanned count what
 * was fetched. Entries are kept for {@link #RETENTION}.
 */
final class EndedTasks
{
    static final Duration RETENTION = Duration.ofMinutes(2);

    private record Ended(long bytes, long endedNanos) {}

    private final Map<String, Ended> ended = new ConcurrentHashMap<>();

    static String key(String queryId, int taskId)
    {
        return queryId + "/" + taskId;
    }

    /** Records that the task ended having fetched {@code objectStoreBytes}, and wakes those waiting for it. */
    void ended(String queryId, int taskId, long objectStoreBytes)
    {
        long now = System.nanoTime();
        for (Iterator<Ended> entries = ended.values().iterator(); entries.hasNext(); ) {
            if (now - entries.next().endedNanos() > RETENTION.toNanos()) {
                entries.remove();
            }
        }
        ended.put(key(queryId, taskId), new Ended(objectStoreBytes, now));
        synchronized (this) {
            notifyAll();
        }
    }

    /** The bytes the task fetched once it has ended, waiting for at most {@code timeout}; empty when it did not end by then. */
    OptionalLong await(String key, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                Ended entry = ended.get(key);
                if (entry != null) {
                    return OptionalLong.of(entry.bytes());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return OptionalLong.empty();
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
