package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.split.Split;
import io.glaux.engine.plan.PlanNode;

import java.util.List;
import java.util.Optional;

/**
 * A fragment and the splits one worker runs it over, for one query. {@code pipeline}, when present,
 * runs over the task's scan output (its single leaf is a {@link PlanNode.RemoteSource} standing for
 * it): a partial top-N, limit or aggregation, so that a worker sends only what the next stage can use.
 * {@code output}, when present, sends the task's output not back to its caller but hash-partitioned into
 * the worker's output buffer of the stage, which the next stage's tasks read (the call then ends
 * without batches once every row is buffered). {@code maxMemoryBytes}, when positive, lowers what the
 * query may hold on the worker (the session's {@code query_max_memory}); 0 leaves the worker's
 * {@code query.max-memory-per-node}.
 */
public record Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline, Optional<PartitionedOutput> output,
        List<Broadcast> broadcasts, long maxMemoryBytes)
{
    /**
     * The rows of stage {@code stageId} that the pipeline's {@link PlanNode.RemoteSource} of type
     * BROADCAST reading that stage reads (the build side of a broadcast join), as an Arrow IPC stream.
     * A pipeline of several broadcast joins (a star join) has one per build stage.
     */
    public record Broadcast(int stageId, byte[] arrowStream)
    {
        public Broadcast
        {
            requireNonNull(arrowStream, "arrowStream is null");
        }
    }

    /**
     * Hash partitioning of a task's output: {@code stageId} names the stage's output buffer on the
     * worker, {@code keys} the output columns hashed, {@code partitionCount} the consumer tasks,
     * {@code types} the task's output columns. With {@code spreadNullKeys} (an equi-join's input, whose
     * NULL keys never match) a row with a NULL key goes to any partition, round robin, rather than all
     * such rows to the one partition NULL hashes to.
     */
    public record PartitionedOutput(int stageId, List<Integer> keys, int partitionCount, List<io.glaux.spi.type.Type> types, boolean spreadNullKeys)
    {
        public PartitionedOutput
        {
            keys = List.copyOf(keys);
            types = List.copyOf(types);
            if (keys.isEmpty() || partitionCount < 1) {
                throw new IllegalArgumentException("partitioning on " + keys + " into " + partitionCount);
            }
        }

        /** Rows with NULL keys together (an aggregation's or a window's input: NULL is a group). */
        public PartitionedOutput(int stageId, List<Integer> keys, int partitionCount, List<io.glaux.spi.type.Type> types)
        {
            this(stageId, keys, partitionCount, types, false);
        }
    }

    public Task
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(fragment, "fragment is null");
        splits = List.copyOf(splits);
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(output, "output is null");
        broadcasts = List.copyOf(broadcasts);
        if (maxMemoryBytes < 0) {
            throw new IllegalArgumentException("maxMemoryBytes is negative");
        }
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline, Optional<PartitionedOutput> output,
            Optional<Broadcast> broadcast)
    {
        this(queryId, taskId, fragment, splits, pipeline, output, broadcast.stream().toList(), 0);
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline, Optional<PartitionedOutput> output)
    {
        this(queryId, taskId, fragment, splits, pipeline, output, List.of(), 0);
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline, long maxMemoryBytes)
    {
        this(queryId, taskId, fragment, splits, pipeline, Optional.empty(), List.of(), maxMemoryBytes);
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline)
    {
        this(queryId, taskId, fragment, splits, pipeline, Optional.empty(), List.of(), 0);
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits)
    {
        this(queryId, taskId, fragment, splits, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
