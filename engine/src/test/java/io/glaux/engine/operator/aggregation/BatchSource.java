package io.glaux.engine.operator.aggregation;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
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
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.util.Text;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A test source operator yielding prebuilt batches (each handed over to the caller; those never
 * asked for are closed on {@link #close()}), plus helpers to build batches from Java values and read
 * them back: integers, date and timestamp as Long, real and double as Double (real results read back
 * as Float), varchar as String, varbinary as byte[], decimal as BigDecimal, arrays as List.
 */
final class BatchSource
        implements Operator
{
    private final List<Type> types;
    private final Deque<VectorSchemaRoot> batches;
    private boolean closed;

    BatchSource(List<Type> types, List<VectorSchemaRoot> batches)
    {
        this.types = List.copyOf(types);
        this.batches = new ArrayDeque<>(batches);
    }

    /** A source of {@code rows} in batches of {@code batchRows}. */
    static BatchSource of(BufferAllocator allocator, List<Type> types, List<List<Object>> rows, int batchRows)
    {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += batchRows) {
            batches.add(batch(allocator, types, rows.subList(from, Math.min(rows.size(), from + batchRows))));
        }
        return new BatchSource(types, batches);
    }

    static VectorSchemaRoot batch(BufferAllocator allocator, List<Type> types, List<List<Object>> rows)
    {
        VectorSchemaRoot root = Batches.create(types, allocator);
        for (int c = 0; c < types.size(); c++) {
            FieldVector vector = root.getVector(c);
            vector.allocateNew();
            for (int r = 0; r < rows.size(); r++) {
                set(vector, r, rows.get(r).get(c));
            }
            vector.setValueCount(rows.size());
        }
        root.setRowCount(rows.size());
        return root;
    }

    private static void set(FieldVector vector, int row, Object value)
    {
        if (value == null) {
            switch (vector) {
                case ListVector v -> {
                    UnionListWriter writer = v.getWriter();
                    writer.setPosition(row);
                    writer.writeNull();
                }
                default -> {
                    if (vector instanceof org.apache.arrow.vector.BaseFixedWidthVector fixed) {
                        while (row >= fixed.getValueCapacity()) {
                            fixed.reAlloc();
                        }
                        fixed.setNull(row);
                    }
                    else if (vector instanceof org.apache.arrow.vector.BaseVariableWidthVector variable) {
                        variable.setNull(row);
                    }
                    else {
                        throw new IllegalArgumentException(vector.getClass().getName());
                    }
                }
            }
            return;
        }
        switch (vector) {
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
            case VarBinaryVector v -> v.setSafe(row, (byte[]) value);
            case DecimalVector v -> v.setSafe(row, (BigDecimal) value);
            case ListVector v -> {
                UnionListWriter writer = v.getWriter();
                writer.setPosition(row);
                writer.startList();
                for (Object element : (List<?>) value) {
                    writer.float8().writeFloat8(((Number) element).doubleValue());
                }
                writer.endList();
            }
            default -> throw new IllegalArgumentException(vector.getClass().getName());
        }
    }

    /** The value at a row (see the class comment). */
    static Object get(FieldVector vector, int row)
    {
        if (vector.isNull(row)) {
            return null;
        }
        return switch (vector) {
            case BitVector v -> v.get(row) != 0;
            case TinyIntVector v -> (long) v.get(row);
            case SmallIntVector v -> (long) v.get(row);
            case IntVector v -> (long) v.get(row);
            case DateDayVector v -> (long) v.get(row);
            case VarCharVector v -> new String(v.get(row), StandardCharsets.UTF_8);
            case StructVector v -> {
                List<Object> fields = new ArrayList<>();
                for (FieldVector child : v.getChildrenFromFields()) {
                    fields.add(get(child, row));
                }
                yield fields;
            }
            default -> {
                Object value = vector.getObject(row);
                if (value instanceof List<?> list) {
                    yield new ArrayList<Object>(list.stream().map(e -> e instanceof Text t ? t.toString() : e).toList());
                }
                yield value;
            }
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

    /** Drains {@code operator} (closing each batch) and closes it. */
    static List<List<Object>> drain(Operator operator)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (operator) {
            while (true) {
                VectorSchemaRoot next = operator.next();
                if (next == null) {
                    break;
                }
                try (VectorSchemaRoot batch = next) {
                    if (batch.getRowCount() == 0) {
                        throw new AssertionError("an operator returned an empty batch");
                    }
                    rows.addAll(rows(batch));
                }
            }
        }
        return rows;
    }

    /** Drains {@code operator} keeping its batches (moved into {@code allocator}), and closes it. */
    static List<VectorSchemaRoot> drainBatches(Operator operator, BufferAllocator allocator)
    {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (operator) {
            VectorSchemaRoot batch;
            while ((batch = operator.next()) != null) {
                batches.add(Batches.transfer(batch, allocator));
            }
        }
        return batches;
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        while (!batches.isEmpty()) {
            VectorSchemaRoot batch = batches.poll();
            if (batch.getRowCount() > 0) {
                return batch;
            }
            batch.close();
        }
        return null;
    }

    @Override
    public void close()
    {
        closed = true;
        while (!batches.isEmpty()) {
            batches.poll().close();
        }
    }
}
