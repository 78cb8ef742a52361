package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.util.OptionalLong;

/**
 * What a scan task tells its reader besides its batches: the bytes it has fetched from the object
 * store so far (ranged GET sizes, footers included; not cached footers, not decoded Arrow bytes). A
 * worker sends it as the application metadata of a Flight message without a batch, after each split
 * and before the end of the stream; the coordinator counts it against the query's bytes-scanned limit.
 *
 * <p>Encoding: the 4 ASCII bytes {@code GSB1} followed by the count as a little-endian long.
 */
public final class TaskProgress
{
    private static final int MAGIC = 'G' | 'S' << 8 | 'B' << 16 | '1' << 24;
    private static final int SIZE = Integer.BYTES + Long.BYTES;

    private TaskProgress() {}

    /** A buffer holding {@code objectStoreBytes}, allocated from {@code allocator}; the caller (the Flight listener) owns it. */
    public static ArrowBuf encode(BufferAllocator allocator, long objectStoreBytes)
    {
        requireNonNull(allocator, "allocator is null");
        ArrowBuf buffer = allocator.buffer(SIZE);
        buffer.setInt(0, MAGIC);
        buffer.setLong(Integer.BYTES, objectStoreBytes);
        buffer.writerIndex(SIZE);
        return buffer;
    }

    /** The count in {@code metadata}, or empty when it is not a progress message. */
    public static OptionalLong decode(ArrowBuf metadata)
    {
        if (metadata == null || metadata.readableBytes() != SIZE || metadata.getInt(metadata.readerIndex()) != MAGIC) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(metadata.getLong(metadata.readerIndex() + Integer.BYTES));
    }
}
