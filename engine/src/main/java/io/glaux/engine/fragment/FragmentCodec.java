package io.glaux.engine.fragment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.SqlTypes;
import io.glaux.engine.plan.PlanCodec;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * JSON encoding of tasks, fragments, expressions, splits and tuple domains, as UTF-8 bytes. Types are
 * written as their Trino names and parsed back with {@link TypeParser}. Values (literals, range bounds)
 * are tagged with their Java representation ({@code {"long": 5}}, {@code {"double": "NaN"}},
 * {@code {"string": "x"}}, {@code {"boolean": true}}, {@code {"bytes": base64}}, {@code {"decimal": "1.5"}})
 * so they decode to exactly the same class: Long for integer types, date and timestamp; Double for real
 * and double. Thread-safe.
 */
public final class FragmentCodec
{
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000).maxStringLength(Integer.MAX_VALUE).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FragmentCodec() {}

    // ------------------------------------------------------------------ bytes

    public static byte[] encode(Task task)
    {
        return write(toJson(task));
    }

    public static Task decodeTask(byte[] json)
    {
        return decode(json, "task", FragmentCodec::taskFromJson);
    }

    public static byte[] encode(ScanFragment fragment)
    {
        return write(toJson(fragment));
    }

    public static ScanFragment decodeFragment(byte[] json)
    {
        return decode(json, "fragment", FragmentCodec::fragmentFromJson);
    }

    public static byte[] encode(Expression expression)
    {
        return write(toJson(expression));
    }

    public static Expression decodeExpression(byte[] json)
    {
        return decode(json, "expression", FragmentCodec::expressionFromJson);
    }

    public static byte[] encode(Split split)
    {
        return write(toJson(split));
    }

    public static Split decodeSplit(byte[] json)
    {
        return decode(json, "split", FragmentCodec::splitFromJson);
    }

    public static byte[] encode(TupleDomain domain)
    {
        return write(toJson(domain));
    }

    public static TupleDomain decodeTupleDomain(byte[] json)
    {
        return decode(json, "tuple domain", FragmentCodec::tupleDomainFromJson);
    }

    /** {@code node} as JSON bytes, for other codecs of worker calls. */
    public static byte[] encodeJson(JsonNode node)
    {
        return write(node);
    }

    /** Parses JSON bytes and reads them with {@code reader}; failures are GlauxExceptions naming {@code what}. */
    public static <T> T decodeJson(byte[] json, String what, java.util.function.Function<JsonNode, T> reader)
    {
        return decode(json, what, reader::apply);
    }

    private static byte[] write(JsonNode node)
    {
        try {
            return MAPPER.writeValueAsBytes(node);
        }
        catch (JsonProcessingException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot encode plan: " + e.getOriginalMessage(), e);
        }
    }

    private interface FromJson<T>
    {
        T apply(JsonNode node);
    }

    private static <T> T decode(byte[] json, String what, FromJson<T> reader)
    {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot decode " + what + ": " + e.getMessage(), e);
        }
        try {
            return reader.apply(node);
        }
        catch (GlauxException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot decode " + what + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------ task, fragment

    public static ObjectNode toJson(Task task)
    {
        ObjectNode node = NODES.objectNode();
        node.put("queryId", task.queryId());
        node.put("taskId", task.taskId());
        node.set("fragment", toJson(task.fragment()));
        ArrayNode splits = node.putArray("splits");
        for (Split split : task.splits()) {
            splits.add(toJson(split));
        }
        task.pipeline().ifPresent(pipeline -> node.set("pipeline", PlanCodec.toJson(pipeline)));
        if (task.maxMemoryBytes() > 0) {
            node.put("maxMemoryBytes", task.maxMemoryBytes());
        }
        task.output().ifPresent(output -> {
            ObjectNode partitioned = node.putObject("output");
            partitioned.put("stageId", output.stageId());
            ArrayNode keys = partitioned.putArray("keys");
            output.keys().forEach(keys::add);
            partitioned.put("partitionCount", output.partitionCount());
            partitioned.put("spreadNullKeys", output.spreadNullKeys());
            ArrayNode types = partitioned.putArray("types");
            output.types().forEach(type -> types.add(type.trinoName()));
        });
        if (!task.broadcasts().isEmpty()) {
            ArrayNode broadcasts = node.putArray("broadcasts");
            task.broadcasts().forEach(broadcast -> broadcasts.addObject()
                    .put("stageId", broadcast.stageId())
                    .put("arrowStream", Base64.getEncoder().encodeToString(broadcast.arrowStream())));
        }
        return node;
    }

    public static Task taskFromJson(JsonNode node)
    {
        List<Split> splits = new ArrayList<>();
        for (JsonNode split : array(node, "splits")) {
            splits.add(splitFromJson(split));
        }
        Optional<PlanNode> pipeline = isAbsent(node.get("pipeline")) ? Optional.empty() : Optional.of(PlanCodec.fromJson(node.get("pipeline")));
        long maxMemoryBytes = isAbsent(node.get("maxMemoryBytes")) ? 0 : node.get("maxMemoryBytes").asLong();
        Optional<Task.PartitionedOutput> output = Optional.empty();
        if (!isAbsent(node.get("output"))) {
            JsonNode partitioned = node.get("output");
            List<Integer> keys = new ArrayList<>();
            for (JsonNode key : array(partitioned, "keys")) {
                keys.add(key.intValue());
            }
            List<Type> types = new ArrayList<>();
            for (JsonNode type : array(partitioned, "types")) {
                types.add(TypeParser.parse(type.textValue()));
            }
            output = Optional.of(new Task.PartitionedOutput(required(partitioned, "stageId").intValue(), keys, required(partitioned, "partitionCount").intValue(), types,
                    partitioned.path("spreadNullKeys").asBoolean(false)));
        }
        List<Task.Broadcast> broadcast = new ArrayList<>();
        if (!isAbsent(node.get("broadcasts"))) {
            for (JsonNode build : array(node, "broadcasts")) {
                broadcast.add(new Task.Broadcast(required(build, "stageId").intValue(), Base64.getDecoder().decode(text(build, "arrowStream"))));
            }
        }
        return new Task(text(node, "queryId"), required(node, "taskId").intValue(), fragmentFromJson(required(node, "fragment")), splits, pipeline, output, broadcast, maxMemoryBytes);
    }

    public static ObjectNode toJson(ScanFragment fragment)
    {
        ObjectNode node = NODES.objectNode();
        node.put("table", fragment.table());
        node.put("format", fragment.format());
        ObjectNode formatProperties = node.putObject("formatProperties");
        fragment.formatProperties().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> formatProperties.put(entry.getKey(), entry.getValue()));
        ArrayNode columns = node.putArray("columns");
        for (ColumnHandle column : fragment.columns()) {
            columns.add(toJson(column));
        }
        node.set("filter", fragment.filter().<JsonNode>map(FragmentCodec::toJson).orElse(NODES.nullNode()));
        ArrayNode projections = node.putArray("projections");
        for (Expression projection : fragment.projections()) {
            projections.add(toJson(projection));
        }
        node.set("aggregation", fragment.aggregation().<JsonNode>map(FragmentCodec::toJson).orElse(NODES.nullNode()));
        node.set("pruning", toJson(fragment.pruning()));
        if (fragment.limit().isPresent()) {
            node.put("limit", fragment.limit().getAsLong());
        }
        else {
            node.putNull("limit");
        }
        fragment.dynamicFilter().ifPresent(dynamic -> node.set("dynamicFilter", toJson(dynamic)));
        return node;
    }

    public static ScanFragment fragmentFromJson(JsonNode node)
    {
        List<ColumnHandle> columns = new ArrayList<>();
        for (JsonNode column : array(node, "columns")) {
            columns.add(columnFromJson(column));
        }
        List<Expression> projections = new ArrayList<>();
        for (JsonNode projection : array(node, "projections")) {
            projections.add(expressionFromJson(projection));
        }
        Map<String, String> formatProperties = new LinkedHashMap<>();
        JsonNode properties = node.get("formatProperties");
        if (!isAbsent(properties)) {
            for (Map.Entry<String, JsonNode> entry : properties.properties()) {
                if (!entry.getValue().isTextual()) {
                    throw new IllegalArgumentException("format property '" + entry.getKey() + "' is not a string");
                }
                formatProperties.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        JsonNode filter = node.get("filter");
        JsonNode aggregation = node.get("aggregation");
        JsonNode limit = node.get("limit");
        return new ScanFragment(
                text(node, "table"),
                text(node, "format"),
                formatProperties,
                columns,
                isAbsent(filter) ? Optional.empty() : Optional.of(expressionFromJson(filter)),
                projections,
                isAbsent(aggregation) ? Optional.empty() : Optional.of(aggregationFromJson(aggregation)),
                tupleDomainFromJson(required(node, "pruning")),
                isAbsent(limit) ? OptionalLong.empty() : OptionalLong.of(longValue(limit, "limit")),
                isAbsent(node.get("dynamicFilter")) ? Optional.empty() : Optional.of(expressionFromJson(node.get("dynamicFilter"))));
    }

    public static ObjectNode toJson(ColumnHandle column)
    {
        ObjectNode node = NODES.objectNode();
        node.put("name", column.name());
        node.put("type", column.type().trinoName());
        node.put("kind", column.kind().name());
        return node;
    }

    public static ColumnHandle columnFromJson(JsonNode node)
    {
        return new ColumnHandle(text(node, "name"), type(node, "type"), ColumnHandle.Kind.valueOf(text(node, "kind")));
    }

    public static ObjectNode toJson(Aggregation aggregation)
    {
        ObjectNode node = NODES.objectNode();
        ArrayNode keys = node.putArray("groupKeys");
        for (int key : aggregation.groupKeys()) {
            keys.add(key);
        }
        ArrayNode aggregates = node.putArray("aggregates");
        for (AggregateCall call : aggregation.aggregates()) {
            aggregates.add(toJson(call));
        }
        node.put("step", aggregation.step().name());
        return node;
    }

    public static Aggregation aggregationFromJson(JsonNode node)
    {
        List<Integer> keys = new ArrayList<>();
        for (JsonNode key : array(node, "groupKeys")) {
            keys.add(key.intValue());
        }
        List<AggregateCall> calls = new ArrayList<>();
        for (JsonNode call : array(node, "aggregates")) {
            calls.add(aggregateCallFromJson(call));
        }
        JsonNode step = node.get("step");
        return new Aggregation(keys, calls, isAbsent(step) ? PlanNode.Step.PARTIAL : PlanNode.Step.valueOf(step.textValue()));
    }

    /** {@code {"function": "SUM", "inputs": [1], "inputTypes": ["integer"], "outputType": "bigint", "filter": -1}}. */
    public static ObjectNode toJson(AggregateCall call)
    {
        ObjectNode item = NODES.objectNode();
        item.put("function", call.function().name());
        ArrayNode inputs = item.putArray("inputs");
        call.inputs().forEach(inputs::add);
        ArrayNode inputTypes = item.putArray("inputTypes");
        call.inputTypes().forEach(type -> inputTypes.add(type.trinoName()));
        item.put("outputType", call.outputType().trinoName());
        item.put("filter", call.filter());
        if (!call.orderBy().isEmpty()) {
            ArrayNode orderBy = item.putArray("orderBy");
            for (io.glaux.engine.plan.SortKey key : call.orderBy()) {
                orderBy.addObject().put("column", key.column()).put("ascending", key.ascending()).put("nullsFirst", key.nullsFirst());
            }
        }
        return item;
    }

    public static AggregateCall aggregateCallFromJson(JsonNode call)
    {
        AggregateFunction function = AggregateFunction.valueOf(text(call, "function"));
        List<Integer> inputs = new ArrayList<>();
        JsonNode legacyInput = call.get("input");
        if (!isAbsent(legacyInput)) {
            if (legacyInput.intValue() >= 0) {
                inputs.add(legacyInput.intValue());
            }
        }
        else {
            for (JsonNode input : array(call, "inputs")) {
                inputs.add(input.intValue());
            }
        }
        List<Type> inputTypes = new ArrayList<>();
        JsonNode types = call.get("inputTypes");
        if (!isAbsent(types)) {
            for (JsonNode type : types) {
                inputTypes.add(TypeParser.parse(type.textValue()));
            }
        }
        JsonNode filter = call.get("filter");
        List<io.glaux.engine.plan.SortKey> orderBy = new ArrayList<>();
        JsonNode keys = call.get("orderBy");
        if (!isAbsent(keys)) {
            for (JsonNode key : keys) {
                orderBy.add(new io.glaux.engine.plan.SortKey(key.get("column").intValue(), key.get("ascending").booleanValue(), key.get("nullsFirst").booleanValue()));
            }
        }
        return new AggregateCall(function, inputs, inputTypes, type(call, "outputType"), isAbsent(filter) ? -1 : filter.intValue(), orderBy);
    }

    // ------------------------------------------------------------------ split

    public static ObjectNode toJson(Split split)
    {
        ObjectNode node = NODES.objectNode();
        node.put("bucket", split.bucket());
        node.put("key", split.key());
        node.put("start", split.start());
        node.put("length", split.length());
        node.put("fileSize", split.fileSize());
        node.put("lastModifiedMillis", split.lastModifiedMillis());
        ObjectNode partitionValues = node.putObject("partitionValues");
        split.partitionValues().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> partitionValues.put(entry.getKey(), entry.getValue()));
        return node;
    }

    public static Split splitFromJson(JsonNode node)
    {
        Map<String, String> partitionValues = new LinkedHashMap<>();
        JsonNode values = node.get("partitionValues");
        if (!isAbsent(values)) {
            for (Map.Entry<String, JsonNode> entry : values.properties()) {
                partitionValues.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new Split(
                text(node, "bucket"),
                text(node, "key"),
                longValue(required(node, "start"), "start"),
                longValue(required(node, "length"), "length"),
                longValue(required(node, "fileSize"), "fileSize"),
                longValue(required(node, "lastModifiedMillis"), "lastModifiedMillis"),
                partitionValues);
    }

    // ------------------------------------------------------------------ tuple domain

    public static ObjectNode toJson(TupleDomain tupleDomain)
    {
        ObjectNode node = NODES.objectNode();
        node.put("none", tupleDomain.isNone());
        ObjectNode domains = node.putObject("domains");
        tupleDomain.domains().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> domains.set(entry.getKey(), toJson(entry.getValue())));
        return node;
    }

    public static TupleDomain tupleDomainFromJson(JsonNode node)
    {
        Map<String, Domain> domains = new LinkedHashMap<>();
        JsonNode entries = node.get("domains");
        if (!isAbsent(entries)) {
            for (Map.Entry<String, JsonNode> entry : entries.properties()) {
                domains.put(entry.getKey(), domainFromJson(entry.getValue()));
            }
        }
        JsonNode none = node.get("none");
        return new TupleDomain(domains, none != null && none.booleanValue());
    }

    private static ObjectNode toJson(Domain domain)
    {
        ObjectNode node = NODES.objectNode();
        node.put("nullAllowed", domain.nullAllowed());
        ArrayNode ranges = node.putArray("ranges");
        for (Range range : domain.ranges()) {
            ObjectNode item = ranges.addObject();
            item.set("low", value(range.low()));
            item.put("lowInclusive", range.lowInclusive());
            item.set("high", value(range.high()));
            item.put("highInclusive", range.highInclusive());
        }
        return node;
    }

    private static Domain domainFromJson(JsonNode node)
    {
        List<Range> ranges = new ArrayList<>();
        for (JsonNode range : array(node, "ranges")) {
            ranges.add(new Range(
                    comparable(value(range.get("low"))),
                    required(range, "lowInclusive").booleanValue(),
                    comparable(value(range.get("high"))),
                    required(range, "highInclusive").booleanValue()));
        }
        return new Domain(ranges, required(node, "nullAllowed").booleanValue());
    }

    private static Comparable<?> comparable(Object value)
    {
        if (value != null && !(value instanceof Comparable<?>)) {
            throw new IllegalArgumentException("range bound is not comparable: " + value.getClass().getSimpleName());
        }
        return (Comparable<?>) value;
    }

    // ------------------------------------------------------------------ expressions

    public static ObjectNode toJson(Expression expression)
    {
        ObjectNode node = NODES.objectNode();
        switch (expression) {
            case Expression.InputRef ref -> {
                node.put("kind", "input");
                node.put("index", ref.index());
                node.put("type", ref.type().trinoName());
            }
            case Expression.Literal literal -> {
                node.put("kind", "literal");
                node.put("type", literal.type().trinoName());
                node.set("value", value(literal.value()));
            }
            case Expression.Call call -> {
                node.put("kind", "call");
                node.put("operator", call.operator().name());
                node.put("type", call.type().trinoName());
                ArrayNode arguments = node.putArray("arguments");
                for (Expression argument : call.arguments()) {
                    arguments.add(toJson(argument));
                }
            }
            case Expression.FunctionCall call -> {
                node.put("kind", "function");
                node.put("name", call.name());
                node.put("type", call.type().trinoName());
                ArrayNode arguments = node.putArray("arguments");
                for (Expression argument : call.arguments()) {
                    arguments.add(toJson(argument));
                }
            }
            case Expression.SpecialForm form -> {
                node.put("kind", "form");
                node.put("form", form.form().name());
                node.put("type", form.type().trinoName());
                ArrayNode arguments = node.putArray("arguments");
                for (Expression argument : form.arguments()) {
                    arguments.add(toJson(argument));
                }
            }
        }
        return node;
    }

    public static Expression expressionFromJson(JsonNode node)
    {
        Type type = type(node, "type");
        String kind = text(node, "kind");
        return switch (kind) {
            case "input" -> new Expression.InputRef(required(node, "index").intValue(), type);
            case "literal" -> new Expression.Literal(normalize(value(node.get("value")), type), type);
            case "call" -> {
                List<Expression> arguments = new ArrayList<>();
                for (JsonNode argument : array(node, "arguments")) {
                    arguments.add(expressionFromJson(argument));
                }
                yield new Expression.Call(Expression.Operator.valueOf(text(node, "operator")), arguments, type);
            }
            case "function" -> new Expression.FunctionCall(text(node, "name"), arguments(node), type);
            case "form" -> new Expression.SpecialForm(Expression.Form.valueOf(text(node, "form")), arguments(node), type);
            default -> throw new IllegalArgumentException("unknown expression kind '" + kind + "'");
        };
    }

    private static List<Expression> arguments(JsonNode node)
    {
        List<Expression> arguments = new ArrayList<>();
        for (JsonNode argument : array(node, "arguments")) {
            arguments.add(expressionFromJson(argument));
        }
        return arguments;
    }

    /** A literal value in the Java class its type requires (numbers may arrive as another Number). */
    private static Object normalize(Object value, Type type)
    {
        if (value == null) {
            return null;
        }
        if (SqlTypes.isIntegral(type) || SqlTypes.isDate(type) || SqlTypes.isTimestamp(type)) {
            if (value instanceof Number number) {
                return number.longValue();
            }
        }
        else if (SqlTypes.isFloating(type)) {
            if (value instanceof Number number) {
                return number.doubleValue();
            }
        }
        else if (type instanceof Type.Decimal && value instanceof Number number && !(value instanceof BigDecimal)) {
            return new BigDecimal(number.toString());
        }
        return value;
    }

    // ------------------------------------------------------------------ values

    /** A constant (a window function's offset or default) as a tagged JSON value: long, double, string, boolean, bytes or decimal. */
    public static JsonNode constantToJson(Object value)
    {
        return value(value);
    }

    /** The constant {@link #constantToJson} wrote. */
    public static Object constantFromJson(JsonNode node)
    {
        return value(node);
    }

    private static JsonNode value(Object value)
    {
        if (value == null) {
            return NODES.nullNode();
        }
        ObjectNode node = NODES.objectNode();
        switch (value) {
            case Long l -> node.put("long", l);
            case Integer i -> node.put("long", (long) i);
            case Short s -> node.put("long", (long) s);
            case Byte b -> node.put("long", (long) b);
            case Double d -> putDouble(node, d);
            case Float f -> putDouble(node, (double) f);
            case String s -> node.put("string", s);
            case Boolean b -> node.put("boolean", b);
            case byte[] bytes -> node.put("bytes", Base64.getEncoder().encodeToString(bytes));
            case BigDecimal decimal -> node.put("decimal", decimal.toString());
            default -> throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot encode value of " + value.getClass().getName());
        }
        return node;
    }

    private static void putDouble(ObjectNode node, double d)
    {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            node.put("double", Double.toString(d));
        }
        else {
            node.put("double", d);
        }
    }

    private static Object value(JsonNode node)
    {
        if (isAbsent(node)) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        if (!fields.hasNext()) {
            throw new IllegalArgumentException("empty value");
        }
        Map.Entry<String, JsonNode> entry = fields.next();
        JsonNode v = entry.getValue();
        return switch (entry.getKey()) {
            case "long" -> longValue(v, "long");
            case "double" -> v.isTextual() ? Double.valueOf(v.textValue()) : Double.valueOf(v.doubleValue());
            case "string" -> v.textValue();
            case "boolean" -> v.booleanValue();
            case "bytes" -> Base64.getDecoder().decode(v.textValue());
            case "decimal" -> new BigDecimal(v.textValue());
            default -> throw new IllegalArgumentException("unknown value tag '" + entry.getKey() + "'");
        };
    }

    // ------------------------------------------------------------------ helpers

    private static boolean isAbsent(JsonNode node)
    {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static JsonNode required(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        if (isAbsent(value)) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field)
    {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is not a string");
        }
        return value.textValue();
    }

    private static Type type(JsonNode node, String field)
    {
        return TypeParser.parse(text(node, field));
    }

    private static long longValue(JsonNode node, String field)
    {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' is not a long: " + node);
        }
        return node.longValue();
    }

    private static Iterable<JsonNode> array(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        if (isAbsent(value)) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("'" + field + "' is not an array");
        }
        return value;
    }
}
