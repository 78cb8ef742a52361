package io.glaux.catalog.hive;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of {@link HiveMetastoreCatalog}. From a catalog properties file with
 * {@link #fromProperties(Map)}:
 * <ul>
 * <li>{@code hive.metastore.uri} (required): {@code thrift://host:port}; several, comma-separated, for failover</li>
 * <li>{@code hive.metastore-cache-ttl} (default {@code 10s}, {@code 0} turns the cache off): how long
 *     table definitions, table lists and partition lists are reused</li>
 * <li>{@code hive.metastore-timeout} (default {@code 10s}): connect and read timeout of one metastore call</li>
 * <li>{@code hive.metastore.max-connections} (default {@code 4}): Thrift connections kept open, and
 *     the most metastore calls in flight at once</li>
 * </ul>
 * Durations are written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} (or {@code 0}).
 *
 * @param metastoreUri {@code thrift://host:port}
 * @param cacheTtl 0 disables caching
 * @param timeout socket connect/read timeout
 * @param maxConnections pool size, at least 1
 * @param metastoreProperties extra Hive {@code MetastoreConf}/Hadoop client settings, passed through as-is
 */
public record HiveCatalogConfig(String metastoreUri, Duration cacheTtl, Duration timeout, int maxConnections, Map<String, String> metastoreProperties)
{
    public static final String METASTORE_URI = "hive.metastore.uri";
    public static final String CACHE_TTL = "hive.metastore-cache-ttl";
    public static final String TIMEOUT = "hive.metastore-timeout";
    public static final String MAX_CONNECTIONS = "hive.metastore.max-connections";

    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 4;

    public HiveCatalogConfig
    {
        requireNonNull(metastoreUri, "metastoreUri is null");
        for (String uri : metastoreUri.split(",")) {
            if (!uri.trim().startsWith("thrift://")) {
                throw new IllegalArgumentException(METASTORE_URI + " must be thrift://host:port, got: " + metastoreUri);
            }
        }
        requireNonNull(cacheTtl, "cacheTtl is null");
        requireNonNull(timeout, "timeout is null");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException(CACHE_TTL + " is negative: " + cacheTtl);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(TIMEOUT + " must be positive: " + timeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(MAX_CONNECTIONS + " must be at least 1: " + maxConnections);
        }
        metastoreProperties = Map.copyOf(requireNonNull(metastoreProperties, "metastoreProperties is null"));
    }

    /** Defaults for everything but the URI. */
    public static HiveCatalogConfig of(String metastoreUri)
    {
        return new HiveCatalogConfig(metastoreUri, DEFAULT_CACHE_TTL, DEFAULT_TIMEOUT, DEFAULT_MAX_CONNECTIONS, Map.of());
    }

    public HiveCatalogConfig withCacheTtl(Duration cacheTtl)
    {
        return new HiveCatalogConfig(metastoreUri, cacheTtl, timeout, maxConnections, metastoreProperties);
    }

    public HiveCatalogConfig withTimeout(Duration timeout)
    {
        return new HiveCatalogConfig(metastoreUri, cacheTtl, timeout, maxConnections, metastoreProperties);
    }

    public HiveCatalogConfig withMaxConnections(int maxConnections)
    {
        return new HiveCatalogConfig(metastoreUri, cacheTtl, timeout, maxConnections, metastoreProperties);
    }

    /**
     * Reads the {@code hive.metastore*} keys listed above. Other keys starting with {@code metastore.}
     * or {@code hive.metastore.client.} are passed to the Hive client unchanged; anything else is ignored
     * (the file may configure other parts of the catalog).
     */
    public static HiveCatalogConfig fromProperties(Map<String, String> properties)
    {
        String uri = properties.get(METASTORE_URI);
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("missing required property " + METASTORE_URI);
        }
        Duration ttl = properties.containsKey(CACHE_TTL) ? parseDuration(CACHE_TTL, properties.get(CACHE_TTL)) : DEFAULT_CACHE_TTL;
        Duration timeout = properties.containsKey(TIMEOUT) ? parseDuration(TIMEOUT, properties.get(TIMEOUT)) : DEFAULT_TIMEOUT;
        int maxConnections = DEFAULT_MAX_CONNECTIONS;
        if (properties.containsKey(MAX_CONNECTIONS)) {
            try {
                maxConnections = Integer.parseInt(properties.get(MAX_CONNECTIONS).trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException(MAX_CONNECTIONS + " is not a number: " + properties.get(MAX_CONNECTIONS));
            }
        }
        Map<String, String> passThrough = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith("metastore.") || key.startsWith("hive.metastore.client.")) {
                passThrough.put(key, value);
            }
        });
        return new HiveCatalogConfig(uri.trim(), ttl, timeout, maxConnections, passThrough);
    }

    /** Parses {@code 0}, {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}. */
    static Duration parseDuration(String key, String text)
    {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.equals("0")) {
                return Duration.ZERO;
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1).trim());
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        }
        catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(key + " is not a duration (like 500ms, 10s, 5m, 1h or 0): " + text);
        }
    }
}
