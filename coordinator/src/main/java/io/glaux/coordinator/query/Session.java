package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who runs a statement, where unqualified names resolve, and what the client carries from statement to
 * statement: the time zone ({@code X-Trino-Time-Zone}), the session properties ({@code X-Trino-Session},
 * names and values as sent; {@link SessionProperties} checks them when the statement runs) and the
 * prepared statements ({@code X-Trino-Prepared-Statement}, name → SQL text).
 */
public record Session(String user, String source, String catalog, String schema, ZoneId timeZone,
        Map<String, String> properties, Map<String, String> preparedStatements)
{
    public Session
    {
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(timeZone, "timeZone is null");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        preparedStatements = Collections.unmodifiableMap(new LinkedHashMap<>(preparedStatements));
    }

    /** A session in UTC without properties or prepared statements. */
    public Session(String user, String source, String catalog, String schema)
    {
        this(user, source, catalog, schema, ZoneOffset.UTC, Map.of(), Map.of());
    }

    /** The value the client set for a session property, as sent. */
    public Optional<String> property(String name)
    {
        return Optional.ofNullable(properties.get(name));
    }

    /** The zone of {@code current_timestamp} and friends: the {@code time_zone} property, else the client's zone. */
    public ZoneId effectiveTimeZone()
    {
        return valid(SessionProperties.TIME_ZONE).map(ZoneId::of).orElse(timeZone);
    }

    /** {@code query_max_run_time} when set (and valid: an invalid value fails the statement before it runs). */
    public Optional<Duration> queryMaxRunTime()
    {
        return valid(SessionProperties.QUERY_MAX_RUN_TIME).map(SessionProperties::parseDuration);
    }

    /** {@code query_max_memory} in bytes when set. */
    public OptionalLong queryMaxMemory()
    {
        Optional<String> value = valid(SessionProperties.QUERY_MAX_MEMORY);
        return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(SessionProperties.parseDataSize(value.get()));
    }

    /** {@code join_max_broadcast_table_size} in bytes when set (else the coordinator's {@code join-max-broadcast-table-size}). */
    public OptionalLong joinMaxBroadcastTableSize()
    {
        Optional<String> value = valid(SessionProperties.JOIN_MAX_BROADCAST_TABLE_SIZE);
        return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(SessionProperties.parseDataSize(value.get()));
    }

    /** {@code join_distribution_type}, {@code AUTOMATIC} unless set: for the planner to choose how joins are distributed. */
    public SessionProperties.JoinDistributionType joinDistributionType()
    {
        return valid(SessionProperties.JOIN_DISTRIBUTION_TYPE).map(SessionProperties.JoinDistributionType::valueOf)
                .orElse(SessionProperties.JoinDistributionType.AUTOMATIC);
    }

    private Optional<String> valid(String name)
    {
        String value = properties.get(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(SessionProperties.canonicalValue(name, value));
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
