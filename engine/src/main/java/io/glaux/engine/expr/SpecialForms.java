package io.glaux.engine.expr;

import io.glaux.engine.expr.Expression.Form;
import io.glaux.engine.expr.Expression.SpecialForm;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

/**
 * IF, searched CASE, COALESCE, NULLIF, TRY and TRY_CAST. Branches are evaluated only for the rows that
 * take them (a sub-selection), so an error in a branch not taken is not raised, as in Trino.
 */
final class SpecialForms
{
    private SpecialForms() {}

    static ValueEvaluator compile(ExpressionCompiler compiler, SpecialForm form)
    {
        List<Expression> args = form.arguments();
        Type type = form.type();
        return switch (form.form()) {
            case IF -> {
                arity(form, args.size() == 3);
                yield new Case(type, List.of(compiler.condition(args.get(0))), List.of(branch(compiler, args.get(1), type)), branch(compiler, args.get(2), type));
            }
            case CASE -> {
                arity(form, args.size() >= 3 && args.size() % 2 == 1);
                List<BooleanEvaluator> conditions = new ArrayList<>();
                List<ValueEvaluator> results = new ArrayList<>();
                for (int i = 0; i + 1 < args.size(); i += 2) {
                    conditions.add(compiler.condition(args.get(i)));
                    results.add(branch(compiler, args.get(i + 1), type));
                }
                yield new Case(type, conditions, results, branch(compiler, args.getLast(), type));
            }
            case COALESCE -> {
                arity(form, !args.isEmpty());
                List<ValueEvaluator> values = new ArrayList<>();
                for (Expression arg : args) {
                    values.add(branch(compiler, arg, type));
                }
                yield new Coalesce(type, values);
            }
            case NULLIF -> {
                arity(form, args.size() == 2);
                yield new NullIf(type, branch(compiler, args.get(0), type), compiler.comparison(Expression.Operator.EQUAL, args.get(0), args.get(1)));
            }
            case TRY -> {
                arity(form, args.size() == 1);
                yield new Try(type, branch(compiler, args.getFirst(), type));
            }
            case TRY_CAST -> {
                arity(form, args.size() == 1);
                ValueEvaluator input = compiler.value(args.getFirst());
                Precomputed precomputed = new Precomputed(input.type);
                yield new TryCast(input, precomputed, CastEvaluator.of(precomputed, type));
            }
        };
    }

    private static void arity(SpecialForm form, boolean valid)
    {
        if (!valid) {
            throw ExpressionCompiler.invalidExpression(form.form() + " with " + form.arguments().size() + " arguments");
        }
    }

    private static ValueEvaluator branch(ExpressionCompiler compiler, Expression expression, Type type)
    {
        ValueEvaluator value = compiler.value(expression);
        if (value.type.equals(type) || (PhysicalType.of(type) == PhysicalType.OTHER && !Nested.computable(type))) {
            return value;
        }
        return CastEvaluator.of(value, type);
    }

    static boolean isTrappable(GlauxException e)
    {
        ErrorCode code = e.errorCode();
        return code == ErrorCode.DIVISION_BY_ZERO || code == ErrorCode.INVALID_CAST_ARGUMENT
                || code == ErrorCode.INVALID_FUNCTION_ARGUMENT || code == ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE;
    }

    /** A searched CASE (IF is a CASE with one condition). */
    static final class Case
            extends ValueEvaluator
    {
        private final BooleanEvaluator[] conditions;
        private final ValueEvaluator[] results;
        private final ValueEvaluator otherwise;
        private final Block[] blocks;
        /** the representation of a flat result type (null for array, map and row results) */
        private final PhysicalType.Representation representation;
        private int[] source = new int[0];
        private int[] at = new int[0];
        private int[] remaining = new int[0];
        private int[] remainingIndex = new int[0];
        private int[] hits = new int[0];
        private int[] hitIndex = new int[0];

        Case(Type type, List<BooleanEvaluator> conditions, List<ValueEvaluator> results, ValueEvaluator otherwise)
        {
            super(type);
            this.conditions = conditions.toArray(BooleanEvaluator[]::new);
            this.results = results.toArray(ValueEvaluator[]::new);
            this.otherwise = otherwise;
            this.blocks = new Block[this.results.length + 1];
            this.representation = Nested.isNested(type) ? null : PhysicalType.of(type).representation();
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            if (source.length < count) {
                int size = Block.grow(source.length, count);
                source = new int[size];
                at = new int[size];
                remaining = new int[size];
                remainingIndex = new int[size];
                hits = new int[size];
                hitIndex = new int[size];
            }
            System.arraycopy(positions, 0, remaining, 0, count);
            for (int j = 0; j < count; j++) {
                remainingIndex[j] = j;
            }
            int left = count;
            java.util.Arrays.fill(blocks, null);
            for (int i = 0; i < conditions.length && left > 0; i++) {
                int k = conditions[i].select(batch, remaining, left, true, hits);
                if (k == 0) {
                    continue;
                }
                // split remaining into hits (in order) and the rest
                int h = 0;
                int rest = 0;
                for (int r = 0; r < left; r++) {
                    int index = remainingIndex[r];
                    if (h < k && remaining[r] == hits[h]) {
                        hitIndex[h++] = index;
                    }
                    else {
                        remaining[rest] = remaining[r];
                        remainingIndex[rest++] = index;
                    }
                }
                left = rest;
                blocks[i] = results[i].evaluate(batch, hits, k);
                for (int t = 0; t < k; t++) {
                    source[hitIndex[t]] = i;
                    at[hitIndex[t]] = t;
                }
            }
            if (left > 0) {
                int last = results.length;
                blocks[last] = otherwise.evaluate(batch, remaining, left);
                for (int t = 0; t < left; t++) {
                    source[remainingIndex[t]] = last;
                    at[remainingIndex[t]] = t;
                }
            }
            assemble(count);
            return result;
        }

        /** Sets result value j to value {@code at[j]} of branch {@code source[j]}'s block, without per-row type dispatch. */
        private void assemble(int count)
        {
            if (representation == null) {
                Blocks.start(result, type, count);
                for (int j = 0; j < count; j++) {
                    Blocks.set(result, type, j, blocks[source[j]], at[j]);
                }
                return;
            }
            Blocks.start(result, representation, count);
            int[] from = source;
            int[] index = at;
            boolean[] nulls = result.nulls;
            boolean anyNull = false;
            switch (representation) {
                case LONG -> {
                    long[] values = result.longs;
                    for (int j = 0; j < count; j++) {
                        Block block = blocks[from[j]];
                        int i = index[j];
                        boolean isNull = block == null || block.isNull(i);
                        nulls[j] = isNull;
                        anyNull |= isNull;
                        values[j] = isNull ? 0 : block.longs[i];
                    }
                    result.hasNull = anyNull;
                }
                case DOUBLE -> {
                    double[] values = result.doubles;
                    for (int j = 0; j < count; j++) {
                        Block block = blocks[from[j]];
                        int i = index[j];
                        boolean isNull = block == null || block.isNull(i);
                        nulls[j] = isNull;
                        anyNull |= isNull;
                        values[j] = isNull ? 0 : block.doubles[i];
                    }
                    result.hasNull = anyNull;
                }
                default -> {
                    for (int j = 0; j < count; j++) {
                        Blocks.set(result, representation, j, blocks[from[j]], index[j]);
                    }
                }
            }
        }
    }

    static final class Coalesce
            extends ValueEvaluator
    {
        private final ValueEvaluator[] values;
        private final Block[] blocks;
        private int[] source = new int[0];
        private int[] at = new int[0];
        private int[] remaining = new int[0];
        private int[] remainingIndex = new int[0];

        Coalesce(Type type, List<ValueEvaluator> values)
        {
            super(type);
            this.values = values.toArray(ValueEvaluator[]::new);
            this.blocks = new Block[this.values.length];
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            if (source.length < count) {
                int size = Block.grow(source.length, count);
                source = new int[size];
                at = new int[size];
                remaining = new int[size];
                remainingIndex = new int[size];
            }
            System.arraycopy(positions, 0, remaining, 0, count);
            for (int j = 0; j < count; j++) {
                remainingIndex[j] = j;
                source[j] = -1;
            }
            int left = count;
            for (int i = 0; i < values.length && left > 0; i++) {
                Block block = values[i].evaluate(batch, remaining, left);
                blocks[i] = block;
                int rest = 0;
                for (int t = 0; t < left; t++) {
                    int index = remainingIndex[t];
                    if (block.isNull(t) && i + 1 < values.length) {
                        remaining[rest] = remaining[t];
                        remainingIndex[rest++] = index;
                    }
                    else {
                        source[index] = i;
                        at[index] = t;
                    }
                }
                left = rest;
            }
            Blocks.start(result, type, count);
            for (int j = 0; j < count; j++) {
                Blocks.set(result, type, j, source[j] < 0 ? null : blocks[source[j]], at[j]);
            }
            return result;
        }
    }

    static final class NullIf
            extends ValueEvaluator
    {
        private final ValueEvaluator value;
        private final BooleanEvaluator equal;
        private int[] hits = new int[0];

        NullIf(Type type, ValueEvaluator value, BooleanEvaluator equal)
        {
            super(type);
            this.value = value;
            this.equal = equal;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            if (hits.length < count) {
                hits = new int[Block.grow(hits.length, count)];
            }
            int k = count == 0 ? 0 : equal.select(batch, positions, count, true, hits);
            Block block = value.evaluate(batch, positions, count);
            Blocks.start(result, type, count);
            int h = 0;
            for (int j = 0; j < count; j++) {
                boolean same = h < k && hits[h] == positions[j];
                if (same) {
                    h++;
                }
                Blocks.set(result, type, j, same ? null : block, j);
            }
            return result;
        }
    }

    static final class Try
            extends ValueEvaluator
    {
        private final ValueEvaluator value;
        private final int[] single = new int[1];

        Try(Type type, ValueEvaluator value)
        {
            super(type);
            this.value = value;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            try {
                return value.evaluate(batch, positions, count);
            }
            catch (GlauxException e) {
                if (!isTrappable(e)) {
                    throw e;
                }
            }
            // row by row: NULL where the value fails
            Blocks.start(result, type, count);
            for (int j = 0; j < count; j++) {
                single[0] = positions[j];
                Block one;
                try {
                    one = value.evaluate(batch, single, 1);
                }
                catch (GlauxException e) {
                    if (!isTrappable(e)) {
                        throw e;
                    }
                    one = null;
                }
                Blocks.set(result, type, j, one, 0);
            }
            return result;
        }
    }

    /** Returns a block computed elsewhere: all of it, or one value of it. */
    static final class Precomputed
            extends ValueEvaluator
    {
        Block block;
        int row = -1;

        Precomputed(Type type)
        {
            super(type);
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            if (row < 0) {
                return block;
            }
            Blocks.single(result, type, block, row);
            return result;
        }
    }

    static final class TryCast
            extends ValueEvaluator
    {
        private final ValueEvaluator input;
        private final Precomputed precomputed;
        private final ValueEvaluator cast;
        private final int[] single = new int[1];

        TryCast(ValueEvaluator input, Precomputed precomputed, ValueEvaluator cast)
        {
            super(cast.type);
            this.input = input;
            this.precomputed = precomputed;
            this.cast = cast;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            precomputed.block = input.evaluate(batch, positions, count);
            precomputed.row = -1;
            try {
                return cast.evaluate(batch, positions, count);
            }
            catch (GlauxException e) {
                if (!isTrappable(e)) {
                    throw e;
                }
            }
            Blocks.start(result, type, count);
            for (int j = 0; j < count; j++) {
                precomputed.row = j;
                single[0] = positions[j];
                Block one;
                try {
                    one = cast.evaluate(batch, single, 1);
                }
                catch (GlauxException e) {
                    if (!isTrappable(e)) {
                        throw e;
                    }
                    one = null;
                }
                Blocks.set(result, type, j, one, 0);
            }
            precomputed.row = -1;
            return result;
        }
    }
}
