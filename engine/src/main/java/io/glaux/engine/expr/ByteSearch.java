package io.glaux.engine.expr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Substring search over bytes, 8 bytes per step: candidate positions of the needle's first byte are
 * found with a SWAR zero-byte test on {@code word ^ broadcast(first)} (memchr's trick), then the rest
 * of the needle is compared with the vectorized {@link Arrays#equals}. Engine-internal.
 */
final class ByteSearch
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {}

    /** The first index in {@code [from, to)} holding {@code b}, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte b)
    {
        long broadcast = ONES * (b & 0xFF);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONGS.get(bytes, i) ^ broadcast;
            // the lowest set bit marks the first zero byte exactly (borrows only reach higher bytes)
            long zeros = (v - ONES) & ~v & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The first index in {@code [from, to)} where {@code needle} (not empty) starts, or -1. */
    static int indexOf(byte[] bytes, int from, int to, byte[] needle)
    {
        int length = needle.length;
        byte first = needle[0];
        int last = to - length;
        int i = from;
        while (i <= last) {
            i = indexOf(bytes, i, last + 1, first);
            if (i < 0) {
                return -1;
            }
            if (Arrays.equals(bytes, i + 1, i + length, needle, 1, length)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Marks the values of a block that contain {@code needle} (not empty): {@code bytes} holds value j at
     * {@code offsets[j]..offsets[j+1]}, back to back. One search runs over the whole stretch of bytes
     * rather than one per value, so short values cost no per-value setup; a match that crosses from one
     * value into the next is skipped. Sets {@code hits[n++] = j} for each j with {@code contains ^ flip}.
     */
    static int selectContaining(byte[] bytes, int[] offsets, int count, byte[] needle, int flip, int[] hits)
    {
        int length = needle.length;
        int end = offsets[count];
        int n = 0;
        int j = 0;
        int p = offsets[0];
        while (j < count) {
            int at = p <= end - length ? indexOf(bytes, p, end, needle) : -1;
            if (at < 0) {
                break;
            }
            // rows before the one holding the match do not contain the needle
            while (offsets[j + 1] <= at) {
                hits[n] = j;
                n += flip;
                j++;
            }
            if (at + length <= offsets[j + 1]) {
                hits[n] = j;
                n += 1 ^ flip;
                j++;
                p = offsets[j];
            }
            else {
                // the match runs into the next value: look again from the next byte
                p = at + 1;
            }
        }
        for (; j < count; j++) {
            hits[n] = j;
            n += flip;
        }
        return n;
    }
}
