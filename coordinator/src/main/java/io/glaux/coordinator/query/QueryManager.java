package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Creates, runs and remembers queries. Finished queries are kept (bounded) for the history. */
public final class QueryManager
        implements AutoCloseable
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueryManager.class);

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final int MAX_HISTORY = 200;

    private final StatementRunner runner;
    private final RowEncoder encoder = new RowEncoder();
    private final Map<String, Query> queries = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final String instanceId = randomSuffix();
    private final List<Consumer<Query>> listeners = new CopyOnWriteArrayList<>();
    /**
     * The stack of a query's thread: Calcite's parser, validator and planner recurse once or more per level
     * of a nested expression, and BI tools generate deep ones (nested CASE, long OR chains). The default
     * 1 MB overflowed at a few hundred levels. Deeper still is refused as "too large" when the stack
     * overflows, which at this size takes under a second; the memory is committed only as deep as used.
     */
    private static final long QUERY_THREAD_STACK_BYTES = 16L << 20;

    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("query-", 0).daemon().stackSize(QUERY_THREAD_STACK_BYTES).factory());
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong completedSplits = new AtomicLong();
    private final AtomicLong processedRows = new AtomicLong();
    private final AtomicLong processedBytes = new AtomicLong();

    /**
     * Totals since the coordinator started, for {@code /metrics}: queries submitted, queries whose
     * execution ended without error or with one, and the splits, rows and bytes (Arrow, as received
     * from the workers) of ended executions.
     */
    public record Totals(long submitted, long executed, long failed, long completedSplits, long processedRows, long processedBytes) {}

    private final Admission admission;

    /** Decides when a submitted query may run: runs {@code body} (the query) then, on the calling thread. */
    @FunctionalInterface
    public interface Admission
    {
        /** Runs {@code body} once the query may run; returns without running it if the query ended while waiting; throws for a limit. */
        void run(Query query, Runnable body);
    }

    public QueryManager(StatementRunner runner)
    {
        this(runner, (query, body) -> body.run());
    }

    public QueryManager(StatementRunner runner, Admission admission)
    {
        this.runner = requireNonNull(runner, "runner is null");
        this.admission = requireNonNull(admission, "admission is null");
    }

    public Query submit(String sql, Session session)
    {
        String id = ID_TIME.format(LocalDateTime.now(ZoneOffset.UTC)) + "_" + String.format("%05d", sequence.incrementAndGet() % 100_000) + "_" + instanceId;
        Query query = new Query(id, randomSuffix() + randomSuffix(), sql, session);
        queries.put(id, query);
        listeners.forEach(listener -> listener.accept(query));
        submitted.incrementAndGet();
        executor.execute(() -> {
            try {
                admission.run(query, () -> query.run(runner, encoder));
            }
            catch (RuntimeException e) {
                // a limit of the queue (full, waited too long): the query fails while still QUEUED
                query.fail(e);
            }
            finally {
                (query.state() == QueryState.FAILED ? failed : executed).incrementAndGet();
                QueryStats stats = query.stats();
                completedSplits.addAndGet(stats.completedSplits.get());
                processedRows.addAndGet(stats.processedRows.get());
                // bytes of cancelled tasks may still come after the query answered: counted when they do
                processedBytes.addAndGet(stats.processedBytesAndLater(processedBytes::addAndGet));
            }
        });
        prune();
        return query;
    }

    /** Called with every query when it is submitted, before it runs (the console's history records it). */
    public void addListener(Consumer<Query> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    public Optional<Query> get(String id)
    {
        return Optional.ofNullable(queries.get(id));
    }

    public List<Query> all()
    {
        List<Query> list = new ArrayList<>(queries.values());
        list.sort(Comparator.comparingLong(Query::createdMillis).reversed());
        return list;
    }

    public Totals totals()
    {
        return new Totals(submitted.get(), executed.get(), failed.get(), completedSplits.get(), processedRows.get(), processedBytes.get());
    }

    private void prune()
    {
        if (queries.size() <= MAX_HISTORY) {
            return;
        }
        all().stream().skip(MAX_HISTORY).filter(query -> query.state().isDone()).forEach(query -> queries.remove(query.id()));
    }

    private static String randomSuffix()
    {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return sb.toString();
    }

    @Override
    public void close()
    {
        queries.values().forEach(Query::cancel);
        executor.shutdownNow();
        // let cancelled queries close their worker streams and free their memory before the caller
        // closes the clients and allocators those belong to
        try {
            if (!executor.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("Queries still running 15s after they were cancelled at shutdown");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
