package io.glaux.connectors.line;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
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

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Writes a scalar value given as text (UTF-8 bytes) into an Arrow vector of its type, parsing it as Hive
 * reads text: integers as {@link TextValues#parseLong} (range-checked), floating point as Java does,
 * decimals rounded half-up to the scale, booleans {@code true}/{@code false}, dates {@code yyyy-MM-dd},
 * timestamps {@code yyyy-MM-dd HH:mm:ss[.fffffffff]} (or the table's {@code timestamp.formats}),
 * varchar(n) truncated to n characters, varbinary base64-decoded when it is valid base64 (else the bytes
 * themselves). Callers decide what an invalid value means (NULL for Hive's text SerDe, an error for JSON).
 * Not thread-safe: one instance per reader.
 */
public abstract class TextValueWriter
{
    protected final TextValues values;

    private TextValueWriter(TextValues values)
    {
        this.values = values;
    }

    /**
     * Writes the value of {@code b[offset, offset + length)} at {@code index} of {@code vector}.
     *
     * @return false (and nothing written) when the text is not a value of the type
     */
    public abstract boolean write(FieldVector vector, int index, byte[] b, int offset, int length);

    /** Whether this writer takes any text (varchar, varbinary): an empty field is an empty value, not NULL. */
    public boolean acceptsAnyText()
    {
        return false;
    }

    /**
     * A writer for a scalar {@code type}.
     *
     * @param timestampFormats extra timestamp formats, tried after the default one
     * @throws GlauxException {@code NOT_SUPPORTED} for array, map and row types
     */
    public static TextValueWriter create(Type type, TimestampFormats timestampFormats)
    {
        TextValues values = new TextValues();
        return switch (type) {
            case Type.Varchar varchar -> new VarcharWriter(values, varchar.length());
            case Type.Timestamp _ -> new TimestampWriter(values, timestampFormats.copy());
            case Type.Decimal decimal -> new DecimalWriter(values, decimal.precision(), decimal.scale());
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> new BooleanWriter(values);
                case TINYINT -> new IntegerWriter(values, Byte.MIN_VALUE, Byte.MAX_VALUE, 1);
                case SMALLINT -> new IntegerWriter(values, Short.MIN_VALUE, Short.MAX_VALUE, 2);
                case INTEGER -> new IntegerWriter(values, Integer.MIN_VALUE, Integer.MAX_VALUE, 4);
                case BIGINT -> new IntegerWriter(values, Long.MIN_VALUE, Long.MAX_VALUE, 8);
                case REAL -> new RealWriter(values);
                case DOUBLE -> new DoubleWriter(values);
                case DATE -> new DateWriter(values);
                case VARBINARY -> new VarbinaryWriter(values);
                case UUID, IPADDRESS, IPPREFIX, JSON, INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH -> throw new GlauxException(ErrorCode.NOT_SUPPORTED,
                        "Columns of type %s are not supported in text files".formatted(type.trinoName()));
            };
            case Type.Array _, Type.MapType _, Type.Row _, Type.TimestampWithTimeZone _, Type.Time _ -> throw new GlauxException(ErrorCode.NOT_SUPPORTED,
                    "Type %s is not a scalar type".formatted(type.trinoName()));
        };
    }

    private static final class BooleanWriter
            extends TextValueWriter
    {
        BooleanWriter(TextValues values)
        {
            super(values);
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            if (!values.parseBoolean(b, offset, length)) {
                return false;
            }
            ((BitVector) vector).setSafe(index, values.booleanValue ? 1 : 0);
            return true;
        }
    }

    private static final class IntegerWriter
            extends TextValueWriter
    {
        private final long min;
        private final long max;
        private final int width;

        IntegerWriter(TextValues values, long min, long max, int width)
        {
            super(values);
            this.min = min;
            this.max = max;
            this.width = width;
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            if (!values.parseLong(b, offset, length)) {
                return false;
            }
            long value = values.longValue;
            if (value < min || value > max) {
                return false;
            }
            switch (width) {
                case 1 -> ((TinyIntVector) vector).setSafe(index, (byte) value);
                case 2 -> ((SmallIntVector) vector).setSafe(index, (short) value);
                case 4 -> ((IntVector) vector).setSafe(index, (int) value);
                default -> ((BigIntVector) vector).setSafe(index, value);
            }
            return true;
        }
    }

    private static final class RealWriter
            extends TextValueWriter
    {
        RealWriter(TextValues values)
        {
            super(values);
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            if (!values.parseFloat(b, offset, length)) {
                return false;
            }
            ((Float4Vector) vector).setSafe(index, (float) values.doubleValue);
            return true;
        }
    }

    private static final class DoubleWriter
            extends TextValueWriter
    {
        DoubleWriter(TextValues values)
        {
            super(values);
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            if (!values.parseDouble(b, offset, length)) {
                return false;
            }
            ((Float8Vector) vector).setSafe(index, values.doubleValue);
            return true;
        }
    }

    private static final class DecimalWriter
            extends TextValueWriter
    {
        private final int precision;
        private final int scale;

        DecimalWriter(TextValues values, int precision, int scale)
        {
            super(values);
            this.precision = precision;
            this.scale = scale;
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            if (!values.parseDecimal(b, offset, length, precision, scale)) {
                return false;
            }
            DecimalVector decimals = (DecimalVector) vector;
            if (values.decimalValue != null) {
                decimals.setSafe(index, values.decimalValue);
            }
            else {
                decimals.setSafe(index, values.unscaledValue);
            }
            return true;
        }
    }

    private static final class DateWriter
            extends TextValueWriter
    {
        DateWriter(TextValues values)
        {
            super(values);
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            if (!values.parseDate(b, offset, length) || values.longValue != (int) values.longValue) {
                return false;
            }
            ((DateDayVector) vector).setSafe(index, (int) values.longValue);
            return true;
        }
    }

    private static final class TimestampWriter
            extends TextValueWriter
    {
        private final TimestampFormats formats;

        TimestampWriter(TextValues values, TimestampFormats formats)
        {
            super(values);
            this.formats = formats;
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            long micros;
            if (values.parseTimestamp(b, offset, length)) {
                micros = values.longValue;
            }
            else if (!formats.isEmpty() && formats.parse(b, offset, length)) {
                micros = formats.micros();
            }
            else {
                return false;
            }
            ((TimeStampMicroVector) vector).setSafe(index, micros);
            return true;
        }
    }

    private static final class VarcharWriter
            extends TextValueWriter
    {
        private final int maxLength;

        VarcharWriter(TextValues values, int maxLength)
        {
            super(values);
            this.maxLength = maxLength;
        }

        @Override
        public boolean acceptsAnyText()
        {
            return true;
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            int n = length;
            if (maxLength != Type.Varchar.UNBOUNDED && length > maxLength) {
                n = truncatedLength(b, offset, length, maxLength);
            }
            ((VarCharVector) vector).setSafe(index, b, offset, n);
            return true;
        }

        /** The byte length of the first {@code characters} code points of UTF-8 {@code b[offset, offset + length)}. */
        private static int truncatedLength(byte[] b, int offset, int length, int characters)
        {
            int seen = 0;
            for (int i = 0; i < length; i++) {
                // a code point starts at every byte that is not a continuation byte (10xxxxxx)
                if ((b[offset + i] & 0xC0) != 0x80) {
                    if (seen == characters) {
                        return i;
                    }
                    seen++;
                }
            }
            return length;
        }
    }

    private static final class VarbinaryWriter
            extends TextValueWriter
    {
        VarbinaryWriter(TextValues values)
        {
            super(values);
        }

        @Override
        public boolean acceptsAnyText()
        {
            return true;
        }

        @Override
        public boolean write(FieldVector vector, int index, byte[] b, int offset, int length)
        {
            ByteBuffer decoded = null;
            if (length > 0 && length % 4 == 0 && isBase64(b, offset, length)) {
                try {
                    decoded = Base64.getDecoder().decode(ByteBuffer.wrap(b, offset, length));
                }
                catch (IllegalArgumentException e) {
                    decoded = null;
                }
            }
            if (decoded != null) {
                ((VarBinaryVector) vector).setSafe(index, decoded.array(), decoded.arrayOffset() + decoded.position(), decoded.remaining());
            }
            else {
                ((VarBinaryVector) vector).setSafe(index, b, offset, length);
            }
            return true;
        }

        private static boolean isBase64(byte[] b, int offset, int length)
        {
            for (int i = offset; i < offset + length; i++) {
                byte c = b[i];
                boolean valid = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
                if (!valid) {
                    return false;
                }
            }
            return true;
        }
    }
}
