package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;

import java.util.List;

/**
 * A scalar expression evaluated over the columns of an Arrow batch. Immutable; rewriting builds new
 * trees. Literal values use the engine's Java representation (see {@link io.glaux.connectors.predicate.Range}):
 * Long for integer types, date and timestamp; Double for real and double; String for varchar;
 * Boolean for boolean; BigDecimal for decimal; null for SQL NULL.
 */
public sealed interface Expression
        permits Expression.InputRef, Expression.Literal, Expression.Call, Expression.FunctionCall, Expression.SpecialForm
{
    Type type();

    /** Column {@code index} of the input batch. */
    record InputRef(int index, Type type)
            implements Expression
    {
        public InputRef
        {
            requireNonNull(type, "type is null");
        }
    }

    record Literal(Object value, Type type)
            implements Expression
    {
        public Literal
        {
            requireNonNull(type, "type is null");
        }
    }

    /**
     * An operator applied to arguments. {@code IN}: the first argument is tested against the rest
     * (all literals). {@code LIKE}: (value, pattern literal[, escape literal]). {@code CAST}: one
     * argument, converted to {@code type}.
     */
    record Call(Operator operator, List<Expression> arguments, Type type)
            implements Expression
    {
        public Call
        {
            requireNonNull(operator, "operator is null");
            arguments = List.copyOf(arguments);
            requireNonNull(type, "type is null");
        }
    }

    /**
     * A scalar function of the {@link FunctionRegistry}, by its Trino name (lower case). {@code type} is
     * the result type; when it differs from the function's own result type the value is cast to it.
     */
    record FunctionCall(String name, List<Expression> arguments, Type type)
            implements Expression
    {
        public FunctionCall
        {
            requireNonNull(name, "name is null");
            arguments = List.copyOf(arguments);
            requireNonNull(type, "type is null");
        }
    }

    /**
     * A form whose arguments are evaluated lazily (only for the rows that need them), so that an error
     * in a branch not taken is not raised. Arguments: {@code IF}: (condition, then, else);
     * {@code CASE}: (condition1, result1, ..., conditionN, resultN, else) — a searched CASE, the else
     * always present (a NULL literal when SQL has none); {@code COALESCE}: (value...);
     * {@code NULLIF}: (value, other); {@code TRY}: (value) — NULL where evaluating it fails with a user
     * error; {@code TRY_CAST}: (value) converted to {@code type}, NULL where the conversion fails.
     */
    record SpecialForm(Form form, List<Expression> arguments, Type type)
            implements Expression
    {
        public SpecialForm
        {
            requireNonNull(form, "form is null");
            arguments = List.copyOf(arguments);
            requireNonNull(type, "type is null");
        }
    }

    enum Form
    {
        IF, CASE, COALESCE, NULLIF, TRY, TRY_CAST
    }

    enum Operator
    {
        EQUAL, NOT_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL,
        AND, OR, NOT, IS_NULL, IS_NOT_NULL, IN, LIKE,
        ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULUS, NEGATE, CAST
    }
}
