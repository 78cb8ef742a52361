package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operators of one query on one node share: its memory, its cancellation and where it may
 * spill. Thread-safe.
 *
 * @param spillDirectory where spilling operators write their files; empty disables spilling (an
 *        operator then fails with EXCEEDED_MEMORY_LIMIT at the limit)
 * @param spillSpace counts the bytes the query's operators write there, under the node's spill limits
 * @param tasks how many tasks of the query run these operators' plan side by side on this node, sharing
 *        its memory (a worker running several tasks of a hash stage): each spilling operator keeps to
 *        its share of the limit
 * @param remoteStats what the operators of the tasks this node read from other nodes did, summed by plan
 *        node ({@link io.glaux.engine.exchange.TaskOperatorStats}): EXPLAIN ANALYZE's numbers of the
 *        stages below this one
 */
public record QueryContext(QueryMemoryContext memory, Optional<Path> spillDirectory, Cancellation cancellation, SpillSpace spillSpace, int tasks,
        ConcurrentHashMap<PlanNodeId, OperatorStats> remoteStats)
{
    public QueryContext
    {
        requireNonNull(memory, "memory is null");
        requireNonNull(spillDirectory, "spillDirectory is null");
        requireNonNull(cancellation, "cancellation is null");
        requireNonNull(spillSpace, "spillSpace is null");
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1: " + tasks);
        }
        requireNonNull(remoteStats, "remoteStats is null");
    }

    /**
     * Set once when a query is cancelled or failed elsewhere, or when its client's cancel (an outside
     * flag, polled too) says so; operators poll it.
     */
    public static final class Cancellation
    {
        private final java.util.function.BooleanSupplier outside;
        private volatile String reason;

        public Cancellation()
        {
            this(() -> false);
        }

        /** @param outside true once the query was cancelled from outside the engine (the client, a limit) */
        public Cancellation(java.util.function.BooleanSupplier outside)
        {
            this.outside = requireNonNull(outside, "outside is null");
        }

        public void cancel(String reason)
        {
            if (this.reason == null) {
                this.reason = requireNonNull(reason, "reason is null");
            }
        }

        public boolean isCancelled()
        {
            if (reason == null && outside.getAsBoolean()) {
                cancel("Query was canceled");
            }
            return reason != null;
        }

        /** Throws {@code USER_CANCELED} once cancelled. */
        public void check()
        {
            if (isCancelled()) {
                throw new GlauxException(ErrorCode.USER_CANCELED, reason);
            }
        }
    }
}
