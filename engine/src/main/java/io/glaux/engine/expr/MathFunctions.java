package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.DOUBLE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.NUMBER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.SAME;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.argument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Mathematical functions. Rounding is half away from zero, as in Trino. */
final class MathFunctions
{
    private MathFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("abs", args(NUMBER), argument(0), "same as x", "Absolute value.", (a, c, t) -> new Unary(t, a, Unary.ABS));
        b.add("sign", args(NUMBER), argument(0), "same as x", "-1, 0 or 1 by the sign of x (for double: NaN stays NaN).", (a, c, t) -> new Unary(t, a, Unary.SIGN));
        b.add("round", args(NUMBER), argument(0), "same as x", "x rounded to the nearest integer, half away from zero.", (a, c, t) -> new Round(t, a));
        b.add("round", args(NUMBER, INTEGER), false, argument(0), "same as x", "x rounded to `d` decimal places, half away from zero.",
                "round(decimal(p, s), d) keeps the type decimal(p, s).", Round::new);
        b.add("floor", args(NUMBER), argument(0), "same as x", "x rounded down to an integer.", (a, c, t) -> new Unary(t, a, Unary.FLOOR));
        b.add("ceil", args(NUMBER), argument(0), "same as x", "x rounded up to an integer.", (a, c, t) -> new Unary(t, a, Unary.CEIL));
        b.alias("ceiling", "ceil");
        b.add("truncate", args(NUMBER), argument(0), "same as x", "x rounded toward zero to an integer.", (a, c, t) -> new Unary(t, a, Unary.TRUNCATE));
        b.add("mod", args(SAME, SAME), argument(0), "same as the arguments", "Remainder of n / m, with the sign of n (also the `%` operator).",
                (a, c, t) -> Decimals.isDecimal(t) ? new DecimalArithmeticEvaluator(Operator.MODULUS, a.get(0), a.get(1), t)
                        : new ArithmeticEvaluator(Operator.MODULUS, a.get(0), a.get(1), t));
        doubles(b, "sqrt", "Square root.", Math::sqrt);
        doubles(b, "cbrt", "Cube root.", Math::cbrt);
        doubles(b, "ln", "Natural logarithm.", Math::log);
        doubles(b, "exp", "e raised to the power of x.", Math::exp);
        doubles(b, "log10", "Base-10 logarithm.", Math::log10);
        doubles(b, "log2", "Base-2 logarithm.", x -> Math.log(x) / Math.log(2));
        doubles(b, "degrees", "Radians to degrees.", Math::toDegrees);
        doubles(b, "radians", "Degrees to radians.", Math::toRadians);
        doubles(b, "sin", "Sine.", Math::sin);
        doubles(b, "cos", "Cosine.", Math::cos);
        doubles(b, "tan", "Tangent.", Math::tan);
        doubles(b, "asin", "Arc sine.", Math::asin);
        doubles(b, "acos", "Arc cosine.", Math::acos);
        doubles(b, "atan", "Arc tangent.", Math::atan);
        b.add("power", args(DOUBLE, DOUBLE), returns(Type.DOUBLE), "double", "x raised to the power of p.", (a, c, t) -> new DoubleBinary(t, a, Math::pow));
        b.alias("pow", "power");
        b.add("atan2", args(DOUBLE, DOUBLE), returns(Type.DOUBLE), "double", "Arc tangent of y / x.", (a, c, t) -> new DoubleBinary(t, a, Math::atan2));
        b.add("log", args(DOUBLE, DOUBLE), returns(Type.DOUBLE), "double", "Base-b logarithm of x: log(b, x).", (a, c, t) -> new DoubleBinary(t, a, (base, x) -> Math.log(x) / Math.log(base)));
        b.add("pi", args(), returns(Type.DOUBLE), "double", "The constant π.", (a, c, t) -> new ConstantEvaluator(Math.PI, Type.DOUBLE));
        b.add("e", args(), returns(Type.DOUBLE), "double", "Euler's number.", (a, c, t) -> new ConstantEvaluator(Math.E, Type.DOUBLE));
        b.add("greatest", args(SAME), true, argument(0), "same as the arguments", "The largest argument; NULL when any is NULL.", "",
                (a, c, t) -> new Extreme(t, a, true));
        b.add("least", args(SAME), true, argument(0), "same as the arguments", "The smallest argument; NULL when any is NULL.", "",
                (a, c, t) -> new Extreme(t, a, false));
    }

    private static void doubles(FunctionRegistry.Builder b, String name, String description, DoubleUnaryOperator function)
    {
        b.add(name, args(DOUBLE), returns(Type.DOUBLE), "double", description, (a, c, t) -> new DoubleUnary(t, a, function));
    }

    /** Round half away from zero of a double, as Trino's round(double). */
    static double round(double x)
    {
        if (Double.isNaN(x) || Double.isInfinite(x) || Math.abs(x) >= 0x1p52) {
            return x;
        }
        double r = Math.floor(Math.abs(x) + 0.5);
        return Math.copySign(r, x);
    }

    static final class DoubleUnary
            extends Kernel
    {
        private final DoubleUnaryOperator function;

        DoubleUnary(Type type, List<ValueEvaluator> args, DoubleUnaryOperator function)
        {
            super(type, args);
            this.function = function;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            double[] x = in[0].doubles;
            double[] r = result.doubles;
            for (int j = 0; j < count; j++) {
                r[j] = function.applyAsDouble(x[j]);
            }
        }
    }

    static final class DoubleBinary
            extends Kernel
    {
        private final DoubleBinaryOperator function;

        DoubleBinary(Type type, List<ValueEvaluator> args, DoubleBinaryOperator function)
        {
            super(type, args);
            this.function = function;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            double[] x = in[0].doubles;
            double[] y = in[1].doubles;
            double[] r = result.doubles;
            for (int j = 0; j < count; j++) {
                r[j] = function.applyAsDouble(x[j], y[j]);
            }
        }
    }

    /** abs, sign, floor, ceil, truncate over integers, doubles and decimals. */
    static final class Unary
            extends Kernel
    {
        static final int ABS = 0;
        static final int SIGN = 1;
        static final int FLOOR = 2;
        static final int CEIL = 3;
        static final int TRUNCATE = 4;

        private final int function;
        private final boolean decimal;
        private final long unit;
        private final boolean real;

        Unary(Type type, List<ValueEvaluator> args, int function)
        {
            super(type, args);
            this.function = function;
            this.decimal = Decimals.isDecimal(type);
            this.unit = decimal ? Decimals.pow10(Decimals.scale(type)) : 1;
            this.real = type.equals(Type.REAL);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            if (physicalType.representation() == PhysicalType.Representation.DOUBLE) {
                double[] x = in[0].doubles;
                double[] r = result.doubles;
                for (int j = 0; j < count; j++) {
                    double v = x[j];
                    r[j] = switch (function) {
                        case ABS -> Math.abs(v);
                        case SIGN -> Math.signum(v);
                        case FLOOR -> Math.floor(v);
                        case CEIL -> Math.ceil(v);
                        default -> v < 0 ? Math.ceil(v) : Math.floor(v);
                    };
                    if (real) {
                        r[j] = (float) r[j];
                    }
                }
                return;
            }
            long[] x = in[0].longs;
            long[] r = result.longs;
            long u = unit;
            long min = decimal ? Long.MIN_VALUE : SqlTypes.minValue(type);
            for (int j = 0; j < count; j++) {
                long v = x[j];
                r[j] = switch (function) {
                    case ABS -> {
                        if (v == min && !nulls[j]) {
                            throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "Value " + v + " is out of range for abs(" + type.trinoName() + ")");
                        }
                        yield Math.abs(v);
                    }
                    case SIGN -> Long.signum(v) * u;
                    case FLOOR -> Math.floorDiv(v, u) * u;
                    case CEIL -> -Math.floorDiv(-v, u) * u;
                    default -> v / u * u;
                };
            }
        }
    }

    static final class Round
            extends Kernel
    {
        private final boolean decimal;
        private final int scale;
        private final boolean real;

        Round(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
            this.decimal = Decimals.isDecimal(type);
            this.scale = Decimals.scale(type);
            this.real = type.equals(Type.REAL);
        }

        Round(Type type, List<ValueEvaluator> args)
        {
            this(args, List.of(), type);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] digits = args.length == 2 ? in[1].longs : null;
            if (physicalType.representation() == PhysicalType.Representation.DOUBLE) {
                double[] x = in[0].doubles;
                double[] r = result.doubles;
                for (int j = 0; j < count; j++) {
                    double v = x[j];
                    long d = digits == null ? 0 : digits[j];
                    if (d == 0) {
                        r[j] = round(v);
                    }
                    else if (Double.isNaN(v) || Double.isInfinite(v) || nulls[j]) {
                        r[j] = v;
                    }
                    else {
                        r[j] = java.math.BigDecimal.valueOf(v).setScale((int) Math.max(-400, Math.min(400, d)), java.math.RoundingMode.HALF_UP).doubleValue();
                    }
                    if (real) {
                        r[j] = (float) r[j];
                    }
                }
                return;
            }
            long[] x = in[0].longs;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                long v = x[j];
                long d = digits == null ? 0 : digits[j];
                // digits to drop below the value's own scale
                long drop = scale - d;
                if (drop <= 0 || nulls[j]) {
                    r[j] = v;
                    continue;
                }
                if (drop >= 19) {
                    r[j] = 0;
                    continue;
                }
                long unit = Decimals.POWERS_OF_TEN[(int) drop];
                long rounded = Decimals.divideRound(v, unit);
                try {
                    r[j] = Math.multiplyExact(rounded, unit);
                }
                catch (ArithmeticException e) {
                    throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "round(" + type.trinoName() + ") overflow: " + v);
                }
                if (!decimal && (r[j] < SqlTypes.minValue(type) || r[j] > SqlTypes.maxValue(type))) {
                    throw new GlauxException(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE, "round(" + type.trinoName() + ") overflow: " + v);
                }
            }
        }
    }

    /** greatest / least. */
    static final class Extreme
            extends Kernel
    {
        private final boolean greatest;

        Extreme(Type type, List<ValueEvaluator> args, boolean greatest)
        {
            super(type, args);
            this.greatest = greatest;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            switch (physicalType.representation()) {
                case LONG -> {
                    long[] r = result.longs;
                    System.arraycopy(in[0].longs, 0, r, 0, count);
                    for (int i = 1; i < in.length; i++) {
                        long[] x = in[i].longs;
                        for (int j = 0; j < count; j++) {
                            r[j] = greatest ? Math.max(r[j], x[j]) : Math.min(r[j], x[j]);
                        }
                    }
                }
                case DOUBLE -> {
                    double[] r = result.doubles;
                    System.arraycopy(in[0].doubles, 0, r, 0, count);
                    for (int i = 1; i < in.length; i++) {
                        double[] x = in[i].doubles;
                        for (int j = 0; j < count; j++) {
                            if (Double.isNaN(x[j]) && !nulls[j]) {
                                throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, "Invalid argument to " + (greatest ? "greatest" : "least") + "(): NaN");
                            }
                            r[j] = greatest ? Math.max(r[j], x[j]) : Math.min(r[j], x[j]);
                        }
                    }
                }
                case BYTES -> {
                    for (int j = 0; j < count; j++) {
                        if (nulls[j]) {
                            setNull(j);
                            continue;
                        }
                        Block best = in[0];
                        for (int i = 1; i < in.length; i++) {
                            Block x = in[i];
                            int cmp = java.util.Arrays.compareUnsigned(x.bytes, x.offsets[j], x.offsets[j + 1], best.bytes, best.offsets[j], best.offsets[j + 1]);
                            if (greatest ? cmp > 0 : cmp < 0) {
                                best = x;
                            }
                        }
                        setBytes(j, best.bytes, best.offsets[j], best.offsets[j + 1] - best.offsets[j]);
                    }
                }
                case OTHER -> throw new IllegalStateException();
            }
        }
    }
}
