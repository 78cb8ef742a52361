package io.glaux.connectors.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.line.MalformedLineException;
import io.glaux.connectors.line.TextValueWriter;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the JSON value at the parser's current token into a vector of a column's type (see
 * {@link JsonFormat} for the coercions), consuming the value's tokens. A value that cannot be coerced
 * is a {@link MalformedLineException} naming the column (and the field path inside it). Not thread-safe.
 */
abstract sealed class JsonValueWriter
        permits JsonValueWriter.Scalar, JsonValueWriter.ArrayWriter, JsonValueWriter.MapWriter, JsonValueWriter.RowWriter
{
    protected final String path;
    protected final Type type;

    private JsonValueWriter(String path, Type type)
    {
        this.path = path;
        this.type = type;
    }

    /** Writes the value starting at the current token at {@code index}; JSON null is NULL. */
    abstract void write(JsonParser parser, FieldVector vector, int index)
            throws IOException;

    static JsonValueWriter create(String path, Type type, JsonFormat format, Utf8 utf8)
    {
        return switch (type) {
            case Type.Array array -> new ArrayWriter(path, type, create(path + "[]", array.element(), format, utf8));
            case Type.MapType map -> new MapWriter(path, type, TextValueWriter.create(map.key(), format.timestampFormats()),
                    create(path + "{}", map.value(), format, utf8), utf8);
            case Type.Row row -> new RowWriter(path, type, row.fields().stream()
                    .map(field -> create(path + "." + field.name(), field.type(), format, utf8))
                    .toList(), row.fields().stream().map(Type.Field::name).toList(), format);
            default -> new Scalar(path, type, format, utf8);
        };
    }

    protected MalformedLineException mismatch(JsonParser parser, String detail)
            throws IOException
    {
        String value = switch (parser.currentToken()) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "string \"" + abbreviate(parser.getText()) + "\"";
            case null -> "nothing";
            default -> abbreviate(parser.getText());
        };
        return new MalformedLineException("cannot read %s as %s for column '%s'%s".formatted(value, type.trinoName(), path, detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    private static String abbreviate(String text)
    {
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    /** Reusable UTF-8 encoding of Jackson's text buffers, and JSON re-serialization of nested values. */
    static final class Utf8
    {
        private final JsonFormat format;
        byte[] bytes = new byte[256];
        int length;
        private final ByteArrayBuilder json = new ByteArrayBuilder();

        Utf8(JsonFormat format)
        {
            this.format = format;
        }

        /** The current token's text (string, number or name) as UTF-8 in {@link #bytes}[0, {@link #length}). */
        void encodeText(JsonParser parser)
                throws IOException
        {
            char[] chars = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            int count = parser.getTextLength();
            if (bytes.length < count * 3) {
                bytes = new byte[Math.max(count * 3, bytes.length * 2)];
            }
            byte[] out = bytes;
            int n = 0;
            int end = offset + count;
            for (int i = offset; i < end; i++) {
                char c = chars[i];
                if (c < 0x80) {
                    out[n++] = (byte) c;
                }
                else if (c < 0x800) {
                    out[n++] = (byte) (0xC0 | c >> 6);
                    out[n++] = (byte) (0x80 | c & 0x3F);
                }
                else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                    int codePoint = Character.toCodePoint(c, chars[++i]);
                    out[n++] = (byte) (0xF0 | codePoint >> 18);
                    out[n++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                    out[n++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                    out[n++] = (byte) (0x80 | codePoint & 0x3F);
                }
                else if (Character.isSurrogate(c)) {
                    out[n++] = '?';
                }
                else {
                    out[n++] = (byte) (0xE0 | c >> 12);
                    out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                    out[n++] = (byte) (0x80 | c & 0x3F);
                }
            }
            length = n;
        }

        /** The object or array at the current token, re-serialized as compact JSON, in {@link #bytes}. */
        void encodeStructure(JsonParser parser)
                throws IOException
        {
            json.reset();
            try (JsonGenerator generator = format.factory().createGenerator(json)) {
                generator.copyCurrentStructure(parser);
            }
            byte[] serialized = json.toByteArray();
            bytes = serialized.length > bytes.length ? serialized : bytes;
            System.arraycopy(serialized, 0, bytes, 0, serialized.length);
            length = serialized.length;
        }
    }

    static final class Scalar
            extends JsonValueWriter
    {
        private final Utf8 utf8;
        private final TextValueWriter text;
        private final boolean isVarchar;
        private final Type.Kind kind;
        private final boolean isTimestamp;
        private final io.glaux.connectors.line.TimestampFormats timestampFormats;

        Scalar(String path, Type type, JsonFormat format, Utf8 utf8)
        {
            super(path, type);
            this.utf8 = utf8;
            this.text = TextValueWriter.create(type, format.timestampFormats());
            this.isVarchar = type instanceof Type.Varchar;
            this.kind = type instanceof Type.Primitive primitive ? primitive.kind() : null;
            this.isTimestamp = type instanceof Type.Timestamp;
            this.timestampFormats = format.timestampFormats().copy();
        }

        @Override
        void write(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            JsonToken token = parser.currentToken();
            switch (token) {
                case VALUE_NULL -> vector.setNull(index);
                case VALUE_STRING -> writeString(parser, vector, index);
                case VALUE_NUMBER_INT -> writeInteger(parser, vector, index);
                case VALUE_NUMBER_FLOAT -> writeFloat(parser, vector, index);
                case VALUE_TRUE, VALUE_FALSE -> writeBoolean(parser, vector, index, token == JsonToken.VALUE_TRUE);
                case START_OBJECT, START_ARRAY -> {
                    if (!isVarchar) {
                        throw mismatch(parser, "");
                    }
                    utf8.encodeStructure(parser);
                    text.write(vector, index, utf8.bytes, 0, utf8.length);
                }
                default -> throw mismatch(parser, "");
            }
        }

        private void writeString(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            if (kind != Type.Kind.VARBINARY && parser instanceof LineJsonParser line) {
                int length = line.plainStringLength();
                if (length >= 0 && writePlainString(line, vector, index, length)) {
                    return;
                }
            }
            utf8.encodeText(parser);
            if (utf8.length == 0 && !text.acceptsAnyText()) {
                vector.setNull(index);
                return;
            }
            if (kind == Type.Kind.VARBINARY) {
                byte[] decoded;
                try {
                    decoded = Base64.getDecoder().decode(Arrays.copyOf(utf8.bytes, utf8.length));
                }
                catch (IllegalArgumentException e) {
                    throw mismatch(parser, "varbinary values are base64 strings");
                }
                ((VarBinaryVector) vector).setSafe(index, decoded, 0, decoded.length);
                return;
            }
            if (isIntegral() && contains(utf8.bytes, 0, utf8.length, (byte) '.')) {
                // TextValues drops fractions as Hive's text SerDe does; JSON's SerDes reject them
                throw mismatch(parser, "");
            }
            if (!text.write(vector, index, utf8.bytes, 0, utf8.length)) {
                throw mismatch(parser, "");
            }
        }

        /**
         * Writes an ASCII string without escapes from the parser's input (the same as the decoded text);
         * false when the value needs the general path (an error to report, a fraction for an integer).
         */
        private boolean writePlainString(LineJsonParser parser, FieldVector vector, int index, int length)
        {
            byte[] input = parser.input();
            int start = parser.stringStart();
            if (length == 0 && !text.acceptsAnyText()) {
                vector.setNull(index);
                return true;
            }
            if (isIntegral() && contains(input, start, length, (byte) '.')) {
                return false;
            }
            return text.write(vector, index, input, start, length);
        }

        private void writeInteger(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            if (kind != null) {
                switch (kind) {
                    case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            throw mismatch(parser, "out of range");
                        }
                        writeLong(parser, vector, index, parser.getLongValue());
                        return;
                    }
                    case DOUBLE -> {
                        ((Float8Vector) vector).setSafe(index, parser.getDoubleValue());
                        return;
                    }
                    case REAL -> {
                        ((Float4Vector) vector).setSafe(index, parser.getFloatValue());
                        return;
                    }
                    default -> { }
                }
            }
            writeNumberText(parser, vector, index);
        }

        private void writeFloat(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            if (kind != null) {
                switch (kind) {
                    case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                        double value = parser.getDoubleValue();
                        if (value != Math.rint(value) || value < -0x1p63 || value >= 0x1p63) {
                            throw mismatch(parser, "not an integer");
                        }
                        writeLong(parser, vector, index, (long) value);
                        return;
                    }
                    case DOUBLE -> {
                        ((Float8Vector) vector).setSafe(index, parser.getDoubleValue());
                        return;
                    }
                    case REAL -> {
                        ((Float4Vector) vector).setSafe(index, parser.getFloatValue());
                        return;
                    }
                    default -> { }
                }
            }
            writeNumberText(parser, vector, index);
        }

        private void writeNumberText(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            if (type instanceof Type.Decimal decimal) {
                BigDecimal value = parser.getDecimalValue().setScale(decimal.scale(), RoundingMode.HALF_UP);
                if (value.precision() > decimal.precision() && value.signum() != 0) {
                    throw mismatch(parser, "too many digits");
                }
                ((DecimalVector) vector).setSafe(index, value);
                return;
            }
            if (isTimestamp) {
                utf8.encodeText(parser);
                if (timestampFormats.isEmpty() || !timestampFormats.parse(utf8.bytes, 0, utf8.length)) {
                    throw mismatch(parser, "a number is a timestamp only with timestamp.formats 'millis'");
                }
                ((org.apache.arrow.vector.TimeStampMicroVector) vector).setSafe(index, timestampFormats.micros());
                return;
            }
            if (!isVarchar) {
                throw mismatch(parser, "");
            }
            utf8.encodeText(parser);
            text.write(vector, index, utf8.bytes, 0, utf8.length);
        }

        private void writeBoolean(JsonParser parser, FieldVector vector, int index, boolean value)
                throws IOException
        {
            if (kind == Type.Kind.BOOLEAN) {
                ((BitVector) vector).setSafe(index, value ? 1 : 0);
                return;
            }
            if (!isVarchar) {
                throw mismatch(parser, "");
            }
            byte[] literal = value ? TRUE : FALSE;
            text.write(vector, index, literal, 0, literal.length);
        }

        private void writeLong(JsonParser parser, FieldVector vector, int index, long value)
                throws IOException
        {
            switch (kind) {
                case TINYINT -> {
                    if (value != (byte) value) {
                        throw mismatch(parser, "out of range");
                    }
                    ((TinyIntVector) vector).setSafe(index, (byte) value);
                }
                case SMALLINT -> {
                    if (value != (short) value) {
                        throw mismatch(parser, "out of range");
                    }
                    ((SmallIntVector) vector).setSafe(index, (short) value);
                }
                case INTEGER -> {
                    if (value != (int) value) {
                        throw mismatch(parser, "out of range");
                    }
                    ((IntVector) vector).setSafe(index, (int) value);
                }
                default -> ((BigIntVector) vector).setSafe(index, value);
            }
        }

        private boolean isIntegral()
        {
            return kind == Type.Kind.TINYINT || kind == Type.Kind.SMALLINT || kind == Type.Kind.INTEGER || kind == Type.Kind.BIGINT;
        }

        private static boolean contains(byte[] bytes, int offset, int length, byte value)
        {
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == value) {
                    return true;
                }
            }
            return false;
        }

        private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
        private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    }

    static final class ArrayWriter
            extends JsonValueWriter
    {
        private final JsonValueWriter element;

        ArrayWriter(String path, Type type, JsonValueWriter element)
        {
            super(path, type);
            this.element = element;
        }

        @Override
        void write(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                vector.setNull(index);
                return;
            }
            if (token != JsonToken.START_ARRAY) {
                throw mismatch(parser, "");
            }
            ListVector list = (ListVector) vector;
            FieldVector elements = list.getDataVector();
            int first = list.startNewValue(index);
            int count = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                element.write(parser, elements, first + count);
                count++;
            }
            list.endValue(index, count);
        }
    }

    static final class MapWriter
            extends JsonValueWriter
    {
        private final TextValueWriter key;
        private final JsonValueWriter value;
        private final Utf8 utf8;

        MapWriter(String path, Type type, TextValueWriter key, JsonValueWriter value, Utf8 utf8)
        {
            super(path, type);
            this.key = key;
            this.value = value;
            this.utf8 = utf8;
        }

        @Override
        void write(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                vector.setNull(index);
                return;
            }
            if (token != JsonToken.START_OBJECT) {
                throw mismatch(parser, "");
            }
            MapVector map = (MapVector) vector;
            StructVector entries = (StructVector) map.getDataVector();
            FieldVector keys = entries.getChild(ArrowTypes.MAP_KEY_NAME);
            FieldVector values = entries.getChild(ArrowTypes.MAP_VALUE_NAME);
            int first = map.startNewValue(index);
            int count = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int position = first + count;
                utf8.encodeText(parser);
                if (!key.write(keys, position, utf8.bytes, 0, utf8.length)) {
                    throw new MalformedLineException("cannot read key \"%s\" of column '%s' as %s"
                            .formatted(parser.getText(), path, ((Type.MapType) type).key().trinoName()));
                }
                entries.setIndexDefined(position);
                parser.nextToken();
                value.write(parser, values, position);
                count++;
            }
            map.endValue(index, count);
        }
    }

    static final class RowWriter
            extends JsonValueWriter
    {
        private final JsonValueWriter[] fields;
        private final Map<String, Integer> byName = new HashMap<>();
        private final Map<String, Integer> byKey = new HashMap<>();
        private final JsonFormat format;
        private final int[] seen;
        private int stamp;
        private final FieldVector[] children;
        private StructVector lastStruct;

        RowWriter(String path, Type type, List<JsonValueWriter> fields, List<String> names, JsonFormat format)
        {
            super(path, type);
            this.fields = fields.toArray(new JsonValueWriter[0]);
            this.format = format;
            for (int i = 0; i < names.size(); i++) {
                byName.putIfAbsent(format.normalizeKey(names.get(i).toLowerCase(Locale.ROOT)), i);
            }
            this.seen = new int[this.fields.length];
            this.children = new FieldVector[this.fields.length];
        }

        @Override
        void write(JsonParser parser, FieldVector vector, int index)
                throws IOException
        {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                vector.setNull(index);
                return;
            }
            if (token != JsonToken.START_OBJECT) {
                throw mismatch(parser, "");
            }
            StructVector struct = (StructVector) vector;
            if (struct != lastStruct) {
                for (int i = 0; i < fields.length; i++) {
                    children[i] = (FieldVector) struct.getChildByOrdinal(i);
                }
                lastStruct = struct;
            }
            struct.setIndexDefined(index);
            writeFields(parser, children, index);
        }

        /**
         * Writes the fields of the object whose {@code START_OBJECT} is the current token into
         * {@code vectors} (one per field, in order) at {@code index}, consuming the object; a field
         * the object lacks is NULL. Also reads a whole record into a batch's column vectors.
         */
        void writeFields(JsonParser parser, FieldVector[] vectors, int index)
                throws IOException
        {
            int current = ++stamp;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int field = field(parser.currentName());
                parser.nextToken();
                if (field < 0) {
                    parser.skipChildren();
                    continue;
                }
                seen[field] = current;
                fields[field].write(parser, vectors[field], index);
            }
            for (int i = 0; i < fields.length; i++) {
                if (seen[i] != current) {
                    vectors[i].setNull(index);
                }
            }
        }

        private int field(String name)
        {
            Integer field = byKey.get(name);
            if (field == null) {
                field = byName.getOrDefault(format.normalizeKey(name), -1);
                if (byKey.size() < 10_000) {
                    byKey.put(name, field);
                }
            }
            return field;
        }
    }
}
