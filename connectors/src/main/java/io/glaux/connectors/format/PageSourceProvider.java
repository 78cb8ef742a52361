package io.glaux.connectors.format;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Gives the {@link PageSourceFactory} for a scan's file format ({@code parquet}, {@code text},
 * {@code csv}, {@code json}, {@code regex}, {@code grok}, {@code cloudtrail}; see {@link TableFormats}) and format properties. A worker
 * asks once per task. Thread-safe.
 */
@FunctionalInterface
public interface PageSourceProvider
{
    /**
     * @throws io.glaux.spi.error.GlauxException {@code NOT_SUPPORTED} for a format this provider does
     *         not read, {@code INVALID_TABLE_PROPERTY} for properties the format's reader rejects
     */
    PageSourceFactory factory(String format, Map<String, String> formatProperties);

    /** A provider that opens every format with {@code factory} (tests, single-format embedding). */
    static PageSourceProvider of(PageSourceFactory factory)
    {
        requireNonNull(factory, "factory is null");
        return (_, _) -> factory;
    }
}
