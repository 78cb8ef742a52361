package io.glaux.coordinator.console;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.query.Query;
import io.glaux.spi.error.GlauxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Writes every query (from any client) to the history when it starts and when it ends, on a thread
 * of its own so the protocol never waits for the database. The console's own catalog look-ups
 * ({@value #METADATA_SOURCE}) are not history.
 */
public final class QueryHistoryRecorder
        implements AutoCloseable
{
    /** The {@code X-Trino-Source} of the console's catalog and completion look-ups. */
    public static final String METADATA_SOURCE = "glaux-console-metadata";

    private static final Logger LOG = LoggerFactory.getLogger(QueryHistoryRecorder.class);

    private final HistoryStore store;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("console-history").daemon().factory());

    public QueryHistoryRecorder(HistoryStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    /** Records {@code query} now and again when it ends. */
    public void submitted(Query query)
    {
        if (query.session().source().equals(METADATA_SOURCE)) {
            return;
        }
        write(query);
        query.onDone(() -> write(query));
        // the bytes of tasks a LIMIT cancelled are told after the query answered (QueryStats#addLateProcessedBytes)
        query.stats().onLateProcessedBytes(() -> {
            if (query.state().isDone()) {
                write(query);
            }
        });
    }

    private void write(Query query)
    {
        HistoryEntry entry = entry(query);
        writer.execute(() -> {
            try {
                store.upsert(entry);
            }
            catch (RuntimeException e) {
                LOG.warn("Cannot record query {} in the console history", entry.queryId(), e);
            }
        });
    }

    static HistoryEntry entry(Query query)
    {
        Optional<GlauxException> error = query.error();
        long end = query.endMillis();
        return new HistoryEntry(
                query.id(),
                query.session().user(),
                query.session().source(),
                query.session().catalog(),
                query.session().schema(),
                query.sql(),
                query.state().name(),
                error.map(e -> e.errorCode().name()),
                error.map(GlauxException::getMessage),
                query.createdMillis(),
                end == 0 ? Optional.empty() : Optional.of(end),
                query.stats().outputRows.get(),
                query.stats().processedBytes.get(),
                query.stats().processedRows.get());
    }

    /** Waits for the pending writes (a test reads the database right after a query). */
    @Override
    public void close()
    {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                writer.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
