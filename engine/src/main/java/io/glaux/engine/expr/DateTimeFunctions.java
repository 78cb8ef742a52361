package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.DATETIME;
import static io.glaux.engine.expr.FunctionRegistry.Arg.DOUBLE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.TIMESTAMP;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.argument;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * Date and time functions on the engine's representation: a date is days since 1970-01-01, a
 * timestamp microseconds since 1970-01-01 00:00 (wall-clock time, no zone). Civil fields are computed
 * arithmetically, without per-row objects, except for parsing and formatting text.
 */
final class DateTimeFunctions
{
    static final long MICROS_PER_MILLI = 1_000L;
    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    static final long MICROS_PER_DAY = DateTimes.MICROS_PER_DAY;
    private static final Type TIMESTAMP_3 = new Type.Timestamp(3);
    private static final DateTimeFormatter ISO_8601 = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter(Locale.ROOT);

    private DateTimeFunctions() {}

    enum Unit
    {
        MILLISECOND(MICROS_PER_MILLI), SECOND(MICROS_PER_SECOND), MINUTE(MICROS_PER_MINUTE), HOUR(MICROS_PER_HOUR),
        DAY(MICROS_PER_DAY), WEEK(7 * MICROS_PER_DAY), MONTH(0), QUARTER(0), YEAR(0);

        final long micros;

        Unit(long micros)
        {
            this.micros = micros;
        }

        int months()
        {
            return switch (this) {
                case MONTH -> 1;
                case QUARTER -> 3;
                case YEAR -> 12;
                default -> 0;
            };
        }

        static Unit of(Object text, boolean date)
        {
            String name = ((String) text).toLowerCase(Locale.ROOT);
            Unit unit = switch (name) {
                case "millisecond" -> MILLISECOND;
                case "second" -> SECOND;
                case "minute" -> MINUTE;
                case "hour" -> HOUR;
                case "day" -> DAY;
                case "week" -> WEEK;
                case "month" -> MONTH;
                case "quarter" -> QUARTER;
                case "year" -> YEAR;
                default -> null;
            };
            if (unit == null || (date && unit.micros != 0 && unit.micros < MICROS_PER_DAY)) {
                throw invalidArgument("'" + text + "' is not a valid " + (date ? "DATE" : "TIMESTAMP") + " field");
            }
            return unit;
        }
    }

    enum Field
    {
        YEAR, QUARTER, MONTH, WEEK, DAY, DAY_OF_WEEK, DAY_OF_YEAR, YEAR_OF_WEEK, HOUR, MINUTE, SECOND, MILLISECOND
    }

    static void register(FunctionRegistry.Builder b)
    {
        b.add("date_trunc", args(VARCHAR, DATETIME), argument(1), "same as x", "x truncated to `unit` (millisecond ... year; week starts on Monday).",
                DateTrunc::new, 0);
        b.add("date_add", args(VARCHAR, INTEGER, DATETIME), argument(2), "same as x", "x plus `value` `unit`s (millisecond ... year).", DateAdd::new, 0);
        b.add("date_diff", args(VARCHAR, DATETIME, DATETIME), false, returns(Type.BIGINT), "bigint",
                "Number of whole `unit`s from x1 to x2 (x2 - x1), in Trino's argument order.", "", DateDiff::new, 0);
        field(b, "year", Field.YEAR, "Year.");
        field(b, "quarter", Field.QUARTER, "Quarter of the year, 1 to 4.");
        field(b, "month", Field.MONTH, "Month of the year, 1 to 12.");
        field(b, "week", Field.WEEK, "ISO week of the year, 1 to 53.");
        b.alias("week_of_year", "week");
        field(b, "day", Field.DAY, "Day of the month.");
        b.alias("day_of_month", "day");
        field(b, "day_of_week", Field.DAY_OF_WEEK, "ISO day of the week: Monday = 1 ... Sunday = 7.");
        b.alias("dow", "day_of_week");
        field(b, "day_of_year", Field.DAY_OF_YEAR, "Day of the year, 1 to 366.");
        b.alias("doy", "day_of_year");
        field(b, "year_of_week", Field.YEAR_OF_WEEK, "Year of the ISO week.");
        b.alias("yow", "year_of_week");
        field(b, "hour", Field.HOUR, "Hour of the day, 0 to 23.");
        field(b, "minute", Field.MINUTE, "Minute of the hour.");
        field(b, "second", Field.SECOND, "Second of the minute.");
        field(b, "millisecond", Field.MILLISECOND, "Millisecond of the second.");
        b.add("last_day_of_month", args(DATETIME), returns(Type.DATE), "date", "The last day of the month of x.", LastDayOfMonth::new);
        b.add("to_unixtime", args(TIMESTAMP), returns(Type.DOUBLE), "double", "Seconds since 1970-01-01 00:00 UTC.", ToUnixtime::new);
        b.add("from_iso8601_timestamp", args(VARCHAR), returns(Type.TIMESTAMP_TZ), "timestamp(3) with time zone",
                "Parses an ISO 8601 timestamp (the time defaults to 00:00:00.000) in the zone of its offset, else in the session's zone.",
                (a, c, t) -> new ParseWithTimeZone(t, a, null, sessionZone(c, 1)));
        b.add("$from_iso8601_timestamp", args(VARCHAR, VARCHAR), returns(Type.TIMESTAMP_TZ), "timestamp(3) with time zone",
                "from_iso8601_timestamp with the session's zone.", (a, c, t) -> new ParseWithTimeZone(t, a, null, sessionZone(c, 1)), 1);
        b.add("from_iso8601_date", args(VARCHAR), returns(Type.DATE), "date", "Parses an ISO 8601 date.", (a, c, t) -> new Parse(t, a, null, true));
        b.add("date_parse", args(VARCHAR, VARCHAR), returns(TIMESTAMP_3), "timestamp(3)", "Parses the string with a MySQL format (`%Y-%m-%d %H:%i:%s`).",
                (a, c, t) -> new Parse(t, a, DateTimes.mysqlFormat((String) constant(c, 1)), false), 1);
        b.add("format_datetime", args(DATETIME, VARCHAR), false, returns(Type.VARCHAR), "varchar",
                "Formats x with a Joda-Time pattern (`yyyy-MM-dd HH:mm:ss.SSS`).", "x is formatted in UTC (no time zone type yet).",
                (a, c, t) -> new Format(t, a, DateTimes.jodaFormat((String) constant(c, 1))), 1);
        b.add("parse_datetime", args(VARCHAR, VARCHAR), returns(Type.TIMESTAMP_TZ), "timestamp(3) with time zone",
                "Parses the string with a Joda-Time pattern (`yyyy-MM-dd HH:mm:ss`) in the zone it names (`Z`, `ZZZ`), else in the session's zone.",
                (a, c, t) -> new ParseWithTimeZone(t, a, DateTimes.jodaFormat((String) constant(c, 1)), sessionZone(c, 2)), 1);
        b.add("$parse_datetime", args(VARCHAR, VARCHAR, VARCHAR), returns(Type.TIMESTAMP_TZ), "timestamp(3) with time zone",
                "parse_datetime with the session's zone.",
                (a, c, t) -> new ParseWithTimeZone(t, a, DateTimes.jodaFormat((String) constant(c, 1)), sessionZone(c, 2)), 1, 2);
        b.add("to_iso8601", args(DATETIME), returns(Type.VARCHAR), "varchar",
                "x as ISO 8601 text: `2024-03-05` for a date, `2024-03-05T13:14:15.000` for a timestamp(3).", ToIso8601::new);
        b.add("date_format", args(DATETIME, VARCHAR), returns(Type.VARCHAR), "varchar", "Formats x with a MySQL format (`%Y-%m-%d %H:%i:%s`).",
                (a, c, t) -> new Format(t, a, DateTimes.mysqlFormat((String) constant(c, 1))), 1);
    }

    /** The zone key of the constant session zone the planner appends as argument {@code index}; UTC when absent. */
    static int sessionZone(List<Expression> calls, int index)
    {
        return index < calls.size() ? TimeZones.key((String) constant(calls, index)) : TimeZones.UTC_KEY;
    }

    private static void field(FunctionRegistry.Builder b, String name, Field field, String description)
    {
        b.add(name, args(DATETIME), returns(Type.BIGINT), "bigint", description, (a, c, t) -> new Extract(t, a, field));
    }

    // ------------------------------------------------------------------ civil arithmetic

    static long year(long packed)
    {
        return packed >= 0 ? packed / 10000 : -((-packed) / 10000);
    }

    static int month(long packed)
    {
        return (int) ((Math.abs(packed) / 100) % 100);
    }

    static int dayOfMonth(long packed)
    {
        return (int) (Math.abs(packed) % 100);
    }

    /** ISO day of the week of an epoch day: Monday = 1 ... Sunday = 7. */
    static int dayOfWeek(long days)
    {
        return Math.floorMod(days + 3, 7) + 1;
    }

    static long field(Field field, long days, long microsOfDay)
    {
        return switch (field) {
            case HOUR -> microsOfDay / MICROS_PER_HOUR;
            case MINUTE -> microsOfDay / MICROS_PER_MINUTE % 60;
            case SECOND -> microsOfDay / MICROS_PER_SECOND % 60;
            case MILLISECOND -> microsOfDay / MICROS_PER_MILLI % 1000;
            case DAY_OF_WEEK -> dayOfWeek(days);
            case WEEK, YEAR_OF_WEEK -> {
                long thursday = days - (dayOfWeek(days) - 1) + 3;
                long weekYear = year(DateTimes.civilFromDays(thursday));
                yield field == Field.YEAR_OF_WEEK ? weekYear : (thursday - DateTimes.daysFromCivil(weekYear, 1, 1)) / 7 + 1;
            }
            default -> {
                long packed = DateTimes.civilFromDays(days);
                yield switch (field) {
                    case YEAR -> year(packed);
                    case QUARTER -> (month(packed) - 1) / 3 + 1;
                    case MONTH -> month(packed);
                    case DAY -> dayOfMonth(packed);
                    case DAY_OF_YEAR -> days - DateTimes.daysFromCivil(year(packed), 1, 1) + 1;
                    default -> throw new IllegalStateException(field.name());
                };
            }
        };
    }

    /** The epoch day {@code months} months after {@code days}, the day of month clamped to the month's length. */
    static long addMonths(long days, long months)
    {
        long packed = DateTimes.civilFromDays(days);
        long index;
        try {
            index = Math.addExact(Math.multiplyExact(year(packed), 12) + month(packed) - 1, months);
        }
        catch (ArithmeticException e) {
            throw outOfRange();
        }
        long y = Math.floorDiv(index, 12);
        int m = Math.floorMod(index, 12) + 1;
        int d = Math.min(dayOfMonth(packed), DateTimes.daysInMonth(y, m));
        return DateTimes.daysFromCivil(y, m, d);
    }

    /** Whole months from (days1, micros1) to (days2, micros2), truncated toward zero. */
    static long monthsBetween(long days1, long micros1, long days2, long micros2)
    {
        long p1 = DateTimes.civilFromDays(days1);
        long p2 = DateTimes.civilFromDays(days2);
        long diff = (year(p2) * 12 + month(p2)) - (year(p1) * 12 + month(p1));
        long rest1 = dayOfMonth(p1) * MICROS_PER_DAY + micros1;
        long rest2 = dayOfMonth(p2) * MICROS_PER_DAY + micros2;
        if (diff > 0 && rest2 < rest1) {
            diff--;
        }
        else if (diff < 0 && rest2 > rest1) {
            diff++;
        }
        return diff;
    }

    static GlauxException outOfRange()
    {
        return new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "Date/time value out of range");
    }

    // ------------------------------------------------------------------ evaluators

    static final class DateTrunc
            extends Kernel
    {
        private final Unit unit;
        private final boolean date;

        DateTrunc(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(1, 2));
            this.date = SqlTypes.isDate(type);
            this.unit = Unit.of(constant(calls, 0), date);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            long scale = date ? 1 : MICROS_PER_DAY;
            for (int j = 0; j < count; j++) {
                long v = x[j];
                if (!date && unit.micros != 0 && unit.micros <= MICROS_PER_DAY) {
                    r[j] = Math.floorDiv(v, unit.micros) * unit.micros;
                    continue;
                }
                long days = date ? v : Math.floorDiv(v, MICROS_PER_DAY);
                long truncated = switch (unit) {
                    case DAY -> days;
                    case WEEK -> days - (dayOfWeek(days) - 1);
                    case MONTH, QUARTER, YEAR -> {
                        long packed = DateTimes.civilFromDays(days);
                        int m = switch (unit) {
                            case MONTH -> month(packed);
                            case QUARTER -> (month(packed) - 1) / 3 * 3 + 1;
                            default -> 1;
                        };
                        yield DateTimes.daysFromCivil(year(packed), m, 1);
                    }
                    default -> throw new IllegalStateException(unit.name());
                };
                r[j] = truncated * scale;
            }
        }
    }

    static final class DateAdd
            extends Kernel
    {
        private final Unit unit;
        private final boolean date;

        DateAdd(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(1, 3));
            this.date = SqlTypes.isDate(type);
            this.unit = Unit.of(constant(calls, 0), date);
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
                long v = x[j];
                try {
                    if (unit.months() != 0) {
                        long months = Math.multiplyExact(n[j], unit.months());
                        if (date) {
                            r[j] = addMonths(v, months);
                        }
                        else {
                            long days = Math.floorDiv(v, MICROS_PER_DAY);
                            r[j] = Math.addExact(Math.multiplyExact(addMonths(days, months), MICROS_PER_DAY), Math.floorMod(v, MICROS_PER_DAY));
                        }
                    }
                    else if (date) {
                        r[j] = Math.addExact(v, Math.multiplyExact(n[j], unit.micros / MICROS_PER_DAY));
                    }
                    else {
                        r[j] = Math.addExact(v, Math.multiplyExact(n[j], unit.micros));
                    }
                }
                catch (ArithmeticException e) {
                    throw outOfRange();
                }
                if (date && (r[j] < Integer.MIN_VALUE || r[j] > Integer.MAX_VALUE)) {
                    throw outOfRange();
                }
            }
        }
    }

    static final class DateDiff
            extends Kernel
    {
        private final Unit unit;
        private final boolean date;

        DateDiff(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, timestamps(args.subList(1, 3)));
            this.date = SqlTypes.isDate(this.args[0].type);
            this.unit = Unit.of(constant(calls, 0), date);
        }

        private static List<ValueEvaluator> timestamps(List<ValueEvaluator> args)
        {
            ValueEvaluator a = args.get(0);
            ValueEvaluator b = args.get(1);
            if (SqlTypes.isDate(a.type) == SqlTypes.isDate(b.type)) {
                return args;
            }
            Type timestamp = SqlTypes.isTimestamp(a.type) ? a.type : b.type;
            return List.of(CastEvaluator.of(a, timestamp), CastEvaluator.of(b, timestamp));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] y = in[1].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                long a = x[j];
                long b = y[j];
                if (unit.months() == 0) {
                    long per = date ? unit.micros / MICROS_PER_DAY : unit.micros;
                    // exact unless the difference overflows (then computed in two steps)
                    long difference = b - a;
                    r[j] = ((a ^ b) & (a ^ difference)) < 0 ? (b / per - a / per) : difference / per;
                    continue;
                }
                long months = date
                        ? monthsBetween(a, 0, b, 0)
                        : monthsBetween(Math.floorDiv(a, MICROS_PER_DAY), Math.floorMod(a, MICROS_PER_DAY), Math.floorDiv(b, MICROS_PER_DAY), Math.floorMod(b, MICROS_PER_DAY));
                r[j] = months / unit.months();
            }
        }
    }

    static final class Extract
            extends Kernel
    {
        private final Field field;
        private final boolean date;

        Extract(Type type, List<ValueEvaluator> args, Field field)
        {
            super(type, args);
            this.field = field;
            this.date = SqlTypes.isDate(args.getFirst().type);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            if (date) {
                for (int j = 0; j < count; j++) {
                    r[j] = field(field, x[j], 0);
                }
                return;
            }
            for (int j = 0; j < count; j++) {
                long v = x[j];
                long days = Math.floorDiv(v, MICROS_PER_DAY);
                r[j] = field(field, days, v - days * MICROS_PER_DAY);
            }
        }
    }

    static final class LastDayOfMonth
            extends Kernel
    {
        LastDayOfMonth(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            boolean date = SqlTypes.isDate(args[0].type);
            for (int j = 0; j < count; j++) {
                long days = date ? x[j] : Math.floorDiv(x[j], MICROS_PER_DAY);
                long packed = DateTimes.civilFromDays(days);
                long y = year(packed);
                int m = month(packed);
                r[j] = DateTimes.daysFromCivil(y, m, DateTimes.daysInMonth(y, m));
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
                r[j] = x[j] / 1e6;
            }
        }
    }

    /** Text to date or timestamp, row by row (the only per-row objects here: parsing is not the hot path). */
    static final class Parse
            extends Kernel
    {
        private final DateTimeFormatter format;
        private final boolean date;

        Parse(Type type, List<ValueEvaluator> args, DateTimeFormatter format, boolean date)
        {
            super(type, args.subList(0, 1));
            this.format = format;
            this.date = date;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                String text = string(0, j);
                if (date) {
                    long days = DateTimes.parseDate(in[0].bytes, in[0].offsets[j], in[0].offsets[j + 1]);
                    if (days == DateTimes.INVALID) {
                        days = isoDateElements(text);
                    }
                    r[j] = days;
                    continue;
                }
                LocalDateTime value = format == null ? parseIso(text) : parse(text, format);
                long seconds = value.toEpochSecond(ZoneOffset.UTC);
                long micros = seconds * MICROS_PER_SECOND + value.getNano() / 1000;
                r[j] = DateTimes.roundMicros(micros, ((Type.Timestamp) type).precision());
            }
        }
    }

    /**
     * The ISO 8601 dates besides {@code YYYY-MM-DD} that Trino's {@code from_iso8601_date} reads:
     * {@code YYYY}, {@code YYYY-MM}, week dates {@code YYYY-Www[-D]} and ordinal dates {@code YYYY-DDD}.
     */
    static long isoDateElements(String text)
    {
        java.util.regex.Matcher m = ISO_DATE_ELEMENTS.matcher(text);
        try {
            if (m.matches()) {
                int year = Integer.parseInt(m.group(1));
                if (m.group(2) != null) {
                    return LocalDate.of(year, Integer.parseInt(m.group(2)), 1).toEpochDay();
                }
                if (m.group(3) != null) {
                    int week = Integer.parseInt(m.group(3));
                    int day = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
                    LocalDate date = LocalDate.of(year, 1, 4)
                            .with(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
                            .with(ChronoField.DAY_OF_WEEK, day);
                    if (date.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) != year
                            || week > date.range(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum()) {
                        throw new DateTimeException("no such week");
                    }
                    return date.toEpochDay();
                }
                if (m.group(5) != null) {
                    return LocalDate.ofYearDay(year, Integer.parseInt(m.group(5))).toEpochDay();
                }
                return LocalDate.of(year, 1, 1).toEpochDay();
            }
        }
        catch (DateTimeException e) {
            // falls through to the error
        }
        throw invalidArgument("Invalid format: \"" + text + "\"");
    }

    private static final java.util.regex.Pattern ISO_DATE_ELEMENTS =
            java.util.regex.Pattern.compile("(\\d{4})(?:-(\\d{2})|-W(\\d{2})(?:-([1-7]))?|-(\\d{3}))?");

    static LocalDateTime parseIso(String text)
    {
        try {
            TemporalAccessor parsed = ISO_8601.parse(text.strip());
            LocalDateTime local = LocalDate.from(parsed).atTime(parsed.isSupported(ChronoField.NANO_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                local = local.atOffset(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            return local;
        }
        catch (DateTimeException e) {
            throw invalidArgument("Invalid format: \"" + text + "\"");
        }
    }

    static LocalDateTime parse(String text, DateTimeFormatter formatter)
    {
        try {
            TemporalAccessor parsed = formatter.parse(text);
            LocalDateTime value = DateTimes.localDateTime(parsed);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                value = value.atOffset(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            }
            return value;
        }
        catch (DateTimeException e) {
            throw invalidArgument("Invalid format: \"" + text + "\"");
        }
    }

    /**
     * Parses {@code text} (ISO 8601 when {@code formatter} is null, else with the Joda-Time pattern's
     * formatter) into a packed timestamp(3) with time zone, as Trino's {@code from_iso8601_timestamp}
     * and {@code parse_datetime}: in the zone or offset the text names, else in {@code defaultZone}
     * (the session's).
     */
    static long parseWithTimeZone(String text, DateTimeFormatter formatter, int defaultZone, TimeZones.OffsetCache cache)
    {
        try {
            TemporalAccessor parsed = formatter == null ? ISO_8601.parse(text.strip()) : formatter.parse(text);
            LocalDateTime local = formatter == null
                    ? LocalDate.from(parsed).atTime(parsed.isSupported(ChronoField.NANO_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT)
                    : DateTimes.localDateTime(parsed);
            java.time.ZoneId zone = parsed.query(java.time.temporal.TemporalQueries.zone());
            int key = defaultZone;
            if (zone instanceof ZoneOffset offset) {
                if (offset.getTotalSeconds() % 60 != 0) {
                    throw new DateTimeException("offset with seconds");
                }
                key = TimeZones.offsetMinutesKey(offset.getTotalSeconds() / 60);
            }
            else if (zone != null) {
                key = TimeZones.key(zone);
            }
            long localMillis = Math.multiplyExact(local.toEpochSecond(ZoneOffset.UTC), 1000L) + local.getNano() / 1_000_000;
            return TimeZones.pack(cache.instantOf(key, localMillis), key);
        }
        catch (DateTimeException | ArithmeticException e) {
            throw invalidArgument("Invalid format: \"" + text + "\"");
        }
    }

    /** {@link #parseWithTimeZone} per row; the last argument is the session's zone (a constant the planner adds). */
    static final class ParseWithTimeZone
            extends Kernel
    {
        private final DateTimeFormatter format;
        private final int defaultZone;
        private final TimeZones.OffsetCache cache = new TimeZones.OffsetCache();

        ParseWithTimeZone(Type type, List<ValueEvaluator> args, DateTimeFormatter format, int defaultZone)
        {
            super(type, args.subList(0, 1));
            this.format = format;
            this.defaultZone = defaultZone;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = nulls[j] ? 0 : parseWithTimeZone(string(0, j), format, defaultZone, cache);
            }
        }
    }

    static final class Format
            extends Kernel
    {
        private final DateTimeFormatter format;

        Format(Type type, List<ValueEvaluator> args, DateTimeFormatter format)
        {
            super(type, args.subList(0, 1));
            this.format = format;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            boolean date = SqlTypes.isDate(args[0].type);
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                long micros = date ? x[j] * MICROS_PER_DAY : x[j];
                LocalDateTime value = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                        (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
                try {
                    setString(j, format.format(value.atOffset(ZoneOffset.UTC)));
                }
                catch (DateTimeException e) {
                    throw invalidArgument("Cannot format " + value + ": " + e.getMessage());
                }
            }
        }
    }

    /** {@code to_iso8601}: {@code YYYY-MM-DD} or {@code YYYY-MM-DDTHH:MM:SS[.fff]} with the timestamp's precision. */
    static final class ToIso8601
            extends Kernel
    {
        ToIso8601(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            boolean date = SqlTypes.isDate(args[0].type);
            int precision = date ? 0 : ((Type.Timestamp) args[0].type).precision();
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                byte[] out = reserve(48);
                int p = reserved();
                int end;
                if (date) {
                    end = DateTimes.formatDate(x[j], out, p);
                }
                else {
                    end = DateTimes.formatTimestamp(x[j], precision, out, p);
                    out[p + (end - p) - (precision > 0 ? precision + 10 : 9)] = 'T';
                }
                commit(j, end - p);
            }
        }
    }
}
