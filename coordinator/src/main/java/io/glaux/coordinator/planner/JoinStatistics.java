package io.glaux.coordinator.planner;

import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.rules.JoinCommuteRule;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

import java.util.List;

/**
 * How large a join's inputs are estimated to be ({@link #rows}: the tables' statistics and Calcite's
 * guesses for filters, times a row's width in Arrow), which side of an inner join is built
 * ({@link #smallerSideBuilt}), and the one rule that decides between a
 * broadcast and a partitioned join: a build side estimated over {@link #BROADCAST_MAX_BYTES} is not
 * broadcast. The runtime ({@code QueryExecution}) applies the same limit to the rows it actually
 * collects, so that a wrong estimate is corrected the same way: a broadcast whose build side overruns
 * the limit turns round when its probe side is within it, else becomes a partitioned join.
 */
public final class JoinStatistics
{
    /**
     * The largest build side sent to every probe task of a broadcast join (Arrow bytes) by default: the
     * default of {@code join-max-broadcast-table-size}, which the session's
     * {@code join_max_broadcast_table_size} overrides.
     */
    public static final long BROADCAST_MAX_BYTES = 4L << 20;
    private JoinStatistics() {}

    /** The estimated Arrow bytes of what {@code node} delivers. */
    public static double estimatedBytes(RelNode node)
    {
        return rows(node) * rowBytes(node.getRowType());
    }

    /**
     * Each inner join whose left input is estimated to deliver fewer rows than its right is turned round
     * (a projection above restores the columns' order), bottom-up, so that a hash join builds the smaller
     * side and probes with the larger: on the coordinator, and for a join of two scans on the workers.
     */
    static RelNode smallerSideBuilt(RelNode plan, RelBuilder relBuilder)
    {
        return plan.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                RelNode node = super.visit(other);
                if (node instanceof LogicalJoin join && join.getJoinType() == JoinRelType.INNER && rows(join.getLeft()) < rows(join.getRight())) {
                    RelNode swapped = JoinCommuteRule.swap(join, false, relBuilder);
                    if (swapped != null) {
                        return swapped;
                    }
                }
                return node;
            }
        });
    }

    /**
     * The rows {@code node} is estimated to deliver: a scan's from its table's statistics and the work
     * pushed into it, filters by their columns' statistics ({@link #selectivity}), an aggregation a tenth
     * of its input (one row without groups), an equi-join by its keys' distinct values
     * ({@link #equiJoinSelectivity}).
     */
    static double rows(RelNode node)
    {
        double rows = switch (node) {
            case Join join -> joinRows(join);
            case Filter filter -> rows(filter.getInput()) * selectivity(filter.getInput(), filter.getCondition());
            case Project project -> rows(project.getInput());
            case Aggregate aggregate -> aggregate.getGroupSet().isEmpty() ? 1 : rows(aggregate.getInput()) * 0.1;
            case Sort sort when sort.fetch != null -> Math.min(rows(sort.getInput()), fetch(sort));
            case Sort sort -> rows(sort.getInput());
            case HepRelVertex vertex -> rows(vertex.getCurrentRel());
            default -> {
                Double estimate = node.getCluster().getMetadataQuery().getRowCount(node);
                yield estimate == null ? 100 : estimate;
            }
        };
        return Math.max(1, rows);
    }

    private static double joinRows(Join join)
    {
        double left = rows(join.getLeft());
        double right = rows(join.getRight());
        JoinInfo info = join.analyzeCondition();
        return switch (join.getJoinType()) {
            case SEMI, ANTI -> left * 0.5;
            default -> {
                double inner = info.leftKeys.isEmpty()
                        ? left * right * RelMdUtil.guessSelectivity(join.getCondition())
                        : left * right * equiJoinSelectivity(join.getLeft(), info.leftKeys, join.getRight(), info.rightKeys) * (info.nonEquiConditions.isEmpty() ? 1
                                : RelMdUtil.guessSelectivity(RexUtil.composeConjunction(join.getCluster().getRexBuilder(), info.nonEquiConditions)));
                yield switch (join.getJoinType()) {
                    case LEFT -> Math.max(inner, left);
                    case RIGHT -> Math.max(inner, right);
                    case FULL -> Math.max(inner, left + right);
                    default -> inner;
                };
            }
        };
    }

    private static double fetch(Sort sort)
    {
        return sort.fetch instanceof RexLiteral literal && literal.getValueAs(Long.class) != null ? literal.getValueAs(Long.class) : Double.MAX_VALUE;
    }

    /** Whether the join's build (right) side is estimated over {@code maxBytes} (the session's join_max_broadcast_table_size), too large to broadcast. */
    static boolean tooLargeToBroadcast(Join join, long maxBytes)
    {
        return estimatedBytes(join.getRight()) > maxBytes;
    }

    /**
     * What is known of column {@code index} of what {@code node} delivers, traced to the table column or
     * the grouping key it comes from: its distinct values and range as the table's statistics give them
     * ({@link io.glaux.coordinator.metadata.TableStatistics}), and the rows of the relation they were
     * counted in (the table's, before any filter). A column that cannot be traced, or whose distinct values
     * are unknown ({@code counted} false), counts as many distinct values as those rows (it may be a key).
     */
    record ColumnEstimate(double distinct, double relationRows, double min, double max, boolean counted)
    {
        /** Whether the column may be a key of its relation: about as many distinct values as rows. */
        boolean unique()
        {
            return distinct >= 0.9 * relationRows;
        }

        boolean hasRange()
        {
            return !Double.isNaN(min) && !Double.isNaN(max) && min <= max;
        }
    }

    static ColumnEstimate column(RelNode node, int index)
    {
        switch (node) {
            case HepRelVertex vertex -> {
                return column(vertex.getCurrentRel(), index);
            }
            case Project project -> {
                RexNode expression = project.getProjects().get(index);
                if (expression.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
                    expression = ((org.apache.calcite.rex.RexCall) expression).getOperands().getFirst();
                }
                if (expression instanceof RexInputRef reference) {
                    return column(project.getInput(), reference.getIndex());
                }
            }
            case Filter filter -> {
                return column(filter.getInput(), index);
            }
            case Sort sort -> {
                return column(sort.getInput(), index);
            }
            case Join join -> {
                int leftCount = join.getLeft().getRowType().getFieldCount();
                if (index < leftCount) {
                    return column(join.getLeft(), index);
                }
                if (join.getJoinType().projectsRight()) {
                    return column(join.getRight(), index - leftCount);
                }
            }
            case Aggregate aggregate when index < aggregate.getGroupCount() -> {
                double rows = rows(aggregate);
                if (aggregate.getGroupCount() == 1) {
                    // the groups' key is unique
                    ColumnEstimate input = column(aggregate.getInput(), aggregate.getGroupSet().nth(0));
                    return new ColumnEstimate(rows, rows, input.min(), input.max(), true);
                }
                ColumnEstimate input = column(aggregate.getInput(), aggregate.getGroupSet().nth(index));
                return new ColumnEstimate(Math.min(input.distinct(), rows), rows, input.min(), input.max(), input.counted());
            }
            case GlauxTableScan scan when index < scan.projections().size()
                    && scan.projections().get(index) instanceof io.glaux.engine.expr.Expression.InputRef reference -> {
                double tableRows = scan.getTable().getRowCount();
                io.glaux.coordinator.metadata.ColumnStatistics statistics = scan.hiveTable().columnStatistics(scan.columns().get(reference.index()).name());
                double distinct = Double.isNaN(statistics.distinctValues()) ? tableRows : Math.min(statistics.distinctValues(), Math.max(1, tableRows));
                return new ColumnEstimate(Math.max(1, distinct), Math.max(1, tableRows), statistics.min(), statistics.max(), !Double.isNaN(statistics.distinctValues()));
            }
            default -> {
            }
        }
        double rows = rows(node);
        return new ColumnEstimate(rows, rows, Double.NaN, Double.NaN, false);
    }

    /**
     * The share of the pairs of rows of {@code left} and {@code right} that the equalities of
     * {@code leftKeys} with {@code rightKeys} keep: one over the keys' distinct values, assuming the
     * values of the side with fewer are among the other's. Where one side's keys may be unique (a primary
     * key: as many distinct values as its relation's rows), the other side is its foreign key and cannot
     * have more distinct values that match: each of its rows meets at most one row of the key's relation
     * (so that orders joined with their line items makes as many rows as the line items, whatever the
     * range of the line items' order keys suggests). Several keys count as one composite key, with at most
     * its relation's rows as distinct values.
     */
    static double equiJoinSelectivity(RelNode left, List<Integer> leftKeys, RelNode right, List<Integer> rightKeys)
    {
        double[] leftSide = keyDistinct(left, leftKeys);
        double[] rightSide = keyDistinct(right, rightKeys);
        boolean leftUnique = leftSide[0] >= 0.9 * leftSide[1];
        boolean rightUnique = rightSide[0] >= 0.9 * rightSide[1];
        double distinct;
        if (leftUnique && rightUnique) {
            distinct = Math.min(leftSide[0], rightSide[0]);
        }
        else if (leftUnique) {
            distinct = leftSide[0];
        }
        else if (rightUnique) {
            distinct = rightSide[0];
        }
        else {
            distinct = Math.max(leftSide[0], rightSide[0]);
        }
        return 1 / Math.max(1, distinct);
    }

    /** The distinct values of the composite key and the rows of the relation they were counted in. */
    private static double[] keyDistinct(RelNode node, List<Integer> keys)
    {
        double distinct = 1;
        double relationRows = 1;
        for (int key : keys) {
            ColumnEstimate column = column(node, key);
            distinct *= column.distinct();
            relationRows = Math.max(relationRows, column.relationRows());
        }
        return new double[] {Math.min(distinct, relationRows), relationRows};
    }

    /**
     * The share of {@code input}'s rows that {@code condition} keeps, conjunct by conjunct: a comparison of a
     * column with a constant by the column's range (the share of {@code [min, max]} that is kept) or
     * distinct values (one of them for an equality); IN lists and ranges likewise; anything else as
     * Calcite guesses it.
     */
    static double selectivity(RelNode input, RexNode condition)
    {
        double selectivity = 1;
        for (RexNode conjunct : org.apache.calcite.plan.RelOptUtil.conjunctions(condition)) {
            selectivity *= conjunctSelectivity(input, conjunct);
        }
        return Math.clamp(selectivity, 0, 1);
    }

    private static double conjunctSelectivity(RelNode input, RexNode conjunct)
    {
        double guess = RelMdUtil.guessSelectivity(conjunct);
        if (!(conjunct instanceof org.apache.calcite.rex.RexCall call) || call.getOperands().size() != 2) {
            return guess;
        }
        RexNode first = stripCast(call.getOperands().get(0));
        RexNode second = stripCast(call.getOperands().get(1));
        org.apache.calcite.sql.SqlKind kind = call.getKind();
        if (first instanceof RexLiteral && second instanceof RexInputRef) {
            RexNode swap = first;
            first = second;
            second = swap;
            kind = kind.reverse();
        }
        if (!(first instanceof RexInputRef reference) || !(second instanceof RexLiteral literal)) {
            return guess;
        }
        ColumnEstimate column = column(input, reference.getIndex());
        if (kind == org.apache.calcite.sql.SqlKind.SEARCH) {
            return searchSelectivity(column, literal, guess);
        }
        double value = number(literal.getValue());
        return switch (kind) {
            case EQUALS -> column.counted() ? 1 / Math.max(1, column.distinct()) : guess;
            case NOT_EQUALS -> column.counted() ? 1 - 1 / Math.max(1, column.distinct()) : guess;
            case LESS_THAN, LESS_THAN_OR_EQUAL -> rangeShare(column, Double.NEGATIVE_INFINITY, value, guess);
            case GREATER_THAN, GREATER_THAN_OR_EQUAL -> rangeShare(column, value, Double.POSITIVE_INFINITY, guess);
            default -> guess;
        };
    }

    /** {@code column IN (...)}, {@code BETWEEN} and ranges (Calcite's SEARCH): points by distinct values, ranges by the column's range. */
    private static double searchSelectivity(ColumnEstimate column, RexLiteral literal, double guess)
    {
        if (!(literal.getValue() instanceof org.apache.calcite.util.Sarg<?> sarg) || sarg.nullAs != org.apache.calcite.rex.RexUnknownAs.UNKNOWN && sarg.nullAs != org.apache.calcite.rex.RexUnknownAs.FALSE) {
            return guess;
        }
        if (sarg.isPoints()) {
            int points = sarg.pointCount;
            return column.counted() ? Math.min(1, points / Math.max(1, column.distinct())) : guess;
        }
        double share = 0;
        for (com.google.common.collect.Range<?> range : sarg.rangeSet.asRanges()) {
            double low = range.hasLowerBound() ? number(range.lowerEndpoint()) : Double.NEGATIVE_INFINITY;
            double high = range.hasUpperBound() ? number(range.upperEndpoint()) : Double.POSITIVE_INFINITY;
            if (Double.isNaN(low) || Double.isNaN(high)) {
                return guess;
            }
            double part = rangeShare(column, low, high, Double.NaN);
            if (Double.isNaN(part)) {
                return guess;
            }
            share += part;
        }
        return Math.min(1, share);
    }

    /** The share of the column's {@code [min, max]} within {@code [low, high]}; {@code otherwise} without a range or a number. */
    private static double rangeShare(ColumnEstimate column, double low, double high, double otherwise)
    {
        if (!column.hasRange() || Double.isNaN(low) || Double.isNaN(high)) {
            return otherwise;
        }
        double width = column.max() - column.min();
        if (width <= 0) {
            return low <= column.min() && column.min() <= high ? 1 : 0;
        }
        double kept = Math.min(high, column.max()) - Math.max(low, column.min());
        // at least a sliver: a range is rarely empty, and an estimate of 0 rows makes everything else free
        return Math.clamp(kept / width, 0.001, 1);
    }

    /** A literal's value as a number (a date as its days since 1970-01-01); NaN when it is not one. */
    private static double number(Object value)
    {
        return switch (value) {
            case java.math.BigDecimal decimal -> decimal.doubleValue();
            case Number number -> number.doubleValue();
            case org.apache.calcite.util.DateString date -> date.getDaysSinceEpoch();
            case null, default -> Double.NaN;
        };
    }

    private static RexNode stripCast(RexNode node)
    {
        return node.getKind() == org.apache.calcite.sql.SqlKind.CAST ? ((org.apache.calcite.rex.RexCall) node).getOperands().getFirst() : node;
    }

    /** A row's bytes in Arrow: fixed widths, 24 bytes a string (its offset and about 20 characters). */
    static double rowBytes(RelDataType rowType)
    {
        double bytes = 0;
        for (RelDataTypeField field : rowType.getFieldList()) {
            bytes += switch (field.getType().getSqlTypeName()) {
                case BOOLEAN, TINYINT -> 1;
                case SMALLINT -> 2;
                case INTEGER, REAL, DATE -> 4;
                case BIGINT, DOUBLE, FLOAT, TIMESTAMP, TIME -> 8;
                case DECIMAL, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 16;
                case CHAR, VARCHAR, BINARY, VARBINARY -> 24;
                default -> 32;
            };
        }
        return Math.max(1, bytes);
    }
}
