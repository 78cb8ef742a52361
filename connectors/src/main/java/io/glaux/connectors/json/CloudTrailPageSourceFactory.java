package io.glaux.connectors.json;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.line.LineReaderOptions;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;
import java.util.Map;

/**
 * Opens CloudTrail log objects ({@code com.amazon.emr.hive.serde.CloudTrailSerde} with
 * {@code com.amazon.emr.cloudtrail.CloudTrailInputFormat}): each object (usually {@code .json.gz}) is
 * one JSON document {@code {"Records":[{...},...]}} and each element of {@code Records} is a row. The
 * records are read as {@link JsonFormat} reads a line's object: keys match columns and row fields
 * case-insensitively, and a nested object or array read into a varchar column is its JSON text (so
 * {@code requestparameters STRING} holds the request's JSON, as in Athena). Objects are never split.
 * Thread-safe.
 */
public final class CloudTrailPageSourceFactory
        implements PageSourceFactory
{
    private final ObjectStore store;
    private final LineReaderOptions options;
    private final JsonFormat format;

    public CloudTrailPageSourceFactory(ObjectStore store, LineReaderOptions options, Map<String, String> properties)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        // records are read as Hive's JsonSerDe reads objects (case-insensitive keys, strict JSON, mapping.<column>)
        this.format = JsonFormat.fromProperties(requireNonNull(properties, "properties is null"));
    }

    /** Nothing is fetched until the first {@link PageSource#nextBatch()}. */
    @Override
    public PageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        return new CloudTrailPageSource(store, options, format, split, columns, pruning, allocator);
    }
}
