package io.glaux.connectors.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.LineFormat;
import io.glaux.connectors.line.TimestampFormats;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON lines: one JSON object per line, as Hive's {@code org.apache.hive.hcatalog.data.JsonSerDe}
 * (and {@code org.apache.hadoop.hive.serde2.JsonSerDe}) and the OpenX {@code JsonSerDe} read them.
 * Keys match columns (and the fields of row columns) case-insensitively; keys without a column are
 * skipped; a key that appears twice takes its last value; a missing key is NULL. Blank lines are not rows.
 *
 * <p>Values are coerced to the column's type: numbers and numeric strings to numeric columns (an
 * integer column takes a fractional number only when it is integral), {@code true}/{@code false}
 * (also as strings) to boolean, strings to date ({@code yyyy-MM-dd}), timestamp (Hive's format, ISO 8601
 * with 'T', a zone suffix converted to UTC, or {@code timestamp.formats}; numbers only with the
 * {@code millis} format) and base64 to varbinary; any scalar to varchar (numbers and booleans as
 * their JSON text), and an object or array to varchar as its JSON text; objects to row and map columns
 * (keys parsed to the key type), arrays to array columns. An empty string is NULL for non-string
 * columns. A value that cannot be coerced is a {@code BAD_DATA} error naming the line and column.
 *
 * <p>Properties: {@code mapping.<column>} = the JSON key the column reads (Hive, OpenX);
 * for the OpenX SerDe ({@value TableFormats#JSON_SERDE} = {@code openx}) also
 * {@code ignore.malformed.json} (a line that is not valid JSON, or not an object, becomes a row of
 * NULLs instead of an error), {@code dots.in.keys} (dots in keys read as underscores: key {@code a.b}
 * is column {@code a_b}) and {@code case.insensitive} (default true); OpenX also accepts single-quoted
 * strings and unquoted keys, as its parser does. Immutable.
 */
public final class JsonFormat
        implements LineFormat
{
    public static final String IGNORE_MALFORMED = "ignore.malformed.json";
    public static final String DOTS_IN_KEYS = "dots.in.keys";
    public static final String CASE_INSENSITIVE = "case.insensitive";
    public static final String MAPPING_PREFIX = "mapping.";

    private final LineJsonParser.Factory factory;
    private final boolean ignoreMalformed;
    private final boolean dotsInKeys;
    private final boolean caseInsensitive;
    /** Column name (lower case) → the JSON key it reads, for mapped columns. */
    private final Map<String, String> mappings;
    private final TimestampFormats timestampFormats;

    private JsonFormat(boolean openx, boolean ignoreMalformed, boolean dotsInKeys, boolean caseInsensitive, Map<String, String> mappings, TimestampFormats timestampFormats)
    {
        JsonFactoryBuilder builder = new JsonFactoryBuilder()
                // lines are bounded by the reader's maximum line length already
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER);
        if (openx) {
            builder.enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES);
        }
        this.factory = new LineJsonParser.Factory(builder);
        this.ignoreMalformed = ignoreMalformed;
        this.dotsInKeys = dotsInKeys;
        this.caseInsensitive = caseInsensitive;
        this.mappings = Map.copyOf(mappings);
        this.timestampFormats = requireNonNull(timestampFormats, "timestampFormats is null");
    }

    public static JsonFormat fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        boolean openx = "openx".equalsIgnoreCase(properties.getOrDefault(TableFormats.JSON_SERDE, "hive").trim());
        Map<String, String> mappings = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.toLowerCase(Locale.ROOT).startsWith(MAPPING_PREFIX) && key.length() > MAPPING_PREFIX.length() && value != null) {
                mappings.put(key.substring(MAPPING_PREFIX.length()).toLowerCase(Locale.ROOT), value);
            }
        });
        return new JsonFormat(
                openx,
                openx && flag(properties, IGNORE_MALFORMED, false),
                openx && flag(properties, DOTS_IN_KEYS, false),
                !openx || flag(properties, CASE_INSENSITIVE, true),
                mappings,
                TimestampFormats.parse(properties.get(TimestampFormats.PROPERTY)));
    }

    private static boolean flag(Map<String, String> properties, String name, boolean defaultValue)
    {
        String value = properties.get(name);
        return value == null || value.isBlank() ? defaultValue : Boolean.parseBoolean(value.trim());
    }

    @Override
    public String displayName()
    {
        return "JSON";
    }

    LineJsonParser.Factory factory()
    {
        return factory;
    }

    boolean ignoreMalformed()
    {
        return ignoreMalformed;
    }

    TimestampFormats timestampFormats()
    {
        return timestampFormats;
    }

    /** The key as the columns are looked up: dots as underscores (dots.in.keys), lower case unless case-sensitive. */
    String normalizeKey(String key)
    {
        String normalized = dotsInKeys ? key.replace('.', '_') : key;
        return caseInsensitive ? normalized.toLowerCase(Locale.ROOT) : normalized;
    }

    @Override
    public LineDeserializer createDeserializer(List<ColumnHandle> columns, String path)
    {
        Map<String, Integer> columnsByKey = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name().toLowerCase(Locale.ROOT);
            columnsByKey.putIfAbsent(normalizeKey(mappings.getOrDefault(name, name)), i);
        }
        return new JsonDeserializer(this, columns, columnsByKey);
    }
}
