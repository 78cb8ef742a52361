package io.glaux.connectors.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

class HivePartitionsTest
{
    @Test
    void escapingMatchesHive()
    {
        assertThat(HivePartitions.escapePathName("2024-01-01 10:00:00")).isEqualTo("2024-01-01 10%3A00%3A00");
        assertThat(HivePartitions.escapePathName("a/b=c%d#e?f*g\"h'i\\j{k[l]m^n")).isEqualTo("a%2Fb%3Dc%25d%23e%3Ff%2Ag%22h%27i%5Cj%7Bk%5Bl%5Dm%5En");
        assertThat(HivePartitions.escapePathName("plain-value_1.2 x")).isEqualTo("plain-value_1.2 x");
        assertThat(HivePartitions.escapePathName("é漢\u0001")).isEqualTo("é漢%01");
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 300; c++) {
            all.append(c);
        }
        assertThat(HivePartitions.unescapePathName(HivePartitions.escapePathName(all.toString()))).isEqualTo(all.toString());
    }

    @Test
    void unescapingIsLenientLikeHive()
    {
        assertThat(HivePartitions.unescapePathName("eu%3Awest")).isEqualTo("eu:west");
        assertThat(HivePartitions.unescapePathName("%3a")).isEqualTo(":");
        assertThat(HivePartitions.unescapePathName("100%")).isEqualTo("100%");
        assertThat(HivePartitions.unescapePathName("a%zzb")).isEqualTo("a%zzb");
        assertThat(HivePartitions.unescapePathName("a%4")).isEqualTo("a%4");
        assertThat(HivePartitions.unescapePathName("no escapes")).isEqualTo("no escapes");
    }

    @Test
    void partitionPaths()
    {
        assertThat(HivePartitions.parsePartitionPath("dt=2024-01-01/region=eu%3Awest/part-0.parquet"))
                .containsExactly(Map.entry("dt", "2024-01-01"), Map.entry("region", "eu:west"));
        assertThat(HivePartitions.parsePartitionPath("logs/year=2024/month=01/")).containsExactly(Map.entry("year", "2024"), Map.entry("month", "01"));
        assertThat(HivePartitions.parsePartitionPath("k=")).containsExactly(Map.entry("k", ""));
        assertThat(HivePartitions.parsePartitionPath("=v/x")).isEmpty();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("dt", "2024-01-01");
        values.put("ts", "2024-01-01 10:00:00");
        values.put("n", null);
        assertThat(HivePartitions.makePartitionPath(values)).isEqualTo("dt=2024-01-01/ts=2024-01-01 10%3A00%3A00/n=__HIVE_DEFAULT_PARTITION__");
    }

    @Test
    void values()
    {
        assertThat(HivePartitions.parseValue("eu", Type.VARCHAR)).isEqualTo("eu");
        assertThat(HivePartitions.parseValue("07", Type.INTEGER)).isEqualTo(7L);
        assertThat(HivePartitions.parseValue("-3", Type.TINYINT)).isEqualTo(-3L);
        assertThat(HivePartitions.parseValue("30000", Type.SMALLINT)).isEqualTo(30000L);
        assertThat(HivePartitions.parseValue("9000000000", Type.BIGINT)).isEqualTo(9_000_000_000L);
        assertThat(HivePartitions.parseValue("1.5", Type.DOUBLE)).isEqualTo(1.5);
        assertThat(HivePartitions.parseValue("TRUE", Type.BOOLEAN)).isEqualTo(true);
        assertThat(HivePartitions.parseValue("2024-01-02", Type.DATE)).isEqualTo(LocalDate.of(2024, 1, 2).toEpochDay());
        assertThat(HivePartitions.parseValue("1970-01-01 00:00:01.5", Type.TIMESTAMP)).isEqualTo(1_500_000L);
        assertThat(HivePartitions.parseValue("1970-01-02 00:00", Type.TIMESTAMP)).isEqualTo(86_400_000_000L);
        assertThat(HivePartitions.parseValue("12.5", new Type.Decimal(5, 2))).isEqualTo(new BigDecimal("12.50"));
        assertThat(HivePartitions.parseValue("__HIVE_DEFAULT_PARTITION__", Type.INTEGER)).isNull();
        assertThat(HivePartitions.parseValue(null, Type.VARCHAR)).isNull();
        assertThatThrownBy(() -> HivePartitions.parseValue("300", Type.TINYINT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'300' is not a valid tinyint value");
        assertThatThrownBy(() -> HivePartitions.parseValue("2024-13-01", Type.DATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HivePartitions.parseValue("yes", Type.BOOLEAN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HivePartitions.parseValue("1.234", new Type.Decimal(5, 2))).isInstanceOf(IllegalArgumentException.class);
    }
}
