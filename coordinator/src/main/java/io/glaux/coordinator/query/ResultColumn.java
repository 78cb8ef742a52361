package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.rel.type.RelDataType;

/** A result column: its name and Calcite type (rendered as a Trino type by the protocol layer). */
public record ResultColumn(String name, RelDataType type)
{
    public ResultColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
