package io.glaux.coordinator.planner;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;

/**
 * Trino's spelling of nested-value syntax that Calcite's parser reads another way: {@code MAP(keys, values)}
 * (Calcite's parser makes it Spark's {@code map(k1, v1, ...)}) becomes a call of the engine's {@code map}
 * function, which takes an array of keys and an array of values.
 */
final class ArraySyntax
{
    private ArraySyntax() {}

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
