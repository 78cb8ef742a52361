package io.glaux.connectors.s3;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The bytes {@code [start, end)} of an object as a stream of ranged GETs, so that no more than two
 * chunks are ever in memory however large the object is. Up to {@code readaheadLimit} the stream reads
 * ahead: while the caller consumes one chunk, the next is fetched on a virtual thread. Past that limit
 * (a text split's end, after which only the rest of one line is wanted) chunks are fetched only when
 * needed, starting at 64 KiB and doubling up to the chunk size.
 *
 * <p>Object-store failures are the {@link ObjectStore}'s {@link GlauxException}s (unchecked, naming
 * the object and offset). Not thread-safe.
 */
public final class ObjectInputStream
        extends InputStream
{
    public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
    private static final int MIN_TAIL_CHUNK = 64 * 1024;

    private final ObjectStore store;
    private final String bucket;
    private final String key;
    private final long end;
    private final int chunkSize;
    private final long readaheadLimit;

    private byte[] chunk = new byte[0];
    private int chunkPosition;
    /** Object offset of {@code chunk[0]}. */
    private long chunkOffset;
    /** Object offset of the first byte not fetched or being fetched. */
    private long nextFetch;
    private int tailChunk = MIN_TAIL_CHUNK;
    private FutureTask<byte[]> readahead;
    private long bytesFetched;
    private boolean closed;

    /**
     * @param start first byte
     * @param end first byte not to read (at most the object's size)
     * @param chunkSize bytes per GET
     * @param readaheadLimit offset up to which chunks are fetched ahead ({@code end} for a whole object)
     */
    public ObjectInputStream(ObjectStore store, String bucket, String key, long start, long end, int chunkSize, long readaheadLimit)
    {
        this.store = requireNonNull(store, "store is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.key = requireNonNull(key, "key is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
        }
        this.end = end;
        this.chunkSize = chunkSize;
        this.readaheadLimit = Math.min(readaheadLimit, end);
        this.chunkOffset = start;
        this.nextFetch = start;
    }

    /** The object offset of the next byte {@link #read()} returns. */
    public long position()
    {
        return chunkOffset + chunkPosition;
    }

    /** Bytes fetched from the object store so far (fetched ahead included once they arrive). */
    public long bytesFetched()
    {
        return bytesFetched;
    }

    @Override
    public int read()
    {
        if (!ensureData()) {
            return -1;
        }
        return chunk[chunkPosition++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length)
    {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        if (length == 0) {
            return 0;
        }
        if (!ensureData()) {
            return -1;
        }
        int n = Math.min(length, chunk.length - chunkPosition);
        System.arraycopy(chunk, chunkPosition, buffer, offset, n);
        chunkPosition += n;
        return n;
    }

    @Override
    public long skip(long n)
    {
        long skipped = 0;
        while (skipped < n && ensureData()) {
            int step = (int) Math.min(n - skipped, chunk.length - chunkPosition);
            chunkPosition += step;
            skipped += step;
        }
        return skipped;
    }

    @Override
    public int available()
    {
        return chunk.length - chunkPosition;
    }

    private boolean ensureData()
    {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
        if (chunkPosition < chunk.length) {
            return true;
        }
        long offset = chunkOffset + chunk.length;
        if (offset >= end) {
            return false;
        }
        byte[] next;
        if (readahead != null) {
            next = await(readahead);
            readahead = null;
        }
        else {
            next = fetch(offset, nextChunkLength(offset));
        }
        bytesFetched += next.length;
        chunk = next;
        chunkOffset = offset;
        chunkPosition = 0;
        if (nextFetch < readaheadLimit && nextFetch < end) {
            long start = nextFetch;
            int length = nextChunkLength(start);
            FutureTask<byte[]> task = new FutureTask<>(() -> fetch(start, length));
            readahead = task;
            Thread.ofVirtual().name("s3-readahead-" + key).start(task);
        }
        return chunk.length > 0;
    }

    /** The length of the chunk at {@code offset}, and advances {@link #nextFetch} past it. */
    private int nextChunkLength(long offset)
    {
        long length;
        if (offset < readaheadLimit) {
            // do not read ahead far past the limit: the bytes after it may not be needed at all
            length = Math.min(chunkSize, Math.max(readaheadLimit - offset, MIN_TAIL_CHUNK));
        }
        else {
            length = Math.min(tailChunk, chunkSize);
            tailChunk = (int) Math.min((long) tailChunk * 2, chunkSize);
        }
        length = Math.min(length, end - offset);
        nextFetch = offset + length;
        return (int) length;
    }

    private byte[] fetch(long offset, int length)
    {
        return store.read(bucket, key, offset, length);
    }

    private byte[] await(FutureTask<byte[]> task)
    {
        try {
            return task.get();
        }
        catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Interrupted while reading s3://%s/%s".formatted(bucket, key), e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Failed to read s3://%s/%s".formatted(bucket, key), e.getCause());
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        chunk = new byte[0];
        if (readahead != null) {
            readahead.cancel(true);
            readahead = null;
        }
    }
}
