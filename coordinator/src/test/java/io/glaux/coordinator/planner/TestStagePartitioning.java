package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.engine.plan.PlanNodeIds;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

class TestStagePartitioning
{
    private static final PlanNode REPARTITIONED = new PlanNode.RemoteSource(new PlanNodeId(0), List.of(3), PlanNode.ExchangeType.REPARTITION, List.of(),
            List.of(Type.BIGINT, Type.BIGINT, Type.DOUBLE));
    private static final PlanNode AGGREGATE = new PlanNode.Aggregate(new PlanNodeId(1), REPARTITIONED, PlanNode.Step.FINAL, List.of(1, 0), List.of(),
            List.of(new AggregateCall(AggregateFunction.SUM, List.of(2), List.of(Type.DOUBLE), Type.DOUBLE, -1)));

    @Test
    void followsGroupKeysAndPlainProjections()
    {
        // output: k1 (input 1), k0 (input 0), sum
        assertThat(StagePartitioning.trace(AGGREGATE, List.of(1))).contains(new StagePartitioning.Leaf(3, List.of(0)));
        assertThat(StagePartitioning.trace(AGGREGATE, List.of(0, 1))).contains(new StagePartitioning.Leaf(3, List.of(1, 0)));
        PlanNode project = new PlanNode.Project(new PlanNodeId(2), AGGREGATE, List.of(new Expression.InputRef(2, Type.DOUBLE), new Expression.InputRef(1, Type.BIGINT)));
        assertThat(StagePartitioning.trace(project, List.of(1))).contains(new StagePartitioning.Leaf(3, List.of(0)));
        PlanNode filter = new PlanNode.Filter(new PlanNodeId(3), project, new Expression.Literal(true, Type.BOOLEAN));
        assertThat(StagePartitioning.trace(filter, List.of(1))).contains(new StagePartitioning.Leaf(3, List.of(0)));
    }

    @Test
    void anAggregateOrComputedColumnIsNoPartitioningColumn()
    {
        assertThat(StagePartitioning.trace(AGGREGATE, List.of(2))).isEmpty();
        PlanNode computed = new PlanNode.Project(new PlanNodeId(2), AGGREGATE, List.of(
                new Expression.Call(Expression.Operator.ADD, List.of(new Expression.InputRef(0, Type.BIGINT), new Expression.Literal(1L, Type.BIGINT)), Type.BIGINT)));
        assertThat(StagePartitioning.trace(computed, List.of(0))).isEmpty();
        PlanNode gathered = new PlanNode.RemoteSource(new PlanNodeId(0), List.of(3), PlanNode.ExchangeType.GATHER, List.of(), List.of(Type.BIGINT));
        assertThat(StagePartitioning.trace(gathered, List.of(0))).isEmpty();
        PlanNode partial = new PlanNode.Aggregate(new PlanNodeId(1), REPARTITIONED, PlanNode.Step.PARTIAL, List.of(0), List.of(),
                List.of(new AggregateCall(AggregateFunction.SUM, List.of(2), List.of(Type.DOUBLE), Type.DOUBLE, -1)));
        assertThat(StagePartitioning.trace(partial, List.of(0))).isEmpty();
    }

    @Test
    void followsTheSideOfAPartitionedJoinTheColumnsComeFrom()
    {
        PlanNode other = new PlanNode.RemoteSource(new PlanNodeId(4), List.of(5), PlanNode.ExchangeType.REPARTITION, List.of(), List.of(Type.BIGINT, Type.VARCHAR));
        PlanNode inner = new PlanNode.Join(new PlanNodeId(6), PlanNode.JoinType.INNER, AGGREGATE, other, List.of(1), List.of(0), Optional.empty(),
                PlanNode.JoinDistribution.PARTITIONED);
        assertThat(StagePartitioning.trace(inner, List.of(1))).contains(new StagePartitioning.Leaf(3, List.of(0)));
        assertThat(StagePartitioning.trace(inner, List.of(3))).contains(new StagePartitioning.Leaf(5, List.of(0)));
        PlanNode pruned = ((PlanNode.Join) inner).withOutputColumns(List.of(4, 3));
        assertThat(StagePartitioning.trace(pruned, List.of(1))).contains(new StagePartitioning.Leaf(5, List.of(0)));
        // columns of both sides, or the NULL-extended side of an outer join: no
        assertThat(StagePartitioning.trace(inner, List.of(1, 3))).isEmpty();
        PlanNode left = new PlanNode.Join(new PlanNodeId(6), PlanNode.JoinType.LEFT, AGGREGATE, other, List.of(1), List.of(0), Optional.empty(),
                PlanNode.JoinDistribution.PARTITIONED);
        assertThat(StagePartitioning.trace(left, List.of(3))).isEmpty();
        assertThat(StagePartitioning.trace(left, List.of(1))).contains(new StagePartitioning.Leaf(3, List.of(0)));
    }

    @Test
    void idsAfterAPlanAreNoneOfItsNodes()
    {
        PlanNodeIds ids = PlanNodeIds.after(List.of(AGGREGATE, new PlanNode.Values(new PlanNodeId(7), List.of(Type.BIGINT), List.of())));
        assertThat(ids.next()).isEqualTo(new PlanNodeId(8));
        assertThat(ids.next()).isEqualTo(new PlanNodeId(9));
    }
}
