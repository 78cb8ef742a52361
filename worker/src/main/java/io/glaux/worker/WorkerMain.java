package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceProvider;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            handle.close();
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

    public static Properties loadProperties(Path file)
            throws IOException
    {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
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
        TlsMaterial tls = TlsMaterial.loadOrCreate(config.tlsDir(), config.nodeId(), config.certificateHostNames());
        BufferAllocator allocator = new RootAllocator();
        WorkerServer server;
        try {
            server = WorkerServer.start(config.serverOptions(), tls, pageSources, allocator);
        }
        catch (RuntimeException e) {
            allocator.close();
            throw e;
        }
        Announcer announcer = null;
        if (config.coordinatorUri().isPresent()) {
            announcer = new Announcer(config.coordinatorUri().get(), config.nodeId(), server.flightUri(), tls.clientSslContext(), config.announceInterval());
            announcer.start();
        }
        else {
            log.info("Worker {}: no {} configured, not announcing", config.nodeId(), WorkerConfig.COORDINATOR_URI);
        }
        return new Handle(config, tls, server, Optional.ofNullable(announcer), allocator, resources);
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
        private final TlsMaterial tls;
        private final WorkerServer server;
        private final Optional<Announcer> announcer;
        private final BufferAllocator allocator;
        private final List<AutoCloseable> resources;
        private boolean closed;

        private Handle(WorkerConfig config, TlsMaterial tls, WorkerServer server, Optional<Announcer> announcer, BufferAllocator allocator, List<AutoCloseable> resources)
        {
            this.config = config;
            this.tls = tls;
            this.server = server;
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

        public TlsMaterial tls()
        {
            return tls;
        }

        public WorkerServer server()
        {
            return server;
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
            announcer.ifPresent(Announcer::close);
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
