package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the unmodified Trino CLI jar as a client process against a test cluster, with CSV output. */
final class TrinoCliProcess
{
    static final Path JAR = Path.of("target", "trino-cli.jar");

    record Result(int exitCode, String out, String err) {}

    private TrinoCliProcess() {}

    static Result run(TestCluster cluster, List<String> options, String sql)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-jar", JAR.toString(),
                "--server", cluster.serverUri(),
                "--truststore-path", cluster.caCertificate().toString(),
                "--catalog", "hive",
                "--schema", "web",
                "--output-format", "CSV"));
        command.addAll(options);
        command.add("--execute");
        command.add(sql);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        // read stderr on its own thread so that neither pipe fills up and blocks the CLI
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out, err.get(60, TimeUnit.SECONDS));
    }
}
