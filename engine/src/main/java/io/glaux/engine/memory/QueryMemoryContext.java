package io.glaux.engine.memory;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.AllocationListener;
import org.apache.arrow.memory.BufferAllocator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One query's memory on one node: an Arrow allocator (a child of the node's) whose every allocation is
 * checked against the query's limit and the node's {@link MemoryPool}, plus the heap bytes operators
 * report. Going over either fails the allocation with {@code EXCEEDED_MEMORY_LIMIT}, naming the limit
 * and the largest consumers; the query fails, the node goes on. {@link #close()} returns everything to
 * the pool. Thread-safe.
 */
public final class QueryMemoryContext
        implements AutoCloseable
{
    private final String queryId;
    private final MemoryPool pool;
    private final long limit;
    private final String limitName;
    private final BufferAllocator allocator;
    private final AtomicLong heapBytes = new AtomicLong();
    /** Arrow bytes this context has reserved from the pool (tracks the allocator's total). */
    private final AtomicLong poolArrowBytes = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final Map<String, AtomicLong> heapByConsumer = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public QueryMemoryContext(String queryId, MemoryPool pool, long limit, BufferAllocator nodeAllocator)
    {
        this(queryId, pool, limit, "", nodeAllocator);
    }

    /** {@code limitName} says where the limit comes from in the error ({@code session property query_max_memory}); empty for the node's. */
    public QueryMemoryContext(String queryId, MemoryPool pool, long limit, String limitName, BufferAllocator nodeAllocator)
    {
        this.limitName = requireNonNull(limitName, "limitName is null");
        this.queryId = requireNonNull(queryId, "queryId is null");
        this.pool = requireNonNull(pool, "pool is null");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
        this.allocator = nodeAllocator.newChildAllocator("query " + queryId, new Listener(), 0, Long.MAX_VALUE);
    }

    public String queryId()
    {
        return queryId;
    }

    public long limit()
    {
        return limit;
    }

    /** The query's allocator; operators take child allocators of it (see {@link #newConsumer}). */
    public BufferAllocator allocator()
    {
        return allocator;
    }

    /** A child allocator for one operator, named for error messages ({@code HashJoin[3]}). */
    public BufferAllocator newConsumer(String name)
    {
        return allocator.newChildAllocator(name, 0, Long.MAX_VALUE);
    }

    /** Arrow and heap bytes held now. */
    public long reservedBytes()
    {
        return allocator.getAllocatedMemory() + heapBytes.get();
    }

    public long peakBytes()
    {
        return Math.max(peak.get(), reservedBytes());
    }

    /** How many more bytes the query may take before it hits its limit (or the node's pool is full). */
    public long availableBytes()
    {
        long byQuery = limit - reservedBytes();
        long byPool = pool.maxBytes() - pool.reservedBytes();
        return Math.max(0, Math.min(byQuery, byPool));
    }

    /**
     * Changes the heap bytes {@code consumer} holds by {@code delta}; throws EXCEEDED_MEMORY_LIMIT (and
     * changes nothing) when growing past the limit.
     */
    public void updateHeap(String consumer, long delta)
    {
        if (!tryUpdateHeap(consumer, delta)) {
            throw exceeded(consumer, delta);
        }
    }

    /** As {@link #updateHeap} but returns false instead of throwing. */
    public boolean tryUpdateHeap(String consumer, long delta)
    {
        if (delta == 0) {
            return true;
        }
        if (delta > 0) {
            if (reservedBytes() + delta > limit) {
                return false;
            }
            if (!pool.tryReserve(delta)) {
                return false;
            }
        }
        else {
            pool.add(delta);
        }
        heapBytes.addAndGet(delta);
        heapByConsumer.computeIfAbsent(consumer, ignored -> new AtomicLong()).addAndGet(delta);
        peak.accumulateAndGet(reservedBytes(), Math::max);
        return true;
    }

    private GlauxException exceeded(String consumer, long delta)
    {
        boolean byQuery = reservedBytes() + delta > limit;
        String what = byQuery
                ? "Query exceeded per-node memory limit of " + DataSize.format(limit) + (limitName.isEmpty() ? "" : " (" + limitName + ")")
                : "Query exceeded the node's memory pool of " + DataSize.format(pool.maxBytes()) + " (shared by all queries on the node)";
        return new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT,
                what + " [Allocated: " + DataSize.format(reservedBytes()) + ", Delta: " + DataSize.format(delta)
                        + ", Operator: " + consumer + ", Top Consumers: " + topConsumers() + "]");
    }

    /** The largest consumers, largest first: {@code {HashJoin[3]=120MB, Sort[5]=20MB}}. */
    public String topConsumers()
    {
        Map<String, Long> bytes = new java.util.HashMap<>();
        for (BufferAllocator child : allocator.getChildAllocators()) {
            bytes.merge(child.getName(), child.getAllocatedMemory(), Long::sum);
        }
        heapByConsumer.forEach((name, value) -> bytes.merge(name, value.get(), Long::sum));
        List<Map.Entry<String, Long>> top = bytes.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(3)
                .toList();
        return top.stream().map(entry -> entry.getKey() + "=" + DataSize.format(entry.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /**
     * Frees the query's memory: its heap reservations and its allocator. Buffers still open (a leak)
     * are reported by Arrow's exception after everything else is released.
     */
    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        long heap = heapBytes.getAndSet(0);
        heapByConsumer.clear();
        pool.add(-heap);
        try {
            allocator.close();
        }
        finally {
            pool.add(-poolArrowBytes.getAndSet(0));
        }
    }

    /** Sees every Arrow allocation of the query (its children included) before and after it happens. */
    private final class Listener
            implements AllocationListener
    {
        @Override
        public void onPreAllocation(long size)
        {
            if (allocator == null) {
                return;
            }
            if (allocator.getAllocatedMemory() + heapBytes.get() + size > limit
                    || pool.reservedBytes() + size > pool.maxBytes()) {
                throw exceeded("Arrow buffers", size);
            }
        }

        @Override
        public void onAllocation(long size)
        {
            syncPool();
        }

        @Override
        public void onRelease(long size)
        {
            syncPool();
        }

        /** Brings the pool's share of this query's Arrow memory up to date with the allocator. */
        private synchronized void syncPool()
        {
            if (allocator == null || closed) {
                return;
            }
            long now = allocator.getAllocatedMemory();
            pool.add(now - poolArrowBytes.getAndSet(now));
            peak.accumulateAndGet(now + heapBytes.get(), Math::max);
        }
    }
}
