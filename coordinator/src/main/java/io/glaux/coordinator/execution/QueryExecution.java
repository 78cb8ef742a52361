package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.projection.PartitionProjection;
import io.glaux.connectors.format.ColumnHandle;
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
import io.glaux.coordinator.planner.PhysicalPlanner;
import io.glaux.engine.exchange.BroadcastData;
import io.glaux.engine.exchange.ExchangeClient;
import io.glaux.engine.exchange.ExchangeOperator;
import io.glaux.engine.exchange.ExchangeTickets;
import io.glaux.engine.exchange.RemoteTaskStream;
import io.glaux.engine.exchange.TaskOperatorStats;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.engine.fragment.Task;
import io.glaux.engine.expr.DomainExtractor;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Runs the scans of one query: prunes partitions with the filter's domains, lists the remaining
 * prefixes (or stats the objects a {@code "$path"} filter names, see {@link PathFilter}) into a bounded
 * queue of splits while task slots on the active workers take batches of them as tasks (so work starts
 * with the first listing page, and many small objects make few tasks), streams the workers' Arrow
 * output back as Arrow batches into the engine operators that read the stage. A worker
 * failure fails the query within the stream's detection time, naming the worker, and takes the
 * worker out of scheduling.
 */
public final class QueryExecution
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(QueryExecution.class);
    private static final Object END = new Object();
    /** Tasks of one scan a worker runs at once (each runs its splits in parallel on the worker). */
    private static final int TASK_SLOTS_PER_WORKER = 2;
    /**
     * A scan whose fragment stops after at most this many rows, with no filter and no aggregation
     * ({@code SELECT * ... LIMIT 100}), runs one task slot: its first split almost always holds the rows,
     * and the other slots would only fetch and decode row groups nobody reads.
     */
    private static final long SINGLE_SLOT_LIMIT = 10_000;
    /** A task takes about 1/(slots × this) of the queued splits, so that the last tasks even out the load. */
    private static final int TASKS_PER_SLOT = 2;
    /** At most this many splits in one task (many small objects are packed into few tasks). */
    private static final int MAX_SPLITS_PER_TASK = 512;
    /** A task stops taking splits once it has this many bytes. */
    private static final long TARGET_TASK_BYTES = 256L * 1024 * 1024;
    /**
     * Splits a listing queues at once (a LIST page holds 1,000 keys): the splits of one page reach the
     * queue together, so that the first free slot does not take the first split alone while the rest of
     * the page is still being turned into splits.
     */
    private static final int LISTING_BATCH = 1_000;
    /**
     * A task of a scan of footers only ({@code count(*)}) forms once the listing has ended or a full task's
     * splits ({@link #MAX_SPLITS_PER_TASK}) are queued; while neither, the queue is looked at this often.
     */
    private static final long FOOTER_SCAN_QUEUE_CHECK_MILLIS = 5;
    /** Splits listed ahead of the tasks. */
    private static final int SPLIT_QUEUE_SIZE = 10_000;
    /** Partitions (locations) listed at once: a LIST is a round trip, and partitions are independent. */
    private static final int CONCURRENT_LISTINGS = 4;
    /** How long an exchange control call to a worker may take. */
    private static final java.time.Duration ACTION_TIMEOUT = java.time.Duration.ofSeconds(5);
    /**
     * At most this many tasks of a hash-partitioned stage per worker (one per thread it announced): every
     * stage task pulls its partition from every worker, so the streams grow with the product.
     */
    static final int MAX_STAGE_TASKS_PER_WORKER = 8;

    private final Query query;
    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final NodeManager nodeManager;
    private final WorkerClients workerClients;
    private final BufferAllocator allocator;
    private final long maxSplitSize;
    private final long maxBroadcastBytes;
    private final List<ScanRun> runs = new CopyOnWriteArrayList<>();
    /** What the operators of the workers' tasks did, summed over tasks, by plan node (EXPLAIN ANALYZE). */
    private final java.util.concurrent.ConcurrentHashMap<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> workerStats = new java.util.concurrent.ConcurrentHashMap<>();
    /** What each scan did in its tasks ({@link TaskOperatorStats#SCAN}), summed over them, by scan. */
    private final Map<GlauxTableScan, io.glaux.engine.operator.OperatorStats> scanStats = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /**
     * @param maxBroadcastBytes the largest build side a broadcast join sends (the session's
     *        {@code join_max_broadcast_table_size}, else {@code join-max-broadcast-table-size}): the limit
     *        the planner chose broadcasts by, applied to the rows the build side really returns
     */
    public QueryExecution(Query query, Catalog catalog, ObjectStore objectStore, NodeManager nodeManager, WorkerClients workerClients, BufferAllocator allocator, long maxSplitSize,
            long maxBroadcastBytes)
    {
        this.maxBroadcastBytes = maxBroadcastBytes;
        this.query = requireNonNull(query, "query is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.objectStore = requireNonNull(objectStore, "objectStore is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.workerClients = requireNonNull(workerClients, "workerClients is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.maxSplitSize = maxSplitSize;
    }

    /**
     * What the workers' operators did, summed over their tasks: by plan node, and each scan stage's
     * scan under {@link #scanKey} of its stage in {@code scans}. Complete once the query's output ended.
     */
    public Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> workerStats(Map<Integer, PhysicalPlanner.ScanStage> scans)
    {
        Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> stats = new HashMap<>(workerStats);
        for (Map.Entry<Integer, PhysicalPlanner.ScanStage> entry : scans.entrySet()) {
            io.glaux.engine.operator.OperatorStats scan = scanStats.get(entry.getValue().scan());
            if (scan != null) {
                stats.put(TaskOperatorStats.scanOfStage(entry.getKey()), scan);
            }
        }
        return stats;
    }

    private void recordTaskStats(GlauxTableScan scan, Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> stats)
    {
        for (Map.Entry<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> entry : stats.entrySet()) {
            if (entry.getKey().equals(TaskOperatorStats.SCAN)) {
                scanStats.computeIfAbsent(scan, _ -> new io.glaux.engine.operator.OperatorStats()).add(entry.getValue());
            }
            else {
                workerStats.computeIfAbsent(entry.getKey(), _ -> new io.glaux.engine.operator.OperatorStats()).add(entry.getValue());
            }
        }
    }

    /**
     * The scan as an engine operator: the workers' Arrow batches (or, with a pushed-down aggregation,
     * their partial groups) move into {@code context}'s allocator as they arrive, typed {@code types}.
     */
    public Operator scanStage(GlauxTableScan scan, Optional<PlanNode> pipeline, List<Type> types, OperatorContext context)
    {
        ScanRun run = new ScanRun(scan, pipeline, context.allocator(), types);
        // batches waiting for the final stage count against the query's memory: queue a small share of it,
        // so that the operators above, which spill by what is left, keep most of it
        run.maxQueuedBytes = Math.clamp(context.query().memory().limit() / 16, 1L << 20, 32L << 20);
        runs.add(run);
        return reading(run, types, context, true, true);
    }

    /**
     * An operator over {@code run}'s batches, counted as its output. {@code startOnRead}: it starts the run
     * on its first read (the caller has not); its close closes the run and, when {@code closeContext}, the
     * context (which only this operator uses).
     */
    private static Operator reading(ScanRun run, List<Type> types, OperatorContext context, boolean startOnRead, boolean closeContext)
    {
        return new Operator()
        {
            private boolean started = !startOnRead;

            @Override
            public List<Type> outputTypes()
            {
                return types;
            }

            @Override
            public VectorSchemaRoot next()
            {
                if (!started) {
                    started = true;
                    run.start();
                }
                VectorSchemaRoot batch = run.nextBatch(context);
                if (batch != null) {
                    context.stats().addOutput(batch.getRowCount(), Batches.sizeInBytes(batch));
                }
                return batch;
            }

            @Override
            public void close()
            {
                try {
                    run.close();
                }
                finally {
                    if (closeContext) {
                        context.close();
                    }
                }
            }
        };
    }

    /**
     * A hash-partitioned stage as an engine operator. With two or more active workers, each scan task
     * hash-partitions its output into its worker's output buffer, one partition per stage task; each
     * worker runs as many tasks of the stage as it has threads (up to {@link #MAX_STAGE_TASKS_PER_WORKER}),
     * each running {@code stage}'s plan over its partition, pulled from every worker's buffer, and this
     * operator gathers their output. With fewer workers the coordinator runs the plan
     * itself ({@code local}) over the gathered scan stage.
     */
    public Operator partitionedStage(int stageId, PhysicalPlanner.PartitionedStage stage, Map<Integer, PhysicalPlanner.ScanStage> scans, OperatorContext context,
            java.util.function.Supplier<Operator> local)
    {
        java.util.function.Supplier<Operator> localStage = local;
        List<WorkerNode> workers = nodeManager.activeWorkers();
        if (workers.size() < 2) {
            context.close();
            return local.get();
        }
        // several tasks per worker where it has the threads, dealt round robin over the workers: task p runs on taskNodes[p]
        List<WorkerNode> taskNodes = stageTaskNodes(workers);
        int partitions = taskNodes.size();
        // one scan run per input, each hash-partitioning into its own buffers; an input starts when the one
        // before it has finished (a join's build side before its probe side), so that the stage tasks,
        // which read the inputs in that order, never wait on an input held back by a full buffer of another
        List<ScanRun> inputRuns = new ArrayList<>();
        for (PhysicalPlanner.PartitionedStage.Input input : stage.inputs()) {
            PhysicalPlanner.ScanStage scan = scans.get(input.stage());
            ScanRun run = new ScanRun(scan.scan(), scan.pipeline(), context.allocator(), scan.types());
            run.partitionedOutput = Optional.of(new Task.PartitionedOutput(input.stage(), input.keys(), partitions, scan.types(), input.spreadNullKeys()));
            run.producers = List.copyOf(workers);
            byte[] noMoreInput = ExchangeTickets.encode(new ExchangeTickets.Fetch(query.id(), input.stage(), 0, partitions, scan.types()));
            run.onSuccess = () -> noMoreInput(workers, input.stage(), noMoreInput);
            if (!inputRuns.isEmpty()) {
                ScanRun buildRun = inputRuns.getLast();
                Runnable previous = buildRun.onSuccess;
                // the join of this input (probe) with the one before it (build), when it drops the probe rows without a match
                Optional<PlanNode.Join> probedJoin = DynamicFilter.partitionedJoin(stage.plan(), input.stage(), stage.inputs().get(inputRuns.size() - 1).stage());
                List<Integer> buildKeys = stage.inputs().get(inputRuns.size() - 1).keys();
                inputRuns.getLast().onSuccess = () -> {
                    previous.run();
                    // the build side's keys, as its tasks reported them, narrow the probe side's scan (its partitions, row groups and rows)
                    probedJoin.ifPresent(join -> buildRun.keySummary().ifPresent(keys -> {
                        TupleDomain dynamic = DynamicFilter.ofKeys(scan.scan(), scan.pipeline(), join, buildKeys, keys);
                        run.dynamicDomain = DynamicFilter.narrowed(run.dynamicDomain, dynamic);
                    }));
                    // a query cancelled meanwhile (its operators not yet closed) starts no further scan
                    if (!context.query().cancellation().isCancelled()) {
                        run.start();
                    }
                };
            }
            inputRuns.add(run);
            runs.add(run);
        }
        ScanRun first = inputRuns.getFirst();
        // inputs whose scan joins broadcast build sides in its tasks (a star join below a partitioned join)
        Map<ScanRun, List<Integer>> broadcastInputs = new LinkedHashMap<>();
        for (int i = 0; i < inputRuns.size(); i++) {
            List<Integer> builds = scans.get(stage.inputs().get(i).stage()).pipeline().map(PhysicalPlanner::broadcastStages).orElse(List.of());
            if (!builds.isEmpty()) {
                broadcastInputs.put(inputRuns.get(i), builds);
            }
        }
        List<ExchangeTickets.Location> producers = workers.stream().map(worker -> new ExchangeTickets.Location(worker.nodeId(), worker.flightUri())).toList();
        // build sides the stage's own plan joins by broadcast (a small scan joined with the stage's output)
        List<Integer> stageBroadcasts = PhysicalPlanner.broadcastStages(stage.plan());
        return new Operator()
        {
            private boolean started;
            private boolean closed;
            /** Set when the build sides an input's tasks join are too large to broadcast: the plan runs here instead. */
            private Operator local;
            /** Gathers the stage tasks' output, once they are formed. */
            private ExchangeClient exchange;

            @Override
            public List<Type> outputTypes()
            {
                return stage.types();
            }

            @Override
            public VectorSchemaRoot next()
            {
                if (local != null) {
                    return local.next();
                }
                if (!started) {
                    started = true;
                    query.stats().nodes.set(workers.size() + 1);
                    for (Map.Entry<ScanRun, List<Integer>> input : broadcastInputs.entrySet()) {
                        CollectedBroadcasts broadcasts = collectBroadcasts(input.getKey().scan, input.getKey().pipeline, input.getValue(), scans, context);
                        if (!broadcasts.complete()) {
                            LOG.debug("Build sides of stages {} of {} are too large to broadcast: running stage {} on the coordinator", input.getValue(), query.id(), stageId);
                            query.stats().runtimeDecisions.add("Fragment %d: the build sides of fragments %s exceed the broadcast limit: run on the coordinator"
                                    .formatted(stageId, input.getValue()));
                            release();
                            local = localStage.get();
                            return local.next();
                        }
                        input.getKey().broadcast = broadcasts.broadcasts();
                        input.getKey().dynamicDomain = broadcasts.dynamic();
                    }
                    List<Task.Broadcast> taskBroadcasts = List.of();
                    if (!stageBroadcasts.isEmpty()) {
                        CollectedBroadcasts broadcasts = collectBroadcasts(null, Optional.empty(), stageBroadcasts, scans, context);
                        if (!broadcasts.complete()) {
                            LOG.debug("Build sides of stages {} of {} are too large to broadcast: running stage {} on the coordinator", stageBroadcasts, query.id(), stageId);
                            query.stats().runtimeDecisions.add("Fragment %d: the build sides of fragments %s exceed the broadcast limit: run on the coordinator"
                                    .formatted(stageId, stageBroadcasts));
                            release();
                            local = localStage.get();
                            return local.next();
                        }
                        taskBroadcasts = broadcasts.broadcasts();
                    }
                    List<ExchangeClient.Source> sources = new ArrayList<>();
                    for (int partition = 0; partition < partitions; partition++) {
                        ExchangeTickets.StageTask task = new ExchangeTickets.StageTask(query.id(), stageId, partition, partitions, stage.plan(), producers,
                                query.session().queryMaxMemory().orElse(0), taskBroadcasts);
                        sources.add(new ExchangeClient.Source(workerClients.get(taskNodes.get(partition)), task.label(), ExchangeTickets.encode(task)));
                    }
                    exchange = new ExchangeClient(sources, stage.types(), context.allocator(), ExchangeOperator.bufferBytes(context.query().memory().limit()));
                    exchange.onOperatorStats(stats -> TaskOperatorStats.merge(workerStats, stats));
                    first.start();
                    exchange.start();
                }
                VectorSchemaRoot batch = exchange.next(() -> {
                    context.checkCancelled();
                    inputRuns.forEach(ScanRun::checkFailed);
                });
                if (batch != null) {
                    long bytes = Batches.sizeInBytes(batch);
                    context.stats().addOutput(batch.getRowCount(), bytes);
                    query.stats().processedRows.addAndGet(batch.getRowCount());
                }
                return batch;
            }

            @Override
            public void close()
            {
                if (closed) {
                    return;
                }
                closed = true;
                if (local != null) {
                    local.close();
                    return;
                }
                release();
            }

            /** Stops the exchange and the input scans, frees the inputs' buffers on the workers and closes the context. */
            private void release()
            {
                try {
                    if (exchange != null) {
                        exchange.close();
                    }
                }
                finally {
                    try {
                        closeAll(inputRuns);
                    }
                    finally {
                        try {
                            abortStages(workers, stage.inputs().stream().map(PhysicalPlanner.PartitionedStage.Input::stage).toList());
                        }
                        finally {
                            context.close();
                        }
                    }
                }
            }
        };
    }

    /**
     * The rows of build stages for a probe scan's tasks, in the order of the stages; {@code complete}: of
     * all of them; {@code dynamic}: what the keys of those collected whole leave of the probe scan.
     */
    record CollectedBroadcasts(List<Task.Broadcast> broadcasts, boolean complete, TupleDomain dynamic)
    {
        CollectedBroadcasts
        {
            broadcasts = List.copyOf(broadcasts);
            requireNonNull(dynamic, "dynamic is null");
        }
    }

    /**
     * The rows of build stages {@code buildStageIds}, scanned one after the other into the query's memory
     * here, as the broadcasts a probe scan's tasks join, as long as together they stay within
     * the query's broadcast limit (and 1/16 of the query's limit): the first stage past it
     * ends the collection, which is then not complete. {@code probeScan}: null for a stage's plan, whose
     * input is no scan the keys could filter.
     */
    CollectedBroadcasts collectBroadcasts(GlauxTableScan probeScan, Optional<PlanNode> probePipeline, List<Integer> buildStageIds,
            Map<Integer, PhysicalPlanner.ScanStage> scans, OperatorContext context)
    {
        TupleDomain dynamic = TupleDomain.all();
        long maxBytes = Math.min(maxBroadcastBytes, context.query().memory().limit() / 16);
        long bytes = 0;
        List<Task.Broadcast> broadcasts = new ArrayList<>();
        for (int buildStageId : buildStageIds) {
            PhysicalPlanner.ScanStage build = scans.get(buildStageId);
            ScanRun buildRun = new ScanRun(build.scan(), build.pipeline(), context.allocator(), build.types());
            buildRun.maxQueuedBytes = Math.clamp(context.query().memory().limit() / 16, 1L << 20, 32L << 20);
            runs.add(buildRun);
            List<VectorSchemaRoot> rows = new ArrayList<>();
            try {
                buildRun.start();
                while (true) {
                    if (bytes > maxBytes) {
                        LOG.debug("Build sides of stages {} of {} exceed {} bytes at stage {}", buildStageIds, query.id(), maxBytes, buildStageId);
                        return new CollectedBroadcasts(broadcasts, false, dynamic);
                    }
                    VectorSchemaRoot batch = buildRun.nextBatch(context);
                    if (batch == null) {
                        break;
                    }
                    rows.add(batch);
                    bytes += Batches.sizeInBytes(batch);
                }
                if (probeScan != null) {
                    dynamic = DynamicFilter.narrowed(dynamic, DynamicFilter.of(probeScan, probePipeline, buildStageId, rows));
                }
                broadcasts.add(new Task.Broadcast(buildStageId, BroadcastData.encode(rows, build.types(), context.allocator())));
            }
            finally {
                rows.forEach(VectorSchemaRoot::close);
                buildRun.close();
            }
        }
        return new CollectedBroadcasts(broadcasts, true, dynamic);
    }

    /**
     * A scan stage whose tasks run {@code pipeline}, which joins the rows of {@code broadcasts}, as an
     * operator started on its first read; closing it closes {@code context}.
     */
    Operator broadcastProbeStage(GlauxTableScan scan, Optional<PlanNode> pipeline, CollectedBroadcasts broadcasts, List<Type> types, OperatorContext context)
    {
        ScanRun run = new ScanRun(scan, pipeline, context.allocator(), types);
        run.broadcast = broadcasts.broadcasts();
        run.dynamicDomain = broadcasts.dynamic();
        run.maxQueuedBytes = Math.clamp(context.query().memory().limit() / 16, 1L << 20, 32L << 20);
        runs.add(run);
        return reading(run, types, context, true, true);
    }

    /**
     * A scan stage whose tasks join their rows with the rows of a build stage (a broadcast join). The
     * build stage runs first, into the query's memory here; if its output stays under
     * the query's broadcast limit (and 1/16 of the query's limit), the limit the planner
     * chose the broadcast by, it goes to every probe task inside the task (an Arrow IPC stream) and the
     * join runs on the workers. A larger build side (the planner's estimate was wrong) is corrected by
     * the same limit: an INNER join turns round when its probe side is within it ({@link SwappedJoin});
     * else, with two or more workers, the join becomes a partitioned join on the workers
     * ({@link PartitionedFallback}, stage {@code fallbackStageId}) as the planner would have planned it;
     * with one worker the coordinator runs the probe stage's pipeline itself (its hash join can spill),
     * over the gathered probe scan and the build rows.
     *
     * @param probeStageId the stage id of {@code probe}
     * @param fallbackStageId an id no stage of the query has, for the partitioned join
     * @param ids ids no node of the plan has, for the nodes of a join turned round
     */
    public Operator broadcastJoinStage(int probeStageId, PhysicalPlanner.ScanStage probe, int buildStageId, PhysicalPlanner.ScanStage build, int fallbackStageId,
            io.glaux.engine.plan.PlanNodeIds ids, OperatorContext context)
    {
        long maxBytes = Math.min(maxBroadcastBytes, context.query().memory().limit() / 16);
        return new io.glaux.engine.operator.LazyOperator(probe.types())
        {
            private final List<VectorSchemaRoot> collected = new ArrayList<>();
            private ScanRun buildRun;

            @Override
            protected Operator start()
            {
                buildRun = new ScanRun(build.scan(), build.pipeline(), context.allocator(), build.types());
                // batches waiting here count against the query's memory, as a scan stage's do
                buildRun.maxQueuedBytes = Math.clamp(context.query().memory().limit() / 16, 1L << 20, 32L << 20);
                runs.add(buildRun);
                buildRun.start();
                if (collect(buildRun)) {
                    TupleDomain dynamic = DynamicFilter.of(probe.scan(), probe.pipeline(), buildStageId, collected);
                    return broadcastTo(probe.scan(), probe.pipeline(), collected, build.types(), dynamic);
                }
                List<Type> probeTypes = SwappedJoin.probeScanTypes(probe.pipeline().orElseThrow()).orElseThrow();
                Optional<PlanNode> swapped = SwappedJoin.swap(probe.pipeline().orElseThrow(), buildStageId, ids);
                Optional<PhysicalPlanner.PartitionedStage> partitioned = PartitionedFallback.of(probe.pipeline().orElseThrow(), probeStageId, buildStageId);
                boolean distributed = nodeManager.activeWorkers().size() >= 2;
                if (swapped.isEmpty() && !(partitioned.isPresent() && distributed)) {
                    return joinHere();
                }
                // the build side is too large: perhaps the probe side is small, and the join can turn round.
                // Both scans are never open at once: tasks stalled on one must not hold the slots the other needs.
                discard(buildRun);
                if (swapped.isPresent()) {
                    ScanRun probeScan = new ScanRun(probe.scan(), Optional.empty(), context.allocator(), probeTypes);
                    probeScan.maxQueuedBytes = buildRun.maxQueuedBytes;
                    runs.add(probeScan);
                    probeScan.start();
                    if (collect(probeScan)) {
                        LOG.debug("Build side of stage {} of {} exceeds {} bytes, its probe side does not: broadcasting the probe side", buildStageId, query.id(), maxBytes);
                        query.stats().runtimeDecisions.add("Join of fragments %d and %d: the build side exceeds the broadcast limit of %s, the probe side does not: turned round"
                                .formatted(probeStageId, buildStageId, io.glaux.engine.memory.DataSize.format(maxBytes)));
                        return broadcastTo(build.scan(), swapped, collected, probeTypes, TupleDomain.all());
                    }
                    discard(probeScan);
                }
                if (partitioned.isPresent() && distributed) {
                    // both sides are large: a partitioned join on the workers, as the planner plans one
                    LOG.debug("Build side of stage {} of {} exceeds {} bytes{}: a partitioned join", buildStageId, query.id(), maxBytes,
                            swapped.isPresent() ? ", and so does its probe side" : "");
                    query.stats().runtimeDecisions.add("Join of fragments %d and %d: the build side exceeds the broadcast limit of %s%s: partitioned (fragment %d)"
                            .formatted(probeStageId, buildStageId, io.glaux.engine.memory.DataSize.format(maxBytes), swapped.isPresent() ? ", and so does the probe side" : "",
                                    fallbackStageId));
                    Map<Integer, PhysicalPlanner.ScanStage> inputs = Map.of(
                            probeStageId, new PhysicalPlanner.ScanStage(probe.scan(), Optional.empty(), probeTypes),
                            buildStageId, build);
                    return partitionedStage(fallbackStageId, partitioned.get(), inputs, new OperatorContext(context.query(), context.name() + "-partitioned"), () -> {
                        restartBuild();
                        return joinHere();
                    });
                }
                // one worker: join here as planned, scanning the build side again
                restartBuild();
                return joinHere();
            }

            /** Collects the run's batches while they stay within the limit; true when the run ended within it. */
            private boolean collect(ScanRun run)
            {
                long bytes = 0;
                while (bytes <= maxBytes) {
                    VectorSchemaRoot batch = run.nextBatch(context);
                    if (batch == null) {
                        return true;
                    }
                    collected.add(batch);
                    bytes += Batches.sizeInBytes(batch);
                }
                return false;
            }

            private void discard(ScanRun run)
            {
                collected.forEach(VectorSchemaRoot::close);
                collected.clear();
                run.close();
            }

            private void restartBuild()
            {
                long queued = buildRun.maxQueuedBytes;
                buildRun = new ScanRun(build.scan(), build.pipeline(), context.allocator(), build.types());
                buildRun.maxQueuedBytes = queued;
                runs.add(buildRun);
                buildRun.start();
            }

            /**
             * Sends the collected rows to every task of a scan whose pipeline joins them, and reads the tasks'
             * output; {@code dynamic}: the partitions and row groups of the scan the rows' keys can match.
             */
            private Operator broadcastTo(GlauxTableScan scan, Optional<PlanNode> pipeline, List<VectorSchemaRoot> rows, List<Type> rowTypes, TupleDomain dynamic)
            {
                byte[] data = BroadcastData.encode(rows, rowTypes, context.allocator());
                rows.forEach(VectorSchemaRoot::close);
                rows.clear();
                ScanRun probeRun = new ScanRun(scan, pipeline, context.allocator(), probe.types());
                probeRun.broadcast = List.of(new Task.Broadcast(buildStageId, data));
                probeRun.dynamicDomain = dynamic;
                probeRun.maxQueuedBytes = Math.clamp(context.query().memory().limit() / 16, 1L << 20, 32L << 20);
                runs.add(probeRun);
                probeRun.start();
                return reading(probeRun, probe.types(), context, false, false);
            }

            /** Too large to broadcast: the join runs here, over the gathered probe scan and the build rows. */
            private Operator joinHere()
            {
                LOG.debug("Build side of stage {} of {} exceeds {} bytes: joining on the coordinator", buildStageId, query.id(), maxBytes);
                query.stats().runtimeDecisions.add("Join of fragments %d and %d: the build side exceeds the broadcast limit of %s: joined on the coordinator"
                        .formatted(probeStageId, buildStageId, io.glaux.engine.memory.DataSize.format(maxBytes)));
                io.glaux.engine.execution.LocalExecutionPlanner local = new io.glaux.engine.execution.LocalExecutionPlanner(context.query(), (leaf, leafContext) -> {
                    PlanNode.RemoteSource remote = (PlanNode.RemoteSource) leaf;
                    if (remote.exchangeType() != PlanNode.ExchangeType.BROADCAST) {
                        return scanStage(probe.scan(), Optional.empty(), remote.outputTypes(), leafContext);
                    }
                    return new Operator()
                    {
                        @Override
                        public List<Type> outputTypes()
                        {
                            return build.types();
                        }

                        @Override
                        public VectorSchemaRoot next()
                        {
                            if (!collected.isEmpty()) {
                                return Batches.transfer(collected.removeFirst(), leafContext.allocator());
                            }
                            return buildRun.nextBatch(leafContext);
                        }

                        @Override
                        public void close()
                        {
                            leafContext.close();
                        }
                    };
                });
                return local.plan(probe.pipeline().orElseThrow());
            }

            @Override
            protected void release()
            {
                try {
                    collected.forEach(VectorSchemaRoot::close);
                    collected.clear();
                    if (buildRun != null) {
                        buildRun.close();
                    }
                }
                finally {
                    context.close();
                }
            }
        };
    }

    /** The join of a probe pipeline (down its probe sides) whose build side is the broadcast of stage {@code buildStage}. */
    static Optional<PlanNode> joinWith(PlanNode node, int buildStage)
    {
        return switch (node) {
            case PlanNode.Join join when join.right() instanceof PlanNode.RemoteSource build && build.exchangeType() == PlanNode.ExchangeType.BROADCAST
                    && build.sourceStages().equals(List.of(buildStage)) -> Optional.of(join);
            case PlanNode.Join join -> joinWith(join.left(), buildStage);
            case PlanNode.Filter filter -> joinWith(filter.source(), buildStage);
            case PlanNode.Project project -> joinWith(project.source(), buildStage);
            case PlanNode.Aggregate aggregate -> joinWith(aggregate.source(), buildStage);
            default -> Optional.empty();
        };
    }

    /** {@code node} with {@code target} (on its probe sides) replaced by {@code leaf}; empty when it is not found there. */
    static Optional<PlanNode> replaced(PlanNode node, PlanNode target, PlanNode leaf)
    {
        if (node == target) {
            return Optional.of(leaf);
        }
        return switch (node) {
            case PlanNode.Join join -> replaced(join.left(), target, leaf).map(left -> new PlanNode.Join(join.id(), join.type(), left, join.right(),
                    join.leftKeys(), join.rightKeys(), join.residual(), join.distribution(), join.outputColumns()));
            case PlanNode.Filter filter -> replaced(filter.source(), target, leaf).map(source -> new PlanNode.Filter(filter.id(), source, filter.predicate()));
            case PlanNode.Project project -> replaced(project.source(), target, leaf).map(source -> new PlanNode.Project(project.id(), source, project.projections()));
            case PlanNode.Aggregate aggregate -> replaced(aggregate.source(), target, leaf).map(source -> new PlanNode.Aggregate(aggregate.id(), source, aggregate.step(),
                    aggregate.groupKeys(), aggregate.groupingSets(), aggregate.aggregates()));
            default -> Optional.empty();
        };
    }

    /**
     * Where the tasks of a hash-partitioned stage run: each worker as many times as the threads it
     * announced (at most {@link #MAX_STAGE_TASKS_PER_WORKER}), dealt round robin so that consecutive
     * partitions land on different workers.
     */
    private List<WorkerNode> stageTaskNodes(List<WorkerNode> workers)
    {
        int[] slots = new int[workers.size()];
        int most = 0;
        for (int i = 0; i < workers.size(); i++) {
            slots[i] = Math.clamp(nodeManager.processors(workers.get(i)), 1, MAX_STAGE_TASKS_PER_WORKER);
            most = Math.max(most, slots[i]);
        }
        List<WorkerNode> nodes = new ArrayList<>();
        for (int round = 0; round < most; round++) {
            for (int i = 0; i < workers.size(); i++) {
                if (slots[i] > round) {
                    nodes.add(workers.get(i));
                }
            }
        }
        return nodes;
    }

    /**
     * Tells every worker that stage {@code stageId}'s producers have all finished (so its stage tasks see
     * the end of that input), all workers at once: one slow worker costs one action timeout, not one each.
     * Throws the first failure.
     */
    private void noMoreInput(List<WorkerNode> workers, int stageId, byte[] body)
    {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> calls = new ArrayList<>();
        for (WorkerNode worker : workers) {
            calls.add(Thread.ofVirtual().name("no-more-input-" + query.id() + "-" + stageId + "-" + worker.nodeId()).start(() -> {
                try {
                    workerClients.get(worker).doAction(ExchangeTickets.NO_MORE_INPUT_ACTION, body, ACTION_TIMEOUT);
                }
                catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        joinAll(calls, ACTION_TIMEOUT.plusSeconds(1));
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Frees stages' output buffers on their workers (a no-op where their consumers have read them): every call at once. */
    private void abortStages(List<WorkerNode> workers, List<Integer> stageIds)
    {
        List<Thread> calls = new ArrayList<>();
        for (int stageId : stageIds) {
            byte[] body = ExchangeTickets.encodeStage(query.id(), stageId);
            for (WorkerNode worker : workers) {
                calls.add(Thread.ofVirtual().name("abort-" + query.id() + "-" + stageId + "-" + worker.nodeId()).start(() -> {
                    try {
                        workerClients.get(worker).doAction(ExchangeTickets.ABORT_STAGE_ACTION, body, ACTION_TIMEOUT);
                    }
                    catch (RuntimeException e) {
                        LOG.debug("Freeing stage {} of {} on {} failed: {}", stageId, query.id(), worker.nodeId(), e.getMessage());
                    }
                }));
            }
        }
        joinAll(calls, ACTION_TIMEOUT.plusSeconds(1));
    }

    /** Closes scans at once: each cancels its tasks and waits for its threads. */
    private static void closeAll(List<ScanRun> scans)
    {
        if (scans.size() == 1) {
            scans.getFirst().close();
            return;
        }
        List<Thread> closes = new ArrayList<>();
        for (ScanRun scan : scans) {
            closes.add(Thread.ofVirtual().start(scan::close));
        }
        // a scan's close waits up to 30 s for its threads; every scan's close ends by then
        joinAll(closes, java.time.Duration.ofSeconds(35));
    }

    /**
     * Waits for {@code threads}, together at most {@code timeout}; an interrupt of this thread (a cancel
     * while closing) does not cut the wait short but is kept.
     */
    private static void joinAll(List<Thread> threads, java.time.Duration timeout)
    {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        runs.forEach(ScanRun::close);
        allocator.close();
    }

    /**
     * How many of a table's partitions a scan must select before it lists them with one listing of the
     * table's location (a LIST is a round trip, a response to parse and a request for the store to
     * serve; a log table's partitions hold few objects each) rather than one listing per partition.
     */
    private static final double GROUPED_LISTING_SHARE = 0.5;

    /** The locations a scan lists, and how many partitions the table has in the metastore (0: not partitioned, or projected: then each location is listed on its own). */
    private record ScanLocations(List<SplitEnumerator.Location> locations, int partitionCount) {}

    /** The partitions (prefix + values) a scan must list, after pruning by the filter's domains. */
    private ScanLocations locations(Table table, TupleDomain domain)
    {
        if (!table.isPartitioned()) {
            return new ScanLocations(List.of(new SplitEnumerator.Location(table.location(), Map.of())), 0);
        }
        if (PartitionProjection.isEnabled(table)) {
            return new ScanLocations(projectedLocations(table, domain), 0);
        }
        List<SplitEnumerator.Location> locations = new ArrayList<>();
        List<Partition> partitions = catalog.getPartitions(table.schemaName(), table.tableName());
        for (Partition partition : partitions) {
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
        return new ScanLocations(locations, partitions.size());
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

    /** One execution of one scan: its tasks, their streams, and the Arrow batches they produce. */
    private final class ScanRun
    {
        private final GlauxTableScan scan;
        /** Where batches move (the reading operator's allocator), and their types. */
        private final BufferAllocator batchAllocator;
        private final List<Type> batchTypes;
        /** What each task runs over its scan output (a partial top-N), if anything. */
        private final Optional<PlanNode> pipeline;
        /** Bytes of batches queued for the consumer (at least one batch may always wait). */
        private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
        private long maxQueuedBytes = Long.MAX_VALUE;
        /** Set: the tasks hash-partition their output into their workers' buffers instead of sending it here. */
        private Optional<Task.PartitionedOutput> partitionedOutput = Optional.empty();
        /** The workers that run the tasks (null: the active workers when the scan starts). */
        private List<WorkerNode> producers;
        /** The build sides every task's pipeline joins with (broadcast joins), if any. */
        private List<Task.Broadcast> broadcast = List.of();
        /** What the build sides' key values leave of the scan's partitions and row groups ({@link DynamicFilter}). */
        private TupleDomain dynamicDomain = TupleDomain.all();
        /** Runs once every task succeeded, before the end is signalled. */
        private Runnable onSuccess;
        /** The join keys its tasks sent into a partitioned join's stage, merged ({@link io.glaux.engine.exchange.KeySummary}); null before the first report. */
        private List<io.glaux.engine.exchange.KeySummary.Key> keySummary;
        /** Tasks that reported their keys, and tasks that ended successfully. */
        private int keySummaries;
        private final AtomicInteger tasksEnded = new AtomicInteger();
        private final Object queueSpace = new Object();
        /** Batches ahead of the consumer (accounted in the query's memory, so few). */
        private final BlockingQueue<Object> output;
        private final AtomicReference<GlauxException> failure = new AtomicReference<>();
        private final List<RemoteTaskStream> streams = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        /** Listed splits, then {@link #END} once the listing is over (it stays there for every slot to see). */
        private final BlockingQueue<Object> splits = new LinkedBlockingQueue<>();
        /** Tasks a withdrawing worker did not start: their splits, for another worker. */
        private final Queue<List<Split>> retriedTasks = new ConcurrentLinkedQueue<>();
        /** Bounds the splits listed ahead of the tasks. */
        private final Semaphore queueRoom = new Semaphore(SPLIT_QUEUE_SIZE);
        private final AtomicInteger taskIds = new AtomicInteger();
        /** Splits listed. */
        private final AtomicInteger listed = new AtomicInteger();
        private volatile boolean listingDone;
        private int slots;
        /** Tasks each slot's share of the splits is cut into ({@link #TASKS_PER_SLOT}, or 1 for a scan of footers only). */
        private int tasksPerSlot = TASKS_PER_SLOT;
        /** Whether the scan reads no column of the files (footers at most). */
        private boolean footersOnly;
        private final java.util.concurrent.CountDownLatch listingEnded = new java.util.concurrent.CountDownLatch(1);
        private ScanFragment fragment;
        /** Rows the tasks sent; once at least {@link #rowLimit} (a LIMIT on the scan alone), no further task is formed. */
        private final java.util.concurrent.atomic.AtomicLong rowsReceived = new java.util.concurrent.atomic.AtomicLong();
        private long rowLimit = -1;
        /** Splits of the first task (0: its share, as any task's). */
        private int firstTaskSplits;
        private boolean ended;
        private volatile boolean closed;

        ScanRun(GlauxTableScan scan, Optional<PlanNode> pipeline, BufferAllocator batchAllocator, List<Type> batchTypes)
        {
            this.scan = scan;
            this.pipeline = pipeline;
            this.output = new ArrayBlockingQueue<>(8);
            this.batchAllocator = requireNonNull(batchAllocator, "batchAllocator is null");
            this.batchTypes = requireNonNull(batchTypes, "batchTypes is null");
        }

        void start()
        {
            // (a partitioned stage starts its next input from the scan thread that finished the one before)
            synchronized (this) {
                if (closed) {
                    return;
                }
                startLocked();
            }
        }

        private void startLocked()
        {
            TupleDomain domain = DynamicFilter.narrowed(DomainExtractor.extract(scan.filter(), scan.columns()), DynamicFilter.forPruning(dynamicDomain));
            fragment = scan.fragment(domain).withDynamicFilter(DynamicFilter.rowFilter(dynamicDomain, scan.columns()));
            if (!dynamicDomain.domains().isEmpty() || dynamicDomain.isNone()) {
                query.stats().runtimeDecisions.add("Scan of %s: dynamic filter %s".formatted(scan.hiveTable().qualifiedName(), DynamicFilter.describe(dynamicDomain)));
            }
            Table table = scan.hiveTable().table();
            var format = scan.hiveTable().format();
            ScanLocations found = domain.isNone() ? new ScanLocations(List.of(), 0) : locations(table, domain);
            List<SplitEnumerator.Location> locations = PathFilter.narrow(found.locations(), domain, scan.filter(), scan.columns());

            List<WorkerNode> workers = producers != null ? producers : nodeManager.activeWorkers();
            if (workers.isEmpty()) {
                throw new GlauxException(ErrorCode.NO_NODES_AVAILABLE, "No workers are available to run the query");
            }
            query.stats().nodes.set(workers.size() + 1);

            // The listing runs ahead of the tasks, page by page, into a bounded queue: tasks start with
            // the first page, and the query's split total grows as the listing goes on. Up to
            // CONCURRENT_LISTINGS partitions are listed at once, each by its own thread.
            SplitEnumerator enumerator = new SplitEnumerator(objectStore, maxSplitSize);
            Predicate<String> splittable = key -> TableFormats.isSplittable(format.format(), format.properties(), key);
            Queue<java.util.function.Supplier<Iterator<Split>>> unlisted = new ConcurrentLinkedQueue<>();
            if (locations.size() >= 2 && found.partitionCount() > 0 && locations.size() >= found.partitionCount() * GROUPED_LISTING_SHARE && SplitEnumerator.groupable(table.location(), locations)) {
                // most partitions of the table: one listing of its location finds them all
                unlisted.add(() -> enumerator.iterator(table.location(), locations, splittable));
            }
            else {
                for (SplitEnumerator.Location location : locations) {
                    unlisted.add(() -> enumerator.iterator(List.of(location), splittable));
                }
            }
            int listers = Math.max(1, Math.min(CONCURRENT_LISTINGS, unlisted.size()));
            AtomicInteger listing = new AtomicInteger(listers);
            for (int i = 0; i < listers; i++) {
                threads.add(Thread.ofVirtual().name("list-" + query.id() + "-" + i).unstarted(() -> {
                    try {
                        java.util.function.Supplier<Iterator<Split>> next;
                        while (!closed && failure.get() == null && (next = unlisted.poll()) != null) {
                            list(next.get());
                        }
                    }
                    finally {
                        if (listing.decrementAndGet() == 0) {
                            listingDone = true;
                            listingEnded.countDown();
                            // wakes the slots waiting for a split at once
                            splits.add(END);
                        }
                    }
                }));
            }

            // Several task slots per worker, each forming its next task from the queue when free: a
            // worker that finishes early takes more, and each finished task advances the split progress.
            slots = workers.size() * TASK_SLOTS_PER_WORKER;
            if (fragment.limit().isPresent() && fragment.aggregation().isEmpty() && pipeline.isEmpty() && partitionedOutput.isEmpty() && broadcast.isEmpty()) {
                // each row the tasks send is a row the query may need, up to the limit: past it no task is formed
                rowLimit = fragment.limit().getAsLong();
            }
            if (fragment.limit().isPresent() && fragment.limit().getAsLong() <= SINGLE_SLOT_LIMIT && fragment.filter().isEmpty()
                    && fragment.aggregation().isEmpty() && partitionedOutput.isEmpty() && broadcast.isEmpty()) {
                // a small LIMIT: one slot whose first task starts at once with one split (it usually holds the
                // rows; a task of several would fetch and decode a row group of each of them)
                slots = 1;
                firstTaskSplits = 1;
            }
            else if (fragment.columns().stream().noneMatch(column -> column.kind() == ColumnHandle.Kind.REGULAR)) {
                // no column of the files is read (count(*), partition values): a split costs a footer read at
                // most, far less than a task's setup, so each worker gets one task of its share of the splits
                slots = workers.size();
                tasksPerSlot = 1;
                footersOnly = true;
            }
            AtomicInteger remaining = new AtomicInteger(slots);
            for (int i = 0; i < slots; i++) {
                WorkerNode worker = workers.get(i % workers.size());
                threads.add(Thread.ofVirtual().name("scan-" + query.id() + "-" + worker.nodeId() + "-" + i).unstarted(() -> {
                    Task task;
                    // a worker that withdrew (graceful shutdown) gets no more tasks; the others take them
                    while (nodeManager.activeWorkers().contains(worker) && (task = nextTask()) != null) {
                        runTask(worker, task);
                    }
                    if (remaining.decrementAndGet() == 0 && failure.get() == null && !closed) {
                        if (limitReached()) {
                            // the rows the query needs came; the splits still listed are not read
                            finishScan();
                        }
                        else if (!listingDone || !retriedTasks.isEmpty() || splits.stream().anyMatch(item -> item != END)) {
                            fail(new GlauxException(ErrorCode.NO_NODES_AVAILABLE, "Every worker of the query left before its splits were read"));
                        }
                        else {
                            finishScan();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
        }

        /** Feeds the split queue from a listing; a listing failure fails the scan. */
        private void list(Iterator<Split> listing)
        {
            List<Split> batch = new ArrayList<>();
            try {
                while (!closed && failure.get() == null && listing.hasNext()) {
                    Split split = listing.next();
                    while (!queueRoom.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (closed || failure.get() != null) {
                            return;
                        }
                    }
                    batch.add(split);
                    if (batch.size() >= LISTING_BATCH) {
                        queue(batch);
                    }
                }
                queue(batch);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e));
            }
            catch (RuntimeException e) {
                fail(Query.toGlauxException(e));
            }
        }

        /** Queues {@code batch}'s splits at once (their queue room is taken) and empties it. */
        private void queue(List<Split> batch)
        {
            if (batch.isEmpty()) {
                return;
            }
            listed.addAndGet(batch.size());
            query.stats().totalSplits.addAndGet(batch.size());
            splits.addAll(batch);
            batch.clear();
        }

        /**
         * The next task: waits for a first split, then takes the splits already queued up to a share of
         * them per slot ({@value #TASKS_PER_SLOT} tasks per slot; of all the splits once the listing is
         * over, of those queued while it goes on), at most {@value #MAX_SPLITS_PER_TASK}
         * splits or {@link #TARGET_TASK_BYTES} bytes. Null when the listing has ended and the queue is
         * empty, or the scan failed or was closed.
         */
        private Task nextTask()
        {
            try {
                Object first = null;
                while (first == null) {
                    if (closed || failure.get() != null || limitReached()) {
                        return null;
                    }
                    List<Split> retry = retriedTasks.poll();
                    if (retry != null) {
                        return new Task(query.id(), taskIds.getAndIncrement(), fragment, retry, pipeline, partitionedOutput, broadcast,
                        query.session().queryMaxMemory().orElse(0));
                    }
                    first = splits.poll(100, TimeUnit.MILLISECONDS);
                }
                if (first == END) {
                    splits.add(END);
                    List<Split> retry = retriedTasks.poll();
                    return retry == null ? null : new Task(query.id(), taskIds.getAndIncrement(), fragment, retry, pipeline, partitionedOutput, broadcast,
                        query.session().queryMaxMemory().orElse(0));
                }
                // a split costs a footer read at most: a task should take all the splits it may, not the first
                // few listed; it starts once the listing is over or a full task's splits are queued
                while (footersOnly && !listingDone && splits.size() + 1 < MAX_SPLITS_PER_TASK && !closed && failure.get() == null) {
                    // (the latch ends the wait at once when the listing ends; the timeout re-checks the queue)
                    listingEnded.await(FOOTER_SCAN_QUEUE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
                List<Split> batch = new ArrayList<>();
                batch.add((Split) first);
                long bytes = ((Split) first).length();
                // once the listing is over the split count is known: equal tasks, a few per slot; before,
                // a share of what is queued (the first tasks start while the listing goes on)
                int share = listingDone ? ceilDiv(listed.get(), slots * tasksPerSlot) : ceilDiv(splits.size() + 1, slots * tasksPerSlot);
                int target = firstTaskSplits > 0 && taskIds.get() == 0 ? firstTaskSplits : Math.clamp(share, 1, MAX_SPLITS_PER_TASK);
                Object next;
                while (batch.size() < target && bytes < TARGET_TASK_BYTES && (next = splits.poll()) != null) {
                    if (next == END) {
                        splits.add(END);
                        break;
                    }
                    batch.add((Split) next);
                    bytes += ((Split) next).length();
                }
                queueRoom.release(batch.size());
                return new Task(query.id(), taskIds.getAndIncrement(), fragment, batch, pipeline, partitionedOutput, broadcast,
                        query.session().queryMaxMemory().orElse(0));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e));
                return null;
            }
        }

        private void runTask(WorkerNode worker, Task task)
        {
            query.stats().runningSplits.addAndGet(task.splits().size());
            boolean received = false;
            boolean ended = false;
            // the object store bytes this attempt counted (its worker's progress reports)
            java.util.concurrent.atomic.AtomicLong counted = new java.util.concurrent.atomic.AtomicLong();
            try (RemoteTaskStream stream = workerClients.get(worker).execute(task)) {
                streams.add(stream);
                stream.onOperatorStats(stats -> recordTaskStats(scan, stats));
                stream.onKeySummary(this::addKeySummary);
                // bytes scanned are the bytes the task fetched from the object store, as the worker
                // reports them (after each split and at the end), not the Arrow bytes it returns
                stream.onProgress(objectStoreBytes -> {
                    long more = objectStoreBytes - counted.get();
                    if (more > 0) {
                        counted.set(objectStoreBytes);
                        query.stats().addProcessedBytes(more);
                    }
                });
                while (!closed && failure.get() == null && stream.next()) {
                    received = true;
                    var batch = stream.root();
                    query.stats().processedRows.addAndGet(batch.getRowCount());
                    rowsReceived.addAndGet(batch.getRowCount());
                    long size = Batches.sizeInBytes(batch);
                    if (awaitQueueSpace(size)) {
                        put(Batches.take(batch, batchTypes, batchAllocator));
                    }
                }
                ended = !closed && failure.get() == null;
                if (ended) {
                    tasksEnded.incrementAndGet();
                }
                query.stats().completedSplits.addAndGet(task.splits().size());
            }
            catch (RuntimeException e) {
                GlauxException error = Query.toGlauxException(e);
                if (!received && partitionedOutput.isEmpty() && error.errorCode() == ErrorCode.WORKER_FAILED && nodeManager.hasWithdrawn(worker)) {
                    // the worker withdrew (a graceful shutdown) before sending anything of this task:
                    // another worker runs it, nothing of it was read yet
                    LOG.debug("Task {} of {} goes to another worker: {} withdrew", task.taskId(), query.id(), worker.nodeId());
                    // the next attempt reads the same splits and counts their bytes: not twice
                    query.stats().removeProcessedBytes(counted.get());
                    retriedTasks.add(task.splits());
                    return;
                }
                // fail first: nothing after it may keep the query from ending
                fail(error);
                if (error.errorCode() == ErrorCode.WORKER_FAILED) {
                    nodeManager.markFailed(worker.nodeId());
                    workerClients.invalidate(worker);
                }
            }
            finally {
                query.stats().runningSplits.addAndGet(-task.splits().size());
                if (!ended && closed) {
                    countCancelledTask(worker, task, counted.get());
                }
            }
        }

        /**
         * The scan ended before this task's stream did (a LIMIT was reached, the query was cancelled): the
         * stream was cancelled before the worker's last progress report, so the query's bytes scanned
         * lack what the task fetched since the previous one. The worker tells its total once the task
         * stopped ({@link io.glaux.engine.exchange.WorkerClient#taskObjectStoreBytes}, which waits up to
         * {@link io.glaux.engine.exchange.WorkerClient#TASK_BYTES_WAIT} for that). It is asked on a thread
         * of its own that close() does not wait for: the client gets its answer at once, and the bytes
         * are added to the query's statistics, its history and the totals when they come.
         */
        private void countCancelledTask(WorkerNode worker, Task task, long counted)
        {
            query.stats().beginLateCount();
            try {
                Thread.ofVirtual().name("task-bytes-" + task.queryId() + "-" + task.taskId()).start(() -> {
                    long more = 0;
                    try {
                        java.util.OptionalLong total = workerClients.get(worker).taskObjectStoreBytes(task.queryId(), task.taskId());
                        if (total.isPresent() && total.getAsLong() > counted) {
                            more = total.getAsLong() - counted;
                        }
                    }
                    catch (RuntimeException e) {
                        LOG.debug("Cannot count the bytes of the cancelled task {} of {} on {}: {}", task.taskId(), query.id(), worker.nodeId(), e.toString());
                    }
                    finally {
                        query.stats().endLateCount(more);
                    }
                });
            }
            catch (RuntimeException e) {
                query.stats().endLateCount(0);
                throw e;
            }
        }

        private synchronized void addKeySummary(List<io.glaux.engine.exchange.KeySummary.Key> keys)
        {
            keySummary = keySummary == null ? keys : io.glaux.engine.exchange.KeySummary.merge(keySummary, keys);
            keySummaries++;
        }

        /** The join keys of every task's rows, once the scan succeeded; empty unless every task that ended reported them. */
        synchronized Optional<List<io.glaux.engine.exchange.KeySummary.Key>> keySummary()
        {
            int ended = tasksEnded.get();
            return keySummary != null && ended > 0 && keySummaries == ended ? Optional.of(keySummary) : Optional.empty();
        }

        /** Whether the tasks sent the rows of the scan's LIMIT (a scan without one never reaches it). */
        private boolean limitReached()
        {
            return rowLimit >= 0 && rowsReceived.get() >= rowLimit;
        }

        private void finishScan()
        {
            try {
                if (onSuccess != null) {
                    onSuccess.run();
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
                drainOutput();
                output.offer(error);
            }
        }

        /** Empties the output queue, closing the batches in it. */
        private void drainOutput()
        {
            Object item;
            while ((item = output.poll()) != null) {
                if (item instanceof VectorSchemaRoot batch) {
                    dequeued(batch);
                    batch.close();
                }
            }
        }

        /**
         * Waits until a batch of {@code size} bytes may be queued: when the queue is empty, or its bytes
         * stay under the limit. Counts the batch as queued; false if the scan ended meanwhile.
         */
        private boolean awaitQueueSpace(long size)
        {
            synchronized (queueSpace) {
                while (queuedBytes.get() > 0 && queuedBytes.get() + size > maxQueuedBytes) {
                    if (closed || failure.get() != null) {
                        return false;
                    }
                    try {
                        queueSpace.wait(100);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        fail(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e));
                        return false;
                    }
                }
                queuedBytes.addAndGet(size);
                return true;
            }
        }

        /** A batch left the queue: its bytes no longer count (it was counted on the way in by its buffers' size). */
        private void dequeued(VectorSchemaRoot batch)
        {
            synchronized (queueSpace) {
                queuedBytes.set(Math.max(0, queuedBytes.get() - Batches.sizeInBytes(batch)));
                queueSpace.notifyAll();
            }
        }

        private void put(Object item)
        {
            try {
                while (!closed && failure.get() == null) {
                    if (output.offer(item, 100, TimeUnit.MILLISECONDS)) {
                        if (closed) {
                            drainOutput();
                        }
                        return;
                    }
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e));
            }
            if (item instanceof VectorSchemaRoot batch) {
                batch.close();
            }
        }

        /** Throws the scan's failure, if it failed. */
        void checkFailed()
        {
            GlauxException error = failure.get();
            if (error != null) {
                throw new GlauxException(error.errorCode(), error.getMessage(), error);
            }
        }

        /** The next batch (the caller owns it), or null at the end; waits for the workers. */
        VectorSchemaRoot nextBatch(OperatorContext context)
        {
            while (!ended) {
                context.checkCancelled();
                Object item;
                try {
                    item = output.poll(100, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled", e);
                }
                if (item == null) {
                    if (closed) {
                        throw new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled");
                    }
                    continue;
                }
                if (item == END) {
                    ended = true;
                    return null;
                }
                if (item instanceof GlauxException error) {
                    ended = true;
                    throw error;
                }
                if (item instanceof VectorSchemaRoot batch) {
                    dequeued(batch);
                    if (batch.getRowCount() == 0) {
                        batch.close();
                        continue;
                    }
                    return batch;
                }
                throw new IllegalStateException("unexpected scan output " + item.getClass().getName());
            }
            return null;
        }

        void close()
        {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            streams.forEach(RemoteTaskStream::cancel);
            // wait for the scan's threads even when this thread is interrupted (a cancel interrupts the
            // query's thread while it closes): one still running may hold a batch of the consumer's memory
            boolean interrupted = Thread.interrupted();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread thread : threads) {
                while (thread.isAlive() && System.nanoTime() < deadline) {
                    try {
                        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    }
                    catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            drainOutput();
        }
    }

    private static int ceilDiv(int a, int b)
    {
        return (a + b - 1) / b;
    }
}
