package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.BOOLEAN;
import static io.glaux.engine.expr.FunctionRegistry.Arg.DOUBLE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.JSON;
import static io.glaux.engine.expr.FunctionRegistry.Arg.JSON_TEXT;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.spi.type.Type;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Trino's JSON functions. A {@code json} value is its compact JSON text ({@code json_parse},
 * {@code json_extract} and {@code json_array_get} return one); as in Trino, the functions that read
 * JSON take a json value or a varchar holding JSON text. Parsing uses Jackson's tree model.
 */
final class JsonFunctions
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("json_parse", args(VARCHAR), false, returns(Type.JSON), "json", "Parses the text as JSON; the json value is kept compact.",
                "", (a, c, t) -> new Reformat(t, a), new int[0]);
        b.add("json_format", args(JSON), false, returns(Type.VARCHAR), "varchar", "The json value as compact text.",
                "", (a, c, t) -> new Reformat(t, a), new int[0]);
        b.add("json_extract", args(JSON_TEXT, VARCHAR), false, returns(Type.JSON), "json",
                "The JSON value at the JSONPath (`$.a.b`, `$.a[0]`, `$[\"a\"]`) of a json value or JSON text; NULL when there is none or the text is not JSON.",
                "The path must be a constant.", Extract::new, 1);
        b.add("json_size", args(JSON_TEXT, VARCHAR), false, returns(Type.BIGINT), "bigint",
                "The number of members or elements of the object or array at the JSONPath; 0 for a scalar; NULL when there is none.",
                "The path must be a constant.", Size::new, 1);
        b.add("json_array_length", args(JSON_TEXT), returns(Type.BIGINT), "bigint", "The number of elements of a JSON array; NULL for anything else.",
                ArrayLength::new);
        b.add("json_array_get", args(JSON_TEXT, INTEGER), false, returns(Type.JSON), "json",
                "The element at the 0-based index of a JSON array (negative: from the end); NULL when there is none.", "",
                ArrayGet::new, new int[0]);
        for (FunctionRegistry.Arg value : List.of(BOOLEAN, INTEGER, DOUBLE, VARCHAR)) {
            b.add("json_array_contains", args(JSON_TEXT, value), returns(Type.BOOLEAN), "boolean",
                    "Whether a JSON array has an element of the value's type equal to the value; NULL for anything but an array.",
                    ArrayContains::new);
        }
    }

    /** The JSON value of row {@code j} of {@code block}, or null when it is not JSON. */
    private static JsonNode read(Block block, int j)
    {
        try {
            return MAPPER.readTree(block.bytes, block.offsets[j], block.offsets[j + 1] - block.offsets[j]);
        }
        catch (IOException e) {
            return null;
        }
    }

    private static String write(JsonNode node)
    {
        try {
            return MAPPER.writeValueAsString(node);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode at(JsonNode node, List<WebFunctions.Step> path)
    {
        for (WebFunctions.Step step : path) {
            if (node == null) {
                return null;
            }
            node = step.name() != null ? node.get(step.name()) : node.get(step.index());
        }
        return node == null || node.isMissingNode() ? null : node;
    }

    static final class Reformat
            extends Kernel
    {
        Reformat(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                JsonNode node = read(in[0], j);
                if (node == null || node.isMissingNode()) {
                    throw invalidArgument("Cannot convert value to JSON: '" + string(0, j) + "'");
                }
                setString(j, write(node));
            }
        }
    }

    static final class Extract
            extends Kernel
    {
        private final List<WebFunctions.Step> path;

        Extract(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(0, 1));
            this.path = WebFunctions.parsePath((String) constant(calls, 1));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                JsonNode node = nulls[j] ? null : at(read(in[0], j), path);
                if (node == null) {
                    setNull(j);
                }
                else {
                    setString(j, write(node));
                }
            }
        }
    }

    static final class Size
            extends Kernel
    {
        private final List<WebFunctions.Step> path;

        Size(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(0, 1));
            this.path = WebFunctions.parsePath((String) constant(calls, 1));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                JsonNode node = nulls[j] ? null : at(read(in[0], j), path);
                if (node == null) {
                    nulls[j] = true;
                }
                else {
                    r[j] = node.isContainerNode() ? node.size() : 0;
                }
            }
        }
    }

    static final class ArrayLength
            extends Kernel
    {
        ArrayLength(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                JsonNode node = nulls[j] ? null : read(in[0], j);
                if (node == null || !node.isArray()) {
                    nulls[j] = true;
                }
                else {
                    r[j] = node.size();
                }
            }
        }
    }

    static final class ArrayGet
            extends Kernel
    {
        ArrayGet(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            long[] index = in[1].longs;
            for (int j = 0; j < count; j++) {
                JsonNode node = nulls[j] ? null : read(in[0], j);
                if (node == null || !node.isArray()) {
                    setNull(j);
                    continue;
                }
                long i = index[j] < 0 ? node.size() + index[j] : index[j];
                JsonNode element = i < 0 || i >= node.size() ? null : node.get((int) i);
                if (element == null) {
                    setNull(j);
                }
                else {
                    setString(j, write(element));
                }
            }
        }
    }

    static final class ArrayContains
            extends Kernel
    {
        ArrayContains(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Type valueType = args[1].type;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                JsonNode node = nulls[j] ? null : read(in[0], j);
                if (node == null || !node.isArray()) {
                    nulls[j] = true;
                    continue;
                }
                boolean found = false;
                for (JsonNode element : node) {
                    if (matches(element, valueType, j)) {
                        found = true;
                        break;
                    }
                }
                r[j] = found ? 1 : 0;
            }
        }

        private boolean matches(JsonNode element, Type valueType, int j)
        {
            Block value = in[1];
            if (SqlTypes.isBoolean(valueType)) {
                return element.isBoolean() && element.booleanValue() == (value.longs[j] != 0);
            }
            if (SqlTypes.isVarchar(valueType)) {
                return element.isTextual() && element.textValue().equals(new String(value.bytes, value.offsets[j],
                        value.offsets[j + 1] - value.offsets[j], StandardCharsets.UTF_8));
            }
            if (SqlTypes.isIntegral(valueType)) {
                return element.isIntegralNumber() && element.canConvertToLong() && element.longValue() == value.longs[j];
            }
            return element.isNumber() && element.doubleValue() == value.doubles[j];
        }
    }
}
