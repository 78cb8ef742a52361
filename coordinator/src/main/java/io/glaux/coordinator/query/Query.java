package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One statement's lifecycle: planning, running, and a bounded buffer of encoded result pages that the
 * client drains through {@code nextUri}. A slow client slows the query down instead of filling memory.
 */
public final class Query
{
    private static final Logger LOG = LoggerFactory.getLogger(Query.class);
    private static final int PAGE_ROWS = 4096;

    private final String id;
    private final String slug;
    private final String sql;
    private final Session session;
    private final long createdNanos = System.nanoTime();
    private final long createdMillis = System.currentTimeMillis();
    private final QueryStats stats = new QueryStats();
    /** Put in the page buffer when the query ends, to wake a client waiting for a page that will not come. */
    private static final ResultPage END = new ResultPage.Values(java.util.Collections.unmodifiableList(new ArrayList<>()));

    private final BlockingQueue<ResultPage> pages = new ArrayBlockingQueue<>(8);
    private final AtomicBoolean canceled = new AtomicBoolean();
    private final Object lock = new Object();
    private final List<Runnable> doneListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean doneNotified = new AtomicBoolean();

    private volatile QueryState state = QueryState.QUEUED;
    private volatile List<ResultColumn> columns;
    private volatile GlauxException error;
    private volatile long endNanos;
    private volatile boolean producerDone;
    /** The page that ends the results, offered once the statement's resources are released: the client needs no further request. */
    private volatile ResultPage lastPage;
    private volatile StatementResult result;
    private volatile Thread thread;
    private volatile String plan;
    private volatile List<java.util.Map<String, Object>> stages = List.of();

    // protocol bookkeeping, guarded by lock
    private long token;
    private Object lastResponse;

    public Query(String id, String slug, String sql, Session session)
    {
        this.id = requireNonNull(id, "id is null");
        this.slug = requireNonNull(slug, "slug is null");
        this.sql = requireNonNull(sql, "sql is null");
        this.session = requireNonNull(session, "session is null");
    }

    public String id()
    {
        return id;
    }

    public String slug()
    {
        return slug;
    }

    public String sql()
    {
        return sql;
    }

    public Session session()
    {
        return session;
    }

    public QueryStats stats()
    {
        return stats;
    }

    public QueryState state()
    {
        return state;
    }

    public Optional<List<ResultColumn>> columns()
    {
        return Optional.ofNullable(columns);
    }

    public Optional<GlauxException> error()
    {
        return Optional.ofNullable(error);
    }

    public Optional<StatementResult> result()
    {
        return Optional.ofNullable(result);
    }

    /** The plan's text, once planned (shown by the console's query detail). */
    public Optional<String> plan()
    {
        return Optional.ofNullable(plan);
    }

    public void setPlan(String plan)
    {
        this.plan = requireNonNull(plan, "plan is null");
    }

    /** What each stage did, once the engine finished the query (empty before, and for other statements). */
    public List<java.util.Map<String, Object>> stages()
    {
        return stages;
    }

    public void setStages(List<java.util.Map<String, Object>> stages)
    {
        this.stages = List.copyOf(stages);
    }

    public boolean isCanceled()
    {
        return canceled.get();
    }

    public long createdMillis()
    {
        return createdMillis;
    }

    public long elapsedMillis()
    {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return (end - createdNanos) / 1_000_000;
    }

    public Object lock()
    {
        return lock;
    }

    public long token()
    {
        return token;
    }

    public void setResponse(long token, Object response)
    {
        this.token = token;
        this.lastResponse = response;
    }

    public Object lastResponse()
    {
        return lastResponse;
    }

    /** Runs the statement on the calling thread until all pages are handed to the buffer. */
    public void run(StatementRunner runner, RowEncoder encoder)
    {
        thread = Thread.currentThread();
        try {
            state = QueryState.PLANNING;
            StatementResult statementResult = runner.run(this);
            result = statementResult;
            List<List<Object>> page = new ArrayList<>();
            // the engine's results come as pages of JSON written from the vectors; the last is held back
            // to go out with the end of the query
            ResultPage pending = null;
            try {
                columns = statementResult.columns();
                state = QueryState.RUNNING;
                var rows = statementResult.rows();
                while (!canceled.get() && rows.hasNext()) {
                    Object row = rows.next();
                    if (row instanceof ResultPage encoded) {
                        if (pending != null) {
                            offer(pending);
                        }
                        pending = encoded;
                        continue;
                    }
                    page.add(encoder.encode(columns, row));
                    if (page.size() >= PAGE_ROWS) {
                        offer(new ResultPage.Values(page));
                        page = new ArrayList<>();
                    }
                }
            }
            finally {
                statementResult.resources().close();
            }
            if (canceled.get()) {
                throw new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled");
            }
            // nothing can fail any more: the client that takes the last page is told the query is over
            state = QueryState.FINISHING;
            if (pending != null) {
                lastPage = pending;
                offer(pending);
            }
            else if (!page.isEmpty()) {
                ResultPage last = new ResultPage.Values(page);
                lastPage = last;
                offer(last);
            }
            producerDone = true;
            pages.offer(END);
        }
        catch (Throwable t) {
            fail(t);
        }
        finally {
            thread = null;
        }
    }

    private void offer(ResultPage page)
            throws InterruptedException
    {
        stats.outputRows.addAndGet(page.rowCount());
        while (!canceled.get()) {
            if (pages.offer(page, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The next page of rows, waiting up to {@code waitMillis}; empty when none is ready yet or none is left. */
    public Optional<ResultPage> nextPage(long waitMillis)
            throws InterruptedException
    {
        ResultPage page = pages.poll();
        if (page == null && !isDrained()) {
            // the end of the query puts END, so a statement without rows answers at once
            page = pages.poll(waitMillis, TimeUnit.MILLISECONDS);
        }
        if (page == END) {
            page = null;
        }
        if ((page == null && isDrained() && state == QueryState.FINISHING) || (page != null && page == lastPage)) {
            finish();
        }
        return Optional.ofNullable(page);
    }

    private boolean isDrained()
    {
        return state == QueryState.FAILED || (producerDone && (pages.isEmpty() || pages.peek() == END));
    }

    private void finish()
    {
        if (!state.isDone()) {
            endNanos = System.nanoTime();
            state = QueryState.FINISHED;
        }
        notifyDone();
    }

    /** Runs {@code listener} once when the query finishes or fails (at once if it already has). */
    public void onDone(Runnable listener)
    {
        doneListeners.add(requireNonNull(listener, "listener is null"));
        if (state.isDone() && doneNotified.get()) {
            listener.run();
        }
    }

    public long endMillis()
    {
        long end = endNanos;
        return end == 0 ? 0 : createdMillis + (end - createdNanos) / 1_000_000;
    }

    private void notifyDone()
    {
        if (doneNotified.compareAndSet(false, true)) {
            for (Runnable listener : doneListeners) {
                try {
                    listener.run();
                }
                catch (RuntimeException e) {
                    LOG.warn("Query {}: a completion listener failed", id, e);
                }
            }
        }
    }

    public void cancel()
    {
        if (canceled.compareAndSet(false, true)) {
            if (!state.isDone()) {
                fail(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled"));
            }
            Thread running = thread;
            if (running != null) {
                running.interrupt();
            }
        }
    }

    /**
     * Ends the query with {@code reason} (a limit it exceeded) and interrupts the thread running it, so
     * its execution stops and frees its memory.
     */
    public void abort(GlauxException reason)
    {
        fail(reason);
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    public void fail(Throwable t)
    {
        GlauxException failure = toGlauxException(t);
        synchronized (this) {
            if (state.isDone()) {
                return;
            }
            error = failure;
            endNanos = System.nanoTime();
            state = QueryState.FAILED;
        }
        notifyDone();
        pages.clear();
        pages.offer(END);
        if (failure.errorCode().category() == io.glaux.spi.error.ErrorCategory.INTERNAL_ERROR && failure.errorCode() != ErrorCode.WORKER_FAILED) {
            LOG.error("Query {} failed", id, t);
        }
        else {
            LOG.info("Query {} failed: {} {}", id, failure.errorCode(), failure.getMessage());
        }
    }

    /** Finds the Glaux error in a cause chain (Calcite's generated code wraps exceptions). */
    public static GlauxException toGlauxException(Throwable t)
    {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof GlauxException glaux) {
                return glaux;
            }
        }
        if (t instanceof InterruptedException) {
            return new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", t);
        }
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof StackOverflowError) {
                // deeply nested expressions recurse in the validator and planner: the statement's fault, not the server's
                return new GlauxException(ErrorCode.NOT_SUPPORTED, "Statement is too large (stack overflow while planning or running it)", t);
            }
        }
        if (t instanceof ArithmeticException) {
            return new GlauxException(ErrorCode.DIVISION_BY_ZERO, "Division by zero", t);
        }
        if (t instanceof NumberFormatException) {
            return new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Cannot cast value: " + t.getMessage(), t);
        }
        if (t instanceof OutOfMemoryError) {
            return new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Query exceeded the coordinator's memory", t);
        }
        return new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Internal error: " + t, t);
    }
}
