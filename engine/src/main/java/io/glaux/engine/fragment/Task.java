package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.split.Split;
import io.glaux.engine.plan.PlanNode;

import java.util.List;
import java.util.Optional;

/**
 * A fragment and the splits one worker runs it over, for one query. {@code pipeline}, when present,
 * runs over the task's scan output (its single leaf is a {@link PlanNode.RemoteSource} standing for
 * it): a partial top-N or limit, so that a worker sends only what the final stage can use.
 * {@code maxMemoryBytes}, when positive, lowers what the query may hold on the worker (the session's
 * {@code query_max_memory}); 0 leaves the worker's {@code query.max-memory-per-node}.
 */
public record Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline, long maxMemoryBytes)
{
    public Task
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(fragment, "fragment is null");
        splits = List.copyOf(splits);
        requireNonNull(pipeline, "pipeline is null");
        if (maxMemoryBytes < 0) {
            throw new IllegalArgumentException("maxMemoryBytes is negative");
        }
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline)
    {
        this(queryId, taskId, fragment, splits, pipeline, 0);
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits)
    {
        this(queryId, taskId, fragment, splits, Optional.empty());
    }
}
