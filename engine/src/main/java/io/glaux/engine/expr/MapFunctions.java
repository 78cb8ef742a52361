package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.ARRAY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.ANY_ARRAY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.ELEMENT;
import static io.glaux.engine.expr.FunctionRegistry.Arg.MAP;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Trino's map functions over map(K, V) values (keys and values are the two children of a map block,
 * see {@link Nested}): map(keys, values), subscript, element_at, cardinality, map_keys, map_values,
 * map_entries, split_to_map.
 */
final class MapFunctions
{
    private MapFunctions() {}

    private static Type key(Type type)
    {
        return ((Type.MapType) type).key();
    }

    private static Type value(Type type)
    {
        return ((Type.MapType) type).value();
    }

    static void register(FunctionRegistry.Builder b)
    {
        b.add("map", args(ARRAY, ANY_ARRAY), types -> new Type.MapType(((Type.Array) types.get(0)).element(), ((Type.Array) types.get(1)).element()),
                "map(K, V)", "The map of keys to values (arrays of one length; keys distinct and not NULL).", (a, c, t) -> new Construct(t, a));
        b.add("$subscript", args(MAP, ELEMENT), types -> value(types.getFirst()), "V", "m[key]", (a, c, t) -> new Lookup(t, a, true));
        b.add("element_at", args(MAP, ELEMENT), types -> value(types.getFirst()), "V", "The value of the key, NULL when the map has no such key.",
                (a, c, t) -> new Lookup(t, a, false));
        b.add("cardinality", args(MAP), returns(Type.BIGINT), "bigint", "The number of entries of the map.", (a, c, t) -> new ArrayFunctions.Cardinality(t, a));
        b.add("map_keys", args(MAP), types -> new Type.Array(key(types.getFirst())), "array(K)", "The keys of the map.", (a, c, t) -> new Part(t, a, 0));
        b.add("map_values", args(MAP), types -> new Type.Array(value(types.getFirst())), "array(V)", "The values of the map.", (a, c, t) -> new Part(t, a, 1));
        b.add("map_entries", args(MAP), types -> new Type.Array(new Type.Row(List.of(new Type.Field("key", key(types.getFirst())),
                new Type.Field("value", value(types.getFirst()))))), "array(row(key K, value V))", "The entries of the map as rows.",
                (a, c, t) -> new Entries(t, a));
        b.add("map_concat", args(MAP, MAP), true, types -> types.getFirst(), "map(K, V)",
                "The union of the maps; a key in several maps takes its value from the last of them.", "", (a, c, t) -> new Concat(t, a));
        b.add("zip", args(ANY_ARRAY, ANY_ARRAY), true, MapFunctions::zipType, "array(row(T1, T2, ...))",
                "The arrays merged position by position into rows (fields `field0`, `field1`, ...); shorter arrays are padded with NULLs.",
                "The row fields are named `field0`, `field1`, ...", (a, c, t) -> new Zip(t, a));
        b.add("split_to_map", args(VARCHAR, VARCHAR, VARCHAR), returns(new Type.MapType(Type.VARCHAR, Type.VARCHAR)), "map(varchar, varchar)",
                "The string split into entries at `entryDelimiter`, each into key and value at `keyValueDelimiter`.", (a, c, t) -> new SplitToMap(t, a));
    }

    private static Type zipType(List<Type> types)
    {
        List<Type.Field> fields = new java.util.ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            fields.add(new Type.Field("field" + i, ((Type.Array) types.get(i)).element()));
        }
        return new Type.Array(new Type.Row(fields));
    }

    /** map_concat(m1, m2, ...): the entries of every map, a key's value from the last map that has it. */
    static final class Concat
            extends ArrayKernel
    {
        private final Type key;
        private final Type value;
        private final PhysicalType.Representation keyRepresentation;

        Concat(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.key = key(type);
            this.value = value(type);
            this.keyRepresentation = PhysicalType.of(key).representation();
        }

        @Override
        void row(int j)
        {
            for (int m = 0; m < in.length; m++) {
                Block keys = in[m].child(0);
                for (int e = from(m, j); e < to(m, j); e++) {
                    if (!overridden(keys, e, m, j)) {
                        Nested.append(result.child(0), key, keys, e);
                        Nested.append(result.child(1), value, in[m].child(1), e);
                    }
                }
            }
            endArray(j);
        }

        /** Whether key {@code e} of map {@code m} is in a later map of row {@code j}. */
        private boolean overridden(Block keys, int e, int m, int j)
        {
            for (int later = m + 1; later < in.length; later++) {
                Block laterKeys = in[later].child(0);
                for (int k = from(later, j); k < to(later, j); k++) {
                    if (Nested.equal(keyRepresentation, laterKeys, k, keys, e)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** zip(a1, a2, ...): row i holds element i of each array (NULL past an array's end). */
    static final class Zip
            extends ArrayKernel
    {
        private final List<Type> fields;

        Zip(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.fields = ((Type.Row) ((Type.Array) type).element()).fields().stream().map(Type.Field::type).toList();
        }

        @Override
        void row(int j)
        {
            int length = 0;
            for (int a = 0; a < in.length; a++) {
                length = Math.max(length, to(a, j) - from(a, j));
            }
            Block rows = elements();
            for (int i = 0; i < length; i++) {
                for (int a = 0; a < in.length; a++) {
                    int e = from(a, j) + i;
                    if (e < to(a, j)) {
                        Nested.append(rows.child(a), fields.get(a), elementsOf(a), e);
                    }
                    else {
                        Nested.appendNull(rows.child(a), fields.get(a));
                    }
                }
                // the rows themselves are never NULL
                int at = rows.count;
                rows.nullsKeep(at + 1)[at] = false;
                rows.count = at + 1;
            }
            endArray(j);
        }
    }

    /** map(keys, values). */
    static final class Construct
            extends ArrayKernel
    {
        private final Type key;
        private final Type value;
        private final PhysicalType.Representation keyRepresentation;

        Construct(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.key = key(type);
            this.value = value(type);
            this.keyRepresentation = PhysicalType.of(key).representation();
        }

        @Override
        void row(int j)
        {
            int from = from(0, j);
            int n = to(0, j) - from;
            if (to(1, j) - from(1, j) != n) {
                throw invalidArgument("Key and value arrays must be the same length");
            }
            Block keys = elementsOf(0);
            for (int e = from; e < from + n; e++) {
                if (keys.isNull(e)) {
                    throw invalidArgument("map key cannot be null");
                }
                for (int k = from; k < e; k++) {
                    if (Nested.equal(keyRepresentation, keys, k, keys, e)) {
                        throw invalidArgument("Duplicate map keys (" + text(keys, e) + ") are not allowed");
                    }
                }
            }
            Nested.appendRange(result.child(0), key, keys, from, from + n);
            Nested.appendRange(result.child(1), value, elementsOf(1), from(1, j), from(1, j) + n);
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

    /** m[key] (an error when missing) and element_at(m, key) (NULL when missing). */
    static final class Lookup
            extends ArrayKernel
    {
        private final PhysicalType.Representation keyRepresentation;
        private final boolean subscript;

        Lookup(Type type, List<ValueEvaluator> args, boolean subscript)
        {
            super(type, args);
            this.keyRepresentation = PhysicalType.of(key(args.getFirst().type)).representation();
            this.subscript = subscript;
        }

        @Override
        void row(int j)
        {
            Block keys = in[0].child(0);
            for (int e = from(0, j); e < to(0, j); e++) {
                if (Nested.equal(keyRepresentation, keys, e, in[1], j)) {
                    emitValue(j, in[0].child(1), e);
                    return;
                }
            }
            if (subscript) {
                throw invalidArgument("Key not present in map: " + keyText(j));
            }
            emitNull(j);
        }

        private String keyText(int j)
        {
            Block key = in[1];
            return switch (keyRepresentation) {
                case LONG -> Long.toString(key.longs[j]);
                case DOUBLE -> Double.toString(key.doubles[j]);
                case BYTES -> new String(key.bytes, key.offsets[j], key.offsets[j + 1] - key.offsets[j], StandardCharsets.UTF_8);
                case OTHER -> "?";
            };
        }
    }

    /** map_keys and map_values. */
    static final class Part
            extends ArrayKernel
    {
        private final int part;
        private final Type element;

        Part(Type type, List<ValueEvaluator> args, int part)
        {
            super(type, args);
            this.part = part;
            this.element = ((Type.Array) type).element();
        }

        @Override
        void row(int j)
        {
            Nested.appendRange(elements(), element, in[0].child(part), from(0, j), to(0, j));
            endArray(j);
        }
    }

    static final class Entries
            extends ArrayKernel
    {
        private final Type key;
        private final Type value;

        Entries(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.key = key(args.getFirst().type);
            this.value = value(args.getFirst().type);
        }

        @Override
        void row(int j)
        {
            Block rows = elements();
            int from = from(0, j);
            int to = to(0, j);
            Nested.appendRange(rows.child(0), key, in[0].child(0), from, to);
            Nested.appendRange(rows.child(1), value, in[0].child(1), from, to);
            for (int e = from; e < to; e++) {
                // the row values themselves are never NULL
                int at = rows.count;
                rows.nullsKeep(at + 1)[at] = false;
                rows.count = at + 1;
            }
            endArray(j);
        }
    }

    static final class SplitToMap
            extends ArrayKernel
    {
        SplitToMap(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void row(int j)
        {
            Block string = in[0];
            Block entry = in[1];
            Block pair = in[2];
            int eFrom = entry.offsets[j];
            int eLength = entry.offsets[j + 1] - eFrom;
            int pFrom = pair.offsets[j];
            int pLength = pair.offsets[j + 1] - pFrom;
            if (eLength == 0) {
                throw invalidArgument("entryDelimiter is empty");
            }
            if (pLength == 0) {
                throw invalidArgument("keyValueDelimiter is empty");
            }
            if (eLength == pLength && java.util.Arrays.equals(entry.bytes, eFrom, eFrom + eLength, pair.bytes, pFrom, pFrom + pLength)) {
                throw invalidArgument("entryDelimiter and keyValueDelimiter must not be the same");
            }
            Block keys = result.child(0);
            Block values = result.child(1);
            int first = keys.count;
            int start = string.offsets[j];
            int end = string.offsets[j + 1];
            while (start < end) {
                int next = ArrayFunctions.indexOf(string.bytes, start, end, entry.bytes, eFrom, eLength);
                int entryEnd = next < 0 ? end : next;
                int split = ArrayFunctions.indexOf(string.bytes, start, entryEnd, pair.bytes, pFrom, pLength);
                if (split < 0) {
                    throw invalidArgument("Key-value delimiter must appear exactly once in each entry. Bad input: '"
                            + new String(string.bytes, start, entryEnd - start, StandardCharsets.UTF_8) + "'");
                }
                if (ArrayFunctions.indexOf(string.bytes, split + pLength, entryEnd, pair.bytes, pFrom, pLength) >= 0) {
                    throw invalidArgument("Key-value delimiter must appear exactly once in each entry. Bad input: '"
                            + new String(string.bytes, start, entryEnd - start, StandardCharsets.UTF_8) + "'");
                }
                Nested.appendBytes(keys, string.bytes, start, split - start);
                int k = keys.count - 1;
                for (int other = first; other < k; other++) {
                    if (Nested.equal(PhysicalType.Representation.BYTES, keys, other, keys, k)) {
                        throw invalidArgument("Duplicate keys (" + new String(string.bytes, start, split - start, StandardCharsets.UTF_8)
                                + ") are not allowed");
                    }
                }
                Nested.appendBytes(values, string.bytes, split + pLength, entryEnd - split - pLength);
                start = next < 0 ? end : next + eLength;
            }
            endArray(j);
        }
    }
}
