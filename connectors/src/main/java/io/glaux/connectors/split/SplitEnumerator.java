package io.glaux.connectors.split;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.S3Location;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Lists table or partition locations and cuts the objects into {@link Split}s: one per object, or
 * byte ranges of at most {@code maxSplitSize} for larger splittable objects. Objects are listed page by
 * page (1,000 keys a LIST request) as splits are consumed, so scheduling can start before the listing
 * ends. A {@link Location} may narrow its listing to a key prefix or name its objects (HEAD, no LIST).
 *
 * <p>Skipped, as Hive does: zero-byte objects, "directory marker" keys ending in '/', and any object
 * below the location whose relative path has a segment starting with '_' or '.' ({@code _SUCCESS},
 * {@code _temporary/...}, {@code .hive-staging...}).
 */
public final class SplitEnumerator
{
    public static final long DEFAULT_MAX_SPLIT_SIZE = 64L * 1024 * 1024;

    /**
     * A location (an {@code s3://bucket/prefix/} "directory") and the partition values of its objects,
     * with how to find them: by listing the whole location, by listing only the keys that start with
     * {@code keyPrefix} (a key prefix inside the location, e.g. from {@code "$path" LIKE 's3://b/t/dt=1/%'}),
     * or, when {@code keys} is present, by asking for those objects alone (one HEAD each, no listing;
     * from {@code "$path" = ...}). Keys outside the location are ignored; a named object that does not
     * exist has no splits.
     */
    public record Location(String location, Map<String, String> partitionValues, Optional<String> keyPrefix, Optional<List<String>> keys)
    {
        public Location
        {
            requireNonNull(location, "location is null");
            partitionValues = Map.copyOf(partitionValues);
            requireNonNull(keyPrefix, "keyPrefix is null");
            keys = requireNonNull(keys, "keys is null").map(List::copyOf);
        }

        public Location(String location, Map<String, String> partitionValues)
        {
            this(location, partitionValues, Optional.empty(), Optional.empty());
        }

        public static Location of(String location)
        {
            return new Location(location, Map.of());
        }

        /** This location, listing only keys that start with {@code keyPrefix} (a key, without the bucket). */
        public Location withKeyPrefix(String keyPrefix)
        {
            return new Location(location, partitionValues, Optional.of(keyPrefix), keys);
        }

        /** This location, reading only the named objects (keys, without the bucket). */
        public Location withKeys(List<String> keys)
        {
            return new Location(location, partitionValues, keyPrefix, Optional.of(keys));
        }
    }

    private final ObjectStore store;
    private final long maxSplitSize;

    public SplitEnumerator(ObjectStore store)
    {
        this(store, DEFAULT_MAX_SPLIT_SIZE);
    }

    public SplitEnumerator(ObjectStore store, long maxSplitSize)
    {
        this.store = requireNonNull(store, "store is null");
        if (maxSplitSize < 1) {
            throw new IllegalArgumentException("maxSplitSize must be positive: " + maxSplitSize);
        }
        this.maxSplitSize = maxSplitSize;
    }

    /** Splits of splittable objects (e.g. Parquet), lazily. */
    public Stream<Split> splits(List<Location> locations)
    {
        return splits(locations, true);
    }

    /** Splits, lazily; when {@code splittable} is false every object is one split (e.g. gzip text). */
    public Stream<Split> splits(List<Location> locations, boolean splittable)
    {
        return splits(locations, _ -> splittable);
    }

    /**
     * Splits, lazily; an object whose key {@code splittable} rejects is one split, whatever its size
     * (e.g. {@code key -> TableFormats.isSplittable(format, properties, key)}: compressed text).
     */
    public Stream<Split> splits(List<Location> locations, Predicate<String> splittable)
    {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(locations, splittable),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    public Iterator<Split> iterator(List<Location> locations, boolean splittable)
    {
        return iterator(locations, _ -> splittable);
    }

    public Iterator<Split> iterator(List<Location> locations, Predicate<String> splittable)
    {
        return new SplitIterator(List.copyOf(locations), requireNonNull(splittable, "splittable is null"));
    }

    /**
     * The splits of {@code locations} found with one recursive listing of {@code root} (a directory
     * holding them all, e.g. a table's location holding its partitions), instead of one listing per
     * location: objects of {@code root} outside every location, or hidden within one, are ignored.
     * Every location must lie in {@code root}'s bucket below it, name no key prefix or keys, and
     * contain no other location ({@link #groupable}).
     */
    public Iterator<Split> iterator(String root, List<Location> locations, Predicate<String> splittable)
    {
        S3Location directory = S3Location.parse(root).asDirectory();
        if (!groupable(root, locations)) {
            throw new IllegalArgumentException("locations cannot be listed from " + root + ": " + locations);
        }
        TreeMap<String, Location> byPrefix = new TreeMap<>();
        for (Location location : locations) {
            byPrefix.put(S3Location.parse(location.location()).asDirectory().key(), location);
        }
        requireNonNull(splittable, "splittable is null");
        Iterator<ObjectInfo> objects = store.listIterator(directory.bucket(), directory.key());
        Deque<Split> pending = new ArrayDeque<>();
        return new Iterator<>()
        {
            @Override
            public boolean hasNext()
            {
                while (pending.isEmpty()) {
                    if (!objects.hasNext()) {
                        return false;
                    }
                    ObjectInfo object = objects.next();
                    var entry = byPrefix.floorEntry(object.key());
                    if (entry == null || !object.key().startsWith(entry.getKey()) || object.size() == 0
                            || isHidden(object.key().substring(entry.getKey().length()))) {
                        continue;
                    }
                    addSplits(pending, directory.bucket(), object, entry.getValue().partitionValues(), splittable);
                }
                return true;
            }

            @Override
            public Split next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.poll();
            }
        };
    }

    /**
     * Whether {@link #iterator(String, List, Predicate)} can list {@code locations} from {@code root}:
     * each lies in root's bucket strictly below it, lists its whole directory (no key prefix, no named
     * keys), and no location's directory contains another's.
     */
    public static boolean groupable(String root, List<Location> locations)
    {
        S3Location directory;
        try {
            directory = S3Location.parse(root).asDirectory();
        }
        catch (RuntimeException e) {
            return false;
        }
        TreeMap<String, Location> byPrefix = new TreeMap<>();
        for (Location location : locations) {
            if (location.keyPrefix().isPresent() || location.keys().isPresent()) {
                return false;
            }
            S3Location partition;
            try {
                partition = S3Location.parse(location.location()).asDirectory();
            }
            catch (RuntimeException e) {
                return false;
            }
            if (!partition.bucket().equals(directory.bucket()) || !partition.key().startsWith(directory.key())
                    || partition.key().length() == directory.key().length() || byPrefix.put(partition.key(), location) != null) {
                return false;
            }
        }
        String previous = null;
        for (String prefix : byPrefix.keySet()) {
            // sorted: a directory containing another comes right before one of the directories it contains
            if (previous != null && prefix.startsWith(previous)) {
                return false;
            }
            previous = prefix;
        }
        return true;
    }

    /** Whether a key below a location (relative to it) names a hidden or marker object. */
    public static boolean isHidden(String relativeKey)
    {
        if (relativeKey.isEmpty() || relativeKey.endsWith("/")) {
            return true;
        }
        for (String segment : relativeKey.split("/")) {
            if (segment.startsWith("_") || segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The splits of one object: the whole object, or byte ranges of at most {@code maxSplitSize} when it is splittable. */
    private void addSplits(Deque<Split> pending, String bucket, ObjectInfo object, Map<String, String> partitionValues, Predicate<String> splittable)
    {
        long size = object.size();
        if (size <= maxSplitSize || !splittable.test(object.key())) {
            pending.add(new Split(bucket, object.key(), 0, size, size, object.lastModifiedMillis(), partitionValues));
            return;
        }
        long start = 0;
        while (start < size) {
            long length = Math.min(maxSplitSize, size - start);
            // fold a short remainder (< 1/4 of a split) into the last split instead of making a tiny one
            if (size - (start + length) < maxSplitSize / 4) {
                length = size - start;
            }
            pending.add(new Split(bucket, object.key(), start, length, size, object.lastModifiedMillis(), partitionValues));
            start += length;
        }
    }

    private final class SplitIterator
            implements Iterator<Split>
    {
        private final Iterator<Location> locations;
        private final Predicate<String> splittable;
        private final Deque<Split> pending = new ArrayDeque<>();
        private Location location;
        private S3Location prefix;
        private Iterator<ObjectInfo> objects;

        SplitIterator(List<Location> locations, Predicate<String> splittable)
        {
            this.locations = locations.iterator();
            this.splittable = splittable;
        }

        @Override
        public boolean hasNext()
        {
            while (pending.isEmpty()) {
                if (objects == null || !objects.hasNext()) {
                    if (!locations.hasNext()) {
                        return false;
                    }
                    location = locations.next();
                    prefix = S3Location.parse(location.location()).asDirectory();
                    objects = objects(location, prefix);
                    continue;
                }
                ObjectInfo object = objects.next();
                if (object.size() == 0 || isHidden(object.key().substring(prefix.key().length()))) {
                    continue;
                }
                addSplits(pending, prefix.bucket(), object, location.partitionValues(), splittable);
            }
            return true;
        }

        private Iterator<ObjectInfo> objects(Location location, S3Location directory)
        {
            if (location.keys().isPresent()) {
                // named objects: one HEAD each, lazily, and only for keys inside the location
                return location.keys().get().stream()
                        .filter(key -> key.startsWith(directory.key()) && !isHidden(key.substring(directory.key().length())))
                        .distinct()
                        .map(key -> head(directory.bucket(), key))
                        .flatMap(Optional::stream)
                        .iterator();
            }
            String listPrefix = location.keyPrefix().orElse(directory.key());
            if (!listPrefix.startsWith(directory.key())) {
                // the narrowing prefix lies outside (or above) this location
                listPrefix = directory.key().startsWith(listPrefix) ? directory.key() : null;
            }
            return listPrefix == null ? Collections.emptyIterator() : store.listIterator(directory.bucket(), listPrefix);
        }

        private Optional<ObjectInfo> head(String bucket, String key)
        {
            try {
                return Optional.of(store.head(bucket, key));
            }
            catch (GlauxException e) {
                // a HEAD answer has no body: a missing key and a missing bucket both look like this
                if (e.errorCode() == ErrorCode.OBJECT_NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        @Override
        public Split next()
        {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.poll();
        }
    }
}
