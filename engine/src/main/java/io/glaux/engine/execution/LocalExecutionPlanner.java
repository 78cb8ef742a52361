package io.glaux.engine.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.FilterProjectOperator;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.operator.QueryContext;
import io.glaux.engine.operator.UnionOperator;
import io.glaux.engine.operator.ValuesOperator;
import io.glaux.engine.operator.aggregation.HashAggregationOperator;
import io.glaux.engine.operator.aggregation.SetOperationOperator;
import io.glaux.engine.operator.join.HashJoinOperator;
import io.glaux.engine.operator.join.NestedLoopJoinOperator;
import io.glaux.engine.operator.join.UnnestOperator;
import io.glaux.engine.operator.sort.LimitOperator;
import io.glaux.engine.operator.sort.SortOperator;
import io.glaux.engine.operator.sort.TopNOperator;
import io.glaux.engine.operator.window.WindowOperator;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the plan of one stage into a tree of operators for one thread. Leaves that read data from
 * elsewhere ({@link PlanNode.RemoteSource}, {@link PlanNode.TableScan}) are created by the caller's
 * {@link SourceFactory}: the coordinator feeds remote sources from the workers' streams, a worker
 * feeds table scans from its splits. A filter directly under a projection runs in the same operator.
 */
public final class LocalExecutionPlanner
{
    /** Creates the operators for the leaves of a stage. */
    public interface SourceFactory
    {
        Operator create(PlanNode leaf, OperatorContext context);
    }

    private final QueryContext query;
    private final SourceFactory sources;
    private final Map<PlanNodeId, OperatorStats> stats = new ConcurrentHashMap<>();

    public LocalExecutionPlanner(QueryContext query, SourceFactory sources)
    {
        this.query = requireNonNull(query, "query is null");
        this.sources = requireNonNull(sources, "sources is null");
    }

    /** What each planned operator did so far, by plan node (for EXPLAIN ANALYZE). */
    public Map<PlanNodeId, OperatorStats> stats()
    {
        return stats;
    }

    /** The operator tree of {@code root}; closing the root operator closes them all. */
    public Operator plan(PlanNode root)
    {
        return visit(root);
    }

    private Operator visit(PlanNode node)
    {
        return switch (node) {
            case PlanNode.Project project when project.source() instanceof PlanNode.Filter filter -> withSource(filter.source(), source ->
                    withContext(project, context -> new FilterProjectOperator(context, source, Optional.of(filter.predicate()), Optional.of(project.projections()))));
            case PlanNode.Project project -> withSource(project.source(), source ->
                    withContext(project, context -> new FilterProjectOperator(context, source, Optional.empty(), Optional.of(project.projections()))));
            case PlanNode.Filter filter -> withSource(filter.source(), source ->
                    withContext(filter, context -> new FilterProjectOperator(context, source, Optional.of(filter.predicate()), Optional.empty())));
            case PlanNode.Values values -> withContext(values, context -> new ValuesOperator(context, values.outputTypes(), values.rows()));
            case PlanNode.Union union -> {
                List<Operator> children = new ArrayList<>();
                try {
                    for (PlanNode source : union.sources()) {
                        children.add(visit(source));
                    }
                    yield withContext(union, context -> new UnionOperator(context, children));
                }
                catch (RuntimeException | Error e) {
                    children.forEach(Operator::close);
                    throw e;
                }
            }
            case PlanNode.Aggregate aggregate -> withSource(aggregate.source(), source -> withContext(aggregate, context ->
                    new HashAggregationOperator(context, source, aggregate.step(), aggregate.groupKeys(), aggregate.groupingSets(), aggregate.aggregates())));
            case PlanNode.SetOperation setOperation -> {
                List<Operator> children = new ArrayList<>();
                try {
                    for (PlanNode source : setOperation.sources()) {
                        children.add(visit(source));
                    }
                    yield withContext(setOperation, context -> new SetOperationOperator(context, children, setOperation.kind(), setOperation.all()));
                }
                catch (RuntimeException | Error e) {
                    children.forEach(Operator::close);
                    throw e;
                }
            }
            case PlanNode.Join join -> withSources(join.left(), join.right(), (probe, build) -> withContext(join, context ->
                    new HashJoinOperator(context, probe, build, join.type(), join.leftKeys(), join.rightKeys(), join.residual(), join.outputColumns())));
            case PlanNode.NestedLoopJoin join -> withSources(join.left(), join.right(), (probe, build) -> withContext(join, context ->
                    new NestedLoopJoinOperator(context, probe, build, join.type(), join.condition())));
            case PlanNode.Unnest unnest -> withSource(unnest.source(), source -> withContext(unnest, context -> new UnnestOperator(context, source, unnest)));
            case PlanNode.Sort sort -> withSource(sort.source(), source -> withContext(sort, context -> new SortOperator(context, source, sort.keys())));
            case PlanNode.TopN topN -> withSource(topN.source(), source -> withContext(topN, context -> new TopNOperator(context, source, topN.keys(), topN.count())));
            case PlanNode.Limit limit -> withSource(limit.source(), source -> withContext(limit, context -> new LimitOperator(context, source, limit.offset(), limit.count())));
            case PlanNode.Window window -> withSource(window.source(), source -> withContext(window, context ->
                    new WindowOperator(context, source, window.partitionKeys(), window.orderKeys(), window.functions())));
            case PlanNode.RemoteSource remote -> withContext(remote, context -> sources.create(remote, context));
            case PlanNode.TableScan scan -> withContext(scan, context -> sources.create(scan, context));
            // stages are cut at exchanges before a stage's plan reaches here
            case PlanNode.Exchange exchange -> throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "An exchange inside a stage's plan: " + exchange.id());
        };
    }

    private interface OperatorOverSource
    {
        Operator create(Operator source);
    }

    /** Builds the source, then the operator over it; closes the source if the operator cannot be built. */
    private Operator withSource(PlanNode sourceNode, OperatorOverSource factory)
    {
        Operator source = visit(sourceNode);
        try {
            return factory.create(source);
        }
        catch (RuntimeException | Error e) {
            source.close();
            throw e;
        }
    }

    private interface OperatorOverSources
    {
        Operator create(Operator left, Operator right);
    }

    /** Builds both sources, then the operator over them; closes the sources if the operator cannot be built. */
    private Operator withSources(PlanNode leftNode, PlanNode rightNode, OperatorOverSources factory)
    {
        Operator left = visit(leftNode);
        Operator right;
        try {
            right = visit(rightNode);
        }
        catch (RuntimeException | Error e) {
            left.close();
            throw e;
        }
        try {
            return factory.create(left, right);
        }
        catch (RuntimeException | Error e) {
            try {
                left.close();
            }
            finally {
                right.close();
            }
            throw e;
        }
    }

    /** Creates the node's operator context, then the operator; closes the context if the operator cannot be built. */
    private Operator withContext(PlanNode node, java.util.function.Function<OperatorContext, Operator> factory)
    {
        OperatorContext context = new OperatorContext(query, node.getClass().getSimpleName() + "[" + node.id() + "]");
        stats.put(node.id(), context.stats());
        try {
            return factory.apply(context);
        }
        catch (RuntimeException | Error e) {
            context.close();
            throw e;
        }
    }
}
