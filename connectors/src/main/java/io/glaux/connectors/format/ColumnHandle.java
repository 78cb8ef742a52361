package io.glaux.connectors.format;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;

/**
 * A column a scan produces. REGULAR columns are read from the file by (case-insensitive) name;
 * PARTITION columns come from the split's partition values; HIDDEN columns are {@code $path},
 * {@code $file_size} and {@code $file_modified_time}.
 */
public record ColumnHandle(String name, Type type, Kind kind)
{
    public enum Kind
    {
        REGULAR, PARTITION, HIDDEN
    }

    public ColumnHandle
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(kind, "kind is null");
    }
}
