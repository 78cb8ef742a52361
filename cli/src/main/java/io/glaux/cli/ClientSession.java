package io.glaux.cli;

import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The session state the client sends with each statement (Trino client request headers): user,
 * source, current catalog and schema, time zone, language, session properties, prepared statements
 * and the open transaction. Immutable: statements that change it ({@code USE}, {@code SET SESSION},
 * {@code PREPARE}, {@code START TRANSACTION}) yield a new session, see
 * {@link StatementClient#updateSession(ClientSession)}.
 */
public record ClientSession(
        String user,
        String source,
        Optional<String> catalog,
        Optional<String> schema,
        ZoneId timeZone,
        Locale locale,
        Map<String, String> properties,
        Map<String, String> preparedStatements,
        Optional<String> transactionId)
{
    public static final String DEFAULT_SOURCE = "glaux-cli";

    public ClientSession
    {
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(timeZone, "timeZone is null");
        requireNonNull(locale, "locale is null");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(properties, "properties is null")));
        preparedStatements = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(preparedStatements, "preparedStatements is null")));
        requireNonNull(transactionId, "transactionId is null");
    }

    /** A session for {@code user} in {@code catalog.schema} with the JVM's time zone and language. */
    public static ClientSession of(String user, String catalog, String schema)
    {
        return new ClientSession(user, DEFAULT_SOURCE, Optional.ofNullable(catalog), Optional.ofNullable(schema),
                ZoneId.systemDefault(), Locale.getDefault(), Map.of(), Map.of(), Optional.empty());
    }

    public ClientSession withCatalogAndSchema(Optional<String> newCatalog, Optional<String> newSchema)
    {
        return new ClientSession(user, source, newCatalog, newSchema, timeZone, locale, properties, preparedStatements, transactionId);
    }

    public ClientSession withProperties(Map<String, String> newProperties)
    {
        return new ClientSession(user, source, catalog, schema, timeZone, locale, newProperties, preparedStatements, transactionId);
    }

    public ClientSession withPreparedStatements(Map<String, String> newPreparedStatements)
    {
        return new ClientSession(user, source, catalog, schema, timeZone, locale, properties, newPreparedStatements, transactionId);
    }

    public ClientSession withTransactionId(Optional<String> newTransactionId)
    {
        return new ClientSession(user, source, catalog, schema, timeZone, locale, properties, preparedStatements, newTransactionId);
    }
}
