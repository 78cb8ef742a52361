package io.glaux.coordinator.planner;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.ImmutableIntList;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the joins that subquery removal leaves for {@code EXISTS}, {@code IN} and {@code NOT EXISTS}
 * into SEMI and ANTI joins, which the engine runs without building the subquery's distinct values
 * first and without joining them back:
 * <ul>
 * <li>{@code Project} (optionally over a {@code Filter}) over an INNER join with a grouping on its right
 * side whose keys are exactly the join keys, when neither reads the right side ({@code EXISTS},
 * {@code IN}): a SEMI join with the grouping's input;</li>
 * <li>{@code Project} over {@code Filter($m IS NULL AND ...)} over a LEFT join with such a grouping,
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
        if (!(current instanceof LogicalProject project)) {
            return current;
        }
        LogicalFilter filter = project.getInput() instanceof LogicalFilter below ? below : null;
        RelNode joinNode = filter == null ? project.getInput() : filter.getInput();
        if (joinNode instanceof LogicalJoin join && join.getRight() instanceof LogicalAggregate aggregate
                && (join.getJoinType() == JoinRelType.INNER || (join.getJoinType() == JoinRelType.LEFT && filter != null))) {
            return semiOrAnti(project, filter, join, aggregate);
        }
        return current;
    }

    private static RelNode semiOrAnti(LogicalProject project, LogicalFilter filter, LogicalJoin join, LogicalAggregate aggregate)
    {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        int groupCount = aggregate.getGroupCount();
        ImmutableBitSet right = ImmutableBitSet.range(leftCount, join.getRowType().getFieldCount());
        if (RelOptUtil.InputFinder.bits(project.getProjects(), null).intersects(right)
                || aggregate.getGroupType() != Aggregate.Group.SIMPLE || groupCount == 0) {
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
        return LogicalProject.create(joined, project.getHints(), project.getProjects(), project.getRowType(), project.getVariablesSet());
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
