package io.glaux.coordinator.query;

import io.glaux.engine.memory.DataSize;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one query, updated by its execution and read by the protocol layer. */
public final class QueryStats
{
    public final AtomicInteger totalSplits = new AtomicInteger();
    public final AtomicInteger completedSplits = new AtomicInteger();
    public final AtomicInteger runningSplits = new AtomicInteger();
    public final AtomicInteger nodes = new AtomicInteger();
    public final AtomicLong processedRows = new AtomicLong();
    public final AtomicLong processedBytes = new AtomicLong();
    public final AtomicLong outputRows = new AtomicLong();
    /** What the execution decided differently from the plan (a join turned round or partitioned at run time), for EXPLAIN ANALYZE. */
    public final java.util.Queue<String> runtimeDecisions = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** What the engine's execution did so far (memory, spill, stages); set when the engine starts. */
    private volatile java.util.function.Function<QueryState, Execution> execution = _ -> Execution.NONE;
    /** {@code query.max-scan-physical-bytes}: the most bytes the query's scans may return. */
    private volatile long maxProcessedBytes = Long.MAX_VALUE;
    /** Told of bytes counted after the query's scans closed; guards the late additions. */
    private final java.util.List<java.util.function.LongConsumer> lateListeners = new java.util.ArrayList<>();
    private final AtomicInteger pendingLateCounts = new AtomicInteger();

    /**
     * What the engine's operators did, on the coordinator and the workers, for the protocol's
     * {@code peakMemoryBytes}, {@code spilledBytes} and {@code rootStage}.
     *
     * @param peakMemoryBytes the most memory the query held: its peak on the coordinator plus the peaks of
     *        its operators on the workers (an upper bound where they did not peak together)
     * @param spilledBytes what its operators wrote to spill files on every node
     * @param scannedRows the rows its scan tasks read from the files, as the workers reported them at
     *        each task's end
     * @param rootStage the final stage and, nested in {@code subStages}, the stages feeding it, as the
     *        Trino protocol's {@code StageStats}; empty before the engine runs
     */
    public record Execution(long peakMemoryBytes, long spilledBytes, long scannedRows, java.util.Optional<java.util.Map<String, Object>> rootStage)
    {
        public static final Execution NONE = new Execution(0, 0, 0, java.util.Optional.empty());

        public Execution
        {
            java.util.Objects.requireNonNull(rootStage, "rootStage is null");
        }
    }

    /** What the engine did so far, its stages' states taken from the query's {@code state}. */
    public Execution execution(QueryState state)
    {
        return execution.apply(state);
    }

    /** Where {@link #execution} reads the engine's numbers from: the running engine, then a snapshot once it closed. */
    public void setExecution(java.util.function.Function<QueryState, Execution> execution)
    {
        this.execution = java.util.Objects.requireNonNull(execution, "execution is null");
    }

    public void setMaxProcessedBytes(long maxProcessedBytes)
    {
        this.maxProcessedBytes = maxProcessedBytes;
    }

    /**
     * Counts {@code bytes} more returned by the scans (what {@code processedBytes} in the protocol stats
     * and the console's "bytes scanned" show); past the limit, {@code EXCEEDED_SCAN_LIMIT} naming it.
     */
    public void addProcessedBytes(long bytes)
    {
        long total = processedBytes.addAndGet(bytes);
        if (total > maxProcessedBytes) {
            throw new GlauxException(ErrorCode.EXCEEDED_SCAN_LIMIT, "Query exceeded the bytes-scanned limit of %s (query.max-scan-physical-bytes = %d bytes): it scanned %d bytes"
                    .formatted(DataSize.format(maxProcessedBytes), maxProcessedBytes, total));
        }
    }

    /**
     * Counts {@code bytes} a scan task fetched before its stream was cancelled (a LIMIT was reached, the
     * query ended), told by its worker after the task stopped: possibly after the query answered its
     * client, so no limit applies any more. Listeners ({@link #onLateProcessedBytes}) are told, so the
     * history and the coordinator's totals are updated after the answer.
     */
    public void addLateProcessedBytes(long bytes)
    {
        if (bytes <= 0) {
            return;
        }
        java.util.List<java.util.function.LongConsumer> listeners;
        synchronized (lateListeners) {
            processedBytes.addAndGet(bytes);
            listeners = java.util.List.copyOf(lateListeners);
        }
        for (java.util.function.LongConsumer listener : listeners) {
            listener.accept(bytes);
        }
    }

    /**
     * The bytes scanned so far; {@code later} is told each {@link #addLateProcessedBytes} from then on
     * (never bytes the returned total includes).
     */
    public long processedBytesAndLater(java.util.function.LongConsumer later)
    {
        java.util.Objects.requireNonNull(later, "later is null");
        synchronized (lateListeners) {
            lateListeners.add(later);
            return processedBytes.get();
        }
    }

    /** Runs {@code listener} after each late count of bytes ({@link #addLateProcessedBytes}). */
    public void onLateProcessedBytes(Runnable listener)
    {
        java.util.Objects.requireNonNull(listener, "listener is null");
        synchronized (lateListeners) {
            lateListeners.add(_ -> listener.run());
        }
    }

    /** Late counts of cancelled tasks still asked of their workers ({@link #addLateProcessedBytes}). */
    public int pendingLateCounts()
    {
        return pendingLateCounts.get();
    }

    /** A late count starts: {@link #endLateCount} must follow. */
    public void beginLateCount()
    {
        pendingLateCounts.incrementAndGet();
    }

    /** A late count ended, with {@code bytes} more (0 when the worker did not tell). */
    public void endLateCount(long bytes)
    {
        try {
            addLateProcessedBytes(bytes);
        }
        finally {
            pendingLateCounts.decrementAndGet();
        }
    }

    /**
     * Takes back {@code bytes} counted for a task attempt that is run again elsewhere (its worker
     * withdrew): the next attempt reads and counts the same bytes, which must not count twice.
     */
    public void removeProcessedBytes(long bytes)
    {
        if (bytes > 0) {
            processedBytes.addAndGet(-bytes);
        }
    }
}
