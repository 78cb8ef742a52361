package io.glaux.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.glaux.cli.CannedTrinoServer.afterCancel;
import static io.glaux.cli.CannedTrinoServer.delayed;
import static io.glaux.cli.CannedTrinoServer.page;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code glaux sql} end to end (arguments, output, exit codes) against the canned HTTPS server. */
class GlauxCliTest
{
    private static final String ONE_COLUMN = """
            "columns": [{"name": "_col0", "type": "integer", "typeSignature": {"rawType": "integer", "arguments": []}}]""";

    private CannedTrinoServer server;
    @TempDir
    Path temp;

    @BeforeEach
    void setUp()
    {
        server = CannedTrinoServer.start();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    record Outcome(int exitCode, String out, String err) {}

    private Outcome run(String input, String... args)
    {
        return run(cli -> {}, input, args);
    }

    private Outcome run(java.util.function.Consumer<GlauxCli> configure, String input, String... args)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("--server", server.uri().toString(),
                "--truststore", TestTls.localhost().certificatePem().toString(), "--user", "tester",
                "--history-file", temp.resolve("history").toString()));
        arguments.addAll(List.of(args));
        InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        GlauxCli cli = new GlauxCli(in, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("USER", "tester", "HOME", temp.toString()), false);
        configure.accept(cli);
        int exitCode = cli.execute(arguments.toArray(String[]::new));
        return new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void scriptValue(String sql, String id, int value)
    {
        server.on(sql, id)
                .then(page("""
                        {"stats": {"state": "QUEUED"}}"""))
                .then(page("""
                        {%s, "data": [[%d]], "stats": {"state": "FINISHED", "nodes": 1, "totalSplits": 1, "completedSplits": 1,
                         "processedRows": 1, "processedBytes": 8, "elapsedTimeMillis": 20}}""".formatted(ONE_COLUMN, value)));
    }

    private void scriptFailure(String sql, String id, int line, int column)
    {
        server.on(sql, id)
                .then(page("""
                        {"stats": {"state": "QUEUED"}}"""))
                .then(page("""
                        {"stats": {"state": "FAILED"},
                         "error": {"message": "line %d:%d: Column 'x' cannot be resolved", "errorCode": 47,
                                   "errorName": "COLUMN_NOT_FOUND", "errorType": "USER_ERROR",
                                   "errorLocation": {"lineNumber": %d, "columnNumber": %d}}}""".formatted(line, column, line, column)));
    }

    @Test
    void executesStatementsAsCsvByDefault()
    {
        scriptValue("SELECT 1", "q1", 1);
        scriptValue("SELECT 2", "q2", 2);

        Outcome outcome = run("", "-e", "SELECT 1; SELECT 2");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).isEqualTo("\"1\"\n\"2\"\n");
        assertThat(outcome.err()).isEmpty();
        assertThat(server.requests("POST")).extracting(CannedTrinoServer.Recorded::body).containsExactly("SELECT 1", "SELECT 2");
        assertThat(server.requests("POST").getFirst().header("X-Trino-User")).contains("tester");
    }

    @Test
    void outputFormatOption()
    {
        scriptValue("SELECT 1", "q1", 1);
        assertThat(run("", "-e", "SELECT 1", "--output-format", "ALIGNED").out()).isEqualTo("""
                 _col0
                -------
                     1
                (1 row)
                """);
        scriptValue("SELECT 1", "q1b", 1);
        assertThat(run("", "-e", "SELECT 1", "--output-format", "json").out()).isEqualTo("{\"_col0\":1}\n");
        scriptValue("SELECT 1", "q1c", 1);
        assertThat(run("", "-e", "SELECT 1\\G").out()).isEqualTo("-[ RECORD 1 ]-\n_col0 | 1\n");
    }

    @Test
    void failedStatementExitsWithOneAndPointsAtTheError()
    {
        scriptFailure("SELECT a,\n  x FROM t", "q3", 2, 3);
        scriptValue("SELECT 2", "q4", 2);

        Outcome outcome = run("", "-e", "SELECT a,\n  x FROM t; SELECT 2");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).isEqualTo("""
                Query q3 failed: line 2:3: Column 'x' cannot be resolved
                LINE 2:3:   x FROM t
                            ^
                """);
        assertThat(server.requests("POST")).hasSize(1);
    }

    @Test
    void ignoreErrorsGoesOnButStillExitsWithOne()
    {
        scriptFailure("SELECT x", "q5", 1, 8);
        scriptValue("SELECT 2", "q6", 2);

        Outcome outcome = run("", "--ignore-errors", "-e", "SELECT x; SELECT 2;");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.out()).isEqualTo("\"2\"\n");
        assertThat(server.requests("POST")).hasSize(2);
    }

    @Test
    void runsAFile()
            throws Exception
    {
        scriptValue("-- a script\nSELECT 1", "q7", 1);
        scriptValue("SELECT ';' -- not the end;", "q8", 2);
        Path file = temp.resolve("script.sql");
        Files.writeString(file, "-- a script\nSELECT 1;\n\nSELECT ';' -- not the end;\n;\n-- done\n");

        Outcome outcome = run("", "-f", file.toString(), "--output-format", "CSV_HEADER");

        assertThat(outcome.exitCode()).as(outcome.err()).isZero();
        assertThat(outcome.out()).isEqualTo("\"_col0\"\n\"1\"\n\"_col0\"\n\"2\"\n");
    }

    @Test
    void readsAScriptFromStandardInputWhenNotInteractive()
    {
        scriptValue("SELECT 1", "q9", 1);
        Outcome outcome = run("SELECT 1;\n");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).isEqualTo("\"1\"\n");
    }

    @Test
    void useChangesCatalogAndSchemaForLaterStatements()
    {
        server.on("USE tpch.tiny", "q10")
                .then(page("""
                        {"updateType": "USE", "stats": {"state": "FINISHED"}}""",
                        "X-Trino-Set-Catalog: tpch", "X-Trino-Set-Schema: tiny"));
        scriptValue("SELECT 1", "q11", 1);

        Outcome outcome = run("", "-e", "USE tpch.tiny; SELECT 1", "--session", "query_max_run_time=1h");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.err()).isEqualTo("USE\n");
        List<CannedTrinoServer.Recorded> posts = server.requests("POST");
        assertThat(posts.get(0).header("X-Trino-Catalog")).contains("hive");
        assertThat(posts.get(0).header("X-Trino-Schema")).contains("default");
        assertThat(posts.get(0).header("X-Trino-Session")).contains("query_max_run_time=1h");
        assertThat(posts.get(1).header("X-Trino-Catalog")).contains("tpch");
        assertThat(posts.get(1).header("X-Trino-Schema")).contains("tiny");
    }

    @Test
    void updateCountIsSummarized()
    {
        server.on("INSERT INTO t SELECT 1", "q12")
                .then(page("""
                        {"stats": {"state": "RUNNING"}}"""))
                .then(page("""
                        {"updateType": "INSERT", "columns": [{"name": "rows", "type": "bigint"}], "data": [[3]],
                         "stats": {"state": "FINISHED"}}"""));
        Outcome outcome = run("", "-e", "INSERT INTO t SELECT 1");
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).isEqualTo("INSERT: 3 rows\n");
    }

    @Test
    void unreachableCoordinatorExitsWithOne()
    {
        Outcome outcome = run("", "-e", "SELECT 1", "--server", "https://127.0.0.1:1");
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("Error running command: Cannot connect to https://127.0.0.1:1");
    }

    @Test
    void untrustedCertificateExplainsWhatToDo()
    {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = GlauxCli.run(new String[] {"--server", server.uri().toString(), "-e", "SELECT 1"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TLS handshake").contains("--truststore").contains("--insecure");
    }

    @Test
    void usageErrorsExitWithTwo()
    {
        Outcome unknown = run("", "--frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("glaux sql: Unknown option: --frobnicate\nTry 'glaux sql --help' for the options.\n");
        assertThat(run("", "-e", "SELECT 1", "-f", "x.sql").exitCode()).isEqualTo(2);
        assertThat(run("", "--output-format", "XML", "-e", "SELECT 1").exitCode()).isEqualTo(2);
        Outcome missingFile = run("", "-f", temp.resolve("missing.sql").toString());
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.err()).startsWith("glaux sql: cannot read ");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void helpAndVersion()
    {
        Outcome help = run("", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: glaux sql [options]").contains("--output-format").contains("Exit codes");
        Outcome version = run("", "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("Glaux CLI ");
    }

    @Test
    void showsAndClearsTheProgressLine()
    {
        server.on("SELECT slow", "q13")
                .then(page("""
                        {"stats": {"state": "RUNNING", "totalSplits": 4, "completedSplits": 1, "processedRows": 1500,
                                   "processedBytes": 2048, "elapsedTimeMillis": 1500}}"""))
                .then(delayed(Duration.ofMillis(700), """
                        {%s, "data": [[1]], "stats": {"state": "FINISHED", "totalSplits": 4, "completedSplits": 4}}"""
                        .formatted(ONE_COLUMN)));

        Outcome outcome = run(cli -> cli.progressDelay = Duration.ofMillis(50), "", "--progress", "-e", "SELECT slow");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).isEqualTo("\"1\"\n");
        String line = "Query q13, RUNNING, 1/4 splits, 1.5K rows, 2KB, 1.5s";
        assertThat(outcome.err()).startsWith("\r" + line).endsWith("\r" + " ".repeat(line.length()) + "\r");
    }

    @Test
    void cancellingTheRunningQuerySendsDelete()
            throws Exception
    {
        server.on("SELECT forever", "q14")
                .then(page("""
                        {"stats": {"state": "RUNNING"}}"""))
                .then(afterCancel("""
                        {"stats": {"state": "FAILED"}, "error": {"message": "Query was canceled"}}"""));
        GlauxCli[] cli = new GlauxCli[1];
        // Run it on its own thread like a real main thread (the common pool would starve the HTTP client).
        CompletableFuture<Outcome> running = new CompletableFuture<>();
        Thread.ofPlatform().name("glaux-main").start(() -> running.complete(run(created -> cli[0] = created, "", "-e", "SELECT forever")));
        server.awaitRequest("GET", "/v1/statement/executing/q14/1", Duration.ofSeconds(10));

        cli[0].cancelRunning();

        Outcome outcome = running.get(10, TimeUnit.SECONDS);
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err()).isEqualTo("Query q14 aborted by user\n");
        assertThat(server.requests("DELETE")).extracting(CannedTrinoServer.Recorded::path).containsExactly("/v1/statement/executing/q14/1");
    }

    @Test
    void interactiveConsoleRunsMultiLineStatementsAndKeepsHistory()
            throws Exception
    {
        scriptValue("SELECT\n1", "q15", 1);
        server.on("USE tpch.tiny", "q16")
                .then(page("""
                        {"updateType": "USE", "stats": {"state": "FINISHED"}}""",
                        "X-Trino-Set-Catalog: tpch", "X-Trino-Set-Schema: tiny"));
        scriptFailure("SELECT x", "q17", 1, 8);

        Outcome outcome = run("SELECT\n1;\nhelp\nUSE tpch.tiny;\nSELECT x;\nquit\n", "--interactive");

        assertThat(outcome.exitCode()).isZero();
        // The dumb terminal echoes input and ends lines with \r\n.
        assertThat(outcome.out().replace("\r", ""))
                .contains("glaux:default> ")
                .contains("glaux:default> SELECT\n            -> 1;\n")
                .contains("""
                         _col0
                        -------
                             1
                        (1 row)
                        """)
                .contains("QUIT or EXIT")
                .contains("USE\n")
                .contains("glaux:tiny> ");
        assertThat(outcome.err())
                .contains("Query q15, FINISHED, 1 node\nSplits: 1 total, 1 done (100.00%)\n0.02 [1 rows, 8B] [50 rows/s, 400B/s]\n")
                .contains("Query q17 failed: line 1:8: Column 'x' cannot be resolved\nLINE 1:8: SELECT x\n                 ^\n");
        assertThat(server.requests("POST")).extracting(CannedTrinoServer.Recorded::body).containsExactly("SELECT\n1", "USE tpch.tiny", "SELECT x");
        assertThat(Files.readString(temp.resolve("history"))).contains("USE tpch.tiny;").contains("quit");
    }

    @Test
    void interactiveConsoleEndsAtEndOfInput()
    {
        Outcome outcome = run("", "--interactive");
        assertThat(outcome.exitCode()).isZero();
        assertThat(server.requests()).isEmpty();
    }
}
