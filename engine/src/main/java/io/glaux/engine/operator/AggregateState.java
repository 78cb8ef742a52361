package io.glaux.engine.operator;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * The per-group state of one aggregate in flat arrays indexed by group id, updated a batch at a time
 * (one virtual call per batch, a tight loop inside).
 */
abstract sealed class AggregateState
{
    /** Makes room for {@code groups} groups. */
    abstract void ensureCapacity(int groups);

    /** Adds row j of {@code input} (null for COUNT_STAR) to group {@code groups[j]}, for j in [0, count). */
    abstract void add(int[] groups, Block input, int count);

    /** Writes the results of groups {@code [from, from+count)}. */
    abstract void write(FieldVector dst, int from, int count);

    abstract long sizeInBytes();

    /** Whether the input column is needed only for its null flags. */
    boolean needsOnlyNulls()
    {
        return false;
    }

    static AggregateState create(AggregateCall call, Type inputType)
    {
        AggregateFunction function = call.function();
        Type output = call.outputType();
        if (function == AggregateFunction.COUNT_STAR || function == AggregateFunction.COUNT) {
            if (!output.equals(Type.BIGINT)) {
                throw unsupported(call, inputType);
            }
            return new Count(function == AggregateFunction.COUNT_STAR);
        }
        PhysicalType input = PhysicalType.of(inputType);
        PhysicalType result = PhysicalType.of(output);
        return switch (function) {
            case SUM -> {
                if (io.glaux.engine.expr.SqlTypes.isIntegral(inputType) && output.equals(Type.BIGINT)) {
                    yield new SumLong();
                }
                if (io.glaux.engine.expr.SqlTypes.isNumeric(inputType) && output.equals(Type.DOUBLE)) {
                    yield new SumDouble(input.representation() == PhysicalType.Representation.LONG);
                }
                throw unsupported(call, inputType);
            }
            case MIN, MAX -> {
                if (input.representation() != result.representation() || input == PhysicalType.OTHER) {
                    throw unsupported(call, inputType);
                }
                boolean max = function == AggregateFunction.MAX;
                yield switch (input.representation()) {
                    case LONG -> new MinMaxLong(max, result);
                    case DOUBLE -> new MinMaxDouble(max, result);
                    case BYTES -> new MinMaxBytes(max);
                    case OTHER -> throw unsupported(call, inputType);
                };
            }
            default -> throw unsupported(call, inputType);
        };
    }

    private static GlauxException unsupported(AggregateCall call, Type inputType)
    {
        return new GlauxException(ErrorCode.NOT_SUPPORTED, call.function() + " of " + (inputType == null ? "*" : inputType.trinoName())
                + " returning " + call.outputType().trinoName() + " is not supported");
    }

    static int grow(int current, int needed)
    {
        return Math.max(needed, Math.max(16, current + (current >> 1)));
    }

    /** COUNT(*) and COUNT(x): 0 for an empty group. */
    static final class Count
            extends AggregateState
    {
        private final boolean star;
        private long[] counts = new long[0];

        Count(boolean star)
        {
            this.star = star;
        }

        @Override
        boolean needsOnlyNulls()
        {
            return true;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (counts.length < groups) {
                counts = Arrays.copyOf(counts, grow(counts.length, groups));
            }
        }

        @Override
        void add(int[] groups, Block input, int count)
        {
            long[] c = counts;
            if (star || !input.hasNull()) {
                for (int j = 0; j < count; j++) {
                    c[groups[j]]++;
                }
            }
            else {
                boolean[] nulls = input.nulls();
                for (int j = 0; j < count; j++) {
                    c[groups[j]] += nulls[j] ? 0 : 1;
                }
            }
        }

        @Override
        void write(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, PhysicalType.INT64, counts, null, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return counts.length * 8L;
        }
    }

    /** SUM of integers in a long, checked for overflow; NULL for a group without values. */
    static final class SumLong
            extends AggregateState
    {
        private long[] sums = new long[0];
        private boolean[] empty = new boolean[0];

        @Override
        void ensureCapacity(int groups)
        {
            if (sums.length < groups) {
                int size = grow(sums.length, groups);
                int old = empty.length;
                sums = Arrays.copyOf(sums, size);
                empty = Arrays.copyOf(empty, size);
                Arrays.fill(empty, old, size, true);
            }
        }

        @Override
        void add(int[] groups, Block input, int count)
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
                throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "bigint sum overflow", ex);
            }
        }

        @Override
        void write(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, PhysicalType.INT64, sums, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.length * 9L;
        }
    }

    /** SUM as a double (of real/double input, or of integers when the output type is double). */
    static final class SumDouble
            extends AggregateState
    {
        private final boolean longInput;
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
                int old = empty.length;
                sums = Arrays.copyOf(sums, size);
                empty = Arrays.copyOf(empty, size);
                Arrays.fill(empty, old, size, true);
            }
        }

        @Override
        void add(int[] groups, Block input, int count)
        {
            double[] s = sums;
            boolean[] e = empty;
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            if (longInput) {
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
            double[] v = input.doubles();
            if (nulls == null) {
                for (int j = 0; j < count; j++) {
                    int g = groups[j];
                    s[g] += v[j];
                    e[g] = false;
                }
            }
            else {
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
        void write(FieldVector dst, int from, int count)
        {
            Vectors.writeDoubles(dst, PhysicalType.FLOAT64, sums, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return sums.length * 9L;
        }
    }

    /** MIN/MAX of long-represented values (integers, boolean, date, timestamp). */
    static final class MinMaxLong
            extends AggregateState
    {
        private final boolean max;
        private final PhysicalType outputType;
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
                int old = empty.length;
                values = Arrays.copyOf(values, size);
                empty = Arrays.copyOf(empty, size);
                Arrays.fill(empty, old, size, true);
                Arrays.fill(values, old, size, max ? Long.MIN_VALUE : Long.MAX_VALUE);
            }
        }

        @Override
        void add(int[] groups, Block input, int count)
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
        void write(FieldVector dst, int from, int count)
        {
            Vectors.writeLongs(dst, outputType, values, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return values.length * 9L;
        }
    }

    /** MIN/MAX of real/double. NaN is larger than every number (as in ORDER BY). */
    static final class MinMaxDouble
            extends AggregateState
    {
        private final boolean max;
        private final PhysicalType outputType;
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
                int old = empty.length;
                values = Arrays.copyOf(values, size);
                empty = Arrays.copyOf(empty, size);
                Arrays.fill(empty, old, size, true);
            }
        }

        @Override
        void add(int[] groups, Block input, int count)
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
        void write(FieldVector dst, int from, int count)
        {
            Vectors.writeDoubles(dst, outputType, values, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return values.length * 9L;
        }
    }

    /**
     * MIN/MAX of varchar (unsigned UTF-8 byte order = code point order). Values live in a byte arena;
     * a replacement that fits overwrites in place, a longer one is appended and the arena is compacted
     * when more than half of it is garbage.
     */
    static final class MinMaxBytes
            extends AggregateState
    {
        private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

        private final boolean max;
        private int[] starts = new int[0];
        private int[] lengths = new int[0];
        private int[] capacities = new int[0];
        private boolean[] empty = new boolean[0];
        private byte[] arena = new byte[0];
        private int arenaSize;
        private long garbage;

        MinMaxBytes(boolean max)
        {
            this.max = max;
        }

        @Override
        void ensureCapacity(int groups)
        {
            if (starts.length < groups) {
                int size = grow(starts.length, groups);
                int old = empty.length;
                starts = Arrays.copyOf(starts, size);
                lengths = Arrays.copyOf(lengths, size);
                capacities = Arrays.copyOf(capacities, size);
                empty = Arrays.copyOf(empty, size);
                Arrays.fill(empty, old, size, true);
            }
        }

        @Override
        void add(int[] groups, Block input, int count)
        {
            byte[] bytes = input.bytes();
            int[] offsets = input.offsets();
            boolean[] nulls = input.hasNull() ? input.nulls() : null;
            int sign = max ? 1 : -1;
            for (int j = 0; j < count; j++) {
                if (nulls != null && nulls[j]) {
                    continue;
                }
                int g = groups[j];
                int from = offsets[j];
                int to = offsets[j + 1];
                if (empty[g] || Arrays.compareUnsigned(bytes, from, to, arena, starts[g], starts[g] + lengths[g]) * sign > 0) {
                    store(g, bytes, from, to - from);
                }
            }
        }

        private void store(int g, byte[] bytes, int from, int length)
        {
            if (!empty[g] && length <= capacities[g]) {
                System.arraycopy(bytes, from, arena, starts[g], length);
                lengths[g] = length;
                return;
            }
            if (!empty[g]) {
                garbage += capacities[g];
            }
            if ((long) arenaSize + length > arena.length) {
                if (garbage > arenaSize / 2) {
                    compact();
                }
                long needed = (long) arenaSize + length;
                if (needed > arena.length) {
                    if (needed > MAX_ARRAY) {
                        throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "min/max values exceed " + MAX_ARRAY + " bytes");
                    }
                    arena = Arrays.copyOf(arena, (int) Math.min(MAX_ARRAY, Math.max(needed, Math.max(1024, arena.length + (long) (arena.length >> 1)))));
                }
            }
            System.arraycopy(bytes, from, arena, arenaSize, length);
            starts[g] = arenaSize;
            lengths[g] = length;
            capacities[g] = length;
            empty[g] = false;
            arenaSize += length;
        }

        private void compact()
        {
            byte[] compacted = new byte[arena.length];
            int size = 0;
            for (int g = 0; g < starts.length; g++) {
                if (!empty[g]) {
                    System.arraycopy(arena, starts[g], compacted, size, lengths[g]);
                    starts[g] = size;
                    capacities[g] = lengths[g];
                    size += lengths[g];
                }
            }
            arena = compacted;
            arenaSize = size;
            garbage = 0;
        }

        @Override
        void write(FieldVector dst, int from, int count)
        {
            Vectors.writeBytes((BaseVariableWidthVector) dst, arena, starts, lengths, empty, from, count);
        }

        @Override
        long sizeInBytes()
        {
            return starts.length * 13L + arena.length;
        }
    }
}
