package io.glaux.engine.expr;

import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.math.BigDecimal;
import java.math.RoundingMode;

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
        boolean any = false;
        for (int j = 0; j < count; j++) {
            boolean isNull = a.isNull(j) || (b != null && b.isNull(j));
            n[j] = isNull;
            any |= isNull;
        }
        result.count = count;
        result.hasNull = any;
        long[] x = a.longs;
        long[] y = b == null ? null : b.longs;
        long[] r = result.longs(count);
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
