package io.glaux.coordinator.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

class TestSessionProperties
{
    @Test
    void durationsAndSizesAsTrinoWritesThem()
    {
        assertThat(SessionProperties.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SessionProperties.parseDuration(" 1.5m ")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SessionProperties.parseDuration("100d")).isEqualTo(Duration.ofDays(100));
        assertThat(SessionProperties.parseDuration("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThatThrownBy(() -> SessionProperties.parseDuration("10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionProperties.parseDuration("10 weeks")).hasMessageContaining("unknown time unit 'weeks'");
        assertThatThrownBy(() -> SessionProperties.parseDuration("0s")).hasMessageContaining("positive");
        assertThat(SessionProperties.parseDataSize("1MB")).isEqualTo(1L << 20);
        assertThat(SessionProperties.parseDataSize("1.5GB")).isEqualTo(3L << 29);
        assertThat(SessionProperties.parseDataSize("64kB")).isEqualTo(64L << 10);
        assertThat(SessionProperties.parseDataSize("100B")).isEqualTo(100);
        assertThatThrownBy(() -> SessionProperties.parseDataSize("1XB")).hasMessageContaining("unknown size unit 'XB'");
        assertThat(SessionProperties.formatDataSize(4L << 20)).isEqualTo("4MB");
        assertThat(SessionProperties.formatDataSize(3L << 29)).isEqualTo("1.5GB");
        assertThat(SessionProperties.formatDataSize(2_004_562_739L)).isEqualTo("1.87GB");
        assertThat(SessionProperties.formatDataSize(1536)).isEqualTo("1.5kB");
        assertThat(SessionProperties.formatDataSize(100)).isEqualTo("100B");
    }

    @Test
    void valuesAreCheckedAndMadeCanonical()
    {
        assertThat(SessionProperties.canonicalValue("join_distribution_type", "broadcast")).isEqualTo("BROADCAST");
        assertThat(SessionProperties.canonicalValue("time_zone", "Europe/Berlin")).isEqualTo("Europe/Berlin");
        assertThat(SessionProperties.canonicalValue("query_max_memory", " 2GB ")).isEqualTo("2GB");
        assertThatThrownBy(() -> SessionProperties.canonicalValue("join_distribution_type", "x"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SESSION_PROPERTY))
                .hasMessage("Invalid value 'x' for session property join_distribution_type: must be one of AUTOMATIC, PARTITIONED, BROADCAST");
        assertThatThrownBy(() -> SessionProperties.canonicalValue("nope", "x"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SESSION_PROPERTY))
                .hasMessageContaining("Session property 'nope' does not exist");
    }

    @Test
    void theSessionReadsItsProperties()
    {
        Session plain = new Session("u", "", "hive", "web");
        assertThat(plain.queryMaxRunTime()).isEmpty();
        assertThat(plain.queryMaxMemory()).isEmpty();
        assertThat(plain.joinDistributionType()).isEqualTo(SessionProperties.JoinDistributionType.AUTOMATIC);
        assertThat(plain.effectiveTimeZone()).isEqualTo(ZoneOffset.UTC);
        Session set = new Session("u", "", "hive", "web", ZoneId.of("Asia/Tokyo"), Map.of(
                "query_max_run_time", "2m", "query_max_memory", "1MB", "join_distribution_type", "partitioned"), Map.of());
        assertThat(set.queryMaxRunTime()).contains(Duration.ofMinutes(2));
        assertThat(set.queryMaxMemory()).hasValue(1L << 20);
        assertThat(set.joinDistributionType()).isEqualTo(SessionProperties.JoinDistributionType.PARTITIONED);
        assertThat(set.effectiveTimeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        Session zoned = new Session("u", "", "hive", "web", ZoneId.of("Asia/Tokyo"), Map.of("time_zone", "+02:00"), Map.of());
        assertThat(zoned.effectiveTimeZone()).isEqualTo(ZoneId.of("+02:00"));
        Session bad = new Session("u", "", "hive", "web", ZoneOffset.UTC, Map.of("query_max_memory", "lots"), Map.of());
        assertThatThrownBy(() -> SessionProperties.validate(bad)).hasMessageContaining("Invalid value 'lots' for session property query_max_memory");
    }
}
