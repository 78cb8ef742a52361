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
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

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
     * pushed into it, filters by Calcite's guessed selectivities, an aggregation a tenth of its input
     * (one row without groups). An equi-join delivers as many rows as its larger input (a foreign key
     * meets its primary key), not Calcite's 15% of the product of its inputs, which makes any join of
     * two large tables look larger than every table.
     */
    static double rows(RelNode node)
    {
        double rows = switch (node) {
            case Join join -> joinRows(join);
            case Filter filter -> rows(filter.getInput()) * RelMdUtil.guessSelectivity(filter.getCondition());
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
                        : Math.max(left, right) * (info.nonEquiConditions.isEmpty() ? 1
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
