package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What running a statement produced: result columns and a cursor over rows (Calcite's Java values),
 * plus session changes ({@code USE}, {@code SET SESSION}, {@code PREPARE}). {@code close} releases whatever the cursor holds (worker streams).
 */
public record StatementResult(
        List<ResultColumn> columns,
        Iterator<?> rows,
        AutoCloseable resources,
        Optional<String> setCatalog,
        Optional<String> setSchema,
        Optional<String> updateType,
        SessionChanges sessionChanges)
{
    public StatementResult
    {
        columns = List.copyOf(columns);
        requireNonNull(rows, "rows is null");
        requireNonNull(resources, "resources is null");
        requireNonNull(setCatalog, "setCatalog is null");
        requireNonNull(setSchema, "setSchema is null");
        requireNonNull(updateType, "updateType is null");
        requireNonNull(sessionChanges, "sessionChanges is null");
    }

    public StatementResult(List<ResultColumn> columns, Iterator<?> rows, AutoCloseable resources, Optional<String> setCatalog,
            Optional<String> setSchema, Optional<String> updateType)
    {
        this(columns, rows, resources, setCatalog, setSchema, updateType, SessionChanges.NONE);
    }

    /** A statement without rows that changes the session ({@code SET SESSION}, {@code PREPARE}, ...). */
    public static StatementResult sessionChange(String updateType, SessionChanges changes)
    {
        return new StatementResult(List.of(), List.of().iterator(), () -> { }, Optional.empty(), Optional.empty(), Optional.of(updateType), changes);
    }

    public static StatementResult of(List<ResultColumn> columns, List<Object[]> rows)
    {
        return new StatementResult(columns, rows.iterator(), () -> { }, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
