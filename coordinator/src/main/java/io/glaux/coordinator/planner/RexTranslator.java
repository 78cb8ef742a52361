package io.glaux.coordinator.planner;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Expression.Form;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.engine.expr.FunctionRegistry;
import io.glaux.spi.type.Type;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Translates Calcite row expressions into engine expressions, where the engine can run them:
 * comparisons, boolean logic, IS [NOT] NULL, LIKE, IN, arithmetic (decimals included), CAST and
 * TRY_CAST, CASE/COALESCE/NULLIF/IF/TRY, date/time ± interval literals, EXTRACT, and every function of
 * the engine's {@link FunctionRegistry} (Calcite's standard functions and Glaux's Trino functions, by
 * name). Anything else gives empty, and the caller keeps that expression out of the engine. Values
 * change representation on the way: Calcite's timestamp millis become engine micros; dates stay days;
 * decimal literals stay exact.
 */
final class RexTranslator
{
    private static final RexBuilder REX_BUILDER = new RexBuilder(new GlauxTypeFactory());

    /**
     * The session's time zone while a query is planned: a timestamp, date or text without a zone
     * becomes a timestamp with time zone in it, as in Trino.
     */
    private static final ThreadLocal<String> SESSION_ZONE = ThreadLocal.withInitial(() -> "UTC");

    /** Runs {@code planning} with {@code zone} as the session's time zone. */
    static <T> T withSessionZone(java.time.ZoneId zone, java.util.function.Supplier<T> planning)
    {
        String previous = SESSION_ZONE.get();
        SESSION_ZONE.set(zone.getId());
        try {
            return planning.get();
        }
        finally {
            SESSION_ZONE.set(previous);
        }
    }

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
            case org.apache.calcite.rex.RexFieldAccess access -> fieldAccess(access);
            default -> null;
        };
    }

    /** {@code r.f}: a field of a row column (of a row field, ...), when the field is of a scalar type. */
    private Expression fieldAccess(org.apache.calcite.rex.RexFieldAccess access)
    {
        Type type = supportedType(access);
        if (type == null && access.getType().getSqlTypeName() == SqlTypeName.ROW) {
            // a row inside a row, read through for one of its fields
            try {
                type = TypeMapping.fromRelType(access.getType());
            }
            catch (RuntimeException e) {
                return null;
            }
        }
        Expression row = type == null || access.getReferenceExpr() instanceof org.apache.calcite.rex.RexCorrelVariable ? null : visit(access.getReferenceExpr());
        if (row == null || !(row.type() instanceof Type.Row)) {
            return null;
        }
        return io.glaux.engine.expr.FieldReference.of(row, access.getField().getIndex(), type);
    }

    private static Expression literal(RexLiteral literal)
    {
        if (literal.getType().getSqlTypeName() == SqlTypeName.NULL) {
            // an untyped NULL (SELECT NULL): Trino's unknown type, which is boolean underneath
            return new Expression.Literal(null, Type.BOOLEAN);
        }
        Type type = supportedType(literal);
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
            case DECIMAL -> literal.getValueAs(BigDecimal.class);
            case CHAR, VARCHAR -> literal.getValueAs(String.class);
            case DATE -> (long) literal.getValueAs(Integer.class);
            case TIMESTAMP -> literal.getValueAs(Long.class) * 1000L;
            // micros of the day; an interval is milliseconds or months
            case TIME -> literal.getValueAs(Integer.class) * 1000L;
            case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE,
                 INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND, INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH ->
                    literal.getValueAs(BigDecimal.class).longValue();
            case BINARY, VARBINARY -> literal.getValueAs(org.apache.calcite.avatica.util.ByteString.class).getBytes();
            case UUID -> literal.getValue() instanceof java.util.UUID uuid ? io.glaux.engine.expr.Uuids.toBytes(uuid) : null;
            case ARRAY -> arrayLiteral(literal);
            default -> null;
        };
        return value == null ? null : new Expression.Literal(value, type);
    }

    /** An array literal (Calcite folds a constant ARRAY[...] into one): the list of its element values. */
    private static List<Object> arrayLiteral(RexLiteral literal)
    {
        if (!(literal.getValue() instanceof List<?> elements)) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        for (Object element : elements) {
            if (!(element instanceof RexLiteral elementLiteral)) {
                return null;
            }
            Expression value = literal(elementLiteral);
            if (!(value instanceof Expression.Literal constant)) {
                return null;
            }
            values.add(constant.value());
        }
        return values;
    }

    private static Type supportedType(RexNode node)
    {
        if (node.getType() instanceof TrinoSqlType trino) {
            return trino.type();
        }
        return switch (node.getType().getSqlTypeName()) {
            case ARRAY, MAP, ROW -> nestedType(node.getType());
            case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, FLOAT, DOUBLE, CHAR, VARCHAR, BINARY, VARBINARY, DATE, TIMESTAMP, TIMESTAMP_TZ, UUID,
                 TIME, INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE,
                 INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND, INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH ->
                    TypeMapping.fromRelType(node.getType());
            case DECIMAL -> node.getType().getScale() >= 0 && node.getType().getPrecision() <= 38 ? TypeMapping.fromRelType(node.getType()) : null;
            default -> null;
        };
    }

    /** An array, map or row type whose elements, keys, values and fields the engine computes on; null otherwise. */
    private static Type nestedType(org.apache.calcite.rel.type.RelDataType type)
    {
        try {
            Type nested = TypeMapping.fromRelType(type);
            return FunctionRegistry.canCast(nested, nested) ? nested : null;
        }
        catch (io.glaux.spi.error.GlauxException e) {
            return null;
        }
    }

    private Expression call(RexCall call)
    {
        Type type = supportedType(call);
        if (type == null) {
            return null;
        }
        SqlKind kind = call.getKind();
        if (kind == SqlKind.SEARCH) {
            // x IN (...), BETWEEN and ranges, as comparisons
            RexNode expanded = RexUtil.expandSearch(REX_BUILDER, null, call);
            return expanded.getKind() == SqlKind.SEARCH ? null : visit(expanded);
        }
        if (call.getOperator() == DatetimeMinus.INSTANCE) {
            return function("$datetime_minus", call, type);
        }
        if ((type.equals(Type.INTERVAL_DAY_TO_SECOND) || type.equals(Type.INTERVAL_YEAR_TO_MONTH))
                && (kind == SqlKind.PLUS || kind == SqlKind.MINUS || kind == SqlKind.MINUS_PREFIX || kind == SqlKind.TIMES || kind == SqlKind.DIVIDE)) {
            return intervalArithmetic(call, kind, type);
        }
        return switch (kind) {
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> comparison(call, type);
            case AND -> operator(call, Operator.AND, type);
            case OR -> operator(call, Operator.OR, type);
            case NOT -> operator(call, Operator.NOT, type);
            case IS_NULL -> operator(call, Operator.IS_NULL, type);
            case IS_NOT_NULL -> operator(call, Operator.IS_NOT_NULL, type);
            case IS_TRUE, IS_NOT_FALSE, IS_FALSE, IS_NOT_TRUE -> truthTest(call, kind);
            // the pattern may be computed per row; the escape is a constant
            case LIKE -> call.getOperator().getName().equalsIgnoreCase("LIKE") && (call.getOperands().size() < 3 || call.getOperands().get(2) instanceof RexLiteral)
                    ? operator(call, Operator.LIKE, type) : null;
            case PLUS, MINUS -> SqlTypeName.DATETIME_TYPES.contains(call.getType().getSqlTypeName())
                    ? orElse(datetimePlusInterval(call, kind == SqlKind.MINUS, type), () -> plusInterval(call, kind == SqlKind.MINUS, type))
                    : arithmetic(call, kind == SqlKind.PLUS ? Operator.ADD : Operator.SUBTRACT, type);
            case TIMES -> arithmetic(call, Operator.MULTIPLY, type);
            case DIVIDE -> arithmetic(call, Operator.DIVIDE, type);
            case MOD -> arithmetic(call, Operator.MODULUS, type);
            case MINUS_PREFIX -> arithmetic(call, Operator.NEGATE, type);
            case PLUS_PREFIX -> call.getOperands().size() == 1 ? visit(call.getOperands().getFirst()) : null;
            case CAST -> cast(call, type);
            case SAFE_CAST -> tryCast(call, type);
            case CASE -> form(call, Form.CASE, type);
            case COALESCE -> form(call, Form.COALESCE, type);
            case NULLIF -> form(call, Form.NULLIF, type);
            case EXTRACT -> extract(call, type);
            case FLOOR, CEIL -> call.getOperands().size() == 2 ? floorToUnit(call, kind, type) : function(kind == SqlKind.FLOOR ? "floor" : "ceil", call, type);
            case TRIM -> trim(call, type);
            case POSITION -> call.getOperands().size() == 2 ? function("strpos", List.of(call.getOperands().get(1), call.getOperands().get(0)), type) : null;
            case GREATEST -> function("greatest", call, type);
            case ITEM -> function("$subscript", call, type);
            case ARRAY_VALUE_CONSTRUCTOR -> arrayConstructor(call.getOperands(), type);
            case MAP_VALUE_CONSTRUCTOR -> mapConstructor(call, type);
            case ROW -> function("$row", call, type);
            case LEAST -> function("least", call, type);
            default -> byName(call, type);
        };
    }

    private Expression byName(RexCall call, Type type)
    {
        String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "||" -> function("concat", call, type);
            case "char_length", "character_length" -> function("length", call, type);
            case "translate3" -> function("translate", call, type);
            case "to_milliseconds" -> orElse(toMilliseconds(call, type), () -> function(name, call, type));
            case "if" -> form(call, Form.IF, type);
            case "try" -> form(call, Form.TRY, type);
            case "try_cast" -> tryCast(call, type);
            case "at time zone" -> atTimeZone(call, type);
            case "typeof" -> call.getOperands().size() == 1 ? new Expression.Literal(TypeMapping.trinoName(call.getOperands().getFirst().getType()), type) : null;
            case "$lambda" -> lambda(call);
            case "$empty_array" -> new Expression.Literal(List.of(), type);
            case "$lambda_variable" -> lambdaVariable(call, type);
            default -> LambdaSyntax.isLambdaFunction(name) && call.getOperands().stream().map(RexTranslator::wrapLambda).anyMatch(RexTranslator::isLambda) ? lambdaFunction(name, call, type) : function(name, call, type);
        };
    }

    private static boolean isLambda(RexNode node)
    {
        return node instanceof RexCall call && call.getOperator() == LambdaSyntax.LAMBDA;
    }

    /**
     * A lambda argument whose body the optimizer split around it: Calcite pushes a boolean call into a
     * CASE operand ({@code $LAMBDA(1, CASE(c, a, b))} becomes {@code CASE(c, $LAMBDA(1, a), $LAMBDA(1, b))}),
     * which moves part of the body out of the lambda. The lambda is put back around the whole argument.
     */
    private static RexNode wrapLambda(RexNode operand)
    {
        if (isLambda(operand)) {
            return operand;
        }
        List<RexLiteral> ids = new ArrayList<>();
        RexNode body = operand.accept(new org.apache.calcite.rex.RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                if (isLambda(call)) {
                    ids.add((RexLiteral) call.getOperands().get(0));
                    return call.getOperands().get(1);
                }
                if (LambdaSyntax.isLambdaFunction(call.getOperator().getName())) {
                    // a lambda function inside: its lambdas are its own
                    return call;
                }
                return super.visitCall(call);
            }
        });
        if (ids.isEmpty() || ids.stream().map(RexLiteral::getValue2).distinct().count() != 1) {
            return operand;
        }
        return REX_BUILDER.makeCall(LambdaSyntax.LAMBDA, ids.getFirst(), body);
    }

    /** {@code $LAMBDA(id, body)} (see {@link LambdaSyntax}): the engine's lambda, typed by its body. */
    private Expression lambda(RexCall call)
    {
        Expression id = visit(call.getOperands().get(0));
        Expression body = visit(call.getOperands().get(1));
        if (id == null || body == null) {
            return null;
        }
        return new Expression.FunctionCall("$lambda", List.of(id, body), body.type());
    }

    /** {@code $LAMBDA_VARIABLE(id, index, kind, source)}: parameter {@code index} of lambda {@code id} (the source only typed it). */
    private Expression lambdaVariable(RexCall call, Type type)
    {
        Expression id = visit(call.getOperands().get(0));
        Expression index = visit(call.getOperands().get(1));
        if (id == null || index == null) {
            return null;
        }
        return new Expression.FunctionCall("$lambda_variable", List.of(id, index), type);
    }

    /** A function called with lambdas: not strict in its lambdas (nor in reduce's initial state, converted to the state's type). */
    private Expression lambdaFunction(String name, RexCall call, Type type)
    {
        RexNode first = call.getOperands().getFirst();
        if (first instanceof RexLiteral literal && literal.isNull()) {
            return new Expression.Literal(null, type);
        }
        List<RexNode> operands = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
            operands.add(wrapLambda(operand));
        }
        List<Expression> arguments = arguments(operands);
        if (arguments == null) {
            return null;
        }
        if (name.equals("reduce")) {
            RelDataType initial = call.getOperands().get(1).getType();
            if (initial.getSqlTypeName() == SqlTypeName.NULL) {
                return null;
            }
            Type state = TypeMapping.fromRelType(LambdaSyntax.stateType(REX_BUILDER.getTypeFactory(), initial));
            if (!arguments.get(1).type().equals(state)) {
                arguments = new ArrayList<>(arguments);
                arguments.set(1, new Expression.Call(Operator.CAST, List.of(arguments.get(1)), state));
            }
        }
        return FunctionRegistry.supports(name, arguments, type) ? new Expression.FunctionCall(name, arguments, type) : null;
    }

    /** {@code ARRAY[a, b, ...]}: not strict (a NULL argument is a NULL element). */
    private Expression arrayConstructor(List<RexNode> operands, Type type)
    {
        if (!(type instanceof Type.Array array) || operands.isEmpty()) {
            return null;
        }
        List<Expression> arguments = new ArrayList<>();
        for (RexNode operand : operands) {
            Expression argument = operand instanceof RexLiteral literal && literal.getType().getSqlTypeName() == SqlTypeName.NULL
                    ? new Expression.Literal(null, array.element()) : visit(operand);
            if (argument == null) {
                return null;
            }
            arguments.add(argument);
        }
        return FunctionRegistry.supports("$array", arguments, type) ? new Expression.FunctionCall("$array", arguments, type) : null;
    }

    /** {@code MAP[k1, v1, k2, v2, ...]}: map(ARRAY[k1, k2, ...], ARRAY[v1, v2, ...]). */
    private Expression mapConstructor(RexCall call, Type type)
    {
        if (!(type instanceof Type.MapType map) || call.getOperands().isEmpty()) {
            return null;
        }
        List<RexNode> keys = new ArrayList<>();
        List<RexNode> values = new ArrayList<>();
        for (int i = 0; i < call.getOperands().size(); i++) {
            (i % 2 == 0 ? keys : values).add(call.getOperands().get(i));
        }
        Expression keyArray = arrayConstructor(keys, new Type.Array(map.key()));
        Expression valueArray = arrayConstructor(values, new Type.Array(map.value()));
        if (keyArray == null || valueArray == null) {
            return null;
        }
        List<Expression> arguments = List.of(keyArray, valueArray);
        return FunctionRegistry.supports("map", arguments, type) ? new Expression.FunctionCall("map", arguments, type) : null;
    }

    private Expression function(String name, RexCall call, Type type)
    {
        return function(name, call.getOperands(), type);
    }

    private Expression function(String name, List<RexNode> operands, Type type)
    {
        for (RexNode operand : operands) {
            // a row's field may be NULL (ROW(1, NULL))
            if (operand instanceof RexLiteral literal && literal.getType().getSqlTypeName() == SqlTypeName.NULL && !name.equals("$row")) {
                // every registry function is NULL on a NULL argument
                return FunctionRegistry.names().contains(name) ? new Expression.Literal(null, type) : null;
            }
        }
        List<Expression> arguments = arguments(operands);
        if (arguments != null) {
            String zoned = SESSION_ZONED.get(name + "/" + arguments.size());
            if (zoned != null) {
                // the engine's form taking the session's zone as a constant last argument
                name = zoned;
                arguments = new ArrayList<>(arguments);
                arguments.add(new Expression.Literal(SESSION_ZONE.get(), Type.VARCHAR));
            }
        }
        List<Expression> typed = arguments == null ? null : typedEmptyArrays(arguments);
        if (typed != null) {
            arguments = typed;
        }
        if (arguments == null || !FunctionRegistry.supports(name, arguments, type)) {
            return null;
        }
        return new Expression.FunctionCall(name, arguments, type);
    }

    /**
     * The arguments with each {@code ARRAY[]} (array(unknown), see {@link ArraySyntax#EMPTY_ARRAY}) typed as the
     * call's other arrays ({@code concat(ARRAY[1], ARRAY[])}); null when there is none or no other array.
     */
    private static List<Expression> typedEmptyArrays(List<Expression> arguments)
    {
        Type.Array typed = null;
        boolean empty = false;
        for (Expression argument : arguments) {
            if (isEmptyArray(argument)) {
                empty = true;
            }
            else if (typed == null && argument.type() instanceof Type.Array array) {
                typed = array;
            }
        }
        if (!empty || typed == null) {
            return null;
        }
        List<Expression> retyped = new ArrayList<>();
        for (Expression argument : arguments) {
            retyped.add(isEmptyArray(argument) ? new Expression.Literal(List.of(), typed) : argument);
        }
        return retyped;
    }

    private static boolean isEmptyArray(Expression expression)
    {
        return expression instanceof Expression.Literal(Object value, Type type) && value instanceof List<?> list && list.isEmpty()
                && type.equals(new Type.Array(Type.BOOLEAN));
    }

    /**
     * Functions whose result is in the session's zone (name/argument count), and the engine function
     * that takes that zone as a last argument: {@code from_unixtime(x)} is {@code from_unixtime(x, zone)}.
     */
    private static final java.util.Map<String, String> SESSION_ZONED = java.util.Map.of(
            "from_unixtime/1", "from_unixtime",
            "from_iso8601_timestamp/1", "$from_iso8601_timestamp",
            "parse_datetime/2", "$parse_datetime");

    private List<Expression> arguments(List<RexNode> operands)
    {
        List<Expression> arguments = new ArrayList<>();
        for (RexNode operand : operands) {
            Expression argument = visit(operand);
            if (argument == null) {
                return null;
            }
            arguments.add(argument);
        }
        return arguments;
    }

    private Expression operator(RexCall call, Operator operator, Type type)
    {
        List<Expression> arguments = arguments(call.getOperands());
        return arguments == null ? null : new Expression.Call(operator, arguments, type);
    }

    private Expression comparison(RexCall call, Type type)
    {
        List<Expression> arguments = arguments(call.getOperands());
        if (arguments == null || arguments.size() != 2) {
            return null;
        }
        // a decimal literal compared with an integer or floating value compares as a double (so the
        // comparison can prune row groups and use the literal fast paths)
        Expression left = decimalLiteralAsDouble(arguments.get(0), arguments.get(1).type());
        Expression right = decimalLiteralAsDouble(arguments.get(1), arguments.get(0).type());
        Operator operator = switch (call.getKind()) {
            case EQUALS -> Operator.EQUAL;
            case NOT_EQUALS -> Operator.NOT_EQUAL;
            case LESS_THAN -> Operator.LESS_THAN;
            case LESS_THAN_OR_EQUAL -> Operator.LESS_THAN_OR_EQUAL;
            case GREATER_THAN -> Operator.GREATER_THAN;
            default -> Operator.GREATER_THAN_OR_EQUAL;
        };
        return new Expression.Call(operator, List.of(left, right), type);
    }

    private static Expression decimalLiteralAsDouble(Expression expression, Type other)
    {
        if (expression instanceof Expression.Literal literal && literal.type() instanceof Type.Decimal && !(other instanceof Type.Decimal)
                && isNumber(other)) {
            return new Expression.Literal(literal.value() == null ? null : ((BigDecimal) literal.value()).doubleValue(), Type.DOUBLE);
        }
        return expression;
    }

    private static boolean isNumber(Type type)
    {
        return type instanceof Type.Primitive(Type.Kind kind) && switch (kind) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE -> true;
            default -> false;
        };
    }

    private Expression truthTest(RexCall call, SqlKind kind)
    {
        Expression value = visit(call.getOperands().getFirst());
        if (value == null) {
            return null;
        }
        if (kind == SqlKind.IS_FALSE || kind == SqlKind.IS_NOT_TRUE) {
            value = new Expression.Call(Operator.NOT, List.of(value), Type.BOOLEAN);
        }
        boolean whenNull = kind == SqlKind.IS_NOT_FALSE || kind == SqlKind.IS_NOT_TRUE;
        return new Expression.SpecialForm(Form.COALESCE, List.of(value, new Expression.Literal(whenNull, Type.BOOLEAN)), Type.BOOLEAN);
    }

    private Expression arithmetic(RexCall call, Operator operator, Type type)
    {
        SqlTypeName name = call.getType().getSqlTypeName();
        if (!SqlTypeName.NUMERIC_TYPES.contains(name)) {
            return null;
        }
        for (RexNode operand : call.getOperands()) {
            if (!SqlTypeName.NUMERIC_TYPES.contains(operand.getType().getSqlTypeName())) {
                return null;
            }
        }
        if (name == SqlTypeName.DECIMAL) {
            // decimal arithmetic takes decimal or integer operands
            for (RexNode operand : call.getOperands()) {
                if (!SqlTypeName.EXACT_TYPES.contains(operand.getType().getSqlTypeName())) {
                    return null;
                }
            }
        }
        return operator(call, operator, type);
    }

    private Expression cast(RexCall call, Type type)
    {
        Expression argument = visit(call.getOperands().getFirst());
        if (argument == null || !FunctionRegistry.canCast(argument.type(), type)) {
            return null;
        }
        return cast(argument, type);
    }

    /** TRY_CAST: to a timestamp with time zone, the session-zone CAST of {@link #cast(Expression, Type)} under TRY. */
    private Expression tryCast(RexCall call, Type type)
    {
        if (type instanceof Type.TimestampWithTimeZone && call.getOperands().size() == 1) {
            Expression argument = visit(call.getOperands().getFirst());
            if (argument != null && !(argument.type() instanceof Type.TimestampWithTimeZone)) {
                Expression cast = FunctionRegistry.canCast(argument.type(), type) ? cast(argument, type) : null;
                return cast == null ? null : new Expression.SpecialForm(Form.TRY, List.of(cast), type);
            }
        }
        return form(call, Form.TRY_CAST, type);
    }

    /** CAST, where a value without a zone becomes a timestamp with time zone in the session's zone. */
    private static Expression cast(Expression argument, Type type)
    {
        if (type instanceof Type.TimestampWithTimeZone && !(argument.type() instanceof Type.TimestampWithTimeZone)) {
            List<Expression> arguments = List.of(argument, new Expression.Literal(SESSION_ZONE.get(), Type.VARCHAR));
            return FunctionRegistry.supports("$to_timestamp_tz", arguments, type) ? new Expression.FunctionCall("$to_timestamp_tz", arguments, type) : null;
        }
        return new Expression.Call(Operator.CAST, List.of(argument), type);
    }

    /** {@code x AT TIME ZONE zone}: at_timezone, a timestamp without a zone first taken in the session's zone. */
    private Expression atTimeZone(RexCall call, Type type)
    {
        List<Expression> arguments = arguments(call.getOperands());
        if (arguments == null || arguments.size() != 2 || !(type instanceof Type.TimestampWithTimeZone)) {
            return null;
        }
        Expression value = arguments.get(0);
        if (!(value.type() instanceof Type.TimestampWithTimeZone)) {
            value = cast(value, type);
            if (value == null) {
                return null;
            }
        }
        List<Expression> atArguments = List.of(value, arguments.get(1));
        return FunctionRegistry.supports("at_timezone", atArguments, type) ? new Expression.FunctionCall("at_timezone", atArguments, type) : null;
    }

    private Expression form(RexCall call, Form form, Type type)
    {
        List<Expression> arguments = new ArrayList<>();
        List<RexNode> operands = call.getOperands();
        for (int i = 0; i < operands.size(); i++) {
            RexNode operand = operands.get(i);
            Expression argument;
            if (operand instanceof RexLiteral literal && literal.getType().getSqlTypeName() == SqlTypeName.NULL) {
                // an untyped NULL takes the type of its place: a condition, or the form's value
                boolean condition = (form == Form.CASE && i % 2 == 0 && i + 1 < operands.size()) || (form == Form.IF && i == 0);
                argument = new Expression.Literal(null, condition ? Type.BOOLEAN : type);
            }
            else {
                argument = visit(operand);
            }
            if (argument == null) {
                return null;
            }
            arguments.add(argument);
        }
        switch (form) {
            case CASE -> {
                if (arguments.size() % 2 == 0) {
                    arguments.add(new Expression.Literal(null, type));
                }
                for (int i = 0; i < arguments.size(); i++) {
                    boolean result = i % 2 == 1 || i == arguments.size() - 1;
                    if (result && !FunctionRegistry.canCast(arguments.get(i).type(), type)) {
                        return null;
                    }
                }
            }
            case TRY_CAST -> {
                if (arguments.size() != 1 || !FunctionRegistry.canCast(arguments.getFirst().type(), type)) {
                    return null;
                }
            }
            case IF -> {
                if (arguments.size() == 2) {
                    arguments.add(new Expression.Literal(null, type));
                }
                if (arguments.size() != 3) {
                    return null;
                }
            }
            default -> {
                for (Expression argument : arguments) {
                    if (form != Form.NULLIF && !FunctionRegistry.canCast(argument.type(), type)) {
                        return null;
                    }
                }
            }
        }
        return new Expression.SpecialForm(form, arguments, type);
    }

    /** {@code EXTRACT(unit FROM x)}: Trino's fields (ISO day of week and week). */
    private Expression extract(RexCall call, Type type)
    {
        if (call.getOperands().size() != 2 || !(call.getOperands().getFirst() instanceof RexLiteral flag)
                || !(flag.getValue() instanceof TimeUnitRange unit)) {
            return null;
        }
        String name = switch (unit) {
            case YEAR -> "year";
            case QUARTER -> "quarter";
            case MONTH -> "month";
            case WEEK -> "week";
            case DAY -> "day";
            case DOW, ISODOW -> "day_of_week";
            case DOY -> "day_of_year";
            case ISOYEAR -> "year_of_week";
            case HOUR -> "hour";
            case MINUTE -> "minute";
            case SECOND -> "second";
            default -> null;
        };
        return name == null ? null : function(name, call.getOperands().subList(1, 2), type);
    }

    /** {@code to_milliseconds(INTERVAL ...)}: the engine has no interval type; a literal interval is its milliseconds. */
    private static Expression toMilliseconds(RexCall call, Type type)
    {
        if (call.getOperands().size() != 1 || !(call.getOperands().getFirst() instanceof RexLiteral literal)
                || !SqlTypeFamily.INTERVAL_DAY_TIME.contains(literal.getType())) {
            return null;
        }
        BigDecimal millis = literal.getValueAs(BigDecimal.class);
        return new Expression.Literal(millis == null ? null : millis.longValueExact(), type);
    }

    /** {@code FLOOR(x TO unit)} is date_trunc; CEIL(x TO unit) is not supported. */
    private Expression floorToUnit(RexCall call, SqlKind kind, Type type)
    {
        if (kind != SqlKind.FLOOR || !(call.getOperands().get(1) instanceof RexLiteral flag) || !(flag.getValue() instanceof TimeUnitRange unit)) {
            return null;
        }
        Expression value = visit(call.getOperands().getFirst());
        if (value == null) {
            return null;
        }
        String name = unit.name().toLowerCase(Locale.ROOT);
        List<Expression> arguments = List.of(new Expression.Literal(name, Type.VARCHAR), value);
        return FunctionRegistry.supports("date_trunc", arguments, type) ? new Expression.FunctionCall("date_trunc", arguments, type) : null;
    }

    /** {@code TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)}: whitespace when chars is a single space (Trino's trim). */
    private Expression trim(RexCall call, Type type)
    {
        if (call.getOperands().size() != 3 || !(call.getOperands().getFirst() instanceof RexLiteral flag)
                || !(flag.getValue() instanceof SqlTrimFunction.Flag side)) {
            return null;
        }
        String name = switch (side) {
            case BOTH -> "trim";
            case LEADING -> "ltrim";
            case TRAILING -> "rtrim";
        };
        RexNode characters = call.getOperands().get(1);
        if (characters instanceof RexLiteral literal && " ".equals(literal.getValueAs(String.class))) {
            return function(name, List.of(call.getOperands().get(2)), type);
        }
        return function(name, List.of(call.getOperands().get(2), characters), type);
    }

    private static Expression orElse(Expression expression, java.util.function.Supplier<Expression> otherwise)
    {
        return expression != null ? expression : otherwise.get();
    }

    /** {@code x ± interval} for an interval that is not a literal: the engine's {@code $plus_interval}. */
    private Expression plusInterval(RexCall call, boolean minus, Type type)
    {
        if (call.getOperands().size() != 2) {
            return null;
        }
        RexNode first = call.getOperands().get(0);
        RexNode second = call.getOperands().get(1);
        boolean intervalFirst = SqlTypeFamily.DATETIME_INTERVAL.contains(first.getType());
        if (minus && intervalFirst) {
            return null;
        }
        Expression datetime = visit(intervalFirst ? second : first);
        Expression interval = visit(intervalFirst ? first : second);
        if (datetime == null || interval == null) {
            return null;
        }
        if (minus) {
            interval = new Expression.FunctionCall("$interval_negate", List.of(interval), interval.type());
        }
        List<Expression> arguments = List.of(datetime, interval);
        return FunctionRegistry.supports("$plus_interval", arguments, type) ? new Expression.FunctionCall("$plus_interval", arguments, type) : null;
    }

    /** Arithmetic whose result is an interval: interval ± interval, −interval, interval × number, interval ÷ number. */
    private Expression intervalArithmetic(RexCall call, SqlKind kind, Type type)
    {
        String name = switch (kind) {
            case PLUS -> "$interval_add";
            case MINUS -> "$interval_subtract";
            case MINUS_PREFIX -> "$interval_negate";
            case TIMES -> "$interval_multiply";
            case DIVIDE -> "$interval_divide";
            default -> null;
        };
        if (name == null) {
            return null;
        }
        List<RexNode> operands = call.getOperands();
        if (kind == SqlKind.TIMES && operands.size() == 2 && SqlTypeFamily.DATETIME_INTERVAL.contains(operands.get(1).getType())) {
            // n * interval: the interval first
            operands = List.of(operands.get(1), operands.get(0));
        }
        return function(name, operands, type);
    }

    /** {@code x ± INTERVAL literal} as date_add. */
    private Expression datetimePlusInterval(RexCall call, boolean minus, Type type)
    {
        if (call.getOperands().size() != 2) {
            return null;
        }
        RexNode first = call.getOperands().get(0);
        RexNode second = call.getOperands().get(1);
        RexNode datetime = SqlTypeFamily.DATETIME_INTERVAL.contains(first.getType()) ? second : first;
        RexNode interval = datetime == first ? second : first;
        if (!(interval instanceof RexLiteral literal) || literal.isNull() || !SqlTypeFamily.DATETIME_INTERVAL.contains(interval.getType())
                || (minus && interval == first)) {
            return null;
        }
        Expression value = visit(datetime);
        if (value == null) {
            return null;
        }
        BigDecimal amount = literal.getValueAs(BigDecimal.class);
        if (amount == null) {
            return null;
        }
        if (minus) {
            amount = amount.negate();
        }
        String unit;
        boolean yearMonth = SqlTypeFamily.INTERVAL_YEAR_MONTH.contains(interval.getType());
        if (yearMonth) {
            unit = "month";
        }
        else if (type.equals(Type.DATE)) {
            // day-time intervals are milliseconds; a date moves by whole days only
            BigDecimal[] days = amount.divideAndRemainder(BigDecimal.valueOf(86_400_000L));
            if (days[1].signum() != 0) {
                return null;
            }
            amount = days[0];
            unit = "day";
        }
        else {
            unit = "millisecond";
        }
        long n;
        try {
            n = amount.longValueExact();
        }
        catch (ArithmeticException e) {
            return null;
        }
        List<Expression> arguments = List.of(new Expression.Literal(unit, Type.VARCHAR), new Expression.Literal(n, Type.BIGINT), value);
        return FunctionRegistry.supports("date_add", arguments, type) ? new Expression.FunctionCall("date_add", arguments, type) : null;
    }
}
