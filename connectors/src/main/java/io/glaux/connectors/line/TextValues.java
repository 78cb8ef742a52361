package io.glaux.connectors.line;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Parsing of values written as text (ASCII digits, Hive's formats) straight from UTF-8 bytes, without
 * creating Strings on the common paths. Each method returns whether the text is a valid value and
 * leaves the value in a field of this object. Not thread-safe: one instance per reader.
 */
public final class TextValues
{
    private static final double[] POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long[] LONG_POWERS_OF_TEN = {
            1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
            10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
            1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    /** The value of the last successful {@link #parseLong}, {@link #parseDate} (days) or {@link #parseTimestamp} (micros). */
    public long longValue;
    /** The value of the last successful {@link #parseDouble}. */
    public double doubleValue;
    /** The value of the last successful {@link #parseBoolean}. */
    public boolean booleanValue;
    /** The unscaled value of the last successful {@link #parseDecimal} when it fits a long, else {@link #decimalValue} is set. */
    public long unscaledValue;
    /** The value of the last successful {@link #parseDecimal} when the unscaled value does not fit a long; null otherwise. */
    public BigDecimal decimalValue;

    // ------------------------------------------------------------------ integers

    /**
     * An integer, as Hive's {@code LazyLong}: optional sign, decimal digits, and optionally a '.'
     * followed by digits that are dropped ({@code 12.7} → 12). Surrounding spaces are ignored.
     * False when empty, malformed or out of the long range.
     */
    public boolean parseLong(byte[] b, int offset, int length)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && b[start] == ' ') {
            start++;
        }
        while (end > start && b[end - 1] == ' ') {
            end--;
        }
        if (start == end) {
            return false;
        }
        boolean negative = false;
        int i = start;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
            if (i == end) {
                return false;
            }
        }
        // accumulate negatively: the negative range is one larger
        long result = 0;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multiplyLimit = limit / 10;
        int digits = 0;
        for (; i < end; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (result < multiplyLimit) {
                return false;
            }
            result *= 10;
            if (result < limit + digit) {
                return false;
            }
            result -= digit;
            digits++;
        }
        if (i < end) {
            if (b[i] != '.' || digits == 0 && i + 1 == end) {
                return false;
            }
            for (i++; i < end; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return false;
                }
            }
        }
        else if (digits == 0) {
            return false;
        }
        longValue = negative ? result : -result;
        return true;
    }

    // ------------------------------------------------------------------ floating point

    /**
     * A double as {@link Double#parseDouble} reads it (so also {@code NaN}, {@code Infinity},
     * exponents); plain decimals of up to 15 significant digits take an exact fast path without a String.
     */
    public boolean parseDouble(byte[] b, int offset, int length)
    {
        if (fastDouble(b, offset, length)) {
            return true;
        }
        if (length == 0 || length > 1000) {
            return false;
        }
        try {
            doubleValue = Double.parseDouble(new String(b, offset, length, StandardCharsets.ISO_8859_1));
            return true;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    /** A real ({@link Float#parseFloat}), left in {@link #doubleValue}. */
    public boolean parseFloat(byte[] b, int offset, int length)
    {
        if (length == 0 || length > 1000) {
            return false;
        }
        try {
            doubleValue = Float.parseFloat(new String(b, offset, length, StandardCharsets.ISO_8859_1));
            return true;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean fastDouble(byte[] b, int offset, int length)
    {
        int i = offset;
        int end = offset + length;
        if (i == end) {
            return false;
        }
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        int digits = 0;
        boolean dot = false;
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                digits++;
                if (mantissa == 0 && c == '0') {
                    if (dot) {
                        exponent--;
                    }
                    continue;
                }
                if (significant == 15) {
                    return false;
                }
                mantissa = mantissa * 10 + (c - '0');
                significant++;
                if (dot) {
                    exponent--;
                }
            }
            else if (c == '.' && !dot) {
                dot = true;
            }
            else {
                break;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < end) {
            if (b[i] != 'e' && b[i] != 'E') {
                return false;
            }
            i++;
            boolean negativeExponent = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                negativeExponent = b[i] == '-';
                i++;
            }
            if (i == end || end - i > 3) {
                return false;
            }
            int value = 0;
            for (; i < end; i++) {
                if (b[i] < '0' || b[i] > '9') {
                    return false;
                }
                value = value * 10 + (b[i] - '0');
            }
            exponent += negativeExponent ? -value : value;
        }
        double result;
        if (mantissa == 0) {
            result = 0;
        }
        else if (exponent >= 0 && exponent <= 22) {
            result = (double) mantissa * POWERS_OF_TEN[exponent];
        }
        else if (exponent < 0 && exponent >= -22) {
            // exact: mantissa < 2^53 and 10^-exponent is exact, so one correctly rounded division
            result = (double) mantissa / POWERS_OF_TEN[-exponent];
        }
        else {
            return false;
        }
        doubleValue = negative ? -result : result;
        return true;
    }

    // ------------------------------------------------------------------ decimal

    /**
     * A decimal rounded half-up to {@code scale} digits after the point; false when malformed or when it
     * has more than {@code precision} digits (then Hive reads NULL).
     */
    public boolean parseDecimal(byte[] b, int offset, int length, int precision, int scale)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && b[start] == ' ') {
            start++;
        }
        while (end > start && b[end - 1] == ' ') {
            end--;
        }
        if (start == end) {
            return false;
        }
        decimalValue = null;
        // fast path: [sign] digits [. digits], at most 18 digits, no more fraction digits than the scale
        int i = start;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long unscaled = 0;
        int integerDigits = 0;
        int fractionDigits = 0;
        int significant = 0;
        boolean dot = false;
        boolean simple = i < end;
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                if (dot) {
                    fractionDigits++;
                }
                else {
                    integerDigits++;
                }
                if (unscaled != 0 || c != '0') {
                    significant++;
                }
                unscaled = unscaled * 10 + (c - '0');
                if (significant > 18) {
                    simple = false;
                    break;
                }
            }
            else if (c == '.' && !dot) {
                dot = true;
            }
            else {
                simple = false;
                break;
            }
        }
        if (simple && integerDigits + fractionDigits > 0 && fractionDigits <= scale) {
            int shift = scale - fractionDigits;
            int digits = significant + shift;
            if (unscaled == 0) {
                digits = 0;
            }
            if (digits > precision || shift >= LONG_POWERS_OF_TEN.length || digits > 18) {
                return slowDecimal(b, start, end - start, precision, scale);
            }
            unscaled *= LONG_POWERS_OF_TEN[shift];
            unscaledValue = negative ? -unscaled : unscaled;
            return true;
        }
        return slowDecimal(b, start, end - start, precision, scale);
    }

    private boolean slowDecimal(byte[] b, int offset, int length, int precision, int scale)
    {
        if (length > 1000) {
            return false;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(new String(b, offset, length, StandardCharsets.ISO_8859_1)).setScale(scale, java.math.RoundingMode.HALF_UP);
        }
        catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
        if (value.precision() > precision && value.signum() != 0) {
            return false;
        }
        if (value.unscaledValue().bitLength() < 63) {
            unscaledValue = value.unscaledValue().longValue();
            decimalValue = null;
        }
        else {
            decimalValue = value;
        }
        return true;
    }

    // ------------------------------------------------------------------ boolean

    /** {@code true} or {@code false}, in any case; surrounding spaces ignored. */
    public boolean parseBoolean(byte[] b, int offset, int length)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && b[start] == ' ') {
            start++;
        }
        while (end > start && b[end - 1] == ' ') {
            end--;
        }
        int n = end - start;
        if (n == 4 && (b[start] | 0x20) == 't' && (b[start + 1] | 0x20) == 'r' && (b[start + 2] | 0x20) == 'u' && (b[start + 3] | 0x20) == 'e') {
            booleanValue = true;
            return true;
        }
        if (n == 5 && (b[start] | 0x20) == 'f' && (b[start + 1] | 0x20) == 'a' && (b[start + 2] | 0x20) == 'l' && (b[start + 3] | 0x20) == 's' && (b[start + 4] | 0x20) == 'e') {
            booleanValue = false;
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ date and time

    /**
     * A date {@code yyyy-M-d} (month and day of one or two digits), left in {@link #longValue} as days
     * since 1970-01-01. Anything after a space or 'T' following the date (a time) is ignored, as Hive does.
     */
    public boolean parseDate(byte[] b, int offset, int length)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && b[start] == ' ') {
            start++;
        }
        while (end > start && b[end - 1] == ' ') {
            end--;
        }
        int afterDate = parseDatePart(b, start, end);
        if (afterDate < 0) {
            return false;
        }
        if (afterDate < end && b[afterDate] != ' ' && b[afterDate] != 'T') {
            return false;
        }
        longValue = dateDays;
        return true;
    }

    private long dateDays;

    /** Parses {@code yyyy-M-d} at {@code start} into {@link #dateDays}; returns the index after it, or -1. */
    private int parseDatePart(byte[] b, int start, int end)
    {
        int i = start;
        boolean negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        int year = 0;
        int yearDigits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9' && yearDigits < 6) {
            year = year * 10 + (b[i] - '0');
            yearDigits++;
            i++;
        }
        if (yearDigits < 4 || i >= end || b[i] != '-') {
            return -1;
        }
        i++;
        int month = 0;
        int monthDigits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9' && monthDigits < 2) {
            month = month * 10 + (b[i] - '0');
            monthDigits++;
            i++;
        }
        if (monthDigits == 0 || i >= end || b[i] != '-') {
            return -1;
        }
        i++;
        int day = 0;
        int dayDigits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9' && dayDigits < 2) {
            day = day * 10 + (b[i] - '0');
            dayDigits++;
            i++;
        }
        if (dayDigits == 0) {
            return -1;
        }
        if (negative) {
            year = -year;
        }
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return -1;
        }
        dateDays = epochDay(year, month, day);
        return i;
    }

    /**
     * A timestamp {@code yyyy-M-d[( |T)H:m[:s[.fraction]]][Z|±hh[:]mm]}, left in {@link #longValue} as
     * microseconds since the epoch (no time zone; a zone suffix is converted to UTC). Digits of the
     * fraction after the sixth are dropped. A date alone is midnight.
     */
    public boolean parseTimestamp(byte[] b, int offset, int length)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && b[start] == ' ') {
            start++;
        }
        while (end > start && b[end - 1] == ' ') {
            end--;
        }
        int i = parseDatePart(b, start, end);
        if (i < 0) {
            return false;
        }
        long days = dateDays;
        long micros = 0;
        if (i < end) {
            if (b[i] != ' ' && b[i] != 'T') {
                return false;
            }
            i++;
            int hour = 0;
            int n = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9' && n < 2) {
                hour = hour * 10 + (b[i++] - '0');
                n++;
            }
            if (n == 0 || i >= end || b[i] != ':') {
                return false;
            }
            i++;
            int minute = 0;
            n = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9' && n < 2) {
                minute = minute * 10 + (b[i++] - '0');
                n++;
            }
            if (n == 0) {
                return false;
            }
            int second = 0;
            long fraction = 0;
            if (i < end && b[i] == ':') {
                i++;
                n = 0;
                while (i < end && b[i] >= '0' && b[i] <= '9' && n < 2) {
                    second = second * 10 + (b[i++] - '0');
                    n++;
                }
                if (n == 0) {
                    return false;
                }
                if (i < end && (b[i] == '.' || b[i] == ',')) {
                    i++;
                    n = 0;
                    while (i < end && b[i] >= '0' && b[i] <= '9') {
                        if (n < 6) {
                            fraction = fraction * 10 + (b[i] - '0');
                        }
                        else if (n >= 9) {
                            return false;
                        }
                        n++;
                        i++;
                    }
                    if (n == 0) {
                        return false;
                    }
                    for (int k = Math.min(n, 6); k < 6; k++) {
                        fraction *= 10;
                    }
                }
            }
            if (hour > 23 || minute > 59 || second > 59) {
                return false;
            }
            int zoneSeconds = 0;
            if (i < end) {
                if (b[i] == 'Z' && i + 1 == end) {
                    i++;
                }
                else if ((b[i] == '+' || b[i] == '-') && (end - i == 3 || end - i == 5 || end - i == 6)) {
                    int sign = b[i] == '-' ? -1 : 1;
                    int zoneHours = twoDigits(b, i + 1);
                    int zoneMinutes = end - i == 3 ? 0 : twoDigits(b, end - 2);
                    if (zoneHours < 0 || zoneMinutes < 0 || zoneHours > 18 || zoneMinutes > 59 || end - i == 6 && b[i + 3] != ':') {
                        return false;
                    }
                    zoneSeconds = sign * (zoneHours * 3600 + zoneMinutes * 60);
                    i = end;
                }
                else {
                    return false;
                }
            }
            micros = ((hour * 3600L + minute * 60L + second) - zoneSeconds) * 1_000_000L + fraction;
        }
        longValue = days * 86_400_000_000L + micros;
        return true;
    }

    private static int twoDigits(byte[] b, int i)
    {
        int high = b[i] - '0';
        int low = b[i + 1] - '0';
        if (high < 0 || high > 9 || low < 0 || low > 9) {
            return -1;
        }
        return high * 10 + low;
    }

    private static int daysInMonth(int year, int month)
    {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeapYear(long year)
    {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (as {@link java.time.LocalDate#toEpochDay()}). */
    static long epochDay(long year, int month, int day)
    {
        long total = 365 * year;
        if (year >= 0) {
            total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        }
        else {
            total -= year / -4 - year / -100 + year / -400;
        }
        total += (367L * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeapYear(year)) {
                total--;
            }
        }
        return total - 719_528;
    }
}
