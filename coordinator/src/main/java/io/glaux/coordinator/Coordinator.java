package io.glaux.coordinator;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.hive.HiveMetastoreCatalog;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.coordinator.console.ConsoleApiHandler;
import io.glaux.coordinator.console.ConsoleAssets;
import io.glaux.coordinator.console.ConsoleAuthenticator;
import io.glaux.coordinator.console.HistoryStore;
import io.glaux.coordinator.console.QueryHistoryRecorder;
import io.glaux.coordinator.execution.WorkerClients;
import io.glaux.coordinator.metrics.MetricsHandler;
import io.glaux.coordinator.metadata.HiveCatalogSchema;
import io.glaux.coordinator.metadata.MetadataAccess;
import io.glaux.coordinator.metadata.SystemCatalogSchema;
import io.glaux.coordinator.security.AccessControl;
import io.glaux.coordinator.node.CoordinatorCertificates;
import io.glaux.coordinator.node.JoinTokenConfig;
import io.glaux.coordinator.node.JoinTokens;
import io.glaux.coordinator.node.JoinedNodes;
import io.glaux.coordinator.node.Revocations;
import io.glaux.coordinator.node.NodeJoinHandler;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.protocol.ProtocolHandler;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.coordinator.limits.QueryQueue;
import io.glaux.coordinator.limits.QueryWatchdog;
import io.glaux.coordinator.limits.RequestLimitHandler;
import io.glaux.coordinator.security.HeaderCheckHandler;
import io.glaux.coordinator.security.SecurityHandler;
import io.glaux.coordinator.server.HttpsServer;
import io.glaux.coordinator.statement.SqlStatementRunner;
import io.glaux.engine.exchange.NodeKeys;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.jdbc.CalciteSchema;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The coordinator: serves the Trino protocol over HTTPS, plans with Calcite against the Hive
 * metastore, and runs scans on the workers that announce themselves.
 */
public final class Coordinator
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final BufferAllocator allocator;
    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final NodeManager nodeManager;
    private final WorkerClients workerClients;
    private final QueryManager queryManager;
    private final SqlStatementRunner runner;
    private final HttpsServer server;
    private final NodeKeys keys;
    private final CoordinatorCertificates certificates;
    private final HistoryStore history;
    private final QueryHistoryRecorder recorder;
    private final QueryWatchdog watchdog;
    private final JoinTokens joinTokens;
    private final JoinedNodes joinedNodes;
    private final Revocations revocations;

    private Coordinator(CoordinatorConfig config)
            throws Exception
    {
        requireNonNull(config, "config is null");
        // its own certificate lives as long as the workers' (node.certificate-validity) and is renewed while it runs
        TlsMaterial tls = CoordinatorCertificates.initial(TlsMaterial.loadOrCreate(config.tlsDir(), "coordinator", List.of()), List.of(),
                config.nodeCertificateValidity());
        keys = NodeKeys.of(tls);
        // before anything that needs closing: a bad token file fails the start cleanly
        // the state of joins lives next to the CA key: only a coordinator holding it signs joins
        boolean signsJoins = TlsMaterial.holdsCaKey(tls.directory());
        joinTokens = new JoinTokens(java.time.Clock.systemUTC(), TlsMaterial.caPin(tls.caCertificateValue()),
                signsJoins ? java.util.Optional.of(tls.directory().resolve(JoinTokens.STATE_FILE_NAME)) : java.util.Optional.empty());
        joinedNodes = signsJoins ? JoinedNodes.open(tls.directory()) : JoinedNodes.inMemory();
        revocations = Revocations.open(tls.directory(), java.time.Clock.systemUTC());
        if (config.joinToken().isPresent()) {
            registerJoinToken(config.joinToken().get());
        }
        allocator = new RootAllocator();
        catalog = new HiveMetastoreCatalog(config.metastore());
        ObjectStoreConfig storeConfig = ObjectStoreConfig.of(config.s3Endpoint(), config.s3AccessKey(), config.s3SecretKey())
                .withRegion(config.s3Region())
                .withCustomerKeys(config.sseCustomerKeys());
        if (config.s3CaFile().isPresent()) {
            storeConfig = storeConfig.withTrustedCaFile(config.s3CaFile().get());
        }
        objectStore = new ObjectStore(storeConfig);
        nodeManager = new NodeManager(config.workerExpiry());
        workerClients = new WorkerClients(keys, allocator, revocations.list());
        // a revocation cuts off the coordinator's channels to the revoked node at once: its tasks in flight fail
        revocations.list().onChange(workerClients::dropRevoked);

        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        SystemCatalogSchema system = new SystemCatalogSchema(config.catalogName(), catalog, new RuntimeTables(config.httpHost(), config.authentication()),
                metadataAccess(config.accessControl()));
        root.add(config.catalogName(), new HiveCatalogSchema(config.catalogName(), catalog, java.util.Optional.of(system.informationSchema(config.catalogName())),
                new io.glaux.coordinator.metadata.TableStatistics(objectStore, catalog, io.glaux.coordinator.metadata.TableStatistics.TIME_BUDGET_NANOS)));
        root.add(SystemCatalogSchema.NAME, system);
        runner = new SqlStatementRunner(root, catalog, objectStore, nodeManager, workerClients, allocator,
                config.catalogName(), config.maxSplitSize(), config.maxMemoryPerNode(), config.spillPath(), config.accessControl(),
                config.joinMaxBroadcastTableSize());
        queryManager = new QueryManager(runner, new QueryQueue(config.limits(), config.accessControl()::groupsOf));
        long maxScanBytes = config.limits().maxScanBytes();
        queryManager.addListener(query -> query.stats().setMaxProcessedBytes(maxScanBytes));
        ProtocolHandler protocol = new ProtocolHandler(queryManager, nodeManager, config.catalogName(), config.defaultSchema(), revocations::toJson);
        history = openHistory(config);
        recorder = new QueryHistoryRecorder(history);
        queryManager.addListener(recorder::submitted);
        watchdog = new QueryWatchdog(queryManager, config.limits());
        Handler handler = new Handler.Sequence(
                new NodeJoinHandler(joinTokens, tls.directory(), joinedNodes,
                        nodeManager, revocations, nodeManager::remove, config.nodeCertificateValidity()),
                new ConsoleAssets(),
                new ConsoleApiHandler(history, queryManager, ConsoleAuthenticator.fromUserHeader(config.authentication().consoleMethod()), config.catalogName(), config.defaultSchema()),
                protocol);
        // authentication first: it replaces X-Trino-User with the authenticated user the console and the protocol read
        SecurityHandler security = new SecurityHandler(config.authentication(),
                queryId -> queryManager.get(queryId).map(query -> query.session().user()), revocations.list(), new RequestLimitHandler(watchdog, handler));
        // /metrics (counters only, no data) answers scrapers without credentials; everything else is behind authentication
        server = new HttpsServer(config.httpHost(), config.httpPort(), keys.clientSslContext(),
                new MetricsHandler(new HeaderCheckHandler(security), queryManager, nodeManager, allocator));
        server.setTlsProtocols(config.httpsProtocols(), config.httpsCipherSuites());
        certificates = new CoordinatorCertificates(keys, List.of(), config.nodeCertificateValidity(), java.time.Clock.systemUTC());
        // a CA rotation's promotion: new join tokens name the CA that now signs the coordinator's certificate
        certificates.onChange(material -> joinTokens.setCaPin(TlsMaterial.caPin(material.caCertificateValue())));
    }

    /** The operator's pre-provisioned join token ({@code node.join-token-file}); the coordinator also needs the CA key to sign joins. */
    private void registerJoinToken(JoinTokenConfig config)
    {
        java.nio.file.Path directory = keys.material().directory();
        if (!TlsMaterial.holdsCaKey(directory)) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, JoinTokenConfig.FILE + " is set, but " + directory.resolve("ca-key.pem")
                    + " does not exist: only a coordinator holding the CA key can sign the certificates of joining workers");
        }
        String id = joinTokens.register(config.readToken(), config.expires(), config.uses());
        if (config.expires().isBefore(java.time.Instant.now())) {
            LOG.warn("The join token {} of {} expired at {}: workers without a certificate cannot join until it is replaced", id, config.file(), config.expires());
        }
        else {
            LOG.info("Workers may join with the token {} of {} until {} ({} joins)", id, config.file(), config.expires(), config.uses());
        }
    }

    private static HistoryStore openHistory(CoordinatorConfig config)
    {
        try {
            return HistoryStore.open(config.consoleDir());
        }
        catch (GlauxException e) {
            LOG.warn("The console's query history is kept in memory only: {}", e.getMessage());
            return HistoryStore.inMemory();
        }
    }

    public static Coordinator start(CoordinatorConfig config)
            throws Exception
    {
        Coordinator coordinator = new Coordinator(config);
        try {
            coordinator.server.start();
            coordinator.certificates.start();
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

    /** Bytes the queries running on the coordinator hold now (0 when none runs). */
    public long reservedQueryMemory()
    {
        return runner.reservedQueryMemory();
    }

    /** The queries this coordinator knows, with the session (and so the user) each ran as. */
    public QueryManager queryManager()
    {
        return queryManager;
    }

    public ObjectStore objectStore()
    {
        return objectStore;
    }

    /** The console's query history. */
    public HistoryStore history()
    {
        return history;
    }

    /** The coordinator's certificate, key and trusted CAs as they are now (they change with a renewal or a reload). */
    public TlsMaterial tls()
    {
        return keys.material();
    }

    /** The coordinator's TLS identity, as its HTTPS server and Flight clients use it at each handshake. */
    public NodeKeys keys()
    {
        return keys;
    }

    /** Renews the coordinator's own certificate and takes up changed TLS files while it runs. */
    public CoordinatorCertificates certificates()
    {
        return certificates;
    }

    /** The revoked node certificates. */
    public Revocations revocations()
    {
        return revocations;
    }

    /** Which key joined as which node id. */
    public JoinedNodes joinedNodes()
    {
        return joinedNodes;
    }

    /** Mints the join tokens with which workers get their certificates ({@code POST /v1/node/join}). */
    public JoinTokens joinTokens()
    {
        return joinTokens;
    }

    @Override
    public void close()
    {
        try (allocator; catalog; objectStore; history; recorder; workerClients; queryManager; watchdog; server; certificates) {
            // closed in reverse order: server first, allocator last
        }
    }

    /** {@code system.runtime.queries} and {@code nodes}: the queries this coordinator knows, itself and the active workers. */
    private final class RuntimeTables
            implements SystemCatalogSchema.Runtime
    {
        private final String httpHost;
        private final io.glaux.coordinator.security.AuthenticationConfig authentication;

        RuntimeTables(String httpHost, io.glaux.coordinator.security.AuthenticationConfig authentication)
        {
            this.httpHost = httpHost;
            this.authentication = authentication;
        }

        @Override
        public List<SystemCatalogSchema.QueryInfo> queries()
        {
            List<SystemCatalogSchema.QueryInfo> queries = new java.util.ArrayList<>();
            for (io.glaux.coordinator.query.Query query : queryManager.all()) {
                boolean done = query.state().isDone();
                java.util.Optional<GlauxException> error = query.error();
                queries.add(new SystemCatalogSchema.QueryInfo(query.id(), query.state().name(), query.session().user(), query.session().source(),
                        query.sql(), query.createdMillis(), done ? java.util.Optional.of(query.endMillis()) : java.util.Optional.empty(),
                        error.map(e -> e.errorCode().category().name()), error.map(e -> e.errorCode().name())));
            }
            return queries;
        }

        @Override
        public boolean maySeeQueryOf(String viewer, String owner)
        {
            // as on /v1/query: the owner, an admin, or anyone when there is no authentication at all (the demo)
            return viewer.equals(owner) || authentication.adminUsers().contains(viewer)
                    || authentication.passwords().isEmpty() && authentication.jwt().isEmpty();
        }

        @Override
        public List<SystemCatalogSchema.NodeInfo> nodes()
        {
            List<SystemCatalogSchema.NodeInfo> nodes = new java.util.ArrayList<>();
            String version = io.glaux.coordinator.protocol.Version.VERSION;
            nodes.add(new SystemCatalogSchema.NodeInfo("coordinator", "https://" + httpHost + ":" + server.port(), version, true, "active"));
            for (NodeManager.WorkerNode worker : nodeManager.activeWorkers()) {
                nodes.add(new SystemCatalogSchema.NodeInfo(worker.nodeId(), worker.flightUri().toString(), version, false, "active"));
            }
            return nodes;
        }
    }

    /** What SHOW, information_schema and system.jdbc list for a user: what the access rules let them see. */
    private static MetadataAccess metadataAccess(AccessControl accessControl)
    {
        if (accessControl == AccessControl.allowAll()) {
            return MetadataAccess.ALLOW_ALL;
        }
        return new MetadataAccess()
        {
            @Override
            public boolean canSeeCatalog(String user, String catalog)
            {
                return !accessControl.filterCatalogs(user, java.util.List.of(catalog)).isEmpty();
            }

            @Override
            public boolean canSeeSchema(String user, String catalog, String schema)
            {
                return canSeeCatalog(user, catalog) && !accessControl.filterSchemas(user, catalog, java.util.List.of(schema)).isEmpty();
            }

            @Override
            public boolean canSeeTable(String user, String catalog, String schema, String table)
            {
                return !accessControl.filterTables(user, catalog, schema, java.util.List.of(table)).isEmpty();
            }
        };
    }
}
