package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import org.apache.arrow.memory.BufferAllocator;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One operator's share of its query: its own child allocator, its heap reservation, cancellation,
 * spilling and statistics. Created by whoever builds the operator tree; the operator closes it in its
 * own {@link Operator#close()}.
 */
public final class OperatorContext
        implements AutoCloseable
{
    private final QueryContext query;
    private final String name;
    private final BufferAllocator allocator;
    private final OperatorStats stats = new OperatorStats();
    private long heapBytes;
    private boolean closed;

    /** @param name the operator and its plan node, for errors and EXPLAIN ANALYZE: {@code HashJoin[3]} */
    public OperatorContext(QueryContext query, String name)
    {
        this.query = requireNonNull(query, "query is null");
        this.name = requireNonNull(name, "name is null");
        this.allocator = query.memory().newConsumer(name);
    }

    /** A context over a private query with the given limit (tests and benchmarks). Closing the context does not close the query. */
    public static OperatorContext forTesting(BufferAllocator root, long limit, Optional<Path> spillDirectory)
    {
        QueryMemoryContext memory = new QueryMemoryContext("test", new MemoryPool(Long.MAX_VALUE / 4), limit, root);
        return new OperatorContext(new QueryContext(memory, spillDirectory, new QueryContext.Cancellation(), SpillSpace.unlimited(), 1, new ConcurrentHashMap<>()), "test");
    }

    public String name()
    {
        return name;
    }

    public QueryContext query()
    {
        return query;
    }

    public BufferAllocator allocator()
    {
        return allocator;
    }

    public OperatorStats stats()
    {
        return stats;
    }

    /** Sets the heap bytes this operator holds (hash tables, arrays); throws EXCEEDED_MEMORY_LIMIT past the query's limit. */
    public void setHeapBytes(long bytes)
    {
        query.memory().updateHeap(name, bytes - heapBytes);
        heapBytes = bytes;
        stats.recordMemory(allocator.getAllocatedMemory() + heapBytes);
    }

    /** As {@link #setHeapBytes} but returns false (and changes nothing) instead of throwing: the cue to spill. */
    public boolean trySetHeapBytes(long bytes)
    {
        if (!query.memory().tryUpdateHeap(name, bytes - heapBytes)) {
            return false;
        }
        heapBytes = bytes;
        stats.recordMemory(allocator.getAllocatedMemory() + heapBytes);
        return true;
    }

    /** Bytes this operator holds: its Arrow buffers and its reported heap. */
    public long reservedBytes()
    {
        return allocator.getAllocatedMemory() + heapBytes;
    }

    /** How many more bytes the query may take on this node before an allocation fails. */
    public long availableBytes()
    {
        return query.memory().availableBytes();
    }

    /** The least an operator holds before it spills because its query nears its limit ({@link #exceedsSpillShare}). */
    public static final long MIN_SPILL_BYTES = 1L << 20;

    /**
     * Whether an operator that can spill should, holding {@code bytes}: past half the query's limit on
     * this node (divided among the query's tasks running side by side here), or, holding at least
     * {@link #MIN_SPILL_BYTES}, once the query holds three quarters of its limit here, so that other
     * operators and the batches in flight between them keep their room.
     */
    public boolean exceedsSpillShare(long bytes)
    {
        if (spillDirectory().isEmpty()) {
            return false;
        }
        long limit = query.memory().limit();
        // its share of half the limit; or, holding a spill's worth, when the query as a whole nears its
        // limit (tasks counted when they started may share the node with more): the other consumers
        // (exchange buffers, scan pipelines) cannot spill, and must find room
        return bytes > limit / 2 / query.tasks() || bytes >= MIN_SPILL_BYTES && query.memory().reservedBytes() > limit / 4 * 3;
    }

    /**
     * Counts {@code bytes} this operator just wrote to a spill file, in its statistics and against the
     * query's spill limits; throws {@code EXCEEDED_SPILL_LIMIT} past one.
     */
    public void addSpilledBytes(long bytes)
    {
        stats.addSpilledBytes(bytes);
        query.spillSpace().add(name, bytes);
    }

    /** Where to spill, if spilling is enabled. */
    public Optional<Path> spillDirectory()
    {
        return query.spillDirectory();
    }

    /** Throws USER_CANCELED once the query is cancelled; call it in long loops. */
    public void checkCancelled()
    {
        query.cancellation().check();
    }

    /** Releases the heap reservation and closes the allocator (Arrow reports buffers still open). */
    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        stats.recordMemory(allocator.getAllocatedMemory() + heapBytes);
        query.memory().updateHeap(name, -heapBytes);
        heapBytes = 0;
        allocator.close();
    }
}
