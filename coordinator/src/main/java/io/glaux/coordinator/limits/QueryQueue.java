package io.glaux.coordinator.limits;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Admission like an Athena workgroup: a query counts against its user's bucket and each of its
 * groups' buckets; it runs when every one of them has room ({@code query.max-concurrent-per-user},
 * {@code query.max-concurrent-per-group}) and no query submitted before it waits for one of those
 * buckets, so each bucket is served first come, first served. A waiting query shows {@code QUEUED} in
 * the protocol; it fails with {@code EXCEEDED_TIME_LIMIT} after {@code query.max-queued-time}, and a user
 * with {@code query.max-queued-per-user} queries already waiting gets {@code QUERY_QUEUE_FULL}.
 */
public final class QueryQueue
        implements QueryManager.Admission
{
    private final QueryLimits limits;
    private final Function<String, Set<String>> groups;
    private final Object lock = new Object();
    /** Running queries per bucket ("user:alice", "group:etl"), guarded by lock. */
    private final Map<String, Integer> running = new HashMap<>();
    /** Waiting queries in submission order, guarded by lock. */
    private final List<Waiter> waiting = new ArrayList<>();

    private record Waiter(Query query, List<String> buckets) {}

    /** {@code groups}: the groups of a user (from the access-control rules). */
    public QueryQueue(QueryLimits limits, Function<String, Set<String>> groups)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.groups = requireNonNull(groups, "groups is null");
    }

    @Override
    public void run(Query query, Runnable body)
    {
        if (!limits.queueing()) {
            body.run();
            return;
        }
        List<String> buckets = buckets(query.session().user());
        if (!admit(query, buckets)) {
            return;
        }
        try {
            body.run();
        }
        finally {
            synchronized (lock) {
                for (String bucket : buckets) {
                    running.merge(bucket, -1, (count, delta) -> count + delta == 0 ? null : count + delta);
                }
                lock.notifyAll();
            }
        }
    }

    /** Queries waiting now (for tests and /metrics). */
    public int waitingCount()
    {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private List<String> buckets(String user)
    {
        List<String> buckets = new ArrayList<>();
        buckets.add("user:" + user);
        if (limits.maxConcurrentPerGroup() != Integer.MAX_VALUE) {
            for (String group : groups.apply(user)) {
                buckets.add("group:" + group);
            }
        }
        return buckets;
    }

    /** Waits until the query may run (true) or it ended while waiting (false, e.g. cancelled); throws for a limit. */
    private boolean admit(Query query, List<String> buckets)
    {
        Waiter waiter = new Waiter(query, buckets);
        synchronized (lock) {
            if (hasRoom(buckets) && waiting.stream().noneMatch(earlier -> shares(earlier, waiter))) {
                take(buckets);
                return true;
            }
            long queued = waiting.stream().filter(other -> other.query().session().user().equals(query.session().user())).count();
            if (queued >= limits.maxQueuedPerUser()) {
                throw new GlauxException(ErrorCode.QUERY_QUEUE_FULL, "Too many queued queries for user %s: %d wait already (%s = %d)"
                        .formatted(query.session().user(), queued, QueryLimits.MAX_QUEUED_PER_USER, limits.maxQueuedPerUser()));
            }
            waiting.add(waiter);
        }
        // a cancelled query wakes its waiting thread
        query.onDone(() -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        long deadline = System.nanoTime() + limits.maxQueuedTime().toNanos() - query.elapsedMillis() * 1_000_000;
        synchronized (lock) {
            try {
                while (true) {
                    if (query.state().isDone() || query.isCanceled()) {
                        return false;
                    }
                    if (hasRoom(buckets) && firstFor(waiter)) {
                        take(buckets);
                        return true;
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        throw new GlauxException(ErrorCode.EXCEEDED_TIME_LIMIT, "Query exceeded the maximum queued time limit of %s (%s)"
                                .formatted(QueryLimits.format(limits.maxQueuedTime()), QueryLimits.MAX_QUEUED_TIME));
                    }
                    lock.wait(Math.max(1, remaining / 1_000_000));
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            finally {
                waiting.remove(waiter);
                // the next in line may be this one's successor
                lock.notifyAll();
            }
        }
    }

    private boolean hasRoom(List<String> buckets)
    {
        for (String bucket : buckets) {
            int cap = bucket.startsWith("user:") ? limits.maxConcurrentPerUser() : limits.maxConcurrentPerGroup();
            if (running.getOrDefault(bucket, 0) >= cap) {
                return false;
            }
        }
        return true;
    }

    /** No query that waits longer needs one of the waiter's buckets. */
    private boolean firstFor(Waiter waiter)
    {
        for (Waiter earlier : waiting) {
            if (earlier == waiter) {
                return true;
            }
            if (shares(earlier, waiter)) {
                return false;
            }
        }
        return true;
    }

    private static boolean shares(Waiter a, Waiter b)
    {
        for (String bucket : a.buckets()) {
            if (b.buckets().contains(bucket)) {
                return true;
            }
        }
        return false;
    }

    private void take(List<String> buckets)
    {
        for (String bucket : buckets) {
            running.merge(bucket, 1, Integer::sum);
        }
    }
}
