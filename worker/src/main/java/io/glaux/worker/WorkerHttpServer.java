package io.glaux.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.glaux.spi.metrics.PrometheusText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The worker's small plain-HTTP listener for operations ({@code http-server.http.port}): {@code GET /v1/info}
 * (liveness and state: {@code ACTIVE}, or {@code SHUTTING_DOWN} while it drains, answered with 503 so a
 * readiness probe takes it out) and {@code GET /metrics} (Prometheus text: JVM, tasks, splits, bytes read
 * from the object store, Arrow memory). It carries no data and no secrets, so it needs no TLS.
 */
final class WorkerHttpServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(WorkerHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final WorkerServer worker;
    private final BooleanSupplier shuttingDown;
    private final long startMillis = System.currentTimeMillis();
    private final ObjectMapper json = new ObjectMapper();

    WorkerHttpServer(String host, int port, WorkerServer worker, BooleanSupplier shuttingDown)
    {
        this.worker = requireNonNull(worker, "worker is null");
        this.shuttingDown = requireNonNull(shuttingDown, "shuttingDown is null");
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Worker " + worker.nodeId() + " cannot listen for HTTP on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "glaux-http-" + worker.nodeId());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("Worker {} serves /v1/info and /metrics on http://{}:{}", worker.nodeId(), host, port());
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, "text/plain; charset=utf-8", "Method not allowed\n");
            }
            else if (path.equals("/metrics")) {
                respond(exchange, 200, PrometheusText.CONTENT_TYPE, metrics(worker, shuttingDown.getAsBoolean()));
            }
            else if (path.equals("/v1/info")) {
                boolean draining = shuttingDown.getAsBoolean();
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("nodeId", worker.nodeId());
                info.put("coordinator", false);
                info.put("state", draining ? "SHUTTING_DOWN" : "ACTIVE");
                info.put("flightUri", worker.flightUri().toString());
                info.put("runningTasks", worker.runningTasks());
                info.put("uptime", ((System.currentTimeMillis() - startMillis) / 1000) + "s");
                respond(exchange, draining ? 503 : 200, "application/json", json.writeValueAsString(info));
            }
            else {
                respond(exchange, 404, "text/plain; charset=utf-8", "Not found: " + path + "\n");
            }
        }
    }

    static String metrics(WorkerServer worker, boolean shuttingDown)
    {
        WorkerStats stats = worker.stats();
        PrometheusText text = new PrometheusText().jvm();
        text.gauge("glaux_worker_active", "1 while the worker accepts tasks, 0 while it shuts down", shuttingDown ? 0 : 1);
        text.gauge("glaux_worker_running_tasks", "Tasks running now", stats.runningTasks());
        text.counter("glaux_worker_tasks_started_total", "Tasks started", stats.tasksStarted());
        text.sample("glaux_worker_tasks_completed_total", "counter", "Tasks ended, by outcome", Map.of("outcome", "succeeded"), stats.tasksSucceeded());
        text.sample("glaux_worker_tasks_completed_total", "counter", "Tasks ended, by outcome", Map.of("outcome", "failed"), stats.tasksFailed());
        text.sample("glaux_worker_tasks_completed_total", "counter", "Tasks ended, by outcome", Map.of("outcome", "cancelled"), stats.tasksCancelled());
        text.counter("glaux_worker_splits_processed_total", "Splits read", stats.splitsProcessed());
        text.counter("glaux_worker_rows_read_total", "Rows the readers produced (before filtering)", stats.rowsRead());
        text.counter("glaux_worker_object_store_bytes_read_total", "Bytes read from the object store", stats.bytesRead());
        text.counter("glaux_worker_rows_sent_total", "Rows sent over Flight", stats.rowsSent());
        text.counter("glaux_worker_bytes_sent_total", "Arrow body bytes sent over Flight", stats.bytesSent());
        text.gauge("glaux_arrow_memory_allocated_bytes", "Arrow (direct) memory allocated by the worker's tasks", worker.allocatedMemory());
        text.gauge("glaux_arrow_memory_peak_bytes", "Peak Arrow memory allocated by the worker's tasks", worker.peakMemory());
        return text.toString();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException
    {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
