package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.PartitionedOutputBuffer;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output buffers of the stages running on this worker, by query and stage. A buffer is created by
 * whichever comes first: a producer task, a consumer's fetch or the coordinator's "no more input"; it
 * holds one task's share of its query's memory (so the query's memory lives as long as the buffer) and
 * is removed, freed and its memory released once every consumer read its partition or the stage was
 * aborted. An aborted stage is remembered (the most recent {@value #REMEMBERED_ABORTS}) so that a
 * task arriving late cannot create a buffer nobody would free. Thread-safe.
 */
final class ExchangeBuffers
{
    private static final int REMEMBERED_ABORTS = 4096;

    private final QueryMemories memories;
    private final Map<String, PartitionedOutputBuffer> buffers = new HashMap<>();
    private final Map<String, Boolean> aborted = new LinkedHashMap<>(16, 0.75f, false)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest)
        {
            return size() > REMEMBERED_ABORTS;
        }
    };

    ExchangeBuffers(QueryMemories memories)
    {
        this.memories = requireNonNull(memories, "memories is null");
    }

    /** Buffered bytes allowed per stage and worker: a share of the query's limit, 1MB to 32MB. */
    static long maxBufferedBytes(long queryLimit)
    {
        return Math.clamp(queryLimit / 16, 1L << 20, 32L << 20);
    }

    /** The output buffer of stage {@code stageId} of the query, created if needed. Throws once the query was aborted. */
    synchronized PartitionedOutputBuffer get(String queryId, int stageId, int partitionCount, List<Type> types)
    {
        String key = key(queryId, stageId);
        if (aborted.containsKey(key)) {
            throw new GlauxException(ErrorCode.USER_CANCELED, "Stage " + stageId + " of query " + queryId + " was aborted");
        }
        PartitionedOutputBuffer buffer = buffers.get(key);
        if (buffer != null) {
            if (buffer.partitionCount() != partitionCount || !buffer.types().equals(types)) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Output buffer of stage " + stageId + " of query " + queryId
                        + " has " + buffer.partitionCount() + " partitions of " + buffer.types() + ", not " + partitionCount + " of " + types);
            }
            return buffer;
        }
        QueryMemoryContext memory = memories.acquire(queryId);
        PartitionedOutputBuffer[] created = new PartitionedOutputBuffer[1];
        try {
            created[0] = new PartitionedOutputBuffer("query " + queryId + " stage " + stageId, partitionCount, types,
                    maxBufferedBytes(memory.limit()), memory.allocator(), () -> remove(key, created[0], queryId));
        }
        catch (RuntimeException e) {
            memories.release(queryId);
            throw e;
        }
        buffers.put(key, created[0]);
        return created[0];
    }

    /** The buffer of a stage, if it exists now. */
    synchronized PartitionedOutputBuffer find(String queryId, int stageId)
    {
        return buffers.get(key(queryId, stageId));
    }

    private void remove(String key, PartitionedOutputBuffer buffer, String queryId)
    {
        synchronized (this) {
            if (buffers.get(key) != buffer) {
                return;
            }
            buffers.remove(key);
        }
        try {
            buffer.close();
        }
        finally {
            memories.release(queryId);
        }
    }

    /** The stage's consumer ended (failed, cancelled or done): frees its buffer; producers and consumers still running fail. */
    void abortStage(String queryId, int stageId, String reason)
    {
        PartitionedOutputBuffer buffer;
        synchronized (this) {
            String key = key(queryId, stageId);
            aborted.put(key, Boolean.TRUE);
            buffer = buffers.get(key);
        }
        if (buffer != null) {
            buffer.abort(new GlauxException(ErrorCode.USER_CANCELED, reason));
        }
    }

    /**
     * Aborts every buffer that no producer added to and no consumer asked of for {@code idleNanos} up to
     * {@code nowNanos}: its query's coordinator or consumers are gone (the coordinator died mid-query,
     * a stage task was lost) and nobody else would free its memory. Returns how many were aborted.
     */
    int abortIdle(long nowNanos, long idleNanos)
    {
        Map<String, PartitionedOutputBuffer> idle = new LinkedHashMap<>();
        synchronized (this) {
            buffers.forEach((key, buffer) -> {
                if (nowNanos - buffer.lastActivityNanos() >= idleNanos) {
                    idle.put(key, buffer);
                }
            });
            idle.keySet().forEach(key -> aborted.put(key, Boolean.TRUE));
        }
        idle.forEach((key, buffer) -> buffer.abort(new GlauxException(ErrorCode.ABANDONED_QUERY, "Output buffer of " + key.replace("/", " stage ")
                + " was abandoned: no task produced or consumed for " + java.time.Duration.ofNanos(idleNanos).toSeconds() + " s")));
        return idle.size();
    }

    /** Buffers alive now. */
    synchronized int size()
    {
        return buffers.size();
    }

    /** Server shutdown: aborts every buffer. */
    void abortAll(String reason)
    {
        List<PartitionedOutputBuffer> toAbort;
        synchronized (this) {
            toAbort = List.copyOf(buffers.values());
        }
        GlauxException error = new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, reason);
        toAbort.forEach(buffer -> buffer.abort(error));
    }

    private static String key(String queryId, int stageId)
    {
        return queryId + "/" + stageId;
    }
}
