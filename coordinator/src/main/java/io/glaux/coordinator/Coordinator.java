package io.glaux.coordinator;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.hive.HiveMetastoreCatalog;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.coordinator.execution.WorkerClients;
import io.glaux.coordinator.metrics.MetricsHandler;
import io.glaux.coordinator.metadata.HiveCatalogSchema;
import io.glaux.coordinator.metadata.SystemCatalogSchema;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.protocol.ProtocolHandler;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.coordinator.server.HttpsServer;
import io.glaux.coordinator.statement.SqlStatementRunner;
import io.glaux.engine.exchange.TlsMaterial;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.jdbc.CalciteSchema;

import java.util.List;

/**
 * The coordinator: serves the Trino protocol over HTTPS, plans with Calcite against the Hive
 * metastore, and runs scans on the workers that announce themselves.
 */
public final class Coordinator
        implements AutoCloseable
{
    private static final char[] KEYSTORE_PASSWORD = "glaux-coordinator".toCharArray();

    static {
        // Calcite compiles each plan to Java with Janino; identical plans (a dashboard's repeated
        // queries, metadata calls) reuse the compiled class instead of paying ~50 ms again.
        // Read once, when Calcite's properties are first loaded: before any Calcite class is used.
        if (System.getProperty("calcite.bindable.cache.maxSize") == null) {
            System.setProperty("calcite.bindable.cache.maxSize", "1000");
        }
    }

    private final BufferAllocator allocator;
    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final NodeManager nodeManager;
    private final WorkerClients workerClients;
    private final QueryManager queryManager;
    private final HttpsServer server;
    private final TlsMaterial tls;

    private Coordinator(CoordinatorConfig config)
            throws Exception
    {
        requireNonNull(config, "config is null");
        tls = TlsMaterial.loadOrCreate(config.tlsDir(), "coordinator", List.of());
        allocator = new RootAllocator();
        catalog = new HiveMetastoreCatalog(config.metastore());
        objectStore = new ObjectStore(ObjectStoreConfig.of(config.s3Endpoint(), config.s3AccessKey(), config.s3SecretKey()).withRegion(config.s3Region()));
        nodeManager = new NodeManager(config.workerExpiry());
        workerClients = new WorkerClients(tls, allocator);

        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        root.add(config.catalogName(), new HiveCatalogSchema(config.catalogName(), catalog));
        root.add(SystemCatalogSchema.NAME, new SystemCatalogSchema(config.catalogName(), catalog));
        SqlStatementRunner runner = new SqlStatementRunner(root, catalog, objectStore, nodeManager, workerClients, allocator,
                config.catalogName(), config.maxSplitSize());
        queryManager = new QueryManager(runner);
        ProtocolHandler handler = new ProtocolHandler(queryManager, nodeManager, config.catalogName(), config.defaultSchema());
        server = new HttpsServer(config.httpHost(), config.httpPort(), tls.keyStore(KEYSTORE_PASSWORD), KEYSTORE_PASSWORD, tls.trustStore(),
                new MetricsHandler(handler, queryManager, nodeManager, allocator));
    }

    public static Coordinator start(CoordinatorConfig config)
            throws Exception
    {
        Coordinator coordinator = new Coordinator(config);
        try {
            coordinator.server.start();
        }
        catch (Exception e) {
            coordinator.close();
            throw e;
        }
        return coordinator;
    }

    public int httpsPort()
    {
        return server.port();
    }

    public NodeManager nodeManager()
    {
        return nodeManager;
    }

    public Catalog catalog()
    {
        return catalog;
    }

    public ObjectStore objectStore()
    {
        return objectStore;
    }

    public TlsMaterial tls()
    {
        return tls;
    }

    @Override
    public void close()
    {
        try (allocator; catalog; objectStore; workerClients; queryManager; server) {
            // closed in reverse order: server first, allocator last
        }
    }
}
