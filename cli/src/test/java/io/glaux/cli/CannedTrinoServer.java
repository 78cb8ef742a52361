package io.glaux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTPS server (the JDK's {@link HttpsServer}) that speaks the Trino client protocol v1 with
 * canned pages: each scripted statement (matched by its exact text) answers the POST with its first
 * step and each {@code GET nextUri} with the next one. The server fills in {@code id},
 * {@code infoUri} and {@code nextUri}; a step can hold several responses (e.g. a 503, then the page),
 * served one per request. {@code DELETE nextUri} is answered 204 and releases pages that wait for
 * cancellation. Every request is recorded.
 */
final class CannedTrinoServer
        implements AutoCloseable
{
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Script> scriptsBySql = new ConcurrentHashMap<>();
    private final Map<String, Script> scriptsById = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    CannedTrinoServer(SSLContext sslContext)
    {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static CannedTrinoServer start()
    {
        return new CannedTrinoServer(TestTls.localhost().serverContext());
    }

    URI uri()
    {
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    /** Scripts the statement {@code sql} as query {@code id}; add steps to the returned script. */
    Script on(String sql, String id)
    {
        Script script = new Script(id);
        scriptsBySql.put(sql, script);
        scriptsById.put(id, script);
        return script;
    }

    List<Recorded> requests()
    {
        return List.copyOf(requests);
    }

    List<Recorded> requests(String method)
    {
        return requests.stream().filter(request -> request.method().equals(method)).toList();
    }

    /** Waits until a request with this method and path has arrived. */
    Recorded awaitRequest(String method, String path, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Recorded request : requests) {
                if (request.method().equals(method) && request.path().equals(path)) {
                    return request;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + method + " " + path + " within " + timeout + "; got " + requests);
    }

    @Override
    public void close()
    {
        scriptsById.values().forEach(script -> script.deleted.countDown());
        server.stop(0);
        executor.shutdownNow();
    }

    /** A page of results: protocol JSON without id/infoUri/nextUri, plus response headers. */
    static Response page(String json, String... headers)
    {
        return new Response(200, parse(json), Duration.ZERO, false, List.of(headers));
    }

    /** A page sent after waiting {@code delay}. */
    static Response delayed(Duration delay, String json)
    {
        return new Response(200, parse(json), delay, false, List.of());
    }

    /** A page sent only once the query was cancelled with DELETE (or after 20s). */
    static Response afterCancel(String json)
    {
        return new Response(200, parse(json), Duration.ZERO, true, List.of());
    }

    /** A bare status, e.g. 503, with a plain-text body. */
    static Response status(int status, String body)
    {
        ObjectNode text = JSON.createObjectNode().put("text", body);
        return new Response(status, text, Duration.ZERO, false, List.of());
    }

    private static ObjectNode parse(String json)
    {
        try {
            return (ObjectNode) JSON.readTree(json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Response(int status, ObjectNode body, Duration delay, boolean waitForCancel, List<String> headers) {}

    record Recorded(String method, String path, Map<String, List<String>> headers, String body)
    {
        Optional<String> header(String name)
        {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .flatMap(entry -> entry.getValue().stream())
                    .findFirst();
        }
    }

    static final class Script
    {
        private final String id;
        private final List<Deque<Response>> steps = new ArrayList<>();
        private final CountDownLatch deleted = new CountDownLatch(1);

        private Script(String id)
        {
            this.id = id;
        }

        /** Adds a step: the responses to one request URI, served in order (the last one repeats). */
        Script then(Response... responses)
        {
            steps.add(new ArrayDeque<>(List.of(responses)));
            return this;
        }

        boolean cancelled()
        {
            return deleted.getCount() == 0;
        }

        private synchronized Response next(int step)
        {
            Deque<Response> responses = steps.get(step);
            return responses.size() > 1 ? responses.poll() : responses.peek();
        }
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getPath();
            requests.add(new Recorded(method, path, Map.copyOf(exchange.getRequestHeaders()), body));

            if (method.equals("POST") && path.equals("/v1/statement")) {
                Script script = scriptsBySql.get(body);
                if (script == null) {
                    send(exchange, 400, "text/plain", "no canned response for: " + body);
                    return;
                }
                respond(exchange, script, 0);
                return;
            }
            String[] parts = path.split("/");
            // /v1/statement/executing/{id}/{token}
            if (parts.length == 6 && parts[3].equals("executing")) {
                Script script = scriptsById.get(parts[4]);
                int token = Integer.parseInt(parts[5]);
                if (script == null || token >= script.steps.size()) {
                    send(exchange, 404, "text/plain", "unknown query or token: " + path);
                    return;
                }
                if (method.equals("DELETE")) {
                    script.deleted.countDown();
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
                respond(exchange, script, token);
                return;
            }
            send(exchange, 404, "text/plain", "not found: " + path);
        }
    }

    private void respond(HttpExchange exchange, Script script, int step)
            throws IOException
    {
        Response response = script.next(step);
        try {
            if (!response.delay().isZero()) {
                Thread.sleep(response.delay().toMillis());
            }
            if (response.waitForCancel()) {
                script.deleted.await(20, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (response.status() != 200) {
            send(exchange, response.status(), "text/plain", response.body().path("text").asText());
            return;
        }
        ObjectNode page = response.body().deepCopy();
        page.put("id", script.id);
        page.put("infoUri", uri() + "/ui/query.html?" + script.id);
        if (step + 1 < script.steps.size() && !page.has("nextUri")) {
            page.put("nextUri", uri() + "/v1/statement/executing/" + script.id + "/" + (step + 1));
        }
        for (String header : response.headers()) {
            int colon = header.indexOf(':');
            exchange.getResponseHeaders().add(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        send(exchange, 200, "application/json", JSON.writeValueAsString(page));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body)
            throws IOException
    {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
