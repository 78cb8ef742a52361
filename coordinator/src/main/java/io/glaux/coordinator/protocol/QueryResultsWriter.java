package io.glaux.coordinator.protocol;

import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryState;
import io.glaux.coordinator.query.QueryStats;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.ResultPage;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code QueryResults} JSON document of the Trino client protocol v1. */
final class QueryResultsWriter
{
    private QueryResultsWriter() {}

    static Map<String, Object> results(Query query, String baseUri, ResultPage data, String nextUri)
    {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("id", query.id());
        results.put("infoUri", baseUri + "/ui/queries/" + query.id());
        if (nextUri != null) {
            results.put("nextUri", nextUri);
        }
        query.columns().ifPresent(columns -> results.put("columns", columns(columns)));
        if (data != null && data.rowCount() > 0) {
            // the engine's pages are JSON already, written from the Arrow vectors
            results.put("data", switch (data) {
                case ResultPage.Values values -> values.rows();
                case ResultPage.Json json -> json.rawValue();
            });
        }
        results.put("stats", stats(query));
        query.error().ifPresent(error -> results.put("error", error(error)));
        results.put("warnings", List.of());
        query.result().flatMap(result -> result.updateType()).ifPresent(updateType -> {
            results.put("updateType", updateType);
            // an update that counts rows (ANALYZE) answers one bigint, its count, as Trino's do
            if (data instanceof ResultPage.Values values && values.rows().size() == 1 && values.rows().getFirst().size() == 1
                    && values.rows().getFirst().getFirst() instanceof Long count) {
                results.put("updateCount", count);
            }
        });
        return results;
    }

    static List<Map<String, Object>> columns(List<ResultColumn> columns)
    {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ResultColumn column : columns) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", column.name());
            json.put("type", io.glaux.coordinator.planner.TypeMapping.trinoName(column.type()));
            json.put("typeSignature", TypeSignatures.of(column.type()));
            list.add(json);
        }
        return list;
    }

    static Map<String, Object> stats(Query query)
    {
        QueryStats stats = query.stats();
        QueryState state = query.state();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state.name());
        json.put("queued", state == QueryState.QUEUED);
        json.put("scheduled", state != QueryState.QUEUED && state != QueryState.PLANNING);
        json.put("nodes", stats.nodes.get());
        int total = stats.totalSplits.get();
        int completed = stats.completedSplits.get();
        int running = stats.runningSplits.get();
        json.put("totalSplits", total);
        json.put("queuedSplits", Math.max(0, total - completed - running));
        json.put("runningSplits", running);
        json.put("completedSplits", completed);
        json.put("cpuTimeMillis", 0);
        json.put("wallTimeMillis", query.elapsedMillis());
        json.put("queuedTimeMillis", 0);
        json.put("elapsedTimeMillis", query.elapsedMillis());
        QueryStats.Execution execution = stats.execution(state);
        // the rows the scans returned here as they arrive; the rows they read, once their tasks reported it
        json.put("processedRows", Math.max(stats.processedRows.get(), execution.scannedRows()));
        json.put("processedBytes", stats.processedBytes.get());
        json.put("physicalInputBytes", stats.processedBytes.get());
        json.put("peakMemoryBytes", execution.peakMemoryBytes());
        json.put("spilledBytes", execution.spilledBytes());
        if (total > 0) {
            json.put("progressPercentage", 100.0 * completed / total);
        }
        execution.rootStage().ifPresent(stage -> json.put("rootStage", stage));
        return json;
    }

    static Map<String, Object> error(GlauxException error)
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("message", error.getMessage());
        json.put("errorCode", error.errorCode().code());
        json.put("errorName", error.errorCode().name());
        json.put("errorType", error.errorCode().category().name());
        Map<String, Object> failureInfo = new LinkedHashMap<>();
        failureInfo.put("type", GlauxException.class.getName());
        failureInfo.put("message", error.getMessage());
        failureInfo.put("suppressed", List.of());
        failureInfo.put("stack", List.of());
        error.location().ifPresent(location -> {
            Map<String, Object> position = Map.of("lineNumber", location.line(), "columnNumber", location.column());
            json.put("errorLocation", position);
            failureInfo.put("errorLocation", position);
        });
        json.put("failureInfo", failureInfo);
        return json;
    }
}
