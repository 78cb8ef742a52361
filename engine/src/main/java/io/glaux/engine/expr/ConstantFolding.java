package io.glaux.engine.expr;

import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.SpecialForm;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Replaces the calls of an expression whose arguments are all constants by their value, computed once
 * when the expression is compiled instead of for every row of every batch: {@code DATE '1998-12-01' -
 * INTERVAL '90' DAY} becomes a date literal, so that {@code l_shipdate <= ...} compiles to a range test
 * on the column's raw values. Only deterministic calls with at least one argument are folded, only to
 * types whose literal representation is plain (boolean, integers, date, timestamp, real, double, decimal,
 * varchar), and only when computing them succeeds: a call that fails (a division by zero in a CASE
 * branch that no row takes) is left to fail, or not, when rows are evaluated. Lambdas, their variables
 * and row field references are never folded.
 */
final class ConstantFolding
{
    private static final Set<String> NONDETERMINISTIC = Set.of("uuid", "random", "rand", "shuffle");
    private static final int[] FIRST_ROW = {0};

    private ConstantFolding() {}

    static Expression fold(Expression expression)
    {
        return switch (expression) {
            case Expression.InputRef ref -> ref;
            case Literal literal -> literal;
            case Call call -> {
                List<Expression> arguments = foldAll(call.arguments());
                Expression folded = arguments == call.arguments() ? call : new Call(call.operator(), arguments, call.type());
                yield allLiterals(arguments) ? evaluate(folded) : folded;
            }
            case FunctionCall call -> {
                if (Lambdas.handles(call) || FieldReference.is(call) || NONDETERMINISTIC.contains(call.name())) {
                    yield call;
                }
                List<Expression> arguments = foldAll(call.arguments());
                Expression folded = arguments == call.arguments() ? call : new FunctionCall(call.name(), arguments, call.type());
                yield allLiterals(arguments) ? evaluate(folded) : folded;
            }
            case SpecialForm form -> {
                List<Expression> arguments = foldAll(form.arguments());
                Expression folded = arguments == form.arguments() ? form : new SpecialForm(form.form(), arguments, form.type());
                yield allLiterals(arguments) ? evaluate(folded) : folded;
            }
        };
    }

    /** The folded arguments, or {@code arguments} itself when none changed. */
    private static List<Expression> foldAll(List<Expression> arguments)
    {
        List<Expression> folded = null;
        for (int i = 0; i < arguments.size(); i++) {
            Expression argument = arguments.get(i);
            Expression result = fold(argument);
            if (result != argument && folded == null) {
                folded = new ArrayList<>(arguments.subList(0, i));
            }
            if (folded != null) {
                folded.add(result);
            }
        }
        return folded == null ? arguments : folded;
    }

    private static boolean allLiterals(List<Expression> arguments)
    {
        if (arguments.isEmpty()) {
            return false;
        }
        for (Expression argument : arguments) {
            if (!(argument instanceof Literal)) {
                return false;
            }
        }
        return true;
    }

    /** The value of a call of literals as a literal, or the call itself when it cannot be folded. */
    private static Expression evaluate(Expression call)
    {
        Type type = call.type();
        if (!foldable(type)) {
            return call;
        }
        Block block;
        try (VectorSchemaRoot noColumns = new VectorSchemaRoot(List.of(), List.of(), 1)) {
            ValueEvaluator evaluator = new ExpressionCompiler(List.of()).value(call);
            block = evaluator.evaluate(noColumns, FIRST_ROW, 1);
        }
        catch (RuntimeException e) {
            // fails for these constants: leave it to the rows (it may be in a branch no row takes)
            return call;
        }
        if (block.isNull(0)) {
            return new Literal(null, type);
        }
        Object value = switch (type) {
            case Type.Decimal(int _, int scale) -> BigDecimal.valueOf(block.longs[0], scale);
            case Type.Varchar _ -> new String(block.bytes, block.offsets[0], block.offsets[1] - block.offsets[0], StandardCharsets.UTF_8);
            case Type.Timestamp _ -> block.longs[0];
            default -> {
                if (SqlTypes.isBoolean(type)) {
                    yield block.longs[0] != 0;
                }
                if (SqlTypes.isFloating(type)) {
                    yield block.doubles[0];
                }
                yield block.longs[0];
            }
        };
        return new Literal(value, type);
    }

    private static boolean foldable(Type type)
    {
        return type instanceof Type.Decimal || type instanceof Type.Varchar || type instanceof Type.Timestamp
                || SqlTypes.isBoolean(type) || SqlTypes.isNumeric(type) || SqlTypes.isDate(type);
    }
}
