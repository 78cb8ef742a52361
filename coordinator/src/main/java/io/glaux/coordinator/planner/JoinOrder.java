package io.glaux.coordinator.planner;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of inner joins, chosen by estimated sizes: each tree of inner joins (with up to
 * {@link #MAX_RELATIONS} inputs) is taken apart into its inputs and its conditions' conjuncts, and
 * joined again in the order that a dynamic program over the subsets of inputs finds cheapest. Each
 * join has one input of the tree on a side (a linear tree, either side of each join): the engine runs a
 * chain of joins whose build sides are table scans in the probe scan's tasks on the workers, while a
 * join of two joins, or whose build side is a join, runs in the final stage (its probe rows cost
 * {@link #COORDINATOR_JOIN_FACTOR} times more there). A subset's rows are the product of its inputs' rows ({@link JoinStatistics#rows})
 * and of the selectivities of the conjuncts among them: an equality of two inputs' columns by
 * {@link JoinStatistics#equiJoinSelectivity} (their distinct values, a key meeting its foreign key),
 * anything else as Calcite guesses it. So the rows of a subset do not depend on the order that joins
 * it, and a plan's cost is the rows that every join reads and makes, a build side counting twice (a
 * hash table costs more to make than to probe). Joins without a condition are taken only where the
 * conditions leave the inputs unconnected. A projection above the new tree restores the columns' order.
 *
 * <p>Which input of each join is built is left to {@link JoinStatistics#smallerSideBuilt}.
 */
final class JoinOrder
{
    /** Trees with more inputs keep their order (3^n subset pairs). */
    static final int MAX_RELATIONS = 10;
    /** What a join's probe rows cost again when its build side is a join (it runs in the final stage), per row. */
    private static final double COORDINATOR_JOIN_FACTOR = 4;

    private JoinOrder() {}

    static RelNode apply(RelNode plan)
    {
        if (plan instanceof LogicalJoin join && reorderable(join)) {
            return reorder(join);
        }
        List<RelNode> inputs = plan.getInputs();
        List<RelNode> newInputs = new ArrayList<>(inputs.size());
        boolean changed = false;
        for (RelNode input : inputs) {
            RelNode newInput = apply(input);
            changed |= newInput != input;
            newInputs.add(newInput);
        }
        return changed ? plan.copy(plan.getTraitSet(), newInputs) : plan;
    }

    private static boolean reorderable(RelNode node)
    {
        return node instanceof LogicalJoin join && join.getJoinType() == JoinRelType.INNER && join.getVariablesSet().isEmpty()
                && join.getSystemFieldList().isEmpty();
    }

    private static RelNode reorder(LogicalJoin top)
    {
        List<RelNode> leaves = new ArrayList<>();
        List<RexNode> conjuncts = new ArrayList<>();
        flatten(top, 0, leaves, conjuncts);
        List<RelNode> inputs = new ArrayList<>(leaves.size());
        for (RelNode leaf : leaves) {
            inputs.add(apply(leaf));
        }
        if (inputs.size() < 3 || inputs.size() > MAX_RELATIONS || conjuncts.stream().anyMatch(RexUtil::containsCorrelation)
                || conjuncts.stream().anyMatch(conjunct -> !RexUtil.isDeterministic(conjunct))) {
            return rebuild(top, inputs);
        }
        Graph graph = new Graph(top.getCluster().getRexBuilder(), inputs, conjuncts);
        return graph.plan(top);
    }

    /** The tree as it was, over the inputs as reordered inside. */
    private static RelNode rebuild(RelNode node, List<RelNode> inputs)
    {
        int[] next = {0};
        return rebuild(node, inputs, next);
    }

    private static RelNode rebuild(RelNode node, List<RelNode> inputs, int[] next)
    {
        if (reorderable(node)) {
            LogicalJoin join = (LogicalJoin) node;
            RelNode left = rebuild(join.getLeft(), inputs, next);
            RelNode right = rebuild(join.getRight(), inputs, next);
            return left == join.getLeft() && right == join.getRight() ? join : join.copy(join.getTraitSet(), List.of(left, right));
        }
        return inputs.get(next[0]++);
    }

    private static void flatten(RelNode node, int offset, List<RelNode> leaves, List<RexNode> conjuncts)
    {
        if (reorderable(node)) {
            LogicalJoin join = (LogicalJoin) node;
            flatten(join.getLeft(), offset, leaves, conjuncts);
            flatten(join.getRight(), offset + join.getLeft().getRowType().getFieldCount(), leaves, conjuncts);
            for (RexNode conjunct : RelOptUtil.conjunctions(join.getCondition())) {
                if (!conjunct.isAlwaysTrue()) {
                    conjuncts.add(RexUtil.shift(conjunct, offset));
                }
            }
            return;
        }
        leaves.add(node);
    }

    /** The inputs, their columns laid end to end, and the conjuncts over them. */
    private static final class Graph
    {
        private final RexBuilder rexBuilder;
        private final List<RelNode> inputs;
        private final int[] start;
        private final List<RexNode> conjuncts;
        /** The inputs each conjunct reads (bit i: input i). */
        private final int[] conjunctInputs;
        /** A conjunct's share of the rows of its inputs' product; NaN for the conjuncts estimated together with others (an equality's keys). */
        private final double[] conjunctSelectivity;
        private final double[] rows;
        private final double[] cost;
        private final int[] split;

        Graph(RexBuilder rexBuilder, List<RelNode> inputs, List<RexNode> conjuncts)
        {
            this.rexBuilder = rexBuilder;
            this.inputs = inputs;
            this.conjuncts = conjuncts;
            int n = inputs.size();
            start = new int[n + 1];
            for (int i = 0; i < n; i++) {
                start[i + 1] = start[i] + inputs.get(i).getRowType().getFieldCount();
            }
            conjunctInputs = new int[conjuncts.size()];
            for (int c = 0; c < conjuncts.size(); c++) {
                for (int field : RelOptUtil.InputFinder.bits(conjuncts.get(c))) {
                    conjunctInputs[c] |= 1 << inputOf(field);
                }
            }
            conjunctSelectivity = selectivities();
            int subsets = 1 << n;
            rows = new double[subsets];
            cost = new double[subsets];
            split = new int[subsets];
            double[] inputRows = new double[n];
            for (int i = 0; i < n; i++) {
                inputRows[i] = JoinStatistics.rows(inputs.get(i));
            }
            rows[0] = 1;
            for (int subset = 1; subset < subsets; subset++) {
                int lowest = Integer.numberOfTrailingZeros(subset);
                double estimate = rows[subset & (subset - 1)] * inputRows[lowest];
                for (int c = 0; c < conjunctSelectivity.length; c++) {
                    int reads = conjunctInputs[c];
                    if ((reads & (1 << lowest)) != 0 && (reads & ~subset) == 0 && !Double.isNaN(conjunctSelectivity[c])) {
                        estimate *= conjunctSelectivity[c];
                    }
                }
                rows[subset] = Math.max(1, estimate);
            }
        }

        private int inputOf(int field)
        {
            int i = 0;
            while (start[i + 1] <= field) {
                i++;
            }
            return i;
        }

        /**
         * Each conjunct's selectivity: the equalities between the columns of the same two inputs together
         * (a composite key, by {@link JoinStatistics#equiJoinSelectivity}, put on the first of them),
         * single-input conjuncts as filters, the rest as Calcite guesses.
         */
        private double[] selectivities()
        {
            double[] selectivity = new double[conjuncts.size()];
            Map<Long, List<Integer>> equalities = new HashMap<>();
            for (int c = 0; c < conjuncts.size(); c++) {
                RexNode conjunct = conjuncts.get(c);
                if (Integer.bitCount(conjunctInputs[c]) == 2 && conjunct.getKind() == SqlKind.EQUALS
                        && stripCast(((RexCall) conjunct).getOperands().get(0)) instanceof RexInputRef
                        && stripCast(((RexCall) conjunct).getOperands().get(1)) instanceof RexInputRef) {
                    int first = Integer.numberOfTrailingZeros(conjunctInputs[c]);
                    int second = 31 - Integer.numberOfLeadingZeros(conjunctInputs[c]);
                    equalities.computeIfAbsent(((long) first << 32) | second, _ -> new ArrayList<>()).add(c);
                    selectivity[c] = Double.NaN;
                }
                else if (Integer.bitCount(conjunctInputs[c]) == 1) {
                    int input = Integer.numberOfTrailingZeros(conjunctInputs[c]);
                    selectivity[c] = JoinStatistics.selectivity(inputs.get(input), RexUtil.shift(conjunct, -start[input]));
                }
                else {
                    selectivity[c] = RelMdUtil.guessSelectivity(conjunct);
                }
            }
            for (Map.Entry<Long, List<Integer>> pair : equalities.entrySet()) {
                int first = (int) (pair.getKey() >>> 32);
                int second = (int) (long) pair.getKey();
                List<Integer> firstKeys = new ArrayList<>();
                List<Integer> secondKeys = new ArrayList<>();
                for (int c : pair.getValue()) {
                    int a = ((RexInputRef) stripCast(((RexCall) conjuncts.get(c)).getOperands().get(0))).getIndex();
                    int b = ((RexInputRef) stripCast(((RexCall) conjuncts.get(c)).getOperands().get(1))).getIndex();
                    if (inputOf(a) != first) {
                        int swap = a;
                        a = b;
                        b = swap;
                    }
                    firstKeys.add(a - start[first]);
                    secondKeys.add(b - start[second]);
                }
                selectivity[pair.getValue().getFirst()] = JoinStatistics.equiJoinSelectivity(inputs.get(first), firstKeys, inputs.get(second), secondKeys);
            }
            return selectivity;
        }

        private static RexNode stripCast(RexNode node)
        {
            return node.getKind() == SqlKind.CAST ? ((RexCall) node).getOperands().getFirst() : node;
        }

        /** Whether a conjunct joins a member of {@code left} with one of {@code right}. */
        private boolean connected(int left, int right)
        {
            for (int reads : conjunctInputs) {
                if ((reads & left) != 0 && (reads & right) != 0 && (reads & ~(left | right)) == 0) {
                    return true;
                }
            }
            return false;
        }

        RelNode plan(LogicalJoin top)
        {
            int all = (1 << inputs.size()) - 1;
            if (!search(all, true)) {
                // the conditions leave some inputs unconnected: cross joins where they must be
                search(all, false);
            }
            Map<Integer, Integer> positions = new HashMap<>();
            RelNode tree = build(all, positions);
            List<RexNode> projects = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (RelDataTypeField field : top.getRowType().getFieldList()) {
                projects.add(rexBuilder.makeInputRef(tree.getRowType().getFieldList().get(positions.get(field.getIndex())).getType(), positions.get(field.getIndex())));
                names.add(field.getName());
            }
            return LogicalProject.create(tree, List.of(), projects, names, Set.of());
        }

        /** Fills {@link #cost} and {@link #split} for every subset, bottom-up; whether {@code all} could be planned. */
        private boolean search(int all, boolean connectedOnly)
        {
            Arrays.fill(cost, Double.POSITIVE_INFINITY);
            Arrays.fill(split, 0);
            for (int i = 0; i < inputs.size(); i++) {
                cost[1 << i] = 0;
            }
            for (int subset = 1; subset <= all; subset++) {
                if (Integer.bitCount(subset) < 2) {
                    continue;
                }
                // each split once: the part holding the subset's lowest input on the left
                int lowest = subset & -subset;
                for (int left = (subset - 1) & subset; left > 0; left = (left - 1) & subset) {
                    if ((left & lowest) == 0) {
                        continue;
                    }
                    int right = subset ^ left;
                    if (cost[left] == Double.POSITIVE_INFINITY || cost[right] == Double.POSITIVE_INFINITY || (connectedOnly && !connected(left, right))
                            || Integer.bitCount(left) > 1 && Integer.bitCount(right) > 1) {
                        continue;
                    }
                    // the smaller side is built (JoinStatistics.smallerSideBuilt); a build side that is itself a
                    // join cannot go to the probe scan's tasks, so the join runs in the final stage: its probe
                    // rows gathered to one thread there cost several times what they cost in the scan's tasks
                    int built = rows[left] <= rows[right] ? left : right;
                    double gathered = Integer.bitCount(built) > 1 ? COORDINATOR_JOIN_FACTOR * rows[subset ^ built] : 0;
                    double candidate = cost[left] + cost[right] + rows[subset] + rows[left] + rows[right] + Math.min(rows[left], rows[right]) + gathered;
                    if (candidate < cost[subset]) {
                        cost[subset] = candidate;
                        split[subset] = left;
                    }
                }
            }
            return cost[all] < Double.POSITIVE_INFINITY;
        }

        /** The join tree of {@code subset}; {@code positions} maps each of its fields' place in the original tree to its place in the new one. */
        private RelNode build(int subset, Map<Integer, Integer> positions)
        {
            if (Integer.bitCount(subset) == 1) {
                int input = Integer.numberOfTrailingZeros(subset);
                RelNode node = inputs.get(input);
                for (int k = 0; k < node.getRowType().getFieldCount(); k++) {
                    positions.put(start[input] + k, k);
                }
                List<RexNode> filters = new ArrayList<>();
                for (int c = 0; c < conjuncts.size(); c++) {
                    if (conjunctInputs[c] == subset) {
                        filters.add(rewrite(conjuncts.get(c), positions));
                    }
                }
                return filters.isEmpty() ? node : LogicalFilter.create(node, RexUtil.composeConjunction(rexBuilder, filters));
            }
            int leftSet = split[subset];
            int rightSet = subset ^ leftSet;
            Map<Integer, Integer> leftPositions = new HashMap<>();
            Map<Integer, Integer> rightPositions = new HashMap<>();
            RelNode left = build(leftSet, leftPositions);
            RelNode right = build(rightSet, rightPositions);
            int leftCount = left.getRowType().getFieldCount();
            positions.putAll(leftPositions);
            rightPositions.forEach((original, position) -> positions.put(original, position + leftCount));
            List<RexNode> conditions = new ArrayList<>();
            for (int c = 0; c < conjuncts.size(); c++) {
                int reads = conjunctInputs[c];
                boolean here = subset == (1 << inputs.size()) - 1 && reads == 0
                        || (reads & ~subset) == 0 && (reads & leftSet) != 0 && (reads & rightSet) != 0;
                if (here) {
                    conditions.add(rewrite(conjuncts.get(c), positions));
                }
            }
            return LogicalJoin.create(left, right, List.of(), RexUtil.composeConjunction(rexBuilder, conditions), Set.of(), JoinRelType.INNER);
        }

        private RexNode rewrite(RexNode conjunct, Map<Integer, Integer> positions)
        {
            return conjunct.accept(new RexShuttle()
            {
                @Override
                public RexNode visitInputRef(RexInputRef reference)
                {
                    return new RexInputRef(positions.get(reference.getIndex()), reference.getType());
                }
            });
        }
    }
}
