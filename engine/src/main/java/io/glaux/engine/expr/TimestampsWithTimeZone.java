package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;

/** Parsing, printing and converting packed {@code timestamp(p) with time zone} values (see {@link TimeZones}). */
public final class TimestampsWithTimeZone
{
    /** What {@link #parse} answers for text that is not a timestamp with time zone. */
    static final long INVALID = Long.MIN_VALUE;

    private TimestampsWithTimeZone() {}

    static int precision(Type type)
    {
        return type instanceof Type.TimestampWithTimeZone(int p) ? p : 3;
    }

    /** Rounds the instant to {@code precision} (0..3) fractional digits, keeping the zone. */
    static long round(long packed, int precision)
    {
        if (precision >= 3) {
            return packed;
        }
        long factor = precision == 0 ? 1000 : precision == 1 ? 100 : 10;
        long millis = Math.floorDiv(TimeZones.millis(packed) + factor / 2, factor) * factor;
        return TimeZones.pack(millis, TimeZones.zoneKey(packed));
    }

    /** The wall-clock time of the value in its zone, as timestamp micros. */
    static long localMicros(long packed, TimeZones.OffsetCache cache)
    {
        long millis = TimeZones.millis(packed);
        return (millis + cache.offsetMillis(TimeZones.zoneKey(packed), millis)) * 1000L;
    }

    /** The value whose wall-clock time in zone {@code zoneKey} is {@code localMicros} (milliseconds kept). */
    static long fromLocalMicros(long localMicros, int zoneKey, TimeZones.OffsetCache cache)
    {
        return TimeZones.pack(cache.instantOf(zoneKey, Math.floorDiv(localMicros, 1000L)), zoneKey);
    }

    /**
     * Parses {@code YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][ ]zone}: a region, {@code UTC} or an offset. Without a
     * zone, the wall-clock time is in {@code defaultZone}. Answers {@link #INVALID} for other text.
     */
    static long parse(byte[] b, int from, int to, int defaultZone, TimeZones.OffsetCache cache)
    {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        int p = from;
        // the date: digits and dashes (a sign first)
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        while (p < to && (isDigit(b[p]) || b[p] == '-')) {
            p++;
        }
        if (p < to - 1 && (b[p] == ' ' || b[p] == 'T') && isDigit(b[p + 1])) {
            p++;
            while (p < to && (isDigit(b[p]) || b[p] == ':' || b[p] == '.')) {
                p++;
            }
        }
        int end = p;
        while (p < to && b[p] == ' ') {
            p++;
        }
        int zone = defaultZone;
        if (p < to) {
            zone = TimeZones.keyOrInvalid(new String(b, p, to - p, StandardCharsets.UTF_8));
            if (zone < 0) {
                return INVALID;
            }
        }
        long micros = DateTimes.parseTimestamp(b, from, end, 3);
        if (micros == DateTimes.INVALID) {
            return INVALID;
        }
        long localMillis = Math.floorDiv(micros, 1000L);
        if (Math.abs(localMillis) >= 1L << 50) {
            return INVALID;
        }
        return TimeZones.pack(cache.instantOf(zone, localMillis), zone);
    }

    /** Writes {@code YYYY-MM-DD HH:MM:SS[.fff] zone} as Trino prints it; returns the end. Needs at most 80 bytes. */
    static int format(long packed, int precision, byte[] out, int p, TimeZones.OffsetCache cache)
    {
        p = DateTimes.formatTimestamp(localMicros(packed, cache), Math.min(precision, 3), out, p);
        for (int i = 3; i < precision; i++) {
            out[p++] = '0';
        }
        out[p++] = ' ';
        byte[] zone = cache.nameBytes(TimeZones.zoneKey(packed));
        System.arraycopy(zone, 0, out, p, zone.length);
        return p + zone.length;
    }

    /** The value as Trino prints it: {@code 2020-01-01 10:00:00.000 America/New_York}. */
    public static String format(long packed, int precision)
    {
        byte[] out = new byte[96];
        int end = format(packed, precision, out, 0, new TimeZones.OffsetCache());
        return new String(out, 0, end, StandardCharsets.US_ASCII);
    }

    private static boolean isDigit(byte c)
    {
        return c >= '0' && c <= '9';
    }
}
