package io.glaux.cli;

import java.io.PrintStream;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The live progress line on stderr: once a statement has run for a second, a background thread
 * rewrites {@code Query <id>, RUNNING, 3/10 splits, 1.2M rows, 34.5MB, 12.3s} in place with {@code \r}
 * until {@link #stop()}, which erases it so results start on a clean line.
 */
final class ProgressReporter
{
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

    private static final ProgressReporter DISABLED = new ProgressReporter(null, null, 0);

    private final StatementClient client;
    private final PrintStream err;
    private final int width;
    private final Object lock = new Object();
    private boolean stopped;
    private int printed;
    private Thread thread;

    private ProgressReporter(StatementClient client, PrintStream err, int width)
    {
        this.client = client;
        this.err = err;
        this.width = width;
    }

    static ProgressReporter disabled()
    {
        return DISABLED;
    }

    /**
     * Starts reporting on {@code client}.
     *
     * @param width terminal width to stay within, 0 if unknown
     */
    static ProgressReporter start(StatementClient client, PrintStream err, int width, Duration delay, Duration interval)
    {
        ProgressReporter reporter = new ProgressReporter(requireNonNull(client, "client is null"), requireNonNull(err, "err is null"), width);
        reporter.thread = Thread.ofPlatform().daemon().name("glaux-progress").start(() -> reporter.run(delay, interval));
        return reporter;
    }

    private void run(Duration delay, Duration interval)
    {
        long wakeUp = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            while (!stopped) {
                long waitMillis = (wakeUp - System.nanoTime()) / 1_000_000;
                if (waitMillis > 0) {
                    try {
                        lock.wait(waitMillis);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                if (client.isFinished()) {
                    return;
                }
                render(StatsFormat.progressLine(client.queryId(), client.stats()));
                wakeUp = System.nanoTime() + interval.toNanos();
            }
        }
    }

    private void render(String line)
    {
        if (width > 0 && line.length() >= width) {
            line = line.substring(0, width - 1);
        }
        err.print("\r" + line + " ".repeat(Math.max(0, printed - line.length())));
        err.flush();
        printed = line.length();
    }

    /** Stops reporting and erases the line; idempotent. */
    void stop()
    {
        if (this == DISABLED) {
            return;
        }
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            lock.notifyAll();
            if (printed > 0) {
                err.print("\r" + " ".repeat(printed) + "\r");
                err.flush();
                printed = 0;
            }
        }
        try {
            thread.join(1000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
