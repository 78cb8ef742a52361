package io.glaux.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

class ModelTest
{
    @Test
    void namesAreLowerCase()
    {
        Table table = Table.external("Web", "Access_Logs", List.of(new Column("Request_ID", Type.BIGINT)), List.of(new Column("DT", Type.VARCHAR)),
                StorageFormat.PARQUET, "s3://bucket/logs/", Map.of());
        assertThat(table.qualifiedName()).isEqualTo("web.access_logs");
        assertThat(table.columns()).extracting(Column::name).containsExactly("request_id", "dt");
        assertThat(table.column("REQUEST_id")).isPresent();
        assertThat(Database.named("Sales").name()).isEqualTo("sales");
    }

    @Test
    void invalidDefinitionsAreUserErrors()
    {
        assertThatThrownBy(() -> Table.external("s", "t", List.of(new Column("a", Type.BIGINT)), List.of(new Column("A", Type.VARCHAR)),
                StorageFormat.PARQUET, "s3://b/t", Map.of()))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GENERIC_USER_ERROR))
                .hasMessage("Column 'a' appears twice in table s.t");
        assertThatThrownBy(() -> Table.external("s", "t", List.of(), List.of(), StorageFormat.PARQUET, "", Map.of()))
                .hasMessage("External table s.t has no location");
        assertThatThrownBy(() -> new Table("s", "v", TableType.VIRTUAL_VIEW, List.of(), List.of(), StorageFormat.NONE, "", Map.of(), Optional.empty(), Optional.empty()))
                .hasMessage("View s.v has no view text");
        assertThatThrownBy(() -> new Partition(List.of(), "s3://b/t")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new Column(" ", Type.BIGINT)).hasMessageContaining("name is empty");
    }

    @Test
    void storageFormats()
    {
        assertThat(StorageFormat.storedAs("parquet")).contains(StorageFormat.PARQUET);
        assertThat(StorageFormat.storedAs("TEXTFILE").orElseThrow().serde()).isEqualTo("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe");
        assertThat(StorageFormat.storedAs("rcfile")).isEmpty();
        StorageFormat csv = StorageFormat.TEXTFILE.withSerde(StorageFormat.OPEN_CSV_SERDE).withSerdeParameters(Map.of("separatorChar", ","));
        assertThat(csv.inputFormat()).isEqualTo("org.apache.hadoop.mapred.TextInputFormat");
        assertThat(csv.serdeParameters()).containsEntry("separatorChar", ",");
        assertThat(StorageFormat.parquet().serde()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
    }
}
