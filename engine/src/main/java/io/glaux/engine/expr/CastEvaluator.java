package io.glaux.engine.expr;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;

/**
 * CAST between numeric types, numeric/boolean/date/timestamp ↔ varchar, varchar → date/timestamp,
 * date ↔ timestamp, timestamp precision, and varchar(n) truncation. Double → integer rounds half away
 * from zero; out-of-range and unparsable values fail with INVALID_CAST_ARGUMENT.
 */
final class CastEvaluator
        extends ValueEvaluator
{
    enum Conversion
    {
        LONG_CHECKED, TO_BOOLEAN, LONG_TO_DOUBLE, LONG_TO_REAL, DOUBLE_TO_REAL, DOUBLE_TO_LONG, DOUBLE_TO_BOOLEAN,
        DATE_TO_TIMESTAMP, TIMESTAMP_TO_DATE, TIMESTAMP_PRECISION,
        LONG_TO_VARCHAR, BOOLEAN_TO_VARCHAR, DOUBLE_TO_VARCHAR, REAL_TO_VARCHAR, DATE_TO_VARCHAR, TIMESTAMP_TO_VARCHAR,
        VARCHAR_TO_LONG, VARCHAR_TO_DOUBLE, VARCHAR_TO_REAL, VARCHAR_TO_BOOLEAN, VARCHAR_TO_DATE, VARCHAR_TO_TIMESTAMP,
        VARCHAR_TRUNCATE,
        LONG_TO_DECIMAL, DECIMAL_RESCALE, DECIMAL_TO_LONG, DECIMAL_TO_DOUBLE, DECIMAL_TO_REAL, DOUBLE_TO_DECIMAL,
        DECIMAL_TO_VARCHAR, VARCHAR_TO_DECIMAL, DECIMAL_TO_BOOLEAN,
        TSTZ_TO_TIMESTAMP, TSTZ_TO_DATE, TSTZ_TO_VARCHAR, TSTZ_PRECISION, TIMESTAMP_TO_TSTZ, DATE_TO_TSTZ, VARCHAR_TO_TSTZ,
        VARCHAR_TO_UUID, UUID_TO_VARCHAR
    }

    private final ValueEvaluator input;
    private final Conversion conversion;
    private final long min;
    private final long max;
    private final int precision;
    private final int length;
    private final long[] parsed = new long[1];
    private final int sourceScale;
    private final int targetScale;
    private final int targetPrecision;
    /** The zone of a timestamp, date or text without one, cast to timestamp with time zone. */
    private final int defaultZone;
    private final TimeZones.OffsetCache zones = new TimeZones.OffsetCache();
    private final byte[] parsedUuid = new byte[16];

    private CastEvaluator(ValueEvaluator input, Type target, Conversion conversion)
    {
        this(input, target, conversion, TimeZones.UTC_KEY);
    }

    private CastEvaluator(ValueEvaluator input, Type target, Conversion conversion, int defaultZone)
    {
        super(target);
        this.defaultZone = defaultZone;
        this.input = input;
        this.conversion = conversion;
        this.min = SqlTypes.isIntegral(target) ? SqlTypes.minValue(target) : Long.MIN_VALUE;
        this.max = SqlTypes.isIntegral(target) ? SqlTypes.maxValue(target) : Long.MAX_VALUE;
        this.precision = target instanceof Type.Timestamp(int p) ? p : target instanceof Type.TimestampWithTimeZone(int p) ? p : 6;
        this.length = target instanceof Type.Varchar(int n) ? n : Type.Varchar.UNBOUNDED;
        this.sourceScale = Decimals.scale(input.type);
        this.targetScale = Decimals.scale(target);
        this.targetPrecision = Decimals.isDecimal(target) ? Decimals.precision(target) : 19;
    }

    /** Whether {@code CAST(source AS target)} can be compiled. */
    static boolean supported(Type source, Type target)
    {
        if (!source.equals(target) && IpAddresses.involved(source, target)) {
            return IpAddresses.supported(source, target);
        }
        if (!source.equals(target) && JsonCasts.involved(source, target)) {
            return JsonCasts.supported(source, target);
        }
        if (Nested.isNested(source) || Nested.isNested(target)) {
            return NestedCast.supported(source, target);
        }
        if (source.equals(target) || conversion(source, target) != null || TimeFunctions.castable(source, target)) {
            return true;
        }
        return (SqlTypes.isIntegral(source) && SqlTypes.isIntegral(target))
                || (SqlTypes.isBoolean(source) && SqlTypes.isIntegral(target))
                || (source.equals(Type.REAL) && target.equals(Type.DOUBLE))
                || (SqlTypes.isVarchar(source) && SqlTypes.isVarchar(target));
    }

    /**
     * {@code CAST(input AS target)} where a timestamp, date or text without a zone cast to timestamp with
     * time zone is in zone {@code defaultZone} (the session's zone, as in Trino).
     */
    static ValueEvaluator of(ValueEvaluator input, Type target, int defaultZone)
    {
        Conversion conversion = conversion(input.type, target);
        if (conversion == Conversion.TIMESTAMP_TO_TSTZ || conversion == Conversion.DATE_TO_TSTZ || conversion == Conversion.VARCHAR_TO_TSTZ) {
            return new CastEvaluator(input, target, conversion, defaultZone);
        }
        return of(input, target);
    }

    /** The evaluator for {@code CAST(input AS target)}; {@code input} itself when nothing changes. */
    static ValueEvaluator of(ValueEvaluator input, Type target)
    {
        Type source = input.type;
        if (source.equals(target)) {
            return input;
        }
        if (IpAddresses.involved(source, target)) {
            return requireCast(IpAddresses.cast(input, target), source, target);
        }
        if (JsonCasts.involved(source, target)) {
            return requireCast(JsonCasts.cast(input, target), source, target);
        }
        if (Nested.isNested(source) || Nested.isNested(target)) {
            return NestedCast.of(input, target);
        }
        ValueEvaluator time = TimeFunctions.cast(input, target);
        if (time != null) {
            return time;
        }
        Conversion conversion = conversion(source, target);
        if (conversion == null) {
            if (SqlTypes.isIntegral(source) && SqlTypes.isIntegral(target) && SqlTypes.maxValue(target) >= SqlTypes.maxValue(source)) {
                return new Retyped(input, target);
            }
            if (SqlTypes.isBoolean(source) && SqlTypes.isIntegral(target)) {
                return new Retyped(input, target);
            }
            if (source.equals(Type.REAL) && target.equals(Type.DOUBLE)) {
                return new Retyped(input, target);
            }
            if (SqlTypes.isVarchar(source) && target instanceof Type.Varchar(int n) && n == Type.Varchar.UNBOUNDED) {
                return new Retyped(input, target);
            }
            throw ExpressionCompiler.notSupported("CAST from " + source.trinoName() + " to " + target.trinoName());
        }
        return new CastEvaluator(input, target, conversion);
    }

    private static ValueEvaluator requireCast(ValueEvaluator cast, Type source, Type target)
    {
        if (cast == null) {
            throw ExpressionCompiler.notSupported("CAST from " + source.trinoName() + " to " + target.trinoName());
        }
        return cast;
    }

    private static Conversion conversion(Type source, Type target)
    {
        if (source.equals(Type.UUID) || target.equals(Type.UUID)) {
            return source.equals(Type.UUID) && SqlTypes.isVarchar(target) ? Conversion.UUID_TO_VARCHAR
                    : target.equals(Type.UUID) && SqlTypes.isVarchar(source) ? Conversion.VARCHAR_TO_UUID : null;
        }
        if (source instanceof Type.TimestampWithTimeZone) {
            if (target instanceof Type.TimestampWithTimeZone) {
                return Conversion.TSTZ_PRECISION;
            }
            if (SqlTypes.isTimestamp(target)) {
                return Conversion.TSTZ_TO_TIMESTAMP;
            }
            if (SqlTypes.isDate(target)) {
                return Conversion.TSTZ_TO_DATE;
            }
            return SqlTypes.isVarchar(target) ? Conversion.TSTZ_TO_VARCHAR : null;
        }
        if (target instanceof Type.TimestampWithTimeZone) {
            if (SqlTypes.isTimestamp(source)) {
                return Conversion.TIMESTAMP_TO_TSTZ;
            }
            if (SqlTypes.isDate(source)) {
                return Conversion.DATE_TO_TSTZ;
            }
            return SqlTypes.isVarchar(source) ? Conversion.VARCHAR_TO_TSTZ : null;
        }
        if (Decimals.isDecimal(target)) {
            if (SqlTypes.isIntegral(source)) {
                return Conversion.LONG_TO_DECIMAL;
            }
            if (Decimals.isDecimal(source)) {
                return Conversion.DECIMAL_RESCALE;
            }
            if (SqlTypes.isFloating(source)) {
                return Conversion.DOUBLE_TO_DECIMAL;
            }
            if (SqlTypes.isVarchar(source)) {
                return Conversion.VARCHAR_TO_DECIMAL;
            }
            return null;
        }
        if (Decimals.isDecimal(source)) {
            if (SqlTypes.isIntegral(target)) {
                return Conversion.DECIMAL_TO_LONG;
            }
            if (target.equals(Type.DOUBLE)) {
                return Conversion.DECIMAL_TO_DOUBLE;
            }
            if (target.equals(Type.REAL)) {
                return Conversion.DECIMAL_TO_REAL;
            }
            if (SqlTypes.isVarchar(target)) {
                return Conversion.DECIMAL_TO_VARCHAR;
            }
            if (SqlTypes.isBoolean(target)) {
                return Conversion.DECIMAL_TO_BOOLEAN;
            }
            return null;
        }
        if (SqlTypes.isIntegral(source)) {
            if (SqlTypes.isIntegral(target)) {
                return SqlTypes.maxValue(target) >= SqlTypes.maxValue(source) ? null : Conversion.LONG_CHECKED;
            }
            if (SqlTypes.isBoolean(target)) {
                return Conversion.TO_BOOLEAN;
            }
            if (target.equals(Type.DOUBLE)) {
                return Conversion.LONG_TO_DOUBLE;
            }
            if (target.equals(Type.REAL)) {
                return Conversion.LONG_TO_REAL;
            }
            if (SqlTypes.isVarchar(target)) {
                return Conversion.LONG_TO_VARCHAR;
            }
        }
        if (SqlTypes.isFloating(source)) {
            if (SqlTypes.isIntegral(target)) {
                return Conversion.DOUBLE_TO_LONG;
            }
            if (SqlTypes.isBoolean(target)) {
                return Conversion.DOUBLE_TO_BOOLEAN;
            }
            if (target.equals(Type.REAL)) {
                return Conversion.DOUBLE_TO_REAL;
            }
            if (SqlTypes.isVarchar(target)) {
                return source.equals(Type.REAL) ? Conversion.REAL_TO_VARCHAR : Conversion.DOUBLE_TO_VARCHAR;
            }
            return null;
        }
        if (SqlTypes.isBoolean(source)) {
            if (target.equals(Type.DOUBLE)) {
                return Conversion.LONG_TO_DOUBLE;
            }
            if (target.equals(Type.REAL)) {
                return Conversion.LONG_TO_REAL;
            }
            if (SqlTypes.isVarchar(target)) {
                return Conversion.BOOLEAN_TO_VARCHAR;
            }
            return null;
        }
        if (SqlTypes.isDate(source)) {
            if (SqlTypes.isTimestamp(target)) {
                return Conversion.DATE_TO_TIMESTAMP;
            }
            if (SqlTypes.isVarchar(target)) {
                return Conversion.DATE_TO_VARCHAR;
            }
        }
        if (SqlTypes.isTimestamp(source)) {
            if (SqlTypes.isDate(target)) {
                return Conversion.TIMESTAMP_TO_DATE;
            }
            if (SqlTypes.isTimestamp(target)) {
                return Conversion.TIMESTAMP_PRECISION;
            }
            if (SqlTypes.isVarchar(target)) {
                return Conversion.TIMESTAMP_TO_VARCHAR;
            }
        }
        if (SqlTypes.isVarchar(source)) {
            if (SqlTypes.isIntegral(target)) {
                return Conversion.VARCHAR_TO_LONG;
            }
            if (target.equals(Type.DOUBLE)) {
                return Conversion.VARCHAR_TO_DOUBLE;
            }
            if (target.equals(Type.REAL)) {
                return Conversion.VARCHAR_TO_REAL;
            }
            if (SqlTypes.isBoolean(target)) {
                return Conversion.VARCHAR_TO_BOOLEAN;
            }
            if (SqlTypes.isDate(target)) {
                return Conversion.VARCHAR_TO_DATE;
            }
            if (SqlTypes.isTimestamp(target)) {
                return Conversion.VARCHAR_TO_TIMESTAMP;
            }
            if (target instanceof Type.Varchar(int n) && n != Type.Varchar.UNBOUNDED) {
                return Conversion.VARCHAR_TRUNCATE;
            }
        }
        return null;
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        Block in = input.evaluate(batch, positions, count);
        boolean[] nulls = in.hasNull ? in.nulls : null;
        if (nulls != null) {
            System.arraycopy(nulls, 0, result.nulls(count), 0, count);
        }
        result.count = count;
        result.hasNull = nulls != null;
        switch (conversion) {
            case LONG_CHECKED -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    long v = x[j];
                    if ((v < min || v > max) && (nulls == null || !nulls[j])) {
                        throw outOfRange(Long.toString(v));
                    }
                    r[j] = v;
                }
            }
            case TO_BOOLEAN -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] != 0 ? 1 : 0;
                }
            }
            case LONG_TO_DOUBLE -> {
                long[] x = in.longs;
                double[] r = result.doubles(count);
                for (int j = 0; j < count; j++) {
                    r[j] = x[j];
                }
            }
            case LONG_TO_REAL -> {
                long[] x = in.longs;
                double[] r = result.doubles(count);
                for (int j = 0; j < count; j++) {
                    r[j] = (float) x[j];
                }
            }
            case DOUBLE_TO_REAL -> {
                double[] x = in.doubles;
                double[] r = result.doubles(count);
                for (int j = 0; j < count; j++) {
                    r[j] = (float) x[j];
                }
            }
            case DOUBLE_TO_BOOLEAN -> {
                double[] x = in.doubles;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] != 0 ? 1 : 0;
                }
            }
            case DOUBLE_TO_LONG -> {
                double[] x = in.doubles;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    r[j] = roundToLong(x[j]);
                }
            }
            case DATE_TO_TIMESTAMP -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] * DateTimes.MICROS_PER_DAY;
                }
            }
            case TIMESTAMP_TO_DATE -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    r[j] = Math.floorDiv(x[j], DateTimes.MICROS_PER_DAY);
                }
            }
            case TIMESTAMP_PRECISION -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                int p = precision;
                for (int j = 0; j < count; j++) {
                    r[j] = DateTimes.roundMicros(x[j], p);
                }
            }
            case LONG_TO_VARCHAR, BOOLEAN_TO_VARCHAR, DATE_TO_VARCHAR, TIMESTAMP_TO_VARCHAR -> formatLongs(in, nulls, count);
            case DOUBLE_TO_VARCHAR, REAL_TO_VARCHAR -> formatDoubles(in, nulls, count);
            case VARCHAR_TO_LONG -> {
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    if (!Numbers.parseLong(in.bytes, in.offsets[j], in.offsets[j + 1], parsed)) {
                        throw cannotCast(in, j);
                    }
                    long v = parsed[0];
                    if (v < min || v > max) {
                        throw outOfRange(Long.toString(v));
                    }
                    r[j] = v;
                }
            }
            case VARCHAR_TO_DOUBLE, VARCHAR_TO_REAL -> {
                double[] r = result.doubles(count);
                boolean real = conversion == Conversion.VARCHAR_TO_REAL;
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    String text = new String(in.bytes, in.offsets[j], in.offsets[j + 1] - in.offsets[j], StandardCharsets.UTF_8).strip();
                    try {
                        double v = Double.parseDouble(text);
                        r[j] = real ? Float.parseFloat(text) : v;
                    }
                    catch (NumberFormatException e) {
                        throw cannotCast(in, j);
                    }
                }
            }
            case VARCHAR_TO_BOOLEAN -> {
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    r[j] = parseBoolean(in, j);
                }
            }
            case VARCHAR_TO_DATE, VARCHAR_TO_TIMESTAMP -> {
                long[] r = result.longs(count);
                boolean date = conversion == Conversion.VARCHAR_TO_DATE;
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    int from = in.offsets[j];
                    int to = in.offsets[j + 1];
                    long v = date ? DateTimes.parseDate(in.bytes, from, to) : DateTimes.parseTimestamp(in.bytes, from, to, precision);
                    if (v == DateTimes.INVALID) {
                        throw cannotCast(in, j);
                    }
                    r[j] = v;
                }
            }
            case VARCHAR_TRUNCATE -> truncate(in, count);
            case VARCHAR_TO_UUID -> {
                int[] offsets = result.offsets(count + 1);
                byte[] out = result.bytes(count * 16, 0);
                offsets[0] = 0;
                int position = 0;
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        if (!Uuids.parse(in.bytes, in.offsets[j], in.offsets[j + 1], parsedUuid)) {
                            throw cannotCast(in, j);
                        }
                        System.arraycopy(parsedUuid, 0, out, position, 16);
                        position += 16;
                    }
                    offsets[j + 1] = position;
                }
            }
            case UUID_TO_VARCHAR -> {
                int[] offsets = result.offsets(count + 1);
                byte[] out = result.bytes(count * 36, 0);
                offsets[0] = 0;
                int position = 0;
                for (int j = 0; j < count; j++) {
                    if ((nulls == null || !nulls[j]) && in.offsets[j + 1] - in.offsets[j] == 16) {
                        position = Uuids.format(in.bytes, in.offsets[j], out, position);
                    }
                    offsets[j + 1] = position;
                }
                checkLength(offsets, count);
            }
            case TSTZ_TO_TIMESTAMP, TSTZ_TO_DATE -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                boolean date = conversion == Conversion.TSTZ_TO_DATE;
                int p = precision;
                for (int j = 0; j < count; j++) {
                    long local = TimestampsWithTimeZone.localMicros(x[j], zones);
                    r[j] = date ? Math.floorDiv(local, DateTimes.MICROS_PER_DAY) : DateTimes.roundMicros(local, p);
                }
            }
            case TSTZ_PRECISION -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                int p = precision;
                for (int j = 0; j < count; j++) {
                    r[j] = TimestampsWithTimeZone.round(x[j], p);
                }
            }
            case TIMESTAMP_TO_TSTZ, DATE_TO_TSTZ -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                long scale = conversion == Conversion.DATE_TO_TSTZ ? DateTimes.MICROS_PER_DAY : 1;
                int zone = defaultZone;
                int p = precision;
                for (int j = 0; j < count; j++) {
                    r[j] = TimestampsWithTimeZone.round(TimestampsWithTimeZone.fromLocalMicros(x[j] * scale, zone, zones), p);
                }
            }
            case VARCHAR_TO_TSTZ -> {
                long[] r = result.longs(count);
                int p = precision;
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    long v = TimestampsWithTimeZone.parse(in.bytes, in.offsets[j], in.offsets[j + 1], defaultZone, zones);
                    if (v == TimestampsWithTimeZone.INVALID) {
                        throw cannotCast(in, j);
                    }
                    r[j] = TimestampsWithTimeZone.round(v, p);
                }
            }
            case TSTZ_TO_VARCHAR -> {
                long[] x = in.longs;
                int[] offsets = result.offsets(count + 1);
                offsets[0] = 0;
                int position = 0;
                int p = ((Type.TimestampWithTimeZone) input.type).precision();
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        byte[] out = result.bytes(position + 96, position);
                        position = TimestampsWithTimeZone.format(x[j], p, out, position, zones);
                    }
                    offsets[j + 1] = position;
                }
                checkLength(offsets, count);
            }
            case LONG_TO_DECIMAL, DECIMAL_RESCALE, DECIMAL_TO_LONG -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                int from = sourceScale;
                int to = targetScale;
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    long v;
                    try {
                        v = Decimals.rescale(x[j], from, to);
                    }
                    catch (GlauxException e) {
                        throw outOfRange(Decimals.toBigDecimal(x[j], from).toPlainString());
                    }
                    if (!Decimals.fits(v, targetPrecision) || v < min || v > max) {
                        throw outOfRange(Decimals.toBigDecimal(x[j], from).toPlainString());
                    }
                    r[j] = v;
                }
            }
            case DECIMAL_TO_BOOLEAN -> {
                long[] x = in.longs;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] != 0 ? 1 : 0;
                }
            }
            case DECIMAL_TO_DOUBLE, DECIMAL_TO_REAL -> {
                long[] x = in.longs;
                double[] r = result.doubles(count);
                boolean real = conversion == Conversion.DECIMAL_TO_REAL;
                if (sourceScale == 0) {
                    for (int j = 0; j < count; j++) {
                        r[j] = x[j];
                    }
                }
                else {
                    double divisor = Math.pow(10, sourceScale);
                    for (int j = 0; j < count; j++) {
                        // exact for |x| < 2^53; division by a power of ten rounds correctly
                        r[j] = Math.abs(x[j]) < (1L << 53) ? x[j] / divisor : Decimals.toBigDecimal(x[j], sourceScale).doubleValue();
                    }
                }
                if (real) {
                    for (int j = 0; j < count; j++) {
                        r[j] = (float) r[j];
                    }
                }
            }
            case DOUBLE_TO_DECIMAL -> {
                double[] x = in.doubles;
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    double v = x[j];
                    if (Double.isNaN(v) || Double.isInfinite(v)) {
                        throw outOfRange(Double.toString(v));
                    }
                    // the shortest decimal text of the value, rounded half up (CAST(real 0.102) is 0.102)
                    java.math.BigDecimal d = input.type.equals(Type.REAL) ? new java.math.BigDecimal(Float.toString((float) v)) : java.math.BigDecimal.valueOf(v);
                    long u;
                    try {
                        u = Decimals.unscaled(d, targetScale);
                    }
                    catch (GlauxException e) {
                        throw outOfRange(Double.toString(v));
                    }
                    if (!Decimals.fits(u, targetPrecision)) {
                        throw outOfRange(Double.toString(v));
                    }
                    r[j] = u;
                }
            }
            case VARCHAR_TO_DECIMAL -> {
                long[] r = result.longs(count);
                for (int j = 0; j < count; j++) {
                    if (nulls != null && nulls[j]) {
                        r[j] = 0;
                        continue;
                    }
                    String text = new String(in.bytes, in.offsets[j], in.offsets[j + 1] - in.offsets[j], StandardCharsets.UTF_8).strip();
                    long u;
                    try {
                        u = Decimals.unscaled(new java.math.BigDecimal(text), targetScale);
                    }
                    catch (NumberFormatException e) {
                        throw cannotCast(in, j);
                    }
                    catch (GlauxException e) {
                        throw outOfRange(text);
                    }
                    if (!Decimals.fits(u, targetPrecision)) {
                        throw outOfRange(text);
                    }
                    r[j] = u;
                }
            }
            case DECIMAL_TO_VARCHAR -> {
                long[] x = in.longs;
                byte[] out = result.bytes(Math.multiplyExact(count, 42), 0);
                int[] offsets = result.offsets(count + 1);
                int p = 0;
                offsets[0] = 0;
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        p = Decimals.format(x[j], sourceScale, out, p);
                    }
                    offsets[j + 1] = p;
                }
                checkLength(offsets, count);
            }
        }
        return result;
    }

    private void formatLongs(Block in, boolean[] nulls, int count)
    {
        int perValue = switch (conversion) {
            case BOOLEAN_TO_VARCHAR -> 5;
            case DATE_TO_VARCHAR -> 16;
            case TIMESTAMP_TO_VARCHAR -> 40;
            default -> 20;
        };
        byte[] out = result.bytes(Math.multiplyExact(count, perValue), 0);
        int[] offsets = result.offsets(count + 1);
        long[] x = in.longs;
        int p = 0;
        offsets[0] = 0;
        for (int j = 0; j < count; j++) {
            if (nulls == null || !nulls[j]) {
                long v = x[j];
                p = switch (conversion) {
                    case BOOLEAN_TO_VARCHAR -> append(v != 0 ? TRUE : FALSE, out, p);
                    case DATE_TO_VARCHAR -> DateTimes.formatDate(v, out, p);
                    case TIMESTAMP_TO_VARCHAR -> DateTimes.formatTimestamp(v, ((Type.Timestamp) input.type).precision(), out, p);
                    default -> Numbers.formatLong(v, out, p);
                };
            }
            offsets[j + 1] = p;
        }
        checkLength(offsets, count);
    }

    private void formatDoubles(Block in, boolean[] nulls, int count)
    {
        int[] offsets = result.offsets(count + 1);
        double[] x = in.doubles;
        boolean real = conversion == Conversion.REAL_TO_VARCHAR;
        int p = 0;
        offsets[0] = 0;
        for (int j = 0; j < count; j++) {
            if (nulls == null || !nulls[j]) {
                String text = real ? Float.toString((float) x[j]) : Double.toString(x[j]);
                byte[] out = result.bytes(p + text.length(), p);
                for (int i = 0; i < text.length(); i++) {
                    out[p++] = (byte) text.charAt(i);
                }
            }
            offsets[j + 1] = p;
        }
        checkLength(offsets, count);
    }

    private void checkLength(int[] offsets, int count)
    {
        if (length == Type.Varchar.UNBOUNDED) {
            return;
        }
        for (int j = 0; j < count; j++) {
            if (offsets[j + 1] - offsets[j] > length) {
                String value = new String(result.bytes, offsets[j], offsets[j + 1] - offsets[j], StandardCharsets.UTF_8);
                throw new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Value " + value + " cannot be represented as " + type.trinoName());
            }
        }
    }

    private void truncate(Block in, int count)
    {
        int[] offsets = result.offsets(count + 1);
        byte[] out = result.bytes(in.offsets[count], 0);
        byte[] src = in.bytes;
        int p = 0;
        offsets[0] = 0;
        for (int j = 0; j < count; j++) {
            int from = in.offsets[j];
            int to = in.offsets[j + 1];
            int end = from;
            int chars = 0;
            while (end < to) {
                if ((src[end] & 0xC0) != 0x80) {
                    if (chars == length) {
                        break;
                    }
                    chars++;
                }
                end++;
            }
            System.arraycopy(src, from, out, p, end - from);
            p += end - from;
            offsets[j + 1] = p;
        }
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private static int append(byte[] value, byte[] out, int p)
    {
        System.arraycopy(value, 0, out, p, value.length);
        return p + value.length;
    }

    private long parseBoolean(Block in, int j)
    {
        String text = new String(in.bytes, in.offsets[j], in.offsets[j + 1] - in.offsets[j], StandardCharsets.UTF_8).strip();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("t") || text.equals("1")) {
            return 1;
        }
        if (text.equalsIgnoreCase("false") || text.equalsIgnoreCase("f") || text.equals("0")) {
            return 0;
        }
        throw cannotCast(in, j);
    }

    private long roundToLong(double v)
    {
        if (Double.isNaN(v) || v >= 9.223372036854775808E18 || v < -9.223372036854775808E18) {
            throw outOfRange(Double.toString(v));
        }
        long r = (long) v;
        double fraction = v - r;
        if (fraction >= 0.5) {
            r++;
        }
        else if (fraction <= -0.5) {
            r--;
        }
        if (r < min || r > max) {
            throw outOfRange(Double.toString(v));
        }
        return r;
    }

    private GlauxException outOfRange(String value)
    {
        return new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Out of range for " + type.trinoName() + ": " + value);
    }

    private GlauxException cannotCast(Block in, int j)
    {
        String value = new String(in.bytes, in.offsets[j], in.offsets[j + 1] - in.offsets[j], StandardCharsets.UTF_8);
        return new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Cannot cast '" + value + "' to " + type.trinoName());
    }

    /** A value whose representation does not change, seen as another type (e.g. integer as bigint). */
    static final class Retyped
            extends ValueEvaluator
    {
        private final ValueEvaluator input;

        Retyped(ValueEvaluator input, Type type)
        {
            super(type);
            this.input = input;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            return input.evaluate(batch, positions, count);
        }
    }
}
