package io.glaux.engine.expr;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Decimal helpers. The engine computes on decimal values as unscaled longs (up to 18 digits, and any
 * value below 2^63 of a wider decimal); a value that does not fit fails with NOT_SUPPORTED rather than
 * giving a wrong answer. Rounding is half away from zero, as in Trino.
 */
public final class Decimals
{
    static final long[] POWERS_OF_TEN = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private Decimals() {}

    public static boolean isDecimal(Type type)
    {
        return type instanceof Type.Decimal;
    }

    static int scale(Type type)
    {
        return type instanceof Type.Decimal(int _, int s) ? s : 0;
    }

    static int precision(Type type)
    {
        return switch (type) {
            case Type.Decimal(int p, int _) -> p;
            case Type.Primitive(Type.Kind kind) when kind == Type.Kind.TINYINT -> 3;
            case Type.Primitive(Type.Kind kind) when kind == Type.Kind.SMALLINT -> 5;
            case Type.Primitive(Type.Kind kind) when kind == Type.Kind.INTEGER -> 10;
            default -> 19;
        };
    }

    static GlauxException tooLarge(String what)
    {
        return new GlauxException(ErrorCode.NOT_SUPPORTED, "Decimal values of more than 18 digits are not supported in computations (" + what + ")");
    }

    static GlauxException overflow(Type type)
    {
        return new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "Decimal overflow: value does not fit " + type.trinoName());
    }

    /** 10^n, n in [0, 18]. */
    static long pow10(int n)
    {
        if (n < 0 || n >= POWERS_OF_TEN.length) {
            throw tooLarge("10^" + n);
        }
        return POWERS_OF_TEN[n];
    }

    /** Whether the unscaled value fits the precision of {@code type} (always true for precision >= 19). */
    static boolean fits(long unscaled, int precision)
    {
        if (precision >= 19) {
            return true;
        }
        long limit = POWERS_OF_TEN[precision];
        return unscaled < limit && unscaled > -limit;
    }

    /** {@code value * 10^(to - from)}, rounding half away from zero when the scale decreases. */
    static long rescale(long value, int from, int to)
    {
        if (to == from) {
            return value;
        }
        if (to > from) {
            try {
                return Math.multiplyExact(value, pow10(to - from));
            }
            catch (ArithmeticException e) {
                throw tooLarge("rescaling " + value);
            }
        }
        int drop = from - to;
        if (drop >= 19) {
            return 0;
        }
        return divideRound(value, POWERS_OF_TEN[drop]);
    }

    /** {@code a / b} rounded half away from zero; {@code b != 0}. */
    static long divideRound(long a, long b)
    {
        long q = a / b;
        long r = a % b;
        if (r != 0) {
            // |r| * 2 >= |b|, without overflow
            long absR = Math.abs(r);
            long absB = Math.abs(b);
            if (absR >= absB - absR) {
                q += ((a ^ b) < 0) ? -1 : 1;
            }
        }
        return q;
    }

    static long unscaled(BigDecimal value, int scale)
    {
        BigInteger unscaled = value.setScale(scale, RoundingMode.HALF_UP).unscaledValue();
        if (unscaled.bitLength() > 63) {
            throw tooLarge(value.toPlainString());
        }
        return unscaled.longValue();
    }

    static BigDecimal toBigDecimal(long unscaled, int scale)
    {
        return BigDecimal.valueOf(unscaled, scale);
    }

    /** Writes the plain text of {@code unscaled / 10^scale} (e.g. {@code -0.50}); returns the new position. */
    static int format(long unscaled, int scale, byte[] out, int p)
    {
        String text = BigDecimal.valueOf(unscaled, scale).toPlainString();
        for (int i = 0; i < text.length(); i++) {
            out[p++] = (byte) text.charAt(i);
        }
        return p;
    }
}
