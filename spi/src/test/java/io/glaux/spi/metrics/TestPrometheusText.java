package io.glaux.spi.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

class TestPrometheusText
{
    @Test
    void writesFamiliesOnceWithEscapedLabels()
    {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("state", "FAILED");
        labels.put("message", "a \"quoted\"\\ line\nnext");
        String text = new PrometheusText()
                .sample("glaux_queries", "gauge", "Queries by state", Map.of("state", "RUNNING"), 2)
                .sample("glaux_queries", "gauge", "Queries by state", labels, 0)
                .counter("glaux_bytes_read_total", "Bytes", 1.5)
                .toString();
        assertThat(text).isEqualTo("""
                # HELP glaux_queries Queries by state
                # TYPE glaux_queries gauge
                glaux_queries{state="RUNNING"} 2
                glaux_queries{state="FAILED",message="a \\"quoted\\"\\\\ line\\nnext"} 0
                # HELP glaux_bytes_read_total Bytes
                # TYPE glaux_bytes_read_total counter
                glaux_bytes_read_total 1.5
                """);
    }

    @Test
    void formatsSpecialValues()
    {
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.format(-1)).isEqualTo("-1");
        assertThat(PrometheusText.format(1e20)).isEqualTo("1.0E20");
    }

    @Test
    void jvmMetricsArePresent()
    {
        String text = new PrometheusText().jvm().toString();
        assertThat(text)
                .contains("jvm_memory_bytes_used{area=\"heap\"} ")
                .contains("# TYPE jvm_threads_current gauge")
                .contains("jvm_gc_collection_seconds_count{gc=");
        // every sample line is name{labels} value
        assertThat(text.lines().filter(line -> !line.startsWith("#")))
                .allMatch(line -> line.matches("[a-z_]+(\\{[^}]*})? -?[0-9.E]+"));
    }

    @Test
    void rejectsInvalidNames()
    {
        assertThatThrownBy(() -> new PrometheusText().gauge("glaux-bad", "x", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
