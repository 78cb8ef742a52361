package io.glaux.engine.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.QueryContext;
import io.glaux.engine.plan.PlanCodec;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.engine.plan.PlanPrinter;
import io.glaux.engine.plan.SortKey;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

class TestLocalExecutionPlanner
{
    private static final List<Type> TYPES = List.of(Type.BIGINT, Type.VARCHAR);

    private final RootAllocator root = new RootAllocator();
    private final QueryMemoryContext memory = new QueryMemoryContext("q", new MemoryPool(1L << 30), 1L << 28, root);
    private final QueryContext query = new QueryContext(memory, Optional.empty(), new QueryContext.Cancellation(), SpillSpace.unlimited(), 1, new ConcurrentHashMap<>());

    @AfterEach
    void close()
    {
        memory.close();
        root.close();
    }

    @Test
    void filterProjectAndUnionOverRemoteSources()
    {
        PlanNode first = new PlanNode.RemoteSource(new PlanNodeId(1), List.of(1), PlanNode.ExchangeType.GATHER, List.of(), TYPES);
        PlanNode second = new PlanNode.RemoteSource(new PlanNodeId(2), List.of(2), PlanNode.ExchangeType.GATHER, List.of(), TYPES);
        PlanNode filter = new PlanNode.Filter(new PlanNodeId(3), new PlanNode.Union(new PlanNodeId(4), List.of(first, second)),
                new Expression.Call(Expression.Operator.GREATER_THAN, List.of(new Expression.InputRef(0, Type.BIGINT), new Expression.Literal(1L, Type.BIGINT)), Type.BOOLEAN));
        PlanNode project = new PlanNode.Project(new PlanNodeId(5), filter, List.of(
                new Expression.InputRef(1, Type.VARCHAR),
                new Expression.Call(Expression.Operator.MULTIPLY, List.of(new Expression.InputRef(0, Type.BIGINT), new Expression.Literal(10L, Type.BIGINT)), Type.BIGINT)));

        LocalExecutionPlanner planner = new LocalExecutionPlanner(query, (leaf, context) -> {
            int stage = ((PlanNode.RemoteSource) leaf).sourceStages().getFirst();
            return new BatchSource(context, TYPES, stage == 1
                    ? List.of(TestBatches.batch(context.allocator(), TYPES, new Object[] {1L, 2L}, new Object[] {"a", "b"}))
                    : List.of(TestBatches.batch(context.allocator(), TYPES, new Object[] {3L, null}, new Object[] {"c", "d"})));
        });
        List<List<Object>> rows = new ArrayList<>();
        try (Operator operator = planner.plan(project)) {
            for (VectorSchemaRoot batch = operator.next(); batch != null; batch = operator.next()) {
                rows.addAll(TestBatches.rows(batch));
                batch.close();
            }
        }
        assertThat(rows).containsExactly(List.of("b", 20L), List.of("c", 30L));
        assertThat(planner.stats().get(new PlanNodeId(5)).outputRows()).isEqualTo(2);
        assertThat(memory.reservedBytes()).isZero();
    }

    @Test
    void valuesRowsAreComputedByTheEvaluators()
    {
        PlanNode values = new PlanNode.Values(new PlanNodeId(1), TYPES, List.of(List.of(7L, "x"), java.util.Arrays.asList(null, "y")));
        LocalExecutionPlanner planner = new LocalExecutionPlanner(query, (leaf, context) -> {
            throw new AssertionError("no leaves");
        });
        List<List<Object>> rows = new ArrayList<>();
        try (Operator operator = planner.plan(values)) {
            for (VectorSchemaRoot batch = operator.next(); batch != null; batch = operator.next()) {
                rows.addAll(TestBatches.rows(batch));
                batch.close();
            }
        }
        assertThat(rows).containsExactly(List.of(7L, "x"), java.util.Arrays.asList(null, "y"));
    }

    @Test
    void anOperatorThatCannotBeBuiltReleasesEverything()
    {
        PlanNode leaf = new PlanNode.RemoteSource(new PlanNodeId(1), List.of(1), PlanNode.ExchangeType.GATHER, List.of(), TYPES);
        // a projection of a column that does not exist cannot compile
        PlanNode project = new PlanNode.Project(new PlanNodeId(2), leaf, List.of(new Expression.InputRef(5, Type.BIGINT)));
        LocalExecutionPlanner planner = new LocalExecutionPlanner(query, (node, context) -> new BatchSource(context, TYPES, List.of()));
        assertThatThrownBy(() -> planner.plan(project)).isInstanceOf(GlauxException.class);
        assertThat(memory.allocator().getChildAllocators()).isEmpty();
    }

    @Test
    void cancellationStopsTheOperators()
    {
        PlanNode leaf = new PlanNode.RemoteSource(new PlanNodeId(1), List.of(1), PlanNode.ExchangeType.GATHER, List.of(), TYPES);
        PlanNode filter = new PlanNode.Filter(new PlanNodeId(2), leaf, new Expression.Literal(true, Type.BOOLEAN));
        LocalExecutionPlanner planner = new LocalExecutionPlanner(query, (node, context) -> new BatchSource(context, TYPES,
                List.of(TestBatches.batch(context.allocator(), TYPES, new Object[] {1L}, new Object[] {"a"}))));
        try (Operator operator = planner.plan(filter)) {
            query.cancellation().cancel("Query was canceled");
            assertThatThrownBy(operator::next).isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }

    @Test
    void workerPipelinesSurviveTheirJsonEncoding()
    {
        PlanNode leaf = new PlanNode.RemoteSource(new PlanNodeId(1), List.of(0), PlanNode.ExchangeType.GATHER, List.of(), TYPES);
        PlanNode topN = new PlanNode.TopN(new PlanNodeId(2), new PlanNode.Filter(new PlanNodeId(3), leaf, new Expression.Literal(true, Type.BOOLEAN)),
                List.of(SortKey.descending(0), new SortKey(1, true, true)), 50, PlanNode.Step.PARTIAL);
        PlanNode limit = new PlanNode.Limit(new PlanNodeId(4), new PlanNode.Project(new PlanNodeId(5), topN, List.of(new Expression.InputRef(1, Type.VARCHAR))), 0, 10, true);
        assertThat(PlanCodec.fromJson(PlanCodec.toJson(limit))).isEqualTo(limit);
        assertThat(PlanPrinter.print(limit, Map.of(), ""))
                .contains("LimitPartial[count = 10]")
                .contains("TopNPartial[count = 50, orderBy = [#0 DESC NULLS LAST, #1 ASC NULLS FIRST]]");
    }

    /** Yields prebuilt batches, then null. */
    private static final class BatchSource
            implements Operator
    {
        private final io.glaux.engine.operator.OperatorContext context;
        private final List<Type> types;
        private final List<VectorSchemaRoot> batches;
        private int next;

        BatchSource(io.glaux.engine.operator.OperatorContext context, List<Type> types, List<VectorSchemaRoot> batches)
        {
            this.context = context;
            this.types = types;
            this.batches = new ArrayList<>(batches);
        }

        @Override
        public List<Type> outputTypes()
        {
            return types;
        }

        @Override
        public VectorSchemaRoot next()
        {
            return next < batches.size() ? batches.get(next++) : null;
        }

        @Override
        public void close()
        {
            while (next < batches.size()) {
                batches.get(next++).close();
            }
            context.close();
        }
    }
}
