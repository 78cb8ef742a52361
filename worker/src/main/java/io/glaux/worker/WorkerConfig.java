package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.compress.DecompressionLimits;
import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.engine.memory.DataSize;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.connectors.sse.ObjectStoreSecurity;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A worker's configuration, read from its properties file ({@code etc/worker.properties}). See
 * {@code worker/README.md} for every key.
 */
public record WorkerConfig(
        String nodeId,
        Path dataDir,
        Path tlsDir,
        List<String> tlsExtraHostNames,
        String flightHost,
        String flightAdvertisedHost,
        int flightPort,
        int taskConcurrency,
        long maxMemoryPerNode,
        Optional<URI> coordinatorUri,
        Duration announceInterval,
        Optional<ObjectStoreConfig> objectStore,
        String httpHost,
        OptionalInt httpPort,
        Duration shutdownGracePeriod,
        Optional<JoinToken> joinToken,
        DecompressionLimits decompressionLimits,
        SpillConfig spill)
{
    public static final String NODE_ID = "node.id";
    public static final String DATA_DIR = "node.data-dir";
    public static final String TLS_DIR = "tls.dir";
    public static final String TLS_EXTRA_HOST_NAMES = "tls.extra-host-names";
    public static final String FLIGHT_HOST = "flight.host";
    public static final String FLIGHT_ADVERTISED_HOST = "flight.advertised-host";
    public static final String FLIGHT_PORT = "flight.port";
    public static final String TASK_CONCURRENCY = "task.concurrency";
    public static final String COORDINATOR_URI = "coordinator.uri";
    public static final String ANNOUNCE_INTERVAL = "coordinator.announce-interval";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";
    public static final String S3_REGION = "s3.region";
    public static final String S3_MAX_CONNECTIONS = "s3.max-connections";
    public static final String QUERY_MAX_MEMORY_PER_NODE = "query.max-memory-per-node";
    public static final String HTTP_HOST = "http-server.http.host";
    public static final String HTTP_PORT = "http-server.http.port";
    public static final String SHUTDOWN_GRACE_PERIOD = "shutdown.grace-period";
    /** A join token from the coordinator ({@code POST /v1/node/join-token}); also {@code GLAUX_JOIN_TOKEN}. */
    public static final String TLS_JOIN_TOKEN = "tls.join-token";
    /**
     * A file holding the join token (its first line that is neither blank nor a {@code #} comment),
     * readable by its owner only; also {@code GLAUX_JOIN_TOKEN_FILE}. The container image passes the
     * token this way, so that it is in no process's environment.
     */
    public static final String TLS_JOIN_TOKEN_FILE = "tls.join-token-file";

    private static final Set<String> BASE_KEYS = Set.of(
            NODE_ID, DATA_DIR, TLS_DIR, TLS_EXTRA_HOST_NAMES, FLIGHT_HOST, FLIGHT_ADVERTISED_HOST, FLIGHT_PORT,
            TASK_CONCURRENCY, COORDINATOR_URI, ANNOUNCE_INTERVAL, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION,
            S3_MAX_CONNECTIONS, QUERY_MAX_MEMORY_PER_NODE, HTTP_HOST, HTTP_PORT, SHUTDOWN_GRACE_PERIOD, TLS_JOIN_TOKEN, TLS_JOIN_TOKEN_FILE,
            DecompressionLimits.MAX_RATIO_KEY, DecompressionLimits.MAX_SIZE_KEY,
            SpillConfig.SPILL_PATH, SpillConfig.SPILL_MAX_SIZE, SpillConfig.QUERY_MAX_SPILL_PER_NODE);
    static final Set<String> KNOWN_KEYS = union(BASE_KEYS, ObjectStoreSecurity.CONFIG_KEYS);

    public WorkerConfig
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(tlsDir, "tlsDir is null");
        tlsExtraHostNames = List.copyOf(tlsExtraHostNames);
        requireNonNull(flightHost, "flightHost is null");
        requireNonNull(flightAdvertisedHost, "flightAdvertisedHost is null");
        requireNonNull(coordinatorUri, "coordinatorUri is null");
        requireNonNull(announceInterval, "announceInterval is null");
        requireNonNull(objectStore, "objectStore is null");
        requireNonNull(httpHost, "httpHost is null");
        requireNonNull(httpPort, "httpPort is null");
        requireNonNull(shutdownGracePeriod, "shutdownGracePeriod is null");
        requireNonNull(joinToken, "joinToken is null");
        requireNonNull(decompressionLimits, "decompressionLimits is null");
        requireNonNull(spill, "spill is null");
    }

    /** A join token; {@link #toString()} hides it. */
    public record JoinToken(String value)
    {
        public JoinToken
        {
            requireNonNull(value, "value is null");
        }

        @Override
        public String toString()
        {
            return "***";
        }
    }

    /** Reads the configuration; missing keys take their defaults, malformed values are USER errors naming the key. */
    public static WorkerConfig fromProperties(Properties properties)
    {
        requireNonNull(properties, "properties is null");
        String nodeId = get(properties, NODE_ID).orElse("worker-" + ProcessHandle.current().pid());
        Path dataDir = Path.of(get(properties, DATA_DIR).orElse("data"));
        Path tlsDir = get(properties, TLS_DIR).map(Path::of).orElse(dataDir.resolve("tls"));
        List<String> extraHosts = new ArrayList<>();
        for (String host : get(properties, TLS_EXTRA_HOST_NAMES).orElse("").split(",")) {
            if (!host.isBlank()) {
                extraHosts.add(host.strip());
            }
        }
        String flightHost = get(properties, FLIGHT_HOST).orElse("127.0.0.1");
        String advertisedHost = get(properties, FLIGHT_ADVERTISED_HOST).orElseGet(() -> defaultAdvertisedHost(flightHost));
        int port = intValue(properties, FLIGHT_PORT, 0, 0, 65535);
        int concurrency = intValue(properties, TASK_CONCURRENCY, Runtime.getRuntime().availableProcessors(), 1, 4096);
        long maxMemoryPerNode = get(properties, QUERY_MAX_MEMORY_PER_NODE).map(value -> {
            try {
                long bytes = DataSize.parse(value);
                if (bytes <= 0) {
                    throw new IllegalArgumentException("must be positive");
                }
                return bytes;
            }
            catch (IllegalArgumentException e) {
                throw invalid(QUERY_MAX_MEMORY_PER_NODE, value, e.getMessage());
            }
        }).orElseGet(MemoryPool::defaultMaxBytes);
        Optional<URI> coordinator = get(properties, COORDINATOR_URI).map(value -> {
            URI uri = parseUri(COORDINATOR_URI, value);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw invalid(COORDINATOR_URI, value, "expected https://host:port");
            }
            return uri;
        });
        Duration announceInterval = get(properties, ANNOUNCE_INTERVAL).map(value -> duration(ANNOUNCE_INTERVAL, value)).orElse(Duration.ofSeconds(2));
        Optional<ObjectStoreConfig> objectStore = get(properties, S3_ENDPOINT).map(endpoint -> {
            ObjectStoreConfig config;
            try {
                config = ObjectStoreConfig.of(parseUri(S3_ENDPOINT, endpoint),
                                get(properties, S3_ACCESS_KEY).orElse(""),
                                get(properties, S3_SECRET_KEY).orElse(""))
                        .withRegion(get(properties, S3_REGION).orElse(ObjectStoreConfig.DEFAULT_REGION))
                        .withMaxConnections(intValue(properties, S3_MAX_CONNECTIONS, ObjectStoreConfig.DEFAULT_MAX_CONNECTIONS, 1, 10_000));
                Map<String, String> settings = new java.util.HashMap<>();
                properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
                config = ObjectStoreSecurity.apply(config, settings, System.getenv());
            }
            catch (IllegalArgumentException e) {
                throw invalid(S3_ENDPOINT, endpoint, e.getMessage());
            }
            return config;
        });
        String httpHost = get(properties, HTTP_HOST).orElse(flightHost);
        OptionalInt httpPort = get(properties, HTTP_PORT).isPresent()
                ? OptionalInt.of(intValue(properties, HTTP_PORT, 0, 0, 65535))
                : OptionalInt.empty();
        Duration gracePeriod = get(properties, SHUTDOWN_GRACE_PERIOD).map(value -> duration(SHUTDOWN_GRACE_PERIOD, value)).orElse(Duration.ofSeconds(30));
        Optional<JoinToken> joinToken = get(properties, TLS_JOIN_TOKEN)
                .or(() -> get(properties, TLS_JOIN_TOKEN_FILE)
                        .or(() -> Optional.ofNullable(System.getenv("GLAUX_JOIN_TOKEN_FILE")).filter(value -> !value.isBlank()))
                        .map(file -> readTokenFile(Path.of(file.strip()))))
                .or(() -> Optional.ofNullable(System.getenv("GLAUX_JOIN_TOKEN")).filter(value -> !value.isBlank()).map(String::strip))
                .map(JoinToken::new);
        long maxRatio = get(properties, DecompressionLimits.MAX_RATIO_KEY).map(value -> {
            try {
                long ratio = Long.parseLong(value);
                if (ratio < 1) {
                    throw invalid(DecompressionLimits.MAX_RATIO_KEY, value, "expected an integer of at least 1");
                }
                return ratio;
            }
            catch (NumberFormatException e) {
                throw invalid(DecompressionLimits.MAX_RATIO_KEY, value, "expected an integer of at least 1");
            }
        }).orElse(DecompressionLimits.DEFAULT_MAX_RATIO);
        long maxDecompressed = get(properties, DecompressionLimits.MAX_SIZE_KEY).map(value -> {
            try {
                long bytes = DataSize.parse(value);
                if (bytes <= 0) {
                    throw new IllegalArgumentException("must be positive");
                }
                return bytes;
            }
            catch (IllegalArgumentException e) {
                throw invalid(DecompressionLimits.MAX_SIZE_KEY, value, e.getMessage());
            }
        }).orElse(Long.MAX_VALUE);
        // spill.path: the hash stages' spill folders; by default in the data directory, "none" disables spilling
        Optional<String> spillValue = get(properties, SpillConfig.SPILL_PATH);
        Optional<Path> spillPath = spillValue.isEmpty() ? Optional.of(dataDir.resolve("spill"))
                : spillValue.get().equalsIgnoreCase("none") ? Optional.empty() : Optional.of(Path.of(spillValue.get()));
        SpillConfig spill = new SpillConfig(spillPath, bytes(properties, SpillConfig.SPILL_MAX_SIZE), bytes(properties, SpillConfig.QUERY_MAX_SPILL_PER_NODE));
        return new WorkerConfig(nodeId, dataDir, tlsDir, extraHosts, flightHost, advertisedHost, port, concurrency, maxMemoryPerNode,
                coordinator, announceInterval, objectStore, httpHost, httpPort, gracePeriod, joinToken, new DecompressionLimits(maxRatio, maxDecompressed), spill);
    }

    private static Set<String> union(Set<String> first, Set<String> second)
    {
        Set<String> union = new java.util.HashSet<>(first);
        union.addAll(second);
        return Set.copyOf(union);
    }

    /** Keys present in {@code properties} that no worker setting reads (likely typos). */
    public static Set<String> unknownKeys(Properties properties)
    {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KNOWN_KEYS);
        return unknown;
    }

    /** The options of the Flight server this configuration describes. */
    public WorkerServer.Options serverOptions()
    {
        return new WorkerServer.Options(nodeId, flightHost, flightAdvertisedHost, flightPort, taskConcurrency, maxMemoryPerNode, spill);
    }

    /** Host names to put in the node certificate: the advertised host and the configured extras. */
    public List<String> certificateHostNames()
    {
        List<String> names = new ArrayList<>(tlsExtraHostNames);
        names.add(flightAdvertisedHost);
        return names;
    }

    private static String defaultAdvertisedHost(String bindHost)
    {
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.equals("[::]")) {
            return bindHost;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        }
        catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The token in {@code file}: a USER error naming the file (never its content) when it is missing, empty or readable by others. */
    static String readTokenFile(Path file)
    {
        try {
            if (!Files.isRegularFile(file)) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, TLS_JOIN_TOKEN_FILE + ": " + file + " does not exist");
            }
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(permission -> permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS"))) {
                    throw new GlauxException(ErrorCode.GENERIC_USER_ERROR,
                            TLS_JOIN_TOKEN_FILE + ": " + file + " holds a join token, so it must be readable by its owner only (chmod 600 " + file + ")");
                }
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String stripped = line.strip();
                if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                    return stripped;
                }
            }
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, TLS_JOIN_TOKEN_FILE + ": " + file + " holds no token");
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, TLS_JOIN_TOKEN_FILE + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> get(Properties properties, String key)
    {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** A positive data size ({@code 10GB}) under {@code key}, if set. */
    private static java.util.OptionalLong bytes(Properties properties, String key)
    {
        Optional<String> value = get(properties, key);
        if (value.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            long bytes = DataSize.parse(value.get());
            if (bytes <= 0) {
                throw new IllegalArgumentException("must be positive");
            }
            return java.util.OptionalLong.of(bytes);
        }
        catch (IllegalArgumentException e) {
            throw invalid(key, value.get(), e.getMessage());
        }
    }

    private static int intValue(Properties properties, String key, int defaultValue, int min, int max)
    {
        Optional<String> value = get(properties, key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed < min || parsed > max) {
                throw invalid(key, value.get(), "expected an integer in [" + min + ", " + max + "]");
            }
            return parsed;
        }
        catch (NumberFormatException e) {
            throw invalid(key, value.get(), "expected an integer");
        }
    }

    private static URI parseUri(String key, String value)
    {
        try {
            return URI.create(value);
        }
        catch (IllegalArgumentException e) {
            throw invalid(key, value, e.getMessage());
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, or plain milliseconds. */
    static Duration duration(String key, String value)
    {
        try {
            if (value.endsWith("ms")) {
                return positive(key, value, Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).strip())));
            }
            if (value.endsWith("s")) {
                return positive(key, value, Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1).strip()) * 1000)));
            }
            if (value.endsWith("m")) {
                return positive(key, value, Duration.ofSeconds(Math.round(Double.parseDouble(value.substring(0, value.length() - 1).strip()) * 60)));
            }
            return positive(key, value, Duration.ofMillis(Long.parseLong(value)));
        }
        catch (NumberFormatException e) {
            throw invalid(key, value, "expected a duration such as 500ms, 2s or 1m");
        }
    }

    private static Duration positive(String key, String value, Duration duration)
    {
        if (duration.isNegative() || duration.isZero()) {
            throw invalid(key, value, "expected a positive duration");
        }
        return duration;
    }

    private static GlauxException invalid(String key, String value, String reason)
    {
        return new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid worker configuration " + key + "=" + value + ": " + reason);
    }
}
