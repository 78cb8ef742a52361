package io.glaux.coordinator.planner;

import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlBasicAggFunction;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;

import java.util.List;

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
}
