package io.glaux.engine.operator.sort;

import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.TimeZones;
import io.glaux.engine.expr.Vectors;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * The values of one column for every row appended so far, on the heap in flat arrays (longs, doubles,
 * a byte arena, or 128-bit decimals) with null flags, in SQL's ascending order: numbers by value with
 * NaN above every number (as Trino orders them), varchar and varbinary as unsigned bytes (= code point
 * order), false before true. {@link #compare} ignores nulls; callers order them. Subclasses are
 * specialized per physical type so that the compare loop neither boxes nor dispatches per value kind.
 */
public abstract sealed class ColumnValues
        permits ColumnValues.LongValues, ColumnValues.DoubleValues, ColumnValues.BytesValues, ColumnValues.DecimalValues, ColumnValues.NullsOnly
{
    static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    protected boolean[] nulls = new boolean[16];
    protected boolean anyNull;
    protected int size;

    /** A store for values of {@code type}; {@code comparable} false allows any type but keeps only null flags. */
    public static ColumnValues create(Type type, boolean comparable)
    {
        if (type instanceof Type.Decimal) {
            return new DecimalValues();
        }
        PhysicalType physical = PhysicalType.of(type);
        return switch (physical.representation()) {
            case LONG -> new LongValues(physical, type instanceof Type.TimestampWithTimeZone);
            case DOUBLE -> new DoubleValues(physical);
            case BYTES -> new BytesValues();
            case OTHER -> {
                if (comparable) {
                    throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Ordering by " + type.trinoName() + " is not supported");
                }
                yield new NullsOnly();
            }
        };
    }

    public final int size()
    {
        return size;
    }

    public final boolean isNull(int row)
    {
        return nulls[row];
    }

    public final boolean mayHaveNull()
    {
        return anyNull;
    }

    /** Appends rows {@code [from, from+count)} of {@code vector}. */
    public final void append(FieldVector vector, int from, int count)
    {
        ensureCapacity(size + count);
        boolean[] n = nulls;
        if (!Vectors.hasNulls(vector)) {
            Arrays.fill(n, size, size + count, false);
        }
        else {
            ArrowBuf validity = vector.getValidityBuffer();
            for (int j = 0; j < count; j++) {
                int row = from + j;
                boolean isNull = ((validity.getByte(row >>> 3) >> (row & 7)) & 1) == 0;
                n[size + j] = isNull;
                anyNull |= isNull;
            }
        }
        appendValues(vector, from, count);
        size += count;
    }

    /** Forgets every row (keeps the arrays). */
    public void clear()
    {
        size = 0;
        anyNull = false;
    }

    /** Ascending comparison of non-null row {@code a} here with non-null row {@code b} of {@code other} (same kind). */
    public abstract int compare(int a, ColumnValues other, int b);

    /** Heap bytes held. */
    public abstract long sizeInBytes();

    protected abstract void appendValues(FieldVector vector, int from, int count);

    protected abstract void grow(int capacity);

    private void ensureCapacity(int needed)
    {
        if (needed > nulls.length) {
            if (needed > MAX_ARRAY) {
                throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Sort buffer exceeds " + MAX_ARRAY + " rows");
            }
            int capacity = (int) Math.min(MAX_ARRAY, Math.max(needed, nulls.length + (long) (nulls.length >> 1)));
            nulls = Arrays.copyOf(nulls, capacity);
            grow(capacity);
        }
    }

    /**
     * Integer types, boolean, date and timestamp, as longs; timestamp with time zone as its instant (the
     * packed value with the zone key cleared), so that equal instants in different zones are peers.
     */
    public static final class LongValues
            extends ColumnValues
    {
        private final PhysicalType type;
        private final boolean instant;
        private long[] values = new long[16];

        LongValues(PhysicalType type, boolean instant)
        {
            this.type = type;
            this.instant = instant;
        }

        public long get(int row)
        {
            return values[row];
        }

        public long[] values()
        {
            return values;
        }

        public PhysicalType type()
        {
            return type;
        }

        @Override
        public int compare(int a, ColumnValues other, int b)
        {
            return Long.compare(values[a], ((LongValues) other).values[b]);
        }

        @Override
        protected void appendValues(FieldVector vector, int from, int count)
        {
            long[] v = values;
            int at = size;
            ArrowBuf data = vector.getDataBuffer();
            switch (type) {
                case BOOLEAN -> {
                    for (int j = 0; j < count; j++) {
                        int row = from + j;
                        v[at + j] = (data.getByte(row >>> 3) >> (row & 7)) & 1;
                    }
                }
                case INT8 -> {
                    for (int j = 0; j < count; j++) {
                        v[at + j] = data.getByte(from + j);
                    }
                }
                case INT16 -> {
                    for (int j = 0; j < count; j++) {
                        v[at + j] = data.getShort((long) (from + j) << 1);
                    }
                }
                case INT32 -> {
                    for (int j = 0; j < count; j++) {
                        v[at + j] = data.getInt((long) (from + j) << 2);
                    }
                }
                case INT64 -> {
                    for (int j = 0; j < count; j++) {
                        v[at + j] = data.getLong((long) (from + j) << 3);
                    }
                    if (instant) {
                        for (int j = 0; j < count; j++) {
                            v[at + j] &= TimeZones.INSTANT_MASK;
                        }
                    }
                }
                default -> throw new IllegalStateException(type.name());
            }
        }

        @Override
        protected void grow(int capacity)
        {
            values = Arrays.copyOf(values, capacity);
        }

        @Override
        public long sizeInBytes()
        {
            return (long) values.length * 9;
        }
    }

    /** Real and double. */
    public static final class DoubleValues
            extends ColumnValues
    {
        private final PhysicalType type;
        private double[] values = new double[16];

        DoubleValues(PhysicalType type)
        {
            this.type = type;
        }

        public double get(int row)
        {
            return values[row];
        }

        public double[] values()
        {
            return values;
        }

        public PhysicalType type()
        {
            return type;
        }

        @Override
        public int compare(int a, ColumnValues other, int b)
        {
            // Double.compare: NaN above +Infinity, as Trino's ORDER BY
            return Double.compare(values[a], ((DoubleValues) other).values[b]);
        }

        @Override
        protected void appendValues(FieldVector vector, int from, int count)
        {
            double[] v = values;
            int at = size;
            ArrowBuf data = vector.getDataBuffer();
            if (type == PhysicalType.FLOAT32) {
                for (int j = 0; j < count; j++) {
                    v[at + j] = data.getFloat((long) (from + j) << 2);
                }
            }
            else {
                for (int j = 0; j < count; j++) {
                    v[at + j] = data.getDouble((long) (from + j) << 3);
                }
            }
        }

        @Override
        protected void grow(int capacity)
        {
            values = Arrays.copyOf(values, capacity);
        }

        @Override
        public long sizeInBytes()
        {
            return (long) values.length * 9;
        }
    }

    /** Varchar and varbinary: a byte arena with offsets, compared as unsigned bytes. */
    public static final class BytesValues
            extends ColumnValues
    {
        private byte[] arena = new byte[256];
        private int[] offsets = new int[17];

        public byte[] arena()
        {
            return arena;
        }

        public int start(int row)
        {
            return offsets[row];
        }

        public int end(int row)
        {
            return offsets[row + 1];
        }

        @Override
        public int compare(int a, ColumnValues other, int b)
        {
            BytesValues o = (BytesValues) other;
            return Arrays.compareUnsigned(arena, offsets[a], offsets[a + 1], o.arena, o.offsets[b], o.offsets[b + 1]);
        }

        @Override
        protected void appendValues(FieldVector vector, int from, int count)
        {
            ArrowBuf offsetBuffer = vector.getOffsetBuffer();
            int first = offsetBuffer.getInt((long) from << 2);
            int last = offsetBuffer.getInt((long) (from + count) << 2);
            int base = offsets[size];
            long needed = (long) base + (last - first);
            if (needed > arena.length) {
                if (needed > MAX_ARRAY) {
                    throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Sort keys exceed " + MAX_ARRAY + " bytes");
                }
                arena = Arrays.copyOf(arena, (int) Math.min(MAX_ARRAY, Math.max(needed, arena.length + (long) (arena.length >> 1))));
            }
            if (last > first) {
                vector.getDataBuffer().getBytes(first, arena, base, last - first);
            }
            int[] o = offsets;
            for (int j = 1; j <= count; j++) {
                o[size + j] = base + offsetBuffer.getInt((long) (from + j) << 2) - first;
            }
        }

        @Override
        protected void grow(int capacity)
        {
            offsets = Arrays.copyOf(offsets, capacity + 1);
        }

        @Override
        public long sizeInBytes()
        {
            return arena.length + (long) offsets.length * 5;
        }
    }

    /** Decimal128 as two longs (two's complement, high word signed). */
    public static final class DecimalValues
            extends ColumnValues
    {
        private long[] high = new long[16];
        private long[] low = new long[16];

        /** The signed high word of the 128-bit value. */
        public long high(int row)
        {
            return high[row];
        }

        /** The low word of the 128-bit value. */
        public long low(int row)
        {
            return low[row];
        }

        @Override
        public int compare(int a, ColumnValues other, int b)
        {
            DecimalValues o = (DecimalValues) other;
            int c = Long.compare(high[a], o.high[b]);
            return c != 0 ? c : Long.compareUnsigned(low[a], o.low[b]);
        }

        @Override
        protected void appendValues(FieldVector vector, int from, int count)
        {
            ArrowBuf data = vector.getDataBuffer();
            for (int j = 0; j < count; j++) {
                long at = (long) (from + j) << 4;
                low[size + j] = data.getLong(at);
                high[size + j] = data.getLong(at + 8);
            }
        }

        @Override
        protected void grow(int capacity)
        {
            high = Arrays.copyOf(high, capacity);
            low = Arrays.copyOf(low, capacity);
        }

        @Override
        public long sizeInBytes()
        {
            return (long) high.length * 17;
        }
    }

    /** Only null flags (value functions over types that cannot be compared). */
    public static final class NullsOnly
            extends ColumnValues
    {
        @Override
        public int compare(int a, ColumnValues other, int b)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void appendValues(FieldVector vector, int from, int count) {}

        @Override
        protected void grow(int capacity) {}

        @Override
        public long sizeInBytes()
        {
            return nulls.length;
        }
    }
}
