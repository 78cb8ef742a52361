package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.GroupedValues;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

/** ARRAY_AGG(x): the values of the group (NULLs included) as an array, in the order they arrived; the state is that array. */
final class ArrayAgg
        extends Accumulator
{
    private final GroupedValues values;

    ArrayAgg(Type output)
    {
        this.values = new GroupedValues(((Type.Array) output).element());
    }

    @Override
    void ensureCapacity(int groups)
    {
    }

    @Override
    void add(int[] groups, Args args)
    {
        values.add(args.vectors[0], args.positions, args.count, groups);
    }

    @Override
    void merge(int[] groups, FieldVector state, int[] positions, int count)
    {
        values.merge(state, positions, count, groups);
    }

    @Override
    void writeIntermediate(FieldVector dst, int from, int count)
    {
        values.write(dst, from, count);
    }

    @Override
    void writeFinal(FieldVector dst, int from, int count)
    {
        values.write(dst, from, count);
    }

    @Override
    long sizeInBytes()
    {
        return values.sizeInBytes();
    }
}
