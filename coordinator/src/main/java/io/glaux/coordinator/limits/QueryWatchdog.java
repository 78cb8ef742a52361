package io.glaux.coordinator.limits;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.coordinator.query.SessionProperties;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces {@link QueryLimits} on running queries: every 200 ms it ends queries past
 * {@code query.max-run-time}, or their session's lower {@code query_max_run_time} ({@code EXCEEDED_TIME_LIMIT}), and queries whose client has not asked for
 * results within {@code query.client.timeout} ({@code ABANDONED_QUERY}); both interrupt the query's
 * execution so its memory is freed. The protocol handler reports client requests with {@link #seen}.
 */
public final class QueryWatchdog
        implements AutoCloseable
{
    private final QueryManager queries;
    private final QueryLimits limits;
    private final Map<String, Long> lastSeenNanos = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("query-watchdog").daemon().factory());

    public QueryWatchdog(QueryManager queries, QueryLimits limits)
    {
        this.queries = requireNonNull(queries, "queries is null");
        this.limits = requireNonNull(limits, "limits is null");
        timer.scheduleWithFixedDelay(this::check, 200, 200, TimeUnit.MILLISECONDS);
    }

    public QueryLimits limits()
    {
        return limits;
    }

    /** The client just asked about query {@code queryId}. */
    public void seen(String queryId)
    {
        lastSeenNanos.put(queryId, System.nanoTime());
    }

    private void check()
    {
        try {
            long now = System.nanoTime();
            for (Query query : queries.all()) {
                if (query.state().isDone()) {
                    lastSeenNanos.remove(query.id());
                    continue;
                }
                // the session's query_max_run_time may lower the coordinator's limit, never raise it
                Optional<Duration> sessionLimit = query.session().queryMaxRunTime().filter(limit -> limit.compareTo(limits.maxRunTime()) < 0);
                Duration maxRunTime = sessionLimit.orElse(limits.maxRunTime());
                if (query.elapsedMillis() > maxRunTime.toMillis()) {
                    query.abort(new GlauxException(ErrorCode.EXCEEDED_TIME_LIMIT, "Query exceeded the maximum run time limit of %s (%s)"
                            .formatted(QueryLimits.format(maxRunTime), sessionLimit.isPresent()
                                    ? "session property " + SessionProperties.QUERY_MAX_RUN_TIME : QueryLimits.MAX_RUN_TIME)));
                    continue;
                }
                long lastSeen = lastSeenNanos.computeIfAbsent(query.id(), _ -> now);
                if (now - lastSeen > limits.clientTimeout().toNanos()) {
                    query.abort(new GlauxException(ErrorCode.ABANDONED_QUERY, "Query was abandoned by the client: no request for its results within %s (%s)"
                            .formatted(QueryLimits.format(limits.clientTimeout()), QueryLimits.CLIENT_TIMEOUT)));
                }
            }
        }
        catch (RuntimeException e) {
            // keep watching: one bad query must not stop the limits of the others
        }
    }

    @Override
    public void close()
    {
        timer.shutdownNow();
    }
}
