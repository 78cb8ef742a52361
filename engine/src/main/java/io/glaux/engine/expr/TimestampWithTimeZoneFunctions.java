package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.DOUBLE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.TIMESTAMP;
import static io.glaux.engine.expr.FunctionRegistry.Arg.TIMESTAMP_TZ;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.argument;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.engine.expr.DateTimeFunctions.Field;
import io.glaux.engine.expr.DateTimeFunctions.Unit;
import io.glaux.spi.type.Type;

import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Functions on {@code timestamp(p) with time zone} (packed epoch millis and zone key, see
 * {@link TimeZones}): {@code with_timezone}, {@code at_timezone}, {@code AT TIME ZONE} (the planner
 * writes it as these), {@code to_unixtime}, {@code from_unixtime(x, zone)}, and the date/time functions
 * ({@code date_trunc}, {@code date_add}, {@code date_diff}, fields, {@code format_datetime},
 * {@code to_iso8601}) computed on the wall-clock time in the value's own zone, as Trino does.
 */
final class TimestampWithTimeZoneFunctions
{
    private static final Type TIMESTAMP_3 = new Type.Timestamp(3);
    private static final String TSTZ = "timestamp(p) with time zone";

    private TimestampWithTimeZoneFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("with_timezone", args(TIMESTAMP, VARCHAR), types -> new Type.TimestampWithTimeZone(((Type.Timestamp) types.getFirst()).precision()), TSTZ,
                "The wall-clock time x in `zone` (a region such as `America/New_York`, `UTC` or an offset such as `+02:00`).", WithTimezone::new);
        b.add("at_timezone", args(TIMESTAMP_TZ, VARCHAR), argument(0), TSTZ, "The same instant as x, shown in `zone`. `x AT TIME ZONE zone` is the same.",
                AtTimezone::new);
        b.add("$to_timestamp_tz", args(FunctionRegistry.Arg.ANY, VARCHAR), returns(Type.TIMESTAMP_TZ), TSTZ,
                "CAST to timestamp with time zone with the session's zone for values without one.",
                (a, c, t) -> CastEvaluator.of(a.getFirst(), t, TimeZones.key((String) constant(c, 1))), 1);
        b.add("to_unixtime", args(TIMESTAMP_TZ), returns(Type.DOUBLE), "double", "Seconds since 1970-01-01 00:00 UTC.", ToUnixtime::new);
        b.add("from_unixtime", args(DOUBLE), returns(Type.TIMESTAMP_TZ), "timestamp(3) with time zone",
                "The instant `unixtime` seconds after 1970-01-01 00:00 UTC, in the session's zone.", FromUnixtime::new);
        b.add("from_unixtime", args(DOUBLE, VARCHAR), returns(Type.TIMESTAMP_TZ), "timestamp(3) with time zone",
                "The instant `unixtime` seconds after 1970-01-01 00:00 UTC, in `zone`.", FromUnixtime::new);
        b.add("date_trunc", args(VARCHAR, TIMESTAMP_TZ), argument(1), "same as x",
                "x truncated to `unit` in its own zone (millisecond ... year; week starts on Monday).", TimestampWithTimeZoneFunctions::dateTrunc, 0);
        b.add("date_add", args(VARCHAR, INTEGER, TIMESTAMP_TZ), argument(2), "same as x",
                "x plus `value` `unit`s; days and longer units move the wall-clock time in x's zone.", TimestampWithTimeZoneFunctions::dateAdd, 0);
        b.add("date_diff", args(VARCHAR, TIMESTAMP_TZ, TIMESTAMP_TZ), returns(Type.BIGINT), "bigint",
                "Number of whole `unit`s from x1 to x2, counted in x1's zone.", DateDiff::new, 0);
        for (Field field : Field.values()) {
            String name = switch (field) {
                case DAY_OF_WEEK -> "day_of_week";
                case DAY_OF_YEAR -> "day_of_year";
                case YEAR_OF_WEEK -> "year_of_week";
                default -> field.name().toLowerCase(java.util.Locale.ROOT);
            };
            b.add(name, args(TIMESTAMP_TZ), returns(Type.BIGINT), "bigint", "The field of x's wall-clock time in its zone.",
                    (a, c, t) -> new DateTimeFunctions.Extract(t, List.of(CastEvaluator.of(a.getFirst(), TIMESTAMP_3)), field));
        }
        for (String[] alias : new String[][] {{"week_of_year", "week"}, {"day_of_month", "day"}, {"dow", "day_of_week"}, {"doy", "day_of_year"}, {"yow", "year_of_week"}}) {
            b.add(alias[0], args(TIMESTAMP_TZ), returns(Type.BIGINT), "bigint", "Same as `" + alias[1] + "`.",
                    (a, c, t) -> new DateTimeFunctions.Extract(t, List.of(CastEvaluator.of(a.getFirst(), TIMESTAMP_3)), Field.valueOf(alias[1].toUpperCase(java.util.Locale.ROOT))));
        }
        b.add("$datetime_minus", args(TIMESTAMP_TZ, TIMESTAMP_TZ), returns(Type.INTERVAL_DAY_TO_SECOND), "interval day to second",
                "x1 - x2: the milliseconds between the instants, whatever their zones.", InstantMinus::new);
        b.add("timezone_hour", args(TIMESTAMP_TZ), returns(Type.BIGINT), "bigint", "Hours of x's offset from UTC.", (a, c, t) -> new ZoneOffsetPart(t, a, true));
        b.add("timezone_minute", args(TIMESTAMP_TZ), returns(Type.BIGINT), "bigint", "Minutes of x's offset from UTC (beyond the hours).",
                (a, c, t) -> new ZoneOffsetPart(t, a, false));
        b.add("last_day_of_month", args(TIMESTAMP_TZ), returns(Type.DATE), "date", "The last day of the month of x in its zone.",
                (a, c, t) -> new DateTimeFunctions.LastDayOfMonth(List.of(CastEvaluator.of(a.getFirst(), TIMESTAMP_3)), c, t));
        b.add("format_datetime", args(TIMESTAMP_TZ, VARCHAR), returns(Type.VARCHAR), "varchar",
                "Formats x in its zone with a Joda-Time pattern (`yyyy-MM-dd HH:mm:ss ZZZ`).",
                (a, c, t) -> new Format(t, a, DateTimes.jodaFormat((String) constant(c, 1))), 1);
        b.add("to_iso8601", args(TIMESTAMP_TZ), returns(Type.VARCHAR), "varchar", "x as ISO 8601 text with its offset: `2024-03-05T13:14:15.000+01:00`.",
                ToIso8601::new);
    }

    private static ValueEvaluator dateTrunc(List<ValueEvaluator> a, List<Expression> calls, Type type)
    {
        ValueEvaluator local = CastEvaluator.of(a.get(1), TIMESTAMP_3);
        ValueEvaluator truncated = new DateTimeFunctions.DateTrunc(List.of(a.get(0), local), calls, TIMESTAMP_3);
        return new Rezone(type, truncated, a.get(1));
    }

    private static ValueEvaluator dateAdd(List<ValueEvaluator> a, List<Expression> calls, Type type)
    {
        Unit unit = Unit.of(constant(calls, 0), false);
        if (unit.months() == 0 && unit.micros < DateTimeFunctions.MICROS_PER_DAY) {
            return new InstantAdd(type, a.subList(1, 3), unit.micros / DateTimeFunctions.MICROS_PER_MILLI);
        }
        ValueEvaluator local = CastEvaluator.of(a.get(2), TIMESTAMP_3);
        ValueEvaluator added = new DateTimeFunctions.DateAdd(List.of(a.get(0), a.get(1), local), calls, TIMESTAMP_3);
        return new Rezone(type, added, a.get(2));
    }

    /** The zone key of a constant zone argument, or -1 when the zone varies per row. */
    private static int constantZone(List<Expression> calls, int index)
    {
        return calls.get(index) instanceof Expression.Literal(Object value, Type _) && value instanceof String zone ? TimeZones.key(zone) : -1;
    }

    /** The instant of a timestamp with time zone as epoch milliseconds (bigint): what comparisons compare. */
    static final class Instant
            extends Kernel
    {
        Instant(ValueEvaluator value)
        {
            super(Type.BIGINT, List.of(value));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = x[j] >> TimeZones.KEY_BITS;
            }
        }
    }

    /** A wall-clock time (timestamp micros) placed back in the zone of a timestamp with time zone. */
    static final class Rezone
            extends Kernel
    {
        private final TimeZones.OffsetCache zones = new TimeZones.OffsetCache();
        private final int precision;

        Rezone(Type type, ValueEvaluator local, ValueEvaluator zoned)
        {
            super(type, List.of(local, zoned));
            this.precision = TimestampsWithTimeZone.precision(type);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] local = in[0].longs;
            long[] zoned = in[1].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = nulls[j] ? 0 : TimestampsWithTimeZone.round(
                        TimestampsWithTimeZone.fromLocalMicros(local[j], TimeZones.zoneKey(zoned[j]), zones), precision);
            }
        }
    }

    static final class WithTimezone
            extends Kernel
    {
        private final TimeZones.OffsetCache zones = new TimeZones.OffsetCache();
        private final int zone;

        WithTimezone(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
            // one argument: the planner appends the session's zone, so alone it is UTC
            this.zone = calls.size() > 1 ? constantZone(calls, 1) : TimeZones.UTC_KEY;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    r[j] = 0;
                    continue;
                }
                int key = zone >= 0 ? zone : TimeZones.key(string(1, j));
                r[j] = TimestampsWithTimeZone.fromLocalMicros(x[j], key, zones);
            }
        }
    }

    static final class AtTimezone
            extends Kernel
    {
        private final int zone;

        AtTimezone(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
            // one argument: the planner appends the session's zone, so alone it is UTC
            this.zone = calls.size() > 1 ? constantZone(calls, 1) : TimeZones.UTC_KEY;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            long mask = ~((1L << TimeZones.KEY_BITS) - 1);
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    r[j] = 0;
                    continue;
                }
                int key = zone >= 0 ? zone : TimeZones.key(string(1, j));
                r[j] = (x[j] & mask) | key;
            }
        }
    }

    static final class ToUnixtime
            extends Kernel
    {
        ToUnixtime(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            double[] r = result.doubles;
            for (int j = 0; j < count; j++) {
                r[j] = (x[j] >> TimeZones.KEY_BITS) / 1000.0;
            }
        }
    }

    static final class FromUnixtime
            extends Kernel
    {
        private final int zone;

        FromUnixtime(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
            // one argument: the planner appends the session's zone, so alone it is UTC
            this.zone = calls.size() > 1 ? constantZone(calls, 1) : TimeZones.UTC_KEY;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            double[] x = in[0].doubles;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    r[j] = 0;
                    continue;
                }
                double millis = Math.floor(x[j] * 1000 + 0.5);
                if (!(Math.abs(millis) < (double) (1L << 50))) {
                    throw DateTimeFunctions.outOfRange();
                }
                int key = zone >= 0 ? zone : TimeZones.key(string(1, j));
                r[j] = TimeZones.pack((long) millis, key);
            }
        }
    }

    /** {@code x1 - x2} of two timestamps with time zone: an interval day to second (milliseconds) between the instants. */
    static final class InstantMinus
            extends Kernel
    {
        InstantMinus(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] a = in[0].longs;
            long[] b = in[1].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = (a[j] >> TimeZones.KEY_BITS) - (b[j] >> TimeZones.KEY_BITS);
            }
        }
    }

    /** Units shorter than a day added to the instant (so across a DST change an hour is an hour). */
    static final class InstantAdd
            extends Kernel
    {
        private final long millisPerUnit;

        InstantAdd(Type type, List<ValueEvaluator> args, long millisPerUnit)
        {
            super(type, args);
            this.millisPerUnit = millisPerUnit;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] n = in[0].longs;
            long[] x = in[1].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    r[j] = 0;
                    continue;
                }
                long millis;
                try {
                    millis = Math.addExact(x[j] >> TimeZones.KEY_BITS, Math.multiplyExact(n[j], millisPerUnit));
                }
                catch (ArithmeticException e) {
                    throw DateTimeFunctions.outOfRange();
                }
                if (Math.abs(millis) >= 1L << 50) {
                    throw DateTimeFunctions.outOfRange();
                }
                r[j] = TimeZones.pack(millis, TimeZones.zoneKey(x[j]));
            }
        }
    }

    static final class DateDiff
            extends Kernel
    {
        private final TimeZones.OffsetCache zones = new TimeZones.OffsetCache();
        private final Unit unit;

        DateDiff(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(1, 3));
            this.unit = Unit.of(constant(calls, 0), false);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] y = in[1].longs;
            long[] r = result.longs;
            long perMillis = unit.micros / DateTimeFunctions.MICROS_PER_MILLI;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    r[j] = 0;
                    continue;
                }
                long a = x[j] >> TimeZones.KEY_BITS;
                long b = y[j] >> TimeZones.KEY_BITS;
                if (unit.months() == 0 && unit.micros < DateTimeFunctions.MICROS_PER_DAY) {
                    r[j] = (b - a) / perMillis;
                    continue;
                }
                int zone = TimeZones.zoneKey(x[j]);
                long la = (a + zones.offsetMillis(zone, a)) * 1000L;
                long lb = (b + zones.offsetMillis(zone, b)) * 1000L;
                if (unit.months() == 0) {
                    r[j] = (lb - la) / unit.micros;
                    continue;
                }
                long months = DateTimeFunctions.monthsBetween(Math.floorDiv(la, DateTimeFunctions.MICROS_PER_DAY), Math.floorMod(la, DateTimeFunctions.MICROS_PER_DAY),
                        Math.floorDiv(lb, DateTimeFunctions.MICROS_PER_DAY), Math.floorMod(lb, DateTimeFunctions.MICROS_PER_DAY));
                r[j] = months / unit.months();
            }
        }
    }

    static final class ZoneOffsetPart
            extends Kernel
    {
        private final TimeZones.OffsetCache zones = new TimeZones.OffsetCache();
        private final boolean hours;

        ZoneOffsetPart(Type type, List<ValueEvaluator> args, boolean hours)
        {
            super(type, args);
            this.hours = hours;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                long minutes = zones.offsetMillis(TimeZones.zoneKey(x[j]), x[j] >> TimeZones.KEY_BITS) / 60_000L;
                r[j] = hours ? minutes / 60 : minutes % 60;
            }
        }
    }

    /** Formatting with a pattern, row by row (text output is not the hot path). */
    static final class Format
            extends Kernel
    {
        private final DateTimeFormatter format;
        /** The zones seen, by key: a region's ZoneId is made once, not once per value. */
        private java.time.ZoneId[] zoneIds;

        Format(Type type, List<ValueEvaluator> args, DateTimeFormatter format)
        {
            super(type, args.subList(0, 1));
            this.format = format;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                ZonedDateTime value = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(x[j] >> TimeZones.KEY_BITS), zoneId(TimeZones.zoneKey(x[j])));
                try {
                    setString(j, format.format(value));
                }
                catch (DateTimeException e) {
                    throw invalidArgument("Cannot format " + value + ": " + e.getMessage());
                }
            }
        }

        private java.time.ZoneId zoneId(int key)
        {
            if (zoneIds == null) {
                zoneIds = new java.time.ZoneId[1 << TimeZones.KEY_BITS];
            }
            java.time.ZoneId zone = zoneIds[key];
            if (zone == null) {
                zone = TimeZones.zoneId(key);
                zoneIds[key] = zone;
            }
            return zone;
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.fff]} and the offset ({@code Z} for UTC), with the value's precision. */
    static final class ToIso8601
            extends Kernel
    {
        private final TimeZones.OffsetCache zones = new TimeZones.OffsetCache();

        ToIso8601(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            int precision = TimestampsWithTimeZone.precision(args[0].type);
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                long millis = x[j] >> TimeZones.KEY_BITS;
                long offset = zones.offsetMillis(TimeZones.zoneKey(x[j]), millis);
                byte[] out = reserve(64);
                int p = reserved();
                int end = DateTimes.formatTimestamp((millis + offset) * 1000L, Math.min(precision, 3), out, p);
                out[p + 10] = 'T';
                if (offset == 0) {
                    out[end++] = 'Z';
                }
                else {
                    long minutes = Math.abs(offset) / 60_000L;
                    out[end++] = (byte) (offset < 0 ? '-' : '+');
                    out[end++] = (byte) ('0' + minutes / 600);
                    out[end++] = (byte) ('0' + minutes / 60 % 10);
                    out[end++] = ':';
                    out[end++] = (byte) ('0' + minutes % 60 / 10);
                    out[end++] = (byte) ('0' + minutes % 10);
                }
                commit(j, end - p);
            }
        }
    }
}
