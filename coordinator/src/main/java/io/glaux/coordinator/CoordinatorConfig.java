package io.glaux.coordinator;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.hive.HiveCatalogConfig;
import io.glaux.connectors.sse.CustomerKeyProvider;
import io.glaux.connectors.sse.ObjectStoreSecurity;
import io.glaux.coordinator.limits.QueryLimits;
import io.glaux.coordinator.node.JoinTokenConfig;
import io.glaux.coordinator.security.AccessControl;
import io.glaux.coordinator.security.AccessControlConfig;
import io.glaux.coordinator.security.AuthenticationConfig;
import io.glaux.engine.memory.DataSize;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Coordinator settings, read from {@code etc/config.properties} (keys documented in
 * docs/configuration.md).
 */
public record CoordinatorConfig(
        String httpHost,
        int httpPort,
        Path tlsDir,
        HiveCatalogConfig metastore,
        URI s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Region,
        String catalogName,
        String defaultSchema,
        long maxSplitSize,
        Duration workerExpiry,
        Optional<Path> s3CaFile,
        CustomerKeyProvider sseCustomerKeys,
        AuthenticationConfig authentication,
        List<String> httpsProtocols,
        List<String> httpsCipherSuites,
        QueryLimits limits,
        long maxMemoryPerNode,
        Optional<Path> spillPath,
        Path dataDir,
        AccessControl accessControl,
        Optional<JoinTokenConfig> joinToken,
        long joinMaxBroadcastTableSize,
        Duration nodeCertificateValidity)
{
    public static final String HTTP_HOST = "http-server.https.host";
    public static final String HTTP_PORT = "http-server.https.port";
    public static final String TLS_DIR = "tls.dir";
    public static final String METASTORE_URI = HiveCatalogConfig.METASTORE_URI;
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_ACCESS_KEY = "s3.access-key";
    public static final String S3_SECRET_KEY = "s3.secret-key";
    public static final String S3_REGION = "s3.region";
    public static final String CATALOG_NAME = "catalog.name";
    public static final String DEFAULT_SCHEMA = "session.default-schema";
    public static final String MAX_SPLIT_SIZE = "hive.max-split-size";
    public static final String WORKER_EXPIRY = "node.worker-expiry";
    /** How long the certificates the coordinator signs for joining and renewing workers are valid. */
    public static final String NODE_CERTIFICATE_VALIDITY = "node.certificate-validity";
    public static final Duration MIN_NODE_CERTIFICATE_VALIDITY = Duration.ofSeconds(10);
    public static final String QUERY_MAX_MEMORY_PER_NODE = "query.max-memory-per-node";
    public static final String SPILL_PATH = "spill.path";
    /** The largest estimated build side a join broadcasts (session property join_max_broadcast_table_size overrides it). */
    public static final String JOIN_MAX_BROADCAST_TABLE_SIZE = "join-max-broadcast-table-size";
    /** Where the coordinator keeps its state (the console's history database); default: the parent of tls.dir. */
    public static final String DATA_DIR = "node.data-dir";
    public static final String HTTPS_PROTOCOLS = "http-server.https.included-protocols";
    public static final String HTTPS_CIPHER_SUITES = "http-server.https.included-cipher-suites";

    public CoordinatorConfig
    {
        requireNonNull(httpHost, "httpHost is null");
        requireNonNull(tlsDir, "tlsDir is null");
        requireNonNull(metastore, "metastore is null");
        requireNonNull(s3Endpoint, "s3Endpoint is null");
        requireNonNull(s3AccessKey, "s3AccessKey is null");
        requireNonNull(s3SecretKey, "s3SecretKey is null");
        requireNonNull(s3Region, "s3Region is null");
        requireNonNull(catalogName, "catalogName is null");
        requireNonNull(defaultSchema, "defaultSchema is null");
        requireNonNull(workerExpiry, "workerExpiry is null");
        requireNonNull(s3CaFile, "s3CaFile is null");
        requireNonNull(sseCustomerKeys, "sseCustomerKeys is null");
        requireNonNull(authentication, "authentication is null");
        httpsProtocols = List.copyOf(httpsProtocols);
        httpsCipherSuites = List.copyOf(httpsCipherSuites);
        requireNonNull(limits, "limits is null");
        requireNonNull(spillPath, "spillPath is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(accessControl, "accessControl is null");
        requireNonNull(joinToken, "joinToken is null");
        requireNonNull(nodeCertificateValidity, "nodeCertificateValidity is null");
    }

    private static Path defaultDataDir(Path tlsDir)
    {
        Path absolute = tlsDir.toAbsolutePath();
        return absolute.getParent() == null ? absolute : absolute.getParent();
    }

    /** The console's history and saved queries database lives here. */
    public Path consoleDir()
    {
        return dataDir.resolve("console");
    }

    /** The S3 secret key is redacted; SSE-C keys are listed by id only. */
    @Override
    public String toString()
    {
        return "CoordinatorConfig[httpHost=" + httpHost + ", httpPort=" + httpPort + ", tlsDir=" + tlsDir + ", metastore=" + metastore
                + ", s3Endpoint=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey + ", s3SecretKey=***, s3Region=" + s3Region
                + ", catalogName=" + catalogName + ", defaultSchema=" + defaultSchema + ", maxSplitSize=" + maxSplitSize
                + ", workerExpiry=" + workerExpiry + ", s3CaFile=" + s3CaFile + ", sseCustomerKeys=" + sseCustomerKeys
                + ", authentication=" + authentication + ", httpsProtocols=" + httpsProtocols + ", httpsCipherSuites=" + httpsCipherSuites + ", limits=" + limits
                + ", maxMemoryPerNode=" + maxMemoryPerNode + ", spillPath=" + spillPath + ", dataDir=" + dataDir + ", accessControl=" + accessControl + ", joinToken=" + joinToken
                + ", joinMaxBroadcastTableSize=" + joinMaxBroadcastTableSize + ", nodeCertificateValidity=" + nodeCertificateValidity + "]";
    }

    public static CoordinatorConfig fromProperties(Map<String, String> properties)
    {
        return new CoordinatorConfig(
                properties.getOrDefault(HTTP_HOST, "127.0.0.1"),
                Integer.parseInt(properties.getOrDefault(HTTP_PORT, "8443")),
                Path.of(required(properties, TLS_DIR)),
                metastore(properties),
                URI.create(required(properties, S3_ENDPOINT)),
                required(properties, S3_ACCESS_KEY),
                required(properties, S3_SECRET_KEY),
                properties.getOrDefault(S3_REGION, "us-east-1"),
                properties.getOrDefault(CATALOG_NAME, "hive"),
                properties.getOrDefault(DEFAULT_SCHEMA, "default"),
                dataSize(MAX_SPLIT_SIZE, properties.getOrDefault(MAX_SPLIT_SIZE, "64MB")),
                Duration.ofSeconds(Long.parseLong(properties.getOrDefault(WORKER_EXPIRY, "10").replace("s", ""))),
                ObjectStoreSecurity.caFile(properties),
                CustomerKeyProvider.fromConfig(properties, System.getenv()),
                authentication(properties),
                list(properties.getOrDefault(HTTPS_PROTOCOLS, "TLSv1.3,TLSv1.2")),
                list(properties.getOrDefault(HTTPS_CIPHER_SUITES, "")),
                limits(properties),
                properties.containsKey(QUERY_MAX_MEMORY_PER_NODE) ? dataSize(QUERY_MAX_MEMORY_PER_NODE, properties.get(QUERY_MAX_MEMORY_PER_NODE)) : MemoryPool.defaultMaxBytes(),
                spillPath(properties.get(SPILL_PATH)),
                Optional.ofNullable(properties.get(DATA_DIR)).filter(dir -> !dir.isBlank()).map(Path::of)
                        .orElseGet(() -> defaultDataDir(Path.of(required(properties, TLS_DIR)))),
                accessControl(properties),
                JoinTokenConfig.fromProperties(properties),
                dataSize(JOIN_MAX_BROADCAST_TABLE_SIZE, properties.getOrDefault(JOIN_MAX_BROADCAST_TABLE_SIZE,
                        io.glaux.coordinator.query.SessionProperties.DEFAULT_JOIN_MAX_BROADCAST_TABLE_SIZE)),
                nodeCertificateValidity(properties.get(NODE_CERTIFICATE_VALIDITY)));
    }

    /** {@code node.certificate-validity}: default ten years; at least {@link #MIN_NODE_CERTIFICATE_VALIDITY}. */
    private static Duration nodeCertificateValidity(String value)
    {
        if (value == null || value.isBlank()) {
            return Duration.ofDays(3652);
        }
        Duration validity;
        try {
            validity = io.glaux.coordinator.query.SessionProperties.parseDuration(value.strip());
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid value '" + value + "' for " + NODE_CERTIFICATE_VALIDITY + ": " + e.getMessage());
        }
        if (validity.compareTo(MIN_NODE_CERTIFICATE_VALIDITY) < 0) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid value '" + value + "' for " + NODE_CERTIFICATE_VALIDITY + ": at least "
                    + MIN_NODE_CERTIFICATE_VALIDITY.toSeconds() + "s (workers renew at two thirds of it)");
        }
        return validity;
    }

    /** A positive data size ({@code 64MB}, {@code 2GB}); a USER error naming the key otherwise. */
    private static long dataSize(String key, String value)
    {
        try {
            long bytes = DataSize.parse(value);
            if (bytes > 0) {
                return bytes;
            }
        }
        catch (IllegalArgumentException e) {
            // reported below
        }
        throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid value '" + value + "' for " + key + " (a data size such as 2GB)");
    }

    /** {@code spill.path}: where operators spill; {@code none} disables spilling; by default a folder in the temporary directory. */
    private static Optional<Path> spillPath(String value)
    {
        if (value == null) {
            return Optional.of(Path.of(System.getProperty("java.io.tmpdir"), "glaux-spill"));
        }
        if (value.isBlank() || value.strip().equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(value.strip()));
    }

    private static QueryLimits limits(Map<String, String> properties)
    {
        try {
            return QueryLimits.fromProperties(properties);
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid configuration: " + e.getMessage(), e);
        }
    }

    private static AccessControl accessControl(Map<String, String> properties)
    {
        try {
            return AccessControlConfig.fromProperties(properties);
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid configuration: " + e.getMessage(), e);
        }
    }

    private static AuthenticationConfig authentication(Map<String, String> properties)
    {
        try {
            return AuthenticationConfig.fromProperties(properties);
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid configuration: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String value)
    {
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static HiveCatalogConfig metastore(Map<String, String> properties)
    {
        required(properties, METASTORE_URI);
        try {
            return HiveCatalogConfig.fromProperties(properties);
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid metastore configuration: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> properties, String key)
    {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Configuration property '" + key + "' is required");
        }
        return value;
    }
}
