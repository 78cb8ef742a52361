package io.glaux.engine.expr;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Calendar arithmetic on epoch days and epoch microseconds (proleptic Gregorian, no time zone), and
 * parsing/formatting of {@code YYYY-MM-DD[ HH:MM[:SS[.fffffffff]]]} on UTF-8 bytes without objects.
 * Engine-internal.
 */
public final class DateTimes
{
    public static final long MICROS_PER_DAY = 86_400_000_000L;
    public static final long MICROS_PER_SECOND = 1_000_000L;

    private static final long[] POWERS_OF_TEN = {
            1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
            10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L};

    /** Sentinel for a failed parse (not a valid epoch value for any supported date). */
    public static final long INVALID = Long.MIN_VALUE;

    private DateTimes() {}

    /** Days since 1970-01-01 of a valid civil date. */
    public static long daysFromCivil(long year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** Year, month and day of an epoch day, packed as {@code year * 10000 + month * 100 + day}. */
    public static long civilFromDays(long days)
    {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        return y * 10000 + (y < 0 ? -(m * 100 + d) : m * 100 + d);
    }

    static boolean isLeapYear(long year)
    {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int daysInMonth(long year, int month)
    {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Parses {@code [+-]YYYY-M[M]-D[D]} (surrounding spaces allowed) to epoch days, or {@link #INVALID}. */
    public static long parseDate(byte[] b, int from, int to)
    {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        long packed = parseDatePart(b, from, to);
        if (packed == INVALID || from + (int) (packed >>> 48) != to) {
            return INVALID;
        }
        return (packed << 16) >> 16;
    }

    /**
     * Parses a timestamp to epoch micros rounded to {@code precision} fractional digits, or
     * {@link #INVALID}. Accepts a date alone, or a date, a space or 'T', {@code H[H]:MM[:SS[.f...]]}.
     */
    public static long parseTimestamp(byte[] b, int from, int to, int precision)
    {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        long packed = parseDatePart(b, from, to);
        if (packed == INVALID) {
            return INVALID;
        }
        int p = from + (int) (packed >>> 48);
        long days = (packed << 16) >> 16;
        if (Math.abs(days) > Long.MAX_VALUE / MICROS_PER_DAY - 1) {
            return INVALID;
        }
        long micros = days * MICROS_PER_DAY;
        if (p == to) {
            return micros;
        }
        if (b[p] != ' ' && b[p] != 'T') {
            return INVALID;
        }
        p++;
        int start = p;
        int hour = 0;
        while (p < to && p - start < 2 && isDigit(b[p])) {
            hour = hour * 10 + (b[p++] - '0');
        }
        if (p == start || p >= to || b[p] != ':' || hour > 23) {
            return INVALID;
        }
        p++;
        if (p + 2 > to || !isDigit(b[p]) || !isDigit(b[p + 1])) {
            return INVALID;
        }
        int minute = (b[p] - '0') * 10 + (b[p + 1] - '0');
        p += 2;
        int second = 0;
        long fraction = 0;
        if (p < to) {
            if (b[p] != ':' || p + 3 > to || !isDigit(b[p + 1]) || !isDigit(b[p + 2])) {
                return INVALID;
            }
            second = (b[p + 1] - '0') * 10 + (b[p + 2] - '0');
            p += 3;
            if (p < to) {
                if (b[p] != '.' || p + 1 >= to) {
                    return INVALID;
                }
                p++;
                int digits = 0;
                long picos = 0;
                while (p < to && isDigit(b[p])) {
                    if (digits < 12) {
                        // digits beyond picoseconds are ignored
                        picos = picos * 10 + (b[p] - '0');
                        digits++;
                    }
                    p++;
                }
                if (p != to) {
                    return INVALID;
                }
                picos *= POWERS_OF_TEN[12 - digits];
                fraction = (picos + 500_000) / 1_000_000;
            }
        }
        if (minute > 59 || second > 59) {
            return INVALID;
        }
        micros += (hour * 3600L + minute * 60L + second) * MICROS_PER_SECOND + fraction;
        return roundMicros(micros, precision);
    }

    /** Rounds epoch micros to {@code precision} (0..6) fractional second digits, half up. */
    public static long roundMicros(long micros, int precision)
    {
        if (precision >= 6) {
            return micros;
        }
        long factor = POWERS_OF_TEN[6 - precision];
        return Math.floorDiv(micros + factor / 2, factor) * factor;
    }

    /** Returns {@code (end - from) << 48 | (days & 0xFFFFFFFFFFFF)} or INVALID. */
    private static long parseDatePart(byte[] b, int from, int to)
    {
        int p = from;
        boolean negative = false;
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        int start = p;
        long year = 0;
        while (p < to && isDigit(b[p]) && p - start < 9) {
            year = year * 10 + (b[p++] - '0');
        }
        if (p - start < 4 || p >= to || b[p] != '-') {
            return INVALID;
        }
        if (negative) {
            year = -year;
        }
        p++;
        int month = 0;
        start = p;
        while (p < to && isDigit(b[p]) && p - start < 2) {
            month = month * 10 + (b[p++] - '0');
        }
        if (p == start || p >= to || b[p] != '-' || month < 1 || month > 12) {
            return INVALID;
        }
        p++;
        int day = 0;
        start = p;
        while (p < to && isDigit(b[p]) && p - start < 2) {
            day = day * 10 + (b[p++] - '0');
        }
        if (p == start || day < 1 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        long days = daysFromCivil(year, month, day);
        return ((long) (p - from) << 48) | (days & 0xFFFF_FFFF_FFFFL);
    }

    private static boolean isDigit(byte c)
    {
        return c >= '0' && c <= '9';
    }

    /** Writes {@code YYYY-MM-DD}; returns the new position. Needs at most 16 bytes. */
    public static int formatDate(long days, byte[] out, int p)
    {
        long packed = civilFromDays(days);
        long year = packed / 10000;
        long md = Math.abs(packed % 10000);
        int month = (int) (md / 100);
        int day = (int) (md % 100);
        if (year < 0) {
            out[p++] = '-';
            year = -year;
        }
        if (year <= 9999) {
            out[p++] = (byte) ('0' + year / 1000);
            out[p++] = (byte) ('0' + year / 100 % 10);
            out[p++] = (byte) ('0' + year / 10 % 10);
            out[p++] = (byte) ('0' + year % 10);
        }
        else {
            p = Numbers.formatLong(year, out, p);
        }
        out[p++] = '-';
        out[p++] = (byte) ('0' + month / 10);
        out[p++] = (byte) ('0' + month % 10);
        out[p++] = '-';
        out[p++] = (byte) ('0' + day / 10);
        out[p++] = (byte) ('0' + day % 10);
        return p;
    }

    /** Writes {@code YYYY-MM-DD HH:MM:SS[.fff]} with {@code precision} digits; needs at most 40 bytes. */
    public static int formatTimestamp(long micros, int precision, byte[] out, int p)
    {
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        long time = Math.floorMod(micros, MICROS_PER_DAY);
        p = formatDate(days, out, p);
        out[p++] = ' ';
        long seconds = time / MICROS_PER_SECOND;
        int hour = (int) (seconds / 3600);
        int minute = (int) (seconds / 60 % 60);
        int second = (int) (seconds % 60);
        p = two(hour, out, p);
        out[p++] = ':';
        p = two(minute, out, p);
        out[p++] = ':';
        p = two(second, out, p);
        if (precision > 0) {
            out[p++] = '.';
            long fraction = time % MICROS_PER_SECOND;
            for (int i = 0; i < precision; i++) {
                long digit = i < 6 ? fraction / POWERS_OF_TEN[5 - i] % 10 : 0;
                out[p++] = (byte) ('0' + digit);
            }
        }
        return p;
    }

    private static int two(int value, byte[] out, int p)
    {
        out[p] = (byte) ('0' + value / 10);
        out[p + 1] = (byte) ('0' + value % 10);
        return p + 2;
    }

    /**
     * A Joda-Time pattern ({@code yyyy-MM-dd HH:mm:ss.SSS}) as Trino's {@code format_datetime} and
     * {@code parse_datetime} read it: {@code G Y x w e E y D M d a K h H k m s S z Z}, text in
     * single quotes, other characters as themselves.
     */
    public static DateTimeFormatter jodaFormat(String pattern)
    {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder().parseCaseInsensitive();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                int end = i + 1;
                StringBuilder text = new StringBuilder();
                while (end < n) {
                    if (pattern.charAt(end) == '\'') {
                        if (end + 1 < n && pattern.charAt(end + 1) == '\'') {
                            text.append('\'');
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    text.append(pattern.charAt(end++));
                }
                builder.appendLiteral(end == i + 1 && end < n ? "'" : text.toString());
                i = end + 1;
                continue;
            }
            int count = 1;
            while (i + count < n && pattern.charAt(i + count) == c) {
                count++;
            }
            switch (c) {
                case 'G' -> builder.appendText(ChronoField.ERA, TextStyle.SHORT);
                case 'Y' -> year(builder, ChronoField.YEAR_OF_ERA, count);
                case 'y' -> year(builder, ChronoField.YEAR, count);
                case 'x' -> year(builder, IsoFields.WEEK_BASED_YEAR, count);
                case 'w' -> number(builder, IsoFields.WEEK_OF_WEEK_BASED_YEAR, count);
                case 'e' -> number(builder, ChronoField.DAY_OF_WEEK, count);
                case 'E' -> builder.appendText(ChronoField.DAY_OF_WEEK, count >= 4 ? TextStyle.FULL : TextStyle.SHORT);
                case 'D' -> number(builder, ChronoField.DAY_OF_YEAR, count);
                case 'M' -> {
                    if (count >= 3) {
                        builder.appendText(ChronoField.MONTH_OF_YEAR, count >= 4 ? TextStyle.FULL : TextStyle.SHORT);
                    }
                    else {
                        number(builder, ChronoField.MONTH_OF_YEAR, count);
                    }
                }
                case 'd' -> number(builder, ChronoField.DAY_OF_MONTH, count);
                case 'a' -> builder.appendText(ChronoField.AMPM_OF_DAY, TextStyle.SHORT);
                case 'K' -> number(builder, ChronoField.HOUR_OF_AMPM, count);
                case 'h' -> number(builder, ChronoField.CLOCK_HOUR_OF_AMPM, count);
                case 'H' -> number(builder, ChronoField.HOUR_OF_DAY, count);
                case 'k' -> number(builder, ChronoField.CLOCK_HOUR_OF_DAY, count);
                case 'm' -> number(builder, ChronoField.MINUTE_OF_HOUR, count);
                case 's' -> number(builder, ChronoField.SECOND_OF_MINUTE, count);
                case 'S' -> builder.appendFraction(ChronoField.NANO_OF_SECOND, count, count, false);
                case 'z' -> builder.appendZoneText(count >= 4 ? TextStyle.FULL : TextStyle.SHORT);
                case 'Z' -> {
                    if (count >= 3) {
                        builder.appendZoneId();
                    }
                    else {
                        builder.appendOffset(count == 1 ? "+HHMM" : "+HH:MM", count == 1 ? "+0000" : "+00:00");
                    }
                }
                default -> {
                    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                        throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Illegal pattern component: " + String.valueOf(c).repeat(count));
                    }
                    builder.appendLiteral(String.valueOf(c).repeat(count));
                }
            }
            i += count;
        }
        return builder.toFormatter(Locale.ENGLISH);
    }

    private static void year(DateTimeFormatterBuilder builder, java.time.temporal.TemporalField field, int count)
    {
        if (count == 2) {
            builder.appendValueReduced(field, 2, 2, 2000);
        }
        else {
            builder.appendValue(field, count, 19, count >= 4 ? SignStyle.EXCEEDS_PAD : SignStyle.NORMAL);
        }
    }

    private static void number(DateTimeFormatterBuilder builder, java.time.temporal.TemporalField field, int count)
    {
        if (count == 1) {
            builder.appendValue(field);
        }
        else {
            builder.appendValue(field, count);
        }
    }

    /** MySQL's {@code %} patterns as Trino's {@code date_parse} and {@code date_format} read them. */
    public static DateTimeFormatter mysqlFormat(String format)
    {
        DateTimeFormatterBuilder builder = new DateTimeFormatterBuilder().parseCaseInsensitive();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                builder.appendLiteral(c);
                continue;
            }
            char field = format.charAt(++i);
            switch (field) {
                case 'Y' -> builder.appendValue(ChronoField.YEAR, 4);
                case 'y' -> builder.appendValueReduced(ChronoField.YEAR, 2, 2, 2000);
                case 'm' -> builder.appendValue(ChronoField.MONTH_OF_YEAR, 2);
                case 'c' -> builder.appendValue(ChronoField.MONTH_OF_YEAR);
                case 'd' -> builder.appendValue(ChronoField.DAY_OF_MONTH, 2);
                case 'e' -> builder.appendValue(ChronoField.DAY_OF_MONTH);
                case 'H' -> builder.appendValue(ChronoField.HOUR_OF_DAY, 2);
                case 'k' -> builder.appendValue(ChronoField.HOUR_OF_DAY);
                case 'h', 'I' -> builder.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM, 2);
                case 'l' -> builder.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM);
                case 'i' -> builder.appendValue(ChronoField.MINUTE_OF_HOUR, 2);
                case 's', 'S' -> builder.appendValue(ChronoField.SECOND_OF_MINUTE, 2);
                case 'f' -> builder.appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, false);
                case 'p' -> builder.appendText(ChronoField.AMPM_OF_DAY);
                case 'T' -> builder.appendPattern("HH:mm:ss");
                case 'r' -> builder.appendPattern("hh:mm:ss a");
                case 'b' -> builder.appendPattern("MMM");
                case 'M' -> builder.appendPattern("MMMM");
                case 'a' -> builder.appendPattern("EEE");
                case 'W' -> builder.appendPattern("EEEE");
                case 'j' -> builder.appendValue(ChronoField.DAY_OF_YEAR, 3);
                case '%' -> builder.appendLiteral('%');
                default -> throw FunctionRegistry.invalidArgument("Unsupported format specifier %" + field + " in '" + format + "'");
            }
        }
        return builder.toFormatter(Locale.ENGLISH);
    }

    /** The date and time fields of {@code parsed}; missing fields are those of 1970-01-01 00:00. */
    public static LocalDateTime localDateTime(TemporalAccessor parsed)
    {
        LocalDate date = LocalDate.of(
                parsed.isSupported(ChronoField.YEAR) ? parsed.get(ChronoField.YEAR) : 1970,
                parsed.isSupported(ChronoField.MONTH_OF_YEAR) ? parsed.get(ChronoField.MONTH_OF_YEAR) : 1,
                parsed.isSupported(ChronoField.DAY_OF_MONTH) ? parsed.get(ChronoField.DAY_OF_MONTH) : 1);
        if (parsed.isSupported(ChronoField.DAY_OF_YEAR) && !parsed.isSupported(ChronoField.MONTH_OF_YEAR)) {
            date = date.withDayOfYear(parsed.get(ChronoField.DAY_OF_YEAR));
        }
        LocalTime time = LocalTime.of(
                parsed.isSupported(ChronoField.HOUR_OF_DAY) ? parsed.get(ChronoField.HOUR_OF_DAY) : 0,
                parsed.isSupported(ChronoField.MINUTE_OF_HOUR) ? parsed.get(ChronoField.MINUTE_OF_HOUR) : 0,
                parsed.isSupported(ChronoField.SECOND_OF_MINUTE) ? parsed.get(ChronoField.SECOND_OF_MINUTE) : 0,
                parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.get(ChronoField.NANO_OF_SECOND) : 0);
        return date.atTime(time);
    }
}
