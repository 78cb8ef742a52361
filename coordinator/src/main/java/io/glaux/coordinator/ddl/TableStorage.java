package io.glaux.coordinator.ddl;

import static io.glaux.coordinator.ddl.DdlErrors.error;
import static io.glaux.spi.error.ErrorCode.INVALID_STORAGE_FORMAT;

import io.glaux.catalog.model.StorageFormat;
import io.glaux.coordinator.sql.ast.Statement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The storage format a {@code CREATE TABLE}'s {@code ROW FORMAT} and {@code STORED AS} clauses name,
 * in the standard Hive class names (so Hive, Spark and Trino read the tables too).
 */
final class TableStorage
{
    /** The SerDe classes Glaux accepts in {@code ROW FORMAT SERDE}: Hive's and those Athena documents. */
    static final Set<String> KNOWN_SERDES = new TreeSet<>(List.of(
            StorageFormat.PARQUET_SERDE,
            StorageFormat.ORC_SERDE,
            StorageFormat.LAZY_SIMPLE_SERDE,
            StorageFormat.HIVE_JSON_SERDE,
            StorageFormat.HCATALOG_JSON_SERDE,
            StorageFormat.OPENX_JSON_SERDE,
            StorageFormat.OPEN_CSV_SERDE,
            StorageFormat.REGEX_SERDE,
            StorageFormat.AVRO_SERDE,
            "com.amazonaws.glue.serde.GrokSerDe",
            "com.amazon.emr.hive.serde.CloudTrailSerde",
            "org.apache.hadoop.hive.serde2.lazybinary.LazyBinarySerDe",
            "org.apache.hadoop.hive.serde2.columnar.ColumnarSerDe",
            "org.apache.hadoop.hive.serde2.columnar.LazyBinaryColumnarSerDe"));

    private TableStorage() {}

    static StorageFormat of(Optional<Statement.RowFormat> rowFormat, Optional<Statement.StoredAs> storedAs)
    {
        StorageFormat format = StorageFormat.TEXTFILE;
        if (storedAs.isPresent()) {
            switch (storedAs.get()) {
                case Statement.StoredAsName name -> format = storedAs(name.name());
                case Statement.StoredAsFormats formats -> {
                    checkClassName(formats.inputFormat());
                    checkClassName(formats.outputFormat());
                    format = new StorageFormat(StorageFormat.LAZY_SIMPLE_SERDE, formats.inputFormat().value(), formats.outputFormat().value(), Map.of());
                }
            }
        }
        if (rowFormat.isEmpty()) {
            return format;
        }
        switch (rowFormat.get()) {
            case Statement.Serde serde -> {
                String className = serde.className().value();
                if (!KNOWN_SERDES.contains(className)) {
                    throw error(INVALID_STORAGE_FORMAT, serde.className().pos(), "SerDe '" + className + "' is not supported; supported: " + String.join(", ", KNOWN_SERDES));
                }
                if (storedAs.isEmpty()) {
                    // files of a columnar SerDe are read with its own formats, not as text
                    format = switch (className) {
                        case StorageFormat.PARQUET_SERDE -> StorageFormat.PARQUET;
                        case StorageFormat.ORC_SERDE -> StorageFormat.ORC;
                        case StorageFormat.AVRO_SERDE -> StorageFormat.AVRO;
                        default -> format;
                    };
                }
                return format.withSerde(className).withSerdeParameters(serde.properties());
            }
            case Statement.Delimited delimited -> {
                Map<String, String> parameters = new LinkedHashMap<>();
                delimited.fieldsTerminatedBy().ifPresent(value -> {
                    parameters.put("field.delim", value);
                    parameters.put("serialization.format", value);
                });
                delimited.escapedBy().ifPresent(value -> parameters.put("escape.delim", value));
                delimited.collectionItemsTerminatedBy().ifPresent(value -> parameters.put("collection.delim", value));
                delimited.mapKeysTerminatedBy().ifPresent(value -> parameters.put("mapkey.delim", value));
                delimited.linesTerminatedBy().ifPresent(value -> parameters.put("line.delim", value));
                delimited.nullDefinedAs().ifPresent(value -> parameters.put("serialization.null.format", value));
                return format.withSerde(StorageFormat.LAZY_SIMPLE_SERDE).withSerdeParameters(parameters);
            }
        }
    }

    private static StorageFormat storedAs(Statement.Located<String> name)
    {
        String upper = name.value().toUpperCase(Locale.ROOT);
        if (upper.equals("JSON")) {
            // Athena's spelling of Hive's JSONFILE
            upper = "JSONFILE";
        }
        return StorageFormat.storedAs(upper).orElseThrow(() -> error(INVALID_STORAGE_FORMAT, name.pos(),
                "Unknown format '" + name.value() + "' in STORED AS; supported: PARQUET, ORC, TEXTFILE, JSON (JSONFILE), AVRO, SEQUENCEFILE, or INPUTFORMAT '...' OUTPUTFORMAT '...'"));
    }

    private static void checkClassName(Statement.Located<String> className)
    {
        if (!className.value().matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+")) {
            throw error(INVALID_STORAGE_FORMAT, className.pos(), "'" + className.value() + "' is not a Java class name");
        }
    }
}
