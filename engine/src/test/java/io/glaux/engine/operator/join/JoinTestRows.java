package io.glaux.engine.operator.join;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Schema;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Row-at-a-time helpers for the join tests: batches from Java rows (every scalar type plus arrays, maps
 * and rows) and back. Values: Long for integer types, date and timestamp; Double for real and double;
 * String; Boolean; BigDecimal; ByteBuffer for varbinary; List for arrays and rows; Map for maps.
 */
final class JoinTestRows
{
    private JoinTestRows() {}

    static VectorSchemaRoot batch(BufferAllocator allocator, List<Type> types, List<List<Object>> rows)
    {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < types.size(); c++) {
            names.add("c" + c);
        }
        Schema schema = ArrowTypes.toArrowSchema(names, types);
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            for (int c = 0; c < types.size(); c++) {
                FieldVector vector = root.getVector(c);
                vector.allocateNew();
                for (int r = 0; r < rows.size(); r++) {
                    set(vector, types.get(c), r, rows.get(r).get(c));
                }
                vector.setValueCount(rows.size());
            }
            root.setRowCount(rows.size());
            return root;
        }
        catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Splits rows into batches of at most {@code size} rows. */
    static List<VectorSchemaRoot> batches(BufferAllocator allocator, List<Type> types, List<List<Object>> rows, int size)
    {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += size) {
            batches.add(batch(allocator, types, rows.subList(from, Math.min(rows.size(), from + size))));
        }
        return batches;
    }

    static BatchSource source(BufferAllocator allocator, List<Type> types, List<List<Object>> rows, int size)
    {
        return new BatchSource(types, batches(allocator, types, rows, size));
    }

    @SuppressWarnings("unchecked")
    private static void set(FieldVector vector, Type type, int row, Object value)
    {
        if (value == null) {
            switch (vector) {
                case ListVector v -> v.setNull(row);
                case StructVector v -> v.setNull(row);
                case BitVector v -> v.setNull(row);
                case TinyIntVector v -> v.setNull(row);
                case SmallIntVector v -> v.setNull(row);
                case IntVector v -> v.setNull(row);
                case BigIntVector v -> v.setNull(row);
                case Float4Vector v -> v.setNull(row);
                case Float8Vector v -> v.setNull(row);
                case DateDayVector v -> v.setNull(row);
                case TimeStampMicroVector v -> v.setNull(row);
                case VarCharVector v -> v.setNull(row);
                case VarBinaryVector v -> v.setNull(row);
                case DecimalVector v -> v.setNull(row);
                default -> throw new IllegalArgumentException(vector.getClass().getName());
            }
            return;
        }
        switch (vector) {
            case ListVector v -> {
                // arrays and maps (a map is a list of key/value structs)
                List<List<Object>> elements = new ArrayList<>();
                Type elementType;
                if (type instanceof Type.MapType map) {
                    elementType = new Type.Row(List.of(new Type.Field("key", map.key()), new Type.Field("value", map.value())));
                    for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) value).entrySet()) {
                        List<Object> pair = new ArrayList<>();
                        pair.add(entry.getKey());
                        pair.add(entry.getValue());
                        elements.add(pair);
                    }
                }
                else {
                    elementType = ((Type.Array) type).element();
                    for (Object element : (List<Object>) value) {
                        elements.add(java.util.Collections.singletonList(element));
                    }
                }
                int offset = v.startNewValue(row);
                FieldVector data = v.getDataVector();
                for (int i = 0; i < elements.size(); i++) {
                    Object element = type instanceof Type.MapType ? elements.get(i) : elements.get(i).getFirst();
                    set(data, elementType, offset + i, element);
                }
                v.endValue(row, elements.size());
            }
            case StructVector v -> {
                Type.Row rowType = (Type.Row) type;
                List<Object> fields = (List<Object>) value;
                for (int f = 0; f < rowType.fields().size(); f++) {
                    set((FieldVector) v.getChildByOrdinal(f), rowType.fields().get(f).type(), row, fields.get(f));
                }
                v.setIndexDefined(row);
            }
            case BitVector v -> v.setSafe(row, (Boolean) value ? 1 : 0);
            case TinyIntVector v -> v.setSafe(row, (byte) ((Number) value).longValue());
            case SmallIntVector v -> v.setSafe(row, (short) ((Number) value).longValue());
            case IntVector v -> v.setSafe(row, (int) ((Number) value).longValue());
            case BigIntVector v -> v.setSafe(row, ((Number) value).longValue());
            case Float4Vector v -> v.setSafe(row, ((Number) value).floatValue());
            case Float8Vector v -> v.setSafe(row, ((Number) value).doubleValue());
            case DateDayVector v -> v.setSafe(row, (int) ((Number) value).longValue());
            case TimeStampMicroVector v -> v.setSafe(row, ((Number) value).longValue());
            case VarCharVector v -> v.setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
            case VarBinaryVector v -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                v.setSafe(row, bytes);
            }
            case DecimalVector v -> v.setSafe(row, (BigDecimal) value);
            default -> throw new IllegalArgumentException(vector.getClass().getName());
        }
    }

    static Object get(FieldVector vector, int row)
    {
        if (vector.isNull(row)) {
            return null;
        }
        return switch (vector) {
            case org.apache.arrow.vector.complex.MapVector v -> {
                StructVector entries = (StructVector) v.getDataVector();
                Map<Object, Object> map = new HashMap<>();
                int start = v.getOffsetBuffer().getInt((long) row * 4);
                int end = v.getOffsetBuffer().getInt((long) (row + 1) * 4);
                for (int i = start; i < end; i++) {
                    map.put(get((FieldVector) entries.getChildByOrdinal(0), i), get((FieldVector) entries.getChildByOrdinal(1), i));
                }
                yield map;
            }
            case ListVector v -> {
                List<Object> list = new ArrayList<>();
                int start = v.getOffsetBuffer().getInt((long) row * 4);
                int end = v.getOffsetBuffer().getInt((long) (row + 1) * 4);
                for (int i = start; i < end; i++) {
                    list.add(get(v.getDataVector(), i));
                }
                yield list;
            }
            case StructVector v -> {
                List<Object> fields = new ArrayList<>();
                for (int f = 0; f < v.size(); f++) {
                    fields.add(get((FieldVector) v.getChildByOrdinal(f), row));
                }
                yield fields;
            }
            case BitVector v -> v.get(row) != 0;
            case TinyIntVector v -> (long) v.get(row);
            case SmallIntVector v -> (long) v.get(row);
            case IntVector v -> (long) v.get(row);
            case BigIntVector v -> v.get(row);
            case Float4Vector v -> (double) v.get(row);
            case Float8Vector v -> v.get(row);
            case DateDayVector v -> (long) v.get(row);
            case TimeStampMicroVector v -> v.get(row);
            case VarCharVector v -> new String(v.get(row), StandardCharsets.UTF_8);
            case VarBinaryVector v -> ByteBuffer.wrap(v.get(row));
            case DecimalVector v -> v.getObject(row);
            default -> throw new IllegalArgumentException(vector.getClass().getName());
        };
    }

    static List<List<Object>> rows(VectorSchemaRoot root)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < root.getRowCount(); r++) {
            List<Object> row = new ArrayList<>();
            for (FieldVector vector : root.getFieldVectors()) {
                row.add(get(vector, r));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Pulls every batch of the operator (closing each) and returns its rows; checks batch sizes and types. */
    static List<List<Object>> drain(io.glaux.engine.operator.Operator operator, int maxBatchRows)
    {
        List<List<Object>> rows = new ArrayList<>();
        while (true) {
            VectorSchemaRoot next = operator.next();
            if (next == null) {
                break;
            }
            try (VectorSchemaRoot batch = next) {
                if (batch.getRowCount() == 0 || batch.getRowCount() > maxBatchRows) {
                    throw new AssertionError("batch of " + batch.getRowCount() + " rows");
                }
                if (batch.getFieldVectors().size() != operator.outputTypes().size()) {
                    throw new AssertionError("batch has " + batch.getFieldVectors().size() + " columns, expected " + operator.outputTypes());
                }
                for (FieldVector vector : batch.getFieldVectors()) {
                    if (vector.getValueCount() != batch.getRowCount()) {
                        throw new AssertionError("vector " + vector.getField() + " has " + vector.getValueCount() + " values of " + batch.getRowCount());
                    }
                }
                rows.addAll(rows(batch));
            }
        }
        return rows;
    }

    /** The rows as a multiset (row → count), for order-insensitive comparison. */
    static Map<List<Object>, Integer> multiset(List<List<Object>> rows)
    {
        Map<List<Object>, Integer> counts = new HashMap<>();
        for (List<Object> row : rows) {
            counts.merge(normalize(row), 1, Integer::sum);
        }
        return counts;
    }

    private static List<Object> normalize(List<Object> row)
    {
        List<Object> normalized = new ArrayList<>(row.size());
        for (Object value : row) {
            normalized.add(value instanceof BigDecimal d ? d.stripTrailingZeros() : value);
        }
        return normalized;
    }
}
