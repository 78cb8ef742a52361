package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

/** Who runs a statement and where unqualified names resolve. */
public record Session(String user, String source, String catalog, String schema)
{
    public Session
    {
        requireNonNull(user, "user is null");
        requireNonNull(source, "source is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
    }
}
