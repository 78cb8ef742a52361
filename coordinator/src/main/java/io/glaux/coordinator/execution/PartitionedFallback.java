package io.glaux.coordinator.execution;

import io.glaux.coordinator.planner.PhysicalPlanner;
import io.glaux.engine.plan.PlanNode;

import java.util.List;
import java.util.Optional;

/**
 * A broadcast join whose build side and probe side both turned out too large to broadcast becomes a
 * partitioned join on the workers: the probe stage's pipeline (the join and the filters, projections,
 * partial aggregation, partial top-N and limit above it) is the plan of a hash-partitioned stage whose
 * inputs are the build stage and the probe stage's scan, each hash-partitioned on its join keys. Any
 * join type can run so (a build row and the probe rows it matches meet in one task).
 */
final class PartitionedFallback
{
    private PartitionedFallback() {}

    /**
     * The partitioned stage that runs {@code pipeline} (the probe stage's, which reads its own scan rows
     * and {@code buildStageId}'s rows by broadcast), reading stage {@code probeStageId}'s scan and
     * {@code buildStageId} by repartitioning; empty when the pipeline has another shape.
     */
    static Optional<PhysicalPlanner.PartitionedStage> of(PlanNode pipeline, int probeStageId, int buildStageId)
    {
        Optional<PlanNode.Join> join = join(pipeline);
        if (join.isEmpty()) {
            return Optional.empty();
        }
        return rewrite(pipeline, probeStageId, buildStageId).map(plan -> new PhysicalPlanner.PartitionedStage(plan, List.of(
                // the build side first: the join reads all of it before the first probe row
                new PhysicalPlanner.PartitionedStage.Input(buildStageId, join.get().rightKeys()),
                new PhysicalPlanner.PartitionedStage.Input(probeStageId, join.get().leftKeys()))));
    }

    private static Optional<PlanNode.Join> join(PlanNode pipeline)
    {
        if (pipeline instanceof PlanNode.Join join) {
            return Optional.of(join);
        }
        return pipeline.sources().size() == 1 ? join(pipeline.sources().getFirst()) : Optional.empty();
    }

    private static Optional<PlanNode> rewrite(PlanNode pipeline, int probeStageId, int buildStageId)
    {
        return switch (pipeline) {
            case PlanNode.Join join -> rewriteJoin(join, probeStageId, buildStageId);
            case PlanNode.Filter filter -> rewrite(filter.source(), probeStageId, buildStageId).map(source -> new PlanNode.Filter(filter.id(), source, filter.predicate()));
            case PlanNode.Project project -> rewrite(project.source(), probeStageId, buildStageId).map(source -> new PlanNode.Project(project.id(), source, project.projections()));
            case PlanNode.Aggregate aggregate -> rewrite(aggregate.source(), probeStageId, buildStageId).map(source -> new PlanNode.Aggregate(aggregate.id(), source, aggregate.step(),
                    aggregate.groupKeys(), aggregate.groupingSets(), aggregate.aggregates()));
            case PlanNode.TopN topN -> rewrite(topN.source(), probeStageId, buildStageId).map(source -> new PlanNode.TopN(topN.id(), source, topN.keys(), topN.count(), topN.step()));
            case PlanNode.Limit limit -> rewrite(limit.source(), probeStageId, buildStageId).map(source -> new PlanNode.Limit(limit.id(), source, limit.offset(), limit.count(), limit.partial()));
            default -> Optional.empty();
        };
    }

    private static Optional<PlanNode> rewriteJoin(PlanNode.Join join, int probeStageId, int buildStageId)
    {
        if (!(join.left() instanceof PlanNode.RemoteSource probe) || probe.exchangeType() == PlanNode.ExchangeType.BROADCAST
                || !(join.right() instanceof PlanNode.RemoteSource build) || build.exchangeType() != PlanNode.ExchangeType.BROADCAST
                || !build.sourceStages().equals(List.of(buildStageId))) {
            return Optional.empty();
        }
        PlanNode.RemoteSource probeInput = new PlanNode.RemoteSource(probe.id(), List.of(probeStageId), PlanNode.ExchangeType.REPARTITION, List.of(), probe.outputTypes());
        PlanNode.RemoteSource buildInput = new PlanNode.RemoteSource(build.id(), List.of(buildStageId), PlanNode.ExchangeType.REPARTITION, List.of(), build.outputTypes());
        return Optional.of(new PlanNode.Join(join.id(), join.type(), probeInput, buildInput, join.leftKeys(), join.rightKeys(), join.residual(),
                PlanNode.JoinDistribution.PARTITIONED, join.outputColumns()));
    }
}
