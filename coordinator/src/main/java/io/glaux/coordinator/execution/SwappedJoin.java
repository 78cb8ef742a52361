package io.glaux.coordinator.execution;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeIds;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The other way round for a broadcast join whose build side turned out too large to broadcast: the
 * probe stage's rows become the broadcast build side, and the tasks scan the build stage's table
 * instead. Only an INNER join without a residual condition turns round (its answer does not depend on
 * which side is built), and only under the nodes a scan stage's pipeline puts above a join (filter,
 * projection, partial aggregation, partial top-N, limit); a projection restores the columns' order, so
 * everything above the join reads what it did.
 *
 * <p>The planner builds the side its statistics estimate smaller ({@code JoinStatistics}); this corrects
 * an estimate that was wrong (a table without statistics, a filter more or less selective than guessed)
 * with the limit the planner chose by.
 */
final class SwappedJoin
{
    private SwappedJoin() {}

    /**
     * The pipeline that scans the build stage's table and joins it with the probe rows, broadcast under
     * {@code buildStageId}; empty when the join cannot turn round. The projection restoring the columns'
     * order takes its id from {@code ids}.
     */
    static Optional<PlanNode> swap(PlanNode pipeline, int buildStageId, PlanNodeIds ids)
    {
        return switch (pipeline) {
            case PlanNode.Join join -> swapJoin(join, buildStageId, ids);
            case PlanNode.Filter filter -> swap(filter.source(), buildStageId, ids).map(source -> new PlanNode.Filter(filter.id(), source, filter.predicate()));
            case PlanNode.Project project -> swap(project.source(), buildStageId, ids).map(source -> new PlanNode.Project(project.id(), source, project.projections()));
            case PlanNode.Aggregate aggregate -> swap(aggregate.source(), buildStageId, ids).map(source -> new PlanNode.Aggregate(aggregate.id(), source, aggregate.step(),
                    aggregate.groupKeys(), aggregate.groupingSets(), aggregate.aggregates()));
            case PlanNode.TopN topN -> swap(topN.source(), buildStageId, ids).map(source -> new PlanNode.TopN(topN.id(), source, topN.keys(), topN.count(), topN.step()));
            case PlanNode.Limit limit -> swap(limit.source(), buildStageId, ids).map(source -> new PlanNode.Limit(limit.id(), source, limit.offset(), limit.count(), limit.partial()));
            default -> Optional.empty();
        };
    }

    /** The types of the probe stage's own scan rows (the join's probe leaf), if the pipeline has such a join. */
    static Optional<List<Type>> probeScanTypes(PlanNode pipeline)
    {
        if (pipeline instanceof PlanNode.Join join && join.left() instanceof PlanNode.RemoteSource probe) {
            return Optional.of(probe.outputTypes());
        }
        return pipeline.sources().size() == 1 ? probeScanTypes(pipeline.sources().getFirst()) : Optional.empty();
    }

    private static Optional<PlanNode> swapJoin(PlanNode.Join join, int buildStageId, PlanNodeIds ids)
    {
        if (join.type() != PlanNode.JoinType.INNER || join.residual().isPresent()
                || !(join.left() instanceof PlanNode.RemoteSource probe) || probe.exchangeType() == PlanNode.ExchangeType.BROADCAST
                || !(join.right() instanceof PlanNode.RemoteSource build) || build.exchangeType() != PlanNode.ExchangeType.BROADCAST
                || !build.sourceStages().equals(List.of(buildStageId))) {
            return Optional.empty();
        }
        // the task's own rows are now the build stage's table; the probe rows arrive by broadcast
        PlanNode.RemoteSource scanned = new PlanNode.RemoteSource(build.id(), probe.sourceStages(), probe.exchangeType(), List.of(), build.outputTypes());
        PlanNode.RemoteSource broadcast = new PlanNode.RemoteSource(probe.id(), List.of(buildStageId), PlanNode.ExchangeType.BROADCAST, List.of(), probe.outputTypes());
        PlanNode.Join swapped = new PlanNode.Join(join.id(), PlanNode.JoinType.INNER, scanned, broadcast, join.rightKeys(), join.leftKeys(), Optional.empty(),
                join.distribution());
        int buildColumns = build.outputTypes().size();
        int probeColumns = probe.outputTypes().size();
        List<Expression> reorder = new ArrayList<>(probeColumns + buildColumns);
        for (int i = 0; i < probeColumns; i++) {
            reorder.add(new Expression.InputRef(buildColumns + i, probe.outputTypes().get(i)));
        }
        for (int i = 0; i < buildColumns; i++) {
            reorder.add(new Expression.InputRef(i, build.outputTypes().get(i)));
        }
        if (join.outputColumns().isPresent()) {
            // the columns the join was to output, picked from the swapped join's full output
            List<Expression> all = reorder;
            reorder = join.outputColumns().get().stream().map(all::get).toList();
        }
        return Optional.of(new PlanNode.Project(ids.next(), swapped, reorder));
    }
}
