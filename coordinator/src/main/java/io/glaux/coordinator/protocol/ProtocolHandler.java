package io.glaux.coordinator.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.coordinator.query.Session;
import io.glaux.coordinator.query.SessionChanges;
import io.glaux.coordinator.security.AuthenticatedUser;
import io.glaux.coordinator.security.SecurityHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's HTTP API: the Trino client protocol v1 ({@code /v1/statement}), worker
 * announcements, server info, the query list, and the console's static files.
 */
public final class ProtocolHandler
        extends Handler.Abstract
{
    private static final String EXECUTING = "/v1/statement/executing/";
    private static final long MAX_WAIT_MILLIS = 1000;

    private final QueryManager queryManager;
    private final NodeManager nodeManager;
    private final java.util.function.Supplier<Map<String, Object>> revoked;
    private final String defaultCatalog;
    private final String defaultSchema;
    private final ObjectMapper mapper = new ObjectMapper();
    private final long startMillis = System.currentTimeMillis();

    public ProtocolHandler(QueryManager queryManager, NodeManager nodeManager, String defaultCatalog, String defaultSchema)
    {
        this(queryManager, nodeManager, defaultCatalog, defaultSchema, Map::of);
    }

    /**
     * @param revoked the revoked node certificates as JSON ({@code Revocations#toJson}), sent to every
     *        worker in the answer to its announcement
     */
    public ProtocolHandler(QueryManager queryManager, NodeManager nodeManager, String defaultCatalog, String defaultSchema,
            java.util.function.Supplier<Map<String, Object>> revoked)
    {
        this.revoked = requireNonNull(revoked, "revoked is null");
        this.queryManager = requireNonNull(queryManager, "queryManager is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.defaultCatalog = requireNonNull(defaultCatalog, "defaultCatalog is null");
        this.defaultSchema = requireNonNull(defaultSchema, "defaultSchema is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals("/v1/statement") && method.equals("POST")) {
            postStatement(request, response, callback);
        }
        else if (path.startsWith(EXECUTING) && method.equals("GET")) {
            getResults(request, response, callback, path);
        }
        else if (path.startsWith(EXECUTING) && method.equals("DELETE")) {
            String[] parts = path.substring(EXECUTING.length()).split("/");
            queryManager.get(parts[0]).ifPresent(Query::cancel);
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
        }
        else if (path.startsWith("/v1/announcement/") && method.equals("PUT")) {
            announce(request, response, callback, path.substring("/v1/announcement/".length()));
        }
        else if (path.startsWith("/v1/announcement/") && method.equals("DELETE")) {
            // a worker shutting down gracefully: schedule nothing more on it
            nodeManager.remove(path.substring("/v1/announcement/".length()));
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
        }
        else if (path.equals("/v1/info") && method.equals("GET")) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("nodeVersion", Map.of("version", Version.VERSION));
            info.put("environment", "glaux");
            info.put("coordinator", true);
            info.put("starting", false);
            info.put("uptime", ((System.currentTimeMillis() - startMillis) / 1000) + "s");
            json(response, callback, HttpStatus.OK_200, info);
        }
        else if (path.equals("/v1/node") && method.equals("GET")) {
            json(response, callback, HttpStatus.OK_200, nodeManager.activeWorkers().stream()
                    .map(node -> Map.of("nodeId", node.nodeId(), "uri", node.flightUri().toString())).toList());
        }
        else if (path.equals("/v1/query") && method.equals("GET")) {
            // a user sees only their own queries, an admin all of them
            Optional<AuthenticatedUser> user = SecurityHandler.user(request);
            json(response, callback, HttpStatus.OK_200, queryManager.all().stream()
                    .filter(query -> user.isEmpty() || user.get().mayAccessQueryOf(query.session().user()))
                    .map(this::querySummary).toList());
        }
        else if (path.equals("/") || path.equals("/ui")) {
            response.setStatus(HttpStatus.SEE_OTHER_303);
            response.getHeaders().put(HttpHeader.LOCATION, "/ui/");
            callback.succeeded();
        }
        else if (path.startsWith("/ui/") && method.equals("GET")) {
            staticFile(response, callback, path);
        }
        else {
            json(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "Not found: " + method + " " + path));
        }
        return true;
    }

    private void postStatement(Request request, Response response, Callback callback)
            throws IOException
    {
        String sql = Content.Source.asString(request, StandardCharsets.UTF_8);
        if (sql == null || sql.isBlank()) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "SQL statement is empty"));
            return;
        }
        var headers = request.getHeaders();
        String user = Optional.ofNullable(headers.get("X-Trino-User")).orElse("unknown");
        String source = Optional.ofNullable(headers.get("X-Trino-Source")).orElse("");
        String catalog = Optional.ofNullable(headers.get("X-Trino-Catalog")).filter(s -> !s.isBlank()).orElse(defaultCatalog);
        String schema = Optional.ofNullable(headers.get("X-Trino-Schema")).filter(s -> !s.isBlank()).orElse(defaultSchema);
        ZoneId timeZone;
        try {
            timeZone = Optional.ofNullable(headers.get("X-Trino-Time-Zone")).filter(s -> !s.isBlank()).map(s -> ZoneId.of(s.strip())).orElse(ZoneOffset.UTC);
        }
        catch (DateTimeException e) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "Time zone not supported: " + headers.get("X-Trino-Time-Zone")));
            return;
        }
        Map<String, String> properties = keyValues(headers.getValuesList("X-Trino-Session"), false);
        Map<String, String> prepared = keyValues(headers.getValuesList("X-Trino-Prepared-Statement"), true);
        Query query = queryManager.submit(sql, new Session(user, source, catalog, schema, timeZone, properties, prepared));
        String base = baseUri(request);
        Map<String, Object> results = QueryResultsWriter.results(query, base, null, nextUri(base, query, 1));
        json(response, callback, HttpStatus.OK_200, results);
    }

    private void getResults(Request request, Response response, Callback callback, String path)
            throws IOException, InterruptedException
    {
        String[] parts = path.substring(EXECUTING.length()).split("/");
        Optional<Query> found = parts.length == 3 ? queryManager.get(parts[0]) : Optional.empty();
        if (found.isEmpty() || !found.get().slug().equals(parts[1])) {
            json(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "Query not found: " + (parts.length > 0 ? parts[0] : "")));
            return;
        }
        Query query = found.get();
        long token;
        try {
            token = Long.parseLong(parts[2]);
        }
        catch (NumberFormatException e) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "Bad token: " + parts[2]));
            return;
        }
        String base = baseUri(request);
        Object results;
        synchronized (query.lock()) {
            if (token == query.token() && query.lastResponse() != null) {
                results = query.lastResponse();
            }
            else if (token != query.token() + 1) {
                json(response, callback, HttpStatus.GONE_410, Map.of("error", "Token " + token + " is gone for query " + query.id()));
                return;
            }
            else {
                Optional<io.glaux.coordinator.query.ResultPage> page = query.nextPage(MAX_WAIT_MILLIS);
                boolean done = query.state().isDone();
                // the last page comes with the end of the query (no nextUri): no further request
                results = QueryResultsWriter.results(query, base, page.orElse(null), done ? null : nextUri(base, query, token + 1));
                query.setResponse(token, results);
            }
        }
        query.result().ifPresent(result -> {
            result.setCatalog().ifPresent(catalog -> response.getHeaders().put("X-Trino-Set-Catalog", catalog));
            result.setSchema().ifPresent(schema -> response.getHeaders().put("X-Trino-Set-Schema", schema));
            SessionChanges changes = result.sessionChanges();
            changes.setProperties().forEach((name, value) -> response.getHeaders().add("X-Trino-Set-Session", name + "=" + urlEncode(value)));
            changes.resetProperties().forEach(name -> response.getHeaders().add("X-Trino-Clear-Session", name));
            changes.addedPreparedStatements().forEach((name, statement) -> response.getHeaders().add("X-Trino-Added-Prepare", urlEncode(name) + "=" + urlEncode(statement)));
            changes.deallocatedPreparedStatements().forEach(name -> response.getHeaders().add("X-Trino-Deallocated-Prepare", urlEncode(name)));
        });
        json(response, callback, HttpStatus.OK_200, results);
    }

    /**
     * {@code name=url-encoded value} pairs of a request header that may come several times, each time
     * with several comma-separated pairs ({@code X-Trino-Session}; {@code X-Trino-Prepared-Statement},
     * where the name is url-encoded too).
     */
    private static Map<String, String> keyValues(List<String> headerValues, boolean encodedNames)
    {
        Map<String, String> map = new LinkedHashMap<>();
        for (String headerValue : headerValues) {
            for (String entry : headerValue.split(",")) {
                int equals = entry.indexOf('=');
                if (entry.isBlank() || equals < 0) {
                    continue;
                }
                String name = entry.substring(0, equals).strip();
                map.put(encodedNames ? urlDecode(name) : name, urlDecode(entry.substring(equals + 1).strip()));
            }
        }
        return map;
    }

    private static String urlEncode(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String urlDecode(String value)
    {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private void announce(Request request, Response response, Callback callback, String nodeId)
            throws IOException
    {
        JsonNode body = mapper.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
        JsonNode flightUri = body.get("flightUri");
        if (flightUri == null || nodeId.isBlank()) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "announcement needs nodeId and flightUri"));
            return;
        }
        // how many tasks of a hash stage the worker runs at once (older workers do not say: one)
        JsonNode processors = body.get("processors");
        int parallelism = 1;
        if (processors != null) {
            try {
                parallelism = Math.clamp(Integer.parseInt(processors.asText()), 1, 4096);
            }
            catch (NumberFormatException e) {
                json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "announcement's processors is not a number"));
                return;
            }
        }
        nodeManager.announce(nodeId, URI.create(flightUri.asText()), parallelism);
        // the worker learns the revoked node certificates, which its own TLS checks then refuse
        json(response, callback, HttpStatus.ACCEPTED_202, Map.of("revoked", revoked.get()));
    }

    private Map<String, Object> querySummary(Query query)
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("queryId", query.id());
        json.put("state", query.state().name());
        json.put("query", query.sql());
        json.put("user", query.session().user());
        json.put("elapsedTimeMillis", query.elapsedMillis());
        json.put("stats", QueryResultsWriter.stats(query));
        query.error().ifPresent(error -> json.put("error", QueryResultsWriter.error(error)));
        return json;
    }

    private static String nextUri(String base, Query query, long token)
    {
        return base + EXECUTING + query.id() + "/" + query.slug() + "/" + token;
    }

    private static String baseUri(Request request)
    {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            host = Request.getServerName(request) + ":" + Request.getServerPort(request);
        }
        return request.getHttpURI().getScheme() + "://" + host;
    }

    private void staticFile(Response response, Callback callback, String path)
            throws IOException
    {
        String name = path.substring("/ui/".length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (name.contains("..")) {
            json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", "Bad path"));
            return;
        }
        try (InputStream in = ProtocolHandler.class.getResourceAsStream("/webui/" + name)) {
            if (in == null) {
                json(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "Not found: " + path));
                return;
            }
            byte[] bytes = in.readAllBytes();
            String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                    : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8" : "application/octet-stream";
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    private void json(Response response, Callback callback, int status, Object body)
            throws IOException
    {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(body)), callback);
    }
}
