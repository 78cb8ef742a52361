package io.glaux.cli;

import io.glaux.cli.output.OutputFormat;
import io.glaux.cli.output.OutputPrinter;
import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Runs statements one after the other in one session and prints their results, errors and (when
 * asked) progress. Keeps the session up to date ({@code USE}, {@code SET SESSION}, ...).
 * {@link #cancelRunning()} may be called from another thread (Ctrl-C).
 */
final class QueryRunner
{
    private static final int OUTPUT_CHECK_INTERVAL = 1024;

    private final HttpTransport transport;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private final boolean progress;
    private final IntSupplier terminalWidth;
    private final boolean debug;
    private final Duration progressDelay;
    private final AtomicReference<StatementClient> running = new AtomicReference<>();
    private volatile ClientSession session;

    QueryRunner(HttpTransport transport, ClientSession session, PrintStream out, PrintStream err,
            boolean interactive, boolean progress, IntSupplier terminalWidth, boolean debug, Duration progressDelay)
    {
        this.transport = requireNonNull(transport, "transport is null");
        this.session = requireNonNull(session, "session is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.interactive = interactive;
        this.progress = progress;
        this.terminalWidth = requireNonNull(terminalWidth, "terminalWidth is null");
        this.debug = debug;
        this.progressDelay = requireNonNull(progressDelay, "progressDelay is null");
    }

    ClientSession session()
    {
        return session;
    }

    /** Cancels the statement running now, if any. */
    void cancelRunning()
    {
        StatementClient client = running.get();
        if (client != null) {
            client.cancel();
        }
    }

    /** Runs {@code sql} and prints its outcome; true if it succeeded. */
    boolean execute(String sql, OutputFormat format)
    {
        StatementClient client;
        try {
            client = StatementClient.execute(transport, session, sql);
        }
        catch (ClientException e) {
            err.println("Error running command: " + e.getMessage());
            return false;
        }
        running.set(client);
        ProgressReporter reporter = progress
                ? ProgressReporter.start(client, err, terminalWidth.getAsInt(), progressDelay, ProgressReporter.DEFAULT_INTERVAL)
                : ProgressReporter.disabled();
        try (client) {
            return print(client, format, reporter);
        }
        catch (ClientException e) {
            reporter.stop();
            out.flush();
            err.println("Error running command: " + e.getMessage());
            return false;
        }
        finally {
            reporter.stop();
            running.set(null);
        }
    }

    private boolean print(StatementClient client, OutputFormat format, ProgressReporter reporter)
    {
        Iterator<List<Object>> rows = client.rows();
        boolean more;
        try {
            more = rows.hasNext();
        }
        finally {
            reporter.stop();
        }

        boolean outputBroken = false;
        OptionalLong updateRows = OptionalLong.empty();
        OutputPrinter printer = null;
        Optional<List<Column>> columns = client.columns();
        if (client.updateType().isPresent() || columns.isEmpty()) {
            // DDL and DML: the rows (if any) carry the update count, which the summary shows.
            while (more) {
                List<Object> row = rows.next();
                if (updateRows.isEmpty() && row.size() == 1 && row.getFirst() instanceof Number number) {
                    updateRows = OptionalLong.of(number.longValue());
                }
                more = rows.hasNext();
            }
        }
        else {
            printer = format.createPrinter(columns.get(), out);
            long count = 0;
            while (more) {
                printer.printRow(rows.next());
                if (++count % OUTPUT_CHECK_INTERVAL == 0 && out.checkError()) {
                    // Output closed (e.g. piped into head): stop the query quietly.
                    outputBroken = true;
                    client.cancel();
                    break;
                }
                more = rows.hasNext();
            }
        }

        boolean success = !client.isCancelled() && client.error().isEmpty();
        if (printer != null && !outputBroken) {
            printer.finish(success);
        }
        out.flush();

        if (outputBroken) {
            return true;
        }
        if (client.isCancelled()) {
            err.println("Query " + client.queryId() + " aborted by user");
            return false;
        }
        if (client.error().isPresent()) {
            for (String line : ErrorRenderer.render(client.queryId(), client.error().get(), client.query(), debug)) {
                err.println(line);
            }
            if (interactive) {
                err.println();
            }
            return false;
        }

        session = client.updateSession(session);
        if (client.updateType().isPresent()) {
            OptionalLong count = client.updateCount().isPresent() ? client.updateCount() : updateRows;
            String summary = client.updateType().get()
                    + (count.isPresent() ? ": " + count.getAsLong() + (count.getAsLong() == 1 ? " row" : " rows") : "");
            (interactive ? out : err).println(summary);
            out.flush();
        }
        if (interactive) {
            err.println();
            StatsFormat.summary(client.queryId(), client.stats()).forEach(err::println);
            err.println();
        }
        return true;
    }
}
