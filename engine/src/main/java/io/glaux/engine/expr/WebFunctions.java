package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.spi.type.Type;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** URL and JSON functions, row by row on decoded strings (java.net.URI and Jackson, as Trino). */
final class WebFunctions
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private WebFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        url(b, "url_extract_host", "Host of the URL.", URI::getHost);
        url(b, "url_extract_path", "Path of the URL.", URI::getRawPath);
        url(b, "url_extract_protocol", "Protocol (scheme) of the URL.", URI::getScheme);
        url(b, "url_extract_query", "Query string of the URL.", URI::getRawQuery);
        url(b, "url_extract_fragment", "Fragment of the URL.", URI::getRawFragment);
        b.add("url_extract_port", args(VARCHAR), returns(Type.BIGINT), "bigint", "Port of the URL, NULL when absent.", UrlPort::new);
        b.add("url_extract_parameter", args(VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar",
                "Value of the first query parameter named `name`, NULL when absent.", UrlParameter::new);
        b.add("url_encode", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Escapes the value for a URL query (spaces as `+`).",
                (a, c, t) -> new StringFunction(t, a, s -> URLEncoder.encode(s, StandardCharsets.UTF_8)));
        b.add("url_decode", args(VARCHAR), returns(Type.VARCHAR), "varchar", "Unescapes a URL-encoded value.",
                (a, c, t) -> new StringFunction(t, a, WebFunctions::urlDecode));
        b.add("json_extract_scalar", args(FunctionRegistry.Arg.JSON_TEXT, VARCHAR), false, returns(Type.VARCHAR), "varchar",
                "The scalar at the JSONPath (`$.a.b`, `$.a[0]`, `$[\"a\"]`) of a json value or JSON text, as text; NULL for a missing value, an object or an array.",
                "The path must be a constant.", JsonExtractScalar::new, 1);
    }

    private static void url(FunctionRegistry.Builder b, String name, String description, Function<URI, String> part)
    {
        b.add(name, args(VARCHAR), returns(Type.VARCHAR), "varchar", description + " NULL when the URL is invalid.", (a, c, t) -> new StringFunction(t, a, s -> {
            URI uri = uri(s);
            return uri == null ? null : part.apply(uri);
        }));
    }

    static URI uri(String url)
    {
        try {
            return new URI(url);
        }
        catch (URISyntaxException e) {
            return null;
        }
    }

    private static String urlDecode(String value)
    {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw invalidArgument("Cannot decode '" + value + "': " + e.getMessage());
        }
    }

    /** varchar → varchar through a String function (NULL result allowed). */
    static final class StringFunction
            extends Kernel
    {
        private final Function<String, String> function;

        StringFunction(Type type, List<ValueEvaluator> args, Function<String, String> function)
        {
            super(type, args);
            this.function = function;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                setString(j, function.apply(string(0, j)));
            }
        }
    }

    static final class UrlPort
            extends Kernel
    {
        UrlPort(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                URI uri = uri(string(0, j));
                if (uri == null || uri.getPort() < 0) {
                    nulls[j] = true;
                }
                else {
                    result.longs[j] = uri.getPort();
                }
            }
        }
    }

    static final class UrlParameter
            extends Kernel
    {
        UrlParameter(List<ValueEvaluator> args, List<Expression> calls, Type type)
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
                URI uri = uri(string(0, j));
                String name = string(1, j);
                String value = null;
                if (uri != null && uri.getRawQuery() != null) {
                    for (String parameter : uri.getRawQuery().split("&")) {
                        String[] nameValue = parameter.split("=", 2);
                        if (nameValue[0].equals(name)) {
                            value = nameValue.length == 2 ? nameValue[1] : "";
                            break;
                        }
                    }
                }
                setString(j, value);
            }
        }
    }

    /** One step of a JSON path: a field name or an array index. */
    record Step(String name, int index) {}

    static final class JsonExtractScalar
            extends Kernel
    {
        private final List<Step> path;

        JsonExtractScalar(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args.subList(0, 1));
            this.path = parsePath((String) constant(calls, 1));
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(in[0].bytes, in[0].offsets[j], in[0].offsets[j + 1] - in[0].offsets[j]);
                }
                catch (JsonProcessingException e) {
                    setNull(j);
                    continue;
                }
                catch (java.io.IOException e) {
                    setNull(j);
                    continue;
                }
                for (Step step : path) {
                    if (node == null) {
                        break;
                    }
                    node = step.name() != null ? node.get(step.name()) : node.get(step.index());
                }
                if (node == null || node.isNull() || node.isContainerNode() || node.isMissingNode()) {
                    setNull(j);
                }
                else {
                    setString(j, node.asText());
                }
            }
        }
    }

    static List<Step> parsePath(String path)
    {
        if (!path.startsWith("$")) {
            throw invalidJsonPath(path);
        }
        List<Step> steps = new ArrayList<>();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    throw invalidJsonPath(path);
                }
                steps.add(new Step(path.substring(i + 1, end), -1));
                i = end;
            }
            else if (c == '[') {
                int end = path.indexOf(']', i);
                if (end < 0) {
                    throw invalidJsonPath(path);
                }
                String key = path.substring(i + 1, end).strip();
                if (key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"") || key.startsWith("'") && key.endsWith("'"))) {
                    steps.add(new Step(key.substring(1, key.length() - 1), -1));
                }
                else {
                    try {
                        steps.add(new Step(null, Integer.parseInt(key)));
                    }
                    catch (NumberFormatException e) {
                        throw invalidJsonPath(path);
                    }
                }
                i = end + 1;
            }
            else {
                throw invalidJsonPath(path);
            }
        }
        return List.copyOf(steps);
    }

    private static io.glaux.spi.error.GlauxException invalidJsonPath(String path)
    {
        return invalidArgument("Invalid JSON path: '" + path + "'");
    }
}
