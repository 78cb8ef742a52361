package io.glaux.engine.expr;

/** Integer formatting and parsing on bytes, without Strings. Engine-internal. */
final class Numbers
{
    private Numbers() {}

    /** Writes the decimal digits of {@code value}; needs at most 20 bytes. Returns the new position. */
    static int formatLong(long value, byte[] out, int p)
    {
        if (value == Long.MIN_VALUE) {
            byte[] min = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(min, 0, out, p, min.length);
            return p + min.length;
        }
        if (value < 0) {
            out[p++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = p + digits;
        for (int i = end - 1; i >= p; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }

    /**
     * Parses {@code [+-]digits} (surrounding spaces allowed) into {@code result[0]}; returns false if
     * the text is not an integer or does not fit in a long.
     */
    static boolean parseLong(byte[] b, int from, int to, long[] result)
    {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        if (from == to) {
            return false;
        }
        boolean negative = false;
        if (b[from] == '-' || b[from] == '+') {
            negative = b[from] == '-';
            from++;
            if (from == to) {
                return false;
            }
        }
        // accumulate negatively to reach Long.MIN_VALUE
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return false;
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return false;
            }
            value = -value;
        }
        result[0] = value;
        return true;
    }
}
