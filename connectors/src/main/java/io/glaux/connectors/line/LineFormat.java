package io.glaux.connectors.line;

import io.glaux.connectors.format.ColumnHandle;

import java.util.List;

/**
 * A line-oriented file format (delimited text, CSV, JSON lines, regex), configured from a table's
 * format properties. Immutable and thread-safe; creates a deserializer per split.
 */
public interface LineFormat
{
    /** The name used in error messages: "text", "CSV", "JSON", "regex". */
    String displayName();

    /**
     * A deserializer producing {@code columns} (all REGULAR, distinct names), in order.
     *
     * @param path {@code s3://bucket/key} of the split's object, for messages
     * @throws io.glaux.spi.error.GlauxException when a column cannot be read in this format
     */
    LineDeserializer createDeserializer(List<ColumnHandle> columns, String path);
}
