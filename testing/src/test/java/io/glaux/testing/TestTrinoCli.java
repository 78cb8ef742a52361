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

/** The unmodified Trino CLI (476) as a client process against the coordinator. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTrinoCli
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
    void runsQueriesAndMetadataStatements()
            throws Exception
    {
        String out = trino("SELECT status, count(*) FROM access_logs WHERE status >= 500 GROUP BY status ORDER BY 1; SHOW TABLES; DESCRIBE access_logs");
        assertThat(out).contains("\"500\",\"").contains("\"502\",\"").contains("\"503\",\"")
                .contains("\"access_logs\"")
                .contains("\"status\",\"integer\"").contains("\"ts\",\"timestamp(3)\"");
    }

    @Test
    void showsFunctionsAndMetadataTables()
            throws Exception
    {
        String out = trino("SHOW FUNCTIONS LIKE 'lower'; SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'web';"
                + " SELECT current_catalog, current_schema");
        assertThat(out).contains("\"lower\",\"varchar\",\"varchar\",\"scalar\",\"true\",\"")
                .contains("\"access_logs\",\"BASE TABLE\"")
                .contains("\"hive\",\"web\"");
    }

    @Test
    void reportsErrorsWithPosition()
            throws Exception
    {
        List<String> command = command("SELECT nope FROM access_logs");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(out).contains("line 1:8").contains("nope");
    }

    private String trino(String sql)
            throws Exception
    {
        Process process = new ProcessBuilder(command(sql)).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        return out;
    }

    private List<String> command(String sql)
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
        command.add("--execute");
        command.add(sql);
        return command;
    }
}
