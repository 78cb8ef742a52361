package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;

/** Opens Parquet splits stored in an {@link ObjectStore}. Thread-safe. */
public final class ParquetPageSourceFactory
        implements PageSourceFactory
{
    private final ObjectStore store;
    private final ParquetReaderOptions options;

    public ParquetPageSourceFactory(ObjectStore store)
    {
        this(store, ParquetReaderOptions.defaults());
    }

    public ParquetPageSourceFactory(ObjectStore store, int batchSize)
    {
        this(store, ParquetReaderOptions.defaults().withBatchSize(batchSize));
    }

    public ParquetPageSourceFactory(ObjectStore store, ParquetReaderOptions options)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
    }

    public ParquetReaderOptions options()
    {
        return options;
    }

    /** Nothing is fetched until the first {@link ParquetPageSource#nextBatch()}. */
    @Override
    public ParquetPageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        return new ParquetPageSource(store, options, split, columns, pruning, allocator);
    }
}
