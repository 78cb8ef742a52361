package io.glaux.coordinator.planner;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Trino's rule for dotted names in expressions: {@code info.a} is field {@code a} of column
 * {@code info} when no relation of the query is called {@code info}. Calcite reads a dotted name as
 * {@code table.column} (or deeper) only, so before validation every dotted name in an expression whose
 * first part names no relation, schema or catalog of the statement (nor any alias in it) becomes a
 * chain of field accesses ({@code (info).a}): the validator then resolves {@code info} as a column,
 * with its usual "not found" and "ambiguous" errors, and {@code a} as one of its fields. A name that
 * does start with a relation is left alone, so a table alias always wins, as in Trino. Mutates the
 * statement in place.
 */
final class RowFieldReferences
{
    private final Set<String> qualifiers = new HashSet<>();

    private RowFieldReferences() {}

    /** Rewrites the dotted names of {@code statement}'s expressions that start with a column. */
    static SqlNode rewrite(SqlNode statement)
    {
        RowFieldReferences references = new RowFieldReferences();
        references.collect(statement);
        return references.expression(statement);
    }

    // ---- pass 1: every name a dotted reference could start with

    private void collect(SqlNode node)
    {
        switch (node) {
            case null -> { }
            case SqlSelect select -> {
                collectFrom(select.getFrom());
                for (SqlNode child : select.getOperandList()) {
                    if (child != select.getFrom()) {
                        collect(child);
                    }
                }
            }
            case SqlWithItem item -> {
                qualifiers.add(normalize(item.name.getSimple()));
                collect(item.query);
            }
            case SqlCall call -> {
                if (call.getKind() == SqlKind.AS) {
                    collectAliases(call);
                }
                for (SqlNode operand : call.getOperandList()) {
                    collect(operand);
                }
            }
            case SqlNodeList list -> list.forEach(this::collect);
            default -> { }
        }
    }

    private void collectFrom(SqlNode from)
    {
        switch (from) {
            case null -> { }
            case SqlIdentifier table -> table.names.forEach(name -> qualifiers.add(normalize(name)));
            case SqlJoin join -> {
                collectFrom(join.getLeft());
                collectFrom(join.getRight());
                collect(join.getCondition());
            }
            case SqlCall call when call.getKind() == SqlKind.AS -> {
                collectAliases(call);
                collectFrom(call.operand(0));
            }
            default -> collect(from);
        }
    }

    private void collectAliases(SqlCall as)
    {
        List<SqlNode> operands = as.getOperandList();
        for (SqlNode alias : operands.subList(1, operands.size())) {
            if (alias instanceof SqlIdentifier identifier && identifier.isSimple()) {
                qualifiers.add(normalize(identifier.getSimple()));
            }
        }
    }

    // ---- pass 2: rewrite the dotted names of expressions

    /** {@code node} in an expression position, with its dotted names rewritten. */
    private SqlNode expression(SqlNode node)
    {
        switch (node) {
            case null -> {
                return null;
            }
            case SqlIdentifier identifier -> {
                return field(identifier);
            }
            case SqlSelect select -> {
                select.setFrom(from(select.getFrom()));
                select.setSelectList((SqlNodeList) expression(select.getSelectList()));
                select.setWhere(expression(select.getWhere()));
                select.setGroupBy((SqlNodeList) expression(select.getGroup()));
                select.setHaving(expression(select.getHaving()));
                select.setQualify(expression(select.getQualify()));
                select.setOrderBy((SqlNodeList) expression(select.getOrderList()));
                return select;
            }
            case SqlWith with -> {
                expression(with.withList);
                with.setOperand(1, expression(with.body));
                return with;
            }
            case SqlWithItem item -> {
                item.setOperand(2, expression(item.query));
                return item;
            }
            case SqlNodeList list -> {
                for (int i = 0; i < list.size(); i++) {
                    SqlNode element = list.get(i);
                    SqlNode rewritten = expression(element);
                    if (rewritten != element) {
                        list.set(i, rewritten);
                    }
                }
                return list;
            }
            case SqlCall call -> {
                List<SqlNode> operands = call.getOperandList();
                // the alias operands of AS name things; they are not references
                int end = call.getKind() == SqlKind.AS ? 1 : operands.size();
                for (int i = 0; i < end; i++) {
                    SqlNode operand = operands.get(i);
                    SqlNode rewritten = expression(operand);
                    if (rewritten != operand) {
                        call.setOperand(i, rewritten);
                    }
                }
                return call;
            }
            default -> {
                return node;
            }
        }
    }

    /** {@code from} in a FROM position: table names stay; subqueries, join conditions and table functions are rewritten. */
    private SqlNode from(SqlNode from)
    {
        switch (from) {
            case null -> {
                return null;
            }
            case SqlIdentifier table -> {
                return table;
            }
            case SqlJoin join -> {
                join.setLeft(from(join.getLeft()));
                join.setRight(from(join.getRight()));
                SqlNode condition = join.getCondition();
                if (condition != null) {
                    join.setOperand(5, expression(condition));
                }
                return join;
            }
            case SqlCall call when call.getKind() == SqlKind.AS -> {
                call.setOperand(0, from(call.operand(0)));
                return call;
            }
            default -> {
                return expression(from);
            }
        }
    }

    private SqlNode field(SqlIdentifier identifier)
    {
        if (identifier.isSimple() || identifier.isStar() || qualifiers.contains(normalize(identifier.names.getFirst()))) {
            return identifier;
        }
        SqlNode access = new SqlIdentifier(identifier.names.getFirst(), identifier.getComponentParserPosition(0));
        for (int i = 1; i < identifier.names.size(); i++) {
            SqlParserPos position = identifier.getComponentParserPosition(i);
            access = new SqlBasicCall(SqlStdOperatorTable.DOT, List.of(access, new SqlIdentifier(identifier.names.get(i), position)),
                    identifier.getParserPosition());
        }
        return access;
    }

    private static String normalize(String name)
    {
        return name.toLowerCase(Locale.ROOT);
    }
}
