package io.glaux.engine.expr;

/** UTF-8 helpers over byte ranges (code points, not chars, as Trino counts). */
final class Utf8
{
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
        for (int i = from; i < to; i++) {
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
        outer:
        for (int i = from; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int k = 1; k < length; k++) {
                if (b[i + k] != pattern[pf + k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean isWhitespace(byte c)
    {
        return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
    }
}
