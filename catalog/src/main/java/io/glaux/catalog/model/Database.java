package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * A schema (Hive "database").
 *
 * @param name lower-case name
 * @param location where the schema's managed tables go; when empty on create, the metastore picks
 *        one under its warehouse directory (and reports it back on read)
 * @param comment the schema comment
 * @param parameters the schema's DBPROPERTIES
 */
public record Database(String name, Optional<String> location, Optional<String> comment, Map<String, String> parameters)
{
    public Database
    {
        name = Names.lowerName(name, "name");
        requireNonNull(location, "location is null");
        requireNonNull(comment, "comment is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
    }

    /** A schema with no location, comment or parameters. */
    public static Database named(String name)
    {
        return new Database(name, Optional.empty(), Optional.empty(), Map.of());
    }
}
