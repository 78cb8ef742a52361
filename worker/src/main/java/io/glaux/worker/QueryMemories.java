package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The memory of each query running on this worker: its tasks allocate from one
 * {@link QueryMemoryContext} (limit {@code query.max-memory-per-node}) on the worker's pool, which is
 * closed, and its memory returned, when the query's last task here ends. A query that spills here
 * gets its own folder under {@code spill.path} and a {@link SpillSpace} on the worker's; both go when
 * its last task here ends (done, failed or cancelled). Thread-safe.
 */
final class QueryMemories
{
    private static final Logger log = LoggerFactory.getLogger(QueryMemories.class);
    /** Query ids name spill folders: only these characters (a coordinator's ids are {@code 20261207_185300_00001_abcde}). */
    private static final Pattern SAFE_QUERY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private static final Pattern QUERY_FOLDER = Pattern.compile("[0-9]{8}_[0-9]{6}_[0-9]{5}_[A-Za-z0-9]+");

    private final MemoryPool pool;
    private final long maxMemoryPerQuery;
    private final BufferAllocator allocator;
    private final Optional<Path> spillRoot;
    private final SpillSpace nodeSpill;
    private final long maxSpillPerQuery;
    private final Map<String, Entry> queries = new HashMap<>();

    /** A query's spill folder (created on first use; empty when spilling is off) and its spill space. */
    record Spill(Optional<Path> directory, SpillSpace space)
    {
        Spill
        {
            requireNonNull(directory, "directory is null");
            requireNonNull(space, "space is null");
        }
    }

    private static final class Entry
    {
        final QueryMemoryContext memory;
        int tasks;
        Spill spill;

        Entry(QueryMemoryContext memory)
        {
            this.memory = memory;
        }
    }

    /** Spill folders renamed for deletion so far (names them apart). */
    private final java.util.concurrent.atomic.AtomicLong deletions = new java.util.concurrent.atomic.AtomicLong();

    QueryMemories(MemoryPool pool, long maxMemoryPerQuery, BufferAllocator allocator)
    {
        this(pool, maxMemoryPerQuery, allocator, Optional.empty(), SpillSpace.unlimited(), Long.MAX_VALUE);
    }

    /**
     * @param spillRoot {@code spill.path} (empty: no spilling)
     * @param nodeSpill the bytes all queries may spill here ({@code spill.max-size})
     * @param maxSpillPerQuery the bytes one query may spill here ({@code query.max-spill-per-node})
     */
    QueryMemories(MemoryPool pool, long maxMemoryPerQuery, BufferAllocator allocator, Optional<Path> spillRoot, SpillSpace nodeSpill, long maxSpillPerQuery)
    {
        this.pool = requireNonNull(pool, "pool is null");
        this.maxMemoryPerQuery = maxMemoryPerQuery;
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.spillRoot = requireNonNull(spillRoot, "spillRoot is null");
        this.nodeSpill = requireNonNull(nodeSpill, "nodeSpill is null");
        this.maxSpillPerQuery = maxSpillPerQuery;
    }

    /**
     * Where an acquired query spills on this worker: its own folder under {@code spill.path}, created now
     * (once), and its share of the worker's spill space.
     */
    synchronized Spill spill(String queryId)
    {
        Entry entry = queries.get(queryId);
        if (entry == null) {
            throw new IllegalStateException("query " + queryId + " holds no task here");
        }
        if (entry.spill == null) {
            SpillSpace space = nodeSpill.forQuery(SpillConfig.QUERY_MAX_SPILL_PER_NODE, maxSpillPerQuery);
            Optional<Path> directory = Optional.empty();
            if (spillRoot.isPresent()) {
                if (!SAFE_QUERY_ID.matcher(queryId).matches()) {
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Query id " + queryId + " cannot name a spill folder");
                }
                Path folder = spillRoot.get().resolve(queryId);
                try {
                    Files.createDirectories(folder);
                }
                catch (IOException e) {
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot create the spill folder " + folder + ": " + e.getMessage(), e);
                }
                directory = Optional.of(folder);
            }
            entry.spill = new Spill(directory, space);
        }
        return entry.spill;
    }

    /** Bytes all queries spilled on this worker and have not yet deleted. */
    long spilledBytes()
    {
        return nodeSpill.usedBytes();
    }

    /** The query's memory, for one more task of it. */
    synchronized QueryMemoryContext acquire(String queryId)
    {
        return acquire(queryId, 0);
    }

    /**
     * The query's memory, for one more task of it; {@code sessionLimit}, when positive and lower than
     * {@code query.max-memory-per-node}, is the query's limit here (its session's {@code query_max_memory}).
     */
    synchronized QueryMemoryContext acquire(String queryId, long sessionLimit)
    {
        boolean bySession = sessionLimit > 0 && sessionLimit < maxMemoryPerQuery;
        Entry entry = queries.computeIfAbsent(queryId, id -> new Entry(bySession
                ? new QueryMemoryContext(id, pool, sessionLimit, "session property query_max_memory", allocator)
                : new QueryMemoryContext(id, pool, maxMemoryPerQuery, allocator)));
        entry.tasks++;
        return entry.memory;
    }

    /** How many tasks of the query hold its memory here now (at least 1 for an acquired query). */
    synchronized int tasks(String queryId)
    {
        Entry entry = queries.get(queryId);
        return entry == null ? 1 : Math.max(1, entry.tasks);
    }

    /**
     * One task of the query ended; the last one frees the query's memory and deletes its spill folder.
     * The folder is first renamed (under the lock, a quick rename): a task of the query that starts
     * while the old folder is being deleted creates the query's folder afresh.
     */
    void release(String queryId)
    {
        Entry toClose = null;
        Optional<Path> toDelete = Optional.empty();
        synchronized (this) {
            Entry entry = queries.get(queryId);
            if (entry != null && --entry.tasks == 0) {
                queries.remove(queryId);
                toClose = entry;
                if (entry.spill != null && entry.spill.directory().isPresent()) {
                    toDelete = Optional.of(renamedForDeletion(entry.spill.directory().get()));
                }
            }
        }
        if (toClose != null) {
            try {
                toClose.memory.close();
            }
            finally {
                if (toClose.spill != null) {
                    toDelete.ifPresent(QueryMemories::deleteTree);
                    toClose.spill.space().close();
                }
            }
        }
    }

    /** {@code folder} under a name of its own (still a query folder's, so a restart deletes it too); {@code folder} itself if it cannot be renamed. */
    private Path renamedForDeletion(Path folder)
    {
        Path renamed = folder.resolveSibling(folder.getFileName() + "deleted" + deletions.incrementAndGet());
        try {
            return Files.move(folder, renamed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            return folder;
        }
    }

    /** Whether a folder under {@code spill.path} is named as a coordinator names queries ({@code 20261207_185300_00001_abcde}). */
    static boolean isQueryFolder(String name)
    {
        return QUERY_FOLDER.matcher(name).matches();
    }

    /** Deletes a query's spill folder and whatever its operators left in it. */
    static void deleteTree(Path directory)
    {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Cannot delete the spill folder {}: {}", directory, e.getMessage());
        }
    }

    /** Bytes held by all queries on this worker. */
    long reservedBytes()
    {
        return pool.reservedBytes();
    }
}
