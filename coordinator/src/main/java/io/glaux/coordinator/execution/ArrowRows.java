package io.glaux.coordinator.execution;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final stage's Arrow batches → rows of Java values for the protocol's {@code RowEncoder}
 * (Integer for integer, Long for bigint, Integer days for date, Long millis for timestamp, String for
 * varchar). This is the boundary where the final, already reduced result leaves the columnar world:
 * the protocol's JSON pages are written value by value.
 */
final class ArrowRows
{
    private ArrowRows() {}

    static void appendRows(VectorSchemaRoot batch, List<Object[]> out)
    {
        int rowCount = batch.getRowCount();
        int columnCount = batch.getFieldVectors().size();
        Object[][] rows = new Object[rowCount][];
        for (int row = 0; row < rowCount; row++) {
            rows[row] = new Object[columnCount];
        }
        for (int column = 0; column < columnCount; column++) {
            FieldVector vector = batch.getVector(column);
            for (int row = 0; row < rowCount; row++) {
                rows[row][column] = value(vector, row);
            }
        }
        out.addAll(List.of(rows));
    }

    static Object value(FieldVector vector, int row)
    {
        if (vector.isNull(row)) {
            return null;
        }
        return switch (vector) {
            case BitVector v -> v.get(row) != 0;
            case TinyIntVector v -> v.get(row);
            case SmallIntVector v -> v.get(row);
            case IntVector v -> v.get(row);
            case BigIntVector v -> v.get(row);
            case Float4Vector v -> v.get(row);
            case Float8Vector v -> v.get(row);
            case VarCharVector v -> new String(v.get(row), StandardCharsets.UTF_8);
            case VarBinaryVector v -> new org.apache.calcite.avatica.util.ByteString(v.get(row));
            case DateDayVector v -> v.get(row);
            case TimeStampMicroVector v -> Math.floorDiv(v.get(row), 1000L);
            // time(p): millis of the day, as Calcite holds a time
            case TimeMicroVector v -> Math.floorDiv(v.get(row), 1000L);
            case DecimalVector v -> v.getObject(row);
            // a map is a list of key/value structs: test it before ListVector
            case MapVector v -> {
                StructVector entries = (StructVector) v.getDataVector();
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = v.getElementStartIndex(row); i < v.getElementEndIndex(row); i++) {
                    map.put(value((FieldVector) entries.getChildByOrdinal(0), i), value((FieldVector) entries.getChildByOrdinal(1), i));
                }
                yield map;
            }
            case ListVector v -> {
                FieldVector elements = v.getDataVector();
                List<Object> list = new ArrayList<>();
                for (int i = v.getElementStartIndex(row); i < v.getElementEndIndex(row); i++) {
                    list.add(value(elements, i));
                }
                yield list;
            }
            case StructVector v -> {
                Object[] fields = new Object[v.size()];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = value((FieldVector) v.getChildByOrdinal(i), row);
                }
                yield fields;
            }
            default -> throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Cannot return values of type " + vector.getField().getType() + " yet");
        };
    }
}
