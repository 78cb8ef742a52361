package io.glaux.engine.expr;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CAST to and from Trino's {@code json} type. A json value is its compact JSON text. As in Trino:
 * {@code CAST(varchar AS json)} is a JSON <em>string</em> holding the text ({@code json_parse} reads the
 * text as JSON); {@code CAST(json AS varchar)} is the value of a JSON scalar (a string's characters, a
 * number's digits) and fails for an array or object; a json array casts to {@code array(T)} or to a
 * {@code row} by position, an object to {@code map(varchar, T)} or to a {@code row} by field name (any
 * case), and back: an array, map or row becomes a JSON array or object (a map's keys in order, a row's
 * fields by name). A JSON {@code null} is SQL NULL.
 */
final class JsonCasts
{
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonCasts() {}

    static boolean involved(Type source, Type target)
    {
        return source.equals(Type.JSON) || target.equals(Type.JSON);
    }

    static boolean supported(Type source, Type target)
    {
        if (source.equals(Type.JSON)) {
            return readable(target);
        }
        return writable(source);
    }

    static ValueEvaluator cast(ValueEvaluator input, Type target)
    {
        if (!supported(input.type, target)) {
            return null;
        }
        return input.type.equals(Type.JSON) ? new FromJson(input, target) : new ToJson(input, target);
    }

    /** Types a JSON value can be cast to. */
    private static boolean readable(Type type)
    {
        return switch (type) {
            case Type.Array array -> readable(array.element());
            case Type.MapType map -> (SqlTypes.isVarchar(map.key()) || SqlTypes.isIntegral(map.key()) || SqlTypes.isFloating(map.key()) || SqlTypes.isBoolean(map.key()))
                    && readable(map.value());
            case Type.Row row -> row.fields().stream().allMatch(field -> readable(field.type()));
            default -> SqlTypes.isBoolean(type) || SqlTypes.isNumeric(type) || SqlTypes.isVarchar(type) || type.equals(Type.JSON);
        };
    }

    /** Types whose values can be cast to JSON. */
    private static boolean writable(Type type)
    {
        return switch (type) {
            case Type.Array array -> writable(array.element());
            case Type.MapType map -> (SqlTypes.isVarchar(map.key()) || SqlTypes.isIntegral(map.key()) || SqlTypes.isFloating(map.key()) || SqlTypes.isBoolean(map.key()))
                    && writable(map.value());
            case Type.Row row -> row.fields().stream().allMatch(field -> writable(field.type()));
            default -> SqlTypes.isBoolean(type) || SqlTypes.isNumeric(type) || SqlTypes.isVarchar(type) || type.equals(Type.JSON);
        };
    }

    private static GlauxException cannotCast(String value, Type target, String reason)
    {
        return new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Cannot cast JSON '" + value + "' to " + target.trinoName() + (reason.isEmpty() ? "" : ": " + reason));
    }

    // ------------------------------------------------------------------ json -> T

    private static final class FromJson
            extends ValueEvaluator
    {
        private final ValueEvaluator input;

        FromJson(ValueEvaluator input, Type target)
        {
            super(target);
            this.input = input;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block in = input.evaluate(batch, positions, count);
            Nested.reset(result, type);
            for (int j = 0; j < count; j++) {
                if (in.isNull(j)) {
                    Nested.appendNull(result, type);
                    continue;
                }
                int from = in.offsets[j];
                int length = in.offsets[j + 1] - from;
                JsonNode node;
                try {
                    node = JSON.readTree(in.bytes, from, length);
                }
                catch (IOException e) {
                    throw cannotCast(new String(in.bytes, from, length, StandardCharsets.UTF_8), type, "not JSON");
                }
                try {
                    append(result, type, node);
                }
                catch (IllegalArgumentException e) {
                    throw cannotCast(new String(in.bytes, from, length, StandardCharsets.UTF_8), type, e.getMessage());
                }
            }
            return result;
        }

        /** Appends {@code node} as a value of {@code type}; IllegalArgumentException says why it is not one. */
        private static void append(Block target, Type type, JsonNode node)
        {
            if (node == null || node.isNull() || node.isMissingNode()) {
                Nested.appendNull(target, type);
                return;
            }
            switch (type) {
                case Type.Array array -> {
                    if (!node.isArray()) {
                        throw new IllegalArgumentException("expected a JSON array");
                    }
                    for (JsonNode element : node) {
                        append(target.child(0), array.element(), element);
                    }
                    Nested.endArray(target);
                }
                case Type.MapType map -> {
                    if (!node.isObject()) {
                        throw new IllegalArgumentException("expected a JSON object");
                    }
                    for (Map.Entry<String, JsonNode> field : node.properties()) {
                        appendKey(target.child(0), map.key(), field.getKey());
                        append(target.child(1), map.value(), field.getValue());
                    }
                    Nested.endArray(target);
                }
                case Type.Row row -> {
                    List<Type.Field> fields = row.fields();
                    if (node.isArray()) {
                        if (node.size() != fields.size()) {
                            throw new IllegalArgumentException("the JSON array has " + node.size() + " elements, the row " + fields.size() + " fields");
                        }
                        for (int f = 0; f < fields.size(); f++) {
                            append(target.child(f), fields.get(f).type(), node.get(f));
                        }
                    }
                    else if (node.isObject()) {
                        for (int f = 0; f < fields.size(); f++) {
                            append(target.child(f), fields.get(f).type(), field(node, fields.get(f).name()));
                        }
                    }
                    else {
                        throw new IllegalArgumentException("expected a JSON array or object");
                    }
                    Nested.appendRow(target);
                }
                default -> appendScalar(target, type, node);
            }
        }

        private static JsonNode field(JsonNode object, String name)
        {
            JsonNode exact = object.get(name);
            if (exact != null) {
                return exact;
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getKey().equalsIgnoreCase(name)) {
                    return field.getValue();
                }
            }
            return null;
        }

        private static void appendKey(Block target, Type type, String key)
        {
            if (SqlTypes.isVarchar(type)) {
                Nested.appendString(target, key);
                return;
            }
            try {
                if (SqlTypes.isIntegral(type)) {
                    appendLong(target, type, new BigDecimal(key.strip()));
                }
                else if (SqlTypes.isFloating(type)) {
                    Nested.appendDouble(target, SqlTypes.isReal(type) ? Float.parseFloat(key) : Double.parseDouble(key));
                }
                else {
                    Nested.appendLong(target, Boolean.parseBoolean(key) ? 1 : 0);
                }
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("the key '" + key + "' is not a " + type.trinoName());
            }
        }

        private static void appendScalar(Block target, Type type, JsonNode node)
        {
            if (type.equals(Type.JSON)) {
                Nested.appendString(target, write(node));
                return;
            }
            if (node.isContainerNode()) {
                throw new IllegalArgumentException("a JSON " + (node.isArray() ? "array" : "object") + " is not a " + type.trinoName());
            }
            if (SqlTypes.isVarchar(type)) {
                String text = node.isNumber() ? numberText(node) : node.asText();
                if (type instanceof Type.Varchar(int length) && length != Type.Varchar.UNBOUNDED && text.codePointCount(0, text.length()) > length) {
                    throw new IllegalArgumentException("the value is longer than " + length + " characters");
                }
                Nested.appendString(target, text);
                return;
            }
            if (SqlTypes.isBoolean(type)) {
                if (node.isBoolean()) {
                    Nested.appendLong(target, node.booleanValue() ? 1 : 0);
                }
                else if (node.isNumber()) {
                    Nested.appendLong(target, node.decimalValue().signum() != 0 ? 1 : 0);
                }
                else if (node.asText().equalsIgnoreCase("true") || node.asText().equalsIgnoreCase("false")) {
                    Nested.appendLong(target, node.asText().equalsIgnoreCase("true") ? 1 : 0);
                }
                else {
                    throw new IllegalArgumentException("'" + node.asText() + "' is not a boolean");
                }
                return;
            }
            try {
                BigDecimal number = node.isNumber() ? node.decimalValue()
                        : node.isBoolean() ? (node.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO)
                        : new BigDecimal(node.asText().strip());
                if (SqlTypes.isIntegral(type)) {
                    appendLong(target, type, number);
                }
                else {
                    Nested.appendDouble(target, SqlTypes.isReal(type) ? number.floatValue() : number.doubleValue());
                }
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + node.asText() + "' is not a number");
            }
        }

        /** An integer, rounded half up as Trino rounds a JSON number cast to an integer type. */
        private static void appendLong(Block target, Type type, BigDecimal number)
        {
            BigDecimal rounded = number.setScale(0, RoundingMode.HALF_UP);
            if (rounded.compareTo(BigDecimal.valueOf(SqlTypes.minValue(type))) < 0 || rounded.compareTo(BigDecimal.valueOf(SqlTypes.maxValue(type))) > 0) {
                throw new IllegalArgumentException("the value " + number.toPlainString() + " is out of range for " + type.trinoName());
            }
            Nested.appendLong(target, rounded.longValueExact());
        }

        private static String numberText(JsonNode node)
        {
            return node.isBigDecimal() ? node.decimalValue().toString() : node.asText();
        }
    }

    static String write(JsonNode node)
    {
        try {
            return JSON.writeValueAsString(node);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ T -> json

    private static final class ToJson
            extends ValueEvaluator
    {
        private static final com.fasterxml.jackson.core.JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactory();
        private final ValueEvaluator input;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        ToJson(ValueEvaluator input, Type target)
        {
            super(target);
            this.input = input;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block in = input.evaluate(batch, positions, count);
            Nested.reset(result, type);
            Type source = input.type;
            if (SqlTypes.isVarchar(source)) {
                // a JSON string holding the text
                for (int j = 0; j < count; j++) {
                    if (in.isNull(j)) {
                        Nested.appendNull(result, type);
                        continue;
                    }
                    String text = new String(in.bytes, in.offsets[j], in.offsets[j + 1] - in.offsets[j], StandardCharsets.UTF_8);
                    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
                    byte[] out = new byte[quoted.length + 2];
                    out[0] = '"';
                    System.arraycopy(quoted, 0, out, 1, quoted.length);
                    out[out.length - 1] = '"';
                    Nested.appendBytes(result, out, 0, out.length);
                }
                return result;
            }
            for (int j = 0; j < count; j++) {
                if (in.isNull(j)) {
                    Nested.appendNull(result, type);
                    continue;
                }
                buffer.reset();
                try (JsonGenerator generator = FACTORY.createGenerator(buffer)) {
                    write(generator, source, in, j);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                byte[] bytes = buffer.toByteArray();
                Nested.appendBytes(result, bytes, 0, bytes.length);
            }
            return result;
        }

        private static void write(JsonGenerator generator, Type type, Block block, int i)
                throws IOException
        {
            if (block.isNull(i)) {
                generator.writeNull();
                return;
            }
            switch (type) {
                case Type.Array array -> {
                    generator.writeStartArray();
                    for (int e = block.offsets[i]; e < block.offsets[i + 1]; e++) {
                        write(generator, array.element(), block.child(0), e);
                    }
                    generator.writeEndArray();
                }
                case Type.MapType map -> {
                    // keys in order, as Trino writes them
                    List<Integer> entries = new ArrayList<>();
                    for (int e = block.offsets[i]; e < block.offsets[i + 1]; e++) {
                        entries.add(e);
                    }
                    Block keys = block.child(0);
                    entries.sort((a, b) -> Nested.compare(PhysicalType.of(map.key()).representation(), keys, a, keys, b));
                    generator.writeStartObject();
                    for (int e : entries) {
                        generator.writeFieldName(keyText(map.key(), keys, e));
                        write(generator, map.value(), block.child(1), e);
                    }
                    generator.writeEndObject();
                }
                case Type.Row row -> {
                    generator.writeStartObject();
                    for (int f = 0; f < row.fields().size(); f++) {
                        generator.writeFieldName(row.fields().get(f).name());
                        write(generator, row.fields().get(f).type(), block.child(f), i);
                    }
                    generator.writeEndObject();
                }
                default -> {
                    if (type.equals(Type.JSON)) {
                        generator.writeRawValue(new String(block.bytes, block.offsets[i], block.offsets[i + 1] - block.offsets[i], StandardCharsets.UTF_8));
                    }
                    else if (SqlTypes.isVarchar(type)) {
                        generator.writeString(new String(block.bytes, block.offsets[i], block.offsets[i + 1] - block.offsets[i], StandardCharsets.UTF_8));
                    }
                    else if (SqlTypes.isBoolean(type)) {
                        generator.writeBoolean(block.longs[i] != 0);
                    }
                    else if (SqlTypes.isIntegral(type)) {
                        generator.writeNumber(block.longs[i]);
                    }
                    else if (SqlTypes.isReal(type)) {
                        generator.writeNumber((float) block.doubles[i]);
                    }
                    else {
                        generator.writeNumber(block.doubles[i]);
                    }
                }
            }
        }

        private static String keyText(Type type, Block keys, int e)
        {
            if (SqlTypes.isVarchar(type)) {
                return new String(keys.bytes, keys.offsets[e], keys.offsets[e + 1] - keys.offsets[e], StandardCharsets.UTF_8);
            }
            if (SqlTypes.isBoolean(type)) {
                return keys.longs[e] != 0 ? "true" : "false";
            }
            if (SqlTypes.isIntegral(type)) {
                return Long.toString(keys.longs[e]);
            }
            return SqlTypes.isReal(type) ? Float.toString((float) keys.doubles[e]) : Double.toString(keys.doubles[e]);
        }
    }
}
