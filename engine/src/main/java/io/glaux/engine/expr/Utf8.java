package io.glaux.engine.expr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** UTF-8 helpers over byte ranges (code points, not chars, as Trino counts). */
final class Utf8
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {}

    static boolean isStart(byte b)
    {
        return (b & 0xC0) != 0x80;
    }

    static int codePoints(byte[] b, int from, int to)
    {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += (b[i] & 0xC0) != 0x80 ? 1 : 0;
        }
        return n;
    }

    /** Byte offset of the code point {@code n} (0-based) counted from {@code from}; -1 when the range has fewer. {@code n == count} gives {@code to}. */
    static int offsetOf(byte[] b, int from, int to, long n)
    {
        if (n < 0) {
            return -1;
        }
        int i = from;
        long seen = 0;
        while (i < to) {
            if (isStart(b[i])) {
                if (seen == n) {
                    return i;
                }
                seen++;
            }
            i++;
        }
        return seen == n ? to : -1;
    }

    static boolean isAscii(byte[] b, int from, int to)
    {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (((long) LONGS.get(b, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code pattern[pf..pt)} in {@code b[from..to)} at or after {@code from}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte[] pattern, int pf, int pt)
    {
        int length = pt - pf;
        if (length == 0) {
            return from;
        }
        byte first = pattern[pf];
        int last = to - length;
        int i = from;
        while (i <= last) {
            i = ByteSearch.indexOf(b, i, last + 1, first);
            if (i < 0) {
                return -1;
            }
            if (Arrays.equals(b, i + 1, i + length, pattern, pf + 1, pt)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    static boolean isWhitespace(byte c)
    {
        return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
    }

    /** The offset after the code point at {@code i}. */
    static int next(byte[] b, int i, int to)
    {
        int next = i + 1;
        while (next < to && !isStart(b[next])) {
            next++;
        }
        return next;
    }

    /** The code point at {@code i} (valid UTF-8). */
    static int decode(byte[] b, int i)
    {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
            return c;
        }
        if (c < 0xE0) {
            return ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
        }
        if (c < 0xF0) {
            return ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
        }
        return ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
    }

    /** Writes code point {@code c} at {@code p}; returns the offset after it. */
    static int encode(int c, byte[] out, int p)
    {
        if (c < 0x80) {
            out[p++] = (byte) c;
        }
        else if (c < 0x800) {
            out[p++] = (byte) (0xC0 | (c >> 6));
            out[p++] = (byte) (0x80 | (c & 0x3F));
        }
        else if (c < 0x10000) {
            out[p++] = (byte) (0xE0 | (c >> 12));
            out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            out[p++] = (byte) (0x80 | (c & 0x3F));
        }
        else {
            out[p++] = (byte) (0xF0 | (c >> 18));
            out[p++] = (byte) (0x80 | ((c >> 12) & 0x3F));
            out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            out[p++] = (byte) (0x80 | (c & 0x3F));
        }
        return p;
    }
}
