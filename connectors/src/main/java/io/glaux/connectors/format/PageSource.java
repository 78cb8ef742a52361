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

    /**
     * Asks for column {@code column} (a varchar column, read for nothing but its values' identity, such as
     * the only group-by key) as {@link DictionaryIds} where its data is dictionary-encoded: then, for such
     * a batch, {@link #dictionaryIds} returns the ids and the batch's vector of the column is all NULL
     * (not the values). Call before the first batch. Returns whether the source may do so; the default
     * never does. Batches whose data is not dictionary-encoded still carry the values.
     */
    default boolean requestDictionaryIds(int column)
    {
        return false;
    }

    /**
     * The ids of column {@code column} in the last batch returned by {@link #nextBatch()}, or null when
     * that batch's vector holds the values (always, unless {@link #requestDictionaryIds} was granted).
     */
    default DictionaryIds dictionaryIds(int column)
    {
        return null;
    }

    /** Bytes fetched from the object store so far. */
    long bytesRead();

    /** Rows produced so far (after row-group and page skipping, before the engine's filter). */
    long rowsRead();

    @Override
    void close();
}
