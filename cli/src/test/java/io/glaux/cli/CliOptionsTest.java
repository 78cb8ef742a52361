package io.glaux.cli;

import io.glaux.cli.output.OutputFormat;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliOptionsTest
{
    private static final Map<String, String> ENV = Map.of("USER", "carol", "HOME", "/home/carol");

    private static CliOptions parse(String... args)
            throws CliOptions.UsageException
    {
        return CliOptions.parse(args, ENV);
    }

    @Test
    void defaults()
            throws Exception
    {
        CliOptions options = parse();
        assertThat(options.server()).isEqualTo(URI.create("https://localhost:8443"));
        assertThat(options.user()).isEqualTo("carol");
        assertThat(options.catalog()).contains("hive");
        assertThat(options.schema()).contains("default");
        assertThat(options.truststore()).isEmpty();
        assertThat(options.insecure()).isFalse();
        assertThat(options.execute()).isEmpty();
        assertThat(options.file()).isEmpty();
        assertThat(options.outputFormat()).isEmpty();
        assertThat(options.historyFile()).isEqualTo(Path.of("/home/carol/.glaux_history"));
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void valuesSeparateOrAfterEquals()
            throws Exception
    {
        CliOptions options = parse("--server", "http://coord:8080", "--user=dave", "--catalog", "tpch", "--schema=tiny",
                "-e", "SELECT 1; SELECT 2", "--output-format", "json", "--session", "query_max_run_time=1h",
                "--session=a=b=c", "--history-file", "/tmp/h", "--progress", "--debug", "--ignore-errors",
                "--request-timeout", "30s");
        assertThat(options.server()).isEqualTo(URI.create("http://coord:8080"));
        assertThat(options.user()).isEqualTo("dave");
        assertThat(options.catalog()).contains("tpch");
        assertThat(options.schema()).contains("tiny");
        assertThat(options.execute()).contains("SELECT 1; SELECT 2");
        assertThat(options.outputFormat()).contains(OutputFormat.JSON);
        assertThat(options.sessionProperties()).isEqualTo(Map.of("query_max_run_time", "1h", "a", "b=c"));
        assertThat(options.historyFile()).isEqualTo(Path.of("/tmp/h"));
        assertThat(options.progress()).isTrue();
        assertThat(options.debug()).isTrue();
        assertThat(options.ignoreErrors()).isTrue();
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void serverWithoutSchemeMeansHttps()
            throws Exception
    {
        assertThat(parse("--server", "coord.example:8443").server()).isEqualTo(URI.create("https://coord.example:8443"));
    }

    @Test
    void emptyCatalogAndSchemaMeanNone()
            throws Exception
    {
        CliOptions options = parse("--catalog", "", "--schema", "");
        assertThat(options.catalog()).isEmpty();
        assertThat(options.schema()).isEmpty();
    }

    @Test
    void durations()
            throws Exception
    {
        assertThat(CliOptions.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(CliOptions.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(CliOptions.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(CliOptions.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> CliOptions.parseDuration("soon")).isInstanceOf(CliOptions.UsageException.class);
        assertThatThrownBy(() -> CliOptions.parseDuration("0s")).isInstanceOf(CliOptions.UsageException.class);
    }

    @Test
    void usageErrors()
    {
        assertUsageError("Unknown option: --bogus", "--bogus");
        assertUsageError("Unexpected argument: SELECT 1", "SELECT 1");
        assertUsageError("Option --server needs a value", "--server");
        assertUsageError("Option --insecure takes no value", "--insecure=yes");
        assertUsageError("--execute and --file exclude each other", "-e", "SELECT 1", "-f", "x.sql");
        assertUsageError("--execute may be given once", "-e", "SELECT 1", "--execute", "SELECT 2");
        assertUsageError("--interactive excludes", "--interactive", "-e", "SELECT 1");
        assertUsageError("--insecure and --truststore exclude each other", "--insecure", "--truststore", "ca.pem");
        assertUsageError("Unknown output format: fancy (use one of ALIGNED, VERTICAL, CSV, CSV_HEADER, TSV, TSV_HEADER, JSON, NULL)",
                "--output-format", "fancy");
        assertUsageError("Invalid --server URL (needs https:// or http://)", "--server", "ftp://x");
        assertUsageError("--session needs NAME=VALUE", "--session", "novalue");
        assertUsageError("--schema needs a catalog", "--catalog", "");
        assertUsageError("Cannot read truststore file: /nonexistent/ca.pem", "--truststore", "/nonexistent/ca.pem");
        assertUsageError("--password needs an https server URL", "--server", "http://x:8080", "--password");
    }

    private static void assertUsageError(String message, String... args)
    {
        assertThatThrownBy(() -> parse(args))
                .isInstanceOf(CliOptions.UsageException.class)
                .hasMessageContaining(message);
    }
}
