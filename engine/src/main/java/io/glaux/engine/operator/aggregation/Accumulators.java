package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.SqlTypes;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/** Creates the {@link Accumulator} of an {@link AggregateCall}; holds the simple ones (counts, sums, averages, extremes, variances). */
final class Accumulators
{
    private Accumulators() {}

    /**
     * The accumulator of {@code call}; {@code argumentTypes} are the types of its raw arguments (may be
     * empty for a merge-only step of a call without recorded input types).
     */
    static Accumulator create(AggregateCall call, List<Type> argumentTypes)
    {
        AggregateFunction function = call.function();
        Type output = call.outputType();
        Type input = argumentTypes.isEmpty() ? null : argumentTypes.getFirst();
        return switch (function) {
            case COUNT_STAR, COUNT, COUNT_IF -> {
                require(call, output.equals(Type.BIGINT) && (function != AggregateFunction.COUNT_IF || input == null || SqlTypes.isBoolean(input)), input);
                yield new Count(function);
            }
            case SUM -> {
                if (output instanceof Type.Decimal decimal) {
                    require(call, decimal.precision() == 38 && (input == null || input instanceof Type.Decimal d && d.scale() == decimal.scale()), input);
                    yield new SumDecimal();
                }
                if (output.equals(Type.BIGINT)) {
                    require(call, input == null || SqlTypes.isIntegral(input), input);
                    yield new SumLong();
                }
                if (output.equals(Type.DOUBLE)) {
                    require(call, input == null || SqlTypes.isNumeric(input) && !(input instanceof Type.Decimal), input);
                    yield new SumDouble(input != null && AggregationLayout.of(input).representation() == PhysicalType.Representation.LONG);
                }
                throw unsupported(call, input);
            }
            case AVG -> {
                if (output instanceof Type.Decimal decimal) {
                    require(call, input instanceof Type.Decimal d && d.scale() == decimal.scale(), input);
                    yield new AvgDecimal(decimal);
                }
                require(call, (output.equals(Type.DOUBLE) || output.equals(Type.REAL)) && SqlTypes.isNumeric(input) && !(input instanceof Type.Decimal), input);
                yield new AvgDouble(AggregationLayout.of(input).representation() == PhysicalType.Representation.LONG, AggregationLayout.of(output));
            }
            case MIN, MAX -> {
                PhysicalType result = AggregationLayout.of(output);
                require(call, input == null || AggregationLayout.of(input).representation() == result.representation(), input);
                boolean max = function == AggregateFunction.MAX;
                yield switch (result.representation()) {
                    case LONG -> new MinMaxLong(max, result);
                    case DOUBLE -> new MinMaxDouble(max, result);
                    case BYTES -> new MinMaxBy(max, output, output, true);
                    case OTHER -> {
                        if (!(output instanceof Type.Decimal)) {
                            throw unsupported(call, input);
                        }
                        yield new MinMaxDecimal(max);
                    }
                };
            }
            case ARBITRARY -> new MinMaxBy(false, output, null, false);
            case BOOL_AND, BOOL_OR -> {
                require(call, output.equals(Type.BOOLEAN) && SqlTypes.isBoolean(input), input);
                yield new BoolAndOr(function == AggregateFunction.BOOL_AND);
            }
            case MIN_BY, MAX_BY -> new MinMaxBy(function == AggregateFunction.MAX_BY, output, argumentTypes.get(1), false);
            case STDDEV, STDDEV_SAMP, STDDEV_POP, VARIANCE, VAR_SAMP, VAR_POP -> {
                require(call, output.equals(Type.DOUBLE) && SqlTypes.isNumeric(input) && !(input instanceof Type.Decimal), input);
                yield new Variance(function, AggregationLayout.of(input).representation() == PhysicalType.Representation.LONG);
            }
            case APPROX_DISTINCT -> {
                require(call, output.equals(Type.BIGINT) && (input == null || input instanceof Type.Decimal || AggregationLayout.of(input) != PhysicalType.OTHER), input);
                yield new Sketches.ApproxDistinct(input);
            }
            case APPROX_PERCENTILE -> new Sketches.ApproxPercentile(call, argumentTypes);
            case CHECKSUM -> {
                require(call, output.equals(Type.VARBINARY) && input != null, input);
                yield new Checksum(input);
            }
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT, GEOMETRIC_MEAN, SKEWNESS, KURTOSIS -> {
                require(call, output.equals(Type.DOUBLE) && argumentTypes.size() == function.minArguments(), input);
                boolean[] longInputs = new boolean[argumentTypes.size()];
                for (int i = 0; i < longInputs.length; i++) {
                    Type argument = argumentTypes.get(i);
                    require(call, SqlTypes.isNumeric(argument) && !(argument instanceof Type.Decimal), argument);
                    longInputs[i] = AggregationLayout.of(argument).representation() == PhysicalType.Representation.LONG;
                }
                yield new Moments(function, longInputs);
            }
            case ARRAY_AGG -> {
                require(call, output instanceof Type.Array array && input != null && io.glaux.engine.expr.FunctionRegistry.canCast(input, array.element()), input);
                if (!call.orderBy().isEmpty()) {
                    require(call, ((Type.Array) output).element().equals(input), input);
                    yield new Collected(new io.glaux.engine.expr.CollectedAggregate(io.glaux.engine.expr.CollectedAggregate.Kind.ORDERED_ARRAY_AGG,
                            argumentTypes, output, call.orderBy()));
                }
                yield new ArrayAgg(output);
            }
            case LISTAGG -> {
                int arguments = argumentTypes.size() - call.orderBy().size();
                require(call, output instanceof Type.Varchar && text(input) && text(argumentTypes.get(1))
                        && (arguments == 2 || arguments == 4 && text(argumentTypes.get(2)) && SqlTypes.isBoolean(argumentTypes.get(3))), input);
                yield new Collected(new io.glaux.engine.expr.CollectedAggregate(io.glaux.engine.expr.CollectedAggregate.Kind.LISTAGG,
                        argumentTypes, output, call.orderBy()));
            }
            case SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, APPROX_MOST_FREQUENT, MIN_N, MAX_N, MIN_BY_N, MAX_BY_N -> {
                require(call, argumentTypes.size() == function.minArguments(), input);
                yield new Collected(new io.glaux.engine.expr.CollectedAggregate(function.collected(), argumentTypes, output));
            }
        };
    }

    /** varchar: the values listagg joins. */
    private static boolean text(Type type)
    {
        return type instanceof Type.Varchar;
    }

    private static void require(AggregateCall call, boolean condition, Type input)
    {
        if (!condition) {
            throw unsupported(call, input);
        }
    }

    static GlauxException unsupported(AggregateCall call, Type inputType)
    {
        return new GlauxException(ErrorCode.NOT_SUPPORTED, call.function().name().toLowerCase(java.util.Locale.ROOT) + "("
                + (inputType == null ? call.inputs().isEmpty() ? "*" : "?" : inputType.trinoName())
                + ") returning " + call.outputType().trinoName() + " is not supported");
    }

    static GlauxException overflow(String what)
    {
        return new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, what);
    }

    // ------------------------------------------------------------------ counts

    /** COUNT(*), COUNT(x) and COUNT_IF(b): 0 for an empty group; merging sums the counts. */
    static final class Count
            extends Accumulator
    {
        private final AggregateFunction kind;
        private final Block state = new Block();
        private long[] counts = new long[0];

        Count(AggregateFunction kind)
        {
            this.kind = kind;
        }

        @Override
        boolean needsOnlyNulls(int argument)
        {
            return kind == AggregateFunction.COUNT;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (counts.length < groups) {
                counts = Arrays.copyOf(counts, grow(counts.length, groups));
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            long[] c = counts;
            int count = args.count;
            Block input = kind == AggregateFunction.COUNT_STAR ? null : args.blocks[0];
            if (input == null || !input.hasNull() && kind == AggregateFunction.COUNT) {
                if (count > 0 && oneGroup(groups, count)) {
                    // a global count(*) (footers-only scans send millions of rows a batch): one add, not an
                    // increment per row, each waiting on the one before
                    c[groups[0]] += count;
                    return;
                }
                for (int j = 0; j < count; j++) {
                    c[groups[j]]++;
                }
            }
            else if (kind == AggregateFunction.COUNT) {
                boolean[] nulls = input.nulls();
                for (int j = 0; j < count; j++) {
                    c[groups[j]] += nulls[j] ? 0 : 1;
                }
            }
            else {
                long[] v = input.longs();
                boolean[] nulls = input.hasNull() ? input.nulls() : null;
                for (int j = 0; j < count; j++) {
                    c[groups[j]] += nulls != null && nulls[j] ? 0 : v[j];
                }
            }
        }

        /** Whether {@code groups[0..count)} are all the same group (stops at the first that is not). */
        private static boolean oneGroup(int[] groups, int count)
        {
            int first = groups[0];
            for (int j = 1; j < count; j++) {
                if (groups[j] != first) {
                    return false;
                }
            }
            return true;
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(vector, PhysicalType.INT64, positions, count, state);
            long[] c = counts;
            long[] v = state.longs();
            boolean[] nulls = state.hasNull() ? state.nulls() : null;
            for (int j = 0; j < count; j++) {
                if (nulls == null || !nulls[j]) {
                    c[groups[j]] += v[j];
                }
            }
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, PhysicalType.INT64, counts, null, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            writeIntermediate(dst, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return counts.length * 8L;
        }
    }

    // ------------------------------------------------------------------ sums

    /** SUM of integers in a long, checked for overflow (NUMERIC_VALUE_OUT_OF_RANGE); NULL for a group without values. */
    static final class SumLong
            extends Accumulator
    {
        private final Block state = new Block();
        private long[] sums = new long[0];
        private boolean[] empty = new boolean[0];

        @Override
        void ensureCapacity(int groups)
        {
            if (sums.length < groups) {
                int size = grow(sums.length, groups);
                sums = Arrays.copyOf(sums, size);
                empty = growEmpty(empty, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            sum(groups, args.blocks[0], args.count);
        }

        private void sum(int[] groups, Block input, int count)
        {
            long[] s = sums;
            boolean[] e = empty;
            long[] v = input.longs();
            try {
                if (!input.hasNull()) {
                    for (int j = 0; j < count; j++) {
                        int g = groups[j];
                        s[g] = Math.addExact(s[g], v[j]);
                        e[g] = false;
                    }
                }
                else {
                    boolean[] nulls = input.nulls();
                    for (int j = 0; j < count; j++) {
                        if (!nulls[j]) {
                            int g = groups[j];
                            s[g] = Math.addExact(s[g], v[j]);
                            e[g] = false;
                        }
                    }
                }
            }
            catch (ArithmeticException ex) {
                throw overflow("bigint addition overflow in sum()");
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(vector, PhysicalType.INT64, positions, count, state);
            sum(groups, state, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, PhysicalType.INT64, sums, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            writeIntermediate(dst, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.length * 9L;
        }
    }

    /** SUM as a double (of real/double input, or of integers when the output type is double). */
    static final class SumDouble
            extends Accumulator
    {
        private final boolean longInput;
        private final Block state = new Block();
        private double[] sums = new double[0];
        private boolean[] empty = new boolean[0];

        SumDouble(boolean longInput)
        {
            this.longInput = longInput;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (sums.length < groups) {
                int size = grow(sums.length, groups);
                sums = Arrays.copyOf(sums, size);
                empty = growEmpty(empty, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            Block input = args.blocks[0];
            int count = args.count;
            if (longInput) {
                double[] s = sums;
                boolean[] e = empty;
                boolean[] nulls = input.hasNull() ? input.nulls() : null;
                long[] v = input.longs();
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        int g = groups[j];
                        s[g] += v[j];
                        e[g] = false;
                    }
                }
                return;
            }
            sum(groups, input, count);
        }

        private void sum(int[] groups, Block input, int count)
        {
            double[] s = sums;
            boolean[] e = empty;
            double[] v = input.doubles();
            if (!input.hasNull()) {
                for (int j = 0; j < count; j++) {
                    int g = groups[j];
                    s[g] += v[j];
                    e[g] = false;
                }
            }
            else {
                boolean[] nulls = input.nulls();
                for (int j = 0; j < count; j++) {
                    if (!nulls[j]) {
                        int g = groups[j];
                        s[g] += v[j];
                        e[g] = false;
                    }
                }
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(vector, PhysicalType.FLOAT64, positions, count, state);
            sum(groups, state, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeDoubles(dst, PhysicalType.FLOAT64, sums, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            writeIntermediate(dst, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.length * 9L;
        }
    }

    // ------------------------------------------------------------------ decimals (128-bit two's complement, as Arrow stores them)

    private static final long MAX_HIGH = 0x4B3B4CA85A86C47AL;
    private static final long MAX_LOW = 0x098A223FFFFFFFFFL;

    /** Decimal128 sums per group as two longs (high, low), checked against 10^38 - 1 when written. */
    static class DecimalSums
    {
        long[] high = new long[0];
        long[] low = new long[0];

        void ensureCapacity(int size)
        {
            if (high.length < size) {
                high = Arrays.copyOf(high, size);
                low = Arrays.copyOf(low, size);
            }
        }

        /** Adds the decimal at {@code row} of {@code data} (a Decimal128 data buffer) to group g. */
        final void add(int g, ArrowBuf data, int row)
        {
            long at = (long) row << 4;
            long xLow = data.getLong(at);
            long xHigh = data.getLong(at + 8);
            long sum = low[g] + xLow;
            long carry = Long.compareUnsigned(sum, low[g]) < 0 ? 1 : 0;
            try {
                high[g] = Math.addExact(Math.addExact(high[g], xHigh), carry);
            }
            catch (ArithmeticException e) {
                throw overflow("decimal sum overflow");
            }
            low[g] = sum;
        }

        final void checkRange(int g)
        {
            long h = high[g];
            long l = low[g];
            boolean tooLarge = h > MAX_HIGH || h == MAX_HIGH && Long.compareUnsigned(l, MAX_LOW) > 0;
            // -(10^38 - 1) = ~MAX + 1
            long minLow = ~MAX_LOW + 1;
            long minHigh = ~MAX_HIGH + (minLow == 0 ? 1 : 0);
            boolean tooSmall = h < minHigh || h == minHigh && Long.compareUnsigned(l, minLow) < 0;
            if (tooLarge || tooSmall) {
                throw overflow("decimal sum overflows decimal(38)");
            }
        }

        final BigInteger bigInteger(int g)
        {
            return BigInteger.valueOf(high[g]).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low[g])));
        }

        /** Writes groups' sums (NULL where {@code nulls[g]}) into a Decimal128 vector. */
        final void write(FieldVector dst, boolean[] nulls, int from, int count)
        {
            BaseFixedWidthVector vector = (BaseFixedWidthVector) dst;
            vector.allocateNew(Math.max(count, 1));
            ArrowBuf data = vector.getDataBuffer();
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (nulls == null || !nulls[g]) {
                    checkRange(g);
                    data.setLong((long) i << 4, low[g]);
                    data.setLong(((long) i << 4) + 8, high[g]);
                }
            }
            Accumulator.writeValidity(vector.getValidityBuffer(), nulls, from, count);
            vector.setValueCount(count);
        }

        long sizeInBytes()
        {
            return high.length * 16L;
        }
    }

    static void addDecimals(DecimalSums sums, boolean[] empty, long[] counts, int[] groups, FieldVector vector, int[] positions, int count)
    {
        if (count == 0) {
            return;
        }
        // reads through a memory segment: ArrowBuf's checked accessors cost a volatile read per value
        MemorySegment data = Vectors.segment(vector.getDataBuffer());
        MemorySegment validity = Vectors.hasNulls(vector) ? Vectors.segment(vector.getValidityBuffer()) : null;
        long[] high = sums.high;
        long[] low = sums.low;
        try {
            for (int j = 0; j < count; j++) {
                int row = positions[j];
                if (validity != null && ((validity.get(ValueLayout.JAVA_BYTE, row >>> 3) >> (row & 7)) & 1) == 0) {
                    continue;
                }
                long at = (long) row << 4;
                long xLow = data.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
                long xHigh = data.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8);
                int g = groups[j];
                long before = low[g];
                long sum = before + xLow;
                long carry = Long.compareUnsigned(sum, before) < 0 ? 1 : 0;
                high[g] = Math.addExact(Math.addExact(high[g], xHigh), carry);
                low[g] = sum;
                if (empty != null) {
                    empty[g] = false;
                }
                if (counts != null) {
                    counts[g]++;
                }
            }
        }
        catch (ArithmeticException e) {
            throw overflow("decimal sum overflow");
        }
    }

    /** SUM of decimal(p, s) → decimal(38, s). */
    static final class SumDecimal
            extends Accumulator
    {
        private final DecimalSums sums = new DecimalSums();
        private boolean[] empty = new boolean[0];

        @Override
        void ensureCapacity(int groups)
        {
            if (empty.length < groups) {
                int size = grow(empty.length, groups);
                sums.ensureCapacity(size);
                empty = growEmpty(empty, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            addDecimals(sums, empty, null, groups, args.vectors[0], args.positions, args.count);
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            addDecimals(sums, empty, null, groups, vector, positions, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            sums.write(dst, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            sums.write(dst, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.sizeInBytes() + empty.length;
        }
    }

    /** MIN/MAX of decimals, compared as 128-bit integers (input and output have the same scale). */
    static final class MinMaxDecimal
            extends Accumulator
    {
        private final boolean max;
        private final DecimalSums values = new DecimalSums();
        private boolean[] empty = new boolean[0];

        MinMaxDecimal(boolean max)
        {
            this.max = max;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (empty.length < groups) {
                int size = grow(empty.length, groups);
                values.ensureCapacity(size);
                empty = growEmpty(empty, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            merge(groups, args.vectors[0], args.positions, args.count);
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            ArrowBuf data = vector.getDataBuffer();
            boolean nullable = Vectors.hasNulls(vector);
            long[] high = values.high;
            long[] low = values.low;
            boolean[] e = empty;
            int sign = max ? 1 : -1;
            for (int j = 0; j < count; j++) {
                int row = positions[j];
                if (nullable && Accumulator.isNull(vector, row)) {
                    continue;
                }
                long at = (long) row << 4;
                long xLow = data.getLong(at);
                long xHigh = data.getLong(at + 8);
                int g = groups[j];
                int c = xHigh != high[g] ? Long.compare(xHigh, high[g]) : Long.compareUnsigned(xLow, low[g]);
                if (e[g] || c * sign > 0) {
                    high[g] = xHigh;
                    low[g] = xLow;
                    e[g] = false;
                }
            }
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            values.write(dst, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            values.write(dst, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return values.sizeInBytes() + empty.length;
        }
    }

    // ------------------------------------------------------------------ averages

    /** AVG of integers, real or double as a double sum and a count: double (real for real input); NULL for no values. */
    static final class AvgDouble
            extends Accumulator
    {
        private final boolean longInput;
        private final PhysicalType outputType;
        private final Block sumState = new Block();
        private final Block countState = new Block();
        private double[] sums = new double[0];
        private long[] counts = new long[0];

        AvgDouble(boolean longInput, PhysicalType outputType)
        {
            this.longInput = longInput;
            this.outputType = outputType;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (sums.length < groups) {
                int size = grow(sums.length, groups);
                sums = Arrays.copyOf(sums, size);
                counts = Arrays.copyOf(counts, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            Block input = args.blocks[0];
            int count = args.count;
            double[] s = sums;
            long[] c = counts;
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            if (longInput) {
                long[] v = input.longs();
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        int g = groups[j];
                        s[g] += v[j];
                        c[g]++;
                    }
                }
            }
            else {
                double[] v = input.doubles();
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        int g = groups[j];
                        s[g] += v[j];
                        c[g]++;
                    }
                }
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(child(vector, 0), PhysicalType.FLOAT64, positions, count, sumState);
            Vectors.gather(child(vector, 1), PhysicalType.INT64, positions, count, countState);
            double[] s = sumState.doubles();
            long[] c = countState.longs();
            for (int j = 0; j < count; j++) {
                if (!countState.isNull(j)) {
                    int g = groups[j];
                    sums[g] += s[j];
                    counts[g] += c[j];
                }
            }
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeDoubles(child(dst, 0), PhysicalType.FLOAT64, sums, null, from, count);
            Vectors.writeLongs(child(dst, 1), PhysicalType.INT64, counts, null, from, count);
            finishStruct(dst, null, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            double[] averages = new double[count];
            boolean[] nulls = new boolean[count];
            for (int i = 0; i < count; i++) {
                long n = counts[from + i];
                nulls[i] = n == 0;
                averages[i] = n == 0 ? 0 : sums[from + i] / n;
            }
            Vectors.writeDoubles(dst, outputType, averages, nulls, 0, count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.length * 16L;
        }
    }

    /** AVG of decimal(p, s) → decimal(p, s), rounded half up; the state is a decimal(38, s) sum and a count. */
    static final class AvgDecimal
            extends Accumulator
    {
        private final Type.Decimal type;
        private final DecimalSums sums = new DecimalSums();
        private final Block countState = new Block();
        private long[] counts = new long[0];

        AvgDecimal(Type.Decimal type)
        {
            this.type = type;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (counts.length < groups) {
                int size = grow(counts.length, groups);
                sums.ensureCapacity(size);
                counts = Arrays.copyOf(counts, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            addDecimals(sums, null, counts, groups, args.vectors[0], args.positions, args.count);
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            FieldVector sumVector = child(vector, 0);
            Vectors.gather(child(vector, 1), PhysicalType.INT64, positions, count, countState);
            ArrowBuf data = sumVector.getDataBuffer();
            long[] c = countState.longs();
            for (int j = 0; j < count; j++) {
                if (!countState.isNull(j) && c[j] > 0) {
                    int g = groups[j];
                    sums.add(g, data, positions[j]);
                    counts[g] += c[j];
                }
            }
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            sums.write(child(dst, 0), null, from, count);
            Vectors.writeLongs(child(dst, 1), PhysicalType.INT64, counts, null, from, count);
            finishStruct(dst, null, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            BaseFixedWidthVector vector = (BaseFixedWidthVector) dst;
            vector.allocateNew(Math.max(count, 1));
            ArrowBuf data = vector.getDataBuffer();
            boolean[] nulls = new boolean[count];
            for (int i = 0; i < count; i++) {
                int g = from + i;
                if (counts[g] == 0) {
                    nulls[i] = true;
                    continue;
                }
                BigInteger average = new BigDecimal(sums.bigInteger(g), type.scale())
                        .divide(BigDecimal.valueOf(counts[g]), type.scale(), RoundingMode.HALF_UP)
                        .unscaledValue();
                data.setLong((long) i << 4, average.longValue());
                data.setLong(((long) i << 4) + 8, average.shiftRight(64).longValue());
            }
            writeValidity(vector.getValidityBuffer(), nulls, 0, count);
            vector.setValueCount(count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.sizeInBytes() + counts.length * 8L;
        }
    }

    // ------------------------------------------------------------------ extremes

    /** MIN/MAX of long-represented values (integers, boolean, date, timestamp). */
    static final class MinMaxLong
            extends Accumulator
    {
        private final boolean max;
        private final PhysicalType outputType;
        private final Block state = new Block();
        private long[] values = new long[0];
        private boolean[] empty = new boolean[0];

        MinMaxLong(boolean max, PhysicalType outputType)
        {
            this.max = max;
            this.outputType = outputType;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (values.length < groups) {
                int size = grow(values.length, groups);
                int old = values.length;
                values = Arrays.copyOf(values, size);
                empty = growEmpty(empty, size);
                Arrays.fill(values, old, size, max ? Long.MIN_VALUE : Long.MAX_VALUE);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            update(groups, args.blocks[0], args.count);
        }

        private void update(int[] groups, Block input, int count)
        {
            long[] s = values;
            boolean[] e = empty;
            long[] v = input.longs();
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            if (max) {
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        int g = groups[j];
                        s[g] = Math.max(s[g], v[j]);
                        e[g] = false;
                    }
                }
            }
            else {
                for (int j = 0; j < count; j++) {
                    if (nulls == null || !nulls[j]) {
                        int g = groups[j];
                        s[g] = Math.min(s[g], v[j]);
                        e[g] = false;
                    }
                }
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(vector, outputType, positions, count, state);
            update(groups, state, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, outputType, values, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            writeIntermediate(dst, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return values.length * 9L;
        }
    }

    /** MIN/MAX of real/double. NaN is larger than every number (as in ORDER BY). */
    static final class MinMaxDouble
            extends Accumulator
    {
        private final boolean max;
        private final PhysicalType outputType;
        private final Block state = new Block();
        private double[] values = new double[0];
        private boolean[] empty = new boolean[0];

        MinMaxDouble(boolean max, PhysicalType outputType)
        {
            this.max = max;
            this.outputType = outputType;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (values.length < groups) {
                int size = grow(values.length, groups);
                values = Arrays.copyOf(values, size);
                empty = growEmpty(empty, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            update(groups, args.blocks[0], args.count);
        }

        private void update(int[] groups, Block input, int count)
        {
            double[] s = values;
            boolean[] e = empty;
            double[] v = input.doubles();
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            int sign = max ? 1 : -1;
            for (int j = 0; j < count; j++) {
                if (nulls == null || !nulls[j]) {
                    int g = groups[j];
                    double x = v[j];
                    if (e[g] || Double.compare(x, s[g]) * sign > 0) {
                        s[g] = x;
                        e[g] = false;
                    }
                }
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(vector, outputType, positions, count, state);
            update(groups, state, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeDoubles(dst, outputType, values, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            writeIntermediate(dst, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return values.length * 9L;
        }
    }

    /**
     * MIN_BY/MAX_BY(x, y): the x of the row with the smallest/largest y (rows with a NULL y are
     * skipped; x may be NULL); state {@code row(key y, value x)}. Also serves MIN/MAX of varchar
     * ({@code selfKeyed}: x is its own key, NULL x skipped) and ARBITRARY ({@code keyType} null: the
     * first non-null x).
     */
    static final class MinMaxBy
            extends Accumulator
    {
        private final boolean max;
        private final boolean selfKeyed;
        private final PhysicalType valueType;
        private final PhysicalType keyType;
        private final ValueStore values;
        private final ValueStore keys;
        private final Block valueState = new Block();
        private final Block keyState = new Block();
        private boolean[] empty = new boolean[0];

        MinMaxBy(boolean max, Type valueType, Type keyType, boolean selfKeyed)
        {
            this.max = max;
            this.selfKeyed = selfKeyed;
            this.values = new ValueStore(valueType, selfKeyed ? "min/max/arbitrary" : "min_by/max_by");
            this.valueType = values.type();
            this.keys = keyType == null || selfKeyed ? null : new ValueStore(keyType, "min_by/max_by key");
            this.keyType = keys == null ? null : keys.type();
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (empty.length < groups) {
                int size = grow(empty.length, groups);
                empty = growEmpty(empty, size);
                values.ensureCapacity(size);
                if (keys != null) {
                    keys.ensureCapacity(size);
                }
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            update(groups, args.blocks[0], keys == null ? null : args.blocks[1], args.count);
        }

        private void update(int[] groups, Block x, Block y, int count)
        {
            boolean[] e = empty;
            int sign = max ? 1 : -1;
            if (keys == null) {
                // MIN/MAX of bytes, or ARBITRARY
                boolean arbitrary = !selfKeyed;
                for (int j = 0; j < count; j++) {
                    if (x.isNull(j)) {
                        continue;
                    }
                    int g = groups[j];
                    if (e[g]) {
                        values.set(g, x, j);
                        e[g] = false;
                    }
                    else if (!arbitrary && values.compare(g, x, j) * sign > 0) {
                        values.set(g, x, j);
                    }
                }
                return;
            }
            for (int j = 0; j < count; j++) {
                if (y.isNull(j)) {
                    continue;
                }
                int g = groups[j];
                if (e[g] || keys.compare(g, y, j) * sign > 0) {
                    keys.set(g, y, j);
                    values.set(g, x, j);
                    e[g] = false;
                }
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            if (keys == null) {
                Vectors.gather(vector, valueType, positions, count, valueState);
                update(groups, valueState, null, count);
                return;
            }
            // a NULL struct (empty group) has a NULL key child too: skipped as a NULL y
            Vectors.gather(child(vector, 0), keyType, positions, count, keyState);
            Vectors.gather(child(vector, 1), valueType, positions, count, valueState);
            update(groups, valueState, keyState, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            if (keys == null) {
                values.write(dst, empty, from, count);
                return;
            }
            keys.write(child(dst, 0), empty, from, count);
            values.write(child(dst, 1), empty, from, count);
            finishStruct(dst, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            values.write(dst, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return empty.length + values.sizeInBytes() + (keys == null ? 0 : keys.sizeInBytes());
        }
    }

    /** BOOL_AND / BOOL_OR; NULL for a group without values. */
    static final class BoolAndOr
            extends Accumulator
    {
        private final boolean and;
        private final Block state = new Block();
        private long[] values = new long[0];
        private boolean[] empty = new boolean[0];

        BoolAndOr(boolean and)
        {
            this.and = and;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (values.length < groups) {
                int size = grow(values.length, groups);
                int old = values.length;
                values = Arrays.copyOf(values, size);
                empty = growEmpty(empty, size);
                Arrays.fill(values, old, size, and ? 1 : 0);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            update(groups, args.blocks[0], args.count);
        }

        private void update(int[] groups, Block input, int count)
        {
            long[] s = values;
            boolean[] e = empty;
            long[] v = input.longs();
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            for (int j = 0; j < count; j++) {
                if (nulls == null || !nulls[j]) {
                    int g = groups[j];
                    s[g] = and ? s[g] & v[j] : s[g] | v[j];
                    e[g] = false;
                }
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(vector, PhysicalType.BOOLEAN, positions, count, state);
            update(groups, state, count);
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, PhysicalType.BOOLEAN, values, empty, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            writeIntermediate(dst, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return values.length * 9L;
        }
    }

    // ------------------------------------------------------------------ variances

    /**
     * STDDEV/STDDEV_SAMP/STDDEV_POP/VARIANCE/VAR_SAMP/VAR_POP: count, mean and sum of squared
     * deviations (Welford), merged with Chan's formula. Sample variants are NULL below two values,
     * population variants for no value.
     */
    static final class Variance
            extends Accumulator
    {
        private final AggregateFunction kind;
        private final boolean longInput;
        private final Block countState = new Block();
        private final Block meanState = new Block();
        private final Block m2State = new Block();
        private long[] counts = new long[0];
        private double[] means = new double[0];
        private double[] m2s = new double[0];

        Variance(AggregateFunction kind, boolean longInput)
        {
            this.kind = kind;
            this.longInput = longInput;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (counts.length < groups) {
                int size = grow(counts.length, groups);
                counts = Arrays.copyOf(counts, size);
                means = Arrays.copyOf(means, size);
                m2s = Arrays.copyOf(m2s, size);
            }
        }

        @Override
        void add(int[] groups, Args args)
        {
            Block input = args.blocks[0];
            int count = args.count;
            long[] c = counts;
            double[] mean = means;
            double[] m2 = m2s;
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            long[] longs = longInput ? input.longs() : null;
            double[] doubles = longInput ? null : input.doubles();
            for (int j = 0; j < count; j++) {
                if (nulls != null && nulls[j]) {
                    continue;
                }
                int g = groups[j];
                double x = longInput ? longs[j] : doubles[j];
                long n = ++c[g];
                double delta = x - mean[g];
                mean[g] += delta / n;
                m2[g] += delta * (x - mean[g]);
            }
        }

        @Override
        void merge(int[] groups, FieldVector vector, int[] positions, int count)
        {
            Vectors.gather(child(vector, 0), PhysicalType.INT64, positions, count, countState);
            Vectors.gather(child(vector, 1), PhysicalType.FLOAT64, positions, count, meanState);
            Vectors.gather(child(vector, 2), PhysicalType.FLOAT64, positions, count, m2State);
            long[] nb = countState.longs();
            double[] meanB = meanState.doubles();
            double[] m2B = m2State.doubles();
            for (int j = 0; j < count; j++) {
                if (countState.isNull(j) || nb[j] == 0) {
                    continue;
                }
                int g = groups[j];
                long na = counts[g];
                long n = na + nb[j];
                double delta = meanB[j] - means[g];
                means[g] += delta * nb[j] / n;
                m2s[g] += m2B[j] + delta * delta * ((double) na * nb[j] / n);
                counts[g] = n;
            }
        }

        @Override
        void writeIntermediate(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(child(dst, 0), PhysicalType.INT64, counts, null, from, count);
            Vectors.writeDoubles(child(dst, 1), PhysicalType.FLOAT64, means, null, from, count);
            Vectors.writeDoubles(child(dst, 2), PhysicalType.FLOAT64, m2s, null, from, count);
            finishStruct(dst, null, from, count);
        }

        @Override
        void writeFinal(FieldVector dst, int from, int count)
        {
            boolean population = kind == AggregateFunction.STDDEV_POP || kind == AggregateFunction.VAR_POP;
            boolean root = kind == AggregateFunction.STDDEV || kind == AggregateFunction.STDDEV_SAMP || kind == AggregateFunction.STDDEV_POP;
            double[] results = new double[count];
            boolean[] nulls = new boolean[count];
            for (int i = 0; i < count; i++) {
                long n = counts[from + i];
                if (population ? n == 0 : n < 2) {
                    nulls[i] = true;
                    continue;
                }
                double variance = Math.max(0, m2s[from + i] / (population ? n : n - 1));
                results[i] = root ? Math.sqrt(variance) : variance;
            }
            Vectors.writeDoubles(dst, PhysicalType.FLOAT64, results, nulls, 0, count);
        }

        @Override
        long sizeInBytes()
        {
            return counts.length * 24L;
        }
    }
}
