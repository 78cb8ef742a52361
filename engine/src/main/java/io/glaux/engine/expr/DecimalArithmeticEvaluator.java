package io.glaux.engine.expr;

import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * +, -, *, /, % and unary minus on decimals, producing the given result type decimal(p, s) as Trino
 * does: operands (decimals, or integers as scale-0 decimals) are brought to the scale the operation
 * needs, division and rescaling round half away from zero, a result beyond p digits fails with
 * NUMERIC_VALUE_OUT_OF_RANGE and a zero divisor with DIVISION_BY_ZERO. Rows that overflow a long on the
 * way are recomputed exactly with BigDecimal.
 */
final class DecimalArithmeticEvaluator
        extends ValueEvaluator
{
    private final Operator operator;
    private final ValueEvaluator left;
    private final ValueEvaluator right;
    private final int leftScale;
    private final int rightScale;
    private final int scale;
    private final int precision;

    DecimalArithmeticEvaluator(Operator operator, ValueEvaluator left, ValueEvaluator right, Type type)
    {
        super(type);
        this.operator = operator;
        this.left = left;
        this.right = right;
        this.leftScale = Decimals.scale(left.type);
        this.rightScale = right == null ? 0 : Decimals.scale(right.type);
        this.scale = Decimals.scale(type);
        this.precision = Decimals.precision(type);
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        Block a = left.evaluate(batch, positions, count);
        Block b = right == null ? null : right.evaluate(batch, positions, count);
        boolean[] n = result.nulls(count);
        boolean any = a.hasNull || (b != null && b.hasNull);
        if (!any) {
            Arrays.fill(n, 0, count, false);
        }
        else {
            for (int j = 0; j < count; j++) {
                n[j] = a.isNull(j) || (b != null && b.isNull(j));
            }
        }
        result.count = count;
        result.hasNull = any;
        long[] x = a.longs;
        long[] y = b == null ? null : b.longs;
        long[] r = result.longs(count);
        if (!any && fast(x, y, r, count)) {
            return result;
        }
        for (int j = 0; j < count; j++) {
            if (n[j]) {
                r[j] = 0;
                continue;
            }
            long v;
            try {
                v = compute(x[j], y == null ? 0 : y[j]);
            }
            catch (ArithmeticException | GlauxException e) {
                if (e instanceof GlauxException g && g.errorCode() == ErrorCode.DIVISION_BY_ZERO) {
                    throw g;
                }
                v = exact(x[j], y == null ? 0 : y[j]);
            }
            if (!Decimals.fits(v, precision)) {
                throw Decimals.overflow(type);
            }
            r[j] = v;
        }
        return result;
    }

    /**
     * One tight loop for +, - and * without NULLs, the operands' scales widened by constant factors:
     * returns false (having written garbage) when some row overflows a long or the result's precision,
     * or the operation has no such loop; the caller then computes row by row, exactly, raising the
     * errors Trino does.
     */
    private boolean fast(long[] x, long[] y, long[] r, int count)
    {
        long limit = precision >= 19 ? Long.MAX_VALUE : Decimals.POWERS_OF_TEN[precision];
        long bad = 0;
        try {
            switch (operator) {
                case MULTIPLY -> {
                    if (scale != leftScale + rightScale) {
                        return false;
                    }
                    for (int j = 0; j < count; j++) {
                        long v = Math.multiplyExact(x[j], y[j]);
                        r[j] = v;
                        bad |= (limit - 1 - Math.abs(v));
                    }
                }
                case ADD, SUBTRACT -> {
                    if (scale < leftScale || scale < rightScale || scale - leftScale > 18 || scale - rightScale > 18) {
                        return false;
                    }
                    long f = Decimals.POWERS_OF_TEN[scale - leftScale];
                    long g = Decimals.POWERS_OF_TEN[scale - rightScale];
                    if (operator == Operator.SUBTRACT) {
                        g = -g;
                    }
                    for (int j = 0; j < count; j++) {
                        long v = Math.addExact(Math.multiplyExact(x[j], f), Math.multiplyExact(y[j], g));
                        r[j] = v;
                        bad |= (limit - 1 - Math.abs(v));
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        catch (ArithmeticException e) {
            return false;
        }
        // |v| <= limit - 1 for every row (and no row is Long.MIN_VALUE) exactly when no difference went negative
        return bad >= 0;
    }

    private long compute(long u, long v)
    {
        return switch (operator) {
            case NEGATE -> Decimals.rescale(Math.negateExact(u), leftScale, scale);
            case ADD -> Math.addExact(Decimals.rescale(u, leftScale, scale), Decimals.rescale(v, rightScale, scale));
            case SUBTRACT -> Math.subtractExact(Decimals.rescale(u, leftScale, scale), Decimals.rescale(v, rightScale, scale));
            case MULTIPLY -> Decimals.rescale(Math.multiplyExact(u, v), leftScale + rightScale, scale);
            case DIVIDE -> {
                if (v == 0) {
                    throw divisionByZero();
                }
                // u / 10^ls / (v / 10^rs) * 10^s = u * 10^(s - ls + rs) / v
                int shift = scale - leftScale + rightScale;
                if (shift >= 0) {
                    yield Decimals.divideRound(Math.multiplyExact(u, Decimals.pow10(shift)), v);
                }
                yield Decimals.divideRound(u, Math.multiplyExact(v, Decimals.pow10(-shift)));
            }
            case MODULUS -> {
                if (v == 0) {
                    throw divisionByZero();
                }
                int common = Math.max(leftScale, rightScale);
                long remainder = Decimals.rescale(u, leftScale, common) % Decimals.rescale(v, rightScale, common);
                yield Decimals.rescale(remainder, common, scale);
            }
            default -> throw new IllegalStateException(operator.name());
        };
    }

    private long exact(long u, long v)
    {
        BigDecimal x = BigDecimal.valueOf(u, leftScale);
        BigDecimal y = BigDecimal.valueOf(v, rightScale);
        BigDecimal r = switch (operator) {
            case NEGATE -> x.negate();
            case ADD -> x.add(y);
            case SUBTRACT -> x.subtract(y);
            case MULTIPLY -> x.multiply(y);
            case DIVIDE -> x.divide(y, scale, RoundingMode.HALF_UP);
            case MODULUS -> x.remainder(y);
            default -> throw new IllegalStateException(operator.name());
        };
        BigDecimal scaled = r.setScale(scale, RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > precision - scale) {
            throw Decimals.overflow(type);
        }
        java.math.BigInteger unscaled = scaled.unscaledValue();
        if (unscaled.bitLength() > 63) {
            throw Decimals.tooLarge(scaled.toPlainString());
        }
        return unscaled.longValue();
    }

    private static GlauxException divisionByZero()
    {
        return new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
    }
}
