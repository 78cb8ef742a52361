package io.glaux.connectors.text;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.LineFormat;
import io.glaux.connectors.line.TimestampFormats;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hive's {@code LazySimpleSerDe} (delimited text, {@code STORED AS TEXTFILE}; TSV is this with a tab
 * delimiter). Fields are positional: the n-th field of a line is the n-th of the table's data columns
 * ({@value TableFormats#COLUMNS}). SerDe properties, as Hive reads them:
 *
 * <ul>
 *   <li>{@code field.delim} (else {@code serialization.format}, else {@code \001}); a value that is a
 *       number is the byte with that value ({@code "9"} is a tab), else its first character.</li>
 *   <li>{@code collection.delim} (or Hive's historical {@code colelction.delim}, default {@code \002})
 *       between array elements, map entries and struct fields; {@code mapkey.delim} (default
 *       {@code \003}) between a map key and its value; deeper nesting levels use {@code \004},
 *       {@code \005}, ...</li>
 *   <li>{@code escape.delim}: the byte after it is taken literally (a delimiter in a value);
 *       {@code serialization.escape.crlf=true} also turns {@code \r}/{@code \n} escapes into CR/LF.</li>
 *   <li>{@code serialization.null.format} (default {@code \N}): a field equal to it is NULL.</li>
 *   <li>{@code serialization.last.column.takes.rest}: the last column gets the rest of the line.</li>
 *   <li>{@code serialization.encoding}: the character set of the file (default UTF-8; others must be
 *       single-byte, ASCII-compatible sets such as ISO-8859-1 or windows-1252).</li>
 *   <li>{@code timestamp.formats}: see {@link TimestampFormats}.</li>
 * </ul>
 *
 * As in Hive, a value that is not valid for its column's type is NULL (so is an empty field of a
 * non-string column); missing trailing fields are NULL; extra fields are ignored. Immutable.
 */
public final class TextFormat
        implements LineFormat
{
    public static final String FIELD_DELIM = "field.delim";
    public static final String SERIALIZATION_FORMAT = "serialization.format";
    public static final String COLLECTION_DELIM = "collection.delim";
    public static final String HIVE_COLLECTION_DELIM = "colelction.delim";
    public static final String MAPKEY_DELIM = "mapkey.delim";
    public static final String ESCAPE_DELIM = "escape.delim";
    public static final String ESCAPE_CRLF = "serialization.escape.crlf";
    public static final String NULL_FORMAT = "serialization.null.format";
    public static final String LAST_COLUMN_TAKES_REST = "serialization.last.column.takes.rest";
    public static final String ENCODING = "serialization.encoding";

    private final List<String> tableColumns;
    private final byte[] separators;
    private final boolean escaped;
    private final byte escapeChar;
    private final boolean escapeCrLf;
    private final byte[] nullSequence;
    private final boolean lastColumnTakesRest;
    private final Charset charset;
    private final TimestampFormats timestampFormats;

    private TextFormat(List<String> tableColumns, byte[] separators, boolean escaped, byte escapeChar, boolean escapeCrLf,
            byte[] nullSequence, boolean lastColumnTakesRest, Charset charset, TimestampFormats timestampFormats)
    {
        this.tableColumns = List.copyOf(tableColumns);
        this.separators = separators.clone();
        this.escaped = escaped;
        this.escapeChar = escapeChar;
        this.escapeCrLf = escapeCrLf;
        this.nullSequence = nullSequence.clone();
        this.lastColumnTakesRest = lastColumnTakesRest;
        this.charset = requireNonNull(charset, "charset is null");
        this.timestampFormats = requireNonNull(timestampFormats, "timestampFormats is null");
    }

    /** The format a table's properties describe; {@code INVALID_TABLE_PROPERTY} for a bad property. */
    public static TextFormat fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        List<String> columns = tableColumns(properties);
        byte[] separators = new byte[24];
        separators[0] = delimiter(properties, FIELD_DELIM, properties.containsKey(FIELD_DELIM) ? null : SERIALIZATION_FORMAT, (byte) 1);
        separators[1] = delimiter(properties, properties.containsKey(COLLECTION_DELIM) ? COLLECTION_DELIM : HIVE_COLLECTION_DELIM, null, (byte) 2);
        separators[2] = delimiter(properties, MAPKEY_DELIM, null, (byte) 3);
        for (int level = 3; level < separators.length; level++) {
            separators[level] = (byte) (level + 1);
        }
        String escape = properties.get(ESCAPE_DELIM);
        boolean escaped = escape != null && !escape.isEmpty();
        byte escapeChar = escaped ? delimiter(properties, ESCAPE_DELIM, null, (byte) '\\') : 0;
        String nullFormat = properties.getOrDefault(NULL_FORMAT, "\\N");
        Charset charset = charset(properties.get(ENCODING));
        return new TextFormat(
                columns,
                separators,
                escaped,
                escapeChar,
                Boolean.parseBoolean(properties.getOrDefault(ESCAPE_CRLF, "false").trim()),
                nullFormat.getBytes(charset),
                Boolean.parseBoolean(properties.getOrDefault(LAST_COLUMN_TAKES_REST, "false").trim()),
                charset,
                TimestampFormats.parse(properties.get(TimestampFormats.PROPERTY)));
    }

    /** The table's data column names from {@value TableFormats#COLUMNS}, lower case. */
    public static List<String> tableColumns(Map<String, String> properties)
    {
        String columns = properties.get(TableFormats.COLUMNS);
        if (columns == null) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY,
                    "The '%s' format property (the table's data columns, in order) is missing: delimited fields are positional".formatted(TableFormats.COLUMNS));
        }
        if (columns.isBlank()) {
            return List.of();
        }
        return Arrays.stream(columns.split(",", -1)).map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Hive's {@code LazySerDeParameters.getByte}: a number is that byte, anything else its first character. */
    static byte delimiter(Map<String, String> properties, String name, String fallbackName, byte defaultValue)
    {
        String value = properties.get(name);
        if ((value == null || value.isEmpty()) && fallbackName != null) {
            value = properties.get(fallbackName);
            name = fallbackName;
        }
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Byte.parseByte(value);
        }
        catch (NumberFormatException e) {
            char c = value.charAt(0);
            if (c > 127) {
                throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "The '%s' property must be an ASCII character or a byte value, not '%s'".formatted(name, value));
            }
            return (byte) c;
        }
    }

    static Charset charset(String encoding)
    {
        if (encoding == null || encoding.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        Charset charset;
        try {
            charset = Charset.forName(encoding.trim());
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Unknown character set '%s' in %s".formatted(encoding, ENCODING), e);
        }
        if (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)) {
            return StandardCharsets.UTF_8;
        }
        // lines and fields are cut on bytes: only sets that encode ASCII as itself, one byte per character
        float maxBytes = charset.newEncoder().maxBytesPerChar();
        byte[] ascii = "\n\r,;|\t\u0001azAZ09\\\"".getBytes(charset);
        if (maxBytes > 1 || !Arrays.equals(ascii, "\n\r,;|\t\u0001azAZ09\\\"".getBytes(StandardCharsets.US_ASCII))) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Character set '%s' (%s) is not supported: use UTF-8 or a single-byte, ASCII-compatible set".formatted(encoding, ENCODING));
        }
        return charset;
    }

    @Override
    public String displayName()
    {
        return "text";
    }

    List<String> tableColumns()
    {
        return tableColumns;
    }

    /** The separator of nesting level {@code level} (0: fields, 1: collection items, 2: map keys, ...). */
    byte separator(int level)
    {
        if (level >= separators.length) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Delimited text supports at most %d levels of nesting".formatted(separators.length - 1));
        }
        return separators[level];
    }

    boolean escaped()
    {
        return escaped;
    }

    byte escapeChar()
    {
        return escapeChar;
    }

    boolean escapeCrLf()
    {
        return escapeCrLf;
    }

    byte[] nullSequence()
    {
        return nullSequence;
    }

    boolean lastColumnTakesRest()
    {
        return lastColumnTakesRest;
    }

    Charset charset()
    {
        return charset;
    }

    TimestampFormats timestampFormats()
    {
        return timestampFormats;
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
            Integer position = positions.get(columns.get(i).name().toLowerCase(Locale.ROOT));
            if (position == null) {
                throw new GlauxException(ErrorCode.COLUMN_NOT_FOUND, "Column '%s' is not one of the table's data columns (%s)"
                        .formatted(columns.get(i).name(), String.join(", ", tableColumns)));
            }
            columnPositions[i] = position;
        }
        return new TextDeserializer(this, columns, columnPositions);
    }
}
