package io.glaux.coordinator.planner;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.ImmutableIntList;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the joins that subquery removal leaves for {@code EXISTS}, {@code IN} and {@code NOT EXISTS}
 * into SEMI and ANTI joins, which the engine runs without building the subquery's distinct values
 * first and without joining them back:
 * <ul>
 * <li>a projection or an aggregation (optionally over a {@code Filter}) over an INNER join with a
 * grouping on its right side whose keys are exactly the join keys, when neither reads the right side
 * ({@code EXISTS}, {@code IN}): a SEMI join with the grouping's input;</li>
 * <li>a projection or an aggregation over {@code Filter($m IS NULL AND ...)} over a LEFT join with such a grouping,
 * where {@code $m} is a value of the grouping that is never NULL for a group (the decorrelator's
 * "matched" marker) and nothing else reads the right side ({@code NOT EXISTS}): an ANTI join with the
 * grouping's input.</li>
 * </ul>
 * Only strict equalities are keys: a NULL key never matches, in the join replaced as in the SEMI or
 * ANTI join (a null-safe {@code IS NOT DISTINCT FROM} key leaves the join as it is). {@code NOT IN},
 * whose NULL semantics differ (a NULL among the subquery's values makes the predicate unknown), keeps
 * Calcite's form, which counts the values and their NULLs.
 */
final class SemiJoins
{
    private SemiJoins() {}

    static RelNode apply(RelNode plan)
    {
        if (!hasJoinOverAggregate(plan)) {
            return plan;
        }
        return rewrite(plan);
    }

    /**
     * Before decorrelation: a correlated {@code EXISTS} (a Correlate, INNER, with a grouping on the
     * constant {@code true} of the subquery's rows) becomes a SEMI join, and a correlated
     * {@code NOT EXISTS} (a Filter on the marker being NULL over a LEFT Correlate with that grouping)
     * an ANTI join, when the subquery is a filter over an uncorrelated input: the filter's condition,
     * with the correlated columns read from the left row, is the join's condition. Any condition
     * works, not only equalities ({@code l2.l_suppkey <> l1.l_suppkey} in TPC-H q21 is the join's
     * residual), and the outer query is not copied into the subquery as the decorrelator does.
     * The marker column stays, as the constant it is for the rows that remain.
     */
    static RelNode correlated(RelNode node)
    {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = correlated(input);
            inputs.add(rewritten);
            changed |= rewritten != input;
        }
        RelNode current = changed ? node.copy(node.getTraitSet(), inputs) : node;
        if (current instanceof Correlate correlate && correlate.getJoinType() == JoinRelType.INNER) {
            return existsJoin(correlate, JoinRelType.SEMI).orElse(current);
        }
        if (current instanceof LogicalFilter filter && filter.getInput() instanceof Correlate correlate && correlate.getJoinType() == JoinRelType.LEFT) {
            int marker = correlate.getLeft().getRowType().getFieldCount();
            List<RexNode> rest = new ArrayList<>();
            boolean found = false;
            for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
                if (!found && isNull(conjunct, marker)) {
                    found = true;
                }
                else if (RelOptUtil.InputFinder.bits(conjunct).get(marker)) {
                    return current;
                }
                else {
                    rest.add(conjunct);
                }
            }
            if (!found) {
                return current;
            }
            Optional<RelNode> anti = existsJoin(correlate, JoinRelType.ANTI);
            if (anti.isEmpty()) {
                return current;
            }
            RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
            RelNode result = anti.get();
            return rest.isEmpty() ? result : LogicalFilter.create(result, RexUtil.composeConjunction(rexBuilder, rest));
        }
        return current;
    }

    /**
     * {@code correlate}'s right side is {@code Aggregate(group by $0) over Project(true) over
     * Filter(condition) over input}, with {@code input} uncorrelated: the SEMI or ANTI join of the left
     * side with {@code input} on {@code condition}, projected to the Correlate's row (left columns,
     * then the marker: TRUE for SEMI, NULL for ANTI).
     */
    private static Optional<RelNode> existsJoin(Correlate correlate, JoinRelType type)
    {
        if (!(correlate.getRight() instanceof LogicalAggregate aggregate) || aggregate.getGroupType() != Aggregate.Group.SIMPLE
                || !aggregate.getAggCallList().isEmpty() || aggregate.getGroupCount() != 1
                || !(aggregate.getInput() instanceof LogicalProject marker) || marker.getProjects().size() != 1
                || !marker.getProjects().getFirst().isAlwaysTrue()
                || !(marker.getInput() instanceof LogicalFilter filter)
                || hasCorrelation(filter.getInput())) {
            return Optional.empty();
        }
        RelNode left = correlate.getLeft();
        int leftCount = left.getRowType().getFieldCount();
        CorrelationId id = correlate.getCorrelationId();
        boolean[] foreign = new boolean[1];
        RexNode condition = filter.getCondition().accept(new RexShuttle()
        {
            @Override
            public RexNode visitInputRef(RexInputRef ref)
            {
                return new RexInputRef(ref.getIndex() + leftCount, ref.getType());
            }

            @Override
            public RexNode visitFieldAccess(RexFieldAccess access)
            {
                if (access.getReferenceExpr() instanceof RexCorrelVariable variable && variable.id.equals(id)) {
                    return new RexInputRef(access.getField().getIndex(), access.getType());
                }
                foreign[0] = true;
                return access;
            }

            @Override
            public RexNode visitCorrelVariable(RexCorrelVariable variable)
            {
                foreign[0] = true;
                return variable;
            }

            @Override
            public RexNode visitSubQuery(org.apache.calcite.rex.RexSubQuery subQuery)
            {
                foreign[0] = true;
                return subQuery;
            }
        });
        if (foreign[0]) {
            return Optional.empty();
        }
        RexBuilder rexBuilder = correlate.getCluster().getRexBuilder();
        RelNode joined = LogicalJoin.create(left, filter.getInput(), List.of(), condition, Set.of(), type);
        List<RexNode> projections = new ArrayList<>();
        for (int i = 0; i < leftCount; i++) {
            projections.add(rexBuilder.makeInputRef(joined, i));
        }
        org.apache.calcite.rel.type.RelDataType markerType = correlate.getRowType().getFieldList().get(leftCount).getType();
        projections.add(type == JoinRelType.SEMI
                ? rexBuilder.makeCast(markerType, rexBuilder.makeLiteral(true), true, false)
                : rexBuilder.makeNullLiteral(markerType));
        return Optional.of(LogicalProject.create(joined, List.of(), projections, correlate.getRowType().getFieldNames(), Set.of()));
    }

    /** {@code $marker IS NULL} or {@code NOT($marker IS NOT NULL)}. */
    private static boolean isNull(RexNode conjunct, int marker)
    {
        if (conjunct.getKind() == SqlKind.NOT && ((RexCall) conjunct).getOperands().getFirst().getKind() == SqlKind.IS_NOT_NULL) {
            conjunct = ((RexCall) ((RexCall) conjunct).getOperands().getFirst()).getOperands().getFirst();
            return conjunct instanceof RexInputRef ref && ref.getIndex() == marker;
        }
        return conjunct.getKind() == SqlKind.IS_NULL && ((RexCall) conjunct).getOperands().getFirst() instanceof RexInputRef ref && ref.getIndex() == marker;
    }

    private static boolean hasCorrelation(RelNode node)
    {
        boolean[] found = new boolean[1];
        node.accept(new org.apache.calcite.rel.RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                if (other instanceof Correlate || !RelOptUtil.getVariablesUsed(other).isEmpty()) {
                    found[0] = true;
                }
                return super.visit(other);
            }
        });
        return found[0] || !RelOptUtil.getVariablesUsed(node).isEmpty();
    }

    private static boolean hasJoinOverAggregate(RelNode node)
    {
        if (node instanceof LogicalJoin join && join.getRight() instanceof Aggregate) {
            return true;
        }
        for (RelNode input : node.getInputs()) {
            if (hasJoinOverAggregate(input)) {
                return true;
            }
        }
        return false;
    }

    /** Rewrites the patterns above, bottom up. */
    private static RelNode rewrite(RelNode node)
    {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : node.getInputs()) {
            RelNode rewritten = rewrite(input);
            inputs.add(rewritten);
            changed |= rewritten != input;
        }
        RelNode current = changed ? node.copy(node.getTraitSet(), inputs) : node;
        // what reads the join: a projection, or an aggregation (whose projection was merged into it)
        ImmutableBitSet used;
        java.util.function.Function<RelNode, RelNode> above;
        if (current instanceof LogicalProject project) {
            used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
            above = input -> LogicalProject.create(input, project.getHints(), project.getProjects(), project.getRowType(), project.getVariablesSet());
        }
        else if (current instanceof LogicalAggregate grouping) {
            ImmutableBitSet.Builder bits = grouping.getGroupSet().rebuild();
            for (AggregateCall call : grouping.getAggCallList()) {
                bits.addAll(call.getArgList());
                if (call.filterArg >= 0) {
                    bits.set(call.filterArg);
                }
            }
            used = bits.build();
            above = input -> grouping.copy(grouping.getTraitSet(), input, grouping.getGroupSet(), grouping.getGroupSets(), grouping.getAggCallList());
        }
        else {
            return current;
        }
        RelNode below = current.getInput(0);
        LogicalFilter filter = below instanceof LogicalFilter condition ? condition : null;
        RelNode joinNode = filter == null ? below : filter.getInput();
        if (joinNode instanceof LogicalJoin join && join.getRight() instanceof LogicalAggregate aggregate
                && (join.getJoinType() == JoinRelType.INNER || (join.getJoinType() == JoinRelType.LEFT && filter != null))) {
            return semiOrAnti(current, used, above, filter, join, aggregate);
        }
        return current;
    }

    private static RelNode semiOrAnti(RelNode current, ImmutableBitSet used, java.util.function.Function<RelNode, RelNode> above, LogicalFilter filter,
            LogicalJoin join, LogicalAggregate aggregate)
    {
        RelNode project = current;
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int groupCount = aggregate.getGroupCount();
        ImmutableBitSet right = ImmutableBitSet.range(leftCount, join.getRowType().getFieldCount());
        if (used.intersects(right) || aggregate.getGroupType() != Aggregate.Group.SIMPLE || groupCount == 0) {
            return project;
        }
        JoinInfo info = JoinInfo.createWithStrictEquality(join.getLeft(), join.getRight(), join.getCondition());
        if (!info.isEqui() || !info.rightSet().equals(ImmutableBitSet.range(groupCount)) || info.leftKeys.size() != groupCount) {
            return project;
        }
        boolean anti = join.getJoinType() == JoinRelType.LEFT;
        // ANTI: one conjunct is "marker IS NULL"; every other conjunct reads only the left side
        boolean marker = false;
        List<RexNode> rest = new ArrayList<>();
        for (RexNode conjunct : filter == null ? List.<RexNode>of() : RelOptUtil.conjunctions(filter.getCondition())) {
            if (anti && !marker && isNullMarker(conjunct, leftCount, aggregate)) {
                marker = true;
            }
            else if (RelOptUtil.InputFinder.bits(conjunct).intersects(right)) {
                return project;
            }
            else {
                rest.add(conjunct);
            }
        }
        if (anti && !marker) {
            return project;
        }
        RexBuilder rexBuilder = join.getCluster().getRexBuilder();
        RelNode input = aggregate.getInput();
        List<Integer> groupKeys = aggregate.getGroupSet().asList();
        List<Integer> rightKeys = new ArrayList<>();
        for (int key : info.rightKeys) {
            rightKeys.add(groupKeys.get(key));
        }
        RexNode condition = RelOptUtil.createEquiJoinCondition(join.getLeft(), info.leftKeys, input, ImmutableIntList.copyOf(rightKeys), rexBuilder);
        RelNode joined = LogicalJoin.create(join.getLeft(), input, join.getHints(), condition, Set.of(), anti ? JoinRelType.ANTI : JoinRelType.SEMI);
        if (!rest.isEmpty()) {
            // the output's left columns are where they were: the conditions on them read the same positions
            joined = LogicalFilter.create(joined, RexUtil.composeConjunction(rexBuilder, rest));
        }
        return above.apply(joined);
    }

    /** {@code $i IS NULL} where {@code $i} is a grouping value never NULL for a group (a literal marker, a count). */
    private static boolean isNullMarker(RexNode conjunct, int leftCount, LogicalAggregate aggregate)
    {
        if (conjunct.getKind() != SqlKind.IS_NULL || !(((RexCall) conjunct).getOperands().getFirst() instanceof RexInputRef ref)) {
            return false;
        }
        int column = ref.getIndex() - leftCount - aggregate.getGroupCount();
        if (column < 0 || column >= aggregate.getAggCallList().size()) {
            return false;
        }
        AggregateCall call = aggregate.getAggCallList().get(column);
        return !aggregate.getRowType().getFieldList().get(aggregate.getGroupCount() + column).getType().isNullable()
                && (call.getAggregation().getKind() == SqlKind.LITERAL_AGG || call.getAggregation().getKind() == SqlKind.COUNT
                        || call.getAggregation().getKind() == SqlKind.MIN || call.getAggregation().getKind() == SqlKind.MAX);
    }
}
