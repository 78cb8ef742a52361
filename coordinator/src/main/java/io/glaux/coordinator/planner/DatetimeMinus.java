package io.glaux.coordinator.planner;

import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Trino's {@code timestamp - timestamp}, {@code time - time} and the same of timestamps with time zone, an
 * {@code interval day to second}, which
 * Calcite's {@code -} refuses (Calcite spells it {@code (a - b) DAY TO SECOND}). The validator gives every
 * {@code -} this operator; at type derivation a subtraction of anything else takes Calcite's own {@code -}
 * back, so only datetime differences reach the plan with it (the engine's {@code $datetime_minus}).
 */
final class DatetimeMinus
        extends SqlBinaryOperator
{
    static final DatetimeMinus INSTANCE = new DatetimeMinus();

    private DatetimeMinus()
    {
        super("-", SqlKind.OTHER, 40, true, binding -> interval(binding.getTypeFactory(),
                binding.getOperandType(0).isNullable() || binding.getOperandType(1).isNullable()), InferTypes.FIRST_KNOWN, OperandTypes.ANY_ANY);
    }

    /** The subtractions of {@code node} (before validation) take this operator. */
    static void rewrite(SqlNode node)
    {
        if (node instanceof SqlBasicCall call && call.getOperator() == SqlStdOperatorTable.MINUS && call.operandCount() == 2) {
            call.setOperator(INSTANCE);
        }
    }

    @Override
    public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope, SqlCall call)
    {
        RelDataType left = validator.deriveType(scope, call.operand(0));
        RelDataType right = validator.deriveType(scope, call.operand(1));
        SqlTypeName name = left.getSqlTypeName();
        if ((name == SqlTypeName.TIMESTAMP || name == SqlTypeName.TIME || name == SqlTypeName.TIMESTAMP_TZ) && right.getSqlTypeName() == name) {
            return interval(validator.getTypeFactory(), left.isNullable() || right.isNullable());
        }
        ((SqlBasicCall) call).setOperator(SqlStdOperatorTable.MINUS);
        return SqlStdOperatorTable.MINUS.deriveType(validator, scope, call);
    }

    private static RelDataType interval(RelDataTypeFactory factory, boolean nullable)
    {
        RelDataType type = factory.createSqlIntervalType(new SqlIntervalQualifier(TimeUnit.DAY, TimeUnit.SECOND, SqlParserPos.ZERO));
        return factory.createTypeWithNullability(type, nullable);
    }

    /**
     * Whether {@code expression} computes a time or an interval, or subtracts datetimes: Calcite's constant
     * folding has its own semantics for those (and no implementation of this operator); the engine evaluates them.
     */
    static boolean computesTimeOrInterval(RexNode expression)
    {
        if (!(expression instanceof RexCall call)) {
            return false;
        }
        SqlTypeName name = call.getType().getSqlTypeName();
        if (call.getOperator() == INSTANCE || name == SqlTypeName.TIME || SqlTypeName.INTERVAL_TYPES.contains(name)) {
            return true;
        }
        for (RexNode operand : call.getOperands()) {
            SqlTypeName operandType = operand.getType().getSqlTypeName();
            if (computesTimeOrInterval(operand) || operandType == SqlTypeName.TIME || SqlTypeName.INTERVAL_TYPES.contains(operandType)) {
                return true;
            }
        }
        return false;
    }
}
