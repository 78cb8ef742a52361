package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where and how much a worker's hash stages (FINAL aggregations, windows, partitioned joins) spill.
 *
 * @param path {@code spill.path}: the folder under which each query spilling here gets its own folder,
 *        deleted when the query's last task here ends; empty ({@code none}) disables spilling: an
 *        operator then fails with EXCEEDED_MEMORY_LIMIT at the query's limit
 * @param maxBytes {@code spill.max-size}: what all queries together may write there; by default 90% of
 *        the free space of its file system when the worker starts
 * @param maxBytesPerQuery {@code query.max-spill-per-node}: what one query may write there; by default
 *        all of {@code maxBytes}
 */
public record SpillConfig(Optional<Path> path, OptionalLong maxBytes, OptionalLong maxBytesPerQuery)
{
    public static final String SPILL_PATH = "spill.path";
    public static final String SPILL_MAX_SIZE = "spill.max-size";
    public static final String QUERY_MAX_SPILL_PER_NODE = "query.max-spill-per-node";

    public SpillConfig
    {
        requireNonNull(path, "path is null");
        requireNonNull(maxBytes, "maxBytes is null");
        requireNonNull(maxBytesPerQuery, "maxBytesPerQuery is null");
    }

    /** No spilling. */
    public static SpillConfig disabled()
    {
        return new SpillConfig(Optional.empty(), OptionalLong.empty(), OptionalLong.empty());
    }

    /** Spilling under {@code path}, with the default limits. */
    public static SpillConfig at(Path path)
    {
        return new SpillConfig(Optional.of(path), OptionalLong.empty(), OptionalLong.empty());
    }
}
