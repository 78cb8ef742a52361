package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

/**
 * CAST between array, map and row types: the elements (keys, values, fields) are cast as a whole
 * block by the scalar cast of their types; offsets and NULL flags are kept. A value whose layout does
 * not change (array(integer) as array(bigint), array(varchar(2)) as array(varchar)) is only retyped.
 */
final class NestedCast
        extends ValueEvaluator
{
    private final ValueEvaluator input;
    private final List<SpecialForms.Precomputed> sources = new ArrayList<>();
    private final List<ValueEvaluator> casts = new ArrayList<>();
    private int[] positions = new int[0];

    private NestedCast(ValueEvaluator input, Type target)
    {
        super(target);
        this.input = input;
        List<Type> from = children(input.type);
        List<Type> to = children(target);
        for (int i = 0; i < from.size(); i++) {
            SpecialForms.Precomputed source = new SpecialForms.Precomputed(from.get(i));
            sources.add(source);
            casts.add(CastEvaluator.of(source, to.get(i)));
        }
    }

    static boolean supported(Type source, Type target)
    {
        if (!Nested.isNested(source) || !Nested.isNested(target) || source.getClass() != target.getClass()) {
            return false;
        }
        List<Type> from = children(source);
        List<Type> to = children(target);
        if (from.size() != to.size()) {
            return false;
        }
        for (int i = 0; i < from.size(); i++) {
            if (!CastEvaluator.supported(from.get(i), to.get(i))) {
                return false;
            }
        }
        return true;
    }

    static ValueEvaluator of(ValueEvaluator input, Type target)
    {
        if (!supported(input.type, target)) {
            throw ExpressionCompiler.notSupported("CAST from " + input.type.trinoName() + " to " + target.trinoName());
        }
        return new NestedCast(input, target);
    }

    private static List<Type> children(Type type)
    {
        return switch (type) {
            case Type.Array array -> List.of(array.element());
            case Type.MapType map -> List.of(map.key(), map.value());
            case Type.Row row -> row.fields().stream().map(Type.Field::type).toList();
            default -> List.of();
        };
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] rows, int count)
    {
        Block in = input.evaluate(batch, rows, count);
        result.count = in.count;
        result.hasNull = in.hasNull;
        result.nulls = in.nulls;
        result.offsets = in.offsets;
        for (int i = 0; i < casts.size(); i++) {
            Block child = in.child(i);
            int n = child.count;
            if (positions.length < n) {
                positions = new int[Block.grow(positions.length, n)];
                for (int k = 0; k < positions.length; k++) {
                    positions[k] = k;
                }
            }
            sources.get(i).block = child;
            sources.get(i).row = -1;
            Block cast = casts.get(i).evaluate(batch, positions, n);
            result.child(i);
            result.children[i] = cast;
        }
        return result;
    }
}
