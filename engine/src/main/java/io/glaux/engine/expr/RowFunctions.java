package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.ANY_ARRAY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.FIELD;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ROW constructor ({@code $row}, which the planner calls for {@code ROW(a, b)} and {@code (a, b)}) and
 * {@code map_from_entries}. A row is a block per field: constructing one copies each field's block.
 */
final class RowFunctions
{
    private RowFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("$row", args(FIELD), true, RowFunctions::rowType, "row(T1, T2, ...)", "ROW(a, b, ...)", "", (a, c, t) -> new Construct(t, a));
        b.add("map_from_entries", args(ANY_ARRAY), false, RowFunctions::mapType, "map(K, V)",
                "The map of the entries, rows of a key and a value (keys distinct and not NULL).", "", (a, c, t) -> new FromEntries(t, a));
    }

    private static Type rowType(List<Type> types)
    {
        List<Type.Field> fields = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            fields.add(new Type.Field("field" + i, types.get(i)));
        }
        return new Type.Row(fields);
    }

    private static Type mapType(List<Type> types)
    {
        if (!(((Type.Array) types.getFirst()).element() instanceof Type.Row row) || row.fields().size() != 2) {
            throw new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT,
                    "map_from_entries takes an array of rows of a key and a value, not " + types.getFirst().trinoName());
        }
        return new Type.MapType(row.fields().get(0).type(), row.fields().get(1).type());
    }

    /** ROW(a, b, ...): not strict, a NULL argument is a NULL field. */
    static final class Construct
            extends ValueEvaluator
    {
        private final ValueEvaluator[] args;
        private final List<Type> fields;

        Construct(Type type, List<ValueEvaluator> args)
        {
            super(type);
            this.args = args.toArray(ValueEvaluator[]::new);
            this.fields = ((Type.Row) type).fields().stream().map(Type.Field::type).toList();
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Nested.reset(result, type);
            for (int f = 0; f < args.length; f++) {
                Block field = args[f].evaluate(batch, positions, count);
                Nested.appendRange(result.child(f), fields.get(f), field, 0, count);
            }
            result.count = count;
            result.hasNull = false;
            return result;
        }
    }

    /** map_from_entries(array(row(K, V))). */
    static final class FromEntries
            extends ArrayKernel
    {
        private final Type key;
        private final Type value;
        private final PhysicalType.Representation keyRepresentation;
        private int[] slots = new int[0];

        FromEntries(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.key = ((Type.MapType) type).key();
            this.value = ((Type.MapType) type).value();
            this.keyRepresentation = Nested.isNested(key) ? PhysicalType.Representation.OTHER : PhysicalType.of(key).representation();
        }

        @Override
        void row(int j)
        {
            int from = from(0, j);
            int to = to(0, j);
            Block entries = elementsOf(0);
            Block keys = entries.child(0);
            for (int e = from; e < to; e++) {
                if (entries.isNull(e)) {
                    throw invalidArgument("map entry cannot be null");
                }
                if (keys.isNull(e)) {
                    throw invalidArgument("map key cannot be null");
                }
            }
            if (keyRepresentation != PhysicalType.Representation.OTHER && to - from > 1) {
                // an open-addressing table of element indexes: linear in the map's size
                int mask = Integer.highestOneBit((to - from) * 2 - 1) * 2 - 1;
                if (slots.length <= mask) {
                    slots = new int[mask + 1];
                }
                java.util.Arrays.fill(slots, 0, mask + 1, -1);
                for (int e = from; e < to; e++) {
                    int slot = Nested.hash(keyRepresentation, keys, e) & mask;
                    while (slots[slot] >= 0) {
                        if (Nested.equal(keyRepresentation, keys, slots[slot], keys, e)) {
                            throw invalidArgument("Duplicate map keys (" + text(keys, e) + ") are not allowed");
                        }
                        slot = (slot + 1) & mask;
                    }
                    slots[slot] = e;
                }
            }
            Nested.appendRange(result.child(0), key, keys, from, to);
            Nested.appendRange(result.child(1), value, entries.child(1), from, to);
            endArray(j);
        }

        private String text(Block keys, int e)
        {
            return switch (keyRepresentation) {
                case LONG -> Long.toString(keys.longs[e]);
                case DOUBLE -> Double.toString(keys.doubles[e]);
                case BYTES -> new String(keys.bytes, keys.offsets[e], keys.offsets[e + 1] - keys.offsets[e], StandardCharsets.UTF_8);
                case OTHER -> "?";
            };
        }
    }
}
