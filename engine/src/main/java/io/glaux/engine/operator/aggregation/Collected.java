package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.CollectedAggregate;
import org.apache.arrow.vector.FieldVector;

/** set_agg, map_agg, multimap_agg, histogram, approx_most_frequent and the n forms of min, max, min_by, max_by: see {@link CollectedAggregate}. */
final class Collected
        extends Accumulator
{
    private final CollectedAggregate aggregate;

    Collected(CollectedAggregate aggregate)
    {
        this.aggregate = aggregate;
    }

    @Override
    void ensureCapacity(int groups)
    {
    }

    @Override
    void add(int[] groups, Args args)
    {
        aggregate.add(args.vectors, args.positions, args.count, groups);
    }

    @Override
    void merge(int[] groups, FieldVector state, int[] positions, int count)
    {
        aggregate.merge(state, positions, count, groups);
    }

    @Override
    void writeIntermediate(FieldVector dst, int from, int count)
    {
        aggregate.writeIntermediate(dst, from, count);
    }

    @Override
    void writeFinal(FieldVector dst, int from, int count)
    {
        aggregate.writeFinal(dst, from, count);
    }

    @Override
    long sizeInBytes()
    {
        return aggregate.sizeInBytes();
    }
}
