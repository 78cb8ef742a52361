package io.glaux.catalog.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

class HiveCatalogConfigTest
{
    @Test
    void readsPropertiesWithDefaults()
    {
        HiveCatalogConfig config = HiveCatalogConfig.fromProperties(Map.of("hive.metastore.uri", "thrift://hms:9083", "connector.name", "hive"));
        assertThat(config.metastoreUri()).isEqualTo("thrift://hms:9083");
        assertThat(config.cacheTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxConnections()).isEqualTo(4);
        assertThat(config.metastoreProperties()).isEmpty();

        HiveCatalogConfig custom = HiveCatalogConfig.fromProperties(Map.of(
                "hive.metastore.uri", "thrift://a:9083,thrift://b:9083",
                "hive.metastore-cache-ttl", "0",
                "hive.metastore-timeout", "1500ms",
                "hive.metastore.max-connections", "8",
                "metastore.client.auth.mode", "NOSASL"));
        assertThat(custom.cacheTtl()).isEqualTo(Duration.ZERO);
        assertThat(custom.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(custom.maxConnections()).isEqualTo(8);
        assertThat(custom.metastoreProperties()).isEqualTo(Map.of("metastore.client.auth.mode", "NOSASL"));
    }

    @Test
    void parsesDurations()
    {
        assertThat(HiveCatalogConfig.parseDuration("k", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(HiveCatalogConfig.parseDuration("k", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(HiveCatalogConfig.parseDuration("k", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(HiveCatalogConfig.parseDuration("k", "1d")).isEqualTo(Duration.ofDays(1));
        assertThat(HiveCatalogConfig.parseDuration("k", " 250ms ")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> HiveCatalogConfig.parseDuration("hive.metastore-cache-ttl", "soon"))
                .hasMessageContaining("hive.metastore-cache-ttl is not a duration");
        assertThatThrownBy(() -> HiveCatalogConfig.parseDuration("k", "")).hasMessageContaining("not a duration");
    }

    @Test
    void rejectsBadSettings()
    {
        assertThatThrownBy(() -> HiveCatalogConfig.fromProperties(Map.of())).hasMessageContaining("missing required property hive.metastore.uri");
        assertThatThrownBy(() -> HiveCatalogConfig.of("http://hms:9083")).hasMessageContaining("thrift://host:port");
        assertThatThrownBy(() -> HiveCatalogConfig.of("thrift://hms:9083").withMaxConnections(0)).hasMessageContaining("at least 1");
    }
}
