package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a table's files are laid out, in the Hive metastore's terms: the SerDe class, the input and
 * output format classes and the SerDe parameters ({@code WITH SERDEPROPERTIES}). The class names are
 * the standard Hive ones, so Hive, Spark and Trino read tables Glaux creates; Glaux itself only uses
 * them to pick a reader.
 */
public record StorageFormat(String serde, String inputFormat, String outputFormat, Map<String, String> serdeParameters)
{
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    public static final String PARQUET_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";

    public static final String ORC_SERDE = "org.apache.hadoop.hive.ql.io.orc.OrcSerde";
    public static final String ORC_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat";
    public static final String ORC_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat";

    public static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    public static final String TEXT_INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String TEXT_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    /** Hive's own JSON SerDe ({@code STORED AS JSONFILE}). */
    public static final String HIVE_JSON_SERDE = "org.apache.hadoop.hive.serde2.JsonSerDe";
    /** The HCatalog JSON SerDe, the one Athena documents as "Hive JSON SerDe". */
    public static final String HCATALOG_JSON_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe";
    /** The OpenX JSON SerDe Athena also supports. */
    public static final String OPENX_JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
    public static final String OPEN_CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    public static final String REGEX_SERDE = "org.apache.hadoop.hive.serde2.RegexSerDe";

    public static final String AVRO_SERDE = "org.apache.hadoop.hive.serde2.avro.AvroSerDe";
    public static final String AVRO_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat";
    public static final String AVRO_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat";

    public static final String SEQUENCE_FILE_INPUT_FORMAT = "org.apache.hadoop.mapred.SequenceFileInputFormat";
    public static final String SEQUENCE_FILE_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat";

    public static final StorageFormat PARQUET = new StorageFormat(PARQUET_SERDE, PARQUET_INPUT_FORMAT, PARQUET_OUTPUT_FORMAT, Map.of());
    public static final StorageFormat ORC = new StorageFormat(ORC_SERDE, ORC_INPUT_FORMAT, ORC_OUTPUT_FORMAT, Map.of());
    /** Delimited text ({@code STORED AS TEXTFILE}, Hive's default: fields separated by {@code \001}). */
    public static final StorageFormat TEXTFILE = new StorageFormat(LAZY_SIMPLE_SERDE, TEXT_INPUT_FORMAT, TEXT_OUTPUT_FORMAT, Map.of());
    /** One JSON object per line ({@code STORED AS JSONFILE}). */
    public static final StorageFormat JSONFILE = new StorageFormat(HIVE_JSON_SERDE, TEXT_INPUT_FORMAT, TEXT_OUTPUT_FORMAT, Map.of());
    public static final StorageFormat AVRO = new StorageFormat(AVRO_SERDE, AVRO_INPUT_FORMAT, AVRO_OUTPUT_FORMAT, Map.of());
    public static final StorageFormat SEQUENCEFILE = new StorageFormat(LAZY_SIMPLE_SERDE, SEQUENCE_FILE_INPUT_FORMAT, SEQUENCE_FILE_OUTPUT_FORMAT, Map.of());

    /** What the metastore reports for a view: no files, so no SerDe or formats (all empty strings). */
    public static final StorageFormat NONE = new StorageFormat("", "", "", Map.of());

    public StorageFormat
    {
        requireNonNull(serde, "serde is null");
        requireNonNull(inputFormat, "inputFormat is null");
        requireNonNull(outputFormat, "outputFormat is null");
        serdeParameters = Map.copyOf(requireNonNull(serdeParameters, "serdeParameters is null"));
    }

    public static StorageFormat parquet()
    {
        return PARQUET;
    }

    /**
     * The format a Hive {@code STORED AS <name>} clause names (case-insensitive): TEXTFILE, PARQUET,
     * ORC, JSONFILE, AVRO, SEQUENCEFILE.
     */
    public static Optional<StorageFormat> storedAs(String name)
    {
        return Optional.ofNullable(switch (name.toUpperCase(Locale.ROOT)) {
            case "PARQUET" -> PARQUET;
            case "ORC" -> ORC;
            case "TEXTFILE" -> TEXTFILE;
            case "JSONFILE" -> JSONFILE;
            case "AVRO" -> AVRO;
            case "SEQUENCEFILE" -> SEQUENCEFILE;
            default -> null;
        });
    }

    /** This format with another SerDe class ({@code ROW FORMAT SERDE '...'}). */
    public StorageFormat withSerde(String serde)
    {
        return new StorageFormat(serde, inputFormat, outputFormat, serdeParameters);
    }

    /** This format with these SerDe parameters ({@code WITH SERDEPROPERTIES (...)}) instead of its own. */
    public StorageFormat withSerdeParameters(Map<String, String> serdeParameters)
    {
        return new StorageFormat(serde, inputFormat, outputFormat, serdeParameters);
    }
}
