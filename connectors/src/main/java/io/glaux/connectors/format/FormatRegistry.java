package io.glaux.connectors.format;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.json.CloudTrailPageSourceFactory;
import io.glaux.connectors.json.JsonFormat;
import io.glaux.connectors.line.LinePageSourceFactory;
import io.glaux.connectors.line.LineReaderOptions;
import io.glaux.connectors.parquet.ParquetPageSourceFactory;
import io.glaux.connectors.regex.GrokFormat;
import io.glaux.connectors.regex.RegexFormat;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.sse.CustomerKeyProvider;
import io.glaux.connectors.text.CsvFormat;
import io.glaux.connectors.text.TextFormat;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The file formats a worker reads, by the names {@link TableFormats} gives them. Each format is a
 * function from the scan's format properties to a {@link PageSourceFactory}; formats without
 * properties (Parquet) share one factory. Immutable and thread-safe.
 */
public final class FormatRegistry
        implements PageSourceProvider
{
    private final Map<String, Function<Map<String, String>, PageSourceFactory>> formats;

    private FormatRegistry(Map<String, Function<Map<String, String>, PageSourceFactory>> formats)
    {
        this.formats = Map.copyOf(formats);
    }

    /** Every format Glaux reads, over {@code store}. */
    public static FormatRegistry standard(ObjectStore store)
    {
        requireNonNull(store, "store is null");
        return standard(store, LineReaderOptions.defaults());
    }

    /** Every format Glaux reads, over {@code store}, with the given tuning of the line-oriented readers. */
    public static FormatRegistry standard(ObjectStore store, LineReaderOptions lineOptions)
    {
        requireNonNull(store, "store is null");
        requireNonNull(lineOptions, "lineOptions is null");
        ParquetPageSourceFactory parquet = new ParquetPageSourceFactory(store);
        // a table naming an SSE-C key id reads through a view of the store that sends that key; the
        // Parquet factory (and its footer cache, keyed by key identity too) is kept per key id
        Map<String, ParquetPageSourceFactory> keyedParquet = new java.util.concurrent.ConcurrentHashMap<>();
        Function<Map<String, String>, ObjectStore> stores = properties -> store.withCustomerKey(properties.get(CustomerKeyProvider.TABLE_PROPERTY));
        return builder()
                .add(TableFormats.PARQUET, properties -> {
                    String keyId = properties.get(CustomerKeyProvider.TABLE_PROPERTY);
                    if (keyId == null || keyId.isBlank()) {
                        return parquet;
                    }
                    ObjectStore keyed = stores.apply(properties);
                    return keyedParquet.computeIfAbsent(keyId, _ -> new ParquetPageSourceFactory(keyed));
                })
                .add(TableFormats.TEXT, properties -> LinePageSourceFactory.of(stores.apply(properties), lineOptions, TextFormat.fromProperties(properties), properties))
                .add(TableFormats.CSV, properties -> LinePageSourceFactory.of(stores.apply(properties), lineOptions, CsvFormat.fromProperties(properties), properties))
                .add(TableFormats.JSON, properties -> LinePageSourceFactory.of(stores.apply(properties), lineOptions, JsonFormat.fromProperties(properties), properties))
                .add(TableFormats.REGEX, properties -> LinePageSourceFactory.of(stores.apply(properties), lineOptions, RegexFormat.fromProperties(properties), properties))
                .add(TableFormats.GROK, properties -> LinePageSourceFactory.of(stores.apply(properties), lineOptions, GrokFormat.fromProperties(properties), properties))
                .add(TableFormats.CLOUDTRAIL, properties -> new CloudTrailPageSourceFactory(stores.apply(properties), lineOptions, properties))
                .build();
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The format names this registry reads, sorted. */
    public java.util.Set<String> formats()
    {
        return new java.util.TreeSet<>(formats.keySet());
    }

    @Override
    public PageSourceFactory factory(String format, Map<String, String> formatProperties)
    {
        requireNonNull(format, "format is null");
        requireNonNull(formatProperties, "formatProperties is null");
        Function<Map<String, String>, PageSourceFactory> factory = formats.get(format.toLowerCase(Locale.ROOT));
        if (factory == null) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "File format '%s' is not supported (supported: %s)"
                    .formatted(format, String.join(", ", formats())));
        }
        return factory.apply(formatProperties);
    }

    public static final class Builder
    {
        private final Map<String, Function<Map<String, String>, PageSourceFactory>> formats = new TreeMap<>();

        private Builder() {}

        /** Registers (or replaces) {@code format}. */
        public Builder add(String format, Function<Map<String, String>, PageSourceFactory> factory)
        {
            formats.put(format.toLowerCase(Locale.ROOT), requireNonNull(factory, "factory is null"));
            return this;
        }

        public FormatRegistry build()
        {
            return new FormatRegistry(formats);
        }
    }
}
