package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * array, map and row values in {@link Block}s: a nested block holds the NULL flags of its values and, in
 * {@link Block#children}, the values inside them, densely and in row order — for array(T) the elements
 * (value j at {@code offsets[j]..offsets[j+1]}), for map(K, V) the keys and the values likewise, for
 * row(...) one block per field. Gathering from Arrow List/Map/Struct vectors and writing back are loops
 * over the offsets; building a result appends to the child blocks. Engine-internal.
 */
final class Nested
{
    private Nested() {}

    /** Whether the engine computes on values of {@code type}: scalars, and arrays, maps and rows of such. */
    static boolean computable(Type type)
    {
        return switch (type) {
            case Type.Array array -> computable(array.element());
            case Type.MapType map -> computable(map.key()) && computable(map.value());
            case Type.Row row -> row.fields().stream().allMatch(field -> computable(field.type()));
            default -> PhysicalType.of(type) != PhysicalType.OTHER;
        };
    }

    static boolean isNested(Type type)
    {
        return type instanceof Type.Array || type instanceof Type.MapType || type instanceof Type.Row;
    }

    // ------------------------------------------------------------------ gather

    /** Reads rows {@code positions[0..count)} of {@code vector} (of {@code type}, any computable type) into {@code out}. */
    static void gather(FieldVector vector, Type type, int[] positions, int count, Block out)
    {
        if (!isNested(type)) {
            Vectors.gather(vector, PhysicalType.of(type), positions, count, out);
            return;
        }
        Vectors.gatherNulls(vector, positions, count, out);
        out.count = count;
        switch (type) {
            case Type.Array array -> {
                ListVector list = (ListVector) vector;
                int[] elements = gatherOffsets(list, positions, count, out);
                gather(list.getDataVector(), array.element(), elements, out.offsets[count], out.child(0));
            }
            case Type.MapType map -> {
                MapVector mapVector = (MapVector) vector;
                int[] entries = gatherOffsets(mapVector, positions, count, out);
                StructVector struct = (StructVector) mapVector.getDataVector();
                int total = out.offsets[count];
                gather((FieldVector) struct.getChildByOrdinal(0), map.key(), entries, total, out.child(0));
                gather((FieldVector) struct.getChildByOrdinal(1), map.value(), entries, total, out.child(1));
            }
            case Type.Row row -> {
                StructVector struct = (StructVector) vector;
                for (int f = 0; f < row.fields().size(); f++) {
                    gather((FieldVector) struct.getChildByOrdinal(f), row.fields().get(f).type(), positions, count, out.child(f));
                }
            }
            default -> throw new IllegalStateException(type.trinoName());
        }
    }

    /** Fills {@code out.offsets} for the selected lists; returns the positions of their elements (in {@code out.scratch}). */
    private static int[] gatherOffsets(ListVector list, int[] positions, int count, Block out)
    {
        int[] offsets = out.offsets(count + 1);
        offsets[0] = 0;
        ArrowBuf offsetBuffer = list.getOffsetBuffer();
        boolean nulls = out.hasNull;
        int total = 0;
        for (int j = 0; j < count; j++) {
            if (!(nulls && out.nulls[j])) {
                long at = (long) positions[j] << 2;
                total += offsetBuffer.getInt(at + 4) - offsetBuffer.getInt(at);
            }
            offsets[j + 1] = total;
        }
        int[] elements = out.scratch(total);
        int k = 0;
        for (int j = 0; j < count; j++) {
            int length = offsets[j + 1] - offsets[j];
            if (length > 0) {
                int start = offsetBuffer.getInt((long) positions[j] << 2);
                for (int e = 0; e < length; e++) {
                    elements[k++] = start + e;
                }
            }
        }
        return elements;
    }

    // ------------------------------------------------------------------ write

    /** Writes the block's {@code count} values (of {@code type}, any computable type) into {@code dst}, allocating it. */
    static void write(Block block, Type type, int count, FieldVector dst)
    {
        if (!isNested(type)) {
            Vectors.write(block, PhysicalType.of(type), count, dst);
            return;
        }
        boolean[] nulls = block.hasNull ? block.nulls : null;
        switch (type) {
            case Type.Array array -> {
                ListVector list = (ListVector) dst;
                int total = writeOffsets(block, count, nulls, list);
                write(block.child(0), array.element(), total, list.getDataVector());
                list.setLastSet(count - 1);
                list.setValueCount(count);
            }
            case Type.MapType map -> {
                MapVector mapVector = (MapVector) dst;
                int total = writeOffsets(block, count, nulls, mapVector);
                StructVector struct = (StructVector) mapVector.getDataVector();
                struct.setInitialCapacity(Math.max(total, 1));
                struct.allocateNew();
                Vectors.writeValidity(struct.getValidityBuffer(), null, 0, total);
                write(block.child(0), map.key(), total, (FieldVector) struct.getChildByOrdinal(0));
                write(block.child(1), map.value(), total, (FieldVector) struct.getChildByOrdinal(1));
                struct.setValueCount(total);
                mapVector.setLastSet(count - 1);
                mapVector.setValueCount(count);
            }
            case Type.Row row -> {
                StructVector struct = (StructVector) dst;
                struct.setInitialCapacity(Math.max(count, 1));
                struct.allocateNew();
                Vectors.writeValidity(struct.getValidityBuffer(), nulls, 0, count);
                for (int f = 0; f < row.fields().size(); f++) {
                    write(block.child(f), row.fields().get(f).type(), count, (FieldVector) struct.getChildByOrdinal(f));
                }
                struct.setValueCount(count);
            }
            default -> throw new IllegalStateException(type.trinoName());
        }
    }

    private static int writeOffsets(Block block, int count, boolean[] nulls, ListVector list)
    {
        list.setInitialCapacity(Math.max(count, 1));
        list.allocateNew();
        while (list.getValueCapacity() < count) {
            list.reAlloc();
        }
        ArrowBuf offsetBuffer = list.getOffsetBuffer();
        int[] offsets = block.offsets;
        for (int j = 0; j <= count; j++) {
            offsetBuffer.setInt((long) j << 2, offsets[j]);
        }
        Vectors.writeValidity(list.getValidityBuffer(), nulls, 0, count);
        return offsets[count];
    }

    // ------------------------------------------------------------------ building values by appending

    /** Empties {@code target} (of {@code type}) to receive values by the append methods. */
    static void reset(Block target, Type type)
    {
        target.count = 0;
        target.hasNull = false;
        switch (type) {
            case Type.Array array -> {
                target.offsets(1)[0] = 0;
                reset(target.child(0), array.element());
            }
            case Type.MapType map -> {
                target.offsets(1)[0] = 0;
                reset(target.child(0), map.key());
                reset(target.child(1), map.value());
            }
            case Type.Row row -> {
                for (int f = 0; f < row.fields().size(); f++) {
                    reset(target.child(f), row.fields().get(f).type());
                }
            }
            default -> {
                if (PhysicalType.of(type).representation() == PhysicalType.Representation.BYTES) {
                    target.offsets(1)[0] = 0;
                }
            }
        }
    }

    private static int next(Block target, boolean isNull)
    {
        int at = target.count;
        target.nullsKeep(at + 1)[at] = isNull;
        target.hasNull |= isNull;
        target.count = at + 1;
        return at;
    }

    static void appendLong(Block target, long value)
    {
        int at = next(target, false);
        target.longsKeep(at + 1)[at] = value;
    }

    static void appendDouble(Block target, double value)
    {
        int at = next(target, false);
        target.doublesKeep(at + 1)[at] = value;
    }

    static void appendBytes(Block target, byte[] bytes, int from, int length)
    {
        int at = next(target, false);
        int[] offsets = target.offsetsKeep(at + 2);
        int p = offsets[at];
        System.arraycopy(bytes, from, target.bytes(p + length, p), p, length);
        offsets[at + 1] = p + length;
    }

    static void appendString(Block target, String value)
    {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        appendBytes(target, bytes, 0, bytes.length);
    }

    /** Appends an array (or map) value whose elements (keys and values) were appended to the children since the last value. */
    static void endArray(Block target)
    {
        int at = next(target, false);
        target.offsetsKeep(at + 2)[at + 1] = target.child(0).count;
    }

    /**
     * Appends a literal value in the engine's Java representation (see {@link Expression}): for an array a
     * {@link java.util.List} of its elements, for a map a {@link java.util.Map}, for a row a List of its fields.
     */
    static void appendLiteral(Block target, Type type, Object value)
    {
        if (value == null) {
            appendNull(target, type);
            return;
        }
        switch (type) {
            case Type.Array array -> {
                for (Object element : (java.util.List<?>) value) {
                    appendLiteral(target.child(0), array.element(), element);
                }
                endArray(target);
            }
            case Type.MapType map -> {
                for (java.util.Map.Entry<?, ?> entry : ((java.util.Map<?, ?>) value).entrySet()) {
                    appendLiteral(target.child(0), map.key(), entry.getKey());
                    appendLiteral(target.child(1), map.value(), entry.getValue());
                }
                endArray(target);
            }
            case Type.Row row -> {
                java.util.List<?> fields = (java.util.List<?>) value;
                next(target, false);
                for (int f = 0; f < row.fields().size(); f++) {
                    appendLiteral(target.child(f), row.fields().get(f).type(), fields.get(f));
                }
            }
            default -> {
                switch (PhysicalType.of(type).representation()) {
                    case LONG -> appendLong(target, Literals.toLong(value, type));
                    case DOUBLE -> appendDouble(target, Literals.toDouble(value, type));
                    case BYTES -> {
                        byte[] bytes = Literals.toBytes(value);
                        appendBytes(target, bytes, 0, bytes.length);
                    }
                    case OTHER -> throw new IllegalStateException(type.trinoName());
                }
            }
        }
    }

    /** Appends a row value whose fields were appended to the children since the last value. */
    static void appendRow(Block target)
    {
        next(target, false);
    }

    /** Appends a NULL of {@code type}. */
    static void appendNull(Block target, Type type)
    {
        int at = next(target, true);
        switch (type) {
            case Type.Array _, Type.MapType _ -> {
                int[] offsets = target.offsetsKeep(at + 2);
                offsets[at + 1] = offsets[at];
            }
            case Type.Row row -> {
                for (int f = 0; f < row.fields().size(); f++) {
                    appendNull(target.child(f), row.fields().get(f).type());
                }
            }
            default -> {
                switch (PhysicalType.of(type).representation()) {
                    case LONG -> target.longsKeep(at + 1)[at] = 0;
                    case DOUBLE -> target.doublesKeep(at + 1)[at] = 0;
                    case BYTES -> {
                        int[] offsets = target.offsetsKeep(at + 2);
                        offsets[at + 1] = offsets[at];
                    }
                    case OTHER -> throw new IllegalStateException(type.trinoName());
                }
            }
        }
    }

    /** Appends value {@code i} of {@code source} (NULL when source is null). */
    static void append(Block target, Type type, Block source, int i)
    {
        if (source == null || source.isNull(i)) {
            appendNull(target, type);
            return;
        }
        int at = next(target, false);
        switch (type) {
            case Type.Array array -> {
                appendRange(target.child(0), array.element(), source.child(0), source.offsets[i], source.offsets[i + 1]);
                target.offsetsKeep(at + 2)[at + 1] = target.child(0).count;
            }
            case Type.MapType map -> {
                appendRange(target.child(0), map.key(), source.child(0), source.offsets[i], source.offsets[i + 1]);
                appendRange(target.child(1), map.value(), source.child(1), source.offsets[i], source.offsets[i + 1]);
                target.offsetsKeep(at + 2)[at + 1] = target.child(0).count;
            }
            case Type.Row row -> {
                for (int f = 0; f < row.fields().size(); f++) {
                    append(target.child(f), row.fields().get(f).type(), source.child(f), i);
                }
            }
            default -> {
                switch (PhysicalType.of(type).representation()) {
                    case LONG -> target.longsKeep(at + 1)[at] = source.longs[i];
                    case DOUBLE -> target.doublesKeep(at + 1)[at] = source.doubles[i];
                    case BYTES -> {
                        int[] offsets = target.offsetsKeep(at + 2);
                        int p = offsets[at];
                        int from = source.offsets[i];
                        int length = source.offsets[i + 1] - from;
                        System.arraycopy(source.bytes, from, target.bytes(p + length, p), p, length);
                        offsets[at + 1] = p + length;
                    }
                    case OTHER -> throw new IllegalStateException(type.trinoName());
                }
            }
        }
    }

    /** Appends values {@code [from, to)} of {@code source}. */
    static void appendRange(Block target, Type type, Block source, int from, int to)
    {
        if (to <= from) {
            return;
        }
        PhysicalType.Representation representation = isNested(type) ? PhysicalType.Representation.OTHER : PhysicalType.of(type).representation();
        int n = to - from;
        int at = target.count;
        switch (representation) {
            case LONG -> {
                System.arraycopy(source.longs, from, target.longsKeep(at + n), at, n);
                appendNulls(target, source, from, n);
            }
            case DOUBLE -> {
                System.arraycopy(source.doubles, from, target.doublesKeep(at + n), at, n);
                appendNulls(target, source, from, n);
            }
            case BYTES -> {
                int[] offsets = target.offsetsKeep(at + n + 1);
                int p = offsets[at];
                int first = source.offsets[from];
                int length = source.offsets[to] - first;
                System.arraycopy(source.bytes, first, target.bytes(p + length, p), p, length);
                for (int k = 1; k <= n; k++) {
                    offsets[at + k] = p + source.offsets[from + k] - first;
                }
                appendNulls(target, source, from, n);
            }
            case OTHER -> {
                for (int i = from; i < to; i++) {
                    append(target, type, source, i);
                }
            }
        }
    }

    private static void appendNulls(Block target, Block source, int from, int n)
    {
        int at = target.count;
        boolean[] nulls = target.nullsKeep(at + n);
        if (source.hasNull) {
            System.arraycopy(source.nulls, from, nulls, at, n);
            for (int k = 0; k < n; k++) {
                target.hasNull |= nulls[at + k];
            }
        }
        else {
            Arrays.fill(nulls, at, at + n, false);
        }
        target.count = at + n;
    }

    // ------------------------------------------------------------------ comparing values of one type

    /**
     * How values of a type compare: by their representation, except {@code timestamp with time zone},
     * whose packed long (millis << 12 | zone key) compares by instant, as in Trino: equal instants in
     * different zones are equal (the aggregation's group keys mask the zone key the same way).
     */
    enum Key
    {
        LONG, INSTANT, DOUBLE, BYTES;

        static Key of(Type type)
        {
            if (type instanceof Type.TimestampWithTimeZone) {
                return INSTANT;
            }
            return switch (PhysicalType.of(type).representation()) {
                case LONG -> LONG;
                case DOUBLE -> DOUBLE;
                case BYTES -> BYTES;
                case OTHER -> throw new IllegalStateException(type.trinoName());
            };
        }
    }

    static boolean equal(Key key, Block a, int i, Block b, int k)
    {
        return key == Key.INSTANT ? TimeZones.millis(a.longs[i]) == TimeZones.millis(b.longs[k]) : equal(representation(key), a, i, b, k);
    }

    static int compare(Key key, Block a, int i, Block b, int k)
    {
        return key == Key.INSTANT ? Long.compare(TimeZones.millis(a.longs[i]), TimeZones.millis(b.longs[k])) : compare(representation(key), a, i, b, k);
    }

    static int hash(Key key, Block a, int i)
    {
        return key == Key.INSTANT ? Long.hashCode(TimeZones.millis(a.longs[i]) * 0x9E3779B97F4A7C15L) : hash(representation(key), a, i);
    }

    private static PhysicalType.Representation representation(Key key)
    {
        return switch (key) {
            case LONG, INSTANT -> PhysicalType.Representation.LONG;
            case DOUBLE -> PhysicalType.Representation.DOUBLE;
            case BYTES -> PhysicalType.Representation.BYTES;
        };
    }

    /** Whether values {@code i} of {@code a} and {@code k} of {@code b} (both not NULL, scalar {@code type}) are equal. */
    static boolean equal(PhysicalType.Representation representation, Block a, int i, Block b, int k)
    {
        return switch (representation) {
            case LONG -> a.longs[i] == b.longs[k];
            case DOUBLE -> a.doubles[i] == b.doubles[k] || (Double.isNaN(a.doubles[i]) && Double.isNaN(b.doubles[k]));
            case BYTES -> Arrays.equals(a.bytes, a.offsets[i], a.offsets[i + 1], b.bytes, b.offsets[k], b.offsets[k + 1]);
            case OTHER -> throw new IllegalStateException();
        };
    }

    /** Orders values {@code i} of {@code a} and {@code k} of {@code b} (both not NULL): numbers, then bytes unsigned (UTF-8 order). */
    static int compare(PhysicalType.Representation representation, Block a, int i, Block b, int k)
    {
        return switch (representation) {
            case LONG -> Long.compare(a.longs[i], b.longs[k]);
            case DOUBLE -> Double.compare(a.doubles[i], b.doubles[k]);
            case BYTES -> Arrays.compareUnsigned(a.bytes, a.offsets[i], a.offsets[i + 1], b.bytes, b.offsets[k], b.offsets[k + 1]);
            case OTHER -> throw new IllegalStateException();
        };
    }

    static int hash(PhysicalType.Representation representation, Block a, int i)
    {
        return switch (representation) {
            case LONG -> Long.hashCode(a.longs[i] * 0x9E3779B97F4A7C15L);
            case DOUBLE -> Double.hashCode(a.doubles[i] == 0 ? 0 : a.doubles[i]);
            case BYTES -> {
                int h = 1;
                for (int p = a.offsets[i]; p < a.offsets[i + 1]; p++) {
                    h = 31 * h + a.bytes[p];
                }
                yield h;
            }
            case OTHER -> throw new IllegalStateException();
        };
    }
}
