package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.plan.PlanNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Hash aggregation in a scan fragment: group by input columns {@code groupKeys}, compute
 * {@code aggregates}. The output batch has the group key columns first (in {@code groupKeys} order),
 * then one column per aggregate: its intermediate state for a PARTIAL step (what a worker runs), its
 * result for FINAL (what {@link #finalStep()} gives the coordinator to merge the partial outputs).
 * With no group keys there is exactly one output row, even for empty input (count 0, sum NULL).
 */
public record Aggregation(List<Integer> groupKeys, List<AggregateCall> aggregates, PlanNode.Step step)
{
    public Aggregation
    {
        groupKeys = List.copyOf(groupKeys);
        aggregates = List.copyOf(aggregates);
        requireNonNull(step, "step is null");
    }

    /** A PARTIAL aggregation. */
    public Aggregation(List<Integer> groupKeys, List<AggregateCall> aggregates)
    {
        this(groupKeys, aggregates, PlanNode.Step.PARTIAL);
    }

    /** The aggregation that merges this one's partial output: keys {@code 0..}, the same calls, step FINAL. */
    public Aggregation finalStep()
    {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < groupKeys.size(); i++) {
            keys.add(i);
        }
        return new Aggregation(keys, aggregates, PlanNode.Step.FINAL);
    }
}
