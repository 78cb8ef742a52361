package io.glaux.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class TableFormatsTest
{
    private static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
    private static final List<String> COLUMNS = List.of("Ts", "status", "msg");

    @Test
    void parquet()
    {
        TableFormats.TableFormat format = TableFormats.resolve(TableFormats.PARQUET_SERDE, "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                Map.of("serialization.format", "1"), Map.of("EXTERNAL", "TRUE"), COLUMNS);
        assertThat(format).isEqualTo(new TableFormats.TableFormat("parquet", Map.of()));
        assertThat(TableFormats.resolve("", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat", Map.of(), Map.of(), COLUMNS).format()).isEqualTo("parquet");
    }

    @Test
    void delimitedText()
    {
        TableFormats.TableFormat format = TableFormats.resolve(TableFormats.LAZY_SIMPLE_SERDE, TEXT_INPUT,
                Map.of("field.delim", "\t", "serialization.format", "\t"),
                Map.of("skip.header.line.count", "1", "EXTERNAL", "TRUE", "transient_lastDdlTime", "1700000000", "projection.enabled", "true"),
                COLUMNS);
        assertThat(format.format()).isEqualTo("text");
        // SerDe properties, the table properties readers use, and the data columns in order
        assertThat(format.properties()).isEqualTo(Map.of(
                "field.delim", "\t",
                "serialization.format", "\t",
                "skip.header.line.count", "1",
                "columns", "ts,status,msg"));
    }

    @Test
    void serdePropertiesWinOverTableProperties()
    {
        TableFormats.TableFormat format = TableFormats.resolve(TableFormats.LAZY_SIMPLE_SERDE, "",
                Map.of("serialization.null.format", ""), Map.of("serialization.null.format", "NULL"), COLUMNS);
        assertThat(format.properties()).containsEntry("serialization.null.format", "");
    }

    @Test
    void csvJsonRegex()
    {
        assertThat(TableFormats.resolve(TableFormats.OPEN_CSV_SERDE, TEXT_INPUT, Map.of("separatorChar", ";"), Map.of(), COLUMNS))
                .isEqualTo(new TableFormats.TableFormat("csv", Map.of("separatorChar", ";", "columns", "ts,status,msg")));
        for (String serde : List.of(TableFormats.HCATALOG_JSON_SERDE, TableFormats.HIVE_JSON_SERDE)) {
            assertThat(TableFormats.resolve(serde, TEXT_INPUT, Map.of(), Map.of(), COLUMNS))
                    .isEqualTo(new TableFormats.TableFormat("json", Map.of("json.serde", "hive", "columns", "ts,status,msg")));
        }
        TableFormats.TableFormat openx = TableFormats.resolve(TableFormats.OPENX_JSON_SERDE, TEXT_INPUT,
                Map.of("ignore.malformed.json", "true", "mapping.ts", "@timestamp"), Map.of(), COLUMNS);
        assertThat(openx.format()).isEqualTo("json");
        assertThat(openx.properties()).containsEntry("json.serde", "openx").containsEntry("mapping.ts", "@timestamp").containsEntry("ignore.malformed.json", "true");
        assertThat(TableFormats.resolve(TableFormats.REGEX_SERDE, TEXT_INPUT, Map.of("input.regex", "(\\S+) (\\d+) (.*)"), Map.of(), COLUMNS).format()).isEqualTo("regex");
        assertThatThrownBy(() -> TableFormats.resolve(TableFormats.REGEX_SERDE, TEXT_INPUT, Map.of(), Map.of(), COLUMNS))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageContaining("input.regex");
    }

    @Test
    void cloudTrailWithEitherSerde()
    {
        assertThat(TableFormats.resolve(TableFormats.CLOUDTRAIL_SERDE, TableFormats.CLOUDTRAIL_INPUT_FORMAT, Map.of(), Map.of(), COLUMNS).format())
                .isEqualTo("cloudtrail");
        // AWS's current statement: Hive's JSON SerDe over the CloudTrail input format reads the Records as JSON rows
        assertThat(TableFormats.resolve(TableFormats.HCATALOG_JSON_SERDE, TableFormats.CLOUDTRAIL_INPUT_FORMAT, Map.of(), Map.of(), COLUMNS))
                .isEqualTo(new TableFormats.TableFormat("cloudtrail", Map.of("json.serde", "hive", "columns", "ts,status,msg")));
        assertThat(TableFormats.resolve(TableFormats.OPENX_JSON_SERDE, TableFormats.CLOUDTRAIL_INPUT_FORMAT, Map.of(), Map.of(), COLUMNS).properties())
                .containsEntry("json.serde", "openx");
        // the CloudTrail input format does not make other SerDes read CloudTrail
        assertThatThrownBy(() -> TableFormats.resolve(TableFormats.OPEN_CSV_SERDE, TableFormats.CLOUDTRAIL_INPUT_FORMAT, Map.of(), Map.of(), COLUMNS))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
    }

    @Test
    void unsupportedStorageNamesTheSerde()
    {
        assertThatThrownBy(() -> TableFormats.resolve("org.apache.hadoop.hive.ql.io.orc.OrcSerde", "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", Map.of(), Map.of(), COLUMNS))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageStartingWith("Tables stored with SerDe org.apache.hadoop.hive.ql.io.orc.OrcSerde and input format org.apache.hadoop.hive.ql.io.orc.OrcInputFormat are not supported");
        // the right SerDe over a container format Glaux cannot read
        assertThatThrownBy(() -> TableFormats.resolve(TableFormats.LAZY_SIMPLE_SERDE, "org.apache.hadoop.mapred.SequenceFileInputFormat", Map.of(), Map.of(), COLUMNS))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("input format org.apache.hadoop.mapred.SequenceFileInputFormat");
        assertThatThrownBy(() -> TableFormats.resolve("com.amazon.ionhiveserde.IonHiveSerDe", "", Map.of(), Map.of(), COLUMNS))
                .hasMessageStartingWith("Tables stored with SerDe com.amazon.ionhiveserde.IonHiveSerDe are not supported");
    }

    @Test
    void splittable()
    {
        assertThat(TableFormats.isSplittable("parquet", Map.of(), "a/b.parquet")).isTrue();
        assertThat(TableFormats.isSplittable("text", Map.of(), "a/b.txt")).isTrue();
        assertThat(TableFormats.isSplittable("json", Map.of(), "a/b.json.gz")).isFalse();
        assertThat(TableFormats.isSplittable("csv", Map.of(), "a/b.csv.zst")).isFalse();
        assertThat(TableFormats.isSplittable("csv", Map.of("skip.header.line.count", "1"), "a/b.csv")).isTrue();
        assertThat(TableFormats.isSplittable("csv", Map.of("skip.header.line.count", "2"), "a/b.csv")).isFalse();
        assertThat(TableFormats.isSplittable("text", Map.of("skip.footer.line.count", "1"), "a/b.txt")).isFalse();
        assertThatThrownBy(() -> TableFormats.isSplittable("text", Map.of("skip.header.line.count", "one"), "a/b.txt"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Table property 'skip.header.line.count' must be a non-negative integer, not 'one'");
    }
}
