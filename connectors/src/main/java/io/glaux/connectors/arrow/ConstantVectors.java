package io.glaux.connectors.arrow;

import io.glaux.spi.type.Type;
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

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Fills a vector with one value repeated (partition and hidden columns, columns missing from a
 * file). Values use the engine's Java representation: Long for tinyint..bigint, date (days) and
 * timestamp (micros); Double for real and double; Boolean; String for varchar; byte[] for varbinary;
 * BigDecimal for decimal; null for NULL.
 */
public final class ConstantVectors
{
    private ConstantVectors() {}

    /**
     * Allocates {@code target} for {@code rowCount} rows copied from {@code source} (a column a scan
     * reads twice, decoded once) and sets its value count.
     */
    public static void copy(FieldVector source, FieldVector target, int rowCount)
    {
        target.setInitialCapacity(rowCount);
        target.allocateNew();
        for (int row = 0; row < rowCount; row++) {
            target.copyFromSafe(row, row, source);
        }
        target.setValueCount(rowCount);
    }

    /** Allocates {@code vector} for {@code rowCount} rows, all {@code value}, and sets its value count. */
    public static void fill(FieldVector vector, Type type, Object value, int rowCount)
    {
        if (value == null) {
            fillNull(vector, rowCount);
            return;
        }
        switch (vector) {
            case BitVector v -> {
                v.allocateNew(rowCount);
                int bit = (Boolean) value ? 1 : 0;
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, bit);
                }
            }
            case TinyIntVector v -> {
                v.allocateNew(rowCount);
                byte x = ((Number) value).byteValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case SmallIntVector v -> {
                v.allocateNew(rowCount);
                short x = ((Number) value).shortValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case IntVector v -> {
                v.allocateNew(rowCount);
                int x = ((Number) value).intValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case BigIntVector v -> {
                v.allocateNew(rowCount);
                long x = ((Number) value).longValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case Float4Vector v -> {
                v.allocateNew(rowCount);
                float x = ((Number) value).floatValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case Float8Vector v -> {
                v.allocateNew(rowCount);
                double x = ((Number) value).doubleValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case DateDayVector v -> {
                v.allocateNew(rowCount);
                int x = Math.toIntExact(((Number) value).longValue());
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case TimeStampMicroVector v -> {
                v.allocateNew(rowCount);
                long x = ((Number) value).longValue();
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case DecimalVector v -> {
                v.allocateNew(rowCount);
                BigDecimal x = ((BigDecimal) value).setScale(v.getScale(), RoundingMode.UNNECESSARY);
                for (int i = 0; i < rowCount; i++) {
                    v.set(i, x);
                }
            }
            case VarCharVector v -> {
                byte[] bytes = value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8);
                fillBytes(v, bytes, rowCount);
            }
            case VarBinaryVector v -> {
                byte[] bytes = value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8);
                fillBytes(v, bytes, rowCount);
            }
            default -> throw new IllegalArgumentException("cannot fill a constant of type " + type.trinoName() + " into " + vector.getClass().getSimpleName());
        }
        vector.setValueCount(rowCount);
    }

    private static void fillBytes(org.apache.arrow.vector.BaseVariableWidthVector v, byte[] bytes, int rowCount)
    {
        v.allocateNew(Math.max(1L, (long) bytes.length * rowCount), rowCount);
        for (int i = 0; i < rowCount; i++) {
            v.set(i, bytes, 0, bytes.length);
        }
    }

    /** Allocates {@code vector} for {@code rowCount} rows, all NULL. */
    public static void fillNull(FieldVector vector, int rowCount)
    {
        vector.setInitialCapacity(rowCount);
        vector.allocateNew();
        for (int i = 0; i < rowCount; i++) {
            vector.setNull(i);
        }
        vector.setValueCount(rowCount);
    }
}
