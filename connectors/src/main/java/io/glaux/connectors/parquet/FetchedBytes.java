package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.s3.ByteRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The byte ranges of one object fetched so far for a row group (they may overlap), plus the file's
 * tail fetched with the footer. Not thread-safe.
 */
final class FetchedBytes
{
    private final NavigableMap<Long, byte[]> buffers = new TreeMap<>();
    private final long tailOffset;
    private final byte[] tail;

    FetchedBytes(long tailOffset, byte[] tail)
    {
        this.tailOffset = tailOffset;
        this.tail = requireNonNull(tail, "tail is null");
    }

    void add(long offset, byte[] bytes)
    {
        byte[] previous = buffers.get(offset);
        if (previous == null || previous.length < bytes.length) {
            buffers.put(offset, bytes);
        }
    }

    /** The fetched buffers by offset (without the tail). */
    Map<Long, byte[]> buffers()
    {
        return new TreeMap<>(buffers);
    }

    /** The parts of {@code ranges} that are neither fetched nor in the tail. */
    List<ByteRange> missing(List<ByteRange> ranges)
    {
        List<ByteRange> missing = new ArrayList<>();
        for (ByteRange range : ranges) {
            long position = range.offset();
            long end = range.end();
            while (position < end) {
                long covered = coveredUntil(position);
                if (covered > position) {
                    position = Math.min(end, covered);
                    continue;
                }
                long next = end;
                Long nextBuffer = buffers.higherKey(position);
                if (nextBuffer != null) {
                    next = Math.min(next, nextBuffer);
                }
                if (tailOffset > position) {
                    next = Math.min(next, tailOffset);
                }
                missing.add(new ByteRange(position, next - position));
                position = next;
            }
        }
        return missing;
    }

    /** Bytes of the object: {@code bytes[offset, offset + length)}. */
    record View(byte[] bytes, int offset, int length) {}

    /**
     * The {@code length} bytes at {@code offset} of the object, which must have been fetched: in place
     * when one buffer (or the tail) holds them all, else a copy.
     */
    View view(long offset, int length)
    {
        if (offset >= tailOffset && offset - tailOffset + length <= tail.length) {
            return new View(tail, (int) (offset - tailOffset), length);
        }
        Map.Entry<Long, byte[]> buffer = covering(offset);
        if (buffer != null && offset + length <= buffer.getKey() + buffer.getValue().length) {
            return new View(buffer.getValue(), (int) (offset - buffer.getKey()), length);
        }
        return new View(slice(offset, length), 0, length);
    }

    /** A copy of {@code length} bytes at {@code offset}, which must have been fetched. */
    byte[] slice(long offset, int length)
    {
        byte[] result = new byte[length];
        int done = 0;
        while (done < length) {
            long position = offset + done;
            if (position >= tailOffset) {
                int n = length - done;
                if (position - tailOffset + n > tail.length) {
                    throw new IllegalStateException("bytes [%d, %d) are past the end of the file".formatted(offset, offset + length));
                }
                System.arraycopy(tail, (int) (position - tailOffset), result, done, n);
                return result;
            }
            Map.Entry<Long, byte[]> buffer = covering(position);
            if (buffer == null) {
                throw new IllegalStateException("bytes at offset %d were not fetched".formatted(position));
            }
            int from = (int) (position - buffer.getKey());
            int n = Math.min(length - done, buffer.getValue().length - from);
            System.arraycopy(buffer.getValue(), from, result, done, n);
            done += n;
        }
        return result;
    }

    /** The end of the fetched bytes that cover {@code position}, or {@code position} when none do. */
    private long coveredUntil(long position)
    {
        if (position >= tailOffset && position < tailOffset + tail.length) {
            return tailOffset + tail.length;
        }
        Map.Entry<Long, byte[]> buffer = covering(position);
        return buffer == null ? position : buffer.getKey() + buffer.getValue().length;
    }

    private Map.Entry<Long, byte[]> covering(long position)
    {
        // buffers may overlap: the nearest start below may be a short one inside a longer buffer
        for (Map.Entry<Long, byte[]> entry : buffers.headMap(position, true).descendingMap().entrySet()) {
            if (entry.getKey() + entry.getValue().length > position) {
                return entry;
            }
        }
        return null;
    }
}
