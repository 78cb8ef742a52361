package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.projection.PartitionProjection;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import io.glaux.connectors.split.SplitEnumerator;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.node.NodeManager.WorkerNode;
import io.glaux.coordinator.planner.GlauxTableScan;
import io.glaux.coordinator.query.Query;
import io.glaux.engine.exchange.RemoteTaskStream;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.engine.fragment.Task;
import io.glaux.engine.expr.DomainExtractor;
import io.glaux.engine.operator.FragmentRunner;
import io.glaux.engine.operator.HashAggregator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the scans of one query: prunes partitions with the filter's domains, lists the remaining
 * prefixes into splits, spreads the splits over the active workers (one task per worker), streams the
 * workers' Arrow output back, merges partial aggregates, and hands rows to Calcite's plan. A worker
 * failure fails the query within the stream's detection time, naming the worker, and takes the
 * worker out of scheduling.
 */
public final class QueryExecution
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(QueryExecution.class);
    private static final Object END = new Object();
    /** Tasks the splits of one scan are grouped into, per worker. */
    private static final int TASKS_PER_WORKER = 4;
    /** Tasks of one scan a worker runs at once (each runs its splits in parallel on the worker). */
    private static final int TASK_SLOTS_PER_WORKER = 2;

    private final Query query;
    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final NodeManager nodeManager;
    private final WorkerClients workerClients;
    private final BufferAllocator allocator;
    private final long maxSplitSize;
    private final List<ScanRun> runs = new CopyOnWriteArrayList<>();

    public QueryExecution(Query query, Catalog catalog, ObjectStore objectStore, NodeManager nodeManager, WorkerClients workerClients, BufferAllocator allocator, long maxSplitSize)
    {
        this.query = requireNonNull(query, "query is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.objectStore = requireNonNull(objectStore, "objectStore is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.workerClients = requireNonNull(workerClients, "workerClients is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.maxSplitSize = maxSplitSize;
    }

    Enumerable<Object> scan(GlauxTableScan scan)
    {
        return new AbstractEnumerable<>()
        {
            @Override
            public Enumerator<Object> enumerator()
            {
                ScanRun run = new ScanRun(scan);
                runs.add(run);
                run.start();
                return run;
            }
        };
    }

    @Override
    public void close()
    {
        runs.forEach(ScanRun::close);
        allocator.close();
    }

    /** The partitions (prefix + values) a scan must list, after pruning by the filter's domains. */
    private List<SplitEnumerator.Location> locations(Table table, TupleDomain domain)
    {
        if (!table.isPartitioned()) {
            return List.of(new SplitEnumerator.Location(table.location(), Map.of()));
        }
        if (PartitionProjection.isEnabled(table)) {
            return projectedLocations(table, domain);
        }
        List<SplitEnumerator.Location> locations = new ArrayList<>();
        for (Partition partition : catalog.getPartitions(table.schemaName(), table.tableName())) {
            Map<String, String> values = new LinkedHashMap<>();
            boolean matches = true;
            for (int i = 0; i < table.partitionColumns().size(); i++) {
                Column column = table.partitionColumns().get(i);
                String value = partition.values().get(i);
                values.put(column.name(), value);
                Domain columnDomain = domain.domains().get(column.name());
                if (columnDomain != null && !partitionValueMatches(columnDomain, column.type(), value)) {
                    matches = false;
                }
            }
            if (matches) {
                locations.add(new SplitEnumerator.Location(partition.location(), values));
            }
        }
        return locations;
    }

    /** Partitions computed from the table's projection properties and the query's filter; nothing is read from the metastore. */
    private static List<SplitEnumerator.Location> projectedLocations(Table table, TupleDomain domain)
    {
        Map<String, Set<String>> fixed = new HashMap<>();
        for (Column column : table.partitionColumns()) {
            Domain columnDomain = domain.domains().get(column.name());
            if (columnDomain != null) {
                equalityValues(columnDomain, column.type()).ifPresent(values -> fixed.put(column.name(), values));
            }
        }
        List<SplitEnumerator.Location> locations = new ArrayList<>();
        for (PartitionProjection.ProjectedPartition partition : PartitionProjection.partitions(table,
                (column, value) -> {
                    Domain columnDomain = domain.domains().get(column.name());
                    return columnDomain == null || partitionValueMatches(columnDomain, column.type(), value);
                },
                fixed, PartitionProjection.now())) {
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < table.partitionColumns().size(); i++) {
                values.put(table.partitionColumns().get(i).name(), partition.values().get(i));
            }
            locations.add(new SplitEnumerator.Location(partition.location(), values));
        }
        return locations;
    }

    /** The values a domain allows when it is a set of single values (=, IN), as partition path text. */
    private static Optional<Set<String>> equalityValues(Domain domain, Type type)
    {
        Set<String> values = new TreeSet<>();
        for (var range : domain.ranges()) {
            if (range.low() == null || !range.low().equals(range.high()) || !range.lowInclusive() || !range.highInclusive()) {
                return Optional.empty();
            }
            Object value = range.low();
            values.add(type.equals(Type.DATE) && value instanceof Long days ? LocalDate.ofEpochDay(days).toString() : value.toString());
        }
        return values.isEmpty() ? Optional.empty() : Optional.of(values);
    }

    @SuppressWarnings("rawtypes")
    private static boolean partitionValueMatches(Domain domain, Type type, String value)
    {
        if (value == null || value.equals("__HIVE_DEFAULT_PARTITION__")) {
            return domain.nullAllowed();
        }
        Comparable typed;
        try {
            typed = switch (type) {
                case Type.Primitive primitive -> switch (primitive.kind()) {
                    case TINYINT, SMALLINT, INTEGER, BIGINT -> Long.parseLong(value);
                    case REAL, DOUBLE -> Double.parseDouble(value);
                    case DATE -> LocalDate.parse(value).toEpochDay();
                    case BOOLEAN -> Boolean.parseBoolean(value);
                    default -> null;
                };
                case Type.Varchar ignored -> value;
                default -> null;
            };
        }
        catch (RuntimeException e) {
            return true;
        }
        return typed == null || domain.overlaps(typed, typed, false);
    }

    /** One execution of one scan: its tasks, their streams, and the rows they produce. */
    private final class ScanRun
            implements Enumerator<Object>
    {
        private final GlauxTableScan scan;
        private final BlockingQueue<Object> output = new ArrayBlockingQueue<>(64);
        private final AtomicReference<GlauxException> failure = new AtomicReference<>();
        private final List<RemoteTaskStream> streams = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private HashAggregator merger;
        private List<Object[]> chunk = List.of();
        private int position = -1;
        private boolean ended;
        private volatile boolean closed;

        ScanRun(GlauxTableScan scan)
        {
            this.scan = scan;
        }

        void start()
        {
            TupleDomain domain = DomainExtractor.extract(scan.filter(), scan.columns());
            ScanFragment fragment = scan.fragment(domain);
            Table table = scan.hiveTable().table();
            var format = scan.hiveTable().format();
            List<Split> splits = domain.isNone() ? List.of() : new SplitEnumerator(objectStore, maxSplitSize)
                    .splits(locations(table, domain), key -> TableFormats.isSplittable(format.format(), format.properties(), key))
                    .toList();
            query.stats().totalSplits.addAndGet(splits.size());

            List<WorkerNode> workers = nodeManager.activeWorkers();
            if (workers.isEmpty()) {
                throw new GlauxException(ErrorCode.NO_NODES_AVAILABLE, "No workers are available to run the query");
            }
            query.stats().nodes.set(workers.size() + 1);

            merger = fragment.aggregation()
                    .map(aggregation -> new HashAggregator(aggregation.finalStep(), finalInputTypes(fragment), allocator))
                    .orElse(null);
            HashAggregator finalMerger = merger;
            if (splits.isEmpty()) {
                if (finalMerger != null) {
                    // no split survived pruning: a global aggregation still has one row (count 0)
                    try (FragmentRunner empty = new FragmentRunner(fragment, QueryExecution::noPageSources, allocator)) {
                        empty.finish(finalMerger::addInput);
                    }
                }
                finishScan(finalMerger);
                return;
            }
            // Several tasks per worker, pulled from one queue: a worker that finishes early takes more,
            // and each finished task advances the query's split progress.
            Queue<Task> pending = new ConcurrentLinkedQueue<>();
            int splitsPerTask = Math.max(1, ceilDiv(splits.size(), workers.size() * TASKS_PER_WORKER));
            for (int from = 0, taskId = 0; from < splits.size(); from += splitsPerTask, taskId++) {
                pending.add(new Task(query.id(), taskId, fragment, splits.subList(from, Math.min(splits.size(), from + splitsPerTask))));
            }
            int drivers = Math.min(pending.size(), workers.size() * TASK_SLOTS_PER_WORKER);
            AtomicInteger remaining = new AtomicInteger(drivers);
            for (int i = 0; i < drivers; i++) {
                WorkerNode worker = workers.get(i % workers.size());
                threads.add(Thread.ofVirtual().name("scan-" + query.id() + "-" + worker.nodeId() + "-" + i).unstarted(() -> {
                    Task task;
                    while (!closed && failure.get() == null && (task = pending.poll()) != null) {
                        runTask(worker, task, finalMerger);
                    }
                    if (remaining.decrementAndGet() == 0 && failure.get() == null && !closed) {
                        finishScan(finalMerger);
                    }
                }));
            }
            threads.forEach(Thread::start);
        }

        private List<Type> finalInputTypes(ScanFragment fragment)
        {
            List<Type> types = new ArrayList<>();
            var aggregation = fragment.aggregation().orElseThrow();
            for (int key : aggregation.groupKeys()) {
                types.add(fragment.projections().get(key).type());
            }
            for (var call : aggregation.aggregates()) {
                types.add(call.outputType());
            }
            return types;
        }

        private void runTask(WorkerNode worker, Task task, HashAggregator merger)
        {
            query.stats().runningSplits.addAndGet(task.splits().size());
            try (RemoteTaskStream stream = workerClients.get(worker).execute(task)) {
                streams.add(stream);
                while (!closed && failure.get() == null && stream.next()) {
                    var batch = stream.root();
                    query.stats().processedRows.addAndGet(batch.getRowCount());
                    query.stats().processedBytes.addAndGet(batchBytes(batch));
                    if (merger != null) {
                        synchronized (merger) {
                            merger.addInput(batch);
                        }
                    }
                    else {
                        List<Object[]> rows = new ArrayList<>(batch.getRowCount());
                        ArrowRows.appendRows(batch, rows);
                        put(rows);
                    }
                }
                query.stats().completedSplits.addAndGet(task.splits().size());
            }
            catch (RuntimeException e) {
                GlauxException error = Query.toGlauxException(e);
                if (error.errorCode() == ErrorCode.WORKER_FAILED) {
                    nodeManager.markFailed(worker.nodeId());
                    workerClients.invalidate(worker);
                }
                fail(error);
            }
            finally {
                query.stats().runningSplits.addAndGet(-task.splits().size());
            }
        }

        private void finishScan(HashAggregator merger)
        {
            try {
                if (merger != null) {
                    List<Object[]> rows = new ArrayList<>();
                    synchronized (merger) {
                        merger.emit(batch -> ArrowRows.appendRows(batch, rows));
                    }
                    closeMerger();
                    put(rows);
                }
                put(END);
            }
            catch (RuntimeException e) {
                fail(Query.toGlauxException(e));
            }
        }

        private void fail(GlauxException error)
        {
            if (failure.compareAndSet(null, error)) {
                LOG.debug("Scan of {} failed: {}", scan.hiveTable().qualifiedName(), error.getMessage());
                streams.forEach(RemoteTaskStream::cancel);
                output.clear();
                output.offer(error);
            }
        }

        private void put(Object item)
        {
            try {
                while (!closed && failure.get() == null) {
                    if (output.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e));
            }
        }

        @Override
        public Object current()
        {
            return chunk.get(position);
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean moveNext()
        {
            while (true) {
                if (position + 1 < chunk.size()) {
                    position++;
                    return true;
                }
                if (ended) {
                    return false;
                }
                Object item;
                try {
                    item = output.take();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e);
                }
                if (item == END) {
                    ended = true;
                    return false;
                }
                if (item instanceof GlauxException error) {
                    ended = true;
                    throw error;
                }
                chunk = (List<Object[]>) item;
                position = -1;
            }
        }

        @Override
        public void reset()
        {
            throw new UnsupportedOperationException("scan cannot be reset");
        }

        @Override
        public void close()
        {
            if (closed) {
                return;
            }
            closed = true;
            streams.forEach(RemoteTaskStream::cancel);
            for (Thread thread : threads) {
                try {
                    thread.join(5_000);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closeMerger();
        }

        private void closeMerger()
        {
            HashAggregator toClose;
            synchronized (this) {
                toClose = merger;
                merger = null;
            }
            if (toClose != null) {
                synchronized (toClose) {
                    toClose.close();
                }
            }
        }
    }

    private static io.glaux.connectors.format.PageSource noPageSources(Split split, List<io.glaux.connectors.format.ColumnHandle> columns,
            TupleDomain pruning, BufferAllocator allocator)
    {
        throw new IllegalStateException("no split to read");
    }

    private static int ceilDiv(int a, int b)
    {
        return (a + b - 1) / b;
    }

    private static long batchBytes(org.apache.arrow.vector.VectorSchemaRoot batch)
    {
        long bytes = 0;
        for (var vector : batch.getFieldVectors()) {
            bytes += vector.getBufferSize();
        }
        return bytes;
    }
}
