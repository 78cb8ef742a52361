package io.glaux.coordinator.planner;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.type.Type;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates Calcite row expressions into engine expressions that workers evaluate, where the engine
 * can: comparisons, boolean logic, IS [NOT] NULL, LIKE, arithmetic and casts over supported scalar
 * types. Anything else stays in the coordinator's plan. Values change representation on the way:
 * Calcite's timestamp millis become engine micros; dates stay days.
 */
final class RexTranslator
{
    private final List<Expression> inputs;

    /** @param inputs what input field {@code i} of the Calcite expression means, as an engine expression */
    RexTranslator(List<Expression> inputs)
    {
        this.inputs = List.copyOf(inputs);
    }

    Optional<Expression> translate(RexNode node)
    {
        return Optional.ofNullable(visit(node));
    }

    private Expression visit(RexNode node)
    {
        return switch (node) {
            case RexInputRef ref -> inputs.get(ref.getIndex());
            case RexLiteral literal -> literal(literal);
            case RexCall call -> call(call);
            default -> null;
        };
    }

    private static Expression literal(RexLiteral literal)
    {
        Type type = supportedType(literal.getType().getSqlTypeName(), literal);
        if (type == null) {
            return null;
        }
        if (literal.isNull()) {
            return new Expression.Literal(null, type);
        }
        Object value = switch (literal.getType().getSqlTypeName()) {
            case BOOLEAN -> literal.getValueAs(Boolean.class);
            case TINYINT, SMALLINT, INTEGER, BIGINT -> literal.getValueAs(Long.class);
            case REAL, FLOAT, DOUBLE -> literal.getValueAs(Double.class);
            case DECIMAL -> literal.getValueAs(BigDecimal.class).doubleValue();
            case CHAR, VARCHAR -> literal.getValueAs(String.class);
            case DATE -> (long) literal.getValueAs(Integer.class);
            case TIMESTAMP -> literal.getValueAs(Long.class) * 1000L;
            default -> null;
        };
        return value == null ? null : new Expression.Literal(value, type);
    }

    private static Type supportedType(SqlTypeName name, RexNode node)
    {
        return switch (name) {
            case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, FLOAT, DOUBLE, CHAR, VARCHAR, DATE, TIMESTAMP -> TypeMapping.fromRelType(node.getType());
            // decimal literals (1.5) compare against double columns; the engine has no decimal arithmetic yet
            case DECIMAL -> node instanceof RexLiteral ? Type.DOUBLE : null;
            default -> null;
        };
    }

    private Expression call(RexCall call)
    {
        Type type = supportedType(call.getType().getSqlTypeName(), call);
        if (type == null) {
            return null;
        }
        Operator operator = switch (call.getKind()) {
            case EQUALS -> Operator.EQUAL;
            case NOT_EQUALS -> Operator.NOT_EQUAL;
            case LESS_THAN -> Operator.LESS_THAN;
            case LESS_THAN_OR_EQUAL -> Operator.LESS_THAN_OR_EQUAL;
            case GREATER_THAN -> Operator.GREATER_THAN;
            case GREATER_THAN_OR_EQUAL -> Operator.GREATER_THAN_OR_EQUAL;
            case AND -> Operator.AND;
            case OR -> Operator.OR;
            case NOT -> Operator.NOT;
            case IS_NULL -> Operator.IS_NULL;
            case IS_NOT_NULL -> Operator.IS_NOT_NULL;
            case LIKE -> call.getOperator().getName().equalsIgnoreCase("LIKE") ? Operator.LIKE : null;
            case PLUS -> Operator.ADD;
            case MINUS -> Operator.SUBTRACT;
            case TIMES -> Operator.MULTIPLY;
            case DIVIDE -> Operator.DIVIDE;
            case MOD -> Operator.MODULUS;
            case MINUS_PREFIX -> Operator.NEGATE;
            case CAST -> Operator.CAST;
            default -> null;
        };
        if (operator == null) {
            return null;
        }
        if (operator == Operator.LIKE && !(call.getOperands().get(1) instanceof RexLiteral)) {
            return null;
        }
        if (isArithmetic(operator) && !isExactOrApproxNumeric(call.getType().getSqlTypeName())) {
            // date/interval arithmetic stays on the coordinator
            return null;
        }
        List<Expression> arguments = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
            Expression argument = visit(operand);
            if (argument == null) {
                return null;
            }
            arguments.add(argument);
        }
        return new Expression.Call(operator, arguments, type);
    }

    private static boolean isArithmetic(Operator operator)
    {
        return switch (operator) {
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULUS, NEGATE -> true;
            default -> false;
        };
    }

    private static boolean isExactOrApproxNumeric(SqlTypeName name)
    {
        return switch (name) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, FLOAT, DOUBLE -> true;
            default -> false;
        };
    }
}
