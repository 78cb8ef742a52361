package io.glaux.engine.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.FragmentCodec;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON encoding of the plan nodes that travel to workers inside a task (the pipeline a worker runs
 * over its scan's output: filters, projections, partial top-N and limits; a stage task's aggregations,
 * joins and windows). Expressions use
 * {@link FragmentCodec}'s encoding; types their Trino names. Thread-safe.
 */
public final class PlanCodec
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PlanCodec() {}

    public static ObjectNode toJson(PlanNode plan)
    {
        ObjectNode node = NODES.objectNode();
        node.put("id", plan.id().value());
        switch (plan) {
            case PlanNode.RemoteSource remote -> {
                node.put("node", "remoteSource");
                ArrayNode stages = node.putArray("sourceStages");
                remote.sourceStages().forEach(stages::add);
                node.put("exchangeType", remote.exchangeType().name());
                node.set("orderBy", sortKeys(remote.orderBy()));
                node.set("types", types(remote.outputTypes()));
            }
            case PlanNode.Filter filter -> {
                node.put("node", "filter");
                node.set("source", toJson(filter.source()));
                node.set("predicate", FragmentCodec.toJson(filter.predicate()));
            }
            case PlanNode.Project project -> {
                node.put("node", "project");
                node.set("source", toJson(project.source()));
                ArrayNode projections = node.putArray("projections");
                project.projections().forEach(projection -> projections.add(FragmentCodec.toJson(projection)));
            }
            case PlanNode.TopN topN -> {
                node.put("node", "topN");
                node.set("source", toJson(topN.source()));
                node.set("keys", sortKeys(topN.keys()));
                node.put("count", topN.count());
                node.put("step", topN.step().name());
            }
            case PlanNode.Sort sort -> {
                node.put("node", "sort");
                node.set("source", toJson(sort.source()));
                node.set("keys", sortKeys(sort.keys()));
            }
            case PlanNode.Limit limit -> {
                node.put("node", "limit");
                node.set("source", toJson(limit.source()));
                node.put("offset", limit.offset());
                node.put("count", limit.count());
                node.put("partial", limit.partial());
            }
            case PlanNode.Aggregate aggregate -> {
                node.put("node", "aggregate");
                node.set("source", toJson(aggregate.source()));
                node.put("step", aggregate.step().name());
                ArrayNode keys = node.putArray("groupKeys");
                aggregate.groupKeys().forEach(keys::add);
                ArrayNode sets = node.putArray("groupingSets");
                aggregate.groupingSets().forEach(set -> {
                    ArrayNode entries = sets.addArray();
                    set.forEach(entries::add);
                });
                ArrayNode calls = node.putArray("aggregates");
                aggregate.aggregates().forEach(call -> calls.add(FragmentCodec.toJson(call)));
            }
            case PlanNode.Join join -> {
                node.put("node", "join");
                node.put("type", join.type().name());
                node.set("left", toJson(join.left()));
                node.set("right", toJson(join.right()));
                ArrayNode leftKeys = node.putArray("leftKeys");
                join.leftKeys().forEach(leftKeys::add);
                ArrayNode rightKeys = node.putArray("rightKeys");
                join.rightKeys().forEach(rightKeys::add);
                join.residual().ifPresent(residual -> node.set("residual", FragmentCodec.toJson(residual)));
                node.put("distribution", join.distribution().name());
                join.outputColumns().ifPresent(columns -> {
                    ArrayNode outputs = node.putArray("outputColumns");
                    columns.forEach(outputs::add);
                });
            }
            case PlanNode.Window window -> {
                node.put("node", "window");
                node.set("source", toJson(window.source()));
                ArrayNode partitionKeys = node.putArray("partitionKeys");
                window.partitionKeys().forEach(partitionKeys::add);
                node.set("orderKeys", sortKeys(window.orderKeys()));
                ArrayNode functions = node.putArray("functions");
                for (WindowFunction function : window.functions()) {
                    ObjectNode entry = functions.addObject();
                    entry.put("name", function.name());
                    ArrayNode arguments = entry.putArray("arguments");
                    function.arguments().forEach(arguments::add);
                    ArrayNode constants = entry.putArray("constants");
                    function.constants().forEach(constant -> constants.add(FragmentCodec.constantToJson(constant)));
                    entry.put("type", function.type().trinoName());
                    entry.put("ignoreNulls", function.ignoreNulls());
                    ObjectNode frame = entry.putObject("frame");
                    frame.put("type", function.frame().type().name());
                    frame.put("startType", function.frame().start().type().name());
                    frame.put("startOffset", function.frame().start().offset());
                    frame.put("endType", function.frame().end().type().name());
                    frame.put("endOffset", function.frame().end().offset());
                }
            }
            default -> throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot send " + plan.getClass().getSimpleName() + " to a worker");
        }
        return node;
    }

    public static PlanNode fromJson(JsonNode node)
    {
        PlanNodeId id = new PlanNodeId(required(node, "id").intValue());
        String kind = required(node, "node").textValue();
        return switch (kind) {
            case "remoteSource" -> {
                List<Integer> stages = new ArrayList<>();
                required(node, "sourceStages").forEach(stage -> stages.add(stage.intValue()));
                yield new PlanNode.RemoteSource(id, stages, PlanNode.ExchangeType.valueOf(required(node, "exchangeType").textValue()),
                        sortKeys(required(node, "orderBy")), types(required(node, "types")));
            }
            case "filter" -> new PlanNode.Filter(id, fromJson(required(node, "source")), FragmentCodec.expressionFromJson(required(node, "predicate")));
            case "project" -> {
                List<Expression> projections = new ArrayList<>();
                required(node, "projections").forEach(projection -> projections.add(FragmentCodec.expressionFromJson(projection)));
                yield new PlanNode.Project(id, fromJson(required(node, "source")), projections);
            }
            case "topN" -> new PlanNode.TopN(id, fromJson(required(node, "source")), sortKeys(required(node, "keys")),
                    required(node, "count").longValue(), PlanNode.Step.valueOf(required(node, "step").textValue()));
            case "sort" -> new PlanNode.Sort(id, fromJson(required(node, "source")), sortKeys(required(node, "keys")));
            case "limit" -> new PlanNode.Limit(id, fromJson(required(node, "source")), required(node, "offset").longValue(),
                    required(node, "count").longValue(), required(node, "partial").booleanValue());
            case "aggregate" -> {
                List<Integer> keys = new ArrayList<>();
                required(node, "groupKeys").forEach(key -> keys.add(key.intValue()));
                List<List<Integer>> sets = new ArrayList<>();
                required(node, "groupingSets").forEach(set -> {
                    List<Integer> entries = new ArrayList<>();
                    set.forEach(entry -> entries.add(entry.intValue()));
                    sets.add(entries);
                });
                List<AggregateCall> calls = new ArrayList<>();
                required(node, "aggregates").forEach(call -> calls.add(FragmentCodec.aggregateCallFromJson(call)));
                yield new PlanNode.Aggregate(id, fromJson(required(node, "source")), PlanNode.Step.valueOf(required(node, "step").textValue()), keys, sets, calls);
            }
            case "join" -> {
                List<Integer> leftKeys = new ArrayList<>();
                required(node, "leftKeys").forEach(key -> leftKeys.add(key.intValue()));
                List<Integer> rightKeys = new ArrayList<>();
                required(node, "rightKeys").forEach(key -> rightKeys.add(key.intValue()));
                JsonNode residual = node.get("residual");
                JsonNode outputs = node.get("outputColumns");
                java.util.Optional<List<Integer>> outputColumns = java.util.Optional.empty();
                if (outputs != null && !outputs.isNull()) {
                    List<Integer> columns = new ArrayList<>();
                    outputs.forEach(column -> columns.add(column.intValue()));
                    outputColumns = java.util.Optional.of(columns);
                }
                yield new PlanNode.Join(id, PlanNode.JoinType.valueOf(required(node, "type").textValue()), fromJson(required(node, "left")),
                        fromJson(required(node, "right")), leftKeys, rightKeys,
                        residual == null || residual.isNull() ? java.util.Optional.empty() : java.util.Optional.of(FragmentCodec.expressionFromJson(residual)),
                        PlanNode.JoinDistribution.valueOf(required(node, "distribution").textValue()), outputColumns);
            }
            case "window" -> {
                List<Integer> partitionKeys = new ArrayList<>();
                required(node, "partitionKeys").forEach(key -> partitionKeys.add(key.intValue()));
                List<WindowFunction> functions = new ArrayList<>();
                for (JsonNode entry : required(node, "functions")) {
                    List<Integer> arguments = new ArrayList<>();
                    required(entry, "arguments").forEach(argument -> arguments.add(argument.intValue()));
                    List<Object> constants = new ArrayList<>();
                    required(entry, "constants").forEach(constant -> constants.add(FragmentCodec.constantFromJson(constant)));
                    JsonNode frame = required(entry, "frame");
                    functions.add(new WindowFunction(required(entry, "name").textValue(), arguments, constants, TypeParser.parse(required(entry, "type").textValue()),
                            required(entry, "ignoreNulls").booleanValue(),
                            new WindowFunction.Frame(WindowFunction.FrameType.valueOf(required(frame, "type").textValue()),
                                    new WindowFunction.Bound(WindowFunction.BoundType.valueOf(required(frame, "startType").textValue()), required(frame, "startOffset").longValue()),
                                    new WindowFunction.Bound(WindowFunction.BoundType.valueOf(required(frame, "endType").textValue()), required(frame, "endOffset").longValue()))));
                }
                yield new PlanNode.Window(id, fromJson(required(node, "source")), partitionKeys, sortKeys(required(node, "orderKeys")), functions);
            }
            default -> throw new IllegalArgumentException("unknown plan node '" + kind + "'");
        };
    }

    private static ArrayNode sortKeys(List<SortKey> keys)
    {
        ArrayNode array = NODES.arrayNode();
        for (SortKey key : keys) {
            ObjectNode node = array.addObject();
            node.put("column", key.column());
            node.put("ascending", key.ascending());
            node.put("nullsFirst", key.nullsFirst());
        }
        return array;
    }

    private static List<SortKey> sortKeys(JsonNode array)
    {
        List<SortKey> keys = new ArrayList<>();
        for (JsonNode key : array) {
            keys.add(new SortKey(required(key, "column").intValue(), required(key, "ascending").booleanValue(), required(key, "nullsFirst").booleanValue()));
        }
        return keys;
    }

    private static ArrayNode types(List<Type> types)
    {
        ArrayNode array = NODES.arrayNode();
        types.forEach(type -> array.add(type.trinoName()));
        return array;
    }

    private static List<Type> types(JsonNode array)
    {
        List<Type> types = new ArrayList<>();
        array.forEach(type -> types.add(TypeParser.parse(type.textValue())));
        return types;
    }

    private static JsonNode required(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }
}
