package io.glaux.connectors.text;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.LineFormat;
import io.glaux.connectors.line.TimestampFormats;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hive's {@code OpenCSVSerde}, with opencsv 2.3's parsing rules as Hive and Athena apply them to each
 * line: fields separated by {@code separatorChar} (default {@code ,}), optionally quoted with
 * {@code quoteChar} (default {@code "}; a doubled quote inside quotes is a quote), and inside quotes
 * {@code escapeChar} (default {@code \}) makes a following quote or escape character literal; an
 * escape character before anything else is dropped. Fields are positional ({@value TableFormats#COLUMNS});
 * missing trailing fields are NULL, extra ones ignored, an empty field is an empty string.
 *
 * <p>As in Athena, every value is text: varchar columns get it as it is, other scalar columns parse it
 * (see {@link io.glaux.connectors.line.TextValueWriter}; an empty field is NULL, and a value that does
 * not parse is a {@code BAD_DATA} error naming the line and column). A quoted field cannot contain a
 * line break (the object is cut into lines first, as in Hive); a line that ends inside quotes is a
 * {@code BAD_DATA} error rather than a row of NULLs. Immutable.
 */
public final class CsvFormat
        implements LineFormat
{
    public static final String SEPARATOR_CHAR = "separatorChar";
    public static final String QUOTE_CHAR = "quoteChar";
    public static final String ESCAPE_CHAR = "escapeChar";

    private final List<String> tableColumns;
    private final byte separator;
    private final byte quote;
    private final byte escape;

    private CsvFormat(List<String> tableColumns, byte separator, byte quote, byte escape)
    {
        this.tableColumns = List.copyOf(tableColumns);
        this.separator = separator;
        this.quote = quote;
        this.escape = escape;
    }

    public static CsvFormat fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        return new CsvFormat(
                TextFormat.tableColumns(properties),
                character(properties, SEPARATOR_CHAR, ','),
                character(properties, QUOTE_CHAR, '"'),
                character(properties, ESCAPE_CHAR, '\\'));
    }

    private static byte character(Map<String, String> properties, String name, char defaultValue)
    {
        String value = properties.get(name);
        char c = value == null || value.isEmpty() ? defaultValue : value.charAt(0);
        if (c > 127) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "The '%s' property must be an ASCII character, not '%s'".formatted(name, value));
        }
        return (byte) c;
    }

    @Override
    public String displayName()
    {
        return "CSV";
    }

    byte separator()
    {
        return separator;
    }

    byte quote()
    {
        return quote;
    }

    byte escape()
    {
        return escape;
    }

    @Override
    public LineDeserializer createDeserializer(List<ColumnHandle> columns, String path)
    {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < tableColumns.size(); i++) {
            positions.putIfAbsent(tableColumns.get(i), i);
        }
        int[] columnPositions = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnHandle column = columns.get(i);
            Integer position = positions.get(column.name().toLowerCase(Locale.ROOT));
            if (position == null) {
                throw new GlauxException(ErrorCode.COLUMN_NOT_FOUND, "Column '%s' is not one of the table's data columns (%s)"
                        .formatted(column.name(), String.join(", ", tableColumns)));
            }
            if (column.type() instanceof Type.Array || column.type() instanceof Type.MapType || column.type() instanceof Type.Row) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column '%s' of %s is of type %s: CSV (OpenCSVSerde) columns must be scalar"
                        .formatted(column.name(), path, column.type().trinoName()));
            }
            columnPositions[i] = position;
        }
        return new CsvDeserializer(this, columns, columnPositions, TimestampFormats.none());
    }
}
