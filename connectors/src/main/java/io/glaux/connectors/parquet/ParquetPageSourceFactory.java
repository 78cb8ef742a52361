package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;

/**
 * Opens Parquet splits stored in an {@link ObjectStore}, keeping the footers of recently read files
 * ({@link ParquetReaderOptions#footerCacheSize()}) for the splits it opens. Thread-safe.
 */
public final class ParquetPageSourceFactory
        implements PageSourceFactory
{
    private final ObjectStore store;
    private final ParquetReaderOptions options;
    private final ParquetFooterCache footers;

    /** The worker's factory: default options, with a footer cache of {@value ParquetReaderOptions#DEFAULT_FOOTER_CACHE_SIZE} files. */
    public ParquetPageSourceFactory(ObjectStore store)
    {
        this(store, ParquetReaderOptions.defaults().withFooterCacheSize(ParquetReaderOptions.DEFAULT_FOOTER_CACHE_SIZE));
    }

    public ParquetPageSourceFactory(ObjectStore store, int batchSize)
    {
        this(store, ParquetReaderOptions.defaults().withBatchSize(batchSize));
    }

    public ParquetPageSourceFactory(ObjectStore store, ParquetReaderOptions options)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.footers = new ParquetFooterCache(options.footerCacheSize(), options.footerCacheSize() * ParquetReaderOptions.FOOTER_CACHE_BYTES_PER_ENTRY);
    }

    public ParquetReaderOptions options()
    {
        return options;
    }

    /** Nothing is fetched until the first {@link ParquetPageSource#nextBatch()}. */
    @Override
    public ParquetPageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        return new ParquetPageSource(store, options, footers, split, columns, pruning, allocator);
    }

    /** Footers served from the cache, and read from the store, so far. */
    long footerCacheHits()
    {
        return footers.hits();
    }

    long footerCacheMisses()
    {
        return footers.misses();
    }
}
