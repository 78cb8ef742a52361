package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.split.Split;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The parsed footers of recently read Parquet files, so that several splits of one file, and repeated
 * queries, skip the footer GET and its parsing. Keyed by bucket, key, size and last-modified time (an
 * object rewritten in place with a different size or time is read afresh; a file whose listing has no
 * time is never cached), and by the identity of the SSE-C key it was read with. Least recently used entries are dropped beyond {@code maxEntries} footers or
 * {@code maxBytes} of tail bytes. Thread-safe; footers are immutable once read.
 */
final class ParquetFooterCache
{
    /** {@code keyIdentity}: the identity of the SSE-C key the footer was read with ("" for none), never the key. */
    private record Key(String bucket, String key, long size, long lastModifiedMillis, String keyIdentity) {}

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<Key, ParquetFooter> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    ParquetFooterCache(int maxEntries, long maxBytes)
    {
        if (maxEntries < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("bad footer cache bounds: %d entries, %d bytes".formatted(maxEntries, maxBytes));
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The footer of the split's file: cached, or read by {@code reader} (outside the lock) and cached. */
    ParquetFooter get(Split split, Supplier<ParquetFooter> reader)
    {
        return get(split, "", reader);
    }

    /**
     * Like {@link #get(Split, Supplier)} for a file read with the SSE-C key of identity {@code keyIdentity}
     * ("" for none): a footer cached under one key identity is never served to a reader with another.
     */
    ParquetFooter get(Split split, String keyIdentity, Supplier<ParquetFooter> reader)
    {
        requireNonNull(keyIdentity, "keyIdentity is null");
        requireNonNull(reader, "reader is null");
        if (maxEntries == 0 || split.lastModifiedMillis() <= 0) {
            return reader.get();
        }
        Key key = new Key(split.bucket(), split.key(), split.fileSize(), split.lastModifiedMillis(), keyIdentity);
        synchronized (this) {
            ParquetFooter footer = entries.get(key);
            if (footer != null) {
                hits++;
                return footer;
            }
            misses++;
        }
        ParquetFooter footer = reader.get();
        long weight = weight(footer);
        if (weight > maxBytes) {
            return footer;
        }
        synchronized (this) {
            ParquetFooter old = entries.put(key, footer);
            if (old != null) {
                bytes -= weight(old);
            }
            bytes += weight;
            var iterator = entries.entrySet().iterator();
            while ((entries.size() > maxEntries || bytes > maxBytes) && iterator.hasNext()) {
                Map.Entry<Key, ParquetFooter> eldest = iterator.next();
                bytes -= weight(eldest.getValue());
                iterator.remove();
            }
        }
        return footer;
    }

    /** The tail bytes kept, plus the footer's length again for its parsed form (a rough measure). */
    private static long weight(ParquetFooter footer)
    {
        return footer.tail().length + 2 * (footer.tailOffset() + footer.tail().length - footer.dataEnd());
    }

    synchronized long hits()
    {
        return hits;
    }

    synchronized long misses()
    {
        return misses;
    }
}
