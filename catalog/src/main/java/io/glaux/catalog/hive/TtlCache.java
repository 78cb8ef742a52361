package io.glaux.catalog.hive;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A time-to-live cache for metastore answers. Entries expire {@code ttl} after they were loaded; a
 * zero TTL caches nothing. Invalidation wins over loads that were in flight when it happened: a value
 * loaded before an invalidation is returned to its caller but not cached.
 */
final class TtlCache<K, V>
{
    private static final int MAX_ENTRIES = 10_000;

    private record Entry<V>(V value, long expiresAtNanos) {}

    private final long ttlNanos;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    TtlCache(Duration ttl)
    {
        this.ttlNanos = requireNonNull(ttl, "ttl is null").toNanos();
    }

    /** The cached value, or the loader's. {@code null} from the loader is returned and not cached. */
    V get(K key, Supplier<V> loader)
    {
        if (ttlNanos == 0) {
            return loader.get();
        }
        Entry<V> entry = entries.get(key);
        long now = System.nanoTime();
        if (entry != null && now - entry.expiresAtNanos() < 0) {
            return entry.value();
        }
        long loadGeneration = generation.get();
        V value = loader.get();
        if (value != null) {
            if (entries.size() >= MAX_ENTRIES) {
                long cleanAt = System.nanoTime();
                entries.values().removeIf(old -> cleanAt - old.expiresAtNanos() >= 0);
                if (entries.size() >= MAX_ENTRIES) {
                    entries.clear();
                }
            }
            entries.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
            if (generation.get() != loadGeneration) {
                // an invalidation ran while loading: the value may predate it
                entries.remove(key);
            }
        }
        return value;
    }

    void invalidate(K key)
    {
        generation.incrementAndGet();
        entries.remove(key);
    }

    void invalidateIf(Predicate<K> predicate)
    {
        generation.incrementAndGet();
        entries.keySet().removeIf(predicate);
    }
}
