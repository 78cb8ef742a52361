package io.glaux.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The launcher ({@code io.glaux.launcher.Glaux}) as separate JVM processes, for end-to-end tests. */
final class LauncherProcesses
{
    /** What the launcher prints once a long-running command (demo, metastore) serves. */
    private static final String READY = "Serving until Ctrl-C";

    private LauncherProcesses() {}

    /** The command line running the launcher with {@code args}, on this JVM and class path. */
    static List<String> command(List<String> args)
    {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx1g");
        command.add("-Dlog4j2.configurationFile=classpath:glaux-log4j2.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.glaux.launcher.Glaux");
        command.addAll(args);
        return command;
    }

    /**
     * Starts a long-running launcher command and waits until it serves; returns its output so far.
     * Fails naming {@code what} with the output when the process ends or 180 s pass first.
     */
    static List<String> startServing(List<String> args, String what, Process[] started)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command(args)).redirectErrorStream(true).start();
        started[0] = process;
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (IOException ignored) {
                // process ended
            }
        });
        List<String> output = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                output.add(line);
                if (line.contains(READY)) {
                    return output;
                }
            }
            else if (!process.isAlive()) {
                break;
            }
        }
        throw new AssertionError(what + " did not become ready:\n" + String.join("\n", output));
    }

    static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
