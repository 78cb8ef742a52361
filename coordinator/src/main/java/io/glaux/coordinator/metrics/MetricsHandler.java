package io.glaux.coordinator.metrics;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.coordinator.query.QueryState;
import io.glaux.spi.metrics.PrometheusText;
import org.apache.arrow.memory.BufferAllocator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code GET /metrics} on the coordinator's HTTPS server, in the Prometheus text format: JVM memory,
 * threads and GC; queries by state and totals; splits and bytes of executed queries; Arrow memory in
 * use; workers. Every other request goes to the wrapped handler.
 */
public final class MetricsHandler
        extends Handler.Wrapper
{
    private final QueryManager queryManager;
    private final NodeManager nodeManager;
    private final BufferAllocator allocator;

    public MetricsHandler(Handler delegate, QueryManager queryManager, NodeManager nodeManager, BufferAllocator allocator)
    {
        super(requireNonNull(delegate, "delegate is null"));
        this.queryManager = requireNonNull(queryManager, "queryManager is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        if (!Request.getPathInContext(request).equals("/metrics") || !request.getMethod().equals("GET")) {
            return super.handle(request, response, callback);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(render().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** The current metrics, as served. */
    public String render()
    {
        PrometheusText text = new PrometheusText();
        text.jvm();
        Map<QueryState, Integer> byState = new EnumMap<>(QueryState.class);
        for (QueryState state : QueryState.values()) {
            byState.put(state, 0);
        }
        for (Query query : queryManager.all()) {
            byState.merge(query.state(), 1, Integer::sum);
        }
        byState.forEach((state, count) -> text.sample("glaux_queries", "gauge",
                "Queries the coordinator holds (running and the recent history), by state", Map.of("state", state.name()), count));
        QueryManager.Totals totals = queryManager.totals();
        text.counter("glaux_queries_submitted_total", "Queries submitted since start", totals.submitted());
        text.sample("glaux_queries_completed_total", "counter", "Query executions ended since start, by outcome", Map.of("outcome", "succeeded"), totals.executed());
        text.sample("glaux_queries_completed_total", "counter", "Query executions ended since start, by outcome", Map.of("outcome", "failed"), totals.failed());
        text.counter("glaux_splits_completed_total", "Splits completed by the workers for ended queries", totals.completedSplits());
        text.counter("glaux_processed_rows_total", "Rows received from the workers for ended queries", totals.processedRows());
        text.counter("glaux_processed_bytes_total", "Bytes the ended queries fetched from the object store (bytes scanned)", totals.processedBytes());
        text.gauge("glaux_arrow_memory_allocated_bytes", "Arrow (direct) memory allocated by the coordinator", allocator.getAllocatedMemory());
        text.gauge("glaux_arrow_memory_peak_bytes", "Peak Arrow memory allocated by the coordinator", allocator.getPeakMemoryAllocation());
        text.gauge("glaux_workers_active", "Workers that announced recently and did not fail", nodeManager.activeWorkers().size());
        text.gauge("glaux_workers_known", "Workers that announced since start (active or not)", nodeManager.allWorkers().size());
        return text.toString();
    }
}
