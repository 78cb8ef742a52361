package io.glaux.coordinator.planner;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.plan.PlanNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which input columns of a hash-partitioned stage a set of its output columns are: a stage's rows with
 * equal values in those columns lie in one task when the columns are, in order, the keys the stage's
 * input was partitioned on. Columns are followed down through projections that pass them on unchanged,
 * filters, the group keys of a FINAL (or SINGLE, ungrouped-set) aggregation, windows, the probe or
 * build columns a partitioned join outputs and the probe columns a join with a broadcast build side
 * outputs, to a remote source that repartitions a stage.
 */
final class StagePartitioning
{
    private StagePartitioning() {}

    /** Columns of the stage {@code stage} reads by repartitioning. */
    record Leaf(int stage, List<Integer> columns)
    {
        Leaf
        {
            columns = List.copyOf(columns);
        }
    }

    /** The repartitioned input {@code columns} of {@code plan}'s output come from unchanged, if any. */
    static Optional<Leaf> trace(PlanNode plan, List<Integer> columns)
    {
        return switch (plan) {
            case PlanNode.RemoteSource remote when remote.exchangeType() == PlanNode.ExchangeType.REPARTITION && remote.sourceStages().size() == 1 ->
                    Optional.of(new Leaf(remote.sourceStages().getFirst(), columns));
            case PlanNode.Filter filter -> trace(filter.source(), columns);
            case PlanNode.Project project -> {
                List<Integer> inputs = new ArrayList<>();
                for (int column : columns) {
                    if (!(project.projections().get(column) instanceof Expression.InputRef ref)) {
                        yield Optional.empty();
                    }
                    inputs.add(ref.index());
                }
                yield trace(project.source(), inputs);
            }
            case PlanNode.Aggregate aggregate when aggregate.groupingSets().isEmpty()
                    && (aggregate.step() == PlanNode.Step.FINAL || aggregate.step() == PlanNode.Step.SINGLE) -> {
                List<Integer> inputs = new ArrayList<>();
                for (int column : columns) {
                    if (column >= aggregate.groupKeys().size()) {
                        yield Optional.empty();
                    }
                    inputs.add(aggregate.groupKeys().get(column));
                }
                yield trace(aggregate.source(), inputs);
            }
            case PlanNode.Window window -> {
                int width = window.source().outputTypes().size();
                yield columns.stream().allMatch(column -> column < width) ? trace(window.source(), columns) : Optional.empty();
            }
            case PlanNode.Join join when join.distribution() == PlanNode.JoinDistribution.PARTITIONED -> traceJoin(join, columns);
            // a small build side broadcast into the stage: the probe side's rows keep their partitions
            case PlanNode.Join join when join.distribution() == PlanNode.JoinDistribution.BROADCAST
                    && join.right() instanceof PlanNode.RemoteSource build && build.exchangeType() == PlanNode.ExchangeType.BROADCAST
                    && join.type() != PlanNode.JoinType.RIGHT && join.type() != PlanNode.JoinType.FULL -> {
                List<Integer> full = new ArrayList<>();
                for (int column : columns) {
                    full.add(join.outputColumns().map(outputs -> outputs.get(column)).orElse(column));
                }
                yield full.stream().allMatch(column -> column < join.left().outputTypes().size()) ? trace(join.left(), full) : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** Through a partitioned join: columns all of one side (the join's full output is left's columns, then right's). */
    private static Optional<Leaf> traceJoin(PlanNode.Join join, List<Integer> columns)
    {
        int leftWidth = join.left().outputTypes().size();
        List<Integer> full = new ArrayList<>();
        for (int column : columns) {
            full.add(join.outputColumns().map(outputs -> outputs.get(column)).orElse(column));
        }
        if (full.stream().allMatch(column -> column < leftWidth)) {
            // an outer join's NULL-extended rows hold no key of that side
            return join.type() == PlanNode.JoinType.RIGHT || join.type() == PlanNode.JoinType.FULL ? Optional.empty() : trace(join.left(), full);
        }
        if (full.stream().allMatch(column -> column >= leftWidth) && join.type() != PlanNode.JoinType.SEMI && join.type() != PlanNode.JoinType.ANTI) {
            return join.type() == PlanNode.JoinType.LEFT || join.type() == PlanNode.JoinType.FULL ? Optional.empty()
                    : trace(join.right(), full.stream().map(column -> column - leftWidth).toList());
        }
        return Optional.empty();
    }
}
