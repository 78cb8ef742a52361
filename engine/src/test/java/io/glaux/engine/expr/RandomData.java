package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

import java.util.Random;

/** Random column values (with NULLs and edge cases) in the engine's Java representation. */
final class RandomData
{
    private static final String[] PIECES = {"a", "b", "c", "ab", "é", "€", "😀", "%", "_", "x", "A", " "};

    private RandomData() {}

    static Object[] column(Type type, int rows, Random random, double nullFraction)
    {
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextDouble() < nullFraction ? null : value(type, random);
        }
        return values;
    }

    static Object value(Type type, Random random)
    {
        if (type.equals(Type.BOOLEAN)) {
            return random.nextBoolean();
        }
        if (type.equals(Type.TINYINT)) {
            return pick(random, (long) Byte.MIN_VALUE, (long) Byte.MAX_VALUE, (long) random.nextInt(11) - 5);
        }
        if (type.equals(Type.SMALLINT)) {
            return pick(random, (long) Short.MIN_VALUE, (long) Short.MAX_VALUE, (long) random.nextInt(11) - 5);
        }
        if (type.equals(Type.INTEGER)) {
            return pick(random, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, (long) random.nextInt(11) - 5);
        }
        if (type.equals(Type.BIGINT)) {
            return pick(random, Long.MIN_VALUE, Long.MAX_VALUE, (long) random.nextInt(11) - 5);
        }
        if (type.equals(Type.REAL)) {
            double d = random.nextInt(5) == 0 ? pickDouble(random) : random.nextInt(11) - 5 + (random.nextBoolean() ? 0.5 : 0);
            return (double) (float) d;
        }
        if (type.equals(Type.DOUBLE)) {
            return random.nextInt(5) == 0 ? pickDouble(random) : random.nextInt(11) - 5 + (random.nextBoolean() ? 0.5 : 0);
        }
        if (type.equals(Type.DATE)) {
            return (long) random.nextInt(21) - 10;
        }
        if (type instanceof Type.Timestamp) {
            return ((long) random.nextInt(21) - 10) * 1_000_000L;
        }
        if (type instanceof Type.Varchar) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(4);
            for (int i = 0; i < length; i++) {
                s.append(PIECES[random.nextInt(PIECES.length)]);
            }
            return s.toString();
        }
        throw new IllegalArgumentException(type.trinoName());
    }

    private static long pick(Random random, long min, long max, long small)
    {
        return switch (random.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            default -> small;
        };
    }

    private static double pickDouble(Random random)
    {
        double[] specials = {Double.NaN, 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e-300};
        return specials[random.nextInt(specials.length)];
    }
}
