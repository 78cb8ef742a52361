package io.glaux.catalog.embedded;

import static java.util.Objects.requireNonNull;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real Hive metastore 4.0.1 ({@code HiveMetaStore.startMetaStore}) running in this JVM on a daemon
 * thread, on Derby persisted under a data directory, serving Thrift on a loopback port. Clients reach
 * it exactly like an external metastore, at {@link #uri()}.
 *
 * <p>Layout of the data directory: {@code metastore_db/} (Derby), {@code warehouse/} and
 * {@code warehouse-external/} (default locations of schemas and managed tables), {@code derby.log}
 * (for the first metastore started in the JVM: Derby reads that setting once). {@code s3://},
 * {@code s3a://} and {@code s3n://} locations are accepted through {@link ObjectStoreStubFileSystem}:
 * the metastore never touches the object store.
 *
 * <p>The server runs in its own {@link MetastoreClassLoader} (Hive's server classes need Jetty 9.4,
 * Glaux uses Jetty 12), a new one per start, so each start has fresh Hive and DataNucleus static state. Several
 * embedded metastores may run in one JVM, each on its own data directory.
 */
public final class EmbeddedMetastore
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMetastore.class);

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String ANY_ADDRESS = "0.0.0.0";
    private static final int PORT_ATTEMPTS = 3;
    private static final String HIVE_METASTORE = "org.apache.hadoop.hive.metastore.HiveMetaStore";

    private static final Map<Path, EmbeddedMetastore> RUNNING = new HashMap<>();

    private final Path dataDir;
    private final int port;
    private final MetastoreClassLoader classLoader;
    private final Object thriftServer;
    private final Set<Object> connections;
    private boolean closed;

    private EmbeddedMetastore(Path dataDir, int port, MetastoreClassLoader classLoader, Object thriftServer, Set<Object> connections)
    {
        this.dataDir = dataDir;
        this.port = port;
        this.classLoader = classLoader;
        this.thriftServer = thriftServer;
        this.connections = connections;
    }

    /** {@link #start(Path, int, Duration)} with a two-minute timeout. */
    public static EmbeddedMetastore start(Path dataDir, int port)
    {
        return start(dataDir, port, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts the metastore and returns once its Thrift port accepts connections.
     *
     * @param dataDir created if missing; what a previous metastore stored there is kept
     * @param port the loopback port, or 0 for a free one
     * @param timeout how long to wait for the server to listen
     * @throws IllegalStateException if an embedded metastore of this JVM already runs on
     *         {@code dataDir}, or the server failed or did not listen in time (the message says which)
     */
    public static EmbeddedMetastore start(Path dataDir, int port, Duration timeout)
    {
        return start(dataDir, LOOPBACK, port, timeout);
    }

    /**
     * {@link #start(Path, int, Duration)} listening on {@code bindHost}: {@code 127.0.0.1} (loopback, the
     * default) or {@code 0.0.0.0} (every interface: a metastore in a container or on its own machine,
     * serving coordinators elsewhere; put it on a private network, it has no authentication).
     */
    public static EmbeddedMetastore start(Path dataDir, String bindHost, int port, Duration timeout)
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(bindHost, "bindHost is null");
        if (!bindHost.equals(LOOPBACK) && !bindHost.equals(ANY_ADDRESS)) {
            throw new IllegalArgumentException("bind host must be " + LOOPBACK + " or " + ANY_ADDRESS + ": " + bindHost);
        }
        requireNonNull(timeout, "timeout is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        synchronized (RUNNING) {
            EmbeddedMetastore running = RUNNING.get(dir);
            if (running != null) {
                throw new IllegalStateException("An embedded metastore on " + dir + " is already running in this JVM at " + running.uri());
            }
            try {
                Files.createDirectories(dir);
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot create the metastore data directory " + dir, e);
            }
            // Derby writes derby.log into the working directory unless told otherwise (read once, when Derby boots)
            if (System.getProperty("derby.stream.error.file") == null) {
                System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
            }

            IllegalStateException failure = null;
            for (int attempt = 0; attempt < (port == 0 ? PORT_ATTEMPTS : 1); attempt++) {
                int chosen = port == 0 ? freePort() : port;
                try {
                    EmbeddedMetastore metastore = startOn(dir, bindHost, chosen, timeout);
                    RUNNING.put(dir, metastore);
                    return metastore;
                }
                catch (PortInUseException e) {
                    // another process took the free port between probing and binding: try another one
                    failure = e;
                }
            }
            throw failure;
        }
    }

    private static EmbeddedMetastore startOn(Path dir, String bindHost, int port, Duration timeout)
    {
        MetastoreClassLoader loader = new MetastoreClassLoader(EmbeddedMetastore.class.getClassLoader());
        Configuration conf = serverConfiguration(dir, port);
        MetastoreConf.setVar(conf, ConfVars.THRIFT_BIND_HOST, bindHost);
        conf.setClassLoader(loader);

        Method startMetaStore;
        Object bridge;
        VarHandle thriftServerHandle;
        try {
            Class<?> hiveMetaStore = Class.forName(HIVE_METASTORE, true, loader);
            Class<?> bridgeClass = Class.forName("org.apache.hadoop.hive.metastore.security.HadoopThriftAuthBridge", true, loader);
            bridge = bridgeClass.getMethod("getBridge").invoke(null);
            startMetaStore = hiveMetaStore.getMethod("startMetaStore", int.class, bridgeClass, Configuration.class);
            Class<?> thriftServerType = Class.forName(HIVE_METASTORE + "$ThriftServer", false, loader);
            thriftServerHandle = MethodHandles.privateLookupIn(hiveMetaStore, MethodHandles.lookup())
                    .findStaticVarHandle(hiveMetaStore, "thriftServer", thriftServerType);
        }
        catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("Cannot load the Hive metastore server classes (hive-standalone-metastore-server 4.0.x expected): " + e, e);
        }

        AtomicReference<Throwable> serverFailure = new AtomicReference<>();
        long started = System.nanoTime();
        Thread thread = new Thread(() -> {
            try {
                startMetaStore.invoke(null, port, bridge, conf);
            }
            catch (InvocationTargetException e) {
                serverFailure.set(e.getCause());
            }
            catch (Throwable t) {
                serverFailure.set(t);
            }
        }, "glaux-embedded-metastore-" + port);
        thread.setContextClassLoader(loader);
        thread.setDaemon(true);
        thread.start();

        long deadline = started + timeout.toNanos();
        Set<Object> connections = null;
        while (true) {
            Throwable failed = serverFailure.get();
            if (failed != null) {
                String message = "The embedded Hive metastore (data in " + dir + ") failed to start on " + LOOPBACK + ":" + port + ": " + failed;
                shutdown(loader, thriftServerHandle.get(), connections, dir);
                if (String.valueOf(failed.getMessage()).contains("Could not create ServerSocket")) {
                    throw new PortInUseException(message, failed);
                }
                throw new IllegalStateException(message, failed);
            }
            Object server = thriftServerHandle.get();
            if (server != null && connections == null) {
                connections = trackConnections(server, loader);
            }
            if (server != null && isServing(server) && accepts(port)) {
                log.info("Embedded Hive metastore listening on thrift://{}:{} after {} ms (data in {})", LOOPBACK, port, (System.nanoTime() - started) / 1_000_000, dir);
                return new EmbeddedMetastore(dir, port, loader, server, connections);
            }
            if (!thread.isAlive()) {
                shutdown(loader, server, connections, dir);
                throw new IllegalStateException("The embedded Hive metastore (data in " + dir + ") stopped before listening on " + LOOPBACK + ":" + port);
            }
            if (System.nanoTime() - deadline > 0) {
                shutdown(loader, server, connections, dir);
                throw new IllegalStateException("The embedded Hive metastore (data in " + dir + ") did not listen on " + LOOPBACK + ":" + port + " within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shutdown(loader, thriftServerHandle.get(), connections, dir);
                throw new IllegalStateException("Interrupted while starting the embedded Hive metastore", e);
            }
        }
    }

    static Configuration serverConfiguration(Path dir, int port)
    {
        Configuration conf = MetastoreConf.newMetastoreConf();
        MetastoreConf.setVar(conf, ConfVars.CONNECT_URL_KEY, derbyUrl(dir) + ";create=true");
        MetastoreConf.setVar(conf, ConfVars.CONNECTION_DRIVER, "org.apache.derby.jdbc.EmbeddedDriver");
        MetastoreConf.setBoolVar(conf, ConfVars.AUTO_CREATE_ALL, true);
        MetastoreConf.setBoolVar(conf, ConfVars.SCHEMA_VERIFICATION, false);
        MetastoreConf.setVar(conf, ConfVars.WAREHOUSE, dir.resolve("warehouse").toUri().toString());
        MetastoreConf.setVar(conf, ConfVars.WAREHOUSE_EXTERNAL, dir.resolve("warehouse-external").toUri().toString());
        MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, "thrift://" + LOOPBACK + ":" + port);
        MetastoreConf.setVar(conf, ConfVars.THRIFT_BIND_HOST, LOOPBACK);
        MetastoreConf.setBoolVar(conf, ConfVars.EVENT_DB_NOTIFICATION_API_AUTH, false);
        // the metastore would list object-store prefixes to count files for table statistics
        MetastoreConf.setBoolVar(conf, ConfVars.STATS_AUTO_GATHER, false);
        // as in Athena (Glue): ALTER TABLE CHANGE COLUMN and REPLACE COLUMNS may change a column's type
        // or position freely; Hive's default refuses changes it deems incompatible for text tables
        MetastoreConf.setBoolVar(conf, ConfVars.DISALLOW_INCOMPATIBLE_COL_TYPE_CHANGES, false);
        MetastoreConf.setBoolVar(conf, ConfVars.METRICS_ENABLED, false);
        MetastoreConf.setBoolVar(conf, ConfVars.METASTORE_HOUSEKEEPING_THREADS_ON, false);
        MetastoreConf.setBoolVar(conf, ConfVars.COMPACTOR_INITIATOR_ON, false);
        MetastoreConf.setLongVar(conf, ConfVars.SERVER_MIN_THREADS, 2);
        MetastoreConf.setLongVar(conf, ConfVars.SERVER_MAX_THREADS, 64);
        for (String scheme : new String[] {"s3", "s3a", "s3n"}) {
            conf.set("fs." + scheme + ".impl", ObjectStoreStubFileSystem.class.getName());
            conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
        }
        return conf;
    }

    private static String derbyUrl(Path dir)
    {
        return "jdbc:derby:" + dir.resolve("metastore_db");
    }

    /** {@code thrift://127.0.0.1:PORT}. */
    public String uri()
    {
        return "thrift://" + LOOPBACK + ":" + port;
    }

    public int port()
    {
        return port;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /**
     * Stops the server and releases the data directory:
     * <ol>
     * <li>stops the Thrift server, which closes its port at once (Hive has no stop API for a server
     *     started with {@code startMetaStore}: its {@code TServer} is reached through the private static
     *     {@code HiveMetaStore.thriftServer}), and closes the connections clients still hold, so their
     *     next call fails on the transport and a {@link io.glaux.catalog.hive.HiveMetastoreCatalog}
     *     reconnects (to a metastore restarted on the same port, say);</li>
     * <li>closes the metastore's JDO persistence manager factory (and with it the connection pool);</li>
     * <li>shuts the Derby database down, which releases its lock, so another process may open it.</li>
     * </ol>
     * Calls in flight may fail. Every committed change is already on disk.
     */
    @Override
    public void close()
    {
        synchronized (RUNNING) {
            if (closed) {
                return;
            }
            closed = true;
            RUNNING.remove(dataDir, this);
            shutdown(classLoader, thriftServer, connections, dataDir);
        }
    }

    private static void shutdown(MetastoreClassLoader loader, Object thriftServer, Set<Object> connections, Path dir)
    {
        stopThriftServer(thriftServer);
        if (connections != null) {
            closeConnections(connections);
        }
        closePersistenceManagerFactories(loader);
        shutdownDerby(dir);
    }

    // --- reaching into the Hive server (4.0.1), which offers no stop API

    private static boolean isServing(Object server)
    {
        try {
            Method method = server.getClass().getMethod("isRunning");
            method.setAccessible(true);
            return (boolean) method.invoke(server);
        }
        catch (ReflectiveOperationException e) {
            // cannot ask: the port check alone decides
            return true;
        }
    }

    /** Stops the {@code TServer} inside Hive's server handle (Thrift is loaded by the metastore's loader too). */
    private static void stopThriftServer(Object server)
    {
        if (server == null) {
            return;
        }
        try {
            Object tServer = thriftServerOf(server);
            if (tServer == null) {
                log.warn("Cannot stop the embedded Hive metastore: no Thrift server handle in {}", server.getClass().getName());
                return;
            }
            // closes the listening socket before returning; the serving thread then winds down
            tServer.getClass().getMethod("stop").invoke(tServer);
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("Cannot stop the embedded Hive metastore", e);
        }
    }

    private static Object thriftServerOf(Object server)
            throws ReflectiveOperationException
    {
        for (Field field : server.getClass().getDeclaredFields()) {
            if (field.getType().getName().equals("org.apache.thrift.server.TServer")) {
                field.setAccessible(true);
                return field.get(server);
            }
        }
        return null;
    }

    /**
     * Wraps the server's Thrift event handler to remember each client connection's transport, so that
     * {@link #close()} can close them: Thrift's {@code stop()} only closes the listening socket, and a
     * worker would otherwise serve an open connection with the closed persistence layer.
     */
    private static Set<Object> trackConnections(Object server, ClassLoader loader)
    {
        Set<Object> transports = ConcurrentHashMap.newKeySet();
        try {
            Object tServer = thriftServerOf(server);
            if (tServer == null) {
                return transports;
            }
            Class<?> handlerType = Class.forName("org.apache.thrift.server.TServerEventHandler", true, loader);
            Class<?> serverType = Class.forName("org.apache.thrift.server.TServer", true, loader);
            Object original = serverType.getMethod("getEventHandler").invoke(tServer);
            InvocationHandler tracker = (proxy, method, args) -> {
                switch (method.getName()) {
                    case "createContext" -> transports.add(transportOf(args[0]));
                    case "deleteContext" -> transports.remove(transportOf(args[1]));
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "toString" -> {
                        return "connection tracker of " + original;
                    }
                    default -> {
                    }
                }
                if (original == null) {
                    return null;
                }
                try {
                    return method.invoke(original, args);
                }
                catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            Object proxy = Proxy.newProxyInstance(loader, new Class<?>[] {handlerType}, tracker);
            serverType.getMethod("setServerEventHandler", handlerType).invoke(tServer, proxy);
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("Cannot track the embedded metastore's client connections", e);
        }
        return transports;
    }

    private static Object transportOf(Object protocol)
            throws ReflectiveOperationException
    {
        return protocol.getClass().getMethod("getTransport").invoke(protocol);
    }

    private static void closeConnections(Set<Object> transports)
    {
        for (Object transport : transports) {
            try {
                transport.getClass().getMethod("close").invoke(transport);
            }
            catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("Cannot close a client connection of the embedded metastore", e);
            }
        }
        transports.clear();
    }

    /**
     * Closes the metastore's JDO persistence manager factories and then their connection pools: the
     * pools are created by Hive and handed to DataNucleus, which does not close them, and a pool left
     * open keeps (re)opening the Derby database in the background.
     */
    private static void closePersistenceManagerFactories(MetastoreClassLoader loader)
    {
        try {
            Class<?> provider = Class.forName("org.apache.hadoop.hive.metastore.PersistenceManagerProvider", true, loader);
            Class<?> factoryType = Class.forName("javax.jdo.PersistenceManagerFactory", true, loader);
            for (String name : new String[] {"pmf", "compactorPmf"}) {
                Field field = provider.getDeclaredField(name);
                field.setAccessible(true);
                Object factory = field.get(null);
                if (factory == null || (boolean) factoryType.getMethod("isClosed").invoke(factory)) {
                    continue;
                }
                Object pool = factoryType.getMethod("getConnectionFactory").invoke(factory);
                Object secondaryPool = factoryType.getMethod("getConnectionFactory2").invoke(factory);
                factoryType.getMethod("close").invoke(factory);
                for (Object dataSource : new Object[] {pool, secondaryPool}) {
                    if (dataSource instanceof AutoCloseable closeable) {
                        closeable.close();
                    }
                }
            }
        }
        catch (Exception | LinkageError e) {
            log.debug("Cannot close the embedded metastore's persistence manager factory", e);
        }
    }

    private static void shutdownDerby(Path dir)
    {
        try {
            DriverManager.getConnection(derbyUrl(dir) + ";shutdown=true").close();
        }
        catch (SQLException e) {
            // Derby reports a successful shutdown of one database as SQLState 08006, and 08006/XJ004 when it was not booted
            if (!"08006".equals(e.getSQLState()) && !"XJ004".equals(e.getSQLState())) {
                log.debug("Derby shutdown of {} failed", dir, e);
            }
        }
    }

    private static boolean accepts(int port)
    {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 200);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free loopback port", e);
        }
    }

    private static final class PortInUseException
            extends IllegalStateException
    {
        PortInUseException(String message, Throwable cause)
        {
            super(message, cause);
        }
    }
}
