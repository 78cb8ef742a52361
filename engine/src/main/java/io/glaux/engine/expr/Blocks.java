package io.glaux.engine.expr;

/** Row-wise assembly of a block from values of other blocks (for lazily evaluated forms). */
final class Blocks
{
    private Blocks() {}

    /** {@link #start(Block, PhysicalType.Representation, int)} for a value of any computable type (array, map and row included). */
    static void start(Block target, io.glaux.spi.type.Type type, int count)
    {
        if (Nested.isNested(type)) {
            Nested.reset(target, type);
            return;
        }
        start(target, PhysicalType.of(type).representation(), count);
    }

    /** {@link #set(Block, PhysicalType.Representation, int, Block, int)} for a value of any computable type. */
    static void set(Block target, io.glaux.spi.type.Type type, int j, Block source, int i)
    {
        if (Nested.isNested(type)) {
            Nested.append(target, type, source, i);
            return;
        }
        set(target, PhysicalType.of(type).representation(), j, source, i);
    }

    /** Starts filling {@code target} with {@code count} values (call {@link #set} for j = 0, 1, ... in order). */
    static void start(Block target, PhysicalType.Representation representation, int count)
    {
        target.count = count;
        target.hasNull = false;
        target.nulls(count);
        switch (representation) {
            case LONG -> target.longs(count);
            case DOUBLE -> target.doubles(count);
            case BYTES -> target.offsets(count + 1)[0] = 0;
            case OTHER -> { }
        }
    }

    /** Sets value {@code j} of {@code target} to value {@code i} of {@code source}, or NULL when source is null. */
    static void set(Block target, PhysicalType.Representation representation, int j, Block source, int i)
    {
        boolean isNull = source == null || source.isNull(i);
        target.nulls[j] = isNull;
        target.hasNull |= isNull;
        switch (representation) {
            case LONG -> target.longs[j] = isNull ? 0 : source.longs[i];
            case DOUBLE -> target.doubles[j] = isNull ? 0 : source.doubles[i];
            case BYTES -> {
                int p = target.offsets[j];
                if (!isNull) {
                    int from = source.offsets[i];
                    int length = source.offsets[i + 1] - from;
                    byte[] bytes = target.bytes(p + length, p);
                    System.arraycopy(source.bytes, from, bytes, p, length);
                    p += length;
                }
                target.offsets[j + 1] = p;
            }
            case OTHER -> { }
        }
    }

    /** A copy of value {@code i} of {@code source} as a one-value block in {@code target}. */
    static void single(Block target, PhysicalType.Representation representation, Block source, int i)
    {
        start(target, representation, 1);
        set(target, representation, 0, source, i);
    }

    static void single(Block target, io.glaux.spi.type.Type type, Block source, int i)
    {
        start(target, type, 1);
        set(target, type, 0, source, i);
    }
}
