package io.glaux.catalog.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

class TestPartitionProjection
{
    private static final LocalDateTime NOW = LocalDateTime.of(2024, 3, 5, 10, 30);

    private static Table table(Map<String, String> properties, String... partitionColumns)
    {
        return Table.external("logs", "alb", List.of(new Column("status", Type.INTEGER)),
                java.util.Arrays.stream(partitionColumns).map(name -> new Column(name, Type.VARCHAR)).toList(),
                StorageFormat.PARQUET, "s3://bucket/alb/", properties);
    }

    @Test
    void datesWithinTheFilterAndDefaultLayout()
    {
        Table table = table(Map.of("projection.enabled", "true", "projection.dt.type", "date", "projection.dt.range", "2024-03-01,NOW",
                "projection.dt.format", "yyyy-MM-dd"), "dt");
        var all = PartitionProjection.partitions(table, (column, value) -> true, Map.of(), NOW);
        assertThat(all).extracting(PartitionProjection.ProjectedPartition::location)
                .containsExactly("s3://bucket/alb/dt=2024-03-01/", "s3://bucket/alb/dt=2024-03-02/", "s3://bucket/alb/dt=2024-03-03/",
                        "s3://bucket/alb/dt=2024-03-04/", "s3://bucket/alb/dt=2024-03-05/");
        var some = PartitionProjection.partitions(table, (column, value) -> value.compareTo("2024-03-04") >= 0, Map.of(), NOW);
        assertThat(some).extracting(PartitionProjection.ProjectedPartition::values).containsExactly(List.of("2024-03-04"), List.of("2024-03-05"));
    }

    @Test
    void enumIntegerAndTemplate()
    {
        Table table = table(Map.of("projection.enabled", "true",
                "projection.region.type", "enum", "projection.region.values", "us-east-1, eu-west-1",
                "projection.hour.type", "integer", "projection.hour.range", "0,23", "projection.hour.digits", "2",
                "storage.location.template", "s3://bucket/AWSLogs/${region}/${hour}"), "region", "hour");
        var partitions = PartitionProjection.partitions(table, (column, value) -> !column.name().equals("hour") || value.equals("07"), Map.of(), NOW);
        assertThat(partitions).extracting(PartitionProjection.ProjectedPartition::location)
                .containsExactly("s3://bucket/AWSLogs/us-east-1/07/", "s3://bucket/AWSLogs/eu-west-1/07/");
    }

    @Test
    void injectedNeedsAnEquality()
    {
        Table table = table(Map.of("projection.enabled", "true", "projection.account.type", "injected"), "account");
        assertThat(PartitionProjection.partitions(table, (column, value) -> true, Map.of("account", Set.of("123")), NOW))
                .extracting(PartitionProjection.ProjectedPartition::location).containsExactly("s3://bucket/alb/account=123/");
        assertThatThrownBy(() -> PartitionProjection.partitions(table, (column, value) -> true, Map.of(), NOW))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageContaining("injected partition column 'account'");
    }

    @Test
    void tooManyPartitionsIsAnError()
    {
        Table table = table(Map.of("projection.enabled", "true",
                "projection.a.type", "integer", "projection.a.range", "1,100000",
                "projection.b.type", "integer", "projection.b.range", "1,100000"), "a", "b");
        assertThatThrownBy(() -> PartitionProjection.partitions(table, (column, value) -> true, Map.of(), NOW))
                .hasMessageContaining("more than 1000000 projected partitions");
    }
}
