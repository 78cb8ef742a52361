package io.glaux.engine;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds Arrow batches from Java values and reads them back (test-only, row at a time). */
public final class TestBatches
{
    private TestBatches() {}

    /** A batch with one column per type; {@code columns[c][row]} in the engine's Java representation. */
    public static VectorSchemaRoot batch(BufferAllocator allocator, List<Type> types, Object[]... columns)
    {
        if (types.size() != columns.length) {
            throw new IllegalArgumentException("types and columns differ");
        }
        int rows = columns.length == 0 ? 0 : columns[0].length;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < types.size(); c++) {
            names.add("col" + c);
        }
        Schema schema = ArrowTypes.toArrowSchema(names, types);
        List<FieldVector> vectors = new ArrayList<>();
        for (int c = 0; c < types.size(); c++) {
            FieldVector vector = schema.getFields().get(c).createVector(allocator);
            vector.allocateNew();
            for (int r = 0; r < rows; r++) {
                set(vector, r, columns[c][r]);
            }
            vector.setValueCount(rows);
            vectors.add(vector);
        }
        VectorSchemaRoot root = new VectorSchemaRoot(schema, vectors, rows);
        root.setRowCount(rows);
        return root;
    }

    private static void set(FieldVector vector, int row, Object value)
    {
        if (value == null) {
            switch (vector) {
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
                case org.apache.arrow.vector.DecimalVector v -> v.setNull(row);
                default -> throw new IllegalArgumentException(vector.getClass().getName());
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
            case org.apache.arrow.vector.DecimalVector v -> v.setSafe(row, ((java.math.BigDecimal) value).setScale(v.getScale()));
            default -> throw new IllegalArgumentException(vector.getClass().getName());
        }
    }

    /** The value at a row in the engine's Java representation (real as Double). */
    public static Object get(FieldVector vector, int row)
    {
        if (vector.isNull(row)) {
            return null;
        }
        return switch (vector) {
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
            case org.apache.arrow.vector.DecimalVector v -> v.getObject(row);
            default -> throw new IllegalArgumentException(vector.getClass().getName());
        };
    }

    public static List<List<Object>> rows(VectorSchemaRoot root)
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

    public static List<Object> column(VectorSchemaRoot root, int column)
    {
        List<Object> values = new ArrayList<>();
        for (int r = 0; r < root.getRowCount(); r++) {
            values.add(get(root.getVector(column), r));
        }
        return values;
    }

    /** Row i of column-major arrays. */
    public static List<Object> row(Object[][] columns, int i)
    {
        return Arrays.stream(columns).map(c -> c[i]).toList();
    }
}
