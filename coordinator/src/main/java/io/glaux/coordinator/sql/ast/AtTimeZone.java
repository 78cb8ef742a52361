package io.glaux.coordinator.sql.ast;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Trino's {@code x AT TIME ZONE zone}: the instant of x shown in {@code zone}, a
 * {@code timestamp(p) with time zone} (a timestamp without a zone is first taken in the session's
 * zone). It binds tighter than arithmetic, as in Trino. The planner runs it as {@code at_timezone}.
 */
public final class AtTimeZone
{
    public static final SqlOperator OPERATOR = new SqlBinaryOperator("AT TIME ZONE", SqlKind.OTHER, 90, true,
            binding -> {
                RelDataType value = binding.getOperandType(0);
                int precision = value.getSqlTypeName() == SqlTypeName.DATE ? 0 : Math.max(value.getPrecision(), 0);
                RelDataType type = binding.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP_TZ, precision);
                return binding.getTypeFactory().createTypeWithNullability(type, value.isNullable() || binding.getOperandType(1).isNullable());
            },
            null,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER))
    {
        @Override
        public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call)
        {
            // no lookup by name in the operator table: the parser made this very operator
            return validateOperands(validator, scope, call);
        }
    };

    private AtTimeZone() {}
}
