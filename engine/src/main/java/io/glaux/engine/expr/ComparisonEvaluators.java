package io.glaux.engine.expr;

import io.glaux.engine.expr.Expression.Operator;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.ByteFunctionHelpers;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Comparisons. Column-op-literal has a dedicated loop per (vector type, operator): integer-like
 * columns test a range {@code [low, high]} (every operator, and a double literal against an integer
 * column, reduces to one), floating columns one loop per operator, varchar compares UTF-8 bytes in
 * place. Everything else evaluates both sides into blocks and compares with an outcome mask.
 */
final class ComparisonEvaluators
{
    private ComparisonEvaluators() {}

    // Outcome bits: 1 = less, 2 = equal, 4 = greater, 8 = unordered (NaN).
    static final int ALL_OUTCOMES = 0b1111;

    static int mask(Operator operator)
    {
        return switch (operator) {
            case EQUAL -> 0b0010;
            case NOT_EQUAL -> 0b1101;
            case LESS_THAN -> 0b0001;
            case LESS_THAN_OR_EQUAL -> 0b0011;
            case GREATER_THAN -> 0b0100;
            case GREATER_THAN_OR_EQUAL -> 0b0110;
            default -> throw new IllegalArgumentException(operator.name());
        };
    }

    /** The operator with its operands swapped: {@code a < b} ⇔ {@code b > a}. */
    static Operator flip(Operator operator)
    {
        return switch (operator) {
            case LESS_THAN -> Operator.GREATER_THAN;
            case LESS_THAN_OR_EQUAL -> Operator.GREATER_THAN_OR_EQUAL;
            case GREATER_THAN -> Operator.LESS_THAN;
            case GREATER_THAN_OR_EQUAL -> Operator.LESS_THAN_OR_EQUAL;
            default -> operator;
        };
    }

    static boolean isComparison(Operator operator)
    {
        return switch (operator) {
            case EQUAL, NOT_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> true;
            default -> false;
        };
    }

    /**
     * An integer-like column (tinyint..bigint, date, timestamp) in {@code [low, high]} (or, negated, not
     * in it). An empty range ({@code low > high}) matches no row.
     */
    static final class LongRange
            extends BooleanEvaluator
    {
        private final int index;
        private final PhysicalType type;
        private final long low;
        private final long high;
        private final boolean negated;

        LongRange(int index, PhysicalType type, long low, long high, boolean negated)
        {
            this.index = index;
            this.type = type;
            this.low = low;
            this.high = high;
            this.negated = negated;
        }

        /** The range for {@code column op value}, for an integer-like column. Returns {low, high, negated}. */
        static LongRange of(int index, PhysicalType type, Operator operator, long value)
        {
            return switch (operator) {
                case EQUAL -> new LongRange(index, type, value, value, false);
                case NOT_EQUAL -> new LongRange(index, type, value, value, true);
                case LESS_THAN -> value == Long.MIN_VALUE ? empty(index, type) : new LongRange(index, type, Long.MIN_VALUE, value - 1, false);
                case LESS_THAN_OR_EQUAL -> new LongRange(index, type, Long.MIN_VALUE, value, false);
                case GREATER_THAN -> value == Long.MAX_VALUE ? empty(index, type) : new LongRange(index, type, value + 1, Long.MAX_VALUE, false);
                case GREATER_THAN_OR_EQUAL -> new LongRange(index, type, value, Long.MAX_VALUE, false);
                default -> throw new IllegalArgumentException(operator.name());
            };
        }

        /** The range for {@code integerColumn op doubleValue}. */
        static LongRange of(int index, PhysicalType type, Operator operator, double value)
        {
            final double twoTo63 = 9.223372036854775808E18;
            if (Double.isNaN(value)) {
                // every comparison with NaN is false, except <>
                return new LongRange(index, type, 1, 0, operator == Operator.NOT_EQUAL);
            }
            return switch (operator) {
                case EQUAL, NOT_EQUAL -> {
                    boolean integral = value == Math.rint(value) && value >= -twoTo63 && value < twoTo63;
                    boolean negated = operator == Operator.NOT_EQUAL;
                    yield integral ? new LongRange(index, type, (long) value, (long) value, negated) : new LongRange(index, type, 1, 0, negated);
                }
                case LESS_THAN -> value >= twoTo63 ? all(index, type) : value <= -twoTo63 ? empty(index, type)
                        : new LongRange(index, type, Long.MIN_VALUE, (long) Math.ceil(value) - 1, false);
                case LESS_THAN_OR_EQUAL -> value >= twoTo63 ? all(index, type) : value < -twoTo63 ? empty(index, type)
                        : new LongRange(index, type, Long.MIN_VALUE, (long) Math.floor(value), false);
                case GREATER_THAN -> value >= twoTo63 ? empty(index, type) : value < -twoTo63 ? all(index, type)
                        : new LongRange(index, type, (long) Math.floor(value) + 1, Long.MAX_VALUE, false);
                case GREATER_THAN_OR_EQUAL -> value >= twoTo63 ? empty(index, type) : value <= -twoTo63 ? all(index, type)
                        : new LongRange(index, type, (long) Math.ceil(value), Long.MAX_VALUE, false);
                default -> throw new IllegalArgumentException(operator.name());
            };
        }

        /**
         * The range for {@code decimalColumn op value}, the column of at most 18 digits at {@code scale}
         * (its unscaled values lie in (-10^18, 10^18)), {@code value} exact: the bound is the value at the
         * column's scale, rounded towards the inside of the range.
         */
        static LongRange ofDecimal(int index, int scale, Operator operator, BigDecimal value)
        {
            BigDecimal unscaled = value.movePointRight(scale);
            BigDecimal limit = BigDecimal.valueOf(Decimals.POWERS_OF_TEN[18]);
            BigDecimal floor = unscaled.setScale(0, RoundingMode.FLOOR).max(limit.negate()).min(limit);
            BigDecimal ceiling = unscaled.setScale(0, RoundingMode.CEILING).max(limit.negate()).min(limit);
            boolean integral = unscaled.compareTo(floor) == 0;
            return switch (operator) {
                case EQUAL, NOT_EQUAL -> integral
                        ? new LongRange(index, PhysicalType.DECIMAL, floor.longValueExact(), floor.longValueExact(), operator == Operator.NOT_EQUAL)
                        : new LongRange(index, PhysicalType.DECIMAL, 1, 0, operator == Operator.NOT_EQUAL);
                case LESS_THAN -> new LongRange(index, PhysicalType.DECIMAL, Long.MIN_VALUE, ceiling.longValueExact() - 1, false);
                case LESS_THAN_OR_EQUAL -> new LongRange(index, PhysicalType.DECIMAL, Long.MIN_VALUE, floor.longValueExact(), false);
                case GREATER_THAN -> new LongRange(index, PhysicalType.DECIMAL, floor.longValueExact() + 1, Long.MAX_VALUE, false);
                case GREATER_THAN_OR_EQUAL -> new LongRange(index, PhysicalType.DECIMAL, ceiling.longValueExact(), Long.MAX_VALUE, false);
                default -> throw new IllegalArgumentException(operator.name());
            };
        }

        private static LongRange empty(int index, PhysicalType type)
        {
            return new LongRange(index, type, 1, 0, false);
        }

        private static LongRange all(int index, PhysicalType type)
        {
            return new LongRange(index, type, Long.MIN_VALUE, Long.MAX_VALUE, false);
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            FieldVector vector = batch.getVector(index);
            boolean negate = negated != !wantTrue;
            int k;
            if (low > high) {
                // empty range: nothing is inside
                if (!negate) {
                    return 0;
                }
                copyIfNeeded(positions, count, out);
                k = count;
            }
            else {
                MemorySegment data = Vectors.segment(vector.getDataBuffer());
                long lo = low;
                long span = high - low;
                int flip = negate ? 1 : 0;
                k = 0;
                switch (type) {
                    case INT8 -> {
                        for (int j = 0; j < count; j++) {
                            int row = positions[j];
                            long v = data.get(ValueLayout.JAVA_BYTE, row);
                            out[k] = row;
                            k += (Long.compareUnsigned(v - lo, span) <= 0 ? 1 : 0) ^ flip;
                        }
                    }
                    case INT16 -> {
                        for (int j = 0; j < count; j++) {
                            int row = positions[j];
                            long v = data.get(ValueLayout.JAVA_SHORT_UNALIGNED, (long) row << 1);
                            out[k] = row;
                            k += (Long.compareUnsigned(v - lo, span) <= 0 ? 1 : 0) ^ flip;
                        }
                    }
                    case INT32 -> {
                        for (int j = 0; j < count; j++) {
                            int row = positions[j];
                            long v = data.get(ValueLayout.JAVA_INT_UNALIGNED, (long) row << 2);
                            out[k] = row;
                            k += (Long.compareUnsigned(v - lo, span) <= 0 ? 1 : 0) ^ flip;
                        }
                    }
                    case INT64 -> {
                        for (int j = 0; j < count; j++) {
                            int row = positions[j];
                            long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) row << 3);
                            out[k] = row;
                            k += (Long.compareUnsigned(v - lo, span) <= 0 ? 1 : 0) ^ flip;
                        }
                    }
                    case DECIMAL -> {
                        // a decimal of at most 18 digits: the low 64 bits of the Decimal128 are its unscaled value
                        for (int j = 0; j < count; j++) {
                            int row = positions[j];
                            long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) row << 4);
                            out[k] = row;
                            k += (Long.compareUnsigned(v - lo, span) <= 0 ? 1 : 0) ^ flip;
                        }
                    }
                    default -> throw new IllegalStateException(type.name());
                }
            }
            if (k > 0 && Vectors.hasNulls(vector)) {
                k = removeNullRows(vector.getValidityBuffer(), out, k);
            }
            return k;
        }
    }

    /** A real or double column compared with a literal: one loop per operator. NaN compares false (<> true). */
    static final class DoubleLiteral
            extends BooleanEvaluator
    {
        private final int index;
        private final boolean float32;
        private final Operator operator;
        private final double value;

        DoubleLiteral(int index, PhysicalType type, Operator operator, double value)
        {
            this.index = index;
            this.float32 = type == PhysicalType.FLOAT32;
            this.operator = operator;
            this.value = value;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            FieldVector vector = batch.getVector(index);
            ArrowBuf data = vector.getDataBuffer();
            boolean negate = !wantTrue;
            int k = float32 ? selectFloat32(data, positions, count, negate, out) : selectFloat64(data, positions, count, negate, out);
            if (k > 0 && Vectors.hasNulls(vector)) {
                k = removeNullRows(vector.getValidityBuffer(), out, k);
            }
            return k;
        }

        private int selectFloat64(ArrowBuf data, int[] positions, int count, boolean negate, int[] out)
        {
            double c = value;
            int k = 0;
            switch (operator) {
                case EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getDouble((long) row << 3);
                        out[k] = row;
                        k += (v == c) != negate ? 1 : 0;
                    }
                }
                case NOT_EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getDouble((long) row << 3);
                        out[k] = row;
                        k += (v != c) != negate ? 1 : 0;
                    }
                }
                case LESS_THAN -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getDouble((long) row << 3);
                        out[k] = row;
                        k += (v < c) != negate ? 1 : 0;
                    }
                }
                case LESS_THAN_OR_EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getDouble((long) row << 3);
                        out[k] = row;
                        k += (v <= c) != negate ? 1 : 0;
                    }
                }
                case GREATER_THAN -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getDouble((long) row << 3);
                        out[k] = row;
                        k += (v > c) != negate ? 1 : 0;
                    }
                }
                case GREATER_THAN_OR_EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getDouble((long) row << 3);
                        out[k] = row;
                        k += (v >= c) != negate ? 1 : 0;
                    }
                }
                default -> throw new IllegalStateException(operator.name());
            }
            return k;
        }

        private int selectFloat32(ArrowBuf data, int[] positions, int count, boolean negate, int[] out)
        {
            double c = value;
            int k = 0;
            switch (operator) {
                case EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getFloat((long) row << 2);
                        out[k] = row;
                        k += (v == c) != negate ? 1 : 0;
                    }
                }
                case NOT_EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getFloat((long) row << 2);
                        out[k] = row;
                        k += (v != c) != negate ? 1 : 0;
                    }
                }
                case LESS_THAN -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getFloat((long) row << 2);
                        out[k] = row;
                        k += (v < c) != negate ? 1 : 0;
                    }
                }
                case LESS_THAN_OR_EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getFloat((long) row << 2);
                        out[k] = row;
                        k += (v <= c) != negate ? 1 : 0;
                    }
                }
                case GREATER_THAN -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getFloat((long) row << 2);
                        out[k] = row;
                        k += (v > c) != negate ? 1 : 0;
                    }
                }
                case GREATER_THAN_OR_EQUAL -> {
                    for (int j = 0; j < count; j++) {
                        int row = positions[j];
                        double v = data.getFloat((long) row << 2);
                        out[k] = row;
                        k += (v >= c) != negate ? 1 : 0;
                    }
                }
                default -> throw new IllegalStateException(operator.name());
            }
            return k;
        }
    }

    /** A varchar column compared with a literal, on the Arrow buffers (no copies, no Strings). */
    static final class VarcharLiteral
            extends BooleanEvaluator
    {
        private final int index;
        private final int mask;
        private final boolean equality;
        private final byte[] value;

        VarcharLiteral(int index, Operator operator, byte[] value)
        {
            this.index = index;
            this.mask = mask(operator);
            this.equality = operator == Operator.EQUAL || operator == Operator.NOT_EQUAL;
            this.value = value;
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            FieldVector vector = batch.getVector(index);
            ArrowBuf offsets = vector.getOffsetBuffer();
            ArrowBuf data = vector.getDataBuffer();
            byte[] c = value;
            int length = c.length;
            int k = 0;
            if (equality) {
                // EQUAL or NOT_EQUAL: compare lengths first
                int flip = ((mask & 2) != 0) == wantTrue ? 0 : 1;
                for (int j = 0; j < count; j++) {
                    int row = positions[j];
                    long at = (long) row << 2;
                    int start = offsets.getInt(at);
                    int end = offsets.getInt(at + 4);
                    int equal = end - start == length && ByteFunctionHelpers.compare(data, start, end, c, 0, length) == 0 ? 1 : 0;
                    out[k] = row;
                    k += equal ^ flip;
                }
            }
            else {
                int m = wantTrue ? mask : mask ^ ALL_OUTCOMES;
                for (int j = 0; j < count; j++) {
                    int row = positions[j];
                    long at = (long) row << 2;
                    int cmp = ByteFunctionHelpers.compare(data, offsets.getInt(at), offsets.getInt(at + 4), c, 0, length);
                    out[k] = row;
                    k += (m >>> (Integer.signum(cmp) + 1)) & 1;
                }
            }
            if (k > 0 && Vectors.hasNulls(vector)) {
                k = removeNullRows(vector.getValidityBuffer(), out, k);
            }
            return k;
        }
    }

    /** Any two comparable values, evaluated into blocks. */
    static final class General
            extends BooleanEvaluator
    {
        private final ValueEvaluator left;
        private final ValueEvaluator right;
        private final int mask;
        private int[] hits = new int[0];

        General(ValueEvaluator left, ValueEvaluator right, Operator operator)
        {
            this.left = left;
            this.right = right;
            this.mask = mask(operator);
        }

        @Override
        int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
        {
            if (count == 0) {
                return 0;
            }
            Block a = left.evaluate(batch, positions, count);
            Block b = right.evaluate(batch, positions, count);
            if (hits.length < count) {
                hits = new int[Block.grow(hits.length, count)];
            }
            int[] h = hits;
            int m = wantTrue ? mask : mask ^ ALL_OUTCOMES;
            int n = 0;
            switch (left.physicalType.representation()) {
                case LONG -> {
                    long[] x = a.longs;
                    long[] y = b.longs;
                    for (int j = 0; j < count; j++) {
                        h[n] = j;
                        n += (m >>> (Long.compare(x[j], y[j]) + 1)) & 1;
                    }
                }
                case DOUBLE -> {
                    double[] x = a.doubles;
                    double[] y = b.doubles;
                    for (int j = 0; j < count; j++) {
                        double u = x[j];
                        double v = y[j];
                        int outcome = u < v ? 0 : u == v ? 1 : u > v ? 2 : 3;
                        h[n] = j;
                        n += (m >>> outcome) & 1;
                    }
                }
                case BYTES -> {
                    byte[] xb = a.bytes;
                    int[] xo = a.offsets;
                    byte[] yb = b.bytes;
                    int[] yo = b.offsets;
                    for (int j = 0; j < count; j++) {
                        int cmp = Arrays.compareUnsigned(xb, xo[j], xo[j + 1], yb, yo[j], yo[j + 1]);
                        h[n] = j;
                        n += (m >>> (Integer.signum(cmp) + 1)) & 1;
                    }
                }
                case OTHER -> throw new IllegalStateException();
            }
            return mapHits(h, n, a, b, positions, out);
        }
    }
}
