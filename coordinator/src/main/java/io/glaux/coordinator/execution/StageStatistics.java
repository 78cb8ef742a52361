package io.glaux.coordinator.execution;

import io.glaux.coordinator.planner.PhysicalPlanner;
import io.glaux.coordinator.query.QueryStats;
import io.glaux.engine.exchange.TaskOperatorStats;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each stage of a query the engine ran did, for the console's query detail
 * ({@code GET /v1/console/query/ID}, field {@code stages}): the final stage with one entry per
 * operator (rows in and out, wall time, peak memory, spill), then each hash-partitioned stage on the
 * workers with its operators summed over its tasks, then each scan stage with the table it reads, its
 * pipeline's operators and, when it is the only one, its splits, rows and bytes; and the same numbers
 * as the Trino protocol's {@code rootStage} ({@link #rootStage}).
 */
public final class StageStatistics
{
    private StageStatistics() {}

    public static List<Map<String, Object>> of(PhysicalPlanner.EnginePlan plan, Map<PlanNodeId, OperatorStats> stats, QueryStats query)
    {
        List<Map<String, Object>> stages = new ArrayList<>();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("stageId", 0);
        root.put("runsOn", "coordinator");
        root.put("partitioning", "SINGLE");
        List<Map<String, Object>> operators = new ArrayList<>();
        collect(plan.root(), stats, operators);
        root.put("operators", operators);
        stages.add(root);

        for (Map.Entry<Integer, PhysicalPlanner.PartitionedStage> entry : new TreeMap<>(plan.stages()).entrySet()) {
            // its operators run on the workers' stage tasks (or here, with one worker), summed over the tasks
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("stageId", entry.getKey());
            stage.put("runsOn", "workers");
            stage.put("partitioning", "HASH " + entry.getValue().partitionKeys());
            stage.put("sourceStage", entry.getValue().sourceStage());
            if (entry.getValue().inputs().size() > 1) {
                stage.put("sourceStages", entry.getValue().inputs().stream().map(PhysicalPlanner.PartitionedStage.Input::stage).toList());
            }
            List<Map<String, Object>> stageOperators = new ArrayList<>();
            collect(entry.getValue().plan(), stats, stageOperators);
            stage.put("processedRows", sourceSum(entry.getValue().plan(), stats, OperatorStats::outputRows));
            stage.put("spilledBytes", sum(entry.getValue().plan(), stats, OperatorStats::spilledBytes));
            stage.put("operators", stageOperators);
            stages.add(stage);
        }
        boolean single = plan.scans().size() == 1;
        for (Map.Entry<Integer, PhysicalPlanner.ScanStage> entry : new TreeMap<>(plan.scans()).entrySet()) {
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("stageId", entry.getKey());
            stage.put("runsOn", "workers");
            stage.put("partitioning", "SOURCE");
            stage.put("table", entry.getValue().scan().hiveTable().qualifiedName());
            if (single) {
                stage.put("nodes", query.nodes.get());
                stage.put("completedSplits", query.completedSplits.get());
                stage.put("totalSplits", query.totalSplits.get());
                stage.put("outputRows", query.processedRows.get());
                stage.put("scannedBytes", query.processedBytes.get());
            }
            OperatorStats scan = stats.get(TaskOperatorStats.scanOfStage(entry.getKey()));
            if (scan != null) {
                stage.put("scanRows", scan.outputRows());
            }
            List<Map<String, Object>> stageOperators = new ArrayList<>();
            entry.getValue().pipeline().ifPresent(pipeline -> collect(pipeline, stats, stageOperators));
            stage.put("operators", stageOperators);
            stages.add(stage);
        }
        return stages;
    }

    /**
     * The Trino protocol's {@code rootStage} ({@code StageStats}): the final stage on the coordinator,
     * with the stages feeding it as {@code subStages}, each with the rows and bytes its operators read
     * (a scan stage: what its scans returned, over all tasks), its wall time and, for a scan stage, its
     * splits. Every stage takes {@code state} (the query's); numbers grow as the workers' tasks end.
     */
    public static Map<String, Object> rootStage(PhysicalPlanner.EnginePlan plan, Map<PlanNodeId, OperatorStats> stats, QueryStats query, String state, boolean done)
    {
        return stage(0, java.util.Optional.of(plan.root()), true, plan, stats, query, state, done, new java.util.HashSet<>());
    }

    private static Map<String, Object> stage(int stageId, java.util.Optional<PlanNode> stagePlan, boolean coordinatorOnly, PhysicalPlanner.EnginePlan plan, Map<PlanNodeId, OperatorStats> stats,
            QueryStats query, String state, boolean done, java.util.Set<Integer> seen)
    {
        long rows = stagePlan.map(node -> sourceSum(node, stats, OperatorStats::outputRows)).orElse(0L);
        long bytes = stagePlan.map(node -> sourceSum(node, stats, OperatorStats::outputBytes)).orElse(0L);
        long wallMillis = stagePlan.map(node -> sum(node, stats, OperatorStats::wallNanos)).orElse(0L) / 1_000_000;
        int totalSplits = 0;
        int runningSplits = 0;
        int completedSplits = 0;
        long physicalBytes = 0;
        PhysicalPlanner.ScanStage scan = plan.scans().get(stageId);
        if (scan != null) {
            OperatorStats scanned = stats.get(TaskOperatorStats.scanOfStage(stageId));
            boolean single = plan.scans().size() == 1;
            // the rows its tasks read from the files, and the bytes they fetched
            rows = scanned != null ? scanned.inputRows() : single ? query.processedRows.get() : 0;
            bytes = scanned != null ? scanned.outputBytes() : 0;
            wallMillis += scanned != null ? scanned.wallNanos() / 1_000_000 : 0;
            if (single) {
                // the query's splits and bytes from the store are all this stage's
                totalSplits = query.totalSplits.get();
                runningSplits = query.runningSplits.get();
                completedSplits = query.completedSplits.get();
                physicalBytes = query.processedBytes.get();
                bytes = Math.max(bytes, physicalBytes);
            }
        }
        List<Map<String, Object>> subStages = new ArrayList<>();
        for (int source : stagePlan.map(StageStatistics::sourceStages).orElse(List.of())) {
            if (!seen.add(source)) {
                continue;
            }
            PhysicalPlanner.PartitionedStage partitioned = plan.stages().get(source);
            if (partitioned != null) {
                subStages.add(stage(source, java.util.Optional.of(partitioned.plan()), false, plan, stats, query, state, done, seen));
            }
            else if (plan.scans().containsKey(source)) {
                subStages.add(stage(source, plan.scans().get(source).pipeline(), false, plan, stats, query, state, done, seen));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stageId", String.valueOf(stageId));
        json.put("state", state);
        json.put("done", done);
        json.put("nodes", coordinatorOnly ? 1 : Math.max(1, query.nodes.get() - 1));
        json.put("totalSplits", totalSplits);
        json.put("queuedSplits", Math.max(0, totalSplits - completedSplits - runningSplits));
        json.put("runningSplits", runningSplits);
        json.put("completedSplits", completedSplits);
        json.put("cpuTimeMillis", wallMillis);
        json.put("wallTimeMillis", wallMillis);
        json.put("processedRows", rows);
        json.put("processedBytes", bytes);
        json.put("physicalInputBytes", physicalBytes);
        json.put("failedTasks", 0);
        json.put("coordinatorOnly", coordinatorOnly);
        json.put("subStages", subStages);
        return json;
    }

    /** The stages a stage's plan reads from (its remote sources), in plan order. */
    private static List<Integer> sourceStages(PlanNode node)
    {
        List<Integer> stages = new ArrayList<>();
        collectSourceStages(node, stages);
        return stages;
    }

    private static void collectSourceStages(PlanNode node, List<Integer> stages)
    {
        if (node instanceof PlanNode.RemoteSource remote) {
            remote.sourceStages().stream().filter(stage -> !stages.contains(stage)).forEach(stages::add);
        }
        node.sources().forEach(source -> collectSourceStages(source, stages));
    }

    /** {@code value} summed over a stage plan's remote sources: what it read from the stages below it. */
    private static long sourceSum(PlanNode node, Map<PlanNodeId, OperatorStats> stats, java.util.function.ToLongFunction<OperatorStats> value)
    {
        if (node instanceof PlanNode.RemoteSource) {
            OperatorStats operator = stats.get(node.id());
            return operator == null ? 0 : value.applyAsLong(operator);
        }
        long total = 0;
        for (PlanNode source : node.sources()) {
            total += sourceSum(source, stats, value);
        }
        return total;
    }

    /** {@code value} summed over the operators of a stage's plan that ran. */
    private static long sum(PlanNode node, Map<PlanNodeId, OperatorStats> stats, java.util.function.ToLongFunction<OperatorStats> value)
    {
        OperatorStats operator = stats.get(node.id());
        long total = operator == null ? 0 : value.applyAsLong(operator);
        for (PlanNode source : node.sources()) {
            total += sum(source, stats, value);
        }
        return total;
    }

    /** Top-down, as EXPLAIN prints them; nodes that ran no operator of their own (none today) are left out. */
    private static void collect(PlanNode node, Map<PlanNodeId, OperatorStats> stats, List<Map<String, Object>> out)
    {
        OperatorStats operator = stats.get(node.id());
        if (operator != null) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", node.id().toString());
            row.put("operator", node.getClass().getSimpleName());
            row.put("inputRows", operator.inputRows());
            row.put("outputRows", operator.outputRows());
            row.put("outputBytes", operator.outputBytes());
            row.put("wallMillis", operator.wallNanos() / 1_000_000);
            row.put("peakMemoryBytes", operator.peakMemoryBytes());
            row.put("spilledBytes", operator.spilledBytes());
            out.add(row);
        }
        for (PlanNode source : node.sources()) {
            collect(source, stats, out);
        }
    }
}
