package io.glaux.coordinator.execution;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.coordinator.planner.GlauxTableScan;
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
import java.util.TreeSet;

/**
 * Dynamic filtering of a broadcast join: the build side's key values, collected on the coordinator
 * before the probe scan starts, narrow the probe scan's pruning domain, so that partitions and Parquet
 * row groups whose statistics exclude every build key are never read. A key column gets the set of the
 * build keys (at most {@link #MAX_VALUES}), or for integers and dates their min/max range. Only the
 * domain the scan prunes by changes, not its row filter: the join drops the rows that do not match, and
 * a row filter that keeps most rows would cost more than it saves. It applies to the joins that drop
 * the probe rows without a match (INNER, RIGHT, SEMI), on probe keys that are the scan's columns, and
 * build keys of the same type (NULL keys never match).
 */
final class DynamicFilter
{
    /** The most build key values a key column's domain lists one by one; past it, a range (or nothing). */
    static final int MAX_VALUES = 256;

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
            Optional<ColumnHandle> column = scanColumn(scan, join.leftKeys().get(i));
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

    /** The join of {@code node} (or below it) that probes the scan's rows with build stage {@code buildStageId}, when it drops unmatched probe rows. */
    private static Optional<PlanNode.Join> probeJoin(PlanNode node, int buildStageId)
    {
        // a residual condition only drops more of the matches
        if (node instanceof PlanNode.Join join
                && (join.type() == PlanNode.JoinType.INNER || join.type() == PlanNode.JoinType.RIGHT || join.type() == PlanNode.JoinType.SEMI)) {
            if (join.left() instanceof PlanNode.RemoteSource probe && probe.exchangeType() == PlanNode.ExchangeType.GATHER
                    && join.right() instanceof PlanNode.RemoteSource build && build.exchangeType() == PlanNode.ExchangeType.BROADCAST
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
                    if (values.size() <= MAX_VALUES) {
                        values.add(value);
                    }
                }
            }
            else {
                if (!(vector instanceof VarCharVector strings)) {
                    return Optional.empty();
                }
                for (int row = 0; row < count && values.size() <= MAX_VALUES; row++) {
                    if (!strings.isNull(row)) {
                        values.add(new String(strings.get(row), StandardCharsets.UTF_8));
                    }
                }
                if (values.size() > MAX_VALUES) {
                    return Optional.empty();
                }
            }
        }
        if (values.isEmpty()) {
            return Optional.of(new Domain(List.of(), false));
        }
        if (values.size() <= MAX_VALUES) {
            List<Range> ranges = new ArrayList<>();
            values.forEach(value -> ranges.add(Range.equal(value)));
            return Optional.of(new Domain(ranges, false));
        }
        return Optional.of(new Domain(List.of(new Range(min, true, max, true)), false));
    }
}
