package io.glaux.coordinator.limits;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-query limits of the coordinator (keys in docs/security.md):
 *
 * @param maxRunTime {@value #MAX_RUN_TIME}: a query running (queued and planned included) longer fails
 *        with {@code EXCEEDED_TIME_LIMIT}
 * @param clientTimeout {@value #CLIENT_TIMEOUT}: a query whose client has not asked for results for this
 *        long is cancelled with {@code ABANDONED_QUERY}, freeing its memory
 * @param maxQueryLength {@value #MAX_QUERY_LENGTH}: the most characters of SQL text in one statement
 * @param maxRequestBodyBytes {@value #MAX_REQUEST_BODY_SIZE}: the largest request body accepted
 * @param maxQueuedTime {@value #MAX_QUEUED_TIME}: a query waiting in the queue longer fails with {@code EXCEEDED_TIME_LIMIT}
 * @param maxScanBytes {@value #MAX_SCAN_BYTES}: a query whose scans return more bytes fails with
 *        {@code EXCEEDED_SCAN_LIMIT} ({@link Long#MAX_VALUE}: no limit)
 * @param maxConcurrentPerUser {@value #MAX_CONCURRENT_PER_USER}: queries of one user that run at once; the
 *        others wait in a FIFO queue, in state {@code QUEUED}
 * @param maxConcurrentPerGroup {@value #MAX_CONCURRENT_PER_GROUP}: the same for all users of a group
 *        (groups of the access-control rules); a query runs when every bucket it counts in has room
 * @param maxQueuedPerUser {@value #MAX_QUEUED_PER_USER}: queries one user may have waiting; more fail with {@code QUERY_QUEUE_FULL}
 */
public record QueryLimits(Duration maxRunTime, Duration clientTimeout, int maxQueryLength, long maxRequestBodyBytes,
        Duration maxQueuedTime, long maxScanBytes, int maxConcurrentPerUser, int maxConcurrentPerGroup, int maxQueuedPerUser)
{
    public static final String MAX_RUN_TIME = "query.max-run-time";
    public static final String CLIENT_TIMEOUT = "query.client.timeout";
    public static final String MAX_QUERY_LENGTH = "query.max-length";
    public static final String MAX_REQUEST_BODY_SIZE = "http-server.max-request-body-size";
    public static final String MAX_QUEUED_TIME = "query.max-queued-time";
    public static final String MAX_SCAN_BYTES = "query.max-scan-physical-bytes";
    public static final String MAX_CONCURRENT_PER_USER = "query.max-concurrent-per-user";
    public static final String MAX_CONCURRENT_PER_GROUP = "query.max-concurrent-per-group";
    public static final String MAX_QUEUED_PER_USER = "query.max-queued-per-user";
    public static final Set<String> CONFIG_KEYS = Set.of(MAX_RUN_TIME, CLIENT_TIMEOUT, MAX_QUERY_LENGTH, MAX_REQUEST_BODY_SIZE,
            MAX_QUEUED_TIME, MAX_SCAN_BYTES, MAX_CONCURRENT_PER_USER, MAX_CONCURRENT_PER_GROUP, MAX_QUEUED_PER_USER);

    public QueryLimits
    {
        requireNonNull(maxRunTime, "maxRunTime is null");
        requireNonNull(clientTimeout, "clientTimeout is null");
        if (maxRunTime.isNegative() || maxRunTime.isZero() || clientTimeout.isNegative() || clientTimeout.isZero()) {
            throw new IllegalArgumentException("%s and %s must be positive".formatted(MAX_RUN_TIME, CLIENT_TIMEOUT));
        }
        if (maxQueryLength < 1 || maxRequestBodyBytes < 1) {
            throw new IllegalArgumentException("%s and %s must be positive".formatted(MAX_QUERY_LENGTH, MAX_REQUEST_BODY_SIZE));
        }
        requireNonNull(maxQueuedTime, "maxQueuedTime is null");
        if (maxQueuedTime.isNegative() || maxQueuedTime.isZero()) {
            throw new IllegalArgumentException("%s must be positive".formatted(MAX_QUEUED_TIME));
        }
        if (maxScanBytes < 1) {
            throw new IllegalArgumentException("%s must be positive".formatted(MAX_SCAN_BYTES));
        }
        if (maxConcurrentPerUser < 1 || maxConcurrentPerGroup < 1 || maxQueuedPerUser < 0) {
            throw new IllegalArgumentException("%s and %s must be positive, %s at least 0"
                    .formatted(MAX_CONCURRENT_PER_USER, MAX_CONCURRENT_PER_GROUP, MAX_QUEUED_PER_USER));
        }
    }

    /** Whether queries may have to wait (a concurrency cap is set). */
    public boolean queueing()
    {
        return maxConcurrentPerUser != Integer.MAX_VALUE || maxConcurrentPerGroup != Integer.MAX_VALUE;
    }

    public static QueryLimits defaults()
    {
        return new QueryLimits(Duration.ofDays(100), Duration.ofMinutes(5), 1_000_000, 4L << 20,
                Duration.ofDays(100), Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 1000);
    }

    public static QueryLimits fromProperties(Map<String, String> properties)
    {
        QueryLimits defaults = defaults();
        return new QueryLimits(
                duration(properties, MAX_RUN_TIME, defaults.maxRunTime()),
                duration(properties, CLIENT_TIMEOUT, defaults.clientTimeout()),
                (int) Math.min(Integer.MAX_VALUE, Long.parseLong(properties.getOrDefault(MAX_QUERY_LENGTH, String.valueOf(defaults.maxQueryLength())).strip())),
                size(properties, MAX_REQUEST_BODY_SIZE, defaults.maxRequestBodyBytes()),
                duration(properties, MAX_QUEUED_TIME, defaults.maxQueuedTime()),
                size(properties, MAX_SCAN_BYTES, defaults.maxScanBytes()),
                count(properties, MAX_CONCURRENT_PER_USER, defaults.maxConcurrentPerUser()),
                count(properties, MAX_CONCURRENT_PER_GROUP, defaults.maxConcurrentPerGroup()),
                count(properties, MAX_QUEUED_PER_USER, defaults.maxQueuedPerUser()));
    }

    private static int count(Map<String, String> properties, String key, int fallback)
    {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s: '%s' is not a whole number".formatted(key, value));
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    public static Duration duration(Map<String, String> properties, String key, Duration fallback)
    {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        }
        catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("%s: '%s' is not a duration (e.g. 500ms, 30s, 5m, 2h, 1d)".formatted(key, value));
        }
    }

    private static long size(Map<String, String> properties, String key, long fallback)
    {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String suffix : new String[] {"KB", "MB", "GB", "TB", "B"}) {
            if (text.endsWith(suffix)) {
                unit = switch (suffix) {
                    case "KB" -> 1L << 10;
                    case "MB" -> 1L << 20;
                    case "GB" -> 1L << 30;
                    case "TB" -> 1L << 40;
                    default -> 1;
                };
                text = text.substring(0, text.length() - suffix.length()).strip();
                break;
            }
        }
        try {
            return Long.parseLong(text) * unit;
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s: '%s' is not a size (e.g. 4MB)".formatted(key, value));
        }
    }

    /** "30s", "5m", ... for error messages. */
    public static String format(Duration duration)
    {
        long millis = duration.toMillis();
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
