package io.glaux.engine.expr;

import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * +, -, *, /, % and unary minus on integer types (computed in long, checked: overflow of the result
 * type fails; integer division by zero fails with DIVISION_BY_ZERO) and on real/double (IEEE: division
 * by zero gives ±Infinity or NaN; real results are rounded to float after every operation).
 * Operands arrive already converted to the result type's representation.
 */
final class ArithmeticEvaluator
        extends ValueEvaluator
{
    private final Operator operator;
    private final ValueEvaluator left;
    private final ValueEvaluator right;
    private final boolean integral;
    private final boolean real;
    private final long min;
    private final long max;

    /** {@code right} is null for NEGATE. */
    ArithmeticEvaluator(Operator operator, ValueEvaluator left, ValueEvaluator right, Type type)
    {
        super(type);
        this.operator = operator;
        this.left = left;
        this.right = right;
        this.integral = SqlTypes.isIntegral(type);
        this.real = type.equals(Type.REAL);
        this.min = integral ? SqlTypes.minValue(type) : Long.MIN_VALUE;
        this.max = integral ? SqlTypes.maxValue(type) : Long.MAX_VALUE;
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        Block a = left.evaluate(batch, positions, count);
        Block b = right == null ? null : right.evaluate(batch, positions, count);
        combineNulls(a, b, count);
        if (integral) {
            long[] r = result.longs(count);
            if (b == null) {
                negate(a.longs, r, count);
            }
            else {
                try {
                    computeLongs(a.longs, b.longs, r, count);
                }
                catch (ArithmeticException e) {
                    // an overflow, maybe on a NULL row: redo row by row
                    computeLongsChecked(a.longs, b.longs, r, count);
                }
            }
            if (min != Long.MIN_VALUE) {
                checkRange(r, count);
            }
        }
        else {
            double[] r = result.doubles(count);
            computeDoubles(a.doubles, b == null ? null : b.doubles, r, count);
        }
        return result;
    }

    private void combineNulls(Block a, Block b, int count)
    {
        boolean aNull = a.hasNull;
        boolean bNull = b != null && b.hasNull;
        result.count = count;
        if (!aNull && !bNull) {
            result.hasNull = false;
            return;
        }
        boolean[] n = result.nulls(count);
        if (aNull && bNull) {
            boolean[] x = a.nulls;
            boolean[] y = b.nulls;
            for (int j = 0; j < count; j++) {
                n[j] = x[j] | y[j];
            }
        }
        else {
            System.arraycopy(aNull ? a.nulls : b.nulls, 0, n, 0, count);
        }
        result.hasNull = true;
    }

    private void negate(long[] x, long[] r, int count)
    {
        for (int j = 0; j < count; j++) {
            long v = x[j];
            if (v == Long.MIN_VALUE && !result.isNull(j)) {
                throw overflow("negation", v, 0);
            }
            r[j] = -v;
        }
    }

    private void computeLongs(long[] x, long[] y, long[] r, int count)
    {
        switch (operator) {
            case ADD -> {
                for (int j = 0; j < count; j++) {
                    r[j] = Math.addExact(x[j], y[j]);
                }
            }
            case SUBTRACT -> {
                for (int j = 0; j < count; j++) {
                    r[j] = Math.subtractExact(x[j], y[j]);
                }
            }
            case MULTIPLY -> {
                for (int j = 0; j < count; j++) {
                    r[j] = Math.multiplyExact(x[j], y[j]);
                }
            }
            case DIVIDE -> {
                for (int j = 0; j < count; j++) {
                    long d = y[j];
                    r[j] = d == 0 || d == -1 ? divideSlow(x[j], d, j) : x[j] / d;
                }
            }
            case MODULUS -> {
                for (int j = 0; j < count; j++) {
                    long d = y[j];
                    r[j] = d == 0 || d == -1 ? moduloSlow(x[j], d, j) : x[j] % d;
                }
            }
            default -> throw new IllegalStateException(operator.name());
        }
    }

    private void computeLongsChecked(long[] x, long[] y, long[] r, int count)
    {
        for (int j = 0; j < count; j++) {
            if (result.isNull(j)) {
                r[j] = 0;
                continue;
            }
            long u = x[j];
            long v = y[j];
            try {
                r[j] = switch (operator) {
                    case ADD -> Math.addExact(u, v);
                    case SUBTRACT -> Math.subtractExact(u, v);
                    case MULTIPLY -> Math.multiplyExact(u, v);
                    case DIVIDE -> v == 0 || v == -1 ? divideSlow(u, v, j) : u / v;
                    case MODULUS -> v == 0 || v == -1 ? moduloSlow(u, v, j) : u % v;
                    default -> throw new IllegalStateException(operator.name());
                };
            }
            catch (ArithmeticException e) {
                throw overflow(operator.name().toLowerCase(java.util.Locale.ROOT), u, v);
            }
        }
    }

    private long divideSlow(long u, long v, int j)
    {
        if (result.isNull(j)) {
            return 0;
        }
        if (v == 0) {
            throw new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
        }
        if (u == Long.MIN_VALUE) {
            throw overflow("division", u, v);
        }
        return -u;
    }

    private long moduloSlow(long u, long v, int j)
    {
        if (result.isNull(j)) {
            return 0;
        }
        if (v == 0) {
            throw new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
        }
        return 0;
    }

    private void checkRange(long[] r, int count)
    {
        long lo = min;
        long hi = max;
        for (int j = 0; j < count; j++) {
            long v = r[j];
            if ((v < lo || v > hi) && !result.isNull(j)) {
                throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, type.trinoName() + " " + operator.name().toLowerCase(java.util.Locale.ROOT) + " overflow: result " + v);
            }
        }
    }

    private GlauxException overflow(String operation, long u, long v)
    {
        return new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, type.trinoName() + " " + operation + " overflow: " + u + (right == null ? "" : ", " + v));
    }

    private void computeDoubles(double[] x, double[] y, double[] r, int count)
    {
        switch (operator) {
            case ADD -> {
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] + y[j];
                }
            }
            case SUBTRACT -> {
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] - y[j];
                }
            }
            case MULTIPLY -> {
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] * y[j];
                }
            }
            case DIVIDE -> {
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] / y[j];
                }
            }
            case MODULUS -> {
                for (int j = 0; j < count; j++) {
                    r[j] = x[j] % y[j];
                }
            }
            case NEGATE -> {
                for (int j = 0; j < count; j++) {
                    r[j] = -x[j];
                }
            }
            default -> throw new IllegalStateException(operator.name());
        }
        if (real) {
            for (int j = 0; j < count; j++) {
                r[j] = (float) r[j];
            }
        }
    }
}
