package io.glaux.launcher.demo;

import io.glaux.catalog.embedded.EmbeddedMetastore;
import io.glaux.cli.GlauxCli;
import io.glaux.coordinator.Coordinator;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.launcher.objectstore.EmbeddedObjectStore;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code glaux demo}: an embedded stack on loopback. The object store and the metastore run in this
 * process, next to the coordinator; the two workers are separate JVMs. The first start generates
 * the sample logs (1,020,000 rows over 3 days); later starts reuse the data directory.
 */
public final class DemoCommand
{
    public static final String ACCESS_KEY = "glaux";
    public static final String SECRET_KEY = "glaux-demo-secret";
    public static final String SAMPLE_QUERY = """
            SELECT status, count(*) AS requests, sum(bytes) AS total_bytes, round(avg(latency), 4) AS avg_latency
            FROM web.access_logs
            WHERE dt BETWEEN '2024-03-01' AND '2024-03-03'
            GROUP BY status
            ORDER BY requests DESC""";

    private DemoCommand() {}

    public static void run(String[] args)
            throws Exception
    {
        Path dataDir = Path.of("data");
        int port = 8443;
        int s3Port = 9878;
        int metastorePort = 9083;
        int workers = 2;
        int rowsPerDay = 340_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--s3-port" -> s3Port = Integer.parseInt(args[++i]);
                case "--metastore-port" -> metastorePort = Integer.parseInt(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--rows-per-day" -> rowsPerDay = Integer.parseInt(args[++i]);
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Unknown demo option " + args[i]);
            }
        }
        dataDir = dataDir.toAbsolutePath();
        Files.createDirectories(dataDir.resolve("logs"));
        long start = System.nanoTime();
        List<Process> processes = new ArrayList<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            processes.forEach(Process::destroy);
            for (int i = closeables.size() - 1; i >= 0; i--) {
                try {
                    closeables.get(i).close();
                }
                catch (Exception ignored) {
                    // shutting down
                }
            }
            stop.countDown();
        }, "demo-shutdown"));

        System.out.println("Starting Glaux demo in " + dataDir);
        EmbeddedObjectStore objectStore = EmbeddedObjectStore.start(dataDir.resolve("s3"), s3Port, ACCESS_KEY, SECRET_KEY);
        closeables.add(objectStore);
        System.out.println("  object store   " + objectStore.endpoint() + " (S3Proxy, files under " + dataDir.resolve("s3") + ")");
        EmbeddedMetastore metastore = EmbeddedMetastore.start(dataDir.resolve("metastore"), metastorePort);
        closeables.add(metastore);
        System.out.println("  metastore      " + metastore.uri() + " (Hive metastore, Derby under " + dataDir.resolve("metastore") + ")");

        Map<String, String> config = new HashMap<>();
        config.put(CoordinatorConfig.HTTP_PORT, String.valueOf(port));
        config.put(CoordinatorConfig.TLS_DIR, dataDir.resolve("tls").toString());
        config.put(CoordinatorConfig.METASTORE_URI, metastore.uri());
        config.put(CoordinatorConfig.S3_ENDPOINT, objectStore.endpoint().toString());
        config.put(CoordinatorConfig.S3_ACCESS_KEY, ACCESS_KEY);
        config.put(CoordinatorConfig.S3_SECRET_KEY, SECRET_KEY);
        config.put(CoordinatorConfig.DEFAULT_SCHEMA, DemoDataset.SCHEMA);
        // the demo listens on loopback only and lets anyone in (docs/security.md turns authentication on)
        config.put("http-server.authentication.allow-anonymous", "true");
        Coordinator coordinator = Coordinator.start(CoordinatorConfig.fromProperties(config));
        closeables.add(coordinator);
        System.out.println("  coordinator    https://localhost:" + coordinator.httpsPort());

        Path marker = dataDir.resolve("demo-data.ready");
        if (!Files.exists(marker)) {
            System.out.printf("  generating sample access logs (%,d rows over 3 days) ...%n", 3L * rowsPerDay);
            Path work = dataDir.resolve("generated");
            DemoDataset.create(coordinator.objectStore(), coordinator.catalog(), work, DemoDataset.BUCKET, DemoDataset.SCHEMA, DemoDataset.TABLE, 3, rowsPerDay, 2);
            DemoDataset.deleteRecursively(work);
            Files.writeString(marker, "s3://" + DemoDataset.BUCKET + "/" + DemoDataset.PREFIX + "\n");
        }

        for (int i = 1; i <= workers; i++) {
            // each worker gets its certificate with a one-time join token: the CA key stays in the coordinator's tls directory
            String token = coordinator.joinTokens().mint(java.time.Duration.ofMinutes(10), 1, java.util.Optional.of("worker-" + i)).token();
            processes.add(startWorker(dataDir, i, coordinator.httpsPort(), objectStore.endpoint().toString(), token));
        }
        waitForWorkers(coordinator, workers, processes);
        System.out.printf("  %d workers      separate JVMs, Arrow Flight over mutual TLS (logs in %s)%n", workers, dataDir.resolve("logs"));
        System.out.printf("Ready in %.1f s%n%n", (System.nanoTime() - start) / 1e9);

        Path ca = dataDir.resolve("tls").resolve("ca.pem");
        String server = "https://localhost:" + coordinator.httpsPort();
        System.out.println("Sample query:\n" + SAMPLE_QUERY.indent(2));
        GlauxCli.run(new String[] {"--server", server, "--truststore", ca.toString(), "--schema", DemoDataset.SCHEMA, "--output-format", "ALIGNED", "-e", SAMPLE_QUERY},
                new ByteArrayInputStream(new byte[0]), System.out, System.err);
        System.out.println();
        System.out.println("Console:  " + server + "/ui/");
        System.out.println("CLI:      ./glaux sql --server " + server + " --truststore " + ca + " --schema " + DemoDataset.SCHEMA);
        System.out.println("JDBC:     URL    jdbc:trino://localhost:" + coordinator.httpsPort() + "/hive/" + DemoDataset.SCHEMA
                + "?SSL=true&SSLTrustStorePath=" + ca);
        System.out.println("          driver io.trino.jdbc.TrinoDriver (io.trino:trino-jdbc), user: any name, no password");
        System.out.println("\nServing until Ctrl-C.");
        stop.await();
    }

    private static Process startWorker(Path dataDir, int index, int coordinatorPort, String s3Endpoint, String joinToken)
            throws IOException
    {
        Properties properties = new Properties();
        properties.setProperty("node.id", "worker-" + index);
        properties.setProperty("node.data-dir", dataDir.resolve("worker-" + index).toString());
        // the worker's own directory: its key and certificate (from the coordinator, for the join token), never the CA key
        properties.setProperty("tls.dir", dataDir.resolve("worker-" + index).resolve("tls").toString());
        properties.setProperty("tls.join-token", joinToken);
        properties.setProperty("flight.port", "0");
        properties.setProperty("coordinator.uri", "https://127.0.0.1:" + coordinatorPort);
        properties.setProperty("s3.endpoint", s3Endpoint);
        properties.setProperty("s3.access-key", ACCESS_KEY);
        properties.setProperty("s3.secret-key", SECRET_KEY);
        Path etc = dataDir.resolve("etc");
        Files.createDirectories(etc);
        Path file = etc.resolve("worker-" + index + ".properties");
        writeOwnerOnly(file, properties, "Glaux demo worker " + index);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // first, so that ps (and tests) can tell the workers apart despite the long class path
        command.add("-Dglaux.node-id=worker-" + index);
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("--sun-misc") || argument.startsWith("--enable-native-access")) {
                command.add(argument);
            }
        }
        command.add("-Xmx2g");
        command.add("-XX:+UseParallelGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.glaux.worker.WorkerMain");
        command.add("--config");
        command.add(file.toString());
        Path log = dataDir.resolve("logs").resolve("worker-" + index + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
    }

    /**
     * Writes a properties file that holds secrets (the object store's secret key, a join token) readable
     * and writable by its owner only (mode 0600), from its creation on.
     */
    static void writeOwnerOnly(Path file, Properties properties, String comment)
            throws IOException
    {
        Files.deleteIfExists(file);
        if (Files.getFileAttributeView(file.getParent(), java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, comment);
        }
    }

    private static void waitForWorkers(Coordinator coordinator, int count, List<Process> processes)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (coordinator.nodeManager().activeWorkers().size() < count) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new GlauxException(ErrorCode.NO_NODES_AVAILABLE, "A worker process exited with code " + process.exitValue() + "; see data/logs/worker-*.log");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new GlauxException(ErrorCode.NO_NODES_AVAILABLE, "Workers did not announce themselves within 60 s; see data/logs/worker-*.log");
            }
            Thread.sleep(100);
        }
    }
}
