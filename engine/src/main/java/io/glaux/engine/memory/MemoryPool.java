package io.glaux.engine.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's memory for queries: Arrow buffers and the heap structures operators report. Each query on
 * the node draws on it through a {@link QueryMemoryContext}; a query that would take the pool over
 * {@link #maxBytes()} fails, so the node itself never runs out. Thread-safe.
 */
public final class MemoryPool
{
    private final long maxBytes;
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    public MemoryPool(long maxBytes)
    {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The default size of a node's pool: what the JVM can hold of both heap and direct memory, less a
     * share for everything that is not a query (buffers in flight, caches, the server itself).
     */
    public static long defaultMaxBytes()
    {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = DirectMemory.maxDirectMemory();
        return Math.max(64L << 20, (long) (Math.min(heap, direct) * 0.7));
    }

    public long maxBytes()
    {
        return maxBytes;
    }

    public long reservedBytes()
    {
        return reserved.get();
    }

    public long peakBytes()
    {
        return peak.get();
    }

    /** Reserves {@code bytes} (negative frees); false, reserving nothing, if that would exceed the pool. */
    boolean tryReserve(long bytes)
    {
        while (true) {
            long current = reserved.get();
            long next = current + bytes;
            if (bytes > 0 && next > maxBytes) {
                return false;
            }
            if (reserved.compareAndSet(current, next)) {
                peak.accumulateAndGet(next, Math::max);
                return true;
            }
        }
    }

    /** Adds {@code bytes} (negative frees) even past the maximum: for memory already allocated. */
    void add(long bytes)
    {
        peak.accumulateAndGet(reserved.addAndGet(bytes), Math::max);
    }
}
