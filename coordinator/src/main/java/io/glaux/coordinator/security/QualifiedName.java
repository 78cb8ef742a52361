package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

/** A table or view as access control sees it: {@code catalog.schema.name}, lower case as the metastore keeps it. */
public record QualifiedName(String catalog, String schema, String name)
{
    public QualifiedName
    {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
    }

    @Override
    public String toString()
    {
        return catalog + "." + schema + "." + name;
    }
}
