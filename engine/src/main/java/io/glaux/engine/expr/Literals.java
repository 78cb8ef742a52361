package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;

/** Conversions of literal values (the engine's Java representation) to evaluation values. */
final class Literals
{
    private Literals() {}

    static long toLong(Object value, Type type)
    {
        if (type instanceof Type.Decimal(int _, int scale)) {
            return switch (value) {
                case java.math.BigDecimal d -> Decimals.unscaled(d, scale);
                case Long l -> Decimals.rescale(l, 0, scale);
                case Integer i -> Decimals.rescale(i, 0, scale);
                case Number n -> Decimals.unscaled(new java.math.BigDecimal(n.toString()), scale);
                default -> throw new IllegalArgumentException("literal " + value + " is not valid for " + type.trinoName());
            };
        }
        return switch (value) {
            case Boolean b -> b ? 1 : 0;
            case Long l -> l;
            case Integer i -> i;
            case Short s -> s;
            case Byte b -> b;
            case Number n when SqlTypes.isFloating(type) -> (long) n.doubleValue();
            case Number n -> n.longValue();
            default -> throw new IllegalArgumentException("literal " + value + " (" + value.getClass().getSimpleName() + ") is not valid for " + type.trinoName());
        };
    }

    static double toDouble(Object value, Type type)
    {
        if (value instanceof Number n) {
            if (n instanceof Long l) {
                return (double) l;
            }
            return n.doubleValue();
        }
        throw new IllegalArgumentException("literal " + value + " is not valid for " + type.trinoName());
    }

    static byte[] toBytes(Object value)
    {
        return switch (value) {
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            case byte[] b -> b.clone();
            default -> throw new IllegalArgumentException("literal " + value + " is not a string");
        };
    }
}
