package io.glaux.connectors.parquet;

/**
 * Tuning of the Parquet reader.
 *
 * @param batchSize rows per Arrow batch (a batch never spans two row groups)
 * @param footerReadSize bytes fetched from the end of the file in the first GET; a footer larger than
 *        this costs a second GET. Files not larger than this are read in that one GET.
 * @param maxMergeGap column chunk ranges closer than this are fetched in one GET (the gap is read and dropped)
 * @param maxRequestSize longer ranges are split into GETs of at most this many bytes, fetched in parallel
 * @param prefetch whether to fetch the next row group while the current one is decoded
 * @param useColumnIndex whether to skip pages (and row groups) whose column-index min/max cannot match
 * @param useDictionary whether to skip row groups when no dictionary value of a fully dictionary-encoded column matches
 * @param useBloomFilter whether to skip row groups whose bloom filter holds none of a column's equality values
 * @param vectorized whether flat columns are decoded by {@link FlatColumnReader} where it can (else always by
 *        parquet-column's per-value {@code ColumnReader}; for comparisons)
 * @param footerCacheSize how many parsed footers a {@link ParquetPageSourceFactory} keeps (0: none, as in
 *        {@link #defaults()}, so that each split fetches its footer; the worker's factory,
 *        {@link ParquetPageSourceFactory#ParquetPageSourceFactory(io.glaux.connectors.s3.ObjectStore)}, keeps
 *        {@value #DEFAULT_FOOTER_CACHE_SIZE}); footers of up to
 *        {@value #FOOTER_CACHE_BYTES_PER_ENTRY} bytes per entry on average are kept
 * @param useValueFilter whether an equality/IN filter on a column that is not dictionary-encoded (an id)
 *        is checked on that column's decoded values before the other columns are fetched: row groups
 *        without a match are skipped, and in the others only the matching rows of the other columns are decoded
 */
public record ParquetReaderOptions(int batchSize, int footerReadSize, long maxMergeGap, long maxRequestSize, boolean prefetch,
        boolean useColumnIndex, boolean useDictionary, boolean useBloomFilter, boolean vectorized, int footerCacheSize, boolean useValueFilter)
{
    public static final int DEFAULT_BATCH_SIZE = 8192;
    public static final int DEFAULT_FOOTER_READ_SIZE = 64 * 1024;
    public static final long DEFAULT_MAX_MERGE_GAP = 1024 * 1024;
    public static final long DEFAULT_MAX_REQUEST_SIZE = 8 * 1024 * 1024;
    public static final int DEFAULT_FOOTER_CACHE_SIZE = 1000;
    public static final long FOOTER_CACHE_BYTES_PER_ENTRY = 128 * 1024;

    public ParquetReaderOptions
    {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        if (footerReadSize < 16) {
            throw new IllegalArgumentException("footerReadSize must be at least 16: " + footerReadSize);
        }
        if (maxMergeGap < 0) {
            throw new IllegalArgumentException("maxMergeGap must not be negative: " + maxMergeGap);
        }
        if (maxRequestSize < 1 || maxRequestSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("bad maxRequestSize: " + maxRequestSize);
        }
        if (footerCacheSize < 0) {
            throw new IllegalArgumentException("footerCacheSize must not be negative: " + footerCacheSize);
        }
    }

    public static ParquetReaderOptions defaults()
    {
        return new ParquetReaderOptions(DEFAULT_BATCH_SIZE, DEFAULT_FOOTER_READ_SIZE, DEFAULT_MAX_MERGE_GAP, DEFAULT_MAX_REQUEST_SIZE, true, true, true, true, true, 0, true);
    }

    public ParquetReaderOptions withBatchSize(int batchSize)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withFooterReadSize(int footerReadSize)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withMaxMergeGap(long maxMergeGap)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withMaxRequestSize(long maxRequestSize)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withPrefetch(boolean prefetch)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withValueFilter(boolean useValueFilter)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withColumnIndex(boolean useColumnIndex)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withDictionary(boolean useDictionary)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withBloomFilter(boolean useBloomFilter)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withVectorized(boolean vectorized)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }

    public ParquetReaderOptions withFooterCacheSize(int footerCacheSize)
    {
        return new ParquetReaderOptions(batchSize, footerReadSize, maxMergeGap, maxRequestSize, prefetch, useColumnIndex, useDictionary, useBloomFilter, vectorized, footerCacheSize, useValueFilter);
    }
}
