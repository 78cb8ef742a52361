package io.glaux.engine.fragment;

import java.util.List;

/**
 * Hash aggregation: group by input columns {@code groupKeys}, compute {@code aggregates}. The output
 * batch has the group key columns first (in {@code groupKeys} order), then one column per aggregate.
 * With no group keys there is exactly one output row, even for empty input (count 0, sum NULL).
 */
public record Aggregation(List<Integer> groupKeys, List<AggregateCall> aggregates)
{
    public Aggregation
    {
        groupKeys = List.copyOf(groupKeys);
        aggregates = List.copyOf(aggregates);
    }

    /** The aggregation that merges this one's partial output (same keys, merged functions). */
    public Aggregation finalStep()
    {
        List<Integer> keys = new java.util.ArrayList<>();
        for (int i = 0; i < groupKeys.size(); i++) {
            keys.add(i);
        }
        List<AggregateCall> merged = new java.util.ArrayList<>();
        for (int i = 0; i < aggregates.size(); i++) {
            AggregateCall call = aggregates.get(i);
            merged.add(new AggregateCall(call.function().merge(), groupKeys.size() + i, call.outputType()));
        }
        return new Aggregation(keys, merged);
    }
}
