package io.glaux.connectors.line;

/**
 * Tuning of the line-oriented readers.
 *
 * @param batchSize at most this many rows per Arrow batch
 * @param maxBatchBytes a batch ends early once its lines add up to this many bytes
 * @param readChunkSize bytes per ranged GET (two chunks at most are in memory per reader)
 * @param maxLineLength a longer line is a {@code BAD_DATA} error
 */
public record LineReaderOptions(int batchSize, int maxBatchBytes, int readChunkSize, int maxLineLength)
{
    public static final int DEFAULT_BATCH_SIZE = 8192;
    public static final int DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_READ_CHUNK_SIZE = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_LINE_LENGTH = 100 * 1024 * 1024;

    public LineReaderOptions
    {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatchBytes must be positive: " + maxBatchBytes);
        }
        if (readChunkSize < 1) {
            throw new IllegalArgumentException("readChunkSize must be positive: " + readChunkSize);
        }
        if (maxLineLength < 1 || maxLineLength > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("bad maxLineLength: " + maxLineLength);
        }
    }

    public static LineReaderOptions defaults()
    {
        return new LineReaderOptions(DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCH_BYTES, DEFAULT_READ_CHUNK_SIZE, DEFAULT_MAX_LINE_LENGTH);
    }

    public LineReaderOptions withBatchSize(int batchSize)
    {
        return new LineReaderOptions(batchSize, maxBatchBytes, readChunkSize, maxLineLength);
    }

    public LineReaderOptions withMaxBatchBytes(int maxBatchBytes)
    {
        return new LineReaderOptions(batchSize, maxBatchBytes, readChunkSize, maxLineLength);
    }

    public LineReaderOptions withReadChunkSize(int readChunkSize)
    {
        return new LineReaderOptions(batchSize, maxBatchBytes, readChunkSize, maxLineLength);
    }

    public LineReaderOptions withMaxLineLength(int maxLineLength)
    {
        return new LineReaderOptions(batchSize, maxBatchBytes, readChunkSize, maxLineLength);
    }
}
