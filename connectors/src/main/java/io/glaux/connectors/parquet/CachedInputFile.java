package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.s3.ObjectStore;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * A Parquet {@link InputFile} over an object whose needed byte ranges were fetched ahead (the footer
 * tail, the current row group's column chunks). Reads are served from those buffers; a read outside
 * them falls back to a ranged GET (counted like any other fetch), so a wrong guess costs a request,
 * never wrong data. Not thread-safe.
 */
final class CachedInputFile
        implements InputFile
{
    private final ObjectStore store;
    private final String bucket;
    private final String key;
    private final long length;
    private final LongConsumer bytesFetched;
    private final NavigableMap<Long, byte[]> pinned = new TreeMap<>();
    private final NavigableMap<Long, byte[]> current = new TreeMap<>();
    private long fallbackReads;

    CachedInputFile(ObjectStore store, String bucket, String key, long length, LongConsumer bytesFetched)
    {
        this.store = requireNonNull(store, "store is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.key = requireNonNull(key, "key is null");
        this.length = length;
        this.bytesFetched = requireNonNull(bytesFetched, "bytesFetched is null");
    }

    /** Keeps these bytes for the life of the file (the tail fetched with the footer). */
    void pin(long offset, byte[] bytes)
    {
        pinned.put(offset, bytes);
    }

    /** Replaces the row-group buffers. */
    void setCurrent(Map<Long, byte[]> buffers)
    {
        current.clear();
        current.putAll(buffers);
    }

    void clearCurrent()
    {
        current.clear();
    }

    /** Reads that missed the buffers and needed their own GET. */
    long fallbackReads()
    {
        return fallbackReads;
    }

    @Override
    public long getLength()
    {
        return length;
    }

    @Override
    public SeekableInputStream newStream()
    {
        return new Stream();
    }

    @Override
    public String toString()
    {
        return "s3://" + bucket + "/" + key;
    }

    /** Copies {@code len} bytes at {@code position} into {@code target}; returns how many came from buffers. */
    private int copyFromBuffers(NavigableMap<Long, byte[]> buffers, long position, byte[] target, int offset, int len)
    {
        // buffers may overlap: the nearest start below may be a short one inside a longer buffer
        Map.Entry<Long, byte[]> entry = null;
        for (Map.Entry<Long, byte[]> candidate : buffers.headMap(position, true).descendingMap().entrySet()) {
            if (candidate.getKey() + candidate.getValue().length > position) {
                entry = candidate;
                break;
            }
        }
        if (entry == null) {
            return 0;
        }
        long start = entry.getKey();
        byte[] bytes = entry.getValue();
        int n = (int) Math.min(len, start + bytes.length - position);
        System.arraycopy(bytes, (int) (position - start), target, offset, n);
        return n;
    }

    private void readAt(long position, byte[] target, int offset, int len)
            throws IOException
    {
        if (position + len > length) {
            throw new EOFException("read of %d bytes at offset %d is past the end of %s (%d bytes)".formatted(len, position, this, length));
        }
        while (len > 0) {
            int n = copyFromBuffers(current, position, target, offset, len);
            if (n == 0) {
                n = copyFromBuffers(pinned, position, target, offset, len);
            }
            if (n == 0) {
                // not prefetched: fetch up to the next buffered range
                long end = position + len;
                Long nextCurrent = current.higherKey(position);
                Long nextPinned = pinned.higherKey(position);
                if (nextCurrent != null) {
                    end = Math.min(end, nextCurrent);
                }
                if (nextPinned != null) {
                    end = Math.min(end, nextPinned);
                }
                n = (int) (end - position);
                byte[] bytes = store.read(bucket, key, position, n);
                fallbackReads++;
                bytesFetched.accept(bytes.length);
                System.arraycopy(bytes, 0, target, offset, n);
            }
            position += n;
            offset += n;
            len -= n;
        }
    }

    private final class Stream
            extends SeekableInputStream
    {
        private long position;

        @Override
        public long getPos()
        {
            return position;
        }

        @Override
        public void seek(long newPosition)
                throws IOException
        {
            if (newPosition < 0 || newPosition > length) {
                throw new EOFException("seek to %d outside %s (%d bytes)".formatted(newPosition, CachedInputFile.this, length));
            }
            position = newPosition;
        }

        @Override
        public int read()
                throws IOException
        {
            if (position >= length) {
                return -1;
            }
            byte[] one = new byte[1];
            readAt(position, one, 0, 1);
            position++;
            return one[0] & 0xFF;
        }

        @Override
        public int read(byte[] bytes, int offset, int len)
                throws IOException
        {
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            readAt(position, bytes, offset, n);
            position += n;
            return n;
        }

        @Override
        public void readFully(byte[] bytes)
                throws IOException
        {
            readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int offset, int len)
                throws IOException
        {
            readAt(position, bytes, offset, len);
            position += len;
        }

        @Override
        public int read(ByteBuffer buffer)
                throws IOException
        {
            if (!buffer.hasRemaining()) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(buffer.remaining(), length - position);
            readInto(buffer, n);
            return n;
        }

        @Override
        public void readFully(ByteBuffer buffer)
                throws IOException
        {
            readInto(buffer, buffer.remaining());
        }

        private void readInto(ByteBuffer buffer, int n)
                throws IOException
        {
            if (buffer.hasArray()) {
                readAt(position, buffer.array(), buffer.arrayOffset() + buffer.position(), n);
                buffer.position(buffer.position() + n);
            }
            else {
                byte[] bytes = new byte[n];
                readAt(position, bytes, 0, n);
                buffer.put(bytes);
            }
            position += n;
        }

        @Override
        public void close() {}
    }
}
