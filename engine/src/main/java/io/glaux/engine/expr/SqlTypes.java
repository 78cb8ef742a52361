package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

/** Type classification used by the expression compiler, the aggregator and the domain extractor. */
public final class SqlTypes
{
    private SqlTypes() {}

    /** tinyint, smallint, integer, bigint. */
    public static boolean isIntegral(Type type)
    {
        return type instanceof Type.Primitive(Type.Kind kind)
                && (kind == Type.Kind.TINYINT || kind == Type.Kind.SMALLINT || kind == Type.Kind.INTEGER || kind == Type.Kind.BIGINT);
    }

    /** real, double. */
    public static boolean isFloating(Type type)
    {
        return type instanceof Type.Primitive(Type.Kind kind) && (kind == Type.Kind.REAL || kind == Type.Kind.DOUBLE);
    }

    public static boolean isNumeric(Type type)
    {
        return isIntegral(type) || isFloating(type);
    }

    public static boolean isVarchar(Type type)
    {
        return type instanceof Type.Varchar;
    }

    public static boolean isBoolean(Type type)
    {
        return type.equals(Type.BOOLEAN);
    }

    public static boolean isDate(Type type)
    {
        return type.equals(Type.DATE);
    }

    public static boolean isTimestamp(Type type)
    {
        return type instanceof Type.Timestamp;
    }

    public static boolean isReal(Type type)
    {
        return type.equals(Type.REAL);
    }

    /** Smallest and largest value of an integral type. */
    public static long minValue(Type type)
    {
        return switch (PhysicalType.of(type)) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    public static long maxValue(Type type)
    {
        return switch (PhysicalType.of(type)) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    /**
     * Whether values of the two types compare in one domain: numbers with numbers, date/timestamp with
     * date/timestamp, varchar with varchar, boolean with boolean, varbinary with varbinary.
     */
    public static boolean comparable(Type left, Type right)
    {
        if ((isNumeric(left) || left instanceof Type.Decimal) && (isNumeric(right) || right instanceof Type.Decimal)) {
            return true;
        }
        if ((isDate(left) || isTimestamp(left)) && (isDate(right) || isTimestamp(right))) {
            return true;
        }
        if (isVarchar(left) && isVarchar(right)) {
            return true;
        }
        if (left instanceof Type.TimestampWithTimeZone && right instanceof Type.TimestampWithTimeZone) {
            return true;
        }
        if (left instanceof Type.Time && right instanceof Type.Time) {
            // micros of the day whatever the precision
            return true;
        }
        return left.equals(right) && PhysicalType.of(left) != PhysicalType.OTHER;
    }
}
