package io.glaux.cli;

import io.glaux.cli.output.OutputFormat;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The interactive console: a JLine line editor with the prompt {@code glaux:<schema>>}, multi-line
 * statements ended by {@code ;} (or {@code \G} for vertical output), persistent history, and the
 * commands {@code quit}, {@code exit} and {@code help}. Ctrl-C cancels the running query (or clears
 * the line at the prompt); Ctrl-D at the prompt leaves.
 */
final class InteractiveConsole
{
    static final String HELP = """
            Commands:
              QUIT or EXIT              leave (Ctrl-D works too)
              HELP                      show this text
            End a statement with ';' to run it, or with '\\G' to show its rows vertically.
            A statement may span several lines. Ctrl-C cancels a running query, or clears the line.
            Useful statements:
              USE catalog.schema        change the default catalog and schema
              SHOW CATALOGS / SHOW SCHEMAS / SHOW TABLES
              DESCRIBE table
              EXPLAIN query
            """;

    private final Terminal terminal;
    private final QueryRunner runner;
    private final OutputFormat format;
    private final Path historyFile;
    private final PrintStream out;
    private final PrintStream err;

    InteractiveConsole(Terminal terminal, QueryRunner runner, OutputFormat format, Path historyFile, PrintStream out, PrintStream err)
    {
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.format = requireNonNull(format, "format is null");
        this.historyFile = requireNonNull(historyFile, "historyFile is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** Reads and runs statements until quit, exit or end of input; returns the exit code (0). */
    int run()
    {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("glaux")
                .parser(new SqlLineParser())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.BLINK_MATCHING_PAREN, 0)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
                .build();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> runner.cancelRunning());
        try {
            while (true) {
                String prompt = prompt();
                reader.setVariable(LineReader.SECONDARY_PROMPT_PATTERN, " ".repeat(Math.max(0, prompt.length() - 3)) + "-> ");
                String line;
                try {
                    line = reader.readLine(prompt);
                }
                catch (UserInterruptException e) {
                    continue;
                }
                catch (EndOfFileException e) {
                    out.println();
                    return 0;
                }
                if (!handle(line)) {
                    return 0;
                }
            }
        }
        finally {
            terminal.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            }
            catch (IOException e) {
                err.println("Cannot save history to " + historyFile + ": " + e.getMessage());
            }
        }
    }

    /** Runs the statements and commands of one accepted input; false to leave the console. */
    private boolean handle(String line)
    {
        StatementSplitter.Result split = StatementSplitter.split(line);
        List<StatementSplitter.Statement> statements = new ArrayList<>(split.statements());
        if (!split.remainder().isEmpty()) {
            statements.add(new StatementSplitter.Statement(split.remainder(), StatementSplitter.Terminator.SEMICOLON));
        }
        for (StatementSplitter.Statement statement : statements) {
            String command = SqlLineParser.command(statement.sql());
            if (command != null) {
                if (command.equals("help")) {
                    out.print(HELP);
                    out.println();
                    out.flush();
                    continue;
                }
                return false;
            }
            runner.execute(statement.sql(),
                    statement.terminator() == StatementSplitter.Terminator.VERTICAL ? OutputFormat.VERTICAL : format);
        }
        return true;
    }

    private String prompt()
    {
        return runner.session().schema().map(schema -> "glaux:" + schema + "> ").orElse("glaux> ");
    }
}
