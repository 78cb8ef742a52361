package io.glaux.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts a Java main class of this test classpath in a child JVM, as a real separate worker process. */
final class JavaProcesses
{
    private static final Pattern LISTENING = Pattern.compile("worker (\\S+) listening on (grpc\\+tls://\\S+)");

    private JavaProcesses() {}

    record Child(Process process, String nodeId, URI flightUri)
    {
        void kill(String signal)
                throws IOException, InterruptedException
        {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IOException("kill -" + signal + " " + process.pid() + " failed");
            }
        }

        void destroy()
                throws InterruptedException
        {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts {@code mainClass} and waits for its "worker &lt;id&gt; listening on &lt;uri&gt;" line. */
    static Child startWorker(Class<?> mainClass, List<String> args, Path stderr)
            throws Exception
    {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
        CompletableFuture<Child> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.matches()) {
                        // keep draining stdout so the child never blocks on a full pipe
                        Thread.ofPlatform().daemon().start(() -> {
                            try {
                                while (reader.readLine() != null) {
                                    // discard
                                }
                            }
                            catch (IOException ignored) {
                                // the process is gone
                            }
                        });
                        return new Child(process, matcher.group(1), URI.create(matcher.group(2)));
                    }
                }
                throw new IllegalStateException("worker process exited before listening");
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            return ready.get(60, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("worker process did not start; stderr in " + stderr, e);
        }
    }
}
