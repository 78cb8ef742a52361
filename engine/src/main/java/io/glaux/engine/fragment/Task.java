package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.split.Split;

import java.util.List;

/** A fragment and the splits one worker runs it over, for one query. */
public record Task(String queryId, int taskId, ScanFragment fragment, List<Split> splits)
{
    public Task
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(fragment, "fragment is null");
        splits = List.copyOf(splits);
    }
}
