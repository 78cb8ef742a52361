package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.metadata.MetadataFilter;
import io.glaux.coordinator.query.SessionProperties.JoinDistributionType;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.engine.plan.PlanNodeIds;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.engine.plan.SortKey;
import io.glaux.engine.plan.WindowFunction;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Uncollect;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.logical.LogicalIntersect;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalMinus;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.logical.LogicalWindow;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates Calcite's optimized logical plan into Glaux's physical plan ({@link PlanNode}). Each
 * {@link GlauxTableScan} (with the work pushed into it) becomes a scan stage that the workers run; the
 * translated tree above it reads the stage through a {@link PlanNode.RemoteSource} and runs in the
 * engine. A plan with a node or an expression the engine cannot run yet fails with NOT_SUPPORTED
 * naming it.
 */
public final class PhysicalPlanner
{
    /**
     * A translated query: the final stage's plan, the scan stage behind each remote source and the
     * hash-partitioned intermediate stages (by stage id; scan and intermediate stages share one id space).
     */
    public record EnginePlan(PlanNode root, Map<Integer, ScanStage> scans, Map<Integer, PartitionedStage> stages)
    {
        public EnginePlan
        {
            requireNonNull(root, "root is null");
            scans = Map.copyOf(scans);
            stages = Map.copyOf(stages);
        }

        public EnginePlan(PlanNode root, Map<Integer, ScanStage> scans)
        {
            this(root, scans, Map.of());
        }

        /** Ids no node of the plan has (its final stage, scan pipelines and partitioned stages), for nodes added at run time. */
        public PlanNodeIds unusedIds()
        {
            List<PlanNode> plans = new ArrayList<>();
            plans.add(root);
            scans.values().forEach(scan -> scan.pipeline().ifPresent(plans::add));
            stages.values().forEach(stage -> plans.add(stage.plan()));
            return PlanNodeIds.after(plans);
        }
    }

    /**
     * An intermediate stage that runs on the workers, one task per worker: {@code plan} (a FINAL
     * aggregation, windows or a partitioned join, and the filters, projections, partial aggregation and
     * partial top-N above it) over scan stages whose output is hash-partitioned, each on its
     * {@link Input#keys} (columns of that scan stage's output), so that each task gets every row of its
     * groups, window partitions or join keys. Each of the plan's leaves is a {@link PlanNode.RemoteSource}
     * of type REPARTITION reading one of the scan stages. With a single worker the coordinator runs the
     * plan itself over the gathered scan stages.
     */
    public record PartitionedStage(PlanNode plan, List<Input> inputs)
    {
        /**
         * A scan stage the partitioned stage reads, hash-partitioned on {@code keys}. Inputs run in order:
         * each starts when the one before it has finished. {@code spreadNullKeys}: a join's input, whose rows
         * with a NULL key match nothing and are spread over every partition.
         */
        public record Input(int stage, List<Integer> keys, boolean spreadNullKeys)
        {
            public Input
            {
                keys = List.copyOf(keys);
            }

            public Input(int stage, List<Integer> keys)
            {
                this(stage, keys, false);
            }
        }

        public PartitionedStage
        {
            requireNonNull(plan, "plan is null");
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("a partitioned stage reads at least one stage");
            }
        }

        public PartitionedStage(PlanNode plan, int sourceStage, List<Integer> partitionKeys)
        {
            this(plan, List.of(new Input(sourceStage, partitionKeys)));
        }

        /** The same stage running {@code plan}. */
        public PartitionedStage withPlan(PlanNode plan)
        {
            return new PartitionedStage(plan, inputs);
        }

        /** The first scan stage it reads. */
        public int sourceStage()
        {
            return inputs.getFirst().stage();
        }

        /** The first scan stage's partitioning keys. */
        public List<Integer> partitionKeys()
        {
            return inputs.getFirst().keys();
        }

        public List<Type> types()
        {
            return plan.outputTypes();
        }
    }

    /**
     * A scan stage: the scan node with its pushed-down work, the pipeline each task runs over the
     * scan's output (a partial top-N), and the types of the rows it delivers.
     */
    public record ScanStage(GlauxTableScan scan, Optional<PlanNode> pipeline, List<Type> types)
    {
        public ScanStage
        {
            requireNonNull(scan, "scan is null");
            requireNonNull(pipeline, "pipeline is null");
            types = List.copyOf(types);
        }
    }

    /** Signals a node or expression the engine cannot run (the message names it); the query then fails with NOT_SUPPORTED. */
    private static final class Unsupported
            extends RuntimeException
    {
        Unsupported(String what)
        {
            super(what, null, false, false);
        }
    }

    private final Map<Integer, ScanStage> scans = new HashMap<>();
    private final String user;
    /** The predicates a filter hands to the metadata table scan below it. */
    private final Map<RelNode, MetadataFilter> metadataFilters = new java.util.IdentityHashMap<>();
    private final Map<Integer, PartitionedStage> stages = new HashMap<>();
    /** Each partitioned stage's remote source in the tree above it while nothing but filters, projections and top-N were put on it. */
    private final Map<Integer, PlanNode.RemoteSource> openStages = new HashMap<>();
    /** Each scan stage with a broadcast join in its pipeline: its remote source while only filters and projections were put on it. */
    private final Map<Integer, PlanNode.RemoteSource> openPipelines = new HashMap<>();
    private final JoinDistributionType joinDistribution;
    /** AUTOMATIC broadcasts a build side estimated at most this many bytes. */
    private final long maxBroadcastBytes;
    private int nextStage = 1;
    private final PlanNodeIds ids = new PlanNodeIds(0);

    private PhysicalPlanner(String user, JoinDistributionType joinDistribution, long maxBroadcastBytes)
    {
        this.user = requireNonNull(user, "user is null");
        this.joinDistribution = requireNonNull(joinDistribution, "joinDistribution is null");
        this.maxBroadcastBytes = maxBroadcastBytes;
    }

    static EnginePlan translate(RelNode root)
    {
        return translate(root, "", JoinDistributionType.AUTOMATIC, JoinStatistics.BROADCAST_MAX_BYTES);
    }

    /**
     * The engine's plan for {@code root}; {@code user} is whom the metadata tables (system,
     * information_schema) are listed for. A node or expression the engine cannot run fails the query
     * with NOT_SUPPORTED naming it: there is no other executor. {@code joinDistribution} is the session's
     * {@code join_distribution_type}: PARTITIONED and BROADCAST decide a join of two scans, AUTOMATIC
     * leaves it to the build table's statistics, broadcasting a build side estimated at most
     * {@code maxBroadcastBytes} (the session's {@code join_max_broadcast_table_size}).
     */
    static EnginePlan translate(RelNode root, String user, JoinDistributionType joinDistribution, long maxBroadcastBytes)
    {
        PhysicalPlanner planner = new PhysicalPlanner(user, joinDistribution, maxBroadcastBytes);
        try {
            PlanNode plan = planner.visit(root);
            return new EnginePlan(plan, planner.scans, planner.stages);
        }
        catch (Unsupported e) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Query is not supported: the engine cannot run " + e.getMessage());
        }
    }

    private PlanNodeId nextId()
    {
        return ids.next();
    }

    private PlanNode visit(RelNode node)
    {
        return switch (node) {
            case GlauxTableScan scan -> {
                int stage = nextStage++;
                List<Type> types = types(scan.getRowType());
                scans.put(stage, new ScanStage(scan, Optional.empty(), types));
                PlanNode remote = new PlanNode.RemoteSource(nextId(), List.of(stage), PlanNode.ExchangeType.GATHER, List.of(), types);
                if (scan.aggregation().isEmpty()) {
                    yield remote;
                }
                // the workers send partial groups (count, sum, min, max: states typed as their results);
                // the final merge is an engine aggregation, accounted and able to spill
                List<Integer> keys = new ArrayList<>();
                for (int i = 0; i < scan.aggregation().get().groupKeys().size(); i++) {
                    keys.add(i);
                }
                PlanNode merged = new PlanNode.Aggregate(nextId(), remote, PlanNode.Step.FINAL, keys, List.of(), scan.aggregation().get().aggregates());
                if (!merged.outputTypes().equals(types)) {
                    throw new Unsupported("partial aggregation typed " + merged.outputTypes() + " for " + types);
                }
                yield keys.isEmpty() ? merged : partitionedFinal(stage, types, keys, scan.aggregation().get().aggregates());
            }
            case LogicalProject project -> {
                PlanNode source = visit(project.getInput());
                List<Expression> projections = new ArrayList<>();
                List<Type> types = types(project.getRowType());
                for (int i = 0; i < types.size(); i++) {
                    Expression expression = expression(project.getProjects().get(i), source);
                    if (!expression.type().equals(types.get(i))) {
                        throw new Unsupported("projection typed " + expression.type().trinoName() + " for " + types.get(i).trinoName());
                    }
                    projections.add(expression);
                }
                yield onStage(source, input -> withPrunedJoin(new PlanNode.Project(nextId(), input, projections)));
            }
            case LogicalFilter filter when SystemScans.scan(filter.getInput()).isPresent() -> {
                // the filter's simple predicates (name = 'x', name LIKE 'x%') narrow the listing; the filter still applies
                LogicalTableScan scan = SystemScans.scan(filter.getInput()).get();
                metadataFilters.put(scan, SystemScans.filter(filter.getInput(), filter.getCondition()));
                PlanNode source = visit(filter.getInput());
                yield new PlanNode.Filter(nextId(), source, expression(filter.getCondition(), source));
            }
            case LogicalTableScan scan when SystemScans.table(scan).isPresent() ->
                    SystemScans.values(nextId(), scan, metadataFilters.getOrDefault(scan, MetadataFilter.NONE), user);
            case LogicalFilter filter -> {
                PlanNode source = visit(filter.getInput());
                Expression predicate = expression(filter.getCondition(), source);
                yield onStage(source, input -> new PlanNode.Filter(nextId(), input, predicate));
            }
            case LogicalValues values -> {
                List<Type> types = types(values.getRowType());
                List<List<Object>> rows = new ArrayList<>();
                for (List<RexLiteral> tuple : values.getTuples()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 0; i < tuple.size(); i++) {
                        row.add(valuesLiteral(tuple.get(i), types.get(i)));
                    }
                    rows.add(row);
                }
                yield new PlanNode.Values(nextId(), types, rows);
            }
            case LogicalUnion union when union.all -> {
                List<PlanNode> sources = new ArrayList<>();
                for (RelNode input : union.getInputs()) {
                    sources.add(visit(input));
                }
                for (PlanNode source : sources) {
                    if (!source.outputTypes().equals(sources.getFirst().outputTypes())) {
                        throw new Unsupported("union of different types");
                    }
                }
                yield new PlanNode.Union(nextId(), sources);
            }
            case LogicalUnion union -> setOperation(PlanNode.SetOperationKind.UNION, false, union.getInputs());
            case LogicalIntersect intersect -> setOperation(PlanNode.SetOperationKind.INTERSECT, intersect.all, intersect.getInputs());
            case LogicalMinus minus -> setOperation(PlanNode.SetOperationKind.EXCEPT, minus.all, minus.getInputs());
            case LogicalSort sort -> sort(sort);
            case LogicalAggregate aggregate -> aggregate(aggregate);
            case LogicalJoin join -> join(join);
            case LogicalWindow window -> window(window);
            case Correlate correlate -> correlate(correlate);
            case Uncollect uncollect -> uncollect(uncollect);
            default -> throw new Unsupported("operator " + node.getRelTypeName().replaceFirst("^Logical", ""));
        };
    }

    /**
     * A literal of a VALUES row as the engine's value of its column's type: Calcite types the column as
     * the common type of its rows (a NULL, a shorter string, a timestamp of another precision, an
     * integer among decimals), so a literal may be of a narrower type than its column.
     */
    private static Object valuesLiteral(RexLiteral item, Type type)
    {
        if (item.isNull()) {
            return null;
        }
        Expression literal = new RexTranslator(List.of()).translate(item)
                .orElseThrow(() -> new Unsupported("a VALUES literal of type " + trinoTypeName(item.getType())));
        if (!(literal instanceof Expression.Literal(Object value, Type literalType))) {
            throw new Unsupported("a VALUES literal of type " + trinoTypeName(item.getType()));
        }
        if (literalType.equals(type)) {
            return value;
        }
        Object coerced = switch (type) {
            case Type.Varchar _ when value instanceof String text -> text;
            case Type.Decimal decimal when value instanceof java.math.BigDecimal number -> number.setScale(decimal.scale(), java.math.RoundingMode.HALF_UP);
            case Type.Decimal decimal when value instanceof Long number -> java.math.BigDecimal.valueOf(number).setScale(decimal.scale(), java.math.RoundingMode.HALF_UP);
            // the same micros at another precision
            case Type.Timestamp _ when literalType instanceof Type.Timestamp -> value;
            case Type.Time _ when literalType instanceof Type.Time -> value;
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case TINYINT, SMALLINT, INTEGER, BIGINT -> value instanceof Long ? value : null;
                case REAL, DOUBLE -> value instanceof Number number ? (Object) number.doubleValue() : null;
                default -> null;
            };
            default -> null;
        };
        if (coerced == null) {
            throw new Unsupported("a VALUES literal of type " + literalType.trinoName() + " in a column of type " + type.trinoName());
        }
        return coerced;
    }

    private PlanNode setOperation(PlanNode.SetOperationKind kind, boolean all, List<RelNode> inputs)
    {
        List<PlanNode> sources = new ArrayList<>();
        for (RelNode input : inputs) {
            sources.add(visit(input));
        }
        for (PlanNode source : sources) {
            if (!source.outputTypes().equals(sources.getFirst().outputTypes())) {
                throw new Unsupported("set operation over different types");
            }
        }
        return new PlanNode.SetOperation(nextId(), kind, all, sources);
    }

    /**
     * GROUP BY → Aggregate. Over a scan stage the aggregation is split: each task aggregates its rows
     * (PARTIAL, on the workers) and the final stage merges the partial states (FINAL). With grouping
     * sets, GROUPING(...) values are computed from the operator's grouping id column.
     */
    private PlanNode aggregate(LogicalAggregate aggregate)
    {
        PlanNode source = visit(aggregate.getInput());
        List<Type> inputTypes = source.outputTypes();
        List<Integer> groupKeys = aggregate.getGroupSet().asList();
        List<List<Integer>> groupingSets = new ArrayList<>();
        if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
            for (ImmutableBitSet set : aggregate.getGroupSets()) {
                List<Integer> positions = new ArrayList<>();
                for (int key : set) {
                    positions.add(groupKeys.indexOf(key));
                }
                groupingSets.add(positions);
            }
        }
        List<Type> outputTypes = types(aggregate.getRowType());
        List<AggregateCall> calls = new ArrayList<>();
        // where each Calcite aggregate call lands: an engine aggregate (its index), or a GROUPING(...) call
        List<Object> outputs = new ArrayList<>();
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            org.apache.calcite.rel.core.AggregateCall call = aggregate.getAggCallList().get(i);
            Type outputType = outputTypes.get(groupKeys.size() + i);
            if (call.getAggregation().getKind() == SqlKind.GROUPING) {
                outputs.add(call);
                continue;
            }
            if (call.getAggregation().getKind() == SqlKind.LITERAL_AGG && call.rexList.size() == 1) {
                // the same value for every group (Calcite's marker of a matched row, for NOT IN and EXISTS)
                outputs.add(new Constant(expression(call.rexList.getFirst(), List.of())));
                continue;
            }
            if (call.getAggregation().getKind() == SqlKind.SINGLE_VALUE && call.getArgList().size() == 1 && !call.isDistinct()) {
                // a scalar subquery's value: arbitrary(x), checked by count(*) to come from at most one row
                int value = call.getArgList().getFirst();
                outputs.add(new SingleValue(calls.size(), calls.size() + 1));
                calls.add(new AggregateCall(AggregateFunction.ARBITRARY, List.of(value), List.of(inputTypes.get(value)), outputType, call.filterArg));
                calls.add(new AggregateCall(AggregateFunction.COUNT_STAR, List.of(), List.of(), Type.BIGINT, call.filterArg));
                continue;
            }
            AggregateFunction function = call.isDistinct() ? null : aggregateFunction(call);
            boolean ordered = function == AggregateFunction.ARRAY_AGG || function == AggregateFunction.LISTAGG;
            if (call.isDistinct() || (!call.collation.getFieldCollations().isEmpty() && !ordered)) {
                throw new Unsupported("the aggregate function " + call.getAggregation().getName().toLowerCase(java.util.Locale.ROOT)
                        + (call.isDistinct() ? " with DISTINCT" : " with ORDER BY"));
            }
            List<Integer> inputs = function == AggregateFunction.COUNT_STAR ? List.of() : call.getArgList();
            // array_agg(x ORDER BY y), listagg(x, s) WITHIN GROUP (ORDER BY y): the sort keys are the last inputs
            List<SortKey> orderBy = new ArrayList<>();
            if (ordered && call.getAggregation() instanceof OrderedAggregates.KeysAsArguments keyed) {
                // in a correlated subquery, the keys were made arguments before decorrelation
                orderBy.addAll(keyed.orderBy());
            }
            else if (ordered && !call.collation.getFieldCollations().isEmpty()) {
                List<Integer> withKeys = new ArrayList<>(inputs);
                for (SortKey key : sortKeys(call.collation.getFieldCollations())) {
                    orderBy.add(new SortKey(withKeys.size(), key.ascending(), key.nullsFirst()));
                    withKeys.add(key.column());
                }
                inputs = withKeys;
            }
            List<Type> argumentTypes = inputs.stream().map(inputTypes::get).toList();
            // $SUM0 (Calcite's sum that is 0, not NULL, over no rows) is sum() then coalesce(.., 0)
            outputs.add(call.getAggregation().getKind() == SqlKind.SUM0 ? new Sum0(calls.size()) : calls.size());
            // the engine sums decimals at Trino's 38 digits; a narrower type Calcite derived is a cast after it
            Type engineType = function == AggregateFunction.SUM && outputType instanceof Type.Decimal decimal && decimal.precision() != 38
                    ? new Type.Decimal(38, decimal.scale()) : outputType;
            try {
                calls.add(new AggregateCall(function, inputs, argumentTypes, engineType, call.filterArg, orderBy));
            }
            catch (IllegalArgumentException e) {
                throw new Unsupported("aggregate " + call + ": " + e.getMessage());
            }
        }
        PlanNode result;
        ScanStage stage = source instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1 ? scans.get(remote.sourceStages().getFirst()) : null;
        if (groupingSets.isEmpty() && stage != null && joinsBroadcast(stage)
                && openPipelines.get(((PlanNode.RemoteSource) source).sourceStages().getFirst()) == source) {
            // PARTIAL in the probe tasks after their join, FINAL here over the partial states
            PlanNode.RemoteSource remote = (PlanNode.RemoteSource) source;
            // aggregated in the scan before the join when it can be (eagerAggregation), else PARTIAL after it
            Optional<ScanStage> eager = eagerAggregation(stage, groupKeys, calls).filter(aggregated -> sendable(aggregated.pipeline().orElseThrow()));
            PlanNode partial = eager.isPresent() ? eager.get().pipeline().orElseThrow()
                    : withPrunedJoin(new PlanNode.Aggregate(nextId(), stage.pipeline().get(), PlanNode.Step.PARTIAL, groupKeys, List.of(), calls));
            openPipelines.remove(remote.sourceStages().getFirst());
            if (sendable(partial)) {
                scans.put(remote.sourceStages().getFirst(), eager.orElseGet(() -> new ScanStage(stage.scan(), Optional.of(partial), partial.outputTypes())));
                PlanNode partials = new PlanNode.RemoteSource(remote.id(), remote.sourceStages(), PlanNode.ExchangeType.GATHER, List.of(), partial.outputTypes());
                List<Integer> finalKeys = new ArrayList<>();
                for (int i = 0; i < groupKeys.size(); i++) {
                    finalKeys.add(i);
                }
                // grouped: FINAL in a hash stage on the workers, as over a plain scan, so that joins on its keys
                // run there too (TPC-H q2's cheapest supplier per part, q11's value per part)
                result = finalKeys.isEmpty()
                        ? new PlanNode.Aggregate(nextId(), partials, PlanNode.Step.FINAL, finalKeys, List.of(), calls)
                        : partitionedFinal(remote.sourceStages().getFirst(), partials.outputTypes(), finalKeys, calls);
            }
            else {
                result = withPrunedJoin(new PlanNode.Aggregate(nextId(), source, PlanNode.Step.SINGLE, groupKeys, groupingSets, calls));
            }
        }
        else if (groupingSets.isEmpty() && stage != null && stage.scan().aggregation().isEmpty() && stage.pipeline().isEmpty()) {
            // PARTIAL on every task next to the data, FINAL here over the partial states
            PlanNode.RemoteSource remote = (PlanNode.RemoteSource) source;
            PlanNode leaf = new PlanNode.RemoteSource(nextId(), List.of(0), PlanNode.ExchangeType.GATHER, List.of(), stage.types());
            PlanNode partial = new PlanNode.Aggregate(nextId(), leaf, PlanNode.Step.PARTIAL, groupKeys, List.of(), calls);
            scans.put(remote.sourceStages().getFirst(), new ScanStage(stage.scan(), Optional.of(partial), partial.outputTypes()));
            PlanNode partials = new PlanNode.RemoteSource(remote.id(), remote.sourceStages(), PlanNode.ExchangeType.GATHER, List.of(), partial.outputTypes());
            List<Integer> finalKeys = new ArrayList<>();
            for (int i = 0; i < groupKeys.size(); i++) {
                finalKeys.add(i);
            }
            result = finalKeys.isEmpty()
                    ? new PlanNode.Aggregate(nextId(), partials, PlanNode.Step.FINAL, finalKeys, List.of(), calls)
                    : partitionedFinal(remote.sourceStages().getFirst(), partial.outputTypes(), finalKeys, calls);
        }
        else if (groupingSets.isEmpty() && source instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1
                && openStages.get(remote.sourceStages().getFirst()) == remote
                && sendable(new PlanNode.Aggregate(nextId(), stages.get(remote.sourceStages().getFirst()).plan(), PlanNode.Step.PARTIAL, groupKeys, List.of(), calls))) {
            // PARTIAL in each task of the partitioned stage (after its windows), FINAL here over the partial states
            int stageId = remote.sourceStages().getFirst();
            PartitionedStage partitioned = stages.get(stageId);
            PlanNode partial = withPrunedJoin(new PlanNode.Aggregate(nextId(), partitioned.plan(), PlanNode.Step.PARTIAL, groupKeys, List.of(), calls));
            stages.put(stageId, partitioned.withPlan(partial));
            openStages.remove(stageId);
            PlanNode partials = new PlanNode.RemoteSource(remote.id(), remote.sourceStages(), PlanNode.ExchangeType.GATHER, List.of(), partial.outputTypes());
            List<Integer> finalKeys = new ArrayList<>();
            for (int i = 0; i < groupKeys.size(); i++) {
                finalKeys.add(i);
            }
            result = new PlanNode.Aggregate(nextId(), partials, PlanNode.Step.FINAL, finalKeys, List.of(), calls);
        }
        else {
            result = withPrunedJoin(new PlanNode.Aggregate(nextId(), source, PlanNode.Step.SINGLE, groupKeys, groupingSets, calls));
        }
        boolean reordered = outputs.stream().anyMatch(output -> !(output instanceof Integer)) || !result.outputTypes().equals(outputTypes);
        if (!reordered && groupingSets.isEmpty()) {
            if (!result.outputTypes().equals(outputTypes)) {
                throw new Unsupported("aggregate typed " + result.outputTypes() + " for " + outputTypes);
            }
            return result;
        }
        // keys, then each call: an aggregate column, or GROUPING(args) computed from the grouping id
        List<Type> engineTypes = result.outputTypes();
        int groupingId = engineTypes.size() - 1;
        List<Expression> projections = new ArrayList<>();
        for (int i = 0; i < groupKeys.size(); i++) {
            projections.add(new Expression.InputRef(i, engineTypes.get(i)));
        }
        for (int i = 0; i < outputs.size(); i++) {
            Type type = outputTypes.get(groupKeys.size() + i);
            if (outputs.get(i) instanceof Integer index) {
                Expression column = new Expression.InputRef(groupKeys.size() + index, engineTypes.get(groupKeys.size() + index));
                projections.add(column.type().equals(type) ? column : new Expression.Call(Expression.Operator.CAST, List.of(column), type));
                continue;
            }
            if (outputs.get(i) instanceof Constant(Expression value)) {
                projections.add(value.type().equals(type) ? value : new Expression.Call(Expression.Operator.CAST, List.of(value), type));
                continue;
            }
            if (outputs.get(i) instanceof SingleValue(int value, int count)) {
                Expression column = new Expression.InputRef(groupKeys.size() + value, engineTypes.get(groupKeys.size() + value));
                Expression checked = new Expression.FunctionCall("$single_row",
                        List.of(new Expression.InputRef(groupKeys.size() + count, Type.BIGINT), column), column.type());
                projections.add(column.type().equals(type) ? checked : new Expression.Call(Expression.Operator.CAST, List.of(checked), type));
                continue;
            }
            if (outputs.get(i) instanceof Sum0(int index)) {
                Type sumType = engineTypes.get(groupKeys.size() + index);
                Object zero = sumType.equals(Type.DOUBLE) || sumType.equals(Type.REAL) ? (Object) 0.0 : sumType instanceof Type.Decimal ? (Object) java.math.BigDecimal.ZERO : (Object) 0L;
                projections.add(new Expression.SpecialForm(Expression.Form.COALESCE,
                        List.of(new Expression.InputRef(groupKeys.size() + index, sumType), new Expression.Literal(zero, sumType)), sumType));
                continue;
            }
            org.apache.calcite.rel.core.AggregateCall grouping = (org.apache.calcite.rel.core.AggregateCall) outputs.get(i);
            Expression value = new Expression.Literal(0L, Type.BIGINT);
            if (!groupingSets.isEmpty()) {
                // bit j of GROUPING(a1..an), from the left, is 1 when a_j is not grouped: bit position(a_j) of the grouping id
                List<Integer> args = grouping.getArgList();
                for (int j = 0; j < args.size(); j++) {
                    int bit = groupKeys.indexOf(args.get(j));
                    Expression flag = arithmetic(Expression.Operator.MODULUS,
                            arithmetic(Expression.Operator.DIVIDE, new Expression.InputRef(groupingId, Type.BIGINT), new Expression.Literal(1L << bit, Type.BIGINT)),
                            new Expression.Literal(2L, Type.BIGINT));
                    Expression weighted = arithmetic(Expression.Operator.MULTIPLY, flag, new Expression.Literal(1L << (args.size() - 1 - j), Type.BIGINT));
                    value = j == 0 ? weighted : arithmetic(Expression.Operator.ADD, value, weighted);
                }
            }
            projections.add(type.equals(Type.BIGINT) ? value : new Expression.Call(Expression.Operator.CAST, List.of(value), type));
        }
        PlanNode project = onStage(result, input -> new PlanNode.Project(nextId(), input, projections));
        if (!project.outputTypes().equals(outputTypes)) {
            throw new Unsupported("aggregate typed " + project.outputTypes() + " for " + outputTypes);
        }
        return project;
    }

    /**
     * The FINAL aggregation of a grouped partial aggregation in scan stage {@code scanStage} (output
     * {@code partialTypes}: keys {@code keys}, then the partial states), as a hash-partitioned stage on
     * the workers; returns the remote source that gathers its output.
     */
    private PlanNode partitionedFinal(int scanStage, List<Type> partialTypes, List<Integer> keys, List<AggregateCall> calls)
    {
        PlanNode leaf = new PlanNode.RemoteSource(nextId(), List.of(scanStage), PlanNode.ExchangeType.REPARTITION, List.of(), partialTypes);
        PlanNode merged = new PlanNode.Aggregate(nextId(), leaf, PlanNode.Step.FINAL, keys, List.of(), calls);
        if (!sendable(merged)) {
            // the FINAL step runs here, over the gathered partial states
            return new PlanNode.Aggregate(merged.id(), new PlanNode.RemoteSource(leaf.id(), List.of(scanStage), PlanNode.ExchangeType.GATHER, List.of(), partialTypes),
                    PlanNode.Step.FINAL, keys, List.of(), calls);
        }
        int stage = nextStage++;
        stages.put(stage, new PartitionedStage(merged, scanStage, keys));
        PlanNode.RemoteSource gather = new PlanNode.RemoteSource(nextId(), List.of(stage), PlanNode.ExchangeType.GATHER, List.of(), merged.outputTypes());
        openStages.put(stage, gather);
        return gather;
    }

    /**
     * {@code above} applied to {@code source}; when {@code source} is the gather of a partitioned stage
     * with nothing else on it yet, {@code above} joins that stage's plan instead (it then runs on the
     * workers, per partition), if it can be sent there.
     */
    private PlanNode onStage(PlanNode source, java.util.function.Function<PlanNode, PlanNode> above)
    {
        if (source instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1
                && openPipelines.get(remote.sourceStages().getFirst()) == remote) {
            // a filter or projection over a broadcast join runs in the probe stage's tasks too
            int stageId = remote.sourceStages().getFirst();
            ScanStage stage = scans.get(stageId);
            PlanNode pipeline = above.apply(stage.pipeline().orElseThrow());
            if (sendable(pipeline)) {
                scans.put(stageId, new ScanStage(stage.scan(), Optional.of(pipeline), pipeline.outputTypes()));
                PlanNode.RemoteSource gather = new PlanNode.RemoteSource(remote.id(), remote.sourceStages(), PlanNode.ExchangeType.GATHER, List.of(), pipeline.outputTypes());
                openPipelines.put(stageId, gather);
                return gather;
            }
            openPipelines.remove(stageId);
        }
        if (source instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1
                && openStages.get(remote.sourceStages().getFirst()) == remote) {
            int stageId = remote.sourceStages().getFirst();
            PartitionedStage stage = stages.get(stageId);
            PlanNode plan = above.apply(stage.plan());
            if (sendable(plan)) {
                stages.put(stageId, stage.withPlan(plan));
                PlanNode.RemoteSource gather = new PlanNode.RemoteSource(remote.id(), remote.sourceStages(), PlanNode.ExchangeType.GATHER, List.of(), plan.outputTypes());
                openStages.put(stageId, gather);
                return gather;
            }
            openStages.remove(stageId);
        }
        return above.apply(source);
    }

    /**
     * {@code node} (a projection, a projection over a filter, or an aggregation) over a join that
     * outputs every column, when it reads only some of them: the join then outputs only those (it
     * gathers no column nobody reads, such as both copies of the join key) and {@code node} reads them
     * at their new positions. Otherwise {@code node} itself.
     */
    private static PlanNode withPrunedJoin(PlanNode node)
    {
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
        switch (node) {
            case PlanNode.Project project when project.source() instanceof PlanNode.Join join && join.outputColumns().isEmpty() -> {
                project.projections().forEach(projection -> Pushdown.collectInputs(projection, used));
                Optional<int[]> mapping = prunedMapping(join, used);
                if (mapping.isEmpty()) {
                    return node;
                }
                PlanNode.Join pruned = join.withOutputColumns(List.copyOf(used));
                List<Expression> projections = project.projections().stream().map(projection -> Pushdown.remap(projection, mapping.get())).toList();
                return identity(projections, pruned.outputTypes().size()) ? pruned : new PlanNode.Project(project.id(), pruned, projections);
            }
            case PlanNode.Project project when project.source() instanceof PlanNode.Filter filter && filter.source() instanceof PlanNode.Join join
                    && join.outputColumns().isEmpty() -> {
                project.projections().forEach(projection -> Pushdown.collectInputs(projection, used));
                Pushdown.collectInputs(filter.predicate(), used);
                Optional<int[]> mapping = prunedMapping(join, used);
                if (mapping.isEmpty()) {
                    return node;
                }
                PlanNode.Join pruned = join.withOutputColumns(List.copyOf(used));
                PlanNode.Filter prunedFilter = new PlanNode.Filter(filter.id(), pruned, Pushdown.remap(filter.predicate(), mapping.get()));
                return new PlanNode.Project(project.id(), prunedFilter, project.projections().stream().map(projection -> Pushdown.remap(projection, mapping.get())).toList());
            }
            case PlanNode.Aggregate aggregate when aggregate.source() instanceof PlanNode.Join join && join.outputColumns().isEmpty() -> {
                used.addAll(aggregate.groupKeys());
                for (AggregateCall call : aggregate.aggregates()) {
                    used.addAll(call.inputs());
                    if (call.filter() >= 0) {
                        used.add(call.filter());
                    }
                }
                Optional<int[]> mapping = prunedMapping(join, used);
                if (mapping.isEmpty()) {
                    return node;
                }
                int[] map = mapping.get();
                List<AggregateCall> calls = new ArrayList<>();
                for (AggregateCall call : aggregate.aggregates()) {
                    // mapInputs keeps an ordered aggregate's ORDER BY (array_agg, listagg)
                    calls.add(call.mapInputs(input -> map[input]));
                }
                return new PlanNode.Aggregate(aggregate.id(), join.withOutputColumns(List.copyOf(used)), aggregate.step(),
                        aggregate.groupKeys().stream().map(key -> map[key]).toList(), aggregate.groupingSets(), calls);
            }
            default -> {
                return node;
            }
        }
    }

    /** Aggregates whose partial state, merged once per matching build row, equals their state over the joined rows. */
    private static final java.util.Set<AggregateFunction> EAGER_FUNCTIONS = java.util.EnumSet.of(AggregateFunction.COUNT_STAR, AggregateFunction.COUNT,
            AggregateFunction.COUNT_IF, AggregateFunction.SUM, AggregateFunction.MIN, AggregateFunction.MAX, AggregateFunction.AVG);

    /**
     * Eager aggregation of a broadcast join of a plain scan (the probe) with a small build side, when the
     * aggregation above reads only probe columns and groups by build columns and probe join keys: the
     * scan aggregates its rows by the probe's join keys (PARTIAL, in the scan itself, where a dictionary
     * encoded key is grouped per dictionary id), the pipeline joins those few groups with the build rows
     * and merges their states by the aggregation's keys (INTERMEDIATE); the final stage merges as before.
     * An inner join repeats a probe row once per matching build row, and so repeats its group's state:
     * merging a state twice is aggregating its rows twice for the functions of {@link #EAGER_FUNCTIONS}.
     * The groups in the scan are at most the probe's distinct join keys; a broadcast build side is small,
     * so the keys that match are few (a fact table's foreign key into a dimension). A value the
     * aggregates read that a projection over the join computes from probe columns is computed in the scan.
     * Empty when the pipeline is not exactly such a join (under a projection at most).
     */
    private Optional<ScanStage> eagerAggregation(ScanStage stage, List<Integer> groupKeys, List<AggregateCall> calls)
    {
        PlanNode pipeline = stage.pipeline().orElseThrow();
        PlanNode.Join join = pipeline instanceof PlanNode.Project project && project.source() instanceof PlanNode.Join below ? below
                : pipeline instanceof PlanNode.Join direct ? direct : null;
        GlauxTableScan scan = stage.scan();
        if (join == null || join.type() != PlanNode.JoinType.INNER || join.residual().isPresent() || join.distribution() != PlanNode.JoinDistribution.BROADCAST
                || !(join.left() instanceof PlanNode.RemoteSource probe) || probe.exchangeType() != PlanNode.ExchangeType.GATHER
                || !(join.right() instanceof PlanNode.RemoteSource build) || build.exchangeType() != PlanNode.ExchangeType.BROADCAST
                || scan.aggregation().isPresent() || scan.limit().isPresent() || scan.projections().size() != probe.outputTypes().size()
                || !probe.outputTypes().equals(types(scan.getRowType()))) {
            return Optional.empty();
        }
        int probeWidth = probe.outputTypes().size();
        // each column of the pipeline's output: a projection of the scan (p >= 0, computed ones appended), or build column b (-1 - b)
        List<Expression> scanProjections = new ArrayList<>(scan.projections());
        int[] columnOf = new int[pipeline.outputTypes().size()];
        java.util.Set<Integer> used = new java.util.HashSet<>(groupKeys);
        for (AggregateCall call : calls) {
            used.addAll(call.inputs());
            if (call.filter() >= 0) {
                used.add(call.filter());
            }
        }
        for (int i = 0; i < columnOf.length; i++) {
            if (!used.contains(i)) {
                columnOf[i] = Integer.MIN_VALUE;
                continue;
            }
            Expression expression = pipeline instanceof PlanNode.Project project ? project.projections().get(i) : new Expression.InputRef(i, pipeline.outputTypes().get(i));
            if (expression instanceof Expression.InputRef ref) {
                int column = join.outputColumns().map(columns -> columns.get(ref.index())).orElse(ref.index());
                columnOf[i] = column < probeWidth ? column : -1 - (column - probeWidth);
                continue;
            }
            // computed from probe columns only (a CASE for count_if, a product for a sum): computed in the scan instead,
            // where it also sees the probe rows the join drops: only when it cannot fail on them (as 1 / x might)
            Optional<Expression> onScan = cannotFail(expression) ? overScan(expression, join, probeWidth, scan.projections()) : Optional.empty();
            if (onScan.isEmpty()) {
                columnOf[i] = Integer.MIN_VALUE;
                continue;
            }
            columnOf[i] = scanProjections.size();
            scanProjections.add(onScan.get());
        }
        // the scan's groups: the probe's join keys
        List<Integer> scanKeys = new ArrayList<>();
        for (int key : join.leftKeys()) {
            if (!scanKeys.contains(key)) {
                scanKeys.add(key);
            }
        }
        List<Integer> joinedColumns = new ArrayList<>();
        for (int key : groupKeys) {
            int column = columnOf[key];
            if (column == Integer.MIN_VALUE || (column >= 0 && !scanKeys.contains(column))) {
                // a probe value that is no join key: its groups may be as many as the rows
                return Optional.empty();
            }
            joinedColumns.add(column >= 0 ? scanKeys.indexOf(column) : scanKeys.size() + calls.size() + (-1 - column));
        }
        List<AggregateCall> scanCalls = new ArrayList<>();
        for (AggregateCall call : calls) {
            if (!EAGER_FUNCTIONS.contains(call.function()) || !call.orderBy().isEmpty()
                    || call.inputs().stream().anyMatch(input -> columnOf[input] < 0) || (call.filter() >= 0 && columnOf[call.filter()] < 0)) {
                // a build value, or a function whose state is not what merging it once per match gives
                return Optional.empty();
            }
            scanCalls.add(call.mapInputs(input -> columnOf[input]));
        }
        for (int i = 0; i < calls.size(); i++) {
            joinedColumns.add(scanKeys.size() + i);
        }
        if (joinedColumns.stream().distinct().count() != joinedColumns.size()) {
            return Optional.empty();
        }
        var typeFactory = scan.getCluster().getTypeFactory();
        var rowType = typeFactory.builder();
        List<Type> scanTypes = new ArrayList<>();
        for (int key : scanKeys) {
            RelDataTypeField field = scan.getRowType().getFieldList().get(key);
            rowType.add(field.getName(), field.getType());
            scanTypes.add(probe.outputTypes().get(key));
        }
        for (int i = 0; i < scanCalls.size(); i++) {
            Type state = scanCalls.get(i).intermediateType();
            rowType.add("$state" + i, TypeMapping.toRelType(typeFactory, state));
            scanTypes.add(state);
        }
        GlauxTableScan aggregated = scan.with(scan.filter(), scanProjections, Optional.of(new io.glaux.engine.fragment.Aggregation(scanKeys, scanCalls)),
                scan.limit(), rowType.build());
        PlanNode.RemoteSource groups = new PlanNode.RemoteSource(nextId(), probe.sourceStages(), PlanNode.ExchangeType.GATHER, List.of(), scanTypes);
        PlanNode.Join joined = new PlanNode.Join(nextId(), PlanNode.JoinType.INNER, groups, build, join.leftKeys().stream().map(scanKeys::indexOf).toList(),
                join.rightKeys(), Optional.empty(), PlanNode.JoinDistribution.BROADCAST, Optional.of(joinedColumns));
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < groupKeys.size(); i++) {
            keys.add(i);
        }
        PlanNode merged = new PlanNode.Aggregate(nextId(), joined, PlanNode.Step.INTERMEDIATE, keys, List.of(), calls);
        return Optional.of(new ScanStage(aggregated, Optional.of(merged), merged.outputTypes()));
    }

    /**
     * Whether evaluating {@code expression} can never raise an error, whatever its inputs: column
     * references, literals, comparisons and logic, conditionals and TRY_CAST over such, TRY, double and real
     * arithmetic, decimal addition, subtraction and multiplication whose exact result fits decimal(38),
     * and widening casts. Integer arithmetic may overflow, divisions may divide by zero, and functions
     * may fail on some values, so none of them is.
     */
    static boolean cannotFail(Expression expression)
    {
        return switch (expression) {
            case Expression.InputRef ignored -> true;
            case Expression.Literal ignored -> true;
            case Expression.FunctionCall ignored -> false;
            case Expression.SpecialForm form -> switch (form.form()) {
                case TRY -> true;
                case TRY_CAST, IF, CASE, COALESCE, NULLIF -> form.arguments().stream().allMatch(PhysicalPlanner::cannotFail);
            };
            case Expression.Call call -> call.arguments().stream().allMatch(PhysicalPlanner::cannotFail) && switch (call.operator()) {
                case EQUAL, NOT_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, AND, OR, NOT, IS_NULL, IS_NOT_NULL, IN -> true;
                case LIKE -> call.arguments().subList(1, call.arguments().size()).stream().allMatch(Expression.Literal.class::isInstance);
                case ADD, SUBTRACT, MULTIPLY, NEGATE, DIVIDE, MODULUS -> call.type().equals(Type.DOUBLE) || call.type().equals(Type.REAL)
                        || (call.operator() != Expression.Operator.DIVIDE && call.operator() != Expression.Operator.MODULUS && exactDecimal(call));
                case CAST -> widening(call.arguments().getFirst().type(), call.type());
            };
        };
    }

    /** Whether a decimal addition, subtraction, negation or multiplication's exact result always fits decimal(38). */
    private static boolean exactDecimal(Expression.Call call)
    {
        if (!(call.type() instanceof Type.Decimal) || !call.arguments().stream().allMatch(argument -> argument.type() instanceof Type.Decimal)) {
            return false;
        }
        List<Type.Decimal> arguments = call.arguments().stream().map(argument -> (Type.Decimal) argument.type()).toList();
        int digits = switch (call.operator()) {
            case NEGATE -> arguments.getFirst().precision();
            case MULTIPLY -> arguments.get(0).precision() + arguments.get(1).precision();
            default -> Math.max(arguments.get(0).scale(), arguments.get(1).scale())
                    + Math.max(arguments.get(0).precision() - arguments.get(0).scale(), arguments.get(1).precision() - arguments.get(1).scale()) + 1;
        };
        return digits <= 38;
    }

    /** Whether a CAST from {@code from} to {@code to} takes every value (to the same type, a wider integer, or a double). */
    private static boolean widening(Type from, Type to)
    {
        List<Type> integers = List.of(Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT);
        return from.equals(to)
                || (integers.contains(from) && integers.contains(to) && integers.indexOf(from) <= integers.indexOf(to))
                || ((integers.contains(from) || from.equals(Type.REAL)) && to.equals(Type.DOUBLE));
    }

    /**
     * {@code expression} over the join's output as an expression over the scan's columns (each probe
     * column replaced by the scan's projection of it); empty when it reads a build column, or holds a
     * lambda or a function whose value may differ between two evaluations.
     */
    private static Optional<Expression> overScan(Expression expression, PlanNode.Join join, int probeWidth, List<Expression> scanProjections)
    {
        return switch (expression) {
            case Expression.InputRef ref -> {
                int column = join.outputColumns().map(columns -> columns.get(ref.index())).orElse(ref.index());
                yield column < probeWidth ? Optional.of(scanProjections.get(column)) : Optional.empty();
            }
            case Expression.Literal literal -> Optional.of(literal);
            case Expression.Call call -> overScan(call.arguments(), join, probeWidth, scanProjections)
                    .map(arguments -> new Expression.Call(call.operator(), arguments, call.type()));
            case Expression.FunctionCall call -> call.name().startsWith("$lambda") || java.util.Set.of("uuid", "random", "rand", "shuffle").contains(call.name())
                    ? Optional.empty()
                    : overScan(call.arguments(), join, probeWidth, scanProjections).map(arguments -> new Expression.FunctionCall(call.name(), arguments, call.type()));
            case Expression.SpecialForm form -> overScan(form.arguments(), join, probeWidth, scanProjections)
                    .map(arguments -> new Expression.SpecialForm(form.form(), arguments, form.type()));
        };
    }

    private static Optional<List<Expression>> overScan(List<Expression> expressions, PlanNode.Join join, int probeWidth, List<Expression> scanProjections)
    {
        List<Expression> result = new ArrayList<>();
        for (Expression expression : expressions) {
            Optional<Expression> onScan = overScan(expression, join, probeWidth, scanProjections);
            if (onScan.isEmpty()) {
                return Optional.empty();
            }
            result.add(onScan.get());
        }
        return Optional.of(result);
    }

    /** Old position → new position of the join's output columns when it outputs only {@code used}; empty when that is all of them. */
    private static Optional<int[]> prunedMapping(PlanNode.Join join, java.util.SortedSet<Integer> used)
    {
        int width = join.outputTypes().size();
        if (used.size() >= width) {
            return Optional.empty();
        }
        int[] mapping = new int[width];
        java.util.Arrays.fill(mapping, -1);
        int next = 0;
        for (int column : used) {
            mapping[column] = next++;
        }
        return Optional.of(mapping);
    }

    private static boolean identity(List<Expression> projections, int width)
    {
        if (projections.size() != width) {
            return false;
        }
        for (int i = 0; i < width; i++) {
            if (!(projections.get(i) instanceof Expression.InputRef ref) || ref.index() != i) {
                return false;
            }
        }
        return true;
    }

    /** Whether a plan can be sent to a worker (every node and expression has a wire form). */
    private static boolean sendable(PlanNode plan)
    {
        try {
            io.glaux.engine.plan.PlanCodec.toJson(plan);
            return true;
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    /** A $SUM0 call computed by the engine's sum at {@code index}. */
    private record Sum0(int index) {}

    /** A SINGLE_VALUE call: the engine's arbitrary at {@code value}, checked by its count(*) at {@code count}. */
    private record SingleValue(int value, int count) {}

    private record Constant(Expression value) {}

    private static Expression arithmetic(Expression.Operator operator, Expression left, Expression right)
    {
        return new Expression.Call(operator, List.of(left, right), Type.BIGINT);
    }

    private static AggregateFunction aggregateFunction(org.apache.calcite.rel.core.AggregateCall call)
    {
        String name = call.getAggregation().getName().toLowerCase(java.util.Locale.ROOT);
        return switch (call.getAggregation().getKind()) {
            case COUNT -> call.getArgList().isEmpty() ? AggregateFunction.COUNT_STAR : AggregateFunction.COUNT;
            case SUM, SUM0 -> AggregateFunction.SUM;
            case AVG -> AggregateFunction.AVG;
            case MIN -> AggregateFunction.MIN;
            case MAX -> AggregateFunction.MAX;
            case ANY_VALUE -> AggregateFunction.ARBITRARY;
            case STDDEV_SAMP -> AggregateFunction.STDDEV_SAMP;
            case STDDEV_POP -> AggregateFunction.STDDEV_POP;
            case VAR_SAMP -> AggregateFunction.VAR_SAMP;
            case VAR_POP -> AggregateFunction.VAR_POP;
            case COVAR_POP -> AggregateFunction.COVAR_POP;
            case COVAR_SAMP -> AggregateFunction.COVAR_SAMP;
            default -> switch (name) {
                case "bool_and", "every" -> AggregateFunction.BOOL_AND;
                case "bool_or", "some" -> AggregateFunction.BOOL_OR;
                case "arbitrary" -> AggregateFunction.ARBITRARY;
                case "count_if" -> AggregateFunction.COUNT_IF;
                case "min_by" -> call.getArgList().size() == 3 ? AggregateFunction.MIN_BY_N : AggregateFunction.MIN_BY;
                case "max_by" -> call.getArgList().size() == 3 ? AggregateFunction.MAX_BY_N : AggregateFunction.MAX_BY;
                case "min_n" -> AggregateFunction.MIN_N;
                case "max_n" -> AggregateFunction.MAX_N;
                case "set_agg" -> AggregateFunction.SET_AGG;
                case "histogram" -> AggregateFunction.HISTOGRAM;
                case "map_agg" -> AggregateFunction.MAP_AGG;
                case "multimap_agg" -> AggregateFunction.MULTIMAP_AGG;
                case "approx_most_frequent" -> AggregateFunction.APPROX_MOST_FREQUENT;
                case "stddev" -> AggregateFunction.STDDEV;
                case "variance" -> AggregateFunction.VARIANCE;
                case "approx_distinct" -> AggregateFunction.APPROX_DISTINCT;
                case "checksum" -> AggregateFunction.CHECKSUM;
                case "approx_percentile" -> AggregateFunction.APPROX_PERCENTILE;
                case "corr" -> AggregateFunction.CORR;
                case "regr_slope" -> AggregateFunction.REGR_SLOPE;
                case "regr_intercept" -> AggregateFunction.REGR_INTERCEPT;
                case "geometric_mean" -> AggregateFunction.GEOMETRIC_MEAN;
                case "skewness" -> AggregateFunction.SKEWNESS;
                case "kurtosis" -> AggregateFunction.KURTOSIS;
                case "array_agg" -> AggregateFunction.ARRAY_AGG;
                // listagg_truncate: listagg(x, s ON OVERFLOW TRUNCATE filler WITH|WITHOUT COUNT), renamed by ListaggOverflow
                case "listagg", "listagg_truncate" -> AggregateFunction.LISTAGG;
                default -> throw new Unsupported("the aggregate function " + call.getAggregation().getName().toLowerCase(java.util.Locale.ROOT));
            };
        };
    }

    /** ORDER BY → Sort; ORDER BY ... LIMIT → TopN; LIMIT/OFFSET alone → Limit. */
    private PlanNode sort(LogicalSort sort)
    {
        PlanNode source = visit(sort.getInput());
        long offset = sort.offset == null ? 0 : longLiteral(sort.offset);
        long fetch = sort.fetch == null ? -1 : longLiteral(sort.fetch);
        List<SortKey> keys = sortKeys(sort.getCollation().getFieldCollations());
        if (keys.isEmpty()) {
            return offset == 0 && fetch < 0 ? source : new PlanNode.Limit(nextId(), source, offset, fetch < 0 ? Long.MAX_VALUE : fetch, false);
        }
        if (fetch < 0) {
            PlanNode sorted = new PlanNode.Sort(nextId(), source, keys);
            return offset == 0 ? sorted : new PlanNode.Limit(nextId(), sorted, offset, Long.MAX_VALUE, false);
        }
        long count = Math.addExact(offset, fetch);
        PlanNode.Step step = PlanNode.Step.SINGLE;
        if (source instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1 && openStages.get(remote.sourceStages().getFirst()) == remote) {
            // each task of a partitioned stage keeps only its best rows
            PlanNode partial = onStage(source, input -> new PlanNode.TopN(nextId(), input, keys, count, PlanNode.Step.PARTIAL));
            if (partial instanceof PlanNode.RemoteSource) {
                openStages.remove(((PlanNode.RemoteSource) partial).sourceStages().getFirst());
                source = partial;
                step = PlanNode.Step.FINAL;
            }
            else {
                source = ((PlanNode.TopN) partial).source();
            }
        }
        else if (source instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1 && scans.containsKey(remote.sourceStages().getFirst())) {
            // each task keeps only its best rows: the final top-N reads a few rows per task, not the table
            ScanStage stage = scans.get(remote.sourceStages().getFirst());
            if (stage.scan().aggregation().isEmpty() && stage.pipeline().isEmpty()) {
                PlanNode leaf = new PlanNode.RemoteSource(nextId(), List.of(0), PlanNode.ExchangeType.GATHER, List.of(), stage.types());
                PlanNode partial = new PlanNode.TopN(nextId(), leaf, keys, count, PlanNode.Step.PARTIAL);
                scans.put(remote.sourceStages().getFirst(), new ScanStage(stage.scan(), Optional.of(partial), stage.types()));
                step = PlanNode.Step.FINAL;
            }
        }
        PlanNode topN = new PlanNode.TopN(nextId(), source, keys, count, step);
        return offset == 0 ? topN : new PlanNode.Limit(nextId(), topN, offset, fetch, false);
    }

    private static List<SortKey> sortKeys(List<RelFieldCollation> collations)
    {
        List<SortKey> keys = new ArrayList<>();
        for (RelFieldCollation collation : collations) {
            boolean ascending = !collation.direction.isDescending();
            // Trino's default is NULLS LAST in both directions (the validator's null collation says the same)
            boolean nullsFirst = collation.nullDirection == RelFieldCollation.NullDirection.FIRST;
            keys.add(new SortKey(collation.getFieldIndex(), ascending, nullsFirst));
        }
        return keys;
    }

    private static long longLiteral(RexNode node)
    {
        if (node instanceof RexLiteral literal && literal.getValueAs(Long.class) != null) {
            return literal.getValueAs(Long.class);
        }
        throw new Unsupported("a LIMIT, OFFSET or frame offset that is not a constant");
    }

    private PlanNode join(LogicalJoin join)
    {
        PlanNode.JoinType type = switch (join.getJoinType()) {
            case INNER -> PlanNode.JoinType.INNER;
            case LEFT -> PlanNode.JoinType.LEFT;
            case RIGHT -> PlanNode.JoinType.RIGHT;
            case FULL -> PlanNode.JoinType.FULL;
            case SEMI -> PlanNode.JoinType.SEMI;
            case ANTI -> PlanNode.JoinType.ANTI;
            default -> throw new Unsupported("join type " + join.getJoinType());
        };
        PlanNode left = visit(join.getLeft());
        PlanNode right = visit(join.getRight());
        List<Type> both = new ArrayList<>(left.outputTypes());
        both.addAll(right.outputTypes());
        // only strict equalities are hash keys: the engine's hash join never matches NULL keys, so a
        // null-safe pair (a IS NOT DISTINCT FROM b) stays in the residual condition
        JoinInfo info = JoinInfo.createWithStrictEquality(join.getLeft(), join.getRight(), join.getCondition());
        List<Integer> leftKeys = new ArrayList<>();
        List<Integer> rightKeys = new ArrayList<>();
        for (int i = 0; i < info.leftKeys.size(); i++) {
            int leftKey = info.leftKeys.get(i);
            int rightKey = info.rightKeys.get(i);
            if (!left.outputTypes().get(leftKey).equals(right.outputTypes().get(rightKey))) {
                throw new Unsupported("join keys of different types");
            }
            leftKeys.add(leftKey);
            rightKeys.add(rightKey);
        }
        Optional<Expression> residual = Optional.empty();
        if (!info.nonEquiConditions.isEmpty()) {
            RexNode condition = RexUtil.composeConjunction(join.getCluster().getRexBuilder(), info.nonEquiConditions);
            residual = Optional.of(expression(condition, both));
        }
        if (leftKeys.isEmpty()) {
            return new PlanNode.NestedLoopJoin(nextId(), type, left, right, residual);
        }
        if ((type == PlanNode.JoinType.SEMI || type == PlanNode.JoinType.ANTI) && residual.isEmpty()
                && left instanceof PlanNode.NestedLoopJoin nested && nested.type() == PlanNode.JoinType.INNER
                && leftKeys.stream().allMatch(key -> key < nested.left().outputTypes().size())) {
            // a semi or anti join on columns of a nested loop join's left input (rows filtered by a scalar
            // subquery's value, then by EXISTS: TPC-H q22) filters that input first, which may then join on
            // the workers; the nested loop join keeps the same columns, left's then right's
            PlanNode filtered = equiJoin(join, type, nested.left(), right, leftKeys, rightKeys, residual);
            return new PlanNode.NestedLoopJoin(nextId(), PlanNode.JoinType.INNER, filtered, nested.right(), nested.condition());
        }
        return equiJoin(join, type, left, right, leftKeys, rightKeys, residual);
    }

    /** The equi-join of {@code left} and {@code right}: on the workers where it can be, else in the final stage. */
    private PlanNode equiJoin(LogicalJoin join, PlanNode.JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        Optional<PlanNode> stagesJoined = stagesJoin(type, left, right, leftKeys, rightKeys, residual);
        if (stagesJoined.isPresent()) {
            return stagesJoined.get();
        }
        Optional<PlanNode> colocated = colocatedJoin(type, left, right, leftKeys, rightKeys, residual);
        if (colocated.isPresent()) {
            return colocated.get();
        }
        Optional<PlanNode> intoStage = broadcastIntoStage(join, type, left, right, leftKeys, rightKeys, residual);
        if (intoStage.isPresent()) {
            return intoStage.get();
        }
        Optional<PlanNode> partitioned = partitionedJoin(join, type, left, right, leftKeys, rightKeys, residual);
        if (partitioned.isPresent()) {
            return partitioned.get();
        }
        Optional<PlanNode> onWorkers = broadcastJoin(type, left, right, leftKeys, rightKeys, residual);
        if (onWorkers.isPresent()) {
            return onWorkers.get();
        }
        return new PlanNode.Join(nextId(), type, left, right, leftKeys, rightKeys, residual, PlanNode.JoinDistribution.BROADCAST);
    }

    /**
     * A join of two plain scan stages (no aggregation, limit or pipeline in either) that keeps only
     * probe-side rows unmatched (INNER, LEFT, SEMI, ANTI) runs in the probe stage's tasks: its pipeline
     * joins the task's rows with the build stage's rows, which every task receives (BROADCAST). Returns
     * the remote source reading the probe stage, or empty when the join stays in the final stage. At
     * run time a build side too large to broadcast makes the coordinator run the pipeline itself.
     */
    private Optional<PlanNode> broadcastJoin(PlanNode.JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        if (type == PlanNode.JoinType.RIGHT || type == PlanNode.JoinType.FULL
                || !(left instanceof PlanNode.RemoteSource probeSource) || !(right instanceof PlanNode.RemoteSource buildSource)
                || probeSource.sourceStages().size() != 1 || buildSource.sourceStages().size() != 1) {
            return Optional.empty();
        }
        int probeStage = probeSource.sourceStages().getFirst();
        int buildStage = buildSource.sourceStages().getFirst();
        ScanStage probe = scans.get(probeStage);
        ScanStage build = scans.get(buildStage);
        if (probe == null || build == null || !plain(build) || !(plain(probe) || chainable(probeSource, probe))) {
            return Optional.empty();
        }
        // a probe stage already joining broadcast rows joins these too, in the same pipeline (a star join)
        PlanNode probeLeaf = plain(probe) ? new PlanNode.RemoteSource(nextId(), List.of(0), PlanNode.ExchangeType.GATHER, List.of(), probe.types())
                : probe.pipeline().orElseThrow();
        PlanNode buildLeaf = new PlanNode.RemoteSource(nextId(), List.of(buildStage), PlanNode.ExchangeType.BROADCAST, List.of(), build.types());
        PlanNode pipeline = new PlanNode.Join(nextId(), type, probeLeaf, buildLeaf, leftKeys, rightKeys, residual, PlanNode.JoinDistribution.BROADCAST);
        if (!sendable(pipeline)) {
            return Optional.empty();
        }
        scans.put(probeStage, new ScanStage(probe.scan(), Optional.of(pipeline), pipeline.outputTypes()));
        PlanNode.RemoteSource joined = new PlanNode.RemoteSource(probeSource.id(), List.of(probeStage), PlanNode.ExchangeType.GATHER, List.of(), pipeline.outputTypes());
        openPipelines.put(probeStage, joined);
        return Optional.of(joined);
    }

    /**
     * Whether the join above can join in the probe stage's pipeline: the pipeline is broadcast joins
     * (and the filters and projections above them) with nothing else on it yet, and the next build stage
     * is another one.
     */
    private boolean chainable(PlanNode.RemoteSource probeSource, ScanStage probe)
    {
        int stage = probeSource.sourceStages().getFirst();
        return openPipelines.get(stage) == probeSource && joinsBroadcast(probe)
                && probe.scan().aggregation().isEmpty() && probe.scan().limit().isEmpty();
    }

    /**
     * A join of two plain scan stages whose build side is estimated too large to broadcast
     * ({@link JoinStatistics#tooLargeToBroadcast}: the tables' statistics and Calcite's estimates), or any
     * such join when the session's {@code join_distribution_type} is PARTITIONED (never when BROADCAST), runs as a partitioned
     * join on the workers, of any join type: both scan stages hash-partition their rows on the join keys,
     * and one task per worker builds the hash table of its build partition and probes it with its probe
     * partition (a build row and the probe rows it matches always meet in one task, so unmatched rows of
     * either side are found there too). Filters, projections and a partial aggregation above the join
     * follow it into the stage. Returns the remote source gathering the stage's output, or empty.
     */
    private Optional<PlanNode> partitionedJoin(LogicalJoin join, PlanNode.JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        if (!(left instanceof PlanNode.RemoteSource probeSource) || !(right instanceof PlanNode.RemoteSource buildSource)
                || probeSource.sourceStages().size() != 1 || buildSource.sourceStages().size() != 1) {
            return Optional.empty();
        }
        int probeStage = probeSource.sourceStages().getFirst();
        int buildStage = buildSource.sourceStages().getFirst();
        ScanStage probe = scans.get(probeStage);
        ScanStage build = scans.get(buildStage);
        boolean partition = switch (joinDistribution) {
            case PARTITIONED -> true;
            case BROADCAST -> false;
            case AUTOMATIC -> build != null && JoinStatistics.tooLargeToBroadcast(join, maxBroadcastBytes);
        };
        if (probe == null || build == null || !plain(probe) || !plain(build) || !partition) {
            return Optional.empty();
        }
        PlanNode probeLeaf = new PlanNode.RemoteSource(nextId(), List.of(probeStage), PlanNode.ExchangeType.REPARTITION, List.of(), probe.types());
        PlanNode buildLeaf = new PlanNode.RemoteSource(nextId(), List.of(buildStage), PlanNode.ExchangeType.REPARTITION, List.of(), build.types());
        PlanNode plan = new PlanNode.Join(nextId(), type, probeLeaf, buildLeaf, leftKeys, rightKeys, residual, PlanNode.JoinDistribution.PARTITIONED);
        if (!sendable(plan)) {
            return Optional.empty();
        }
        int stage = nextStage++;
        // the build side first: the join reads all of it before the first probe row
        stages.put(stage, new PartitionedStage(plan, List.of(new PartitionedStage.Input(buildStage, rightKeys, true), new PartitionedStage.Input(probeStage, leftKeys, true))));
        PlanNode.RemoteSource gather = new PlanNode.RemoteSource(nextId(), List.of(stage), PlanNode.ExchangeType.GATHER, List.of(), plan.outputTypes());
        openStages.put(stage, gather);
        return Optional.of(gather);
    }

    /**
     * A join of a hash-partitioned stage's output (a FINAL aggregation, windows or a partitioned join,
     * with filters and projections above it) with a scan stage, on keys that are the columns the stage
     * is partitioned on, runs in that stage's tasks on the workers, of any join type: the scan's rows are
     * hash-partitioned on their join keys with the same hash and partition count, so a row of the scan
     * and the stage rows it matches meet in one task. The scan is a plain one or one whose pipeline joins
     * broadcast build sides (a star join). The side the join builds comes first among the stage's inputs.
     * Returns the remote source gathering the stage's output, or empty.
     */
    private Optional<PlanNode> colocatedJoin(PlanNode.JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        boolean stageOnRight = openStage(right).isPresent();
        PlanNode stageSide = stageOnRight ? right : left;
        PlanNode scanSide = stageOnRight ? left : right;
        Optional<Integer> stageId = openStage(stageSide);
        if (stageId.isEmpty() || openStage(scanSide).isPresent() || !(scanSide instanceof PlanNode.RemoteSource scanSource) || scanSource.sourceStages().size() != 1) {
            return Optional.empty();
        }
        int scanStageId = scanSource.sourceStages().getFirst();
        ScanStage scan = scans.get(scanStageId);
        if (scan == null || !(plain(scan) || chainable(scanSource, scan))) {
            return Optional.empty();
        }
        PartitionedStage stage = stages.get(stageId.get());
        List<Integer> stageKeys = stageOnRight ? rightKeys : leftKeys;
        List<Integer> scanKeys = stageOnRight ? leftKeys : rightKeys;
        Optional<List<Integer>> partitionKeys = colocatedKeys(stage, stageKeys, scanKeys);
        if (partitionKeys.isEmpty()) {
            return Optional.empty();
        }
        PlanNode scanLeaf = new PlanNode.RemoteSource(nextId(), List.of(scanStageId), PlanNode.ExchangeType.REPARTITION, List.of(), scan.types());
        PlanNode plan = stageOnRight
                ? new PlanNode.Join(nextId(), type, scanLeaf, stage.plan(), leftKeys, rightKeys, residual, PlanNode.JoinDistribution.PARTITIONED)
                : new PlanNode.Join(nextId(), type, stage.plan(), scanLeaf, leftKeys, rightKeys, residual, PlanNode.JoinDistribution.PARTITIONED);
        if (!sendable(plan)) {
            return Optional.empty();
        }
        // the join reads all of its build (right) side before its first probe row: the build side's inputs first
        List<PartitionedStage.Input> inputs = new ArrayList<>();
        PartitionedStage.Input scanInput = new PartitionedStage.Input(scanStageId, partitionKeys.get(), true);
        if (!stageOnRight) {
            inputs.add(scanInput);
        }
        inputs.addAll(stage.inputs());
        if (stageOnRight) {
            inputs.add(scanInput);
        }
        stages.put(stageId.get(), new PartitionedStage(plan, inputs));
        openPipelines.remove(scanStageId);
        PlanNode.RemoteSource gather = new PlanNode.RemoteSource(nextId(), List.of(stageId.get()), PlanNode.ExchangeType.GATHER, List.of(), plan.outputTypes());
        openStages.put(stageId.get(), gather);
        return Optional.of(gather);
    }

    /**
     * A join of two hash-partitioned stages' outputs (FINAL aggregations, windows or partitioned joins, with
     * filters and projections above) whose keys include, on each side, the columns that stage is partitioned
     * on, paired with each other in order: rows that match already lie in tasks of the same partition of both
     * stages, so the join runs in one stage whose tasks run both plans, of any join type (a join of joins, a
     * join with the HAVING of a grouping). Its inputs are the build side's inputs, then the probe side's, the
     * order the join reads them in. Returns the remote source gathering the stage's output, or empty.
     */
    private Optional<PlanNode> stagesJoin(PlanNode.JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        Optional<Integer> leftId = openStage(left);
        Optional<Integer> rightId = openStage(right);
        if (leftId.isEmpty() || rightId.isEmpty() || leftId.get().equals(rightId.get())) {
            return Optional.empty();
        }
        PartitionedStage leftStage = stages.get(leftId.get());
        PartitionedStage rightStage = stages.get(rightId.get());
        Optional<List<Integer>> rightColumns = colocatedKeys(leftStage, leftKeys, rightKeys);
        if (rightColumns.isEmpty()) {
            return Optional.empty();
        }
        Optional<StagePartitioning.Leaf> rightLeaf = StagePartitioning.trace(rightStage.plan(), rightColumns.get());
        if (rightLeaf.isEmpty() || rightStage.inputs().stream().noneMatch(input -> input.stage() == rightLeaf.get().stage() && input.keys().equals(rightLeaf.get().columns()))) {
            return Optional.empty();
        }
        PlanNode plan = new PlanNode.Join(nextId(), type, leftStage.plan(), rightStage.plan(), leftKeys, rightKeys, residual, PlanNode.JoinDistribution.PARTITIONED);
        if (!sendable(plan)) {
            return Optional.empty();
        }
        // the join reads all of its build (right) side before its first probe row
        List<PartitionedStage.Input> inputs = new ArrayList<>(rightStage.inputs());
        inputs.addAll(leftStage.inputs());
        stages.remove(rightId.get());
        openStages.remove(rightId.get());
        stages.put(leftId.get(), new PartitionedStage(plan, inputs));
        PlanNode.RemoteSource gather = new PlanNode.RemoteSource(nextId(), List.of(leftId.get()), PlanNode.ExchangeType.GATHER, List.of(), plan.outputTypes());
        openStages.put(leftId.get(), gather);
        return Optional.of(gather);
    }

    /**
     * A join of a hash-partitioned stage's output (the probe side) with a plain scan stage small enough to
     * broadcast (the build side), on keys other than the stage's partitioning, that keeps only probe-side
     * rows unmatched (INNER, LEFT, SEMI, ANTI): it runs in the stage's tasks, each joining its rows with all
     * of the build stage's rows, which the coordinator collects first and ships in every stage task (TPC-H
     * q20: the part and supplier pairs left by the quantity test, semi-joined with the parts named 'forest%').
     * Rows the stage would send to the coordinator to be joined there stay on the workers. Past the
     * broadcast limit at run time the coordinator runs the stage. Returns the remote source gathering the
     * stage's output, or empty.
     */
    private Optional<PlanNode> broadcastIntoStage(LogicalJoin join, PlanNode.JoinType type, PlanNode left, PlanNode right, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        Optional<Integer> stageId = openStage(left);
        if (stageId.isEmpty() || type == PlanNode.JoinType.RIGHT || type == PlanNode.JoinType.FULL
                || !(right instanceof PlanNode.RemoteSource buildSource) || buildSource.sourceStages().size() != 1) {
            return Optional.empty();
        }
        int buildStage = buildSource.sourceStages().getFirst();
        ScanStage build = scans.get(buildStage);
        boolean broadcast = switch (joinDistribution) {
            case PARTITIONED -> false;
            case BROADCAST -> true;
            case AUTOMATIC -> !JoinStatistics.tooLargeToBroadcast(join, maxBroadcastBytes);
        };
        if (build == null || !plain(build) || !broadcast) {
            return Optional.empty();
        }
        PartitionedStage stage = stages.get(stageId.get());
        PlanNode buildLeaf = new PlanNode.RemoteSource(nextId(), List.of(buildStage), PlanNode.ExchangeType.BROADCAST, List.of(), build.types());
        PlanNode plan = new PlanNode.Join(nextId(), type, stage.plan(), buildLeaf, leftKeys, rightKeys, residual, PlanNode.JoinDistribution.BROADCAST);
        if (!sendable(plan)) {
            return Optional.empty();
        }
        stages.put(stageId.get(), stage.withPlan(plan));
        PlanNode.RemoteSource gather = new PlanNode.RemoteSource(nextId(), List.of(stageId.get()), PlanNode.ExchangeType.GATHER, List.of(), plan.outputTypes());
        openStages.put(stageId.get(), gather);
        return Optional.of(gather);
    }

    /**
     * The columns of the other side to hash-partition on so that its rows meet the stage rows they match:
     * for an input of {@code stage}, the other side's key paired with each of that input's partitioning
     * columns, in their order. The join's keys need not all be partitioning columns, nor come in their
     * order (TPC-H q2 joins on the part and its minimum cost, q20 on the part and supplier in either order):
     * a subset that is the partitioning keys already brings equal rows together. Empty when no input's
     * partitioning columns are all among the join's stage-side keys.
     */
    private static Optional<List<Integer>> colocatedKeys(PartitionedStage stage, List<Integer> stageKeys, List<Integer> otherKeys)
    {
        List<Optional<StagePartitioning.Leaf>> traced = new ArrayList<>();
        for (int key : stageKeys) {
            traced.add(StagePartitioning.trace(stage.plan(), List.of(key)));
        }
        for (PartitionedStage.Input input : stage.inputs()) {
            List<Integer> keys = new ArrayList<>();
            for (int column : input.keys()) {
                for (int i = 0; i < stageKeys.size(); i++) {
                    Optional<StagePartitioning.Leaf> leaf = traced.get(i);
                    if (leaf.isPresent() && leaf.get().stage() == input.stage() && leaf.get().columns().equals(List.of(column))) {
                        keys.add(otherKeys.get(i));
                        break;
                    }
                }
            }
            if (!input.keys().isEmpty() && keys.size() == input.keys().size()) {
                return Optional.of(keys);
            }
        }
        return Optional.empty();
    }

    /** The partitioned stage {@code node} gathers while nothing but filters and projections were put on it. */
    private Optional<Integer> openStage(PlanNode node)
    {
        if (node instanceof PlanNode.RemoteSource remote && remote.sourceStages().size() == 1 && openStages.get(remote.sourceStages().getFirst()) == remote) {
            return Optional.of(remote.sourceStages().getFirst());
        }
        return Optional.empty();
    }

    private static boolean plain(ScanStage stage)
    {
        return stage.pipeline().isEmpty() && stage.scan().aggregation().isEmpty() && stage.scan().limit().isEmpty();
    }

    /** Whether a scan stage's pipeline joins its rows with a broadcast build side. */
    static boolean joinsBroadcast(ScanStage stage)
    {
        return stage.pipeline().isPresent() && broadcastStage(stage.pipeline().get()).isPresent();
    }

    /** Every stage whose rows a pipeline reads by broadcast (a chain of broadcast joins reads several), in plan order. */
    public static List<Integer> broadcastStages(PlanNode pipeline)
    {
        List<Integer> stages = new ArrayList<>();
        collectBroadcastStages(pipeline, stages);
        return List.copyOf(stages);
    }

    private static void collectBroadcastStages(PlanNode node, List<Integer> stages)
    {
        if (node instanceof PlanNode.RemoteSource remote && remote.exchangeType() == PlanNode.ExchangeType.BROADCAST) {
            stages.add(remote.sourceStages().getFirst());
        }
        node.sources().forEach(source -> collectBroadcastStages(source, stages));
    }

    /** The stage whose rows a pipeline reads by broadcast, if any. */
    public static Optional<Integer> broadcastStage(PlanNode pipeline)
    {
        if (pipeline instanceof PlanNode.RemoteSource remote && remote.exchangeType() == PlanNode.ExchangeType.BROADCAST) {
            return Optional.of(remote.sourceStages().getFirst());
        }
        for (PlanNode source : pipeline.sources()) {
            Optional<Integer> stage = broadcastStage(source);
            if (stage.isPresent()) {
                return stage;
            }
        }
        return Optional.empty();
    }

    /**
     * A lateral UNNEST: {@code t CROSS JOIN UNNEST(t.a, ...)} and {@code t LEFT JOIN UNNEST(t.a) ON true}
     * are a Correlate whose right side unnests expressions of the left row ({@code $cor.a}) from a
     * single-row VALUES, with projections (renaming, reordering) above. It becomes an Unnest node over
     * the left side that replicates the left columns (outer for LEFT). Any other correlation (a
     * subquery the decorrelator left) is not run.
     */
    private PlanNode correlate(Correlate correlate)
    {
        if (correlate.getJoinType() != JoinRelType.INNER && correlate.getJoinType() != JoinRelType.LEFT) {
            throw new Unsupported("a lateral " + correlate.getJoinType() + " join");
        }
        RelNode node = correlate.getRight();
        List<LogicalProject> above = new ArrayList<>();
        while (node instanceof LogicalProject project) {
            above.addFirst(project);
            node = project.getInput();
        }
        if (!(node instanceof Uncollect uncollect) || singleRowOperands(uncollect.getInput()).isEmpty()) {
            throw new Unsupported("a correlated subquery (Correlate) that cannot be turned into a join");
        }
        PlanNode left = visit(correlate.getLeft());
        int width = left.outputTypes().size();
        RexBuilder rexBuilder = correlate.getCluster().getRexBuilder();
        List<RexNode> operands = new ArrayList<>();
        for (RexNode operand : singleRowOperands(uncollect.getInput()).get()) {
            operands.add(withLeftRow(operand, correlate.getCorrelationId(), 0));
        }
        PlanNode current = unnest(left, operands, uncollect, correlate.getJoinType() == JoinRelType.LEFT, rexBuilder);
        for (LogicalProject project : above) {
            List<Expression> projections = new ArrayList<>();
            List<Type> currentTypes = current.outputTypes();
            for (int i = 0; i < width; i++) {
                projections.add(new Expression.InputRef(i, currentTypes.get(i)));
            }
            for (RexNode expression : project.getProjects()) {
                projections.add(expression(withLeftRow(expression, correlate.getCorrelationId(), width), currentTypes));
            }
            current = new PlanNode.Project(nextId(), current, projections);
        }
        if (!current.outputTypes().equals(types(correlate.getRowType()))) {
            throw new Unsupported("UNNEST typed " + current.outputTypes() + " for " + types(correlate.getRowType()));
        }
        return current;
    }

    /** {@code FROM UNNEST(...)} alone: the Uncollect of one row of expressions (or of any input's collection columns). */
    private PlanNode uncollect(Uncollect uncollect)
    {
        RexBuilder rexBuilder = uncollect.getCluster().getRexBuilder();
        Optional<List<RexNode>> operands = singleRowOperands(uncollect.getInput());
        PlanNode current;
        if (operands.isPresent()) {
            LogicalValues values = (LogicalValues) ((LogicalProject) uncollect.getInput()).getInput();
            current = unnest(visit(values), operands.get(), uncollect, false, rexBuilder);
            // the VALUES row's own columns are not part of the result
            int width = values.getRowType().getFieldCount();
            List<Expression> projections = new ArrayList<>();
            for (int i = width; i < current.outputTypes().size(); i++) {
                projections.add(new Expression.InputRef(i, current.outputTypes().get(i)));
            }
            current = new PlanNode.Project(nextId(), current, projections);
        }
        else {
            PlanNode source = visit(uncollect.getInput());
            List<RexNode> columns = new ArrayList<>();
            for (RelDataTypeField field : uncollect.getInput().getRowType().getFieldList()) {
                columns.add(new RexInputRef(field.getIndex(), field.getType()));
            }
            // nothing of the input row is replicated: unnest after projecting the collections alone
            current = unnest(source, columns, uncollect, false, rexBuilder);
            List<Expression> projections = new ArrayList<>();
            for (int i = source.outputTypes().size(); i < current.outputTypes().size(); i++) {
                projections.add(new Expression.InputRef(i, current.outputTypes().get(i)));
            }
            current = new PlanNode.Project(nextId(), current, projections);
        }
        if (!current.outputTypes().equals(types(uncollect.getRowType()))) {
            throw new Unsupported("UNNEST typed " + current.outputTypes() + " for " + types(uncollect.getRowType()));
        }
        return current;
    }

    /** The expressions an Uncollect unnests when its input is a projection of a single-row VALUES. */
    private static Optional<List<RexNode>> singleRowOperands(RelNode input)
    {
        if (input instanceof LogicalProject project && project.getInput() instanceof LogicalValues values && values.getTuples().size() == 1) {
            return Optional.of(project.getProjects());
        }
        return Optional.empty();
    }

    /** {@code $cor.f} (a field of the left row) as input ref {@code f}; other input refs moved by {@code shift}. */
    private static RexNode withLeftRow(RexNode node, CorrelationId correlation, int shift)
    {
        return node.accept(new RexShuttle()
        {
            @Override
            public RexNode visitInputRef(RexInputRef ref)
            {
                return shift == 0 ? ref : new RexInputRef(ref.getIndex() + shift, ref.getType());
            }

            @Override
            public RexNode visitFieldAccess(RexFieldAccess access)
            {
                if (access.getReferenceExpr() instanceof RexCorrelVariable variable && variable.id.equals(correlation)) {
                    return new RexInputRef(access.getField().getIndex(), access.getType());
                }
                return super.visitFieldAccess(access);
            }

            @Override
            public RexNode visitCorrelVariable(RexCorrelVariable variable)
            {
                if (variable.id.equals(correlation)) {
                    throw new Unsupported("a reference to a whole correlated row");
                }
                return variable;
            }
        });
    }

    /**
     * Unnests {@code operands} (expressions over {@code source}'s columns) next to every column of {@code source}: the output is the source's columns,
     * then what {@code uncollect} yields (elements, map keys and values, the fields of row elements,
     * and the ordinal, typed as Calcite types them). Zipped as in Trino when there are several. Array
     * and map constructors ({@code ARRAY[1, 2]}, {@code MAP[k, v]}) have their elements known from the
     * plan: the source's rows are joined with the ordinals 1..n and each output column picks the
     * ordinal's element ({@code CASE}), so no collection value is built.
     */
    private PlanNode unnest(PlanNode source, List<RexNode> operands, Uncollect uncollect, boolean outer, RexBuilder rexBuilder)
    {
        int width = source.outputTypes().size();
        List<Type> uncollectTypes = types(uncollect.getRowType());
        List<Integer> widths = new ArrayList<>();
        boolean aliased = !uncollect.getItemAliases().isEmpty();
        for (RexNode operand : operands) {
            RelDataType type = operand.getType();
            if (type.getSqlTypeName() == SqlTypeName.MAP) {
                widths.add(2);
            }
            else if (type.getComponentType() != null) {
                widths.add(!aliased && type.getComponentType().isStruct() ? type.getComponentType().getFieldCount() : 1);
            }
            else {
                throw new Unsupported("UNNEST of " + type.getFullTypeString());
            }
        }
        int elementColumns = widths.stream().mapToInt(Integer::intValue).sum();
        if (elementColumns + (uncollect.withOrdinality ? 1 : 0) != uncollectTypes.size()) {
            throw new Unsupported("UNNEST of " + operands + " typed " + uncollectTypes);
        }
        List<Type> outputTypes = new ArrayList<>(source.outputTypes());
        outputTypes.addAll(uncollectTypes.subList(0, elementColumns));
        PlanNode unnested;
        if (operands.stream().allMatch(PhysicalPlanner::isConstructor)) {
            unnested = unnestConstructors(source, operands, aliased, uncollect.withOrdinality, outer, outputTypes, rexBuilder);
        }
        else {
            List<Expression> collections = new ArrayList<>();
            for (RexNode operand : operands) {
                collections.add(expression(operand, source));
            }
            PlanNode input = source;
            List<Integer> unnestColumns = new ArrayList<>();
            if (collections.stream().allMatch(expression -> expression instanceof Expression.InputRef)) {
                collections.forEach(expression -> unnestColumns.add(((Expression.InputRef) expression).index()));
            }
            else {
                List<Expression> projections = new ArrayList<>();
                for (int i = 0; i < width; i++) {
                    projections.add(new Expression.InputRef(i, source.outputTypes().get(i)));
                }
                for (Expression collection : collections) {
                    unnestColumns.add(projections.size());
                    projections.add(collection);
                }
                input = new PlanNode.Project(nextId(), source, projections);
            }
            List<Integer> replicate = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                replicate.add(i);
            }
            List<Type> unnestTypes = new ArrayList<>(outputTypes);
            if (uncollect.withOrdinality) {
                unnestTypes.add(Type.BIGINT);
            }
            unnested = new PlanNode.Unnest(nextId(), input, replicate, unnestColumns, uncollect.withOrdinality, outer, unnestTypes);
        }
        if (!uncollect.withOrdinality) {
            return unnested;
        }
        // the engine counts in bigint, as Trino types the ordinal (and UnnestOrdinality makes Calcite type it)
        Type ordinalType = uncollectTypes.getLast();
        List<Expression> projections = new ArrayList<>();
        List<Type> types = unnested.outputTypes();
        for (int i = 0; i < types.size() - 1; i++) {
            projections.add(new Expression.InputRef(i, types.get(i)));
        }
        Expression ordinal = new Expression.InputRef(types.size() - 1, types.getLast());
        projections.add(ordinalType.equals(ordinal.type()) ? ordinal : new Expression.Call(Expression.Operator.CAST, List.of(ordinal), ordinalType));
        return new PlanNode.Project(nextId(), unnested, projections);
    }

    private static boolean isConstructor(RexNode node)
    {
        return node.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR || node.getKind() == SqlKind.MAP_VALUE_CONSTRUCTOR;
    }

    /**
     * UNNEST of array and map constructors: the source joined with the ordinals 1..n (n the longest
     * constructor; with none and {@code outer}, one NULL ordinal), projected to the source's columns and,
     * per output column, {@code CASE ordinal WHEN i THEN element i END} (NULL past a shorter one's end).
     * The output ends with the bigint ordinal when {@code ordinality}.
     */
    private PlanNode unnestConstructors(PlanNode source, List<RexNode> operands, boolean aliased, boolean ordinality, boolean outer,
            List<Type> outputTypes, RexBuilder rexBuilder)
    {
        int width = source.outputTypes().size();
        int length = 0;
        for (RexNode operand : operands) {
            RexCall call = (RexCall) operand;
            length = Math.max(length, operand.getKind() == SqlKind.MAP_VALUE_CONSTRUCTOR ? call.getOperands().size() / 2 : call.getOperands().size());
        }
        List<List<Object>> ordinals = new ArrayList<>();
        for (long i = 1; i <= length; i++) {
            ordinals.add(List.of(i));
        }
        if (length == 0 && outer) {
            ordinals.add(java.util.Collections.singletonList(null));
        }
        PlanNode joined = new PlanNode.NestedLoopJoin(nextId(), PlanNode.JoinType.INNER, source,
                new PlanNode.Values(nextId(), List.of(Type.BIGINT), ordinals), Optional.empty());
        List<Type> joinedTypes = joined.outputTypes();
        RexNode ordinal = new RexInputRef(width, rexBuilder.getTypeFactory().createTypeWithNullability(
                rexBuilder.getTypeFactory().createSqlType(SqlTypeName.BIGINT), true));
        List<Expression> projections = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            projections.add(new Expression.InputRef(i, joinedTypes.get(i)));
        }
        for (RexNode operand : operands) {
            RexCall call = (RexCall) operand;
            RelDataType type = operand.getType();
            List<List<RexNode>> columns = new ArrayList<>();
            List<RelDataType> columnTypes = new ArrayList<>();
            if (operand.getKind() == SqlKind.MAP_VALUE_CONSTRUCTOR) {
                List<RexNode> keys = new ArrayList<>();
                List<RexNode> values = new ArrayList<>();
                for (int i = 0; i < call.getOperands().size(); i += 2) {
                    keys.add(call.getOperands().get(i));
                    values.add(call.getOperands().get(i + 1));
                }
                columns.add(keys);
                columns.add(values);
                columnTypes.add(type.getKeyType());
                columnTypes.add(type.getValueType());
            }
            else if (type.getComponentType().isStruct() && !aliased) {
                // rows expanded into one column per field
                RelDataType row = type.getComponentType();
                for (RelDataTypeField field : row.getFieldList()) {
                    List<RexNode> fields = new ArrayList<>();
                    for (RexNode element : call.getOperands()) {
                        fields.add(element.getKind() == SqlKind.ROW ? ((RexCall) element).getOperands().get(field.getIndex())
                                : rexBuilder.makeFieldAccess(element, field.getIndex()));
                    }
                    columns.add(fields);
                    columnTypes.add(field.getType());
                }
            }
            else {
                columns.add(call.getOperands());
                columnTypes.add(type.getComponentType());
            }
            for (int c = 0; c < columns.size(); c++) {
                RelDataType columnType = rexBuilder.getTypeFactory().createTypeWithNullability(columnTypes.get(c), true);
                List<RexNode> caseOperands = new ArrayList<>();
                List<RexNode> elements = columns.get(c);
                for (int i = 0; i < elements.size(); i++) {
                    caseOperands.add(rexBuilder.makeCall(SqlStdOperatorTable.EQUALS, ordinal, rexBuilder.makeBigintLiteral(java.math.BigDecimal.valueOf(i + 1))));
                    caseOperands.add(rexBuilder.makeCast(columnType, elements.get(i), true, false));
                }
                caseOperands.add(rexBuilder.makeNullLiteral(columnType));
                RexNode pick = elements.isEmpty() ? rexBuilder.makeNullLiteral(columnType) : rexBuilder.makeCall(columnType, SqlStdOperatorTable.CASE, caseOperands);
                projections.add(expression(pick, joinedTypes));
            }
        }
        if (projections.size() != outputTypes.size()) {
            throw new Unsupported("UNNEST of " + operands);
        }
        for (int i = width; i < projections.size(); i++) {
            Expression projection = projections.get(i);
            if (!projection.type().equals(outputTypes.get(i))) {
                projections.set(i, new Expression.Call(Expression.Operator.CAST, List.of(projection), outputTypes.get(i)));
            }
        }
        if (ordinality) {
            projections.add(new Expression.InputRef(width, Type.BIGINT));
        }
        return new PlanNode.Project(nextId(), joined, projections);
    }

    /** Each group of window functions (same partitioning, order and frame) becomes one Window node. */
    private PlanNode window(LogicalWindow window)
    {
        PlanNode source = visit(window.getInput());
        int inputCount = window.getInput().getRowType().getFieldCount();
        List<Type> outputTypes = types(window.getRowType());
        int output = inputCount;
        List<PlanNode.Window> windows = new ArrayList<>();
        PlanNode current = source;
        for (Window.Group group : window.groups) {
            List<Integer> partitionKeys = new ArrayList<>(group.keys.asList());
            List<SortKey> orderKeys = sortKeys(group.orderKeys.getFieldCollations());
            WindowFunction.Frame frame = frame(window, group);
            List<WindowFunction> functions = new ArrayList<>();
            for (Window.RexWinAggCall call : group.aggCalls) {
                functions.add(windowFunction(window, call, source.outputTypes(), frame, outputTypes.get(output++)));
            }
            current = new PlanNode.Window(nextId(), current, partitionKeys, orderKeys, functions);
            windows.add((PlanNode.Window) current);
        }
        return partitionedWindow(source, windows).orElse(current);
    }

    /**
     * Windows over a plain scan stage whose groups all partition by some common columns run on the
     * workers: the scan tasks hash-partition their rows on those columns (every partition of every window
     * then lies in one stage task) and one task per worker computes the windows over its rows. Returns
     * the remote source gathering the stage's output, or empty when the windows stay in this stage.
     */
    private Optional<PlanNode> partitionedWindow(PlanNode source, List<PlanNode.Window> windows)
    {
        if (!(source instanceof PlanNode.RemoteSource remote) || remote.sourceStages().size() != 1) {
            return Optional.empty();
        }
        int scanStage = remote.sourceStages().getFirst();
        ScanStage scan = scans.get(scanStage);
        if (scan == null || !plain(scan)) {
            return Optional.empty();
        }
        List<Integer> keys = new ArrayList<>(windows.getFirst().partitionKeys());
        for (PlanNode.Window window : windows) {
            keys.retainAll(window.partitionKeys());
        }
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        PlanNode plan = new PlanNode.RemoteSource(nextId(), List.of(scanStage), PlanNode.ExchangeType.REPARTITION, List.of(), scan.types());
        for (PlanNode.Window window : windows) {
            plan = new PlanNode.Window(window.id(), plan, window.partitionKeys(), window.orderKeys(), window.functions());
        }
        if (!sendable(plan)) {
            return Optional.empty();
        }
        int stage = nextStage++;
        stages.put(stage, new PartitionedStage(plan, scanStage, keys));
        PlanNode.RemoteSource gather = new PlanNode.RemoteSource(nextId(), List.of(stage), PlanNode.ExchangeType.GATHER, List.of(), plan.outputTypes());
        openStages.put(stage, gather);
        return Optional.of(gather);
    }

    private static WindowFunction.Frame frame(LogicalWindow window, Window.Group group)
    {
        WindowFunction.FrameType type = group.isRows ? WindowFunction.FrameType.ROWS : WindowFunction.FrameType.RANGE;
        return new WindowFunction.Frame(type, bound(window, group.lowerBound), bound(window, group.upperBound));
    }

    private static WindowFunction.Bound bound(LogicalWindow window, RexWindowBound bound)
    {
        if (bound.isUnbounded()) {
            return new WindowFunction.Bound(bound.isPreceding() ? WindowFunction.BoundType.UNBOUNDED_PRECEDING : WindowFunction.BoundType.UNBOUNDED_FOLLOWING, 0);
        }
        if (bound.isCurrentRow()) {
            return new WindowFunction.Bound(WindowFunction.BoundType.CURRENT_ROW, 0);
        }
        RexNode offsetNode = bound.getOffset();
        // ROWS BETWEEN 2 PRECEDING ...: the offset is one of the window's constants
        if (offsetNode instanceof RexInputRef ref && ref.getIndex() >= window.getInput().getRowType().getFieldCount()) {
            offsetNode = window.constants.get(ref.getIndex() - window.getInput().getRowType().getFieldCount());
        }
        long offset = longLiteral(offsetNode);
        return new WindowFunction.Bound(bound.isPreceding() ? WindowFunction.BoundType.PRECEDING : WindowFunction.BoundType.FOLLOWING, offset);
    }

    /** Whether values of {@code a} are stored as values of {@code b} are: the same type, or varchars of any lengths. */
    private static boolean sameValues(Type a, Type b)
    {
        return a.equals(b) || a instanceof Type.Varchar && b instanceof Type.Varchar;
    }

    private static WindowFunction windowFunction(LogicalWindow window, Window.RexWinAggCall call, List<Type> inputTypes, WindowFunction.Frame frame, Type type)
    {
        int inputCount = inputTypes.size();
        String name = switch (call.getOperator().getKind()) {
            case ROW_NUMBER -> "row_number";
            case RANK -> "rank";
            case DENSE_RANK -> "dense_rank";
            case PERCENT_RANK -> "percent_rank";
            case CUME_DIST -> "cume_dist";
            case NTILE -> "ntile";
            case LAG -> "lag";
            case LEAD -> "lead";
            case FIRST_VALUE -> "first_value";
            case LAST_VALUE -> "last_value";
            case NTH_VALUE -> "nth_value";
            case COUNT -> "count";
            case SUM -> "sum";
            // Calcite writes SUM(x) OVER w as CASE WHEN COUNT(x) OVER w > 0 THEN SUM0(x) OVER w END
            case SUM0 -> "sum";
            case AVG -> "avg";
            case MIN -> "min";
            case MAX -> "max";
            default -> throw new Unsupported("window function " + call.getOperator().getName());
        };
        if (call.distinct) {
            throw new Unsupported("DISTINCT in a window function");
        }
        List<Integer> arguments = new ArrayList<>();
        List<Object> constants = new ArrayList<>();
        List<RexNode> operands = call.getOperands();
        boolean offsetColumn = false;
        for (int i = 0; i < operands.size(); i++) {
            RexNode operand = operands.get(i);
            if (operand instanceof RexInputRef ref && ref.getIndex() < inputCount) {
                if (i == 1 && (name.equals("lag") || name.equals("lead")) && arguments.size() == 1) {
                    // lag(x, k): an offset that is an expression of the row (Calcite computes it into a column
                    // below the window), read row by row; the marker constant says so
                    arguments.add(ref.getIndex());
                    constants.add(WindowFunction.OFFSET_COLUMN);
                    offsetColumn = true;
                    continue;
                }
                if (i == 2 && (name.equals("lag") || name.equals("lead")) && arguments.size() == (offsetColumn ? 2 : 1)) {
                    // lag(x, k, y): the default is a column (Calcite computes an expression into one below the window)
                    Type valueType = inputTypes.get(arguments.getFirst());
                    Type defaultType = inputTypes.get(ref.getIndex());
                    if (!sameValues(defaultType, valueType) || !sameValues(valueType, type)) {
                        throw new Unsupported(name + " with a default of type " + defaultType.trinoName() + " for a value of type " + valueType.trinoName());
                    }
                    arguments.add(ref.getIndex());
                    continue;
                }
                if (!constants.isEmpty()) {
                    throw new Unsupported("a window function argument that is a column after a constant (" + call.getOperator().getName().toLowerCase(java.util.Locale.ROOT) + ")");
                }
                arguments.add(ref.getIndex());
            }
            else {
                RexLiteral literal = operand instanceof RexInputRef ref ? window.constants.get(ref.getIndex() - inputCount)
                        : operand instanceof RexLiteral direct ? direct : null;
                if (literal == null) {
                    throw new Unsupported("window argument " + operand);
                }
                Expression value = new RexTranslator(List.of()).translate(literal).orElseThrow(() -> new Unsupported("window constant"));
                constants.add(((Expression.Literal) value).value());
            }
        }
        return new WindowFunction(name, arguments, constants, type, call.ignoreNulls, frame);
    }

    private static Expression expression(RexNode node, PlanNode source)
    {
        return expression(node, source.outputTypes());
    }

    private static Expression expression(RexNode node, List<Type> types)
    {
        List<Expression> inputs = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            inputs.add(new Expression.InputRef(i, types.get(i)));
        }
        RexTranslator translator = new RexTranslator(inputs);
        RexNode expanded = withoutDistinctFrom(node);
        return translator.translate(expanded).orElseThrow(() -> new Unsupported(untranslatable(expanded, translator)));
    }

    private static final RexBuilder REX_BUILDER = new RexBuilder(new org.apache.calcite.jdbc.JavaTypeFactoryImpl(GlauxTypeSystem.INSTANCE));

    /** {@code a IS [NOT] DISTINCT FROM b} as comparisons and NULL tests. */
    private static RexNode withoutDistinctFrom(RexNode node)
    {
        return node.accept(new RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                RexCall visited = (RexCall) super.visitCall(call);
                if (visited.getKind() == SqlKind.IS_DISTINCT_FROM || visited.getKind() == SqlKind.IS_NOT_DISTINCT_FROM) {
                    // (its last argument, despite its name, is true for IS NOT DISTINCT FROM)
                    return org.apache.calcite.plan.RelOptUtil.isDistinctFrom(REX_BUILDER, visited.getOperands().get(0), visited.getOperands().get(1),
                            visited.getKind() == SqlKind.IS_NOT_DISTINCT_FROM);
                }
                return visited;
            }
        });
    }

    /** Names the innermost part of an expression the engine cannot run: a function with its argument types, a subquery, ... */
    private static String untranslatable(RexNode node, RexTranslator translator)
    {
        if (node instanceof RexCall call) {
            for (RexNode operand : call.getOperands()) {
                if (translator.translate(operand).isEmpty()) {
                    return untranslatable(operand, translator);
                }
            }
            if (node instanceof org.apache.calcite.rex.RexSubQuery) {
                return "the subquery " + node.getKind().sql;
            }
            if (node instanceof org.apache.calcite.rex.RexOver) {
                return "the window function " + call.getOperator().getName().toLowerCase(java.util.Locale.ROOT);
            }
            List<String> argumentTypes = call.getOperands().stream().map(operand -> trinoTypeName(operand.getType())).toList();
            String name = call.getOperator().getName().toLowerCase(java.util.Locale.ROOT);
            return switch (call.getKind()) {
                case CAST -> "CAST(" + argumentTypes.getFirst() + " AS " + trinoTypeName(call.getType()) + ")";
                case ARRAY_VALUE_CONSTRUCTOR -> "the ARRAY constructor here (array values are not built in the engine yet)";
                case MAP_VALUE_CONSTRUCTOR -> "the MAP constructor here (map values are not built in the engine yet)";
                case ROW -> "the ROW constructor";
                default -> "the function " + name + "(" + String.join(", ", argumentTypes) + ") returning " + trinoTypeName(call.getType());
            };
        }
        if (node instanceof RexFieldAccess access) {
            return "the field access " + access;
        }
        if (node instanceof RexInputRef || node instanceof org.apache.calcite.rex.RexLiteral) {
            return "a value of type " + trinoTypeName(node.getType());
        }
        return "the expression " + node;
    }

    private static String trinoTypeName(RelDataType type)
    {
        try {
            return TypeMapping.fromRelType(type).trinoName();
        }
        catch (RuntimeException e) {
            return type.getFullTypeString();
        }
    }

    private static List<Type> types(RelDataType rowType)
    {
        List<Type> types = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            if (field.getType().getSqlTypeName() == SqlTypeName.NULL) {
                // a column of NULLs only (VALUES (NULL), (NULL)): Trino's unknown type, which is boolean underneath
                types.add(Type.BOOLEAN);
                continue;
            }
            try {
                types.add(TypeMapping.fromRelType(field.getType()));
            }
            catch (RuntimeException e) {
                throw new Unsupported("values of type " + field.getType().getFullTypeString());
            }
        }
        return types;
    }
}
