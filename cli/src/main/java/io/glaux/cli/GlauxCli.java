package io.glaux.cli;

import io.glaux.cli.output.OutputFormat;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/**
 * {@code glaux sql}: the command-line client. Runs the statements of {@code -e} or {@code -f} (or of a
 * script on standard input), or an interactive console when standard input is a terminal. See
 * {@link CliOptions#USAGE} for the options.
 *
 * <p>Exit codes: 0 when every statement succeeded, 1 when one failed or the coordinator could not be
 * reached, 2 for usage errors.
 */
public final class GlauxCli
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean systemStreams;
    private volatile QueryRunner runner;
    Duration progressDelay = ProgressReporter.DEFAULT_DELAY;

    GlauxCli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean systemStreams)
    {
        this.in = requireNonNull(in, "in is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.env = Map.copyOf(env);
        this.systemStreams = systemStreams;
    }

    public static void main(String[] args)
    {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs {@code glaux sql} with these arguments and streams; returns the exit code. Given the process's
     * own standard input, it may open the interactive console on the terminal, and until it returns a
     * shutdown hook cancels the running query (Ctrl-C in batch mode). Output to {@code System.out} is
     * buffered and flushed after each statement.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err)
    {
        boolean systemStreams = in == System.in;
        PrintStream bufferedOut = out == System.out
                ? new PrintStream(new BufferedOutputStream(out, 1 << 16), false, out.charset())
                : out;
        GlauxCli cli = new GlauxCli(in, bufferedOut, err, System.getenv(), systemStreams);
        Thread cancelOnExit = null;
        if (systemStreams) {
            cancelOnExit = Thread.ofPlatform().name("glaux-cancel").unstarted(cli::cancelRunning);
            Runtime.getRuntime().addShutdownHook(cancelOnExit);
        }
        try {
            return cli.execute(args);
        }
        finally {
            bufferedOut.flush();
            if (cancelOnExit != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cancelOnExit);
                }
                catch (IllegalStateException ignored) {
                    // The JVM is shutting down and the hook is running.
                }
            }
        }
    }

    int execute(String[] args)
    {
        try {
            return doExecute(args);
        }
        finally {
            out.flush();
            err.flush();
        }
    }

    void cancelRunning()
    {
        QueryRunner current = runner;
        if (current != null) {
            current.cancelRunning();
        }
    }

    private int doExecute(String[] args)
    {
        CliOptions options;
        try {
            options = CliOptions.parse(args, env);
        }
        catch (CliOptions.UsageException e) {
            err.println("glaux sql: " + e.getMessage());
            err.println("Try 'glaux sql --help' for the options.");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(CliOptions.USAGE);
            return EXIT_OK;
        }
        if (options.version()) {
            out.println("Glaux CLI " + HttpTransport.VERSION);
            return EXIT_OK;
        }

        String script = null;
        if (options.execute().isPresent()) {
            script = options.execute().get();
        }
        else if (options.file().isPresent()) {
            try {
                script = Files.readString(options.file().get(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                err.println("glaux sql: cannot read " + options.file().get() + ": " + e.getMessage());
                return EXIT_USAGE;
            }
        }
        boolean interactive = script == null && (options.interactive() || (systemStreams && stdinAndStdoutAreTerminal()));
        if (script == null && !interactive) {
            try {
                script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                err.println("glaux sql: cannot read standard input: " + e.getMessage());
                return EXIT_USAGE;
            }
        }

        Optional<String> authorization;
        try {
            authorization = options.password() ? Optional.of(CliOptions.basicAuthorization(options.user(), env, systemStreams)) : Optional.empty();
        }
        catch (CliOptions.UsageException e) {
            err.println("glaux sql: " + e.getMessage());
            return EXIT_USAGE;
        }
        HttpTransport transport;
        try {
            transport = HttpTransport.create(options.server(), new TlsOptions(options.truststore(), options.insecure()),
                    authorization, options.requestTimeout());
        }
        catch (ClientException e) {
            err.println("glaux sql: " + e.getMessage());
            return EXIT_USAGE;
        }

        ClientSession session = ClientSession.of(options.user(), options.catalog().orElse(null), options.schema().orElse(null))
                .withProperties(options.sessionProperties());
        try (transport) {
            if (interactive) {
                return runInteractive(options, transport, session);
            }
            return runBatch(options, transport, session, script);
        }
    }

    private int runBatch(CliOptions options, HttpTransport transport, ClientSession session, String script)
    {
        boolean progress = options.progress() || (systemStreams && TerminalProbe.stderrIsTerminal());
        IntSupplier width = systemStreams ? () -> TerminalProbe.columns(env.get("COLUMNS")) : () -> 0;
        QueryRunner batchRunner = new QueryRunner(transport, session, out, err, false, progress, width, options.debug(), progressDelay);
        runner = batchRunner;
        OutputFormat format = options.outputFormat().orElse(OutputFormat.CSV);

        StatementSplitter.Result split = StatementSplitter.split(script);
        List<StatementSplitter.Statement> statements = new ArrayList<>(split.statements());
        if (!split.remainder().isEmpty()) {
            statements.add(new StatementSplitter.Statement(split.remainder(), StatementSplitter.Terminator.SEMICOLON));
        }
        boolean failed = false;
        for (StatementSplitter.Statement statement : statements) {
            OutputFormat statementFormat = statement.terminator() == StatementSplitter.Terminator.VERTICAL ? OutputFormat.VERTICAL : format;
            if (!batchRunner.execute(statement.sql(), statementFormat)) {
                failed = true;
                if (!options.ignoreErrors()) {
                    break;
                }
            }
        }
        return failed ? EXIT_FAILED : EXIT_OK;
    }

    private int runInteractive(CliOptions options, HttpTransport transport, ClientSession session)
    {
        Terminal terminal;
        try {
            terminal = systemStreams
                    ? TerminalBuilder.builder().name("glaux").system(true).nativeSignals(true).build()
                    : TerminalBuilder.builder().name("glaux").system(false).streams(in, out).type(Terminal.TYPE_DUMB).build();
        }
        catch (IOException e) {
            err.println("glaux sql: cannot open the terminal: " + e.getMessage());
            return EXIT_FAILED;
        }
        try (terminal) {
            boolean progress = options.progress() || (systemStreams && TerminalProbe.stderrIsTerminal());
            QueryRunner consoleRunner = new QueryRunner(transport, session, out, err, true, progress, terminal::getColumns,
                    options.debug(), progressDelay);
            runner = consoleRunner;
            OutputFormat format = options.outputFormat().orElse(OutputFormat.ALIGNED);
            return new InteractiveConsole(terminal, consoleRunner, format, options.historyFile(), out, err).run();
        }
        catch (IOException e) {
            err.println("glaux sql: terminal error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    private static boolean stdinAndStdoutAreTerminal()
    {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
