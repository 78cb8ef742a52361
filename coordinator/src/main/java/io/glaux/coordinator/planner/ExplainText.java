package io.glaux.coordinator.planner;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.engine.exchange.TaskOperatorStats;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.engine.plan.PlanPrinter;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * EXPLAIN's text for a query the engine runs, in Trino's shape: {@code Fragment 0 [SINGLE]} is the
 * final stage on the coordinator, each {@code Fragment n [SOURCE]} a scan stage the workers run with
 * the work pushed into it (filter, projections, partial aggregation, limit).
 */
public final class ExplainText
{
    private ExplainText() {}

    /** EXPLAIN (TYPE DISTRIBUTED), and EXPLAIN ANALYZE with the final stage's operator statistics. */
    public static String distributed(PhysicalPlanner.EnginePlan plan, Map<PlanNodeId, OperatorStats> stats)
    {
        StringBuilder out = new StringBuilder();
        out.append("Fragment 0 [SINGLE]\n");
        out.append("    Output layout: ").append(PlanPrinter.layout(plan.root().outputTypes())).append('\n');
        out.append("    Output partitioning: SINGLE []\n");
        out.append(PlanPrinter.print(plan.root(), stats, "    "));
        Map<Integer, List<Integer>> partitionedScans = new TreeMap<>();
        for (PhysicalPlanner.PartitionedStage stage : plan.stages().values()) {
            for (PhysicalPlanner.PartitionedStage.Input input : stage.inputs()) {
                partitionedScans.put(input.stage(), input.keys());
            }
        }
        java.util.Set<Integer> broadcastBuilds = new java.util.HashSet<>();
        for (PhysicalPlanner.ScanStage scan : plan.scans().values()) {
            scan.pipeline().map(PhysicalPlanner::broadcastStages).ifPresent(broadcastBuilds::addAll);
        }
        for (Map.Entry<Integer, PhysicalPlanner.PartitionedStage> entry : new TreeMap<>(plan.stages()).entrySet()) {
            // one task per worker, each over its hash partition of the scan stage's output
            out.append('\n').append("Fragment ").append(entry.getKey()).append(" [HASH]\n");
            out.append("    Output layout: ").append(PlanPrinter.layout(entry.getValue().types())).append('\n');
            out.append("    Output partitioning: SINGLE []\n");
            out.append(PlanPrinter.print(entry.getValue().plan(), stats, "    "));
        }
        for (Map.Entry<Integer, PhysicalPlanner.ScanStage> entry : new TreeMap<>(plan.scans()).entrySet()) {
            out.append('\n').append("Fragment ").append(entry.getKey()).append(" [SOURCE]\n");
            out.append("    Output layout: ").append(PlanPrinter.layout(entry.getValue().types())).append('\n');
            List<Integer> hashKeys = partitionedScans.get(entry.getKey());
            String partitioning = hashKeys != null ? "HASH " + hashKeys.stream().map(key -> "#" + key).toList()
                    : broadcastBuilds.contains(entry.getKey()) ? "BROADCAST []" : "SINGLE []";
            out.append("    Output partitioning: ").append(partitioning).append('\n');
            String indent = "    ";
            if (entry.getValue().pipeline().isPresent()) {
                // the pipeline's leaf reading stage 0 stands for the scan below it
                String pipeline = PlanPrinter.print(entry.getValue().pipeline().get(), stats, indent);
                int leaf = pipeline.indexOf("RemoteSource[sourceFragmentIds = [0]]");
                int depth = pipeline.lastIndexOf('\n', leaf) + 1;
                int end = pipeline.indexOf('\n', leaf);
                out.append(pipeline, 0, depth);
                indent = " ".repeat(leaf - depth);
                out.append(pipeline, depth, leaf);
                // the scan's lines, then what the pipeline prints after the leaf (a broadcast build side)
                out.append(scanStage(entry.getValue().scan(), indent, stats.get(TaskOperatorStats.scanOfStage(entry.getKey()))).substring(indent.length()));
                if (end >= 0 && end + 1 < pipeline.length()) {
                    out.append(pipeline, end + 1, pipeline.length());
                }
                continue;
            }
            out.append(scanStage(entry.getValue().scan(), indent, stats.get(TaskOperatorStats.scanOfStage(entry.getKey()))));
        }
        return out.toString();
    }

    /**
     * The work a scan stage does on the workers, top (what it sends) to bottom (what it reads), with
     * what it did in all its tasks ({@code stats}, may be null) under its last line.
     */
    static String scanStage(GlauxTableScan scan, String indent, OperatorStats stats)
    {
        java.util.List<String> lines = new java.util.ArrayList<>();
        scan.limit().ifPresent(limit -> lines.add("LimitPartial[count = " + limit + "]"));
        scan.aggregation().ifPresent(aggregation -> lines.add("Aggregate[type = PARTIAL, keys = "
                + aggregation.groupKeys().stream().map(key -> "#" + key).toList() + ", aggregates = "
                + aggregation.aggregates().stream().map(PlanPrinter::aggregate).toList() + "]"));
        List<String> columns = scan.columns().stream().map(ColumnHandle::name).toList();
        lines.add("ScanFilterProject[table = " + scan.hiveTable().qualifiedName() + ", columns = " + columns
                + scan.filter().map(filter -> ", filter = " + PlanPrinter.expression(filter)).orElse("")
                + ", projections = [" + PlanPrinter.expressions(scan.projections()) + "]]");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(indent).append(i == 0 ? "" : "   ".repeat(i - 1) + "└─ ").append(lines.get(i)).append('\n');
        }
        if (stats != null) {
            // summed over the stage's tasks: the scan's time includes filtering, projecting and partial aggregation
            out.append(indent).append("   ".repeat(lines.size() - 1)).append("    ").append(String.format(java.util.Locale.ROOT,
                    "Wall: %s, Input: %,d rows (%s read), Output: %,d rows", PlanPrinter.duration(stats.wallNanos()), stats.inputRows(),
                    io.glaux.engine.memory.DataSize.format(stats.outputBytes()), stats.outputRows())).append('\n');
        }
        return out.toString();
    }
}
