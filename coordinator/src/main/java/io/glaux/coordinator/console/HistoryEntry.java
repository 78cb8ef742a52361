package io.glaux.coordinator.console;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One statement in the query history, from any client (console, JDBC, CLI). Times in epoch milliseconds. */
public record HistoryEntry(
        String queryId,
        String user,
        String source,
        String catalog,
        String schema,
        String sql,
        String state,
        Optional<String> errorName,
        Optional<String> errorMessage,
        long startMillis,
        Optional<Long> endMillis,
        long rows,
        long bytesScanned,
        long rowsScanned)
{
    public HistoryEntry
    {
        requireNonNull(queryId, "queryId is null");
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(state, "state is null");
        requireNonNull(errorName, "errorName is null");
        requireNonNull(errorMessage, "errorMessage is null");
        requireNonNull(endMillis, "endMillis is null");
    }
}
