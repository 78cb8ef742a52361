package io.glaux.connectors.arrow;

import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
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

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Fills a vector with one value repeated (partition and hidden columns, columns missing from a
 * file). Values use the engine's Java representation: Long for tinyint..bigint, date (days) and
 * timestamp (micros); Double for real and double; Boolean; String for varchar; byte[] for varbinary;
 * BigDecimal for decimal; null for NULL.
 */
public final class ConstantVectors
{
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final byte[] ALL_SET = allSet();

    private ConstantVectors() {}

    private static byte[] allSet()
    {
        byte[] bytes = new byte[1024];
        java.util.Arrays.fill(bytes, (byte) -1);
        return bytes;
    }

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

    private static void fillBytes(BaseVariableWidthVector v, byte[] bytes, int rowCount)
    {
        long dataBytes = (long) bytes.length * rowCount;
        if (dataBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a constant of %d bytes repeated %d times does not fit a vector".formatted(bytes.length, rowCount));
        }
        v.allocateNew(Math.max(1L, dataBytes), rowCount);
        // in bulk, not row by row (a partition column of every batch): the value repeated, offsets, validity
        if (bytes.length > 0 && rowCount > 0) {
            byte[] data = new byte[(int) dataBytes];
            for (int i = 0, at = 0; i < rowCount; i++, at += bytes.length) {
                System.arraycopy(bytes, 0, data, at, bytes.length);
            }
            v.getDataBuffer().setBytes(0, data);
        }
        int[] offsets = new int[rowCount + 1];
        for (int i = 1; i <= rowCount; i++) {
            offsets[i] = offsets[i - 1] + bytes.length;
        }
        MemorySegment.copy(offsets, 0, MemorySegment.ofBuffer(v.getOffsetBuffer().nioBuffer(0, 4 * (rowCount + 1))), INT_LE, 0, rowCount + 1);
        setAll(v.getValidityBuffer(), rowCount);
        v.setLastSet(rowCount - 1);
    }

    /** Sets the first {@code rowCount} bits of a validity buffer. */
    private static void setAll(ArrowBuf validity, int rowCount)
    {
        int fullBytes = rowCount / 8;
        for (int at = 0; at < fullBytes; at += ALL_SET.length) {
            validity.setBytes(at, ALL_SET, 0, Math.min(ALL_SET.length, fullBytes - at));
        }
        if (rowCount % 8 != 0) {
            validity.setByte(fullBytes, (1 << (rowCount % 8)) - 1);
        }
    }

    /** Allocates {@code vector} for {@code rowCount} rows, all NULL. */
    public static void fillNull(FieldVector vector, int rowCount)
    {
        vector.setInitialCapacity(rowCount);
        vector.allocateNew();
        switch (vector) {
            // allocateNew zeroes the validity (and a variable-width vector's offsets): every row is NULL
            // already, and, for variable width, empty up to the last row (setValueCount fills no holes)
            case BaseVariableWidthVector v -> v.setLastSet(rowCount - 1);
            case BaseFixedWidthVector v -> {}
            default -> {
                for (int i = 0; i < rowCount; i++) {
                    vector.setNull(i);
                }
            }
        }
        vector.setValueCount(rowCount);
    }
}
