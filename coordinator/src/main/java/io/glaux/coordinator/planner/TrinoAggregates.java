package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlBasicAggFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Trino's aggregate functions that neither Calcite's standard operators nor its PostgreSQL library
 * declare, for the validator; the engine runs them ({@link PhysicalPlanner} maps them by name).
 * {@code covar_pop} and {@code covar_samp} are Calcite's own.
 */
final class TrinoAggregates
{
    private TrinoAggregates() {}

    private static final SqlReturnTypeInference NULLABLE_DOUBLE = ReturnTypes.explicit(SqlTypeName.DOUBLE).andThen(SqlTypeTransforms.FORCE_NULLABLE);

    static final List<SqlAggFunction> FUNCTIONS = List.of(
            // min_by(x, y), max_by(x, y): the x of the row with the smallest/largest y
            SqlBasicAggFunction.create("MIN_BY", SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_FORCE_NULLABLE,
                    OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.ANY)),
            SqlBasicAggFunction.create("MAX_BY", SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_FORCE_NULLABLE,
                    OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.ANY)),
            // (y, x) → double
            SqlBasicAggFunction.create("CORR", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC_NUMERIC),
            SqlBasicAggFunction.create("REGR_SLOPE", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC_NUMERIC),
            SqlBasicAggFunction.create("REGR_INTERCEPT", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC_NUMERIC),
            // (x) → double
            SqlBasicAggFunction.create("GEOMETRIC_MEAN", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC),
            SqlBasicAggFunction.create("SKEWNESS", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC),
            SqlBasicAggFunction.create("KURTOSIS", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC));

    static final SqlOperatorTable TABLE = SqlOperatorTables.of(FUNCTIONS);

    /** The statistical aggregates, whose arguments are doubles in Trino (Calcite's covar_pop would keep an integer type). */
    private static final Set<String> ON_DOUBLES = Set.of("corr", "covar_pop", "covar_samp", "regr_slope", "regr_intercept", "geometric_mean", "skewness", "kurtosis");

    /** Casts the arguments of each statistical aggregate to double, as Trino's implicit coercion does (integers, decimals). */
    static SqlNode castArguments(SqlNode parsed)
    {
        return parsed.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlCall call)
            {
                SqlCall visited = (SqlCall) requireNonNull(super.visit(call), "visited is null");
                if (visited.getOperator().getSyntax() != SqlSyntax.FUNCTION || !ON_DOUBLES.contains(visited.getOperator().getName().toLowerCase(Locale.ROOT))) {
                    return visited;
                }
                List<SqlNode> operands = new ArrayList<>();
                for (SqlNode operand : visited.getOperandList()) {
                    SqlParserPos pos = operand.getParserPosition();
                    operands.add(SqlStdOperatorTable.CAST.createCall(pos, operand, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, pos), pos)));
                }
                return visited.getOperator().createCall(visited.getFunctionQuantifier(), visited.getParserPosition(), operands.toArray(SqlNode[]::new));
            }
        });
    }
}
