package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.DATETIME;
import static io.glaux.engine.expr.FunctionRegistry.Arg.DOUBLE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTERVAL_DAY_TO_SECOND;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTERVAL_YEAR_TO_MONTH;
import static io.glaux.engine.expr.FunctionRegistry.Arg.TIME;
import static io.glaux.engine.expr.FunctionRegistry.Arg.TIMESTAMP_OR_TIME;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.argument;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.List;
import java.util.Locale;

/**
 * {@code time(p)} and the interval types: a time is microseconds since midnight, an
 * {@code interval day to second} milliseconds and an {@code interval year to month} months, as in Trino.
 * Fields, {@code date_add}/{@code date_diff}/{@code date_trunc} on a time (which wrap around midnight),
 * datetime ± interval, datetime − datetime, interval arithmetic, {@code to_milliseconds},
 * {@code parse_duration} and {@code human_readable_seconds}. Text is parsed and written without per-row objects.
 */
public final class TimeFunctions
{
    static final long MICROS_PER_DAY = DateTimes.MICROS_PER_DAY;
    static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L};

    private TimeFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        timeField(b, "hour", DateTimeFunctions.MICROS_PER_HOUR, 24);
        timeField(b, "minute", DateTimeFunctions.MICROS_PER_MINUTE, 60);
        timeField(b, "second", DateTimeFunctions.MICROS_PER_SECOND, 60);
        timeField(b, "millisecond", DateTimeFunctions.MICROS_PER_MILLI, 1000);
        b.add("date_add", args(VARCHAR, INTEGER, TIME), argument(2), "same as x",
                "x plus `value` `unit`s (millisecond ... hour), wrapping around midnight.", TimeAdd::new, 0);
        b.add("date_diff", args(VARCHAR, TIME, TIME), false, returns(Type.BIGINT), "bigint",
                "Number of whole `unit`s (millisecond ... hour) from x1 to x2.", "", TimeDiff::new, 0);
        b.add("date_trunc", args(VARCHAR, TIME), argument(1), "same as x", "x truncated to `unit` (millisecond ... hour).", TimeTrunc::new, 0);
        b.add("to_milliseconds", args(INTERVAL_DAY_TO_SECOND), returns(Type.BIGINT), "bigint", "The interval in milliseconds.",
                (a, c, t) -> new IntervalArithmetic(t, a, IntervalArithmetic.Op.IDENTITY));
        b.add("parse_duration", args(VARCHAR), returns(Type.INTERVAL_DAY_TO_SECOND), "interval day to second",
                "Parses `value unit` (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`), e.g. `3.5m`.", ParseDuration::new);
        b.add("human_readable_seconds", args(DOUBLE), returns(Type.VARCHAR), "varchar",
                "The seconds as weeks, days, hours, minutes and seconds: `1 minute, 36 seconds`.", HumanReadableSeconds::new);
        // the operators, as the planner calls them
        b.add("$datetime_minus", args(TIMESTAMP_OR_TIME, TIMESTAMP_OR_TIME), returns(Type.INTERVAL_DAY_TO_SECOND), "interval day to second",
                "x1 - x2.", DatetimeMinus::new);
        b.add("$plus_interval", args(TIME, INTERVAL_DAY_TO_SECOND), argument(0), "time", "x + interval.",
                (a, c, t) -> new PlusInterval(t, a, PlusInterval.Mode.TIME));
        b.add("$plus_interval", args(DATETIME, INTERVAL_DAY_TO_SECOND), argument(0), "same as x", "x + interval.",
                (a, c, t) -> new PlusInterval(t, a, SqlTypes.isDate(t) ? PlusInterval.Mode.DATE : PlusInterval.Mode.TIMESTAMP));
        b.add("$plus_interval", args(DATETIME, INTERVAL_YEAR_TO_MONTH), argument(0), "same as x", "x + interval.",
                (a, c, t) -> new PlusInterval(t, a, SqlTypes.isDate(t) ? PlusInterval.Mode.DATE_MONTHS : PlusInterval.Mode.TIMESTAMP_MONTHS));
        b.add("$plus_interval", args(TIME, INTERVAL_YEAR_TO_MONTH), argument(0), "time", "x (a time does not move by months).",
                (a, c, t) -> new PlusInterval(t, a, PlusInterval.Mode.TIME_MONTHS));
        for (FunctionRegistry.Arg interval : List.of(INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH)) {
            b.add("$interval_add", args(interval, interval), argument(0), "interval", "x + y.", (a, c, t) -> new IntervalArithmetic(t, a, IntervalArithmetic.Op.ADD));
            b.add("$interval_subtract", args(interval, interval), argument(0), "interval", "x - y.",
                    (a, c, t) -> new IntervalArithmetic(t, a, IntervalArithmetic.Op.SUBTRACT));
            b.add("$interval_negate", args(interval), argument(0), "interval", "-x.", (a, c, t) -> new IntervalArithmetic(t, a, IntervalArithmetic.Op.NEGATE));
            b.add("$interval_multiply", args(interval, DOUBLE), argument(0), "interval", "x * n.",
                    (a, c, t) -> new IntervalArithmetic(t, a, IntervalArithmetic.Op.MULTIPLY));
            b.add("$interval_divide", args(interval, DOUBLE), argument(0), "interval", "x / n.",
                    (a, c, t) -> new IntervalArithmetic(t, a, IntervalArithmetic.Op.DIVIDE));
        }
    }

    private static void timeField(FunctionRegistry.Builder b, String name, long unit, long modulus)
    {
        b.add(name, args(TIME), returns(Type.BIGINT), "bigint", "The " + name + " of the time of day.", (a, c, t) -> new TimeField(t, a, unit, modulus));
    }

    static int precision(Type type)
    {
        return type instanceof Type.Time(int p) ? p : 3;
    }

    /** Rounds micros of the day to {@code precision} (0..6) digits, half up, wrapping around midnight. */
    static long round(long micros, int precision)
    {
        return Math.floorMod(DateTimes.roundMicros(micros, precision), MICROS_PER_DAY);
    }

    private static long unitMicros(Object text)
    {
        String name = ((String) text).toLowerCase(Locale.ROOT);
        return switch (name) {
            case "millisecond" -> DateTimeFunctions.MICROS_PER_MILLI;
            case "second" -> DateTimeFunctions.MICROS_PER_SECOND;
            case "minute" -> DateTimeFunctions.MICROS_PER_MINUTE;
            case "hour" -> DateTimeFunctions.MICROS_PER_HOUR;
            default -> throw invalidArgument("'" + text + "' is not a valid TIME field");
        };
    }

    // ------------------------------------------------------------------ text

    /**
     * Parses {@code H[H]:MM[:SS[.f...]]} to micros of the day rounded to {@code precision} digits, or
     * {@link DateTimes#INVALID}.
     */
    static long parseTime(byte[] b, int from, int to, int precision)
    {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        int p = from;
        int hour = 0;
        while (p < to && p - from < 2 && isDigit(b[p])) {
            hour = hour * 10 + (b[p++] - '0');
        }
        if (p == from || p >= to || b[p] != ':' || hour > 23) {
            return DateTimes.INVALID;
        }
        p++;
        if (p + 2 > to || !isDigit(b[p]) || !isDigit(b[p + 1])) {
            return DateTimes.INVALID;
        }
        int minute = (b[p] - '0') * 10 + (b[p + 1] - '0');
        p += 2;
        int second = 0;
        long fraction = 0;
        if (p < to) {
            if (b[p] != ':' || p + 3 > to || !isDigit(b[p + 1]) || !isDigit(b[p + 2])) {
                return DateTimes.INVALID;
            }
            second = (b[p + 1] - '0') * 10 + (b[p + 2] - '0');
            p += 3;
            if (p < to) {
                if (b[p] != '.' || p + 1 >= to) {
                    return DateTimes.INVALID;
                }
                p++;
                int digits = 0;
                long nanos = 0;
                while (p < to && isDigit(b[p])) {
                    if (digits < 9) {
                        nanos = nanos * 10 + (b[p] - '0');
                        digits++;
                    }
                    p++;
                }
                if (p != to) {
                    return DateTimes.INVALID;
                }
                for (int i = digits; i < 9; i++) {
                    nanos *= 10;
                }
                fraction = (nanos + 500) / 1000;
            }
        }
        if (minute > 59 || second > 59) {
            return DateTimes.INVALID;
        }
        return round((hour * 3600L + minute * 60L + second) * DateTimeFunctions.MICROS_PER_SECOND + fraction, precision);
    }

    private static boolean isDigit(byte c)
    {
        return c >= '0' && c <= '9';
    }

    /** Writes {@code HH:MM:SS[.fff]} with {@code precision} digits; needs at most 16 bytes. */
    static int formatTime(long micros, int precision, byte[] out, int p)
    {
        long seconds = micros / DateTimeFunctions.MICROS_PER_SECOND;
        p = two((int) (seconds / 3600), out, p);
        out[p++] = ':';
        p = two((int) (seconds / 60 % 60), out, p);
        out[p++] = ':';
        p = two((int) (seconds % 60), out, p);
        if (precision > 0) {
            out[p++] = '.';
            long fraction = micros % DateTimeFunctions.MICROS_PER_SECOND;
            for (int i = 0; i < precision; i++) {
                out[p++] = (byte) ('0' + (i < 6 ? fraction / POWERS_OF_TEN[5 - i] % 10 : 0));
            }
        }
        return p;
    }

    /** Trino's text of an interval day to second: {@code [-]D HH:MM:SS.fff}; needs at most 40 bytes. */
    static int formatDayToSecond(long millis, byte[] out, int p)
    {
        if (millis < 0) {
            out[p++] = '-';
        }
        // Long.MIN_VALUE has no positive counterpart: work on the negative magnitude
        long negative = millis > 0 ? -millis : millis;
        long days = -(negative / MILLIS_PER_DAY);
        long rest = -(negative % MILLIS_PER_DAY);
        p = Numbers.formatLong(days, out, p);
        out[p++] = ' ';
        p = two((int) (rest / 3_600_000), out, p);
        out[p++] = ':';
        p = two((int) (rest / 60_000 % 60), out, p);
        out[p++] = ':';
        p = two((int) (rest / 1000 % 60), out, p);
        out[p++] = '.';
        int fraction = (int) (rest % 1000);
        out[p++] = (byte) ('0' + fraction / 100);
        out[p++] = (byte) ('0' + fraction / 10 % 10);
        out[p++] = (byte) ('0' + fraction % 10);
        return p;
    }

    /** Trino's text of an interval year to month: {@code [-]Y-M}; needs at most 24 bytes. */
    static int formatYearToMonth(long months, byte[] out, int p)
    {
        if (months < 0) {
            out[p++] = '-';
        }
        long magnitude = Math.abs(months);
        p = Numbers.formatLong(magnitude / 12, out, p);
        out[p++] = '-';
        return Numbers.formatLong(magnitude % 12, out, p);
    }

    /** The text of a value of a time or interval type (for tests and the protocol). */
    public static String format(Type type, long value)
    {
        byte[] out = new byte[48];
        int end;
        if (type instanceof Type.Time(int p)) {
            end = formatTime(value, p, out, 0);
        }
        else if (type.equals(Type.INTERVAL_YEAR_TO_MONTH)) {
            end = formatYearToMonth(value, out, 0);
        }
        else {
            end = formatDayToSecond(value, out, 0);
        }
        return new String(out, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int two(int value, byte[] out, int p)
    {
        out[p] = (byte) ('0' + value / 10);
        out[p + 1] = (byte) ('0' + value % 10);
        return p + 2;
    }

    static GlauxException outOfRange(String what)
    {
        return new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, what + " is out of range");
    }

    // ------------------------------------------------------------------ CAST

    /** Whether {@link #cast} converts {@code source} to {@code target}. */
    static boolean castable(Type source, Type target)
    {
        return conversion(source, target) != null;
    }

    /** {@code CAST(input AS target)} for a time or interval source or a time target; null when this class has no such cast. */
    static ValueEvaluator cast(ValueEvaluator input, Type target)
    {
        Cast.Conversion conversion = conversion(input.type, target);
        return conversion == null ? null : new Cast(input, target, conversion);
    }

    private static Cast.Conversion conversion(Type source, Type target)
    {
        if (target instanceof Type.Time) {
            if (source instanceof Type.Time) {
                return Cast.Conversion.TIME_PRECISION;
            }
            if (SqlTypes.isTimestamp(source)) {
                return Cast.Conversion.TIMESTAMP_TO_TIME;
            }
            return SqlTypes.isVarchar(source) ? Cast.Conversion.VARCHAR_TO_TIME : null;
        }
        if (!SqlTypes.isVarchar(target)) {
            return null;
        }
        if (source instanceof Type.Time) {
            return Cast.Conversion.TIME_TO_VARCHAR;
        }
        if (source.equals(Type.INTERVAL_DAY_TO_SECOND)) {
            return Cast.Conversion.DAY_TO_SECOND_TO_VARCHAR;
        }
        return source.equals(Type.INTERVAL_YEAR_TO_MONTH) ? Cast.Conversion.YEAR_TO_MONTH_TO_VARCHAR : null;
    }

    static final class Cast
            extends Kernel
    {
        enum Conversion
        {
            VARCHAR_TO_TIME, TIME_TO_VARCHAR, TIME_PRECISION, TIMESTAMP_TO_TIME, DAY_TO_SECOND_TO_VARCHAR, YEAR_TO_MONTH_TO_VARCHAR
        }

        private final Conversion conversion;
        private final int sourcePrecision;
        private final int targetPrecision;

        Cast(ValueEvaluator input, Type target, Conversion conversion)
        {
            super(target, List.of(input));
            this.conversion = conversion;
            this.sourcePrecision = precision(input.type);
            this.targetPrecision = precision(target);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Block x = in[0];
            switch (conversion) {
                case VARCHAR_TO_TIME -> {
                    long[] r = result.longs;
                    for (int j = 0; j < count; j++) {
                        if (nulls[j]) {
                            continue;
                        }
                        long v = parseTime(x.bytes, x.offsets[j], x.offsets[j + 1], targetPrecision);
                        if (v == DateTimes.INVALID) {
                            throw new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Value cannot be cast to time: " + string(0, j));
                        }
                        r[j] = v;
                    }
                }
                case TIME_PRECISION, TIMESTAMP_TO_TIME -> {
                    long[] v = x.longs;
                    long[] r = result.longs;
                    int p = targetPrecision;
                    for (int j = 0; j < count; j++) {
                        r[j] = round(Math.floorMod(v[j], MICROS_PER_DAY), p);
                    }
                }
                case TIME_TO_VARCHAR, DAY_TO_SECOND_TO_VARCHAR, YEAR_TO_MONTH_TO_VARCHAR -> {
                    long[] v = x.longs;
                    for (int j = 0; j < count; j++) {
                        if (nulls[j]) {
                            setNull(j);
                            continue;
                        }
                        byte[] out = reserve(48);
                        int start = reserved();
                        int end = switch (conversion) {
                            case TIME_TO_VARCHAR -> formatTime(v[j], sourcePrecision, out, start);
                            case DAY_TO_SECOND_TO_VARCHAR -> formatDayToSecond(v[j], out, start);
                            default -> formatYearToMonth(v[j], out, start);
                        };
                        commit(j, end - start);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ functions on time

    static final class TimeField
            extends Kernel
    {
        private final long unit;
        private final long modulus;

        TimeField(Type type, List<ValueEvaluator> args, long unit, long modulus)
        {
            super(type, args);
            this.unit = unit;
            this.modulus = modulus;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = x[j] / unit % modulus;
            }
        }
    }

    static final class TimeAdd
            extends Kernel
    {
        private final long unit;

        TimeAdd(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(1, 3));
            this.unit = unitMicros(constant(calls, 0));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] n = in[0].longs;
            long[] x = in[1].longs;
            long[] r = result.longs;
            // only the amount modulo a day matters: no overflow
            long unitsPerDay = MICROS_PER_DAY / unit;
            for (int j = 0; j < count; j++) {
                r[j] = Math.floorMod(x[j] + Math.floorMod(n[j], unitsPerDay) * unit, MICROS_PER_DAY);
            }
        }
    }

    static final class TimeDiff
            extends Kernel
    {
        private final long unit;

        TimeDiff(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(1, 3));
            this.unit = unitMicros(constant(calls, 0));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] a = in[0].longs;
            long[] b = in[1].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = (b[j] - a[j]) / unit;
            }
        }
    }

    static final class TimeTrunc
            extends Kernel
    {
        private final long unit;

        TimeTrunc(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(1, 2));
            this.unit = unitMicros(constant(calls, 0));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = x[j] - x[j] % unit;
            }
        }
    }

    // ------------------------------------------------------------------ operators

    /** {@code timestamp - timestamp} and {@code time - time}: an interval day to second (milliseconds). */
    static final class DatetimeMinus
            extends Kernel
    {
        DatetimeMinus(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
            if ((args.get(0).type instanceof Type.Time) != (args.get(1).type instanceof Type.Time)) {
                throw ExpressionCompiler.notSupported(args.get(0).type.trinoName() + " - " + args.get(1).type.trinoName());
            }
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] a = in[0].longs;
            long[] b = in[1].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                r[j] = Math.floorDiv(a[j] - b[j], DateTimeFunctions.MICROS_PER_MILLI);
            }
        }
    }

    /** {@code datetime + interval} (the planner negates the interval of a subtraction). */
    static final class PlusInterval
            extends Kernel
    {
        enum Mode
        {
            TIME, TIMESTAMP, DATE, TIME_MONTHS, TIMESTAMP_MONTHS, DATE_MONTHS
        }

        private final Mode mode;

        PlusInterval(Type type, List<ValueEvaluator> args, Mode mode)
        {
            super(type, args);
            this.mode = mode;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] n = in[1].longs;
            long[] r = result.longs;
            // one loop per mode: the mode is decided once per batch, not per row
            try {
                switch (mode) {
                    case TIME -> {
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : Math.floorMod(x[j] + Math.floorMod(n[j], MILLIS_PER_DAY) * DateTimeFunctions.MICROS_PER_MILLI, MICROS_PER_DAY);
                        }
                    }
                    case TIMESTAMP -> {
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : Math.addExact(x[j], Math.multiplyExact(n[j], DateTimeFunctions.MICROS_PER_MILLI));
                        }
                    }
                    case DATE -> {
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : plusDays(x[j], n[j]);
                        }
                    }
                    case TIME_MONTHS -> {
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : x[j];
                        }
                    }
                    case DATE_MONTHS -> {
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : DateTimeFunctions.addMonths(x[j], n[j]);
                        }
                    }
                    case TIMESTAMP_MONTHS -> {
                        for (int j = 0; j < count; j++) {
                            if (nulls[j]) {
                                r[j] = 0;
                                continue;
                            }
                            long days = Math.floorDiv(x[j], MICROS_PER_DAY);
                            r[j] = Math.addExact(Math.multiplyExact(DateTimeFunctions.addMonths(days, n[j]), MICROS_PER_DAY), Math.floorMod(x[j], MICROS_PER_DAY));
                        }
                    }
                }
            }
            catch (ArithmeticException e) {
                throw DateTimeFunctions.outOfRange();
            }
        }

        /** {@code date + interval day to second} (milliseconds): whole days only. */
        private static long plusDays(long date, long millis)
        {
            if (millis % MILLIS_PER_DAY != 0) {
                throw invalidArgument("Cannot add hour, minute, second or millisecond to a date");
            }
            long days = Math.addExact(date, millis / MILLIS_PER_DAY);
            if (days < Integer.MIN_VALUE || days > Integer.MAX_VALUE) {
                throw DateTimeFunctions.outOfRange();
            }
            return days;
        }
    }

    /** Interval ± interval, −interval, interval × number, interval ÷ number, and the identity (to_milliseconds). */
    static final class IntervalArithmetic
            extends Kernel
    {
        enum Op
        {
            ADD, SUBTRACT, NEGATE, MULTIPLY, DIVIDE, IDENTITY
        }

        private final Op op;
        private final long min;
        private final long max;

        IntervalArithmetic(Type type, List<ValueEvaluator> args, Op op)
        {
            super(type, args);
            this.op = op;
            boolean months = type.equals(Type.INTERVAL_YEAR_TO_MONTH);
            this.min = months ? Integer.MIN_VALUE : Long.MIN_VALUE;
            this.max = months ? Integer.MAX_VALUE : Long.MAX_VALUE;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] x = in[0].longs;
            long[] r = result.longs;
            try {
                switch (op) {
                    case IDENTITY -> System.arraycopy(x, 0, r, 0, count);
                    case NEGATE -> {
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : check(Math.negateExact(x[j]));
                        }
                    }
                    case ADD, SUBTRACT -> {
                        long[] y = in[1].longs;
                        boolean add = op == Op.ADD;
                        for (int j = 0; j < count; j++) {
                            r[j] = nulls[j] ? 0 : check(add ? Math.addExact(x[j], y[j]) : Math.subtractExact(x[j], y[j]));
                        }
                    }
                    case MULTIPLY, DIVIDE -> {
                        double[] y = in[1].doubles;
                        boolean multiply = op == Op.MULTIPLY;
                        for (int j = 0; j < count; j++) {
                            if (nulls[j]) {
                                r[j] = 0;
                                continue;
                            }
                            if (!multiply && y[j] == 0) {
                                throw new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
                            }
                            double v = multiply ? x[j] * y[j] : x[j] / y[j];
                            if (Double.isNaN(v) || v < min || v > max) {
                                throw outOfRange("Interval");
                            }
                            r[j] = (long) v;
                        }
                    }
                }
            }
            catch (ArithmeticException e) {
                throw outOfRange("Interval");
            }
        }

        private long check(long v)
        {
            if (v < min || v > max) {
                throw outOfRange("Interval");
            }
            return v;
        }
    }

    // ------------------------------------------------------------------ durations

    /** Trino's parse_duration: a decimal number and a unit, spaces allowed between. */
    static final class ParseDuration
            extends Kernel
    {
        ParseDuration(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (!nulls[j]) {
                    r[j] = parse(string(0, j));
                }
            }
        }

        static long parse(String text)
        {
            String value = text.strip();
            int end = 0;
            while (end < value.length() && (Character.isDigit(value.charAt(end)) || value.charAt(end) == '.')) {
                end++;
            }
            String unit = value.substring(end).strip();
            double nanosPerUnit = switch (unit) {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                case "d" -> 86400e9;
                default -> -1;
            };
            double amount;
            try {
                amount = end == 0 ? -1 : Double.parseDouble(value.substring(0, end));
            }
            catch (NumberFormatException e) {
                amount = -1;
            }
            if (nanosPerUnit < 0 || amount < 0) {
                throw invalidArgument("duration is not a valid data duration string: " + text);
            }
            double millis = amount * nanosPerUnit / 1e6;
            if (millis > Long.MAX_VALUE) {
                throw outOfRange("Duration " + text);
            }
            return Math.round(millis);
        }
    }

    /** Trino's human_readable_seconds: weeks, days, hours, minutes and seconds, zero parts left out. */
    static final class HumanReadableSeconds
            extends Kernel
    {
        private static final long[] UNITS = {604_800, 86_400, 3_600, 60, 1};
        private static final String[] NAMES = {"week", "day", "hour", "minute", "second"};

        HumanReadableSeconds(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            double[] x = in[0].doubles;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                if (Double.isNaN(x[j]) || Double.isInfinite(x[j])) {
                    throw invalidArgument("Invalid argument found: " + x[j]);
                }
                setString(j, text(Math.round(Math.abs(x[j]))));
            }
        }

        static String text(long seconds)
        {
            StringBuilder sb = new StringBuilder();
            long rest = seconds;
            for (int i = 0; i < UNITS.length; i++) {
                long n = rest / UNITS[i];
                rest %= UNITS[i];
                if (n > 0 || (i == UNITS.length - 1 && sb.isEmpty())) {
                    if (!sb.isEmpty()) {
                        sb.append(", ");
                    }
                    sb.append(n).append(' ').append(NAMES[i]).append(n == 1 ? "" : "s");
                }
            }
            return sb.toString();
        }
    }
}
