package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The unmodified Trino CLI's session: SHOW SESSION, SET SESSION within a run, and --session. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTrinoCliSession
{
    private static final Path CLI = Path.of("target", "trino-cli.jar");

    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        assertThat(CLI).exists();
        cluster = SharedCluster.get();
    }

    @Test
    void showSessionListsTheProperties()
            throws Exception
    {
        Result result = trino(List.of(), "SHOW SESSION");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("\"join_distribution_type\",\"AUTOMATIC\",\"AUTOMATIC\",\"varchar\",")
                .contains("\"query_max_memory\",\"20GB\",\"20GB\",\"varchar\",")
                .contains("\"query_max_run_time\",\"100d\",\"100d\",\"varchar\",")
                .contains("\"time_zone\",");
    }

    @Test
    void propertiesSetWithTheSessionOption()
            throws Exception
    {
        Result result = trino(List.of("--session", "join_distribution_type=BROADCAST", "--session", "query_max_run_time=30m"),
                "SHOW SESSION LIKE 'j%'; SHOW SESSION LIKE 'query_max_run%'; SELECT count(*) FROM access_logs");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("\"join_distribution_type\",\"BROADCAST\",\"AUTOMATIC\"")
                .contains("\"query_max_run_time\",\"30m\",\"100d\"")
                .contains("\"120000\"");
    }

    @Test
    void setSessionIsCarriedToTheNextStatements()
            throws Exception
    {
        Result result = trino(List.of(), "SET SESSION query_max_memory = '1GB'; SHOW SESSION LIKE 'query_max_memory'");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"query_max_memory\",\"1GB\",\"20GB\"");
    }

    @Test
    void anUnknownPropertyFailsWithItsName()
            throws Exception
    {
        Result result = trino(List.of("--session", "no_such_property=1"), "SELECT 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out() + result.err()).contains("Session property 'no_such_property' does not exist");
    }

    private record Result(int exitCode, String out, String err) {}

    private Result trino(List<String> options, String sql)
            throws Exception
    {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-jar");
        command.add(CLI.toString());
        command.add("--server");
        command.add(cluster.serverUri());
        command.add("--truststore-path");
        command.add(cluster.caCertificate().toString());
        command.add("--catalog");
        command.add("hive");
        command.add("--schema");
        command.add("web");
        command.add("--output-format");
        command.add("CSV");
        command.addAll(options);
        command.add("--execute");
        command.add(sql);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // read stderr on its own thread so that neither pipe fills up and blocks the CLI
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err.get(60, TimeUnit.SECONDS));
    }
}
