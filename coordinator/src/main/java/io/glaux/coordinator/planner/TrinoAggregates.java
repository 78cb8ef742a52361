package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlBasicAggFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Optionality;

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

    /**
     * {@code approx_percentile(x, p)}, {@code approx_percentile(x, w, p)} and the forms with an array of
     * percentiles: x is an integer (the result is a bigint), a real or a double (a decimal is read as
     * a double, as Trino coerces it); w an integer weight; p a double between 0 and 1.
     */
    static final SqlAggFunction APPROX_PERCENTILE = new SqlAggFunction("APPROX_PERCENTILE", null, SqlKind.OTHER_FUNCTION,
            TrinoAggregates::approxPercentileType, null, new ApproxPercentileOperands(), SqlFunctionCategory.USER_DEFINED_FUNCTION,
            false, false, Optionality.FORBIDDEN) {};

    private static final SqlReturnTypeInference NULLABLE_DOUBLE = ReturnTypes.explicit(SqlTypeName.DOUBLE).andThen(SqlTypeTransforms.FORCE_NULLABLE);

    static final List<SqlAggFunction> FUNCTIONS = List.of(
            // min_by(x, y), max_by(x, y): the x of the row with the smallest/largest y
            // min_by(x, y, n), max_by(x, y, n): the x of the n rows with the smallest/largest y, as an array
            SqlBasicAggFunction.create("MIN_BY", SqlKind.OTHER_FUNCTION, TrinoAggregates::byType,
                    OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.ANY).or(OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.ANY, SqlTypeFamily.INTEGER))),
            SqlBasicAggFunction.create("MAX_BY", SqlKind.OTHER_FUNCTION, TrinoAggregates::byType,
                    OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.ANY).or(OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.ANY, SqlTypeFamily.INTEGER))),
            // max(x, n), min(x, n) (renamed before validation): the n largest/smallest values, as an array
            SqlBasicAggFunction.create("MAX_N", SqlKind.OTHER_FUNCTION, arrayOf(0), OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.INTEGER)),
            SqlBasicAggFunction.create("MIN_N", SqlKind.OTHER_FUNCTION, arrayOf(0), OperandTypes.family(SqlTypeFamily.ANY, SqlTypeFamily.INTEGER)),
            SqlBasicAggFunction.create("SET_AGG", SqlKind.OTHER_FUNCTION, arrayOf(0), OperandTypes.ANY),
            SqlBasicAggFunction.create("HISTOGRAM", SqlKind.OTHER_FUNCTION, mapOf(0, -1), OperandTypes.ANY),
            SqlBasicAggFunction.create("MAP_AGG", SqlKind.OTHER_FUNCTION, mapOf(0, 1), OperandTypes.ANY_ANY),
            SqlBasicAggFunction.create("MULTIMAP_AGG", SqlKind.OTHER_FUNCTION, mapOf(0, -2), OperandTypes.ANY_ANY),
            // approx_most_frequent(buckets, value, capacity): the counts of the most frequent values (exact here)
            SqlBasicAggFunction.create("APPROX_MOST_FREQUENT", SqlKind.OTHER_FUNCTION, mapOf(1, -1),
                    OperandTypes.family(SqlTypeFamily.INTEGER, SqlTypeFamily.ANY, SqlTypeFamily.INTEGER)),
            // listagg(x, separator ON OVERFLOW TRUNCATE filler WITH|WITHOUT COUNT), rewritten before parsing
            // (ListaggOverflow): listagg_truncate(x, separator, filler, with count) [WITHIN GROUP (ORDER BY ...)]
            SqlBasicAggFunction.create(ListaggOverflow.TRUNCATE_FUNCTION.toUpperCase(Locale.ROOT), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0_NULLABLE_VARYING,
                    OperandTypes.family(SqlTypeFamily.STRING, SqlTypeFamily.STRING, SqlTypeFamily.STRING, SqlTypeFamily.BOOLEAN)).withGroupOrder(Optionality.OPTIONAL),
            // (y, x) → double
            SqlBasicAggFunction.create("CORR", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC_NUMERIC),
            SqlBasicAggFunction.create("REGR_SLOPE", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC_NUMERIC),
            SqlBasicAggFunction.create("REGR_INTERCEPT", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC_NUMERIC),
            // (x) → double
            SqlBasicAggFunction.create("GEOMETRIC_MEAN", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC),
            SqlBasicAggFunction.create("SKEWNESS", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC),
            SqlBasicAggFunction.create("KURTOSIS", SqlKind.OTHER_FUNCTION, NULLABLE_DOUBLE, OperandTypes.NUMERIC),
            // approx_distinct(x) → bigint: the engine's HyperLogLog sketch, merged across workers
            SqlBasicAggFunction.create("APPROX_DISTINCT", SqlKind.OTHER_FUNCTION, ReturnTypes.BIGINT, OperandTypes.ANY),
            // checksum(x) → varbinary: Trino's order-independent sum of xxHash64s (NULL without rows)
            SqlBasicAggFunction.create("CHECKSUM", SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(SqlTypeName.VARBINARY).andThen(SqlTypeTransforms.FORCE_NULLABLE), OperandTypes.ANY),
            APPROX_PERCENTILE);

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

    /**
     * Gives each sort key of an aggregate's ORDER BY ({@code array_agg(x ORDER BY y DESC)}, {@code listagg(...)
     * WITHIN GROUP (ORDER BY ...)}) without NULLS FIRST/LAST Trino's default, NULLS LAST in both
     * directions (Calcite's would put NULLs first when descending).
     */
    static SqlNode nullsLastInAggregateOrder(SqlNode parsed)
    {
        return parsed.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlCall call)
            {
                SqlCall visited = (SqlCall) requireNonNull(super.visit(call), "visited is null");
                if (visited.getKind() == SqlKind.WITHIN_GROUP && visited.operand(1) instanceof org.apache.calcite.sql.SqlNodeList keys) {
                    // listagg(x, s) WITHIN GROUP (ORDER BY ...)
                    org.apache.calcite.sql.SqlNodeList ordered = nullsLast(keys);
                    return ordered == keys ? visited : visited.getOperator().createCall(visited.getFunctionQuantifier(), visited.getParserPosition(),
                            visited.operand(0), ordered);
                }
                if (visited.getKind() == SqlKind.ARRAY_AGG && visited.operandCount() > 1
                        && visited.operand(visited.operandCount() - 1) instanceof org.apache.calcite.sql.SqlNodeList keys) {
                    // array_agg(x ORDER BY ...): the parser adds the keys as the last operand
                    org.apache.calcite.sql.SqlNodeList ordered = nullsLast(keys);
                    if (ordered == keys) {
                        return visited;
                    }
                    List<SqlNode> operands = new ArrayList<>(visited.getOperandList());
                    operands.set(operands.size() - 1, ordered);
                    return visited.getOperator().createCall(visited.getFunctionQuantifier(), visited.getParserPosition(), operands.toArray(SqlNode[]::new));
                }
                if (visited.getOperator().getSyntax() != SqlSyntax.FUNCTION || visited.operandCount() == 0
                        || !(visited.operand(visited.operandCount() - 1) instanceof org.apache.calcite.sql.SqlOrderBy orderBy) || orderBy.query.isA(SqlKind.QUERY)) {
                    return visited;
                }
                // another aggregate with an ORDER BY in its argument list: read as its last argument's ORDER BY
                org.apache.calcite.sql.SqlNodeList ordered = nullsLast(orderBy.orderList);
                if (ordered == orderBy.orderList) {
                    return visited;
                }
                List<SqlNode> operands = new ArrayList<>(visited.getOperandList());
                operands.set(operands.size() - 1, new org.apache.calcite.sql.SqlOrderBy(orderBy.getParserPosition(), orderBy.query, ordered, orderBy.offset, orderBy.fetch));
                return visited.getOperator().createCall(visited.getFunctionQuantifier(), visited.getParserPosition(), operands.toArray(SqlNode[]::new));
            }
        });
    }

    /** {@code keys} with NULLS LAST on each key that says neither; {@code keys} itself when all say one. */
    private static org.apache.calcite.sql.SqlNodeList nullsLast(org.apache.calcite.sql.SqlNodeList keys)
    {
        List<SqlNode> ordered = new ArrayList<>();
        boolean changed = false;
        for (SqlNode key : keys) {
            if (key.getKind() == SqlKind.NULLS_FIRST || key.getKind() == SqlKind.NULLS_LAST) {
                ordered.add(key);
            }
            else {
                ordered.add(SqlStdOperatorTable.NULLS_LAST.createCall(key.getParserPosition(), key));
                changed = true;
            }
        }
        return changed ? new org.apache.calcite.sql.SqlNodeList(ordered, keys.getParserPosition()) : keys;
    }

    private static RelDataType byType(SqlOperatorBinding binding)
    {
        RelDataTypeFactory factory = binding.getTypeFactory();
        RelDataType x = binding.getOperandType(0);
        RelDataType type = binding.getOperandCount() == 3 ? factory.createArrayType(x, -1) : x;
        return factory.createTypeWithNullability(type, true);
    }

    /** array(type of operand {@code index}), nullable. */
    private static SqlReturnTypeInference arrayOf(int index)
    {
        return binding -> binding.getTypeFactory().createTypeWithNullability(
                binding.getTypeFactory().createArrayType(binding.getOperandType(index), -1), true);
    }

    /** map(type of operand {@code key}, type of operand {@code value}); value -1 is bigint, -2 an array of operand 1. */
    private static SqlReturnTypeInference mapOf(int key, int value)
    {
        return binding -> {
            RelDataTypeFactory factory = binding.getTypeFactory();
            RelDataType valueType = switch (value) {
                case -1 -> factory.createSqlType(SqlTypeName.BIGINT);
                case -2 -> factory.createArrayType(binding.getOperandType(1), -1);
                default -> binding.getOperandType(value);
            };
            RelDataType keyType = factory.createTypeWithNullability(binding.getOperandType(key), false);
            return factory.createTypeWithNullability(factory.createMapType(keyType, valueType), true);
        };
    }

    private static RelDataType approxPercentileType(SqlOperatorBinding binding)
    {
        RelDataTypeFactory factory = binding.getTypeFactory();
        RelDataType x = binding.getOperandType(0);
        RelDataType element = SqlTypeUtil.isIntType(x) ? factory.createSqlType(SqlTypeName.BIGINT)
                : x.getSqlTypeName() == SqlTypeName.REAL ? x : factory.createSqlType(SqlTypeName.DOUBLE);
        element = factory.createTypeWithNullability(element, true);
        RelDataType p = binding.getOperandType(binding.getOperandCount() - 1);
        return p.getSqlTypeName() == SqlTypeName.ARRAY ? factory.createTypeWithNullability(factory.createArrayType(element, -1), true) : element;
    }

    /**
     * Checks the operands: x numeric, w an integer, p numeric or an array. A decimal value and a
     * percentile that is not a double (the literal {@code 0.95} is a decimal) are cast to double, as
     * Trino coerces them.
     */
    private static final class ApproxPercentileOperands
            implements SqlOperandTypeChecker
    {
        @Override
        public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure)
        {
            int count = binding.getOperandCount();
            RelDataType x = binding.getOperandType(0);
            RelDataType p = binding.getOperandType(count - 1);
            boolean valid = SqlTypeUtil.isNumeric(x)
                    && (count == 2 || SqlTypeUtil.isIntType(binding.getOperandType(1)))
                    && (SqlTypeUtil.isNumeric(p) || p.getSqlTypeName() == SqlTypeName.ARRAY || p.getSqlTypeName() == SqlTypeName.NULL);
            if (!valid) {
                if (throwOnFailure) {
                    throw binding.newValidationSignatureError();
                }
                return false;
            }
            if (SqlTypeUtil.isDecimal(x)) {
                castToDouble(binding, 0);
            }
            if (p.getSqlTypeName() != SqlTypeName.ARRAY && p.getSqlTypeName() != SqlTypeName.DOUBLE) {
                castToDouble(binding, count - 1);
            }
            return true;
        }

        private static void castToDouble(SqlCallBinding binding, int index)
        {
            SqlNode operand = binding.operand(index);
            SqlParserPos pos = operand.getParserPosition();
            SqlNode cast = SqlStdOperatorTable.CAST.createCall(pos, operand, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, pos), pos));
            binding.getCall().setOperand(index, cast);
            binding.getValidator().deriveType(binding.getScope(), cast);
        }

        @Override
        public SqlOperandCountRange getOperandCountRange()
        {
            return SqlOperandCountRanges.between(2, 3);
        }

        @Override
        public String getAllowedSignatures(SqlOperator op, String opName)
        {
            return opName + "(<NUMERIC>, <DOUBLE>)\n" + opName + "(<NUMERIC>, <INTEGER>, <DOUBLE>)\n" + opName + "(<NUMERIC>, <ARRAY(DOUBLE)>)";
        }
    }
}
