package io.glaux.connectors.line;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;
import java.util.Map;

/**
 * Opens splits of a line-oriented format ({@link LineFormat}): {@link LinePageSource}s that read the
 * object with bounded ranged GETs, decompress it by its extension, cut it into lines with Hadoop's
 * split rule and decode each line. {@code skip.header.line.count} and {@code skip.footer.line.count}
 * come from the format properties. Thread-safe.
 */
public final class LinePageSourceFactory
        implements PageSourceFactory
{
    private final ObjectStore store;
    private final LineReaderOptions options;
    private final LineFormat format;
    private final int headerLines;
    private final int footerLines;

    public LinePageSourceFactory(ObjectStore store, LineReaderOptions options, LineFormat format, int headerLines, int footerLines)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.format = requireNonNull(format, "format is null");
        if (headerLines < 0 || footerLines < 0) {
            throw new IllegalArgumentException("negative header or footer line count");
        }
        this.headerLines = headerLines;
        this.footerLines = footerLines;
    }

    /** A factory for {@code format} with the header and footer line counts of {@code properties}. */
    public static LinePageSourceFactory of(ObjectStore store, LineReaderOptions options, LineFormat format, Map<String, String> properties)
    {
        return new LinePageSourceFactory(store, options, format,
                TableFormats.lineCount(properties, TableFormats.SKIP_HEADER_LINE_COUNT),
                TableFormats.lineCount(properties, TableFormats.SKIP_FOOTER_LINE_COUNT));
    }

    public LineFormat format()
    {
        return format;
    }

    /** Nothing is fetched until the first {@link PageSource#nextBatch()}. */
    @Override
    public LinePageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        return new LinePageSource(store, options, format, headerLines, footerLines, split, columns, pruning, allocator);
    }
}
