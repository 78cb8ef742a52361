package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.ANY_ARRAY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.FUNCTION;
import static io.glaux.engine.expr.FunctionRegistry.Arg.MAP;
import static io.glaux.engine.expr.FunctionRegistry.Arg.PREDICATE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VALUE;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Trino's functions that take lambdas ({@code transform(a, x -> x + 1)}), vectorized: a lambda's body is
 * compiled once as an ordinary expression and evaluated once per batch over all the elements of all the
 * selected rows (the flattened child block), not once per element. In a call, the lambda is
 * {@code $lambda(id, body)} and its parameters are {@code $lambda_variable(id, index)}; the body may also
 * read the columns of the row (a capture) and the parameters of enclosing lambdas.
 *
 * <p>While a body is evaluated, its "rows" are the elements: position {@code e} of a {@link Frame}'s
 * domain is one element, {@link Frame#toParent} maps it to the position of its row in the enclosing
 * domain (the enclosing lambda's elements, or the batch), and {@link Frame#paramIndex} to the value of
 * each parameter in {@link Frame#params}. Captured columns and the variables of outer lambdas follow these
 * maps up to their own domain.
 */
final class Lambdas
{
    static final String LAMBDA = "$lambda";
    static final String VARIABLE = "$lambda_variable";

    private static final Set<String> FUNCTIONS = Set.of("transform", "filter", "reduce", "any_match", "all_match", "none_match", "zip_with",
            "map_filter", "transform_keys", "transform_values", "array_sort", "regexp_replace");

    private Lambdas() {}

    static void register(FunctionRegistry.Builder b)
    {
        // a call without a lambda where one is expected (transform(a, 5)): compiled here only then
        FunctionRegistry.Factory none = (a, c, t) -> {
            throw new io.glaux.spi.error.GlauxException(io.glaux.spi.error.ErrorCode.FUNCTION_NOT_FOUND,
                    "Unexpected parameters for a function that takes a lambda expression: pass a lambda such as x -> x + 1");
        };
        b.add("transform", args(ANY_ARRAY, FUNCTION), types -> new Type.Array(types.get(1)), "array(U)",
                "`transform(array, x -> f)`: the array of `f` applied to each element.", none);
        b.add("filter", args(ANY_ARRAY, PREDICATE), types -> types.getFirst(), "array(T)",
                "`filter(array, x -> predicate)`: the elements for which the predicate is true.", none);
        b.add("reduce", args(ANY_ARRAY, VALUE, FUNCTION, FUNCTION), false, types -> types.get(3), "R",
                "`reduce(array, initialState, (s, x) -> s', s -> r)`: folds the elements into a state from `initialState`, then applies the last function.",
                "The state has the initial value's type, integers widened to bigint and decimals to precision 38.", none);
        b.add("any_match", args(ANY_ARRAY, PREDICATE), FunctionRegistry.returns(Type.BOOLEAN), "boolean",
                "Whether the predicate is true for some element (NULL when it is for none but NULL for some).", none);
        b.add("all_match", args(ANY_ARRAY, PREDICATE), FunctionRegistry.returns(Type.BOOLEAN), "boolean",
                "Whether the predicate is true for every element, `true` for an empty array (NULL when it is false for none but NULL for some).", none);
        b.add("none_match", args(ANY_ARRAY, PREDICATE), FunctionRegistry.returns(Type.BOOLEAN), "boolean",
                "Whether the predicate is true for no element (NULL when it is true for none but NULL for some).", none);
        b.add("zip_with", args(ANY_ARRAY, ANY_ARRAY, FUNCTION), types -> new Type.Array(types.get(2)), "array(R)",
                "`zip_with(a, b, (x, y) -> f)`: `f` of the elements at each position; the shorter array is padded with NULLs.", none);
        b.add("map_filter", args(MAP, PREDICATE), types -> types.getFirst(), "map(K, V)",
                "`map_filter(map, (k, v) -> predicate)`: the entries for which the predicate is true.", none);
        b.add("transform_keys", args(MAP, FUNCTION), types -> new Type.MapType(types.get(1), ((Type.MapType) types.getFirst()).value()), "map(K2, V)",
                "`transform_keys(map, (k, v) -> k2)`: the map with each key replaced (new keys distinct and not NULL).", none);
        b.add("transform_values", args(MAP, FUNCTION), types -> new Type.MapType(((Type.MapType) types.getFirst()).key(), types.get(1)), "map(K, V2)",
                "`transform_values(map, (k, v) -> v2)`: the map with each value replaced.", none);
        b.add("array_sort", args(ANY_ARRAY, FUNCTION), false, types -> types.getFirst(), "array(T)",
                "`array_sort(array, (x, y) -> c)`: the array sorted by the comparator, which returns -1, 0 or 1.",
                "The comparator is evaluated on every pair of elements of an array, so arrays of at most 1,024 elements are sorted with one.", none);
        b.add("regexp_replace", args(FunctionRegistry.Arg.VARCHAR, FunctionRegistry.Arg.VARCHAR, FUNCTION), false, FunctionRegistry.returns(Type.VARCHAR), "varchar",
                "`regexp_replace(string, pattern, g -> r)`: replaces every match with the lambda's value for the array of its capturing groups "
                        + "(group 1 first, NULL for a group that did not take part); NULL when the lambda gives NULL for a match.",
                "RE2 syntax: no backreferences or lookaround; the pattern must be a constant.", none, 1);
    }

    /** Whether {@code call} is compiled here: a variable, or a function called with a lambda. */
    static boolean handles(FunctionCall call)
    {
        if (call.name().equals(VARIABLE) || call.name().equals(LAMBDA)) {
            return true;
        }
        return FUNCTIONS.contains(call.name()) && call.arguments().stream().anyMatch(Lambdas::isLambda);
    }

    private static boolean isLambda(Expression expression)
    {
        return expression instanceof FunctionCall call && call.name().equals(LAMBDA);
    }

    /** The parameters of one lambda during the evaluation of its body. */
    static final class Frame
    {
        final long id;
        final Frame parent;
        final Type[] types;
        final Block[] params;
        /** Per parameter: the value in {@code params} of each domain position (-1: NULL); null means the position itself. */
        final int[][] paramIndex;
        /** For each domain position, the position in the enclosing domain. */
        int[] toParent = new int[0];
        private int[] iota = new int[0];

        Frame(long id, Frame parent, Type... types)
        {
            this.id = id;
            this.parent = parent;
            this.types = types.clone();
            this.params = new Block[types.length];
            this.paramIndex = new int[types.length][];
        }

        int[] toParent(int size)
        {
            if (toParent.length < size) {
                toParent = new int[Block.grow(toParent.length, size)];
            }
            return toParent;
        }

        int[] index(int param, int size)
        {
            int[] index = paramIndex[param];
            if (index == null || index.length < size) {
                index = new int[Block.grow(index == null ? 0 : index.length, size)];
                paramIndex[param] = index;
            }
            return index;
        }

        int[] iota(int size)
        {
            if (iota.length < size) {
                int[] grown = new int[Block.grow(iota.length, size)];
                for (int i = 0; i < grown.length; i++) {
                    grown[i] = i;
                }
                iota = grown;
            }
            return iota;
        }
    }

    // ------------------------------------------------------------------ compiling

    private record Lambda(long id, Expression body) {}

    private static Lambda lambda(Expression expression, String function)
    {
        if (!(expression instanceof FunctionCall call) || !call.name().equals(LAMBDA) || call.arguments().size() != 2
                || !(call.arguments().getFirst() instanceof Literal(Object value, Type _)) || !(value instanceof Long id)) {
            throw ExpressionCompiler.invalidExpression(function + " needs a lambda ($lambda(id, body))");
        }
        return new Lambda(id, call.arguments().get(1));
    }

    private static ValueEvaluator body(ExpressionCompiler compiler, Frame frame, Expression body, Type type)
    {
        ValueEvaluator value = compiler.inLambda(frame).value(body);
        return type == null || value.type.equals(type) ? value : CastEvaluator.of(value, type);
    }

    static ValueEvaluator compile(ExpressionCompiler compiler, FunctionCall call)
    {
        List<Expression> args = call.arguments();
        String name = call.name();
        if (name.equals(VARIABLE)) {
            return variable(compiler, call);
        }
        if (name.equals(LAMBDA)) {
            throw ExpressionCompiler.invalidExpression("a lambda outside of a function call");
        }
        int arity = switch (name) {
            case "reduce" -> 4;
            case "zip_with", "regexp_replace" -> 3;
            default -> 2;
        };
        if (args.size() != arity) {
            throw ExpressionCompiler.invalidExpression(name + " with " + args.size() + " arguments");
        }
        Frame scope = compiler.frame();
        Type type = call.type();
        return switch (name) {
            case "transform", "filter", "any_match", "all_match", "none_match", "array_sort" -> {
                ValueEvaluator array = compiler.value(args.get(0));
                Type element = element(array.type, name);
                Lambda lambda = lambda(args.get(1), name);
                Frame frame = name.equals("array_sort") ? new Frame(lambda.id(), scope, element, element) : new Frame(lambda.id(), scope, element);
                yield switch (name) {
                    case "transform" -> new Transform(new Type.Array(element(type, name)), array, frame,
                            body(compiler, frame, lambda.body(), element(type, name)));
                    case "filter" -> new Filter(array.type, array, frame, body(compiler, frame, lambda.body(), Type.BOOLEAN));
                    case "array_sort" -> new SortWithComparator(array.type, array, frame, body(compiler, frame, lambda.body(), Type.BIGINT));
                    default -> new Match(name, array, frame, body(compiler, frame, lambda.body(), Type.BOOLEAN));
                };
            }
            case "zip_with" -> {
                ValueEvaluator left = compiler.value(args.get(0));
                ValueEvaluator right = compiler.value(args.get(1));
                Lambda lambda = lambda(args.get(2), name);
                Frame frame = new Frame(lambda.id(), scope, element(left.type, name), element(right.type, name));
                yield new ZipWith(new Type.Array(element(type, name)), left, right, frame, body(compiler, frame, lambda.body(), element(type, name)));
            }
            case "reduce" -> {
                ValueEvaluator array = compiler.value(args.get(0));
                ValueEvaluator initial = compiler.value(args.get(1));
                Type state = initial.type;
                Lambda input = lambda(args.get(2), name);
                Lambda output = lambda(args.get(3), name);
                Frame inputFrame = new Frame(input.id(), scope, state, element(array.type, name));
                Frame outputFrame = new Frame(output.id(), scope, state);
                yield new Reduce(type, array, initial, inputFrame, body(compiler, inputFrame, input.body(), state),
                        outputFrame, body(compiler, outputFrame, output.body(), type));
            }
            case "map_filter", "transform_keys", "transform_values" -> {
                ValueEvaluator map = compiler.value(args.get(0));
                if (!(map.type instanceof Type.MapType mapType)) {
                    throw ExpressionCompiler.invalidExpression(name + " of " + map.type.trinoName());
                }
                Lambda lambda = lambda(args.get(1), name);
                Frame frame = new Frame(lambda.id(), scope, mapType.key(), mapType.value());
                if (!(type instanceof Type.MapType result)) {
                    throw ExpressionCompiler.invalidExpression(name + " giving " + type.trinoName());
                }
                yield switch (name) {
                    case "map_filter" -> new MapFilter(mapType, map, frame, body(compiler, frame, lambda.body(), Type.BOOLEAN));
                    case "transform_keys" -> new TransformMap(result, map, frame, body(compiler, frame, lambda.body(), result.key()), true);
                    default -> new TransformMap(result, map, frame, body(compiler, frame, lambda.body(), result.value()), false);
                };
            }
            case "regexp_replace" -> {
                ValueEvaluator text = compiler.value(args.get(0));
                if (!(args.get(1) instanceof Literal(Object pattern, Type _)) || !(pattern instanceof String regex)) {
                    throw invalidArgument("regexp_replace with a lambda needs a constant pattern");
                }
                Lambda lambda = lambda(args.get(2), name);
                Frame frame = new Frame(lambda.id(), scope, new Type.Array(Type.VARCHAR));
                yield new RegexpReplace(text, RegexpFunctions.compile(regex), frame, body(compiler, frame, lambda.body(), Type.VARCHAR));
            }
            default -> throw ExpressionCompiler.invalidExpression("unknown lambda function " + name);
        };
    }

    private static Type element(Type type, String function)
    {
        if (!(type instanceof Type.Array array)) {
            throw ExpressionCompiler.invalidExpression(function + " of " + type.trinoName());
        }
        return array.element();
    }

    private static ValueEvaluator variable(ExpressionCompiler compiler, FunctionCall call)
    {
        List<Expression> args = call.arguments();
        if (args.size() != 2 || !(args.get(0) instanceof Literal(Object id, Type _)) || !(args.get(1) instanceof Literal(Object index, Type _))
                || !(id instanceof Long lambdaId) || !(index instanceof Long parameter)) {
            throw ExpressionCompiler.invalidExpression(VARIABLE + " needs a constant lambda id and parameter index");
        }
        int hops = 0;
        Frame frame = compiler.frame();
        while (frame != null && frame.id != lambdaId) {
            frame = frame.parent;
            hops++;
        }
        if (frame == null || parameter < 0 || parameter >= frame.types.length) {
            throw ExpressionCompiler.invalidExpression("parameter " + parameter + " of lambda " + lambdaId + " outside of its body");
        }
        ValueEvaluator variable = new Variable(compiler.frame(), hops, frame, (int) (long) parameter);
        return variable.type.equals(call.type()) ? variable : CastEvaluator.of(variable, call.type());
    }

    // ------------------------------------------------------------------ reading parameters and captures

    /** Maps domain positions of {@code frame} up {@code hops} frames (all the way to the batch when hops is -1). */
    private static int[] up(Frame frame, int hops, int[] positions, int count, int[][] scratch)
    {
        int[] current = positions;
        int h = 0;
        while (frame != null && (hops < 0 || h < hops)) {
            if (scratch[0] == null || scratch[0].length < count) {
                scratch[0] = new int[Block.grow(scratch[0] == null ? 0 : scratch[0].length, count)];
                scratch[1] = new int[scratch[0].length];
            }
            int[] next = scratch[h & 1];
            int[] toParent = frame.toParent;
            for (int j = 0; j < count; j++) {
                next[j] = toParent[current[j]];
            }
            current = next;
            frame = frame.parent;
            h++;
        }
        return current;
    }

    /** A parameter of a lambda, in the domain of the innermost lambda being evaluated. */
    private static final class Variable
            extends ValueEvaluator
    {
        private final Frame current;
        private final int hops;
        private final Frame target;
        private final int parameter;
        private final int[][] scratch = new int[2][];

        Variable(Frame current, int hops, Frame target, int parameter)
        {
            super(target.types[parameter]);
            this.current = current;
            this.hops = hops;
            this.target = target;
            this.parameter = parameter;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            int[] at = up(current, hops, positions, count, scratch);
            gather(target.params[parameter], type, at, target.paramIndex[parameter], count, result);
            return result;
        }
    }

    /** A column of the row, read inside a lambda's body (a capture). */
    static final class CapturedColumn
            extends ValueEvaluator
    {
        private final int index;
        private final Frame frame;
        private final int[][] scratch = new int[2][];

        CapturedColumn(int index, Type type, Frame frame)
        {
            super(type);
            this.index = index;
            this.frame = requireNonNull(frame, "frame is null");
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Nested.gather(batch.getVector(index), type, up(frame, -1, positions, count, scratch), count, result);
            return result;
        }
    }

    /** Values {@code map[at[j]]} (or {@code at[j]} when map is null; -1 is NULL) of {@code source} into {@code out}. */
    static void gather(Block source, Type type, int[] at, int[] map, int count, Block out)
    {
        if (Nested.isNested(type)) {
            Nested.reset(out, type);
            for (int j = 0; j < count; j++) {
                int i = map == null ? at[j] : map[at[j]];
                if (i < 0) {
                    Nested.appendNull(out, type);
                }
                else {
                    Nested.append(out, type, source, i);
                }
            }
            return;
        }
        PhysicalType.Representation representation = PhysicalType.of(type).representation();
        boolean[] nulls = out.nulls(count);
        boolean sourceNulls = source != null && source.hasNull;
        boolean any = false;
        switch (representation) {
            case LONG -> {
                long[] values = out.longs(count);
                for (int j = 0; j < count; j++) {
                    int i = map == null ? at[j] : map[at[j]];
                    boolean isNull = i < 0 || (sourceNulls && source.nulls[i]);
                    nulls[j] = isNull;
                    any |= isNull;
                    values[j] = isNull ? 0 : source.longs[i];
                }
            }
            case DOUBLE -> {
                double[] values = out.doubles(count);
                for (int j = 0; j < count; j++) {
                    int i = map == null ? at[j] : map[at[j]];
                    boolean isNull = i < 0 || (sourceNulls && source.nulls[i]);
                    nulls[j] = isNull;
                    any |= isNull;
                    values[j] = isNull ? 0 : source.doubles[i];
                }
            }
            case BYTES -> {
                int[] offsets = out.offsets(count + 1);
                offsets[0] = 0;
                int p = 0;
                for (int j = 0; j < count; j++) {
                    int i = map == null ? at[j] : map[at[j]];
                    boolean isNull = i < 0 || (sourceNulls && source.nulls[i]);
                    nulls[j] = isNull;
                    any |= isNull;
                    if (!isNull) {
                        int from = source.offsets[i];
                        int length = source.offsets[i + 1] - from;
                        System.arraycopy(source.bytes, from, out.bytes(p + length, p), p, length);
                        p += length;
                    }
                    offsets[j + 1] = p;
                }
            }
            case OTHER -> throw new IllegalStateException(type.trinoName());
        }
        out.count = count;
        out.hasNull = any;
    }

    // ------------------------------------------------------------------ functions

    /** Sets the frame's domain to the elements of the (non-NULL) values of a nested block: toParent from positions. */
    private static int elements(Frame frame, Block values, int[] positions, int count)
    {
        int[] offsets = values.offsets;
        int n = offsets[count] - offsets[0];
        int[] toParent = frame.toParent(n);
        int base = offsets[0];
        for (int j = 0; j < count; j++) {
            int position = positions[j];
            for (int e = offsets[j] - base; e < offsets[j + 1] - base; e++) {
                toParent[e] = position;
            }
        }
        return n;
    }

    /** The element positions of a block's values: identity when its offsets start at 0. */
    private static int[] elementIndex(Frame frame, int param, Block values, int n)
    {
        int base = values.offsets[0];
        if (base == 0) {
            return null;
        }
        int[] index = frame.index(param, n);
        for (int e = 0; e < n; e++) {
            index[e] = base + e;
        }
        return index;
    }

    /** Copies the NULL flags and offsets of the first {@code count} values of {@code from} (rebased to 0) into {@code to}. */
    private static void copyShape(Block from, int count, Block to)
    {
        to.count = count;
        to.hasNull = from.hasNull;
        if (from.hasNull) {
            System.arraycopy(from.nulls, 0, to.nulls(count), 0, count);
        }
        int[] offsets = to.offsets(count + 1);
        int base = from.offsets[0];
        for (int j = 0; j <= count; j++) {
            offsets[j] = from.offsets[j] - base;
        }
    }

    private abstract static class LambdaEvaluator
            extends ValueEvaluator
    {
        LambdaEvaluator(Type type)
        {
            super(type);
        }

        /** Evaluates {@code body} over the first {@code n} positions of {@code frame}'s domain. */
        static Block apply(ValueEvaluator body, Frame frame, VectorSchemaRoot batch, int n)
        {
            return body.evaluate(batch, frame.iota(n), n);
        }
    }

    /** transform(array, x -> f). */
    private static final class Transform
            extends LambdaEvaluator
    {
        private final ValueEvaluator array;
        private final Frame frame;
        private final ValueEvaluator body;
        private final Type element;

        Transform(Type type, ValueEvaluator array, Frame frame, ValueEvaluator body)
        {
            super(type);
            this.array = array;
            this.frame = frame;
            this.body = body;
            this.element = ((Type.Array) type).element();
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = array.evaluate(batch, positions, count);
            int n = elements(frame, values, positions, count);
            frame.params[0] = values.child(0);
            frame.paramIndex[0] = elementIndex(frame, 0, values, n);
            copyShape(values, count, result);
            Block child = result.child(0);
            Nested.reset(child, element);
            if (n > 0) {
                Nested.appendRange(child, element, apply(body, frame, batch, n), 0, n);
            }
            return result;
        }
    }

    /** filter(array, x -> predicate). */
    private static final class Filter
            extends LambdaEvaluator
    {
        private final ValueEvaluator array;
        private final Frame frame;
        private final ValueEvaluator body;
        private final Type element;
        private int[] kept = new int[0];

        Filter(Type type, ValueEvaluator array, Frame frame, ValueEvaluator body)
        {
            super(type);
            this.array = array;
            this.frame = frame;
            this.body = body;
            this.element = ((Type.Array) type).element();
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = array.evaluate(batch, positions, count);
            int n = elements(frame, values, positions, count);
            frame.params[0] = values.child(0);
            frame.paramIndex[0] = elementIndex(frame, 0, values, n);
            copyShape(values, count, result);
            Block child = result.child(0);
            if (n == 0) {
                Nested.reset(child, element);
                return result;
            }
            Block matches = apply(body, frame, batch, n);
            if (kept.length < n) {
                kept = new int[Block.grow(kept.length, n)];
            }
            int[] offsets = result.offsets;
            int base = values.offsets[0];
            int k = 0;
            int e = 0;
            for (int j = 0; j < count; j++) {
                int end = values.offsets[j + 1] - base;
                for (; e < end; e++) {
                    if (!matches.isNull(e) && matches.longs[e] != 0) {
                        kept[k++] = e + base;
                    }
                }
                offsets[j + 1] = k;
            }
            gather(values.child(0), element, kept, null, k, child);
            return result;
        }
    }

    /** any_match, all_match and none_match. */
    private static final class Match
            extends LambdaEvaluator
    {
        private final ValueEvaluator array;
        private final Frame frame;
        private final ValueEvaluator body;
        /** 0 any, 1 all, 2 none. */
        private final int kind;

        Match(String name, ValueEvaluator array, Frame frame, ValueEvaluator body)
        {
            super(Type.BOOLEAN);
            this.array = array;
            this.frame = frame;
            this.body = body;
            this.kind = switch (name) {
                case "any_match" -> 0;
                case "all_match" -> 1;
                default -> 2;
            };
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = array.evaluate(batch, positions, count);
            int n = elements(frame, values, positions, count);
            frame.params[0] = values.child(0);
            frame.paramIndex[0] = elementIndex(frame, 0, values, n);
            Block matches = n == 0 ? null : apply(body, frame, batch, n);
            long[] out = result.longs(count);
            boolean[] nulls = result.nulls(count);
            boolean any = false;
            int base = values.offsets[0];
            for (int j = 0; j < count; j++) {
                if (values.isNull(j)) {
                    nulls[j] = true;
                    any = true;
                    out[j] = 0;
                    continue;
                }
                boolean sawTrue = false;
                boolean sawFalse = false;
                boolean sawNull = false;
                for (int e = values.offsets[j] - base; e < values.offsets[j + 1] - base; e++) {
                    if (matches.isNull(e)) {
                        sawNull = true;
                    }
                    else if (matches.longs[e] != 0) {
                        sawTrue = true;
                    }
                    else {
                        sawFalse = true;
                    }
                }
                // the value decided by a true (any, none) or a false (all) element; otherwise NULL if any element was NULL
                boolean decided = kind == 1 ? sawFalse : sawTrue;
                boolean isNull = !decided && sawNull;
                nulls[j] = isNull;
                any |= isNull;
                out[j] = isNull ? 0 : switch (kind) {
                    case 0 -> sawTrue ? 1 : 0;
                    case 1 -> sawFalse ? 0 : 1;
                    default -> sawTrue ? 0 : 1;
                };
            }
            result.count = count;
            result.hasNull = any;
            return result;
        }
    }

    /** zip_with(a, b, (x, y) -> f): as long as the longer array, the shorter padded with NULLs. */
    private static final class ZipWith
            extends LambdaEvaluator
    {
        private final ValueEvaluator left;
        private final ValueEvaluator right;
        private final Frame frame;
        private final ValueEvaluator body;
        private final Type element;

        ZipWith(Type type, ValueEvaluator left, ValueEvaluator right, Frame frame, ValueEvaluator body)
        {
            super(type);
            this.left = left;
            this.right = right;
            this.frame = frame;
            this.body = body;
            this.element = ((Type.Array) type).element();
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block a = left.evaluate(batch, positions, count);
            Block b = right.evaluate(batch, positions, count);
            boolean[] nulls = result.nulls(count);
            int[] offsets = result.offsets(count + 1);
            offsets[0] = 0;
            boolean any = false;
            int n = 0;
            for (int j = 0; j < count; j++) {
                boolean isNull = a.isNull(j) || b.isNull(j);
                nulls[j] = isNull;
                any |= isNull;
                if (!isNull) {
                    n += Math.max(a.offsets[j + 1] - a.offsets[j], b.offsets[j + 1] - b.offsets[j]);
                }
                offsets[j + 1] = n;
            }
            result.count = count;
            result.hasNull = any;
            int[] toParent = frame.toParent(n);
            int[] x = frame.index(0, n);
            int[] y = frame.index(1, n);
            int e = 0;
            for (int j = 0; j < count; j++) {
                int la = a.offsets[j + 1] - a.offsets[j];
                int lb = b.offsets[j + 1] - b.offsets[j];
                for (int i = 0; i < offsets[j + 1] - offsets[j]; i++, e++) {
                    toParent[e] = positions[j];
                    x[e] = i < la ? a.offsets[j] + i : -1;
                    y[e] = i < lb ? b.offsets[j] + i : -1;
                }
            }
            frame.params[0] = a.child(0);
            frame.params[1] = b.child(0);
            Block child = result.child(0);
            Nested.reset(child, element);
            if (n > 0) {
                Nested.appendRange(child, element, apply(body, frame, batch, n), 0, n);
            }
            return result;
        }
    }

    /** reduce(array, initialState, (s, x) -> s', s -> r): one evaluation of the input function per element position, over all rows that long. */
    private static final class Reduce
            extends LambdaEvaluator
    {
        private final ValueEvaluator array;
        private final ValueEvaluator initial;
        private final Frame inputFrame;
        private final ValueEvaluator input;
        private final Frame outputFrame;
        private final ValueEvaluator output;
        private final Type state;
        private Block current = new Block();
        private Block next = new Block();
        private int[] rows = new int[0];

        Reduce(Type type, ValueEvaluator array, ValueEvaluator initial, Frame inputFrame, ValueEvaluator input, Frame outputFrame, ValueEvaluator output)
        {
            super(type);
            this.array = array;
            this.initial = initial;
            this.inputFrame = inputFrame;
            this.input = input;
            this.outputFrame = outputFrame;
            this.output = output;
            this.state = initial.type;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = array.evaluate(batch, positions, count);
            Block start = initial.evaluate(batch, positions, count);
            if (rows.length < count) {
                rows = new int[Block.grow(rows.length, count)];
            }
            int[] identity = inputFrame.iota(count);
            gather(start, state, identity, null, count, current);
            int longest = 0;
            for (int j = 0; j < count; j++) {
                if (!values.isNull(j)) {
                    longest = Math.max(longest, values.offsets[j + 1] - values.offsets[j]);
                }
            }
            for (int k = 0; k < longest; k++) {
                int m = 0;
                for (int j = 0; j < count; j++) {
                    if (!values.isNull(j) && values.offsets[j + 1] - values.offsets[j] > k) {
                        rows[m++] = j;
                    }
                }
                int[] toParent = inputFrame.toParent(m);
                int[] s = inputFrame.index(0, m);
                int[] x = inputFrame.index(1, m);
                for (int r = 0; r < m; r++) {
                    toParent[r] = positions[rows[r]];
                    s[r] = rows[r];
                    x[r] = values.offsets[rows[r]] + k;
                }
                inputFrame.params[0] = current;
                inputFrame.params[1] = values.child(0);
                Block stepped = apply(input, inputFrame, batch, m);
                Blocks.start(next, state, count);
                int r = 0;
                for (int j = 0; j < count; j++) {
                    if (r < m && rows[r] == j) {
                        Blocks.set(next, state, j, stepped, r++);
                    }
                    else {
                        Blocks.set(next, state, j, current, j);
                    }
                }
                Block swap = current;
                current = next;
                next = swap;
            }
            int m = 0;
            for (int j = 0; j < count; j++) {
                if (!values.isNull(j)) {
                    rows[m++] = j;
                }
            }
            int[] toParent = outputFrame.toParent(m);
            int[] s = outputFrame.index(0, m);
            for (int r = 0; r < m; r++) {
                toParent[r] = positions[rows[r]];
                s[r] = rows[r];
            }
            outputFrame.params[0] = current;
            Block results = m == 0 ? null : apply(output, outputFrame, batch, m);
            Blocks.start(result, type, count);
            int r = 0;
            for (int j = 0; j < count; j++) {
                if (r < m && rows[r] == j) {
                    Blocks.set(result, type, j, results, r++);
                }
                else {
                    Blocks.set(result, type, j, null, j);
                }
            }
            result.count = count;
            return result;
        }
    }

    /** map_filter(map, (k, v) -> predicate). */
    private static final class MapFilter
            extends LambdaEvaluator
    {
        private final ValueEvaluator map;
        private final Frame frame;
        private final ValueEvaluator body;
        private final Type.MapType mapType;
        private int[] kept = new int[0];

        MapFilter(Type.MapType type, ValueEvaluator map, Frame frame, ValueEvaluator body)
        {
            super(type);
            this.map = map;
            this.frame = frame;
            this.body = body;
            this.mapType = type;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = map.evaluate(batch, positions, count);
            int n = elements(frame, values, positions, count);
            frame.params[0] = values.child(0);
            frame.params[1] = values.child(1);
            frame.paramIndex[0] = elementIndex(frame, 0, values, n);
            frame.paramIndex[1] = elementIndex(frame, 1, values, n);
            copyShape(values, count, result);
            if (n == 0) {
                Nested.reset(result.child(0), mapType.key());
                Nested.reset(result.child(1), mapType.value());
                return result;
            }
            Block matches = apply(body, frame, batch, n);
            if (kept.length < n) {
                kept = new int[Block.grow(kept.length, n)];
            }
            int[] offsets = result.offsets;
            int base = values.offsets[0];
            int k = 0;
            int e = 0;
            for (int j = 0; j < count; j++) {
                int end = values.offsets[j + 1] - base;
                for (; e < end; e++) {
                    if (!matches.isNull(e) && matches.longs[e] != 0) {
                        kept[k++] = e + base;
                    }
                }
                offsets[j + 1] = k;
            }
            gather(values.child(0), mapType.key(), kept, null, k, result.child(0));
            gather(values.child(1), mapType.value(), kept, null, k, result.child(1));
            return result;
        }
    }

    /** transform_keys and transform_values. */
    private static final class TransformMap
            extends LambdaEvaluator
    {
        private final ValueEvaluator map;
        private final Frame frame;
        private final ValueEvaluator body;
        private final Type.MapType mapType;
        private final boolean keys;

        TransformMap(Type.MapType type, ValueEvaluator map, Frame frame, ValueEvaluator body, boolean keys)
        {
            super(type);
            this.map = map;
            this.frame = frame;
            this.body = body;
            this.mapType = type;
            this.keys = keys;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = map.evaluate(batch, positions, count);
            int n = elements(frame, values, positions, count);
            frame.params[0] = values.child(0);
            frame.params[1] = values.child(1);
            frame.paramIndex[0] = elementIndex(frame, 0, values, n);
            frame.paramIndex[1] = elementIndex(frame, 1, values, n);
            copyShape(values, count, result);
            Block keyBlock = result.child(0);
            Block valueBlock = result.child(1);
            Nested.reset(keyBlock, mapType.key());
            Nested.reset(valueBlock, mapType.value());
            if (n == 0) {
                return result;
            }
            Block computed = apply(body, frame, batch, n);
            int base = values.offsets[0];
            if (keys) {
                checkKeys(computed, values, count);
                Nested.appendRange(keyBlock, mapType.key(), computed, 0, n);
                Nested.appendRange(valueBlock, mapType.value(), values.child(1), base, base + n);
            }
            else {
                Nested.appendRange(keyBlock, mapType.key(), values.child(0), base, base + n);
                Nested.appendRange(valueBlock, mapType.value(), computed, 0, n);
            }
            return result;
        }

        private int[] slots = new int[0];

        private void checkKeys(Block computed, Block values, int count)
        {
            PhysicalType.Representation representation = Nested.isNested(mapType.key()) ? PhysicalType.Representation.OTHER
                    : PhysicalType.of(mapType.key()).representation();
            int base = values.offsets[0];
            for (int j = 0; j < count; j++) {
                int from = values.offsets[j] - base;
                int to = values.offsets[j + 1] - base;
                for (int e = from; e < to; e++) {
                    if (computed.isNull(e)) {
                        throw invalidArgument("map key cannot be null");
                    }
                }
                if (representation == PhysicalType.Representation.OTHER || to - from < 2) {
                    continue;
                }
                // the keys of one map in an open-addressing table of element indexes: linear in the map's size
                int mask = Integer.highestOneBit(Math.max(2, to - from) * 2 - 1) * 2 - 1;
                if (slots.length <= mask) {
                    slots = new int[mask + 1];
                }
                Arrays.fill(slots, 0, mask + 1, -1);
                for (int e = from; e < to; e++) {
                    int slot = Nested.hash(representation, computed, e) & mask;
                    while (slots[slot] >= 0) {
                        if (Nested.equal(representation, computed, slots[slot], computed, e)) {
                            throw invalidArgument("Duplicate map keys (" + text(representation, computed, e) + ") are not allowed");
                        }
                        slot = (slot + 1) & mask;
                    }
                    slots[slot] = e;
                }
            }
        }

        private static String text(PhysicalType.Representation representation, Block keys, int e)
        {
            return switch (representation) {
                case LONG -> Long.toString(keys.longs[e]);
                case DOUBLE -> Double.toString(keys.doubles[e]);
                case BYTES -> new String(keys.bytes, keys.offsets[e], keys.offsets[e + 1] - keys.offsets[e], StandardCharsets.UTF_8);
                case OTHER -> "?";
            };
        }
    }

    /**
     * array_sort(array, (x, y) -> c): the comparator is evaluated over all pairs of elements of a group of
     * rows at once (one evaluation per group), then each row is sorted by the precomputed results.
     */
    private static final class SortWithComparator
            extends LambdaEvaluator
    {
        /** Pairs compared in one evaluation of the comparator. */
        private static final int PAIRS_PER_EVALUATION = 1 << 16;
        /** The longest array sorted with a comparator: its pairs (about 1M) take about 16 MB of working memory. */
        static final int MAX_LENGTH = 1024;

        private final ValueEvaluator array;
        private final Frame frame;
        private final ValueEvaluator body;
        private final Type element;
        private int[] sorted = new int[0];
        private int[] order = new int[0];
        private int[] buffer;

        SortWithComparator(Type type, ValueEvaluator array, Frame frame, ValueEvaluator body)
        {
            super(type);
            this.array = array;
            this.frame = frame;
            this.body = body;
            this.element = ((Type.Array) type).element();
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = array.evaluate(batch, positions, count);
            copyShape(values, count, result);
            int base = values.offsets[0];
            int n = values.offsets[count] - base;
            if (sorted.length < n) {
                sorted = new int[Block.grow(sorted.length, n)];
            }
            frame.params[0] = values.child(0);
            frame.params[1] = values.child(0);
            int j = 0;
            while (j < count) {
                // a group of rows whose pairs fit one evaluation (at least one row)
                int first = j;
                long pairs = 0;
                while (j < count) {
                    long length = values.offsets[j + 1] - values.offsets[j];
                    if (length > MAX_LENGTH) {
                        // every pair is compared at once: n elements take 3 n^2 ints of working memory
                        throw invalidArgument("array_sort with a comparator sorts arrays of at most " + MAX_LENGTH + " elements; this array has " + length);
                    }
                    if (j > first && pairs + length * length > PAIRS_PER_EVALUATION) {
                        break;
                    }
                    pairs += length * length;
                    j++;
                }
                sortGroup(batch, positions, values, first, j, Math.toIntExact(pairs));
            }
            gather(values.child(0), element, sorted, null, n, result.child(0));
            return result;
        }

        private void sortGroup(VectorSchemaRoot batch, int[] positions, Block values, int from, int to, int pairs)
        {
            int base = values.offsets[0];
            int[] toParent = frame.toParent(pairs);
            int[] x = frame.index(0, pairs);
            int[] y = frame.index(1, pairs);
            int p = 0;
            for (int j = from; j < to; j++) {
                int start = values.offsets[j];
                int length = values.offsets[j + 1] - start;
                for (int a = 0; a < length; a++) {
                    for (int b = 0; b < length; b++) {
                        toParent[p] = positions[j];
                        x[p] = start + a;
                        y[p] = start + b;
                        p++;
                    }
                }
            }
            Block comparisons = pairs == 0 ? null : apply(body, frame, batch, pairs);
            p = 0;
            for (int j = from; j < to; j++) {
                int start = values.offsets[j];
                int length = values.offsets[j + 1] - start;
                if (order.length < length) {
                    order = new int[length];
                }
                for (int a = 0; a < length; a++) {
                    order[a] = a;
                }
                int offset = p;
                for (int k = 0; k < length * length; k++) {
                    if (comparisons.isNull(offset + k) || Math.abs(comparisons.longs[offset + k]) > 1) {
                        throw invalidArgument("Lambda comparator must return either -1, 0, or 1");
                    }
                }
                // a stable merge sort of positions, no boxing (an inconsistent comparator gives some order, no error)
                buffer = IntSorts.sort(order, length, (a, b) -> (int) comparisons.longs[offset + a * length + b], buffer);
                for (int a = 0; a < length; a++) {
                    sorted[start - base + a] = start + order[a];
                }
                p += length * length;
            }
        }
    }

    /**
     * regexp_replace(string, pattern, g -> r): all the matches of the batch are found first, with the array
     * of their capturing groups (group 0, the whole match, excluded, as in Trino); the lambda is evaluated
     * once over all of them; then each row is spliced from its unmatched parts and the lambda's values. A
     * row without a match is returned unchanged and the lambda is not called for it.
     */
    private static final class RegexpReplace
            extends LambdaEvaluator
    {
        private static final Type GROUPS = new Type.Array(Type.VARCHAR);

        private final ValueEvaluator text;
        private final com.google.re2j.Matcher matcher;
        private final Frame frame;
        private final ValueEvaluator body;
        private final RegexpFunctions.AsciiView view = new RegexpFunctions.AsciiView();
        private final Block groups = new Block();
        /** Per match of the batch: its first byte and the byte after it, in the text block. */
        private int[] starts = new int[0];
        private int[] ends = new int[0];
        /** Per row: its first match; row j's matches are [firstMatch[j], firstMatch[j + 1]). */
        private int[] firstMatch = new int[0];

        RegexpReplace(ValueEvaluator text, com.google.re2j.Pattern pattern, Frame frame, ValueEvaluator body)
        {
            super(Type.VARCHAR);
            this.text = text;
            this.matcher = pattern.matcher("");
            this.frame = frame;
            this.body = body;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block values = text.evaluate(batch, positions, count);
            int matches = find(values, positions, count);
            Block replacements = null;
            if (matches > 0) {
                frame.params[0] = groups;
                frame.paramIndex[0] = null;
                replacements = apply(body, frame, batch, matches);
            }
            splice(values, replacements, count);
            return result;
        }

        /** Finds the matches of every row, fills the groups, the frame's domain and the match positions; returns how many. */
        private int find(Block values, int[] positions, int count)
        {
            if (firstMatch.length < count + 1) {
                firstMatch = new int[Block.grow(firstMatch.length, count + 1)];
            }
            Nested.reset(groups, GROUPS);
            Block groupValues = groups.child(0);
            int groupCount = matcher.groupCount();
            byte[] b = values.bytes;
            int m = 0;
            for (int j = 0; j < count; j++) {
                firstMatch[j] = m;
                if (values.isNull(j)) {
                    continue;
                }
                int from = values.offsets[j];
                int to = values.offsets[j + 1];
                boolean ascii = Utf8.isAscii(b, from, to);
                String string = ascii ? null : new String(b, from, to - from, StandardCharsets.UTF_8);
                matcher.reset(ascii ? view.set(b, from, to) : string);
                while (matcher.find()) {
                    if (starts.length <= m) {
                        starts = Arrays.copyOf(starts, Block.grow(starts.length, m + 1));
                        ends = Arrays.copyOf(ends, starts.length);
                    }
                    int start = matcher.start();
                    int startByte = ascii ? from + start : from + utf8Length(string, 0, start);
                    starts[m] = startByte;
                    ends[m] = ascii ? from + matcher.end() : startByte + utf8Length(string, start, matcher.end());
                    for (int g = 1; g <= groupCount; g++) {
                        int groupStart = matcher.start(g);
                        if (groupStart < 0) {
                            Nested.appendNull(groupValues, Type.VARCHAR);
                        }
                        else if (ascii) {
                            Nested.appendBytes(groupValues, b, from + groupStart, matcher.end(g) - groupStart);
                        }
                        else {
                            int groupByte = startByte + utf8Length(string, start, groupStart);
                            Nested.appendBytes(groupValues, b, groupByte, utf8Length(string, groupStart, matcher.end(g)));
                        }
                    }
                    Nested.endArray(groups);
                    m++;
                }
            }
            firstMatch[count] = m;
            int[] toParent = frame.toParent(m);
            for (int j = 0; j < count; j++) {
                for (int e = firstMatch[j]; e < firstMatch[j + 1]; e++) {
                    toParent[e] = positions[j];
                }
            }
            return m;
        }

        /** Writes each row: its unmatched parts and the lambda's values, NULL when the lambda gave NULL for one of its matches. */
        private void splice(Block values, Block replacements, int count)
        {
            boolean[] nulls = result.nulls(count);
            int[] offsets = result.offsets(count + 1);
            offsets[0] = 0;
            int p = 0;
            boolean any = false;
            byte[] b = values.bytes;
            for (int j = 0; j < count; j++) {
                boolean isNull = values.isNull(j);
                for (int e = firstMatch[j]; e < firstMatch[j + 1] && !isNull; e++) {
                    isNull = replacements.isNull(e);
                }
                nulls[j] = isNull;
                any |= isNull;
                if (!isNull) {
                    int at = values.offsets[j];
                    for (int e = firstMatch[j]; e < firstMatch[j + 1]; e++) {
                        p = copy(b, at, starts[e], p);
                        p = copy(replacements.bytes, replacements.offsets[e], replacements.offsets[e + 1], p);
                        at = ends[e];
                    }
                    p = copy(b, at, values.offsets[j + 1], p);
                }
                offsets[j + 1] = p;
            }
            result.count = count;
            result.hasNull = any;
        }

        private int copy(byte[] source, int from, int to, int p)
        {
            int length = to - from;
            System.arraycopy(source, from, result.bytes(p + length, p), p, length);
            return p + length;
        }

        /** The UTF-8 length of chars [from, to) of a string (a surrogate pair is 4 bytes). */
        private static int utf8Length(String s, int from, int to)
        {
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
            return n;
        }
    }
}
