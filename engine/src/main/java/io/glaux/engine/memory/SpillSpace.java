package io.glaux.engine.memory;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes written to spill files, under a limit: a node's space ({@code spill.max-size}) holds one space per
 * query running there ({@code query.max-spill-per-node}). A spilling operator counts each file's bytes as
 * it writes them; a write that takes a query or the node past its limit fails the query with
 * {@code EXCEEDED_SPILL_LIMIT} (the write that crosses it has happened: the limit is exceeded by at most
 * one batch). A query's bytes return to the node when its space is closed, which its owner does once the
 * query's spill folder is deleted. Bytes are counted as written, not as still on disk: an operator that
 * reads back and deletes a file does not get its bytes back, so the limit bounds the disk a query uses.
 * Thread-safe.
 */
public final class SpillSpace
        implements AutoCloseable
{
    private final String limitName;
    private final long limit;
    private final SpillSpace parent;
    private final AtomicLong used = new AtomicLong();
    private boolean closed;

    private SpillSpace(String limitName, long limit, SpillSpace parent)
    {
        this.limitName = requireNonNull(limitName, "limitName is null");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
        this.parent = parent;
    }

    /** A node's space: {@code limit} bytes for all its queries' spill files, named {@code limitName} in errors. */
    public static SpillSpace node(String limitName, long limit)
    {
        return new SpillSpace(limitName, limit, null);
    }

    /** No limit (a query whose node does not bound spilling, tests). */
    public static SpillSpace unlimited()
    {
        return new SpillSpace("unlimited", Long.MAX_VALUE, null);
    }

    /** A query's space on this node, at most {@code limit} bytes of it (and of what the node has left). */
    public SpillSpace forQuery(String limitName, long limit)
    {
        return new SpillSpace(limitName, limit, this);
    }

    public long limit()
    {
        return limit;
    }

    /** Bytes counted here now. */
    public long usedBytes()
    {
        return used.get();
    }

    /**
     * Counts {@code bytes} just written by {@code operator}; throws {@code EXCEEDED_SPILL_LIMIT} naming the
     * limit and the operator when that takes this space (or its node's) past its limit.
     */
    public void add(String operator, long bytes)
    {
        requireNonNull(operator, "operator is null");
        if (bytes <= 0) {
            return;
        }
        long total = used.addAndGet(bytes);
        if (parent != null) {
            // the node's bytes count too: the file stays on disk until the query ends
            parent.add(operator, bytes);
        }
        if (total > limit) {
            throw new GlauxException(ErrorCode.EXCEEDED_SPILL_LIMIT, "Query exceeded the spill limit of %s (%s = %d bytes): %s spilled %s more, %s in all"
                    .formatted(DataSize.format(limit), limitName, limit, operator, DataSize.format(bytes), DataSize.format(total)));
        }
    }

    /** Gives this space's bytes back to its node (its files are deleted); idempotent. */
    @Override
    public void close()
    {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long bytes = used.getAndSet(0);
        if (parent != null && bytes > 0) {
            parent.used.addAndGet(-bytes);
        }
    }
}
