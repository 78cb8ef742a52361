package io.glaux.spi.metrics;

import static java.util.Objects.requireNonNull;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): {@code # HELP}, {@code # TYPE} once per
 * metric family, then {@code name{label="value"} number} lines. Written by hand rather than with a
 * client library: a node's metrics are a few dozen numbers read at scrape time from counters it keeps
 * anyway, the format is a page of specification, and the simpleclient jars would bring their own
 * registry and servlet glue the coordinator's Jetty handler and the worker's listener do not need.
 *
 * <p>Samples of one family must be written together (the format requires it); not thread-safe, one
 * instance per scrape.
 */
public final class PrometheusText
{
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(4096);
    private final Set<String> families = new HashSet<>();

    public PrometheusText gauge(String name, String help, double value)
    {
        return sample(name, "gauge", help, Map.of(), value);
    }

    public PrometheusText counter(String name, String help, double value)
    {
        return sample(name, "counter", help, Map.of(), value);
    }

    /**
     * One sample; the first sample of a family writes its HELP and TYPE lines.
     *
     * @param type {@code counter} or {@code gauge} (counters' names end in {@code _total} by convention)
     */
    public PrometheusText sample(String name, String type, String help, Map<String, String> labels, double value)
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(help, "help is null");
        requireNonNull(labels, "labels is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name: " + name);
        }
        if (families.add(name)) {
            out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!LABEL_NAME.matcher(label.getKey()).matches()) {
                    throw new IllegalArgumentException("invalid label name: " + label.getKey());
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"")
                        .append(label.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                        .append('"');
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    /**
     * JVM metrics under the names the Prometheus Java client uses: heap and non-heap memory, threads,
     * garbage collections and their time, uptime.
     */
    public PrometheusText jvm()
    {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Map<String, MemoryUsage> areas = new LinkedHashMap<>();
        areas.put("heap", memory.getHeapMemoryUsage());
        areas.put("nonheap", memory.getNonHeapMemoryUsage());
        areas.forEach((area, usage) -> sample("jvm_memory_bytes_used", "gauge", "Used bytes of a JVM memory area", Map.of("area", area), usage.getUsed()));
        areas.forEach((area, usage) -> sample("jvm_memory_bytes_committed", "gauge", "Committed bytes of a JVM memory area", Map.of("area", area), usage.getCommitted()));
        areas.forEach((area, usage) -> sample("jvm_memory_bytes_max", "gauge", "Maximum bytes of a JVM memory area (-1 when unbounded)", Map.of("area", area), usage.getMax()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        gauge("jvm_threads_current", "Current thread count of the JVM", threads.getThreadCount());
        gauge("jvm_threads_daemon", "Daemon thread count of the JVM", threads.getDaemonThreadCount());
        gauge("jvm_threads_peak", "Peak thread count of the JVM", threads.getPeakThreadCount());
        var collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (GarbageCollectorMXBean gc : collectors) {
            sample("jvm_gc_collection_seconds_count", "counter", "Collections by a JVM garbage collector", Map.of("gc", gc.getName()), Math.max(0, gc.getCollectionCount()));
        }
        for (GarbageCollectorMXBean gc : collectors) {
            sample("jvm_gc_collection_seconds_sum", "counter", "Time spent in a JVM garbage collector, seconds", Map.of("gc", gc.getName()), Math.max(0, gc.getCollectionTime()) / 1000.0);
        }
        gauge("jvm_uptime_seconds", "Time since the JVM started, seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        gauge("jvm_available_processors", "Processors available to the JVM", Runtime.getRuntime().availableProcessors());
        return this;
    }

    @Override
    public String toString()
    {
        return out.toString();
    }

    static String format(double value)
    {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
