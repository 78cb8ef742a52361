package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceProvider;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.engine.exchange.NodeKeys;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.config.ConfigFiles;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a worker process: {@code WorkerMain --config etc/worker.properties}. It loads (or creates) the
 * node's TLS material, starts the Flight server, prints {@code worker <id> listening on <uri>} and
 * announces itself to the coordinator every two seconds until the process stops.
 */
public final class WorkerMain
{
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args)
    {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            }
            else if (args[i].startsWith("--config=")) {
                configFile = Path.of(args[i].substring("--config=".length()));
            }
            else {
                System.err.println("usage: worker --config etc/worker.properties");
                System.exit(2);
            }
        }
        if (configFile == null) {
            configFile = Path.of("etc", "worker.properties");
        }
        Handle handle;
        try {
            handle = start(loadProperties(configFile));
        }
        catch (GlauxException | IOException e) {
            System.err.println("worker failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM (docker stop, a Kubernetes pod deletion): drain, then exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            handle.shutdownGracefully();
            stopped.countDown();
        }, "glaux-worker-shutdown"));
        System.out.println("worker " + handle.nodeId() + " listening on " + handle.flightUri());
        System.out.flush();
        try {
            stopped.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The worker's properties file, with {@code ${ENV:NAME}} references replaced ({@link ConfigFiles}). */
    public static Properties loadProperties(Path file)
            throws IOException
    {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Cannot read configuration file " + file.toAbsolutePath());
        }
        return ConfigFiles.load(file);
    }

    /**
     * Starts a worker in this process, reading splits from the object store in {@code s3.*} with the
     * reader of each task's format ({@link FormatRegistry#standard}). Close the handle to stop it.
     */
    public static Handle start(Properties properties)
    {
        WorkerConfig config = WorkerConfig.fromProperties(properties);
        warnUnknownKeys(properties);
        ObjectStore objectStore = new ObjectStore(config.objectStore().orElseThrow(() ->
                new GlauxException(io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR, "Worker configuration has no " + WorkerConfig.S3_ENDPOINT)));
        try {
            return start(config, FormatRegistry.standard(objectStore), List.of(objectStore));
        }
        catch (RuntimeException e) {
            objectStore.close();
            throw e;
        }
    }

    /** Starts a worker in this process that opens the splits of every format with {@code pageSources} (for tests). */
    public static Handle start(WorkerConfig config, PageSourceFactory pageSources)
    {
        return start(config, PageSourceProvider.of(pageSources), List.of());
    }

    /** Starts a worker in this process that opens splits with the readers of {@code pageSources} (for tests and embedded use). */
    public static Handle start(WorkerConfig config, PageSourceProvider pageSources)
    {
        return start(config, pageSources, List.of());
    }

    private static Handle start(WorkerConfig config, PageSourceProvider pageSources, List<AutoCloseable> resources)
    {
        requireNonNull(config, "config is null");
        requireNonNull(pageSources, "pageSources is null");
        // process-wide: every reader of this worker decompresses within these limits
        io.glaux.connectors.compress.DecompressionLimits.configure(config.decompressionLimits());
        TlsMaterial tls = tlsMaterial(config);
        NodeKeys keys = NodeKeys.of(tls);
        BufferAllocator allocator = new RootAllocator();
        WorkerServer server;
        try {
            server = WorkerServer.start(config.serverOptions(), keys, pageSources, allocator);
        }
        catch (RuntimeException e) {
            allocator.close();
            throw e;
        }
        WorkerHttpServer http = null;
        AtomicBoolean shuttingDown = new AtomicBoolean();
        if (config.httpPort().isPresent()) {
            try {
                http = new WorkerHttpServer(config.httpHost(), config.httpPort().getAsInt(), server, shuttingDown::get);
            }
            catch (RuntimeException e) {
                server.close();
                allocator.close();
                throw new GlauxException(io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR, e.getMessage(), e);
            }
        }
        Announcer announcer = null;
        if (config.coordinatorUri().isPresent()) {
            announcer = new Announcer(config.coordinatorUri().get(), config.nodeId(), server.flightUri(), config.taskConcurrency(), keys.clientSslContext(),
                    config.announceInterval(), server.revocations());
            announcer.start();
        }
        else {
            log.info("Worker {}: no {} configured, not announcing", config.nodeId(), WorkerConfig.COORDINATOR_URI);
        }
        CertificateRenewal renewal = null;
        // a certificate the coordinator signed (no CA key here) is renewed through it before it expires
        if (config.coordinatorUri().isPresent() && !TlsMaterial.holdsCaKey(config.tlsDir())) {
            renewal = new CertificateRenewal(config.coordinatorUri().get(), keys, config.certificateHostNames(), java.time.Clock.systemUTC());
            renewal.start();
        }
        return new Handle(config, keys, server, Optional.ofNullable(http), shuttingDown, Optional.ofNullable(announcer), Optional.ofNullable(renewal), allocator, resources);
    }

    /**
     * The node's certificate: the files in {@code tls.dir} when they are usable (from the operator or an
     * earlier join); otherwise, with {@code tls.join-token}, a certificate from the coordinator (the key
     * pair is made here and the CA key never leaves the coordinator); otherwise one issued with the CA
     * key in {@code tls.dir} (a directory shared with the coordinator).
     */
    static TlsMaterial tlsMaterial(WorkerConfig config)
    {
        Optional<TlsMaterial> existing = TlsMaterial.loadExisting(config.tlsDir(), config.nodeId(), config.certificateHostNames());
        if (existing.isPresent()) {
            return existing.get();
        }
        // a certificate from an earlier join that expires within 30 days or lacks a host name: renewed
        // through the coordinator with the current one, keeping the node id (no token needed)
        Optional<TlsMaterial> current = TlsMaterial.loadCurrent(config.tlsDir(), config.nodeId());
        if (current.isPresent() && config.coordinatorUri().isPresent() && !TlsMaterial.holdsCaKey(config.tlsDir())) {
            return NodeJoin.renew(config.coordinatorUri().get(), current.get(), config.certificateHostNames());
        }
        if (config.joinToken().isPresent()) {
            URI coordinator = config.coordinatorUri().orElseThrow(() -> new GlauxException(io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR,
                    WorkerConfig.TLS_JOIN_TOKEN + " needs " + WorkerConfig.COORDINATOR_URI));
            return NodeJoin.join(coordinator, config.joinToken().get().value(), config.tlsDir(), config.nodeId(), config.certificateHostNames());
        }
        return TlsMaterial.loadOrCreate(config.tlsDir(), config.nodeId(), config.certificateHostNames());
    }

    private static void warnUnknownKeys(Properties properties)
    {
        Set<String> unknown = WorkerConfig.unknownKeys(properties);
        if (!unknown.isEmpty()) {
            log.warn("Ignoring unknown worker configuration keys: {}", unknown);
        }
    }

    /** A running worker. Closing it stops announcing, stops the server and releases its resources. */
    public static final class Handle
            implements AutoCloseable
    {
        private final WorkerConfig config;
        private final NodeKeys keys;
        private final WorkerServer server;
        private final Optional<WorkerHttpServer> http;
        private final AtomicBoolean shuttingDown;
        private final Optional<Announcer> announcer;
        private final Optional<CertificateRenewal> renewal;
        private final BufferAllocator allocator;
        private final List<AutoCloseable> resources;
        private boolean closed;

        private Handle(WorkerConfig config, NodeKeys keys, WorkerServer server, Optional<WorkerHttpServer> http, AtomicBoolean shuttingDown,
                Optional<Announcer> announcer, Optional<CertificateRenewal> renewal, BufferAllocator allocator, List<AutoCloseable> resources)
        {
            this.config = config;
            this.keys = keys;
            this.renewal = renewal;
            this.server = server;
            this.http = http;
            this.shuttingDown = shuttingDown;
            this.announcer = announcer;
            this.allocator = allocator;
            this.resources = new ArrayList<>(resources);
        }

        public String nodeId()
        {
            return config.nodeId();
        }

        public URI flightUri()
        {
            return server.flightUri();
        }

        public WorkerConfig config()
        {
            return config;
        }

        /** The certificate and key this worker presents now (a renewal replaces them while it runs). */
        public TlsMaterial tls()
        {
            return keys.material();
        }

        /** This worker's renewable certificate and key. */
        public NodeKeys keys()
        {
            return keys;
        }

        /** How many times this worker renewed its certificate while it ran. */
        public long certificateRenewals()
        {
            return renewal.map(CertificateRenewal::renewals).orElse(0L);
        }

        public WorkerServer server()
        {
            return server;
        }

        /** The port of the operations listener ({@code /v1/info}, {@code /metrics}), when configured. */
        public java.util.OptionalInt httpPort()
        {
            return http.map(server -> java.util.OptionalInt.of(server.port())).orElse(java.util.OptionalInt.empty());
        }

        /** The Prometheus text {@code /metrics} serves. */
        public String metrics()
        {
            return WorkerHttpServer.metrics(server, shuttingDown.get());
        }

        /**
         * Stops gracefully: withdraws from the coordinator (which then schedules nothing more here), lets
         * running tasks finish for up to {@code shutdown.grace-period}, then {@link #close()}s (tasks still
         * running then fail with WORKER_FAILED).
         */
        public void shutdownGracefully()
        {
            synchronized (this) {
                if (closed || !shuttingDown.compareAndSet(false, true)) {
                    return;
                }
            }
            log.info("Worker {} shutting down: withdrawing, waiting up to {} for {} running task(s)",
                    config.nodeId(), config.shutdownGracePeriod(), server.runningTasks());
            announcer.ifPresent(Announcer::withdraw);
            long deadline = System.nanoTime() + config.shutdownGracePeriod().toNanos();
            try {
                if (!server.awaitIdle(config.shutdownGracePeriod())) {
                    log.warn("Worker {}: {} task(s) still running after {}; stopping them", config.nodeId(), server.runningTasks(), config.shutdownGracePeriod());
                }
                // a finished task's last batches may still be on their way to the coordinator
                else if (!server.awaitCallsEnded(Duration.ofNanos(Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1))))) {
                    log.warn("Worker {}: results still being sent after {}; stopping", config.nodeId(), config.shutdownGracePeriod());
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }

        /** How many announcements the coordinator accepted (0 when no coordinator is configured). */
        public long announcements()
        {
            return announcer.map(Announcer::successes).orElse(0L);
        }

        @Override
        public synchronized void close()
        {
            if (closed) {
                return;
            }
            closed = true;
            shuttingDown.set(true);
            renewal.ifPresent(CertificateRenewal::close);
            announcer.ifPresent(Announcer::close);
            http.ifPresent(WorkerHttpServer::close);
            server.close();
            try {
                allocator.close();
            }
            catch (IllegalStateException e) {
                log.error("Worker {} leaked memory: {}", config.nodeId(), e.getMessage());
            }
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                }
                catch (Exception e) {
                    log.warn("Closing {} failed", resource, e);
                }
            }
        }
    }
}
