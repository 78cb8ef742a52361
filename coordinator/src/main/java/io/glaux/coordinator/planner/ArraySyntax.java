package io.glaux.coordinator.planner;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;

/**
 * Trino's spelling of nested-value syntax that Calcite's parser reads another way: {@code MAP(keys, values)}
 * (Calcite's parser makes it Spark's {@code map(k1, v1, ...)}) becomes a call of the engine's {@code map}
 * function, which takes an array of keys and an array of values. {@code ARRAY[]}, which Calcite's ARRAY
 * constructor refuses, becomes {@link #EMPTY_ARRAY}, typed {@code array(unknown)} as in Trino (Calcite's
 * NULL element type, which any element type absorbs: {@code COALESCE(ARRAY[], ARRAY[1])} is array(integer)).
 */
final class ArraySyntax
{
    /** Trino's {@code ARRAY[]}: an empty array(unknown). */
    static final SqlFunction EMPTY_ARRAY = new SqlFunction("$EMPTY_ARRAY", SqlKind.OTHER_FUNCTION,
            binding -> binding.getTypeFactory().createArrayType(binding.getTypeFactory().createSqlType(SqlTypeName.NULL), -1),
            null, OperandTypes.NILADIC, SqlFunctionCategory.SYSTEM);

    private ArraySyntax() {}

    /** {@link #EMPTY_ARRAY} for an {@code ARRAY[]}, else null (called on every node before validation). */
    static SqlNode emptyArray(SqlNode node)
    {
        if (node instanceof SqlCall call && call.getOperator() == SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR && call.operandCount() == 0) {
            return EMPTY_ARRAY.createCall(call.getParserPosition());
        }
        return null;
    }

    static SqlNode rewrite(SqlNode node)
    {
        return node.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlCall call)
            {
                if (call.getOperator() == SqlLibraryOperators.MAP) {
                    List<SqlNode> operands = new ArrayList<>();
                    for (SqlNode operand : call.getOperandList()) {
                        operands.add(operand == null ? null : operand.accept(this));
                    }
                    SqlUnresolvedFunction map = new SqlUnresolvedFunction(new SqlIdentifier("MAP", call.getParserPosition()), null, null, null, null,
                            SqlFunctionCategory.USER_DEFINED_FUNCTION);
                    return map.createCall(call.getFunctionQuantifier(), call.getParserPosition(), operands.toArray(SqlNode[]::new));
                }
                return super.visit(call);
            }
        });
    }
}
