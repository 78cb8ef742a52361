package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import org.apache.arrow.memory.BufferAllocator;

import java.util.HashMap;
import java.util.Map;

/**
 * The memory of each query running on this worker: its tasks allocate from one
 * {@link QueryMemoryContext} (limit {@code query.max-memory-per-node}) on the worker's pool, which is
 * closed, and its memory returned, when the query's last task here ends. Thread-safe.
 */
final class QueryMemories
{
    private final MemoryPool pool;
    private final long maxMemoryPerQuery;
    private final BufferAllocator allocator;
    private final Map<String, Entry> queries = new HashMap<>();

    private static final class Entry
    {
        final QueryMemoryContext memory;
        int tasks;

        Entry(QueryMemoryContext memory)
        {
            this.memory = memory;
        }
    }

    QueryMemories(MemoryPool pool, long maxMemoryPerQuery, BufferAllocator allocator)
    {
        this.pool = requireNonNull(pool, "pool is null");
        this.maxMemoryPerQuery = maxMemoryPerQuery;
        this.allocator = requireNonNull(allocator, "allocator is null");
    }

    /** The query's memory, for one more task of it. */
    synchronized QueryMemoryContext acquire(String queryId)
    {
        return acquire(queryId, 0);
    }

    /**
     * The query's memory, for one more task of it; {@code sessionLimit}, when positive and lower than
     * {@code query.max-memory-per-node}, is the query's limit here (its session's {@code query_max_memory}).
     */
    synchronized QueryMemoryContext acquire(String queryId, long sessionLimit)
    {
        boolean bySession = sessionLimit > 0 && sessionLimit < maxMemoryPerQuery;
        Entry entry = queries.computeIfAbsent(queryId, id -> new Entry(bySession
                ? new QueryMemoryContext(id, pool, sessionLimit, "session property query_max_memory", allocator)
                : new QueryMemoryContext(id, pool, maxMemoryPerQuery, allocator)));
        entry.tasks++;
        return entry.memory;
    }

    /** One task of the query ended; the last one frees the query's memory. */
    void release(String queryId)
    {
        QueryMemoryContext toClose = null;
        synchronized (this) {
            Entry entry = queries.get(queryId);
            if (entry != null && --entry.tasks == 0) {
                queries.remove(queryId);
                toClose = entry.memory;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** Bytes held by all queries on this worker. */
    long reservedBytes()
    {
        return pool.reservedBytes();
    }
}
