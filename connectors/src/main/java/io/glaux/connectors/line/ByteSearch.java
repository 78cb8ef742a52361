package io.glaux.connectors.line;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the first of a few byte values in a byte range, eight bytes at a time. A byte of {@code x} is
 * zero iff the same byte of {@code (x - 0x01..) & ~x & 0x80..} is set, and the lowest such byte is
 * exact (a borrow can only mark bytes above a zero byte); {@code x} is the word XOR the wanted byte
 * repeated ({@link #repeat}).
 */
public final class ByteSearch
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private ByteSearch() {}

    /** {@code value} in every byte of a long, the form the searches take. */
    public static long repeat(byte value)
    {
        return (value & 0xFFL) * ONES;
    }

    /** The index of the first byte of {@code b[from, to)} equal to {@code first} or {@code second} ({@link #repeat}ed), or {@code to}. */
    public static int indexOfAny(byte[] b, int from, int to, long first, long second)
    {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            long x = word ^ first;
            long y = word ^ second;
            long found = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        byte a = (byte) first;
        byte c = (byte) second;
        for (; i < to; i++) {
            if (b[i] == a || b[i] == c) {
                return i;
            }
        }
        return to;
    }

    /** The index of the first byte of {@code b[from, to)} equal to one of three values ({@link #repeat}ed), or {@code to}. */
    public static int indexOfAny(byte[] b, int from, int to, long first, long second, long third)
    {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(b, i);
            long x = word ^ first;
            long y = word ^ second;
            long z = word ^ third;
            long found = ((x - ONES) & ~x | (y - ONES) & ~y | (z - ONES) & ~z) & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        byte a = (byte) first;
        byte c = (byte) second;
        byte d = (byte) third;
        for (; i < to; i++) {
            byte value = b[i];
            if (value == a || value == c || value == d) {
                return i;
            }
        }
        return to;
    }
}
