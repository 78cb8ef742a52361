package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;

import java.util.Optional;

/** A table column: lower-case name, SQL type and optional comment. */
public record Column(String name, Type type, Optional<String> comment)
{
    public Column
    {
        name = Names.lowerName(name, "name");
        requireNonNull(type, "type is null");
        requireNonNull(comment, "comment is null");
    }

    public Column(String name, Type type)
    {
        this(name, type, Optional.empty());
    }
}
