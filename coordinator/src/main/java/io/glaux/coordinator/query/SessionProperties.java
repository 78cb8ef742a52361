package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The system session properties a client may set ({@code SET SESSION}, {@code X-Trino-Session}, the
 * CLI's {@code --session}), with Trino's names and value formats. A name that is not here fails with
 * {@code INVALID_SESSION_PROPERTY}, and so does a value the property does not take.
 */
public final class SessionProperties
{
    public static final String QUERY_MAX_RUN_TIME = "query_max_run_time";
    public static final String QUERY_MAX_MEMORY = "query_max_memory";
    public static final String JOIN_DISTRIBUTION_TYPE = "join_distribution_type";
    public static final String JOIN_MAX_BROADCAST_TABLE_SIZE = "join_max_broadcast_table_size";
    /** {@code join-max-broadcast-table-size}'s default: the largest build side broadcast (Arrow bytes) unless configured. */
    public static final String DEFAULT_JOIN_MAX_BROADCAST_TABLE_SIZE = "4MB";
    public static final String TIME_ZONE = "time_zone";

    /** How the planner distributes a join's inputs; {@code AUTOMATIC} lets it choose by size. */
    public enum JoinDistributionType { AUTOMATIC, PARTITIONED, BROADCAST }

    /**
     * One property: its SQL type (every one is {@code varchar} here, as in Trino), the default shown by
     * {@code SHOW SESSION}, and {@code canonical}, which checks a value (throwing
     * {@link IllegalArgumentException} with the reason) and returns it in canonical form.
     */
    public record Property(String name, String type, String defaultValue, String description, UnaryOperator<String> canonical)
    {
        public Property
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(defaultValue, "defaultValue is null");
            requireNonNull(description, "description is null");
            requireNonNull(canonical, "canonical is null");
        }
    }

    private static final Pattern DURATION = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]+)\\s*$");
    private static final Pattern DATA_SIZE = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]+)\\s*$");

    private static final Map<String, Property> PROPERTIES = properties(
            new Property(JOIN_DISTRIBUTION_TYPE, "varchar", "AUTOMATIC",
                    "Join distribution type: " + Arrays.stream(JoinDistributionType.values()).map(Enum::name).collect(Collectors.joining(", ")),
                    SessionProperties::joinDistributionType),
            new Property(JOIN_MAX_BROADCAST_TABLE_SIZE, "varchar", DEFAULT_JOIN_MAX_BROADCAST_TABLE_SIZE,
                    "Maximum estimated size of a join's build side for it to be broadcast when join_distribution_type is AUTOMATIC "
                            + "(default: join-max-broadcast-table-size)",
                    value -> {
                        parseDataSize(value);
                        return value.strip();
                    }),
            new Property(QUERY_MAX_MEMORY, "varchar", "20GB",
                    "Maximum amount of memory a query can use on a node (never more than query.max-memory-per-node)",
                    value -> {
                        parseDataSize(value);
                        return value.strip();
                    }),
            new Property(QUERY_MAX_RUN_TIME, "varchar", "100d",
                    "Maximum run time of a query, queued and planning time included (never more than query.max-run-time)",
                    value -> {
                        parseDuration(value);
                        return value.strip();
                    }),
            new Property(TIME_ZONE, "varchar", "",
                    "Time zone of current_timestamp and now() (default: the client's time zone)",
                    SessionProperties::zone));

    private SessionProperties() {}

    private static Map<String, Property> properties(Property... properties)
    {
        Map<String, Property> map = new LinkedHashMap<>();
        for (Property property : properties) {
            map.put(property.name(), property);
        }
        return map;
    }

    /** Every property, by name. */
    public static List<Property> all()
    {
        return List.copyOf(PROPERTIES.values());
    }

    /** The property named {@code name}; INVALID_SESSION_PROPERTY when there is none. */
    public static Property property(String name)
    {
        Property property = PROPERTIES.get(name.toLowerCase(Locale.ROOT));
        if (property == null) {
            throw new GlauxException(ErrorCode.INVALID_SESSION_PROPERTY, "Session property '%s' does not exist (SHOW SESSION lists them)".formatted(name));
        }
        return property;
    }

    /** {@code value} in canonical form for property {@code name}; INVALID_SESSION_PROPERTY naming both when it is not a value of the property. */
    public static String canonicalValue(String name, String value)
    {
        Property property = property(name);
        try {
            return property.canonical().apply(value);
        }
        catch (IllegalArgumentException | DateTimeException e) {
            throw new GlauxException(ErrorCode.INVALID_SESSION_PROPERTY,
                    "Invalid value '%s' for session property %s: %s".formatted(value, property.name(), e.getMessage()));
        }
    }

    /** Checks every property of the session (as the client sent them). */
    public static void validate(Session session)
    {
        session.properties().forEach(SessionProperties::canonicalValue);
    }

    /** A duration as Trino writes one: {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 2h}, {@code 1d} (also ns, us). */
    public static Duration parseDuration(String text)
    {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration (e.g. 500ms, 30s, 5m, 2h, 1d)");
        }
        long nanosPerUnit = switch (matcher.group(2)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException("unknown time unit '" + matcher.group(2) + "' (ns, us, ms, s, m, h, d)");
        };
        BigDecimal nanos = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
        if (nanos.signum() == 0) {
            throw new IllegalArgumentException("a duration must be positive");
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Duration.ofDays(106_000);
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** A size as Trino writes one: {@code 100B}, {@code 64kB}, {@code 512MB}, {@code 1.5GB}, {@code 2TB}, {@code 1PB} (units in any case). */
    public static long parseDataSize(String text)
    {
        Matcher matcher = DATA_SIZE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a data size (e.g. 512MB, 2GB)");
        }
        long unit = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "B" -> 1L;
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            case "PB" -> 1L << 50;
            default -> throw new IllegalArgumentException("unknown size unit '" + matcher.group(2) + "' (B, kB, MB, GB, TB, PB)");
        };
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit));
        if (bytes.signum() == 0) {
            throw new IllegalArgumentException("a data size must be positive");
        }
        return bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : bytes.longValue();
    }

    /**
     * {@code bytes} as Trino writes a size, in the largest unit not above it: {@code 4MB}, {@code 1.87GB} (two
     * decimals at most, trailing zeros dropped), {@code 100B}.
     */
    public static String formatDataSize(long bytes)
    {
        String[] units = {"PB", "TB", "GB", "MB", "kB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes >= unit) {
                BigDecimal value = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(unit), 2, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
                return value.toPlainString() + units[i];
            }
        }
        return bytes + "B";
    }

    private static String joinDistributionType(String value)
    {
        try {
            return JoinDistributionType.valueOf(value.strip().toUpperCase(Locale.ROOT)).name();
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of " + Arrays.stream(JoinDistributionType.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
    }

    private static String zone(String value)
    {
        try {
            return ZoneId.of(value.strip()).getId();
        }
        catch (DateTimeException e) {
            throw new IllegalArgumentException("not a time zone id (e.g. UTC, Europe/Berlin, +02:00)");
        }
    }
}
