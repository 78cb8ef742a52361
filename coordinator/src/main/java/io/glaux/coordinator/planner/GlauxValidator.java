package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import io.glaux.engine.expr.FunctionRegistry;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeMappingRule;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SelectScope;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorScope;

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

    /** Every {@code -} can be Trino's datetime difference (see {@link DatetimeMinus}); UNNEST's ordinal is bigint ({@link UnnestOrdinality}); {@code ARRAY[]} is {@link ArraySyntax#EMPTY_ARRAY}. */
    @Override
    protected SqlNode performUnconditionalRewrites(SqlNode node, boolean underFrom)
    {
        DatetimeMinus.rewrite(node);
        UnnestOrdinality.rewrite(node);
        SqlNode emptyArray = ArraySyntax.emptyArray(node);
        if (emptyArray != null) {
            return emptyArray;
        }
        return super.performUnconditionalRewrites(node, underFrom);
    }

    /** As Trino: json is comparable but not orderable, so ORDER BY a json value is TYPE_MISMATCH. */
    @Override
    protected void validateOrderList(SqlSelect select)
    {
        super.validateOrderList(select);
        if (select.getOrderList() == null) {
            return;
        }
        for (SqlNode item : select.getOrderList()) {
            SqlNode key = item;
            while (key instanceof SqlCall call && (key.getKind() == SqlKind.DESCENDING || key.getKind() == SqlKind.NULLS_FIRST || key.getKind() == SqlKind.NULLS_LAST)) {
                key = call.operand(0);
            }
            RelDataType type = getValidatedNodeTypeIfKnown(key);
            if (type == null) {
                try {
                    type = deriveType(getOrderScope(select), key);
                }
                catch (RuntimeException e) {
                    // an ordinal or an expression Calcite resolves otherwise: its own checks apply
                    continue;
                }
            }
            if (type instanceof TrinoSqlType trino && trino.type().equals(Type.JSON)) {
                SqlParserPos pos = key.getParserPosition();
                throw new GlauxException(ErrorCode.TYPE_MISMATCH, new ErrorLocation(Math.max(1, pos.getLineNum()), Math.max(1, pos.getColumnNum())),
                        "Type json is not orderable, and therefore cannot be used in ORDER BY: " + key, null);
            }
        }
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

    /**
     * Calcite's casting rules, and any CAST to or from ipaddress, ipprefix and json ({@link TrinoSqlType},
     * named VARIANT underneath): the engine's CAST decides which of those it evaluates.
     */
    @Override
    public SqlTypeMappingRule getTypeMappingRule()
    {
        SqlTypeMappingRule rule = super.getTypeMappingRule();
        return new SqlTypeMappingRule()
        {
            @Override
            public Map<SqlTypeName, ImmutableSet<SqlTypeName>> getTypeMapping()
            {
                return rule.getTypeMapping();
            }

            @Override
            public boolean canApplyFrom(SqlTypeName to, SqlTypeName from)
            {
                return to == SqlTypeName.VARIANT || from == SqlTypeName.VARIANT || rule.canApplyFrom(to, from);
            }
        };
    }

    /**
     * A CAST to or from ipaddress, ipprefix or json that the engine has no conversion for fails here,
     * as in Trino, with TYPE_MISMATCH ({@code Cannot cast ipaddress to bigint}).
     */
    @Override
    public void validateCall(SqlCall call, SqlValidatorScope scope)
    {
        super.validateCall(call, scope);
        if ((call.getKind() != SqlKind.CAST && call.getKind() != SqlKind.SAFE_CAST) || call.operandCount() < 2
                || !(call.operand(1) instanceof SqlDataTypeSpec spec)) {
            return;
        }
        RelDataType from = deriveType(scope, call.operand(0));
        RelDataType to = spec.deriveType(this);
        if (from.getSqlTypeName() == SqlTypeName.NULL || !(trino(from) || trino(to))) {
            return;
        }
        Type source;
        Type target;
        try {
            source = TypeMapping.fromRelType(from);
            target = TypeMapping.fromRelType(to);
        }
        catch (GlauxException e) {
            return;
        }
        if (!source.equals(target) && !FunctionRegistry.canCast(source, target)) {
            SqlParserPos pos = call.getParserPosition();
            throw new GlauxException(ErrorCode.TYPE_MISMATCH, new ErrorLocation(pos.getLineNum(), pos.getColumnNum()),
                    "Cannot cast " + source.trinoName() + " to " + target.trinoName(), null);
        }
    }

    /** Whether {@code type} is (or holds) one of {@link TrinoSqlType}'s types. */
    private static boolean trino(RelDataType type)
    {
        if (type instanceof TrinoSqlType) {
            return true;
        }
        if (type.getComponentType() != null && trino(type.getComponentType())) {
            return true;
        }
        if (type.getKeyType() != null && (trino(type.getKeyType()) || trino(requireNonNull(type.getValueType(), "valueType")))) {
            return true;
        }
        return type.isStruct() && type.getFieldList().stream().anyMatch(field -> trino(field.getType()));
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
