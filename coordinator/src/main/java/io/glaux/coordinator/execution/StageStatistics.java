package io.glaux.coordinator.execution;

import io.glaux.coordinator.planner.PhysicalPlanner;
import io.glaux.coordinator.query.QueryStats;
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
 * workers, then each scan stage with the table it reads and, when it is the only one, its splits, rows
 * and bytes.
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
            // its operators run on the workers, which do not report them yet: what it is, not what it did
            Map<String, Object> stage = new LinkedHashMap<>();
            stage.put("stageId", entry.getKey());
            stage.put("runsOn", "workers");
            stage.put("partitioning", "HASH " + entry.getValue().partitionKeys());
            stage.put("sourceStage", entry.getValue().sourceStage());
            if (entry.getValue().inputs().size() > 1) {
                stage.put("sourceStages", entry.getValue().inputs().stream().map(PhysicalPlanner.PartitionedStage.Input::stage).toList());
            }
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
            stages.add(stage);
        }
        return stages;
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
