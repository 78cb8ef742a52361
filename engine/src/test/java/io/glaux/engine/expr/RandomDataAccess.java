package io.glaux.engine.expr;

import io.glaux.spi.type.Type;

import java.util.Random;

/** Random values for tests in other packages. */
public final class RandomDataAccess
{
    private RandomDataAccess() {}

    public static Object value(Type type, Random random)
    {
        return RandomData.value(type, random);
    }

    public static Object[] column(Type type, int rows, Random random, double nullFraction)
    {
        return RandomData.column(type, rows, random, nullFraction);
    }
}
