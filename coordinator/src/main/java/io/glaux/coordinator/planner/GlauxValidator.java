package io.glaux.coordinator.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.validate.SelectScope;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calcite's validator with Trino's hidden columns: a table's {@code "$path"}, {@code "$file_size"}
 * and {@code "$file_modified_time"} can be selected by name but are not part of {@code SELECT *}.
 * Calcite gives the columns a star expands to the star's parser position, which tells them apart
 * from columns named in the select list.
 */
final class GlauxValidator
        extends SqlValidatorImpl
{
    GlauxValidator(SqlOperatorTable operators, SqlValidatorCatalogReader catalogReader, RelDataTypeFactory typeFactory, Config config)
    {
        super(operators, catalogReader, typeFactory, config);
    }

    /** Every {@code -} can be Trino's datetime difference (see {@link DatetimeMinus}). */
    @Override
    protected SqlNode performUnconditionalRewrites(SqlNode node, boolean underFrom)
    {
        DatetimeMinus.rewrite(node);
        return super.performUnconditionalRewrites(node, underFrom);
    }

    @Override
    protected void addToSelectList(List<SqlNode> list, Set<String> aliases, List<Map.Entry<String, RelDataType>> fieldList, SqlNode exp,
            SelectScope scope, boolean includeSystemVars)
    {
        if (exp instanceof SqlIdentifier identifier && identifier.names.getLast().startsWith("$") && fromStar(identifier, scope.getNode())) {
            return;
        }
        super.addToSelectList(list, aliases, fieldList, exp, scope, includeSystemVars);
    }

    private static boolean fromStar(SqlIdentifier identifier, SqlSelect select)
    {
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier candidate && candidate.isStar() && candidate.getParserPosition().equals(identifier.getParserPosition())) {
                return true;
            }
        }
        return false;
    }
}
