package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiles {@link Expression} trees over a batch with the given column types into evaluator trees:
 * conditions ({@link BooleanEvaluator}) and values ({@link ValueEvaluator}). Compile once per
 * fragment; the evaluators keep scratch arrays and are used by one thread.
 */
final class ExpressionCompiler
{
    private final List<Type> inputTypes;
    /** The innermost lambda whose body is being compiled, or null. */
    private final Lambdas.Frame frame;

    ExpressionCompiler(List<Type> inputTypes)
    {
        this(inputTypes, null);
    }

    private ExpressionCompiler(List<Type> inputTypes, Lambdas.Frame frame)
    {
        this.inputTypes = List.copyOf(requireNonNull(inputTypes, "inputTypes is null"));
        this.frame = frame;
    }

    /** A compiler for the body of a lambda with the parameters of {@code frame}, inside the current one. */
    ExpressionCompiler inLambda(Lambdas.Frame frame)
    {
        return new ExpressionCompiler(inputTypes, requireNonNull(frame, "frame is null"));
    }

    /** The lambda whose body is compiled, null outside of lambdas. */
    Lambdas.Frame frame()
    {
        return frame;
    }

    /** Whether columns are read directly from the batch by position (not inside a lambda, where positions are elements). */
    boolean readsColumnsDirectly()
    {
        return frame == null;
    }

    private static String symbol(Operator operator)
    {
        return switch (operator) {
            case LESS_THAN -> "<";
            case LESS_THAN_OR_EQUAL -> "<=";
            case GREATER_THAN -> ">";
            case GREATER_THAN_OR_EQUAL -> ">=";
            default -> operator.name();
        };
    }

    static GlauxException notSupported(String what)
    {
        return new GlauxException(ErrorCode.NOT_SUPPORTED, what + " is not supported");
    }

    private static GlauxException invalid(String message)
    {
        return new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Invalid expression: " + message);
    }

    Type inputType(InputRef ref)
    {
        if (ref.index() < 0 || ref.index() >= inputTypes.size()) {
            throw invalid("input " + ref.index() + " out of range (" + inputTypes.size() + " columns)");
        }
        Type actual = inputTypes.get(ref.index());
        if (PhysicalType.of(actual) != PhysicalType.of(ref.type()) || (PhysicalType.of(actual) == PhysicalType.OTHER && !actual.equals(ref.type()))) {
            throw invalid("input " + ref.index() + " is " + actual.trinoName() + ", not " + ref.type().trinoName());
        }
        return actual;
    }

    // ------------------------------------------------------------------ conditions

    BooleanEvaluator condition(Expression expression)
    {
        if (!SqlTypes.isBoolean(expression.type())) {
            throw invalid("condition of type " + expression.type().trinoName());
        }
        return switch (expression) {
            case InputRef ref when frame == null -> {
                inputType(ref);
                yield new LogicalEvaluators.BooleanColumn(ref.index());
            }
            case InputRef ref -> new LogicalEvaluators.ValueAsCondition(value(ref));
            case Literal literal -> new LogicalEvaluators.Constant((Boolean) literal.value());
            case Call call -> condition(call);
            case Expression.FunctionCall _, Expression.SpecialForm _ -> new LogicalEvaluators.ValueAsCondition(value(expression));
        };
    }

    private BooleanEvaluator condition(Call call)
    {
        List<Expression> args = call.arguments();
        Operator operator = call.operator();
        return switch (operator) {
            case AND, OR -> {
                List<BooleanEvaluator> children = new ArrayList<>();
                flatten(call, operator, children);
                yield children.size() == 1 ? children.getFirst() : new LogicalEvaluators.AndOr(children, operator == Operator.AND);
            }
            case NOT -> new LogicalEvaluators.Not(condition(single(call)));
            case IS_NULL, IS_NOT_NULL -> {
                Expression arg = single(call);
                boolean negated = operator == Operator.IS_NOT_NULL;
                if (arg instanceof InputRef ref && frame == null) {
                    inputType(ref);
                    yield new LogicalEvaluators.ColumnIsNull(ref.index(), negated);
                }
                yield new LogicalEvaluators.ValueIsNull(value(arg), negated);
            }
            case IN -> in(call);
            case LIKE -> like(call);
            case EQUAL, NOT_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                if (args.size() != 2) {
                    throw invalid(operator + " with " + args.size() + " arguments");
                }
                yield comparison(operator, args.get(0), args.get(1));
            }
            default -> new LogicalEvaluators.ValueAsCondition(value(call));
        };
    }

    private void flatten(Expression expression, Operator operator, List<BooleanEvaluator> out)
    {
        if (expression instanceof Call call && call.operator() == operator) {
            if (call.arguments().isEmpty()) {
                throw invalid(operator + " without arguments");
            }
            for (Expression arg : call.arguments()) {
                flatten(arg, operator, out);
            }
        }
        else {
            out.add(condition(expression));
        }
    }

    private static Expression single(Call call)
    {
        if (call.arguments().size() != 1) {
            throw invalid(call.operator() + " with " + call.arguments().size() + " arguments");
        }
        return call.arguments().getFirst();
    }

    BooleanEvaluator comparison(Operator operator, Expression left, Expression right)
    {
        if (left instanceof Literal && !(right instanceof Literal)) {
            return comparison(ComparisonEvaluators.flip(operator), right, left);
        }
        Type lt = left.type();
        Type rt = right.type();
        if (!SqlTypes.comparable(lt, rt)) {
            throw notSupported("Comparing " + lt.trinoName() + " with " + rt.trinoName());
        }
        if (operator != Operator.EQUAL && operator != Operator.NOT_EQUAL && (lt.equals(Type.JSON) || rt.equals(Type.JSON))) {
            // as Trino: json has equality, but no order
            throw new GlauxException(ErrorCode.TYPE_MISMATCH, "Cannot apply operator: " + lt.trinoName() + " " + symbol(operator) + " " + rt.trinoName());
        }
        if ((left instanceof Literal l && l.value() == null) || (right instanceof Literal r && r.value() == null)) {
            return new LogicalEvaluators.Constant(null);
        }
        if (left instanceof InputRef ref && right instanceof Literal literal && frame == null) {
            Type column = inputType(ref);
            PhysicalType physical = PhysicalType.of(column);
            Object value = literal.value();
            if (SqlTypes.isIntegral(column) && (SqlTypes.isNumeric(rt) || Decimals.isDecimal(rt))) {
                return SqlTypes.isFloating(rt) || Decimals.isDecimal(rt)
                        ? ComparisonEvaluators.LongRange.of(ref.index(), physical, operator, Literals.toDouble(value, rt))
                        : ComparisonEvaluators.LongRange.of(ref.index(), physical, operator, Literals.toLong(value, rt));
            }
            if (column instanceof Type.Decimal(int precision, int scale) && precision <= 18 && (Decimals.isDecimal(rt) || SqlTypes.isIntegral(rt))) {
                java.math.BigDecimal exact = value instanceof java.math.BigDecimal d ? d : java.math.BigDecimal.valueOf(((Number) value).longValue());
                return ComparisonEvaluators.LongRange.ofDecimal(ref.index(), scale, operator, exact);
            }
            if ((SqlTypes.isDate(column) && SqlTypes.isDate(rt)) || (SqlTypes.isTimestamp(column) && SqlTypes.isTimestamp(rt))) {
                return ComparisonEvaluators.LongRange.of(ref.index(), physical, operator, Literals.toLong(value, rt));
            }
            if (SqlTypes.isFloating(column) && (SqlTypes.isNumeric(rt) || Decimals.isDecimal(rt))) {
                return new ComparisonEvaluators.DoubleLiteral(ref.index(), physical, operator, Literals.toDouble(value, rt));
            }
            if (SqlTypes.isVarchar(column) && SqlTypes.isVarchar(rt)) {
                return new ComparisonEvaluators.VarcharLiteral(ref.index(), operator, Literals.toBytes(value));
            }
        }
        ValueEvaluator[] operands = comparableOperands(value(left), value(right));
        return new ComparisonEvaluators.General(operands[0], operands[1], operator);
    }

    /** Converts two comparable values to one representation (numbers to double when either is floating, date to timestamp). */
    private static ValueEvaluator[] comparableOperands(ValueEvaluator left, ValueEvaluator right)
    {
        Type lt = left.type;
        Type rt = right.type;
        if (SqlTypes.isNumeric(lt) && SqlTypes.isNumeric(rt) && (SqlTypes.isFloating(lt) || SqlTypes.isFloating(rt))) {
            return new ValueEvaluator[] {CastEvaluator.of(left, Type.DOUBLE), CastEvaluator.of(right, Type.DOUBLE)};
        }
        if (Decimals.isDecimal(lt) || Decimals.isDecimal(rt)) {
            if (SqlTypes.isFloating(lt) || SqlTypes.isFloating(rt)) {
                return new ValueEvaluator[] {CastEvaluator.of(left, Type.DOUBLE), CastEvaluator.of(right, Type.DOUBLE)};
            }
            // both exact: compare unscaled values at the larger scale
            int scale = Math.max(Decimals.scale(lt), Decimals.scale(rt));
            Type common = new Type.Decimal(38, scale);
            return new ValueEvaluator[] {CastEvaluator.of(left, common), CastEvaluator.of(right, common)};
        }
        if (lt instanceof Type.TimestampWithTimeZone && rt instanceof Type.TimestampWithTimeZone) {
            // the instants compare, whatever their zones
            return new ValueEvaluator[] {new TimestampWithTimeZoneFunctions.Instant(left), new TimestampWithTimeZoneFunctions.Instant(right)};
        }
        if (SqlTypes.isDate(lt) && SqlTypes.isTimestamp(rt)) {
            return new ValueEvaluator[] {CastEvaluator.of(left, rt), right};
        }
        if (SqlTypes.isTimestamp(lt) && SqlTypes.isDate(rt)) {
            return new ValueEvaluator[] {left, CastEvaluator.of(right, lt)};
        }
        return new ValueEvaluator[] {left, right};
    }

    private BooleanEvaluator in(Call call)
    {
        List<Expression> args = call.arguments();
        if (args.size() < 2) {
            throw invalid("IN with " + args.size() + " arguments");
        }
        Expression valueExpression = args.getFirst();
        Type type = valueExpression.type();
        List<Expression> items = args.subList(1, args.size());
        boolean literals = true;
        for (Expression item : items) {
            literals &= item instanceof Literal && SqlTypes.comparable(type, item.type()) && !(type instanceof Type.TimestampWithTimeZone)
                    && SqlTypes.isDate(type) == SqlTypes.isDate(item.type())
                    && SqlTypes.isTimestamp(type) == SqlTypes.isTimestamp(item.type());
        }
        if (!literals) {
            // general form: a OR of equalities has the same three-valued semantics
            List<BooleanEvaluator> equalities = new ArrayList<>();
            for (Expression item : items) {
                equalities.add(comparison(Operator.EQUAL, valueExpression, item));
            }
            return new LogicalEvaluators.AndOr(equalities, false);
        }
        ValueEvaluator value = value(valueExpression);
        boolean listHasNull = false;
        List<Long> longs = new ArrayList<>();
        List<Double> doubles = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        for (Expression item : items) {
            Literal literal = (Literal) item;
            Object v = literal.value();
            if (v == null) {
                listHasNull = true;
                continue;
            }
            switch (value.physicalType.representation()) {
                case LONG -> {
                    if (SqlTypes.isFloating(literal.type())) {
                        double d = Literals.toDouble(v, literal.type());
                        if (d == Math.rint(d) && Math.abs(d) < 9.2e18) {
                            longs.add((long) d);
                        }
                    }
                    else {
                        longs.add(Literals.toLong(v, literal.type()));
                    }
                }
                case DOUBLE -> doubles.add(Literals.toDouble(v, literal.type()));
                case BYTES -> bytes.add(Literals.toBytes(v));
                case OTHER -> throw notSupported("IN on " + type.trinoName());
            }
        }
        return switch (value.physicalType.representation()) {
            case LONG -> InEvaluator.ofLongs(value, longs.stream().mapToLong(Long::longValue).toArray(), listHasNull);
            case DOUBLE -> InEvaluator.ofDoubles(value, doubles.stream().mapToDouble(Double::doubleValue).toArray(), listHasNull);
            case BYTES -> InEvaluator.ofBytes(value, bytes, listHasNull);
            case OTHER -> throw notSupported("IN on " + type.trinoName());
        };
    }

    private BooleanEvaluator like(Call call)
    {
        List<Expression> args = call.arguments();
        if (args.size() != 2 && args.size() != 3) {
            throw invalid("LIKE with " + args.size() + " arguments");
        }
        if (!SqlTypes.isVarchar(args.get(0).type())) {
            throw notSupported("LIKE on " + args.get(0).type().trinoName());
        }
        if (args.size() == 3 && !(args.get(2) instanceof Literal)) {
            throw notSupported("LIKE with an escape that is not a constant");
        }
        String escape = null;
        if (args.size() == 3) {
            Object escapeValue = ((Literal) args.get(2)).value();
            if (escapeValue == null) {
                return new LogicalEvaluators.Constant(null);
            }
            escape = (String) escapeValue;
        }
        if (!(args.get(1) instanceof Literal pattern)) {
            if (!SqlTypes.isVarchar(args.get(1).type())) {
                throw notSupported("LIKE with a pattern of type " + args.get(1).type().trinoName());
            }
            return new LikeEvaluator.Dynamic(value(args.get(0)), value(args.get(1)), escape);
        }
        if (pattern.value() == null) {
            return new LogicalEvaluators.Constant(null);
        }
        return new LikeEvaluator(value(args.get(0)), LikePattern.compile((String) pattern.value(), escape));
    }

    // ------------------------------------------------------------------ values

    static GlauxException invalidExpression(String message)
    {
        return invalid(message);
    }

    ValueEvaluator value(Expression expression)
    {
        return switch (expression) {
            case InputRef ref -> {
                Type type = inputType(ref);
                if (!Nested.computable(type)) {
                    throw notSupported("Computing on " + type.trinoName() + " values");
                }
                yield frame == null ? new ColumnEvaluator(ref.index(), type) : new Lambdas.CapturedColumn(ref.index(), type, frame);
            }
            case Literal literal -> new ConstantEvaluator(literal.value(), literal.type());
            case Call call -> value(call);
            case Expression.FunctionCall call when FieldReference.is(call) -> FieldReference.compile(this, call);
            case Expression.FunctionCall call when Lambdas.handles(call) -> Lambdas.compile(this, call);
            case Expression.FunctionCall call -> FunctionRegistry.compile(this, call);
            case Expression.SpecialForm form -> SpecialForms.compile(this, form);
        };
    }

    private ValueEvaluator value(Call call)
    {
        Operator operator = call.operator();
        Type type = call.type();
        return switch (operator) {
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULUS -> {
                if (call.arguments().size() != 2) {
                    throw invalid(operator + " with " + call.arguments().size() + " arguments");
                }
                if (Decimals.isDecimal(type)) {
                    yield new DecimalArithmeticEvaluator(operator, decimalOperand(call.arguments().get(0)), decimalOperand(call.arguments().get(1)), type);
                }
                yield new ArithmeticEvaluator(operator, operand(call.arguments().get(0), type), operand(call.arguments().get(1), type), type);
            }
            case NEGATE -> Decimals.isDecimal(type)
                    ? new DecimalArithmeticEvaluator(operator, decimalOperand(single(call)), null, type)
                    : new ArithmeticEvaluator(operator, operand(single(call), type), null, type);
            case CAST -> CastEvaluator.of(value(single(call)), type);
            default -> new LogicalEvaluators.ConditionAsValue(condition(call));
        };
    }

    /** A decimal arithmetic operand: a decimal or an integer (an integer is a decimal of scale 0). */
    private ValueEvaluator decimalOperand(Expression expression)
    {
        ValueEvaluator value = value(expression);
        if (Decimals.isDecimal(value.type) || SqlTypes.isIntegral(value.type)) {
            return value;
        }
        throw notSupported("Decimal arithmetic on " + value.type.trinoName());
    }

    /** An arithmetic operand, converted to the representation of the result type. */
    private ValueEvaluator operand(Expression expression, Type resultType)
    {
        ValueEvaluator value = value(expression);
        if (SqlTypes.isIntegral(resultType)) {
            if (!SqlTypes.isIntegral(value.type)) {
                throw notSupported("Arithmetic on " + value.type.trinoName() + " giving " + resultType.trinoName());
            }
            return value;
        }
        if (SqlTypes.isFloating(resultType) && (SqlTypes.isNumeric(value.type) || Decimals.isDecimal(value.type))) {
            return CastEvaluator.of(value, resultType);
        }
        throw notSupported("Arithmetic on " + value.type.trinoName() + " giving " + resultType.trinoName());
    }
}
