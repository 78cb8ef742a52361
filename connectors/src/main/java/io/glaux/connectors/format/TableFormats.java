package io.glaux.connectors.format;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.sse.CustomerKeyProvider;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a Hive table's storage description (SerDe class, input format class, SerDe parameters, table
 * parameters, data columns) to the name of the Glaux reader and the properties it needs, and says which
 * files of a format can be cut into byte-range splits.
 *
 * <table>
 *   <caption>formats</caption>
 *   <tr><th>format</th><th>SerDe</th></tr>
 *   <tr><td>{@value #PARQUET}</td><td>{@code ParquetHiveSerDe} (or the Parquet input format)</td></tr>
 *   <tr><td>{@value #TEXT}</td><td>{@code LazySimpleSerDe} with {@code TextInputFormat} (delimited text, TSV)</td></tr>
 *   <tr><td>{@value #CSV}</td><td>{@code OpenCSVSerde}</td></tr>
 *   <tr><td>{@value #JSON}</td><td>{@code org.apache.hive.hcatalog.data.JsonSerDe}, {@code org.apache.hadoop.hive.serde2.JsonSerDe},
 *       {@code org.openx.data.jsonserde.JsonSerDe}</td></tr>
 *   <tr><td>{@value #REGEX}</td><td>{@code RegexSerDe} ({@code input.regex})</td></tr>
 *   <tr><td>{@value #GROK}</td><td>{@code com.amazonaws.glue.serde.GrokSerDe} ({@code input.format})</td></tr>
 *   <tr><td>{@value #CLOUDTRAIL}</td><td>{@code com.amazon.emr.hive.serde.CloudTrailSerde}, or a JSON SerDe with
 *       {@code com.amazon.emr.cloudtrail.CloudTrailInputFormat} (one JSON document an object; its {@code Records} are the rows)</td></tr>
 * </table>
 *
 * <p>The properties are every SerDe parameter, the table parameters readers use
 * ({@link #TABLE_PROPERTIES}; a SerDe parameter of the same name wins), {@value #COLUMNS} (the data
 * columns' names in table order, comma-separated, lower case: text, CSV and regex fields are
 * positional) and, for JSON, {@value #JSON_SERDE} ({@code hive} or {@code openx}).
 */
public final class TableFormats
{
    public static final String PARQUET = "parquet";
    public static final String TEXT = "text";
    public static final String CSV = "csv";
    public static final String JSON = "json";
    public static final String REGEX = "regex";
    public static final String GROK = "grok";
    public static final String CLOUDTRAIL = "cloudtrail";

    /** Comma-separated names of the table's data (non-partition) columns, in order. */
    public static final String COLUMNS = "columns";
    /** Which JSON SerDe the table names: {@code hive} or {@code openx}. */
    public static final String JSON_SERDE = "json.serde";
    public static final String SKIP_HEADER_LINE_COUNT = "skip.header.line.count";
    public static final String SKIP_FOOTER_LINE_COUNT = "skip.footer.line.count";

    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    public static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    public static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    public static final String HCATALOG_JSON_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe";
    public static final String HIVE_JSON_SERDE = "org.apache.hadoop.hive.serde2.JsonSerDe";
    public static final String OPENX_JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
    public static final String REGEX_SERDE = "org.apache.hadoop.hive.serde2.RegexSerDe";
    public static final String CONTRIB_REGEX_SERDE = "org.apache.hadoop.hive.contrib.serde2.RegexSerDe";
    public static final String GROK_SERDE = "com.amazonaws.glue.serde.GrokSerDe";
    public static final String CLOUDTRAIL_SERDE = "com.amazon.emr.hive.serde.CloudTrailSerde";
    public static final String CLOUDTRAIL_INPUT_FORMAT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat";

    private static final Set<String> PARQUET_INPUT_FORMATS = Set.of(
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "parquet.hive.DeprecatedParquetInputFormat",
            "parquet.hive.MapredParquetInputFormat");
    private static final Set<String> TEXT_INPUT_FORMATS = Set.of(
            "org.apache.hadoop.mapred.TextInputFormat",
            "org.apache.hadoop.mapreduce.lib.input.TextInputFormat");
    /** CloudTrail tables name EMR's input format, or a text one. */
    private static final Set<String> CLOUDTRAIL_INPUT_FORMATS = Set.of(
            CLOUDTRAIL_INPUT_FORMAT,
            "org.apache.hadoop.mapred.TextInputFormat",
            "org.apache.hadoop.mapreduce.lib.input.TextInputFormat");

    /** Table parameters (TBLPROPERTIES) that readers use; other table parameters are not sent to workers. */
    public static final Set<String> TABLE_PROPERTIES = Set.of(
            SKIP_HEADER_LINE_COUNT,
            SKIP_FOOTER_LINE_COUNT,
            "serialization.null.format",
            "serialization.encoding",
            "timestamp.formats",
            "ignore.malformed.json",
            CustomerKeyProvider.TABLE_PROPERTY);

    /** A reader name and its properties. */
    public record TableFormat(String format, Map<String, String> properties)
    {
        public TableFormat
        {
            requireNonNull(format, "format is null");
            properties = Map.copyOf(properties);
        }
    }

    private TableFormats() {}

    /**
     * The reader for a table (or partition) stored as described.
     *
     * @param serde the SerDe class ({@code ROW FORMAT SERDE}); may be empty when the input format says enough
     * @param inputFormat the input format class; may be empty
     * @param dataColumns the table's data columns (not partition columns), in table order
     * @throws GlauxException {@code NOT_SUPPORTED} naming the SerDe and input format when Glaux has no reader for them
     */
    public static TableFormat resolve(String serde, String inputFormat, Map<String, String> serdeParameters, Map<String, String> tableParameters, List<String> dataColumns)
    {
        requireNonNull(serde, "serde is null");
        requireNonNull(inputFormat, "inputFormat is null");
        requireNonNull(serdeParameters, "serdeParameters is null");
        requireNonNull(tableParameters, "tableParameters is null");
        requireNonNull(dataColumns, "dataColumns is null");
        String serdeClass = serde.trim();
        String inputClass = inputFormat.trim();

        if (serdeClass.equals(PARQUET_SERDE) || (serdeClass.isEmpty() && PARQUET_INPUT_FORMATS.contains(inputClass))) {
            if (!inputClass.isEmpty() && !PARQUET_INPUT_FORMATS.contains(inputClass)) {
                throw unsupported(serdeClass, inputClass);
            }
            // the only table property Parquet reads: the id (never the value) of the table's SSE-C key
            String keyId = tableParameters.get(CustomerKeyProvider.TABLE_PROPERTY);
            return new TableFormat(PARQUET, keyId == null || keyId.isBlank() ? Map.of() : Map.of(CustomerKeyProvider.TABLE_PROPERTY, keyId.strip()));
        }
        String format = switch (serdeClass) {
            case LAZY_SIMPLE_SERDE -> TEXT;
            case OPEN_CSV_SERDE -> CSV;
            case HCATALOG_JSON_SERDE, HIVE_JSON_SERDE, OPENX_JSON_SERDE -> JSON;
            case REGEX_SERDE, CONTRIB_REGEX_SERDE -> REGEX;
            case GROK_SERDE -> GROK;
            case CLOUDTRAIL_SERDE -> CLOUDTRAIL;
            default -> throw unsupported(serdeClass, inputClass);
        };
        // AWS's current CloudTrail statement: a JSON SerDe over EMR's CloudTrail input format, which
        // makes each element of a log object's Records array a record for the SerDe
        boolean jsonCloudTrail = format.equals(JSON) && inputClass.equals(CLOUDTRAIL_INPUT_FORMAT);
        if (jsonCloudTrail) {
            format = CLOUDTRAIL;
        }
        if (!inputClass.isEmpty() && !jsonCloudTrail && !(format.equals(CLOUDTRAIL) ? CLOUDTRAIL_INPUT_FORMATS : TEXT_INPUT_FORMATS).contains(inputClass)) {
            throw unsupported(serdeClass, inputClass);
        }

        Map<String, String> properties = new TreeMap<>();
        tableParameters.forEach((key, value) -> {
            if (value != null && TABLE_PROPERTIES.contains(key.toLowerCase(Locale.ROOT))) {
                properties.put(key.toLowerCase(Locale.ROOT), value);
            }
        });
        serdeParameters.forEach((key, value) -> {
            if (value != null) {
                properties.put(key, value);
            }
        });
        properties.put(COLUMNS, String.join(",", dataColumns.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList()));
        if (format.equals(JSON) || jsonCloudTrail) {
            properties.put(JSON_SERDE, serdeClass.equals(OPENX_JSON_SERDE) ? "openx" : "hive");
        }
        if (format.equals(REGEX) && properties.getOrDefault("input.regex", "").isEmpty()) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Table with SerDe %s has no 'input.regex' SerDe property".formatted(serdeClass));
        }
        if (format.equals(GROK) && properties.getOrDefault("input.format", "").isEmpty()) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Table with SerDe %s has no 'input.format' SerDe property".formatted(serdeClass));
        }
        return new TableFormat(format, properties);
    }

    private static GlauxException unsupported(String serde, String inputFormat)
    {
        String what = serde.isEmpty() ? "no SerDe" : "SerDe " + serde;
        if (!inputFormat.isEmpty()) {
            what += " and input format " + inputFormat;
        }
        return new GlauxException(ErrorCode.NOT_SUPPORTED, ("Tables stored with %s are not supported; Glaux reads Parquet (ParquetHiveSerDe), "
                + "delimited text (LazySimpleSerDe with TextInputFormat), CSV (OpenCSVSerde), JSON (org.apache.hive.hcatalog.data.JsonSerDe, "
                + "org.apache.hadoop.hive.serde2.JsonSerDe, org.openx.data.jsonserde.JsonSerDe), RegexSerDe, GrokSerDe (com.amazonaws.glue.serde.GrokSerDe) "
                + "and CloudTrail logs (com.amazon.emr.hive.serde.CloudTrailSerde, or a JSON SerDe with com.amazon.emr.cloudtrail.CloudTrailInputFormat)")
                .formatted(what));
    }

    /**
     * Whether an object of a table in {@code format} can be cut into byte-range splits: Parquet always;
     * CloudTrail never (an object is one JSON document); line-oriented formats when the object is not compressed (by its name, {@link CompressionKind#fromKey})
     * and the table skips at most one header line and no footer lines (a split that does not start at
     * byte 0 cannot know how many header lines it would have to skip).
     */
    public static boolean isSplittable(String format, Map<String, String> properties, String key)
    {
        requireNonNull(format, "format is null");
        requireNonNull(properties, "properties is null");
        requireNonNull(key, "key is null");
        if (format.equalsIgnoreCase(PARQUET)) {
            return true;
        }
        if (format.equalsIgnoreCase(CLOUDTRAIL) || !CompressionKind.fromKey(key).isSplittable()) {
            return false;
        }
        return lineCount(properties, SKIP_HEADER_LINE_COUNT) <= 1 && lineCount(properties, SKIP_FOOTER_LINE_COUNT) == 0;
    }

    /** A non-negative line count property (0 when absent); {@code INVALID_TABLE_PROPERTY} when not a number. */
    public static int lineCount(Map<String, String> properties, String name)
    {
        String value = properties.get(name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int count = Integer.parseInt(value.trim());
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        }
        catch (NumberFormatException e) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Table property '%s' must be a non-negative integer, not '%s'".formatted(name, value));
        }
    }
}
