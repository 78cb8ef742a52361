package io.glaux.testing;

import io.glaux.catalog.embedded.EmbeddedMetastore;
import io.glaux.coordinator.Coordinator;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.coordinator.security.AuthenticationConfig;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.launcher.objectstore.EmbeddedObjectStore;
import io.glaux.worker.WorkerMain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An in-process Glaux cluster on loopback with real parts: S3Proxy (filesystem backend), the real
 * Hive metastore (Derby), the coordinator over HTTPS, and workers serving Arrow Flight over mutual TLS.
 * It loads the generated access-log table {@code hive.web.access_logs}. {@link #withExternalMetastore}
 * points the coordinator at a metastore running elsewhere instead of starting one.
 */
public final class TestCluster
        implements AutoCloseable
{
    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret-key";

    private final Path dataDir;
    private final EmbeddedObjectStore objectStore;
    private final EmbeddedMetastore metastore;
    private final Map<String, String> coordinatorConfig;
    private volatile Coordinator coordinator;
    private final List<WorkerMain.Handle> workers = new ArrayList<>();
    private final Map<String, String> coordinatorProperties;

    private TestCluster(Path dataDir, int workerCount, int rowsPerDay, int filesPerDay, Map<String, String> externalMetastore)
            throws Exception
    {
        this(dataDir, workerCount, rowsPerDay, filesPerDay, externalMetastore, Map.of());
    }

    private TestCluster(Path dataDir, int workerCount, int rowsPerDay, int filesPerDay, Map<String, String> externalMetastore, Map<String, String> coordinatorProperties)
            throws Exception
    {
        this.dataDir = dataDir;
        this.coordinatorProperties = Map.copyOf(coordinatorProperties);
        objectStore = EmbeddedObjectStore.start(dataDir.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
        metastore = externalMetastore.isEmpty() ? EmbeddedMetastore.start(dataDir.resolve("metastore"), 0) : null;
        Map<String, String> config = new HashMap<>();
        config.put(CoordinatorConfig.HTTP_PORT, "0");
        config.put(CoordinatorConfig.TLS_DIR, dataDir.resolve("tls").toString());
        if (metastore != null) {
            config.put(CoordinatorConfig.METASTORE_URI, metastore.uri());
        }
        config.putAll(externalMetastore);
        config.put(CoordinatorConfig.S3_ENDPOINT, objectStore.endpoint().toString());
        config.put(CoordinatorConfig.S3_ACCESS_KEY, ACCESS_KEY);
        config.put(CoordinatorConfig.S3_SECRET_KEY, SECRET_KEY);
        config.put(CoordinatorConfig.DEFAULT_SCHEMA, DemoDataset.SCHEMA);
        config.put(AuthenticationConfig.ALLOW_ANONYMOUS, "true");
        config.putAll(coordinatorProperties);
        coordinatorConfig = config;
        coordinator = Coordinator.start(CoordinatorConfig.fromProperties(config));
        for (int i = 1; i <= workerCount; i++) {
            addWorker("worker-" + i);
        }
        if (rowsPerDay > 0) {
            DemoDataset.create(coordinator.objectStore(), coordinator.catalog(), dataDir.resolve("generated"), DemoDataset.BUCKET,
                    DemoDataset.SCHEMA, DemoDataset.TABLE, 3, rowsPerDay, filesPerDay);
        }
        waitForWorkers(workerCount);
    }

    public static TestCluster start(Path dataDir, int workers, int rowsPerDay, int filesPerDay)
            throws Exception
    {
        Files.createDirectories(dataDir);
        return new TestCluster(dataDir, workers, rowsPerDay, filesPerDay, Map.of());
    }

    /**
     * A cluster whose coordinator also reads {@code coordinatorProperties} (authentication, limits, ...);
     * they override the defaults, which allow anonymous access.
     */
    public static TestCluster withCoordinatorProperties(Path dataDir, int workers, int rowsPerDay, int filesPerDay, Map<String, String> coordinatorProperties)
            throws Exception
    {
        Files.createDirectories(dataDir);
        return new TestCluster(dataDir, workers, rowsPerDay, filesPerDay, Map.of(), coordinatorProperties);
    }

    /**
     * A cluster whose coordinator uses the metastore that {@code metastoreProperties} name
     * ({@code hive.metastore.uri} and any other {@code hive.metastore*} keys) instead of starting one.
     */
    public static TestCluster withExternalMetastore(Path dataDir, int workers, int rowsPerDay, int filesPerDay, Map<String, String> metastoreProperties)
            throws Exception
    {
        if (!metastoreProperties.containsKey(CoordinatorConfig.METASTORE_URI)) {
            throw new IllegalArgumentException("metastoreProperties need " + CoordinatorConfig.METASTORE_URI);
        }
        Files.createDirectories(dataDir);
        return new TestCluster(dataDir, workers, rowsPerDay, filesPerDay, Map.copyOf(metastoreProperties));
    }

    /** Starts a worker whose configuration also has {@code properties} (limits, spill settings, ...), which override the defaults. */
    public WorkerMain.Handle addWorker(String nodeId, Map<String, String> properties)
    {
        Properties configuration = workerProperties(nodeId);
        properties.forEach(configuration::setProperty);
        WorkerMain.Handle handle = WorkerMain.start(configuration);
        workers.add(handle);
        return handle;
    }

    public WorkerMain.Handle addWorker(String nodeId)
    {
        WorkerMain.Handle handle = WorkerMain.start(workerProperties(nodeId));
        workers.add(handle);
        return handle;
    }

    /**
     * The configuration {@link #addWorker} starts a worker with: its own data and TLS directories and a
     * fresh one-time join token ({@code tls.join-token}) for {@code nodeId}.
     */
    public Properties workerProperties(String nodeId)
    {
        Properties properties = new Properties();
        properties.setProperty("node.id", nodeId);
        properties.setProperty("node.data-dir", dataDir.resolve(nodeId).toString());
        // the worker's own TLS directory: it gets its certificate with a one-time join token and never
        // sees the CA key, which stays in the coordinator's
        properties.setProperty("tls.dir", dataDir.resolve(nodeId).resolve("tls").toString());
        properties.setProperty("tls.join-token", coordinator.joinTokens().mint(java.time.Duration.ofMinutes(10), 1, java.util.Optional.of(nodeId)).token());
        properties.setProperty("flight.port", "0");
        properties.setProperty("coordinator.uri", "https://127.0.0.1:" + coordinator.httpsPort());
        properties.setProperty("coordinator.announce-interval", "200ms");
        properties.setProperty("s3.endpoint", objectStore.endpoint().toString());
        properties.setProperty("s3.access-key", ACCESS_KEY);
        properties.setProperty("s3.secret-key", SECRET_KEY);
        // an object store configured for the coordinator (endpoint, CA, SSE-C keys) is the workers' too
        coordinatorProperties.forEach((key, value) -> {
            if (key.startsWith("s3.")) {
                properties.setProperty(key, value);
            }
        });
        return properties;
    }

    public void waitForWorkers(int count)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (coordinator.nodeManager().activeWorkers().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers did not announce: " + coordinator.nodeManager().allWorkers());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops the coordinator and starts a new one on the same port and data directory (its query
     * history and saved queries persist); the workers announce themselves to it again.
     */
    public void restartCoordinator()
            throws Exception
    {
        int port = coordinator.httpsPort();
        coordinator.close();
        Map<String, String> config = new HashMap<>(coordinatorConfig);
        config.put(CoordinatorConfig.HTTP_PORT, String.valueOf(port));
        coordinator = Coordinator.start(CoordinatorConfig.fromProperties(config));
        waitForWorkers(workers.size());
    }

    public List<WorkerMain.Handle> workers()
    {
        return workers;
    }

    public Coordinator coordinator()
    {
        return coordinator;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /** Where the table's Parquet files lie on local disk (the object store's filesystem backend). */
    public Path tableDirectory()
    {
        return dataDir.resolve("s3").resolve(DemoDataset.BUCKET).resolve(DemoDataset.PREFIX);
    }

    public Path caCertificate()
    {
        return dataDir.resolve("tls").resolve("ca.pem");
    }

    public String serverUri()
    {
        return "https://localhost:" + coordinator.httpsPort();
    }

    public String jdbcUrl()
    {
        return "jdbc:trino://localhost:" + coordinator.httpsPort() + "/hive/" + DemoDataset.SCHEMA + "?SSL=true&SSLTrustStorePath=" + caCertificate();
    }

    public Connection jdbc()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "test");
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    public EmbeddedObjectStore objectStore()
    {
        return objectStore;
    }

    /** The embedded metastore; fails for a cluster {@link #withExternalMetastore with an external one}. */
    public EmbeddedMetastore metastore()
    {
        if (metastore == null) {
            throw new IllegalStateException("this cluster uses an external metastore");
        }
        return metastore;
    }

    @Override
    public void close()
    {
        for (WorkerMain.Handle worker : workers) {
            worker.close();
        }
        coordinator.close();
        if (metastore != null) {
            metastore.close();
        }
        objectStore.close();
    }
}
