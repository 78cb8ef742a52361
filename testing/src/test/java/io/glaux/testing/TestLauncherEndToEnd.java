package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code glaux demo} as a real process tree (demo JVM + 2 worker JVMs), queried with {@code glaux sql}
 * processes: results, error exit codes, a SIGKILLed worker, and a restart that reuses the data.
 */
class TestLauncherEndToEnd
{
    @TempDir
    Path dataDir;

    private Process demo;

    @AfterEach
    void stop()
            throws InterruptedException
    {
        if (demo != null) {
            stopDemo();
        }
    }

    @Test
    void demoServesQueriesSurvivesWorkerLossAndRestarts()
            throws Exception
    {
        int port = LauncherProcesses.freePort();
        List<String> demoArgs = List.of("demo", "--data-dir", dataDir.toString(), "--port", String.valueOf(port),
                "--s3-port", String.valueOf(LauncherProcesses.freePort()), "--metastore-port", String.valueOf(LauncherProcesses.freePort()), "--rows-per-day", "20000");
        List<String> output = startDemo(demoArgs);
        assertThat(String.join("\n", output)).contains("generating sample access logs").contains("jdbc:trino://localhost:" + port);

        // the workers joined with one-time tokens: no CA key in their directories; their configuration
        // (the object store's secret, the token) is readable by its owner only
        for (String node : List.of("worker-1", "worker-2")) {
            assertThat(dataDir.resolve(node).resolve("tls").resolve(node + ".pem")).exists();
            assertThat(dataDir.resolve(node).resolve("tls").resolve("ca-key.pem")).doesNotExist();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(
                    dataDir.resolve(node).resolve("tls").resolve(node + "-key.pem")))).isEqualTo("rw-------");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(
                    dataDir.resolve("etc").resolve(node + ".properties")))).isEqualTo("rw-------");
        }
        assertThat(dataDir.resolve("tls").resolve("ca-key.pem")).exists();

        String server = "https://localhost:" + port;
        String ca = dataDir.resolve("tls").resolve("ca.pem").toString();
        Result result = glaux("sql", "--server", server, "--truststore", ca, "--schema", "web", "--output-format", "CSV",
                "-e", "SELECT count(*) FROM access_logs; SELECT dt, count(*) FROM access_logs GROUP BY dt ORDER BY dt");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("\"60000\"").contains("\"2024-03-01\",\"20000\"").contains("\"2024-03-03\",\"20000\"");

        Result failed = glaux("sql", "--server", server, "--truststore", ca, "-e", "SELECT nope FROM web.access_logs");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).contains("nope");

        // SIGKILL one worker: the next query that needs it fails fast and names it; the one after runs on the survivor
        ProcessHandle worker = demo.descendants()
                .filter(process -> process.info().commandLine().orElse("").contains("-Dglaux.node-id=worker-1 "))
                .findFirst().orElseThrow(() -> new AssertionError("no worker-1 process among " + demo.descendants()
                        .map(process -> process.pid() + ": " + process.info()).toList()));
        worker.destroyForcibly();
        worker.onExit().get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        Result lost = glaux("sql", "--server", server, "--truststore", ca, "-e", "SELECT count(*), sum(bytes) FROM web.access_logs");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(lost.exitCode()).as(lost.toString()).isEqualTo(1);
        assertThat(lost.stderr()).contains("worker-1");
        assertThat(seconds).isLessThan(15);
        Result recovered = glaux("sql", "--server", server, "--truststore", ca, "--output-format", "CSV", "-e", "SELECT count(*) FROM web.access_logs");
        assertThat(recovered.exitCode()).as(recovered.toString()).isZero();
        assertThat(recovered.stdout()).contains("\"60000\"");

        // a second start reuses the data directory
        stopDemo();
        long restart = System.nanoTime();
        List<String> second = startDemo(demoArgs);
        assertThat(String.join("\n", second)).doesNotContain("generating sample access logs");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - restart)).isLessThan(60);
        Result again = glaux("sql", "--server", server, "--truststore", ca, "--output-format", "CSV", "-e", "SELECT count(*) FROM web.access_logs");
        assertThat(again.stdout()).contains("\"60000\"");
    }

    private List<String> startDemo(List<String> args)
            throws Exception
    {
        Process[] started = new Process[1];
        try {
            return LauncherProcesses.startServing(args, "demo", started);
        }
        finally {
            demo = started[0];
        }
    }

    private void stopDemo()
            throws InterruptedException
    {
        List<ProcessHandle> children = demo.descendants().toList();
        demo.destroy();
        if (!demo.waitFor(30, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
        demo = null;
    }

    record Result(int exitCode, String stdout, String stderr) {}

    private static Result glaux(String... args)
            throws Exception
    {
        Process process = new ProcessBuilder(LauncherProcesses.command(List.of(args))).start();
        process.getOutputStream().close();
        StringBuilder err = new StringBuilder();
        Thread stderr = Thread.ofVirtual().start(() -> {
            try {
                err.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            catch (IOException ignored) {
                // process ended
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        stderr.join();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("glaux " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), out, err.toString());
    }
}
