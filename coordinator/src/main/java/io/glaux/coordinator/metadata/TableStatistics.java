package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Table;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.parquet.ParquetRowCount;
import io.glaux.connectors.parquet.ParquetRowCount.ColumnRange;
import io.glaux.connectors.parquet.ParquetRowCount.FileStatistics;
import io.glaux.connectors.s3.ObjectInfo;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.S3Location;
import io.glaux.connectors.split.SplitEnumerator;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A table's row count for the planner's estimates (join order, build sides, broadcast or partitioned):
 * the metastore's {@code numRows} when it has it; else counted from the table's objects: one listing of
 * its location (at most {@link #MAX_OBJECTS} objects), the row counts in the footers of up to
 * {@link #MAX_FOOTERS} Parquet files (cached by bucket, key, size and modification time, so a table
 * planned again costs its listing alone), scaled to the bytes of the files whose footers were not read;
 * for text formats the bytes divided by a guessed row width. Everything is bounded by
 * {@link #TIME_BUDGET_NANOS}: what is not known by then is estimated from the bytes. A count is reused
 * for 5 seconds (a query that names a table several times lists it once). Asked only when a plan needs
 * a row count (a join), never for a single-table query.
 *
 * <p>Column statistics ({@link #columnStatistics}) are the metastore's when it has them: Hive's
 * table-level column statistics (distinct values, nulls, min/max; written by {@code ANALYZE} in Hive,
 * Spark or Trino), else Spark's {@code spark.sql.statistics.colStats.<column>.*} table properties. Else
 * they come from the same footers: the min/max and null counts of integer, date and decimal columns,
 * their distinct values estimated from the range: a column cannot hold more distinct values than its non-null rows nor than
 * the integers between its min and max, so a key ({@code 1..n} over n rows) is estimated unique and a
 * code ({@code 0..24} over 10,000 rows) to have 25 values. Other columns' distinct values are unknown.
 */
public final class TableStatistics
{
    /** Statistics from the table's properties alone (no object store, no column statistics: planner tests). */
    public static final TableStatistics METASTORE_ONLY = new TableStatistics(null);

    static final int MAX_OBJECTS = 10_000;
    static final int MAX_FOOTERS = 64;
    public static final long TIME_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MAX_CACHED_FOOTERS = 20_000;
    private static final int CONCURRENT_FOOTERS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(TableStatistics.class);

    private record ObjectKey(String bucket, String key, long size, long lastModifiedMillis) {}

    /** A table's count and when it was made: reused for a few seconds (a query naming a table several times, a benchmark's runs). */
    private record Counted(OptionalDouble rows, Map<String, ColumnRange> ranges, long nanoTime) {}

    private static final Counted NOTHING = new Counted(OptionalDouble.empty(), Map.of(), 0);

    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_CACHED_TABLES = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<String, Counted> counted = new java.util.concurrent.ConcurrentHashMap<>();

    /** A table's column statistics from the metastore and when they were read: reused as {@link Counted} is. */
    private record HiveColumns(Map<String, io.glaux.catalog.model.ColumnStatistics> statistics, long nanoTime) {}

    private final java.util.concurrent.ConcurrentHashMap<String, HiveColumns> hiveColumns = new java.util.concurrent.ConcurrentHashMap<>();

    private final ObjectStore store;
    /** where Hive's column statistics are read; null for the table properties alone */
    private final Catalog catalog;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final Map<ObjectKey, FileStatistics> footerRows = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ObjectKey, FileStatistics> eldest)
        {
            return size() > MAX_CACHED_FOOTERS;
        }
    };

    private final long budgetNanos;

    /** @param store where the tables' objects are; null for the metastore's statistics alone */
    public TableStatistics(ObjectStore store)
    {
        this(store, null, TIME_BUDGET_NANOS);
    }

    /**
     * @param store where the tables' objects are; null for the metastore's statistics alone
     * @param catalog where the tables' column statistics are; null for the table properties alone
     * @param budgetNanos the time to list and read a table ({@link #TIME_BUDGET_NANOS}; more in tests on a busy machine)
     */
    public TableStatistics(ObjectStore store, Catalog catalog, long budgetNanos)
    {
        this.store = store;
        this.catalog = catalog;
        this.budgetNanos = budgetNanos;
    }

    /** The table's rows, or empty when neither the metastore nor the objects tell. */
    public OptionalDouble rowCount(Table table, TableFormats.TableFormat format, List<ColumnHandle> columns)
    {
        requireNonNull(table, "table is null");
        requests.incrementAndGet();
        double numRows = metastoreRows(table);
        if (numRows > 0) {
            return OptionalDouble.of(numRows);
        }
        return counted(table, format, columns).rows();
    }

    /**
     * What is known of each column (by name), for the planner's join and filter estimates: the metastore's
     * column statistics, else the ranges in the Parquet footers read for the row count (see the class
     * comment). A column missing from the map is unknown.
     */
    public Map<String, ColumnStatistics> columnStatistics(Table table, TableFormats.TableFormat format, List<ColumnHandle> columns)
    {
        requireNonNull(table, "table is null");
        double metastoreRows = metastoreRows(table);
        Counted counted = counted(table, format, columns);
        double rows = metastoreRows > 0 ? metastoreRows : counted.rows().orElse(Double.NaN);
        Map<String, io.glaux.catalog.model.ColumnStatistics> hive = hiveColumns(table, columns);
        Map<String, ColumnStatistics> statistics = new HashMap<>();
        for (ColumnHandle column : columns) {
            if (column.kind() != ColumnHandle.Kind.REGULAR) {
                continue;
            }
            ColumnStatistics fromFooters = footerColumn(counted.ranges().get(column.name()), rows);
            ColumnStatistics fromMetastore = hiveColumn(hive.get(column.name()), rows, fromFooters);
            if (fromMetastore == null) {
                fromMetastore = metastoreColumn(table.parameters(), column.name(), rows);
            }
            ColumnStatistics known = fromMetastore != null ? fromMetastore : fromFooters;
            if (known == null && column.type() == Type.BOOLEAN) {
                known = new ColumnStatistics(2, Double.NaN, Double.NaN, Double.NaN);
            }
            if (known != null) {
                statistics.put(column.name(), known);
            }
        }
        return Map.copyOf(statistics);
    }

    private static double metastoreRows(Table table)
    {
        double numRows = parameter(table.parameters(), "numRows");
        return numRows > 0 ? numRows : parameter(table.parameters(), "spark.sql.statistics.numRows");
    }

    /**
     * Hive's statistics of the table's regular columns, by name, reused for a few seconds as the footer
     * counts are; none when there is no catalog or the metastore fails (statistics only guide plans).
     */
    private Map<String, io.glaux.catalog.model.ColumnStatistics> hiveColumns(Table table, List<ColumnHandle> columns)
    {
        List<String> names = columns.stream().filter(column -> column.kind() == ColumnHandle.Kind.REGULAR).map(ColumnHandle::name).toList();
        if (catalog == null || names.isEmpty()) {
            return Map.of();
        }
        String key = table.schemaName() + "." + table.tableName() + " " + names;
        HiveColumns recent = hiveColumns.get(key);
        if (recent != null && System.nanoTime() - recent.nanoTime() < REUSE_NANOS) {
            return recent.statistics();
        }
        try {
            Map<String, io.glaux.catalog.model.ColumnStatistics> fresh = catalog.getColumnStatistics(table.schemaName(), table.tableName(), names);
            if (hiveColumns.size() > MAX_CACHED_TABLES) {
                hiveColumns.clear();
            }
            hiveColumns.put(key, new HiveColumns(fresh, System.nanoTime()));
            return fresh;
        }
        catch (GlauxException e) {
            LOG.warn("Planning {}.{} without its column statistics: {}", table.schemaName(), table.tableName(), e.getMessage());
            return Map.of();
        }
    }

    /**
     * A column's statistics from Hive's, null without a distinct count; the range the footers give where
     * Hive has none (Hive keeps no range for strings).
     */
    private static ColumnStatistics hiveColumn(io.glaux.catalog.model.ColumnStatistics hive, double rows, ColumnStatistics fromFooters)
    {
        if (hive == null || hive.distinctValues().isEmpty()) {
            return null;
        }
        long nulls = hive.nulls().orElse(-1);
        double nullFraction = nulls >= 0 && rows > 0 ? Math.min(1, nulls / rows) : fromFooters != null ? fromFooters.nullFraction() : Double.NaN;
        boolean allNull = rows > 0 && nulls >= rows;
        double min = hive.min().orElse(fromFooters != null ? fromFooters.min() : Double.NaN);
        double max = hive.max().orElse(fromFooters != null ? fromFooters.max() : Double.NaN);
        return new ColumnStatistics(allNull ? 0 : Math.max(hive.distinctValues().getAsLong(), 1), nullFraction, min, max);
    }

    /** Spark's column statistics in the table's properties (ANALYZE TABLE ... FOR COLUMNS), null without a distinct count. */
    private static ColumnStatistics metastoreColumn(Map<String, String> parameters, String column, double rows)
    {
        String prefix = "spark.sql.statistics.colStats." + column + ".";
        double distinct = parameter(parameters, prefix + "distinctCount");
        if (distinct < 0) {
            return null;
        }
        double nulls = parameter(parameters, prefix + "nullCount");
        double min = number(parameters.get(prefix + "min"));
        double max = number(parameters.get(prefix + "max"));
        return new ColumnStatistics(Math.max(distinct, 1), nulls >= 0 && rows > 0 ? Math.min(1, nulls / rows) : Double.NaN, min, max);
    }

    /** A column's statistics from its footer ranges: distinct values at most its non-null rows and the integers in its range. */
    private static ColumnStatistics footerColumn(ColumnRange range, double rows)
    {
        if (range == null || range.values() <= 0) {
            return null;
        }
        double nullFraction = (double) range.nulls() / range.values();
        if (range.min() > range.max()) {
            // nulls only, in every footer read
            return new ColumnStatistics(0, nullFraction, Double.NaN, Double.NaN);
        }
        double nonNullRows = (Double.isNaN(rows) ? range.values() : rows) * (1 - nullFraction);
        double width = (double) range.max() - (double) range.min() + 1;
        double scale = Math.pow(10, range.scale());
        return new ColumnStatistics(Math.max(1, Math.min(nonNullRows, width)), nullFraction, range.min() / scale, range.max() / scale);
    }

    private static double number(String value)
    {
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            try {
                // a date's days since 1970-01-01
                return java.time.LocalDate.parse(value.trim()).toEpochDay();
            }
            catch (java.time.format.DateTimeParseException notDate) {
                return Double.NaN;
            }
        }
    }

    /** The table's count from its objects, made at most {@link #REUSE_NANOS} ago or now. */
    private Counted counted(Table table, TableFormats.TableFormat format, List<ColumnHandle> columns)
    {
        if (store == null || table.location() == null || table.location().isEmpty()) {
            return NOTHING;
        }
        String name = table.schemaName() + "." + table.tableName() + " " + table.location();
        Counted recent = counted.get(name);
        if (recent != null && System.nanoTime() - recent.nanoTime() < REUSE_NANOS) {
            return recent;
        }
        try {
            Counted fresh = fromObjects(table, format, columns);
            if (counted.size() > MAX_CACHED_TABLES) {
                counted.clear();
            }
            counted.put(name, fresh);
            return fresh;
        }
        catch (RuntimeException e) {
            // statistics are a guess: a table whose objects cannot be listed or read plans without them
            LOG.debug("No statistics for {}.{}: {}", table.schemaName(), table.tableName(), e.toString());
            return NOTHING;
        }
    }

    /** How many times a table's row count was asked for (planning a query without a join never asks). */
    public long requests()
    {
        return requests.get();
    }

    private Counted fromObjects(Table table, TableFormats.TableFormat format, List<ColumnHandle> columns)
    {
        long deadline = System.nanoTime() + budgetNanos;
        S3Location directory = S3Location.parse(table.location()).asDirectory();
        List<ObjectInfo> objects = new ArrayList<>();
        long bytes = 0;
        boolean truncated = false;
        Iterator<ObjectInfo> listing = store.listIterator(directory.bucket(), directory.key());
        while (listing.hasNext()) {
            ObjectInfo object = listing.next();
            if (object.size() == 0 || !object.key().startsWith(directory.key()) || SplitEnumerator.isHidden(object.key().substring(directory.key().length()))) {
                continue;
            }
            objects.add(object);
            bytes += object.size();
            if (objects.size() >= MAX_OBJECTS || System.nanoTime() > deadline) {
                truncated = listing.hasNext();
                break;
            }
        }
        if (objects.isEmpty()) {
            return new Counted(OptionalDouble.of(0), Map.of(), System.nanoTime());
        }
        double rows;
        Map<String, ColumnRange> ranges = new HashMap<>();
        if (format.format().equals(TableFormats.PARQUET)) {
            rows = parquetRows(directory.bucket(), objects, bytes, deadline, textRowBytes(columns), ranges);
        }
        else {
            rows = bytes / textRowBytes(columns);
        }
        if (truncated) {
            // more objects than were listed: at least twice as many rows, as a guess
            rows *= 2;
        }
        return new Counted(OptionalDouble.of(Math.max(1, rows)), Map.copyOf(ranges), System.nanoTime());
    }

    /** Footer row counts of up to {@link #MAX_FOOTERS} files, scaled by bytes to the files not read. */
    private double parquetRows(String bucket, List<ObjectInfo> objects, long bytes, long deadline, double fallbackRowBytes, Map<String, ColumnRange> ranges)
    {
        List<FileStatistics> read = new ArrayList<>();
        long countedRows = 0;
        long countedBytes = 0;
        List<ObjectInfo> toRead = new ArrayList<>();
        // spread the footers read over the table: every n-th file
        int step = Math.max(1, objects.size() / MAX_FOOTERS);
        for (int i = 0; i < objects.size(); i += step) {
            ObjectInfo object = objects.get(i);
            FileStatistics cached = cached(bucket, object);
            if (cached != null) {
                countedRows += cached.rows();
                countedBytes += object.size();
                read.add(cached);
            }
            else if (toRead.size() < MAX_FOOTERS) {
                toRead.add(object);
            }
        }
        if (!toRead.isEmpty()) {
            try (ExecutorService executor = Executors.newFixedThreadPool(Math.min(CONCURRENT_FOOTERS, toRead.size()), Thread.ofVirtual().name("statistics-", 0).factory())) {
                List<Future<FileStatistics>> counts = new ArrayList<>();
                for (ObjectInfo object : toRead) {
                    counts.add(executor.submit(() -> ParquetRowCount.readStatistics(store, bucket, object.key(), object.size())));
                }
                for (int i = 0; i < toRead.size(); i++) {
                    long remaining = deadline - System.nanoTime();
                    try {
                        FileStatistics file = counts.get(i).get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                        ObjectInfo object = toRead.get(i);
                        cache(bucket, object, file);
                        read.add(file);
                        countedRows += file.rows();
                        countedBytes += object.size();
                    }
                    catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                        counts.get(i).cancel(true);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        counts.forEach(count -> count.cancel(true));
                        break;
                    }
                }
                counts.forEach(count -> count.cancel(true));
                executor.shutdownNow();
            }
        }
        mergeRanges(read, ranges);
        if (countedBytes == 0) {
            // no footer read in time: a Parquet row is a few times smaller than a text one
            return bytes / (fallbackRowBytes / 3);
        }
        return countedRows * ((double) bytes / countedBytes);
    }

    /** The columns' ranges over the files read; a column some file lacks statistics for is left out. */
    private static void mergeRanges(List<FileStatistics> files, Map<String, ColumnRange> ranges)
    {
        if (files.isEmpty()) {
            return;
        }
        ranges.putAll(files.getFirst().columns());
        for (FileStatistics file : files.subList(1, files.size())) {
            ranges.keySet().retainAll(file.columns().keySet());
            ranges.replaceAll((column, range) -> range.merge(file.columns().get(column)));
        }
    }

    private FileStatistics cached(String bucket, ObjectInfo object)
    {
        if (object.lastModifiedMillis() <= 0) {
            return null;
        }
        synchronized (footerRows) {
            return footerRows.get(new ObjectKey(bucket, object.key(), object.size(), object.lastModifiedMillis()));
        }
    }

    private void cache(String bucket, ObjectInfo object, FileStatistics rows)
    {
        if (object.lastModifiedMillis() <= 0) {
            return;
        }
        synchronized (footerRows) {
            footerRows.put(new ObjectKey(bucket, object.key(), object.size(), object.lastModifiedMillis()), rows);
        }
    }

    /** A text row's guessed length: 16 characters a string, 8 anything else, a delimiter each. */
    private static double textRowBytes(List<ColumnHandle> columns)
    {
        double width = 1;
        for (ColumnHandle column : columns) {
            if (column.kind() != ColumnHandle.Kind.REGULAR) {
                continue;
            }
            width += (column.type() instanceof Type.Varchar ? 16 : 8) + 1;
        }
        return width;
    }

    /** A metastore statistic; -1 when absent or unknown (Hive writes -1 for unknown). */
    static double parameter(Map<String, String> parameters, String key)
    {
        String value = parameters.get(key);
        if (value == null) {
            return -1;
        }
        try {
            return Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }
}
