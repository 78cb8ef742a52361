package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glaux.engine.fragment.FragmentCodec;
import io.glaux.engine.fragment.Task;
import io.glaux.engine.plan.PlanCodec;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tickets of the Flight calls between stages: a worker's {@code DoGet} either runs a scan
 * {@link Task} (JSON, see {@link TaskTickets}), runs an intermediate {@link StageTask}, or streams one
 * partition of an output buffer ({@link Fetch}). The latter two are JSON after a one-byte tag. Also the
 * bodies of the {@code DoAction}s that end a stage's output ({@link #NO_MORE_INPUT_ACTION}) and free a
 * stage's buffers ({@link #ABORT_STAGE_ACTION}).
 */
public final class ExchangeTickets
{
    /** DoAction: every producer of a stage on the worker is done (body: a {@link Fetch} of its partition 0). */
    public static final String NO_MORE_INPUT_ACTION = "exchange-no-more-input";
    /** DoAction: a stage's consumers ended; free its output buffer, refuse a new one (body: {@link #encodeStage}). */
    public static final String ABORT_STAGE_ACTION = "exchange-abort-stage";

    private static final byte STAGE_TASK = 'S';
    private static final byte FETCH = 'F';
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ExchangeTickets() {}

    /** A worker's Flight endpoint. */
    public record Location(String nodeId, URI flightUri)
    {
        public Location
        {
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(flightUri, "flightUri is null");
        }
    }

    /** Streams partition {@code partition} of stage {@code stageId}'s output buffer (typed {@code types}) on the called worker. */
    public record Fetch(String queryId, int stageId, int partition, int partitionCount, List<Type> types)
    {
        public Fetch
        {
            requireNonNull(queryId, "queryId is null");
            types = List.copyOf(types);
            if (partition < 0 || partition >= partitionCount) {
                throw new IllegalArgumentException("partition " + partition + " of " + partitionCount);
            }
        }

        public String label()
        {
            return queryId + ".stage" + stageId + ".partition" + partition;
        }
    }

    /**
     * Runs {@code plan} for partition {@code partition} of stage {@code stageId}: each of its
     * {@link PlanNode.RemoteSource} leaves reads that partition of its source stage from every worker in
     * {@code producers}; the output streams back to the caller. {@code maxMemoryBytes}, when positive, is
     * the session's {@code query_max_memory} (as a scan {@link io.glaux.engine.fragment.Task}'s). Its
     * {@link PlanNode.ExchangeType#BROADCAST} leaves read {@code broadcasts} instead: the rows of a small
     * build stage, collected by the coordinator and shipped in the ticket (as a scan task's).
     */
    public record StageTask(String queryId, int stageId, int partition, int partitionCount, PlanNode plan, List<Location> producers, long maxMemoryBytes,
            List<Task.Broadcast> broadcasts)
    {
        public StageTask
        {
            requireNonNull(queryId, "queryId is null");
            requireNonNull(plan, "plan is null");
            producers = List.copyOf(producers);
            broadcasts = List.copyOf(broadcasts);
            if (partition < 0 || partition >= partitionCount) {
                throw new IllegalArgumentException("partition " + partition + " of " + partitionCount);
            }
        }

        public StageTask(String queryId, int stageId, int partition, int partitionCount, PlanNode plan, List<Location> producers, long maxMemoryBytes)
        {
            this(queryId, stageId, partition, partitionCount, plan, producers, maxMemoryBytes, List.of());
        }

        /** A task under the worker's {@code query.max-memory-per-node} (no session limit). */
        public StageTask(String queryId, int stageId, int partition, int partitionCount, PlanNode plan, List<Location> producers)
        {
            this(queryId, stageId, partition, partitionCount, plan, producers, 0);
        }

        public String label()
        {
            return queryId + ".stage" + stageId + ".task" + partition;
        }
    }

    public static byte[] encode(StageTask task)
    {
        ObjectNode node = NODES.objectNode();
        node.put("queryId", task.queryId());
        node.put("stageId", task.stageId());
        node.put("partition", task.partition());
        node.put("partitionCount", task.partitionCount());
        node.set("plan", PlanCodec.toJson(task.plan()));
        node.put("maxMemoryBytes", task.maxMemoryBytes());
        ArrayNode producers = node.putArray("producers");
        for (Location location : task.producers()) {
            producers.addObject().put("nodeId", location.nodeId()).put("uri", location.flightUri().toString());
        }
        if (!task.broadcasts().isEmpty()) {
            ArrayNode broadcasts = node.putArray("broadcasts");
            task.broadcasts().forEach(broadcast -> broadcasts.addObject()
                    .put("stageId", broadcast.stageId())
                    .put("arrowStream", java.util.Base64.getEncoder().encodeToString(broadcast.arrowStream())));
        }
        return tagged(STAGE_TASK, FragmentCodec.encodeJson(node));
    }

    public static byte[] encode(Fetch fetch)
    {
        ObjectNode node = NODES.objectNode();
        node.put("queryId", fetch.queryId());
        node.put("stageId", fetch.stageId());
        node.put("partition", fetch.partition());
        node.put("partitionCount", fetch.partitionCount());
        ArrayNode types = node.putArray("types");
        fetch.types().forEach(type -> types.add(type.trinoName()));
        return tagged(FETCH, FragmentCodec.encodeJson(node));
    }

    /** The body of {@link #ABORT_STAGE_ACTION}. */
    public static byte[] encodeStage(String queryId, int stageId)
    {
        return FragmentCodec.encodeJson(NODES.objectNode().put("queryId", queryId).put("stageId", stageId));
    }

    public record StageRef(String queryId, int stageId) {}

    public static StageRef decodeStage(byte[] body)
    {
        return FragmentCodec.decodeJson(body, "stage", node -> new StageRef(node.get("queryId").textValue(), node.get("stageId").intValue()));
    }

    /** A {@link Task}, {@link StageTask} or {@link Fetch}. Failures are GlauxExceptions. */
    public static Object decode(byte[] ticket)
    {
        requireNonNull(ticket, "ticket is null");
        if (ticket.length > 0 && ticket[0] == STAGE_TASK) {
            return FragmentCodec.decodeJson(Arrays.copyOfRange(ticket, 1, ticket.length), "stage task", ExchangeTickets::stageTask);
        }
        if (ticket.length > 0 && ticket[0] == FETCH) {
            return FragmentCodec.decodeJson(Arrays.copyOfRange(ticket, 1, ticket.length), "exchange fetch", ExchangeTickets::fetch);
        }
        return TaskTickets.decode(ticket);
    }

    private static StageTask stageTask(JsonNode node)
    {
        List<Location> producers = new ArrayList<>();
        for (JsonNode producer : node.get("producers")) {
            producers.add(new Location(producer.get("nodeId").textValue(), URI.create(producer.get("uri").textValue())));
        }
        List<Task.Broadcast> broadcasts = new ArrayList<>();
        if (node.hasNonNull("broadcasts")) {
            for (JsonNode build : node.get("broadcasts")) {
                broadcasts.add(new Task.Broadcast(build.get("stageId").intValue(), java.util.Base64.getDecoder().decode(build.get("arrowStream").textValue())));
            }
        }
        return new StageTask(node.get("queryId").textValue(), node.get("stageId").intValue(), node.get("partition").intValue(),
                node.get("partitionCount").intValue(), PlanCodec.fromJson(node.get("plan")), producers,
                node.hasNonNull("maxMemoryBytes") ? node.get("maxMemoryBytes").longValue() : 0, broadcasts);
    }

    private static Fetch fetch(JsonNode node)
    {
        List<Type> types = new ArrayList<>();
        node.get("types").forEach(type -> types.add(TypeParser.parse(type.textValue())));
        return new Fetch(node.get("queryId").textValue(), node.get("stageId").intValue(), node.get("partition").intValue(),
                node.get("partitionCount").intValue(), types);
    }

    private static byte[] tagged(byte tag, byte[] json)
    {
        byte[] ticket = new byte[json.length + 1];
        ticket[0] = tag;
        System.arraycopy(json, 0, ticket, 1, json.length);
        return ticket;
    }
}
