package io.glaux.coordinator.execution;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.planner.PhysicalPlanner;
import io.glaux.engine.exchange.TaskOperatorStats;
import io.glaux.engine.execution.LocalExecutionPlanner;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.QueryContext;
import io.glaux.coordinator.query.QueryState;
import io.glaux.coordinator.query.QueryStats;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.ResultPage;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * Runs a query's final stage in the engine on the coordinator: its operators pull the scan stages'
 * Arrow batches from the workers ({@link QueryExecution#scanStage}) and the result leaves as rows for
 * the client protocol. Closing it closes every operator and scan.
 */
public final class EngineExecution
        implements AutoCloseable
{
    private final LocalExecutionPlanner planner;
    private final Operator root;
    private final BooleanSupplier canceled;
    private final QueryContext query;
    private final PhysicalPlanner.EnginePlan plan;
    private final QueryExecution scans;
    /** The batch the result's pages are being written from (a page may end inside it); closed with this. */
    private VectorSchemaRoot pendingBatch;

    /**
     * @param scans runs the scan stages; null when the plan has none
     * @param canceled polled between batches: true once the client cancelled the query
     */
    public EngineExecution(PhysicalPlanner.EnginePlan plan, QueryExecution scans, QueryContext query, BooleanSupplier canceled)
    {
        requireNonNull(plan, "plan is null");
        this.query = requireNonNull(query, "query is null");
        this.canceled = requireNonNull(canceled, "canceled is null");
        this.plan = plan;
        this.scans = scans;
        LocalExecutionPlanner[] self = new LocalExecutionPlanner[1];
        // for the nodes the coordinator adds to the plan at run time
        io.glaux.engine.plan.PlanNodeIds ids = plan.unusedIds();
        this.planner = new LocalExecutionPlanner(query, (leaf, context) -> {
            if (!(leaf instanceof PlanNode.RemoteSource remote) || remote.sourceStages().size() != 1 || scans == null) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "No stage feeds " + leaf);
            }
            PhysicalPlanner.PartitionedStage partitioned = plan.stages().get(remote.sourceStages().getFirst());
            if (partitioned != null) {
                // on the workers, or (one worker) here over the gathered scan stage
                return scans.partitionedStage(remote.sourceStages().getFirst(), partitioned, plan.scans(), context,
                        () -> self[0].plan(partitioned.plan()));
            }
            PhysicalPlanner.ScanStage stage = plan.scans().get(remote.sourceStages().getFirst());
            List<Integer> builds = stage.pipeline().map(PhysicalPlanner::broadcastStages).orElse(List.of());
            if (builds.size() > 1) {
                return new BroadcastJoinsStage(scans, stage, builds, plan.scans(), ids, context);
            }
            java.util.Optional<Integer> build = stage.pipeline().flatMap(PhysicalPlanner::broadcastStage);
            if (build.isPresent()) {
                // a stage id no stage of the plan has, should the join become a partitioned one at run time
                int lastStage = java.util.stream.Stream.concat(plan.scans().keySet().stream(), plan.stages().keySet().stream()).mapToInt(Integer::intValue).max().orElse(0);
                int probeStage = remote.sourceStages().getFirst();
                return scans.broadcastJoinStage(probeStage, stage, build.get(), plan.scans().get(build.get()), lastStage + probeStage, ids, context);
            }
            return scans.scanStage(stage.scan(), stage.pipeline(), stage.types(), context);
        });
        self[0] = planner;
        this.root = planner.plan(plan.root());
    }

    /**
     * What each operator did, by plan node: the final stage's here, and the workers' summed over their
     * tasks (each scan stage's scan under {@link io.glaux.engine.exchange.TaskOperatorStats#scanOfStage}).
     */
    public Map<PlanNodeId, OperatorStats> stats()
    {
        if (scans == null) {
            return planner.stats();
        }
        Map<PlanNodeId, OperatorStats> stats = new java.util.HashMap<>(scans.workerStats(plan.scans()));
        for (Map.Entry<PlanNodeId, OperatorStats> entry : planner.stats().entrySet()) {
            // a node runs either here or on the workers (a partitioned stage runs here when one worker is up)
            stats.merge(entry.getKey(), entry.getValue(), (worker, local) -> {
                OperatorStats sum = new OperatorStats();
                sum.add(worker);
                sum.add(local);
                return sum;
            });
        }
        return stats;
    }

    /**
     * What the query's execution did so far, for the protocol's statistics: its peak memory (here, plus
     * the peaks of its operators on the workers), the bytes its operators spilled on every node, and its
     * stages ({@link StageStatistics#rootStage}) in the query's {@code state}.
     */
    public QueryStats.Execution execution(QueryStats queryStats, QueryState state)
    {
        Map<PlanNodeId, OperatorStats> stats = stats();
        long workerPeaks = scans == null ? 0 : scans.workerStats(plan.scans()).values().stream().mapToLong(OperatorStats::peakMemoryBytes).sum();
        long spilled = stats.values().stream().mapToLong(OperatorStats::spilledBytes).sum();
        String stageState = switch (state) {
            case QUEUED, PLANNING -> "PLANNED";
            case RUNNING, FINISHING -> "RUNNING";
            case FINISHED -> "FINISHED";
            case FAILED -> "FAILED";
        };
        long scannedRows = plan.scans().keySet().stream().map(TaskOperatorStats::scanOfStage).map(stats::get).filter(java.util.Objects::nonNull)
                .mapToLong(OperatorStats::inputRows).sum();
        return new QueryStats.Execution(query.memory().peakBytes() + workerPeaks, spilled, scannedRows,
                java.util.Optional.of(StageStatistics.rootStage(plan, stats, queryStats, stageState, state.isDone())));
    }

    /**
     * The result as pages of at most {@code pageRows} rows ({@link ResultPage.Json}), their JSON written
     * straight from the final stage's Arrow batches ({@link JsonRows}): no row objects.
     */
    public Iterator<Object> pages(List<ResultColumn> columns, int pageRows)
    {
        return new Iterator<>()
        {
            private ResultPage next;
            private int position;
            private boolean done;

            @Override
            public boolean hasNext()
            {
                if (next != null) {
                    return true;
                }
                if (done) {
                    return false;
                }
                JsonRows page = new JsonRows(columns);
                while (page.rows() < pageRows) {
                    VectorSchemaRoot batch = pendingBatch;
                    if (batch == null || position >= batch.getRowCount()) {
                        if (batch != null) {
                            pendingBatch = null;
                            batch.close();
                        }
                        if (canceled.getAsBoolean()) {
                            query.cancellation().cancel("Query was canceled");
                        }
                        pendingBatch = root.next();
                        position = 0;
                        if (pendingBatch == null) {
                            done = true;
                            break;
                        }
                        continue;
                    }
                    int count = Math.min(batch.getRowCount() - position, pageRows - page.rows());
                    page.append(batch, position, count);
                    position += count;
                }
                int rows = page.rows();
                byte[] json = page.finish();
                if (rows > 0) {
                    next = new ResultPage.Json(json, rows);
                }
                return next != null;
            }

            @Override
            public Object next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ResultPage page = next;
                next = null;
                return page;
            }
        };
    }

    /** The result rows, as the protocol's row encoder reads them (ArrowRows' Java values). */
    public Iterator<Object> rows()
    {
        return new Iterator<>()
        {
            private List<Object[]> chunk = List.of();
            private int position;
            private boolean done;

            @Override
            public boolean hasNext()
            {
                while (!done && position >= chunk.size()) {
                    if (canceled.getAsBoolean()) {
                        query.cancellation().cancel("Query was canceled");
                    }
                    VectorSchemaRoot batch = root.next();
                    if (batch == null) {
                        done = true;
                        break;
                    }
                    try (batch) {
                        List<Object[]> rows = new ArrayList<>(batch.getRowCount());
                        ArrowRows.appendRows(batch, rows);
                        chunk = rows;
                        position = 0;
                    }
                }
                return !done;
            }

            @Override
            public Object next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return chunk.get(position++);
            }
        };
    }

    @Override
    public void close()
    {
        query.cancellation().cancel("Query finished");
        try {
            if (pendingBatch != null) {
                pendingBatch.close();
                pendingBatch = null;
            }
            root.close();
        }
        finally {
            try {
                query.memory().close();
            }
            finally {
                query.spillDirectory().ifPresent(EngineExecution::deleteTree);
            }
        }
    }

    /** Deletes a query's spill folder and whatever its operators left in it. */
    private static void deleteTree(java.nio.file.Path directory)
    {
        try (var paths = java.nio.file.Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (java.io.IOException | java.io.UncheckedIOException e) {
            // already gone, or unreadable: nothing more to free
        }
    }
}
