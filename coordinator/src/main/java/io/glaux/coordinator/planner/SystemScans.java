package io.glaux.coordinator.planner;

import io.glaux.coordinator.metadata.MetadataFilter;
import io.glaux.coordinator.metadata.SystemTable;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.type.Type;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.type.SqlTypeFamily;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Scans of the coordinator's metadata tables ({@link SystemTable}: system.*, information_schema.*)
 * as engine leaves: the rows are listed for the session's user when the query is planned and become
 * a {@link PlanNode.Values} node, so joins, filters and aggregates over them run in the engine like
 * any other query. A filter right above the scan hands its simple predicates to the listing.
 */
final class SystemScans
{
    private SystemScans() {}

    static Optional<SystemTable> table(RelNode node)
    {
        if (node instanceof LogicalTableScan scan) {
            return Optional.ofNullable(scan.getTable().unwrap(SystemTable.class));
        }
        return Optional.empty();
    }

    static PlanNode values(PlanNodeId id, LogicalTableScan scan, MetadataFilter filter, String user)
    {
        SystemTable table = table(scan).orElseThrow();
        List<Type> types = new ArrayList<>();
        for (RelDataTypeField field : scan.getRowType().getFieldList()) {
            types.add(TypeMapping.fromRelType(field.getType()));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Object[] row : table.rows(filter, user)) {
            rows.add(Arrays.asList(row));
        }
        return new PlanNode.Values(id, types, rows);
    }

    /** The metadata table scan a filter can hand predicates to: the scan itself, or under a projection of its columns. */
    static Optional<LogicalTableScan> scan(RelNode node)
    {
        RelNode below = node instanceof LogicalProject project ? project.getInput() : node;
        if (below instanceof LogicalTableScan scan && table(scan).isPresent()) {
            return Optional.of(scan);
        }
        return Optional.empty();
    }

    /**
     * The conjuncts {@code column = 'text'} and {@code column LIKE 'pattern' [ESCAPE 'c']} of a
     * condition over {@code input} (a scan or a projection over one), by the scan's column names.
     */
    static MetadataFilter filter(RelNode input, RexNode condition)
    {
        LogicalTableScan scan = scan(input).orElseThrow();
        List<String> scanNames = scan.getRowType().getFieldNames();
        List<String> names = new ArrayList<>();
        if (input instanceof LogicalProject project) {
            for (RexNode expression : project.getProjects()) {
                names.add(expression instanceof RexInputRef ref ? scanNames.get(ref.getIndex()) : null);
            }
        }
        else {
            names.addAll(scanNames);
        }
        MetadataFilter filter = MetadataFilter.NONE;
        for (RexNode conjunct : RexUtil.flattenAnd(List.of(condition))) {
            if (!(conjunct instanceof RexCall call)) {
                continue;
            }
            if (call.getKind() == SqlKind.EQUALS) {
                Optional<String> column = column(call.getOperands().get(0), names).or(() -> column(call.getOperands().get(1), names));
                Optional<String> value = text(call.getOperands().get(1)).or(() -> text(call.getOperands().get(0)));
                if (column.isPresent() && value.isPresent()) {
                    filter = filter.withEquality(column.get(), value.get());
                }
            }
            else if (call.getOperator() instanceof SqlLikeOperator like && like.getKind() == SqlKind.LIKE && !like.isNegated()
                    && like.getName().equalsIgnoreCase("LIKE")) {
                Optional<String> column = column(call.getOperands().get(0), names);
                Optional<String> pattern = text(call.getOperands().get(1));
                Optional<String> escape = call.getOperands().size() > 2 ? text(call.getOperands().get(2)) : Optional.of("");
                if (column.isPresent() && pattern.isPresent() && escape.isPresent() && escape.get().length() <= 1) {
                    filter = filter.withLike(column.get(), pattern.get(), escape.get().isEmpty() ? Optional.empty() : Optional.of(escape.get().charAt(0)));
                }
            }
        }
        return filter;
    }

    private static Optional<String> column(RexNode node, List<String> names)
    {
        // the column itself: a cast of it (to a shorter varchar, say) might not compare the same way
        if (node instanceof RexInputRef ref && ref.getType().getFamily() == SqlTypeFamily.CHARACTER && names.get(ref.getIndex()) != null) {
            return Optional.of(names.get(ref.getIndex()));
        }
        return Optional.empty();
    }

    private static Optional<String> text(RexNode node)
    {
        RexNode stripped = RexUtil.removeCast(node);
        if (stripped instanceof RexLiteral literal && literal.getType().getFamily() == SqlTypeFamily.CHARACTER && !literal.isNull()) {
            return Optional.ofNullable(literal.getValueAs(String.class));
        }
        return Optional.empty();
    }
}
