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
 */
public record Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits, Optional<PlanNode> pipeline)
{
    public Task
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(fragment, "fragment is null");
        splits = List.copyOf(splits);
        requireNonNull(pipeline, "pipeline is null");
    }

    public Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits)
    {
        this(queryId, taskId, fragment, splits, Optional.empty());
    }
}
