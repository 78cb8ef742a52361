package io.glaux.coordinator.execution;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.coordinator.planner.GlauxTableScan;
import io.glaux.engine.exchange.KeySummary;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Dynamic filtering of a join: the build side's key values, collected on the coordinator before the
 * probe scan starts (a broadcast join's build rows; for a partitioned join, what its build scan's tasks
 * reported, {@link #ofKeys}), narrow the probe scan. A key column gets the set of the build keys (at
 * most {@link #MAX_ROW_VALUES}), or for integers and dates their min/max range. Two things use it:
 * <ul>
 * <li>the scan's pruning domain ({@link #forPruning}: sets of at most {@link #MAX_VALUES}, larger ones
 * as their range), so that partitions and Parquet row groups whose statistics exclude every build key
 * are never read;</li>
 * <li>a row filter ({@link #rowFilter}, the fragment's {@code dynamicFilter}): the scan tasks drop the
 * rows whose key is not in the set (or range) before projecting them and sending them through the
 * joins (a star join's later, selective joins no longer see the rows an earlier join would have made
 * from them). A worker stops evaluating it once it keeps nearly every row.</li>
 * </ul>
 * It applies to the joins that drop the probe rows without a match (INNER, RIGHT, SEMI), on probe keys
 * that are the scan's columns, and build keys of the same type (NULL keys never match).
 */
final class DynamicFilter
{
    /** The most build key values a key column's pruning domain lists one by one; past it, a range (or nothing). */
    static final int MAX_VALUES = 256;
    /** The most build key values the row filter tests a key against as a set; past it, a range (or nothing). */
    static final int MAX_ROW_VALUES = 16 * 1024;

    private DynamicFilter() {}

    /**
     * The domain that the build rows {@code buildRows} of stage {@code buildStageId} put on the scan
     * {@code scan}, whose tasks run {@code pipeline}; {@link TupleDomain#all()} when nothing narrows.
     */
    static TupleDomain of(GlauxTableScan scan, Optional<PlanNode> pipeline, int buildStageId, List<VectorSchemaRoot> buildRows)
    {
        Optional<PlanNode.Join> found = pipeline.flatMap(node -> probeJoin(node, buildStageId));
        if (found.isEmpty()) {
            return TupleDomain.all();
        }
        PlanNode.Join join = found.get();
        Map<String, Domain> domains = new HashMap<>();
        for (int i = 0; i < join.leftKeys().size(); i++) {
            OptionalInt output = scanOutput(join.left(), join.leftKeys().get(i));
            Optional<ColumnHandle> column = output.isPresent() ? scanColumn(scan, output.getAsInt()) : Optional.empty();
            int buildKey = join.rightKeys().get(i);
            Type buildType = join.right().outputTypes().get(buildKey);
            if (column.isEmpty() || !column.get().type().equals(buildType)) {
                continue;
            }
            Optional<Domain> domain = keyDomain(buildRows, buildKey, buildType);
            if (domain.isPresent() && domain.get().ranges().isEmpty()) {
                // no build key can match: no probe row joins
                return TupleDomain.nothing();
            }
            domain.ifPresent(keys -> domains.put(column.get().name().toLowerCase(Locale.ROOT), keys));
        }
        return domains.isEmpty() ? TupleDomain.all() : new TupleDomain(domains, false);
    }

    /**
     * The partitioned join of stage plan {@code plan} whose probe (left) side is the rows of scan stage
     * {@code probeStage} and whose build side those of {@code buildStage}, when it drops the probe rows
     * without a match (INNER, RIGHT, SEMI).
     */
    static Optional<PlanNode.Join> partitionedJoin(PlanNode plan, int probeStage, int buildStage)
    {
        if (plan instanceof PlanNode.Join join
                && (join.type() == PlanNode.JoinType.INNER || join.type() == PlanNode.JoinType.RIGHT || join.type() == PlanNode.JoinType.SEMI)
                && join.left() instanceof PlanNode.RemoteSource probe && probe.sourceStages().equals(List.of(probeStage))
                && join.right() instanceof PlanNode.RemoteSource build && build.sourceStages().equals(List.of(buildStage))) {
            return Optional.of(join);
        }
        for (PlanNode source : plan.sources()) {
            Optional<PlanNode.Join> found = partitionedJoin(source, probeStage, buildStage);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The domain that the build side's keys, as its scan tasks reported them ({@code summary}, over the
     * build stage's partitioning keys {@code buildKeys}), put on the probe side's scan {@code scan} (whose
     * tasks run {@code pipeline}) of the partitioned join {@code join}; {@link TupleDomain#nothing()} when no build row has a non-NULL key.
     */
    static TupleDomain ofKeys(GlauxTableScan scan, Optional<PlanNode> pipeline, PlanNode.Join join, List<Integer> buildKeys, List<KeySummary.Key> summary)
    {
        Map<String, Domain> domains = new HashMap<>();
        for (int i = 0; i < join.leftKeys().size(); i++) {
            int index = buildKeys.indexOf(join.rightKeys().get(i));
            if (index < 0 || index >= summary.size()) {
                continue;
            }
            KeySummary.Key key = summary.get(index);
            if (key.state() == KeySummary.State.EMPTY) {
                return TupleDomain.nothing();
            }
            // (the probe stage's rows are its scan's, or what its tasks' pipeline makes of them)
            OptionalInt output = pipeline.isPresent() ? scanOutput(pipeline.get(), join.leftKeys().get(i)) : OptionalInt.of(join.leftKeys().get(i));
            Optional<ColumnHandle> column = output.isPresent() ? scanColumn(scan, output.getAsInt()) : Optional.empty();
            Type buildType = join.right().outputTypes().get(join.rightKeys().get(i));
            if (key.state() == KeySummary.State.UNKNOWN || column.isEmpty() || !column.get().type().equals(buildType) || !integral(buildType)) {
                continue;
            }
            List<Range> ranges = new ArrayList<>();
            if (key.state() == KeySummary.State.VALUES && key.values().length <= MAX_ROW_VALUES) {
                for (long value : key.values()) {
                    ranges.add(Range.equal(value));
                }
            }
            else {
                ranges.add(new Range(key.min(), true, key.max(), true));
            }
            domains.put(column.get().name().toLowerCase(Locale.ROOT), new Domain(ranges, false));
        }
        return domains.isEmpty() ? TupleDomain.all() : new TupleDomain(domains, false);
    }

    private static boolean integral(Type type)
    {
        return type == Type.BIGINT || type == Type.INTEGER || type == Type.SMALLINT || type == Type.TINYINT || type == Type.DATE;
    }

    /** {@code domain} narrowed by {@code dynamic}: a column both constrain keeps {@code domain}'s (either is sound for pruning). */
    static TupleDomain narrowed(TupleDomain domain, TupleDomain dynamic)
    {
        if (dynamic.isNone()) {
            return TupleDomain.nothing();
        }
        if (domain.isNone() || dynamic.domains().isEmpty()) {
            return domain;
        }
        Map<String, Domain> domains = new HashMap<>(dynamic.domains());
        domains.putAll(domain.domains());
        return new TupleDomain(domains, false);
    }

    /**
     * {@code dynamic} as a pruning domain: a set of more than {@link #MAX_VALUES} values becomes the
     * range from its least to its greatest (for varchar: no constraint), which statistics test quickly.
     */
    static TupleDomain forPruning(TupleDomain dynamic)
    {
        if (dynamic.isNone() || dynamic.domains().isEmpty()) {
            return dynamic;
        }
        Map<String, Domain> domains = new HashMap<>();
        for (Map.Entry<String, Domain> entry : dynamic.domains().entrySet()) {
            List<Range> ranges = entry.getValue().ranges();
            if (ranges.size() <= MAX_VALUES) {
                domains.put(entry.getKey(), entry.getValue());
            }
            else if (ranges.getFirst().low() instanceof Long && ranges.getLast().high() instanceof Long) {
                domains.put(entry.getKey(), new Domain(List.of(new Range(ranges.getFirst().low(), true, ranges.getLast().high(), true)), false));
            }
        }
        return domains.isEmpty() ? TupleDomain.all() : new TupleDomain(domains, false);
    }

    /**
     * The row filter over {@code columns} (a fragment's) that {@code dynamic} (what {@link #of} found,
     * narrowed over several joins) puts on the rows: per constrained regular column, {@code IN} its
     * values or {@code BETWEEN} its range; partition columns are left to the pruning. Empty when
     * nothing constrains a row.
     */
    static Optional<Expression> rowFilter(TupleDomain dynamic, List<ColumnHandle> columns)
    {
        if (dynamic.isNone() || dynamic.domains().isEmpty()) {
            return Optional.empty();
        }
        List<Expression> conjuncts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnHandle column = columns.get(i);
            Domain domain = dynamic.domains().get(column.name().toLowerCase(Locale.ROOT));
            if (domain == null || column.kind() != ColumnHandle.Kind.REGULAR || domain.ranges().isEmpty()) {
                continue;
            }
            Expression.InputRef ref = new Expression.InputRef(i, column.type());
            List<Range> ranges = domain.ranges();
            boolean values = ranges.stream().allMatch(range -> range.low() != null && range.low().equals(range.high()) && range.lowInclusive() && range.highInclusive());
            if (values && ranges.size() > 1 && ranges.getFirst().low() instanceof Long first && ranges.getLast().low() instanceof Long last
                    && last - first == ranges.size() - 1) {
                // every integer from the least to the greatest (a whole dimension's keys): the range says the same, cheaper
                ranges = List.of(new Range(first, true, last, true));
                values = false;
            }
            if (values) {
                List<Expression> arguments = new ArrayList<>(ranges.size() + 1);
                arguments.add(ref);
                ranges.forEach(range -> arguments.add(new Expression.Literal(range.low(), column.type())));
                conjuncts.add(arguments.size() == 2
                        ? new Expression.Call(Expression.Operator.EQUAL, arguments, Type.BOOLEAN)
                        : new Expression.Call(Expression.Operator.IN, arguments, Type.BOOLEAN));
            }
            else if (ranges.size() == 1 && ranges.getFirst().low() instanceof Long low && ranges.getFirst().high() instanceof Long high) {
                conjuncts.add(new Expression.Call(Expression.Operator.AND, List.of(
                        new Expression.Call(Expression.Operator.GREATER_THAN_OR_EQUAL, List.of(ref, new Expression.Literal(low, column.type())), Type.BOOLEAN),
                        new Expression.Call(Expression.Operator.LESS_THAN_OR_EQUAL, List.of(ref, new Expression.Literal(high, column.type())), Type.BOOLEAN)),
                        Type.BOOLEAN));
            }
        }
        if (conjuncts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(conjuncts.size() == 1 ? conjuncts.getFirst() : new Expression.Call(Expression.Operator.AND, conjuncts, Type.BOOLEAN));
    }

    /** {@code dynamic} in a few words, for EXPLAIN ANALYZE: per column its number of values, or its range. */
    static String describe(TupleDomain dynamic)
    {
        if (dynamic.isNone()) {
            return "(no build key: nothing is read)";
        }
        List<String> columns = new ArrayList<>();
        new java.util.TreeMap<>(dynamic.domains()).forEach((name, domain) -> {
            List<Range> ranges = domain.ranges();
            boolean values = ranges.stream().allMatch(range -> range.low() != null && range.low().equals(range.high()));
            columns.add(values
                    ? "%s in %,d value%s".formatted(name, ranges.size(), ranges.size() == 1 ? "" : "s")
                    : ranges.size() == 1 ? "%s in [%s, %s]".formatted(name, ranges.getFirst().low(), ranges.getFirst().high()) : name);
        });
        return String.join(", ", columns);
    }

    /** The join of {@code node} (or below it) that probes the scan's rows with build stage {@code buildStageId}, when it drops unmatched probe rows. */
    private static Optional<PlanNode.Join> probeJoin(PlanNode node, int buildStageId)
    {
        // a residual condition only drops more of the matches
        if (node instanceof PlanNode.Join join
                && (join.type() == PlanNode.JoinType.INNER || join.type() == PlanNode.JoinType.RIGHT || join.type() == PlanNode.JoinType.SEMI)) {
            if (join.right() instanceof PlanNode.RemoteSource build && build.exchangeType() == PlanNode.ExchangeType.BROADCAST
                    && build.sourceStages().equals(List.of(buildStageId))) {
                return Optional.of(join);
            }
        }
        for (PlanNode source : node.sources()) {
            Optional<PlanNode.Join> found = probeJoin(source, buildStageId);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The scan output column (of the pipeline's GATHER remote source) that column {@code column} of
     * {@code node} is, followed down through plain projections, filters, and the probe side of the joins
     * below (a star join's lower joins), which drop or repeat rows but keep the probe's values.
     */
    private static OptionalInt scanOutput(PlanNode node, int column)
    {
        return switch (node) {
            case PlanNode.RemoteSource source when source.exchangeType() == PlanNode.ExchangeType.GATHER -> OptionalInt.of(column);
            case PlanNode.Filter filter -> scanOutput(filter.source(), column);
            case PlanNode.Project project when project.projections().get(column) instanceof Expression.InputRef ref -> scanOutput(project.source(), ref.index());
            case PlanNode.Join join when join.type() == PlanNode.JoinType.INNER || join.type() == PlanNode.JoinType.LEFT
                    || join.type() == PlanNode.JoinType.SEMI || join.type() == PlanNode.JoinType.ANTI -> {
                int input = join.outputColumns().map(columns -> columns.get(column)).orElse(column);
                yield input < join.left().outputTypes().size() ? scanOutput(join.left(), input) : OptionalInt.empty();
            }
            default -> OptionalInt.empty();
        };
    }

    /** The column of the scan's files (or partition column) that the scan's output column {@code output} is, if it is one. */
    private static Optional<ColumnHandle> scanColumn(GlauxTableScan scan, int output)
    {
        int projection = output;
        if (scan.aggregation().isPresent()) {
            List<Integer> groupKeys = scan.aggregation().get().groupKeys();
            if (output >= groupKeys.size()) {
                return Optional.empty();
            }
            projection = groupKeys.get(output);
        }
        if (projection >= scan.projections().size() || !(scan.projections().get(projection) instanceof Expression.InputRef ref)
                || ref.index() >= scan.columns().size()) {
            return Optional.empty();
        }
        return Optional.of(scan.columns().get(ref.index()));
    }

    /** The non-NULL values of column {@code key} of {@code rows}: a set, or a range of integers or dates; empty when neither is known. */
    private static Optional<Domain> keyDomain(List<VectorSchemaRoot> rows, int key, Type type)
    {
        boolean integral = type == Type.BIGINT || type == Type.INTEGER || type == Type.SMALLINT || type == Type.TINYINT || type == Type.DATE;
        boolean varchar = type instanceof Type.Varchar;
        if (!integral && !varchar) {
            return Optional.empty();
        }
        TreeSet<Comparable<?>> values = new TreeSet<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (VectorSchemaRoot batch : rows) {
            FieldVector vector = batch.getVector(key);
            int count = batch.getRowCount();
            if (integral) {
                if (!(vector instanceof BaseIntVector) && !(vector instanceof DateDayVector)) {
                    return Optional.empty();
                }
                for (int row = 0; row < count; row++) {
                    if (vector.isNull(row)) {
                        continue;
                    }
                    long value = vector instanceof DateDayVector days ? days.get(row) : ((BaseIntVector) vector).getValueAsLong(row);
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                    if (values.size() <= MAX_ROW_VALUES) {
                        values.add(value);
                    }
                }
            }
            else {
                if (!(vector instanceof VarCharVector strings)) {
                    return Optional.empty();
                }
                for (int row = 0; row < count && values.size() <= MAX_ROW_VALUES; row++) {
                    if (!strings.isNull(row)) {
                        values.add(new String(strings.get(row), StandardCharsets.UTF_8));
                    }
                }
                if (values.size() > MAX_ROW_VALUES) {
                    return Optional.empty();
                }
            }
        }
        if (values.isEmpty()) {
            return Optional.of(new Domain(List.of(), false));
        }
        if (values.size() <= MAX_ROW_VALUES) {
            List<Range> ranges = new ArrayList<>();
            values.forEach(value -> ranges.add(Range.equal(value)));
            return Optional.of(new Domain(ranges, false));
        }
        return Optional.of(new Domain(List.of(new Range(min, true, max, true)), false));
    }
}
