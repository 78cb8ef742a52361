package io.glaux.connectors.format;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads one split into Arrow batches whose columns are the requested {@link ColumnHandle}s, in order.
 * Not thread-safe: one reader per split per thread.
 */
public interface PageSource
        extends AutoCloseable
{
    /**
     * The next batch, or null at the end. The caller owns the returned root and must close it.
     * Failures are {@link io.glaux.spi.error.GlauxException}s naming the object (and offset).
     */
    VectorSchemaRoot nextBatch();

    /**
     * Starts fetching the first data in the background, so that a later {@link #nextBatch()} waits
     * less; may do blocking work (such as reading the footer) on the calling thread. Optional: the
     * default does nothing.
     */
    default void startReading() {}

    /** Bytes fetched from the object store so far. */
    long bytesRead();

    /** Rows produced so far (after row-group and page skipping, before the engine's filter). */
    long rowsRead();

    @Override
    void close();
}
