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
 */
public record QueryLimits(Duration maxRunTime, Duration clientTimeout, int maxQueryLength, long maxRequestBodyBytes)
{
    public static final String MAX_RUN_TIME = "query.max-run-time";
    public static final String CLIENT_TIMEOUT = "query.client.timeout";
    public static final String MAX_QUERY_LENGTH = "query.max-length";
    public static final String MAX_REQUEST_BODY_SIZE = "http-server.max-request-body-size";
    public static final Set<String> CONFIG_KEYS = Set.of(MAX_RUN_TIME, CLIENT_TIMEOUT, MAX_QUERY_LENGTH, MAX_REQUEST_BODY_SIZE);

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
    }

    public static QueryLimits defaults()
    {
        return new QueryLimits(Duration.ofDays(100), Duration.ofMinutes(5), 1_000_000, 4L << 20);
    }

    public static QueryLimits fromProperties(Map<String, String> properties)
    {
        QueryLimits defaults = defaults();
        return new QueryLimits(
                duration(properties, MAX_RUN_TIME, defaults.maxRunTime()),
                duration(properties, CLIENT_TIMEOUT, defaults.clientTimeout()),
                (int) Math.min(Integer.MAX_VALUE, Long.parseLong(properties.getOrDefault(MAX_QUERY_LENGTH, String.valueOf(defaults.maxQueryLength())).strip())),
                size(properties, MAX_REQUEST_BODY_SIZE, defaults.maxRequestBodyBytes()));
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
        for (String suffix : new String[] {"KB", "MB", "GB", "B"}) {
            if (text.endsWith(suffix)) {
                unit = switch (suffix) {
                    case "KB" -> 1L << 10;
                    case "MB" -> 1L << 20;
                    case "GB" -> 1L << 30;
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
