package io.glaux.engine;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.SqlTypes;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A deliberately simple row-at-a-time interpreter of expressions with SQL semantics, used as the
 * expected result for the vectorized evaluator. Values: Long, Double, String, Boolean, null.
 */
public final class Reference
{
    private Reference() {}

    public static Object eval(Expression expression, List<Object> row)
    {
        return switch (expression) {
            case Expression.InputRef ref -> normalize(row.get(ref.index()), ref.type());
            case Expression.Literal literal -> normalize(literal.value(), literal.type());
            case Expression.Call call -> call(call, row);
            case Expression.FunctionCall _, Expression.SpecialForm _ -> throw new UnsupportedOperationException("reference of " + expression);
        };
    }

    private static Object normalize(Object value, Type type)
    {
        if (value == null) {
            return null;
        }
        if (SqlTypes.isReal(type)) {
            return (double) ((Number) value).floatValue();
        }
        if (SqlTypes.isFloating(type)) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        return value;
    }

    private static Object call(Expression.Call call, List<Object> row)
    {
        List<Expression> args = call.arguments();
        switch (call.operator()) {
            case AND -> {
                boolean sawNull = false;
                for (Expression arg : args) {
                    Object v = eval(arg, row);
                    if (Boolean.FALSE.equals(v)) {
                        return false;
                    }
                    sawNull |= v == null;
                }
                return sawNull ? null : true;
            }
            case OR -> {
                boolean sawNull = false;
                for (Expression arg : args) {
                    Object v = eval(arg, row);
                    if (Boolean.TRUE.equals(v)) {
                        return true;
                    }
                    sawNull |= v == null;
                }
                return sawNull ? null : false;
            }
            case NOT -> {
                Object v = eval(args.getFirst(), row);
                return v == null ? null : !(Boolean) v;
            }
            case IS_NULL -> {
                return eval(args.getFirst(), row) == null;
            }
            case IS_NOT_NULL -> {
                return eval(args.getFirst(), row) != null;
            }
            case EQUAL, NOT_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                Object a = eval(args.get(0), row);
                Object b = eval(args.get(1), row);
                if (a == null || b == null) {
                    return null;
                }
                Integer c = compare(a, b);
                return switch (call.operator()) {
                    case EQUAL -> c != null && c == 0;
                    case NOT_EQUAL -> c == null || c != 0;
                    case LESS_THAN -> c != null && c < 0;
                    case LESS_THAN_OR_EQUAL -> c != null && c <= 0;
                    case GREATER_THAN -> c != null && c > 0;
                    case GREATER_THAN_OR_EQUAL -> c != null && c >= 0;
                    default -> throw new IllegalStateException();
                };
            }
            case IN -> {
                Object v = eval(args.getFirst(), row);
                if (v == null) {
                    return null;
                }
                boolean sawNull = false;
                for (Expression item : args.subList(1, args.size())) {
                    Object x = eval(item, row);
                    if (x == null) {
                        sawNull = true;
                        continue;
                    }
                    Integer c = compare(v, x);
                    if (c != null && c == 0) {
                        return true;
                    }
                }
                return sawNull ? null : false;
            }
            case LIKE -> {
                Object v = eval(args.get(0), row);
                Object p = eval(args.get(1), row);
                Object e = args.size() > 2 ? eval(args.get(2), row) : null;
                if (v == null || p == null || (args.size() > 2 && e == null)) {
                    return null;
                }
                return likeRegex((String) p, (String) e).matcher((String) v).matches();
            }
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULUS, NEGATE -> {
                Object a = eval(args.get(0), row);
                Object b = args.size() > 1 ? eval(args.get(1), row) : 0L;
                if (a == null || b == null) {
                    return null;
                }
                return arithmetic(call.operator(), a, b, call.type());
            }
            default -> throw new UnsupportedOperationException(call.operator().name());
        }
    }

    private static Object arithmetic(Expression.Operator operator, Object a, Object b, Type type)
    {
        if (SqlTypes.isIntegral(type)) {
            long x = (Long) a;
            long y = (Long) b;
            long r;
            try {
                r = switch (operator) {
                    case ADD -> Math.addExact(x, y);
                    case SUBTRACT -> Math.subtractExact(x, y);
                    case MULTIPLY -> Math.multiplyExact(x, y);
                    case DIVIDE -> {
                        if (y == 0) {
                            throw new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
                        }
                        if (x == Long.MIN_VALUE && y == -1) {
                            throw new ArithmeticException();
                        }
                        yield x / y;
                    }
                    case MODULUS -> {
                        if (y == 0) {
                            throw new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero");
                        }
                        yield x % y;
                    }
                    case NEGATE -> Math.negateExact(x);
                    default -> throw new IllegalStateException();
                };
            }
            catch (ArithmeticException e) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "overflow");
            }
            if (r < SqlTypes.minValue(type) || r > SqlTypes.maxValue(type)) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "overflow");
            }
            return r;
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        if (SqlTypes.isReal(type)) {
            x = (float) x;
            y = (float) y;
        }
        double r = switch (operator) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            case MODULUS -> x % y;
            case NEGATE -> -x;
            default -> throw new IllegalStateException();
        };
        return SqlTypes.isReal(type) ? (double) (float) r : r;
    }

    /** Compares two non-null values; null when unordered (NaN). */
    public static Integer compare(Object a, Object b)
    {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            double u = x.doubleValue();
            double v = y.doubleValue();
            if (Double.isNaN(u) || Double.isNaN(v)) {
                return null;
            }
            return u < v ? -1 : u > v ? 1 : 0;
        }
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        throw new IllegalArgumentException("cannot compare " + a + " with " + b);
    }

    public static Pattern likeRegex(String pattern, String escape)
    {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (escape != null && cp == escape.codePointAt(0)) {
                int next = pattern.codePointAt(i);
                i += Character.charCount(next);
                regex.append(Pattern.quote(new String(Character.toChars(next))));
            }
            else if (cp == '%') {
                regex.append(".*");
            }
            else if (cp == '_') {
                regex.append('.');
            }
            else {
                regex.append(Pattern.quote(new String(Character.toChars(cp))));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
