package io.glaux.coordinator.execution;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.arrow.memory.ArrowBuf;
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
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.RowEncoder;
import io.glaux.engine.expr.DateTimes;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Writes the final stage's Arrow batches straight into the JSON of the protocol's {@code data} field
 * ({@code [[v, ...], ...]}), value by value from the vectors: no row objects, no boxed numbers; varchar
 * bytes are escaped as they are, dates and timestamps formatted into a reused buffer. Every value is
 * encoded as {@link RowEncoder} encodes it (the JDBC driver and the CLI read the same text). Decimals
 * go through a BigDecimal each; the types rare in large results (arrays, maps, rows, uuid, varbinary,
 * time, timestamp with time zone, years outside 0-9999) through {@code RowEncoder} with the value read
 * as {@link ArrowRows} reads it.
 */
final class JsonRows
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private final List<ResultColumn> columns;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    private final JsonGenerator generator;
    private final byte[] text = new byte[48];
    private final com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    private int rows;

    JsonRows(List<ResultColumn> columns)
    {
        this.columns = List.copyOf(columns);
        try {
            generator = FACTORY.createGenerator(bytes, JsonEncoding.UTF8);
            generator.setCodec(mapper);
            generator.writeStartArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int rows()
    {
        return rows;
    }

    // how a column's values are written, decided once per batch from its type and its vector
    private static final int FALLBACK = 0;
    private static final int BOOLEAN = 1;
    private static final int BIGINT = 2;
    private static final int INT = 3;
    private static final int SMALLINT = 4;
    private static final int TINYINT = 5;
    private static final int DOUBLE = 6;
    private static final int FLOAT_AS_DOUBLE = 7;
    private static final int REAL = 8;
    private static final int DOUBLE_AS_REAL = 9;
    private static final int VARCHAR = 10;
    private static final int DATE = 11;
    private static final int TIMESTAMP = 12;
    private static final int DECIMAL = 13;

    /** Appends rows {@code [from, from + count)} of {@code batch}. */
    void append(VectorSchemaRoot batch, int from, int count)
    {
        try {
            int columnCount = columns.size();
            FieldVector[] vectors = new FieldVector[columnCount];
            int[] kinds = new int[columnCount];
            for (int c = 0; c < columnCount; c++) {
                vectors[c] = batch.getVector(c);
                kinds[c] = kind(columns.get(c).type().getSqlTypeName(), vectors[c]);
            }
            for (int row = from; row < from + count; row++) {
                generator.writeStartArray();
                for (int c = 0; c < columnCount; c++) {
                    FieldVector vector = vectors[c];
                    if (vector.isNull(row)) {
                        generator.writeNull();
                        continue;
                    }
                    writeValue(kinds[c], columns.get(c).type(), vector, row);
                }
                generator.writeEndArray();
            }
            rows += count;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON array of the rows appended, UTF-8; this writer is done. */
    byte[] finish()
    {
        try {
            generator.writeEndArray();
            generator.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static int kind(SqlTypeName type, FieldVector vector)
    {
        return switch (type) {
            case BOOLEAN -> vector instanceof BitVector ? BOOLEAN : FALLBACK;
            case TINYINT, SMALLINT, INTEGER, BIGINT -> switch (vector) {
                case BigIntVector _ -> BIGINT;
                case IntVector _ -> INT;
                case SmallIntVector _ -> SMALLINT;
                case TinyIntVector _ -> TINYINT;
                default -> FALLBACK;
            };
            case DOUBLE, FLOAT -> vector instanceof Float8Vector ? DOUBLE : vector instanceof Float4Vector ? FLOAT_AS_DOUBLE : FALLBACK;
            case REAL -> vector instanceof Float4Vector ? REAL : vector instanceof Float8Vector ? DOUBLE_AS_REAL : FALLBACK;
            case CHAR, VARCHAR -> vector instanceof VarCharVector ? VARCHAR : FALLBACK;
            case DATE -> vector instanceof DateDayVector ? DATE : FALLBACK;
            case TIMESTAMP -> vector instanceof TimeStampMicroVector ? TIMESTAMP : FALLBACK;
            case DECIMAL -> vector instanceof DecimalVector ? DECIMAL : FALLBACK;
            default -> FALLBACK;
        };
    }

    /** Writes the (not NULL) value at {@code row}, as {@link RowEncoder} encodes it. */
    private void writeValue(int kind, RelDataType type, FieldVector vector, int row)
            throws IOException
    {
        switch (kind) {
            case BOOLEAN -> generator.writeBoolean(((BitVector) vector).get(row) != 0);
            case BIGINT -> generator.writeNumber(((BigIntVector) vector).get(row));
            case INT -> generator.writeNumber(((IntVector) vector).get(row));
            case SMALLINT -> generator.writeNumber(((SmallIntVector) vector).get(row));
            case TINYINT -> generator.writeNumber(((TinyIntVector) vector).get(row));
            case DOUBLE -> writeDouble(((Float8Vector) vector).get(row), false);
            case FLOAT_AS_DOUBLE -> writeDouble(((Float4Vector) vector).get(row), false);
            case REAL -> writeDouble(((Float4Vector) vector).get(row), true);
            case DOUBLE_AS_REAL -> writeDouble(((Float8Vector) vector).get(row), true);
            case VARCHAR -> {
                VarCharVector v = (VarCharVector) vector;
                ArrowBuf offsets = v.getOffsetBuffer();
                int start = offsets.getInt((long) row * OFFSET_WIDTH);
                int end = offsets.getInt((long) (row + 1) * OFFSET_WIDTH);
                byte[] utf8 = scratch(end - start);
                v.getDataBuffer().getBytes(start, utf8, 0, end - start);
                generator.writeUTF8String(utf8, 0, end - start);
            }
            case DATE -> {
                int length = formatDate(((DateDayVector) vector).get(row), text, 0);
                if (length < 0) {
                    fallback(type, vector, row);
                    return;
                }
                generator.writeUTF8String(text, 0, length);
            }
            case TIMESTAMP -> {
                int length = formatTimestampMillis(((TimeStampMicroVector) vector).get(row), text);
                if (length < 0) {
                    fallback(type, vector, row);
                    return;
                }
                generator.writeUTF8String(text, 0, length);
            }
            case DECIMAL -> {
                BigDecimal value = ((DecimalVector) vector).getObject(row);
                generator.writeString(value.setScale(Math.max(type.getScale(), 0), RoundingMode.HALF_UP).toPlainString());
            }
            default -> fallback(type, vector, row);
        }
    }

    private void writeDouble(double d, boolean real)
            throws IOException
    {
        if (Double.isNaN(d)) {
            generator.writeString("NaN");
        }
        else if (Double.isInfinite(d)) {
            generator.writeString(d > 0 ? "Infinity" : "-Infinity");
        }
        else if (real) {
            generator.writeNumber((float) d);
        }
        else {
            generator.writeNumber(d);
        }
    }

    private void fallback(RelDataType type, FieldVector vector, int row)
            throws IOException
    {
        generator.writeObject(RowEncoder.encodeValue(type, ArrowRows.value(vector, row)));
    }

    private byte[] utf8 = new byte[256];

    private byte[] scratch(int length)
    {
        if (utf8.length < length) {
            utf8 = new byte[Math.max(length, utf8.length * 2)];
        }
        return utf8;
    }

    /** The width of a variable-width vector's offsets. */
    private static final int OFFSET_WIDTH = 4;

    /**
     * {@code yyyy-MM-dd} of day {@code epochDay} (days since 1970-01-01) into {@code out} at {@code at}
     * (the engine's {@link DateTimes#formatDate}, as {@code LocalDate.toString} writes it); returns the
     * length, 10, or -1 for a year outside 0-9999 (written otherwise).
     */
    static int formatDate(long epochDay, byte[] out, int at)
    {
        long year = year(epochDay);
        if (year < 0 || year > 9999) {
            return -1;
        }
        return DateTimes.formatDate(epochDay, out, at) - at;
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss.SSS} (UTC) of {@code micros} since the epoch, with the engine's
     * {@link DateTimes#formatTimestamp}; returns 23, or -1 for a year outside 1-9999 (the row encoder's
     * pattern prints the year of era, where year 0 is 1 BC: written otherwise).
     */
    static int formatTimestampMillis(long micros, byte[] out)
    {
        long year = year(Math.floorDiv(micros, DateTimes.MICROS_PER_DAY));
        if (year < 1 || year > 9999) {
            return -1;
        }
        return DateTimes.formatTimestamp(micros, 3, out, 0);
    }

    private static long year(long epochDay)
    {
        long packed = DateTimes.civilFromDays(epochDay);
        return packed >= 0 ? packed / 10000 : -((-packed) / 10000);
    }
}
