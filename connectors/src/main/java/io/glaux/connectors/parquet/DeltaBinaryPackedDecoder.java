package io.glaux.connectors.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes a whole DELTA_BINARY_PACKED stream (INT32 and INT64 values; the lengths of
 * DELTA_LENGTH_BYTE_ARRAY and the prefix lengths of DELTA_BYTE_ARRAY) into a {@code long[]}: the
 * header ({@code <block size> <miniblocks per block> <value count> <first value>}), then blocks of
 * {@code <min delta> <one bit width per miniblock> <miniblocks>}, each miniblock's deltas unpacked and
 * prefix-summed in one loop, eight values (one group of {@code width} bytes) at a time. Arithmetic wraps in 64 bits, so INT32 values are the low 32
 * bits of the results (as a 32-bit writer's wrapping deltas require). Not thread-safe; reusable.
 */
final class DeltaBinaryPackedDecoder
{
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_MINIBLOCK_VALUES = 1 << 20;

    private long[] values = new long[0];
    private int count;
    private int end;
    private int position;
    private int limit;
    private byte[] bytes;

    /**
     * Decodes the stream starting at {@code bytes[offset]}, which may not extend past {@code limit}
     * nor hold more than {@code maxCount} values; returns the number of values.
     */
    int decode(byte[] bytes, int offset, int limit, int maxCount)
    {
        this.bytes = bytes;
        this.position = offset;
        this.limit = limit;
        long blockSize = readUnsignedVarLong();
        long miniblocks = readUnsignedVarLong();
        long total = readUnsignedVarLong();
        long first = zigzag(readUnsignedVarLong());
        if (blockSize <= 0 || blockSize % 128 != 0 || miniblocks <= 0 || blockSize % miniblocks != 0
                || (blockSize / miniblocks) % 32 != 0 || blockSize / miniblocks > MAX_MINIBLOCK_VALUES) {
            throw new IllegalArgumentException("bad DELTA_BINARY_PACKED header at offset %d: block size %d, %d miniblocks".formatted(offset, blockSize, miniblocks));
        }
        if (total < 0 || total > maxCount) {
            throw new IllegalArgumentException("DELTA_BINARY_PACKED values at offset %d claim %d values, more than the page's %d".formatted(offset, total, maxCount));
        }
        int perMiniblock = (int) (blockSize / miniblocks);
        int n = (int) total;
        if (values.length < n + perMiniblock) {
            values = new long[Math.max(n + perMiniblock, 2 * values.length)];
        }
        long[] out = values;
        if (n > 0) {
            out[0] = first;
        }
        int done = Math.min(n, 1);
        while (done < n) {
            long minDelta = zigzag(readUnsignedVarLong());
            int widths = position;
            if (limit - position < miniblocks) {
                throw new IllegalArgumentException("DELTA_BINARY_PACKED bit widths past the end of the data at offset " + position);
            }
            position += (int) miniblocks;
            for (int m = 0; m < miniblocks && done < n; m++) {
                int width = bytes[widths + m] & 0xFF;
                if (width > 64) {
                    throw new IllegalArgumentException("DELTA_BINARY_PACKED bit width %d at offset %d".formatted(width, widths + m));
                }
                int wanted = Math.min(perMiniblock, n - done);
                // the last miniblock is padded to its full size, but only the values wanted need be there
                long needed = ((long) wanted * width + 7) / 8;
                if (limit - position < needed) {
                    throw new IllegalArgumentException("DELTA_BINARY_PACKED miniblock of %d values of %d bits past the end of the data at offset %d"
                            .formatted(wanted, width, position));
                }
                unpackAndSum(bytes, position, limit, width, minDelta, out, done, wanted);
                position = (int) Math.min(limit, position + (long) perMiniblock * width / 8);
                done += wanted;
            }
        }
        this.count = n;
        this.end = position;
        this.bytes = null;
        return n;
    }

    /** The decoded values, {@code [0, count)}. */
    long[] values()
    {
        return values;
    }

    int count()
    {
        return count;
    }

    /** The offset after the stream (after the last miniblock holding values). */
    int end()
    {
        return end;
    }

    /**
     * Unpacks {@code count} deltas of {@code width} bits (least significant bit first) from
     * {@code in[offset...]} and stores the running sums {@code out[to + i] = out[to + i - 1] + minDelta + delta}.
     */
    private static void unpackAndSum(byte[] in, int offset, int limit, int width, long minDelta, long[] out, int to, int count)
    {
        long previous = out[to - 1];
        if (width == 0) {
            for (int i = 0; i < count; i++) {
                previous += minDelta;
                out[to + i] = previous;
            }
            return;
        }
        long mask = width == 64 ? -1L : (1L << width) - 1;
        // groups of 8 values take exactly width bytes; whole groups while every value's 9-byte window is in the data
        int i = 0;
        int group = offset;
        for (; i + 8 <= count && group + width + 8 <= limit; i += 8, group += width) {
            for (int j = 0; j < 8; j++) {
                int bit = j * width;
                int index = group + (bit >>> 3);
                int shift = bit & 7;
                long value = (long) LONG_AT.get(in, index) >>> shift;
                if (shift + width > 64) {
                    value |= (long) (in[index + 8] & 0xFF) << (64 - shift);
                }
                previous += minDelta + (value & mask);
                out[to + i + j] = previous;
            }
        }
        // the rest byte by byte (bits past the data read as 0)
        long bit = 8L * group;
        for (; i < count; i++) {
            long value = 0;
            for (int b = 0; b < width; b++) {
                long at = bit + b;
                int index = (int) (at >>> 3);
                if (index < limit && ((in[index] >>> (at & 7)) & 1) != 0) {
                    value |= 1L << b;
                }
            }
            previous += minDelta + value;
            out[to + i] = previous;
            bit += width;
        }
    }

    private static long zigzag(long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    private long readUnsignedVarLong()
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new IllegalArgumentException("DELTA_BINARY_PACKED varint past the end of the data at offset " + position);
            }
            int b = bytes[position++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("DELTA_BINARY_PACKED varint too long at offset " + position);
    }
}
