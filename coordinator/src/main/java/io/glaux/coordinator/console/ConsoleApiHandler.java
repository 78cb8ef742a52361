package io.glaux.coordinator.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryManager;
import io.glaux.coordinator.query.QueryStats;
import io.glaux.spi.error.GlauxException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's JSON API under {@code /v1/console/} (documented in docs/console-api.md): the
 * signed-in user, the query history, saved queries and query details. Every call acts for the user
 * that the {@link ConsoleAuthenticator} finds in the request; other paths are left to the next handler.
 */
public final class ConsoleApiHandler
        extends Handler.Abstract
{
    public static final String PREFIX = "/v1/console/";
    private static final int MAX_BODY_CHARS = 2_000_000;

    private final HistoryStore store;
    private final QueryManager queryManager;
    private final ConsoleAuthenticator authenticator;
    private final String defaultCatalog;
    private final String defaultSchema;
    private final ObjectMapper mapper = new ObjectMapper();

    public ConsoleApiHandler(HistoryStore store, QueryManager queryManager, ConsoleAuthenticator authenticator, String defaultCatalog, String defaultSchema)
    {
        this.defaultCatalog = requireNonNull(defaultCatalog, "defaultCatalog is null");
        this.defaultSchema = requireNonNull(defaultSchema, "defaultSchema is null");
        this.store = requireNonNull(store, "store is null");
        this.queryManager = requireNonNull(queryManager, "queryManager is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        String route = path.substring(PREFIX.length());
        String method = request.getMethod();
        Optional<String> user = authenticator.user(request);
        if (user.isEmpty()) {
            json(response, callback, HttpStatus.UNAUTHORIZED_401, Map.of(
                    "error", "Authentication required", "errorName", "UNAUTHENTICATED", "authentication", authenticator.method()));
            return true;
        }
        try {
            route(request, response, callback, route, method, user.get());
        }
        catch (GlauxException e) {
            json(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, Map.of("error", e.getMessage(), "errorName", e.errorCode().name()));
        }
        catch (JsonProcessingException | IllegalArgumentException e) {
            badRequest(response, callback, "Bad request: " + e.getMessage());
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback, String route, String method, String user)
            throws IOException
    {
        Fields query = Request.extractQueryParameters(request);
        if (route.equals("whoami") && method.equals("GET")) {
            json(response, callback, HttpStatus.OK_200, Map.of("user", user, "authentication", authenticator.method(),
                    "defaultCatalog", defaultCatalog, "defaultSchema", defaultSchema));
        }
        else if (route.equals("history") && method.equals("GET")) {
            int limit = Integer.parseInt(Optional.ofNullable(query.getValue("limit")).orElse("100"));
            long before = Long.parseLong(Optional.ofNullable(query.getValue("before")).orElse("0"));
            List<HistoryEntry> entries = store.search(user, Optional.ofNullable(query.getValue("q")).orElse(""),
                    Optional.ofNullable(query.getValue("state")).orElse(""), before, limit);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", entries.stream().map(ConsoleApiHandler::historyJson).toList());
            body.put("nextBefore", entries.size() < Math.clamp(limit, 1, 1000) ? null : entries.getLast().startMillis());
            json(response, callback, HttpStatus.OK_200, body);
        }
        else if (route.startsWith("query/") && method.equals("GET")) {
            queryDetail(response, callback, route.substring("query/".length()), user);
        }
        else if (route.equals("saved") && method.equals("GET")) {
            json(response, callback, HttpStatus.OK_200, Map.of("items",
                    store.savedQueries(user, Optional.ofNullable(query.getValue("q")).orElse("")).stream().map(ConsoleApiHandler::savedJson).toList()));
        }
        else if (route.equals("saved") && method.equals("POST")) {
            SavedFields fields = savedFields(request);
            if (fields == null) {
                badRequest(response, callback, "A saved query needs a non-empty \"name\" and \"sql\"");
                return;
            }
            json(response, callback, HttpStatus.CREATED_201, savedJson(store.createSaved(user, fields.name, fields.description, fields.sql)));
        }
        else if (route.startsWith("saved/")) {
            long id = Long.parseLong(route.substring("saved/".length()));
            switch (method) {
                case "GET" -> found(response, callback, store.savedQuery(user, id).map(ConsoleApiHandler::savedJson), "Saved query " + id);
                case "PUT" -> {
                    SavedFields fields = savedFields(request);
                    if (fields == null) {
                        badRequest(response, callback, "A saved query needs a non-empty \"name\" and \"sql\"");
                        return;
                    }
                    found(response, callback, store.updateSaved(user, id, fields.name, fields.description, fields.sql).map(ConsoleApiHandler::savedJson), "Saved query " + id);
                }
                case "DELETE" -> {
                    if (store.deleteSaved(user, id)) {
                        response.setStatus(HttpStatus.NO_CONTENT_204);
                        callback.succeeded();
                    }
                    else {
                        notFound(response, callback, "Saved query " + id);
                    }
                }
                default -> notFound(response, callback, method + " " + PREFIX + route);
            }
        }
        else {
            notFound(response, callback, method + " " + PREFIX + route);
        }
    }

    private void queryDetail(Response response, Callback callback, String queryId, String user)
            throws IOException
    {
        Optional<Query> live = queryManager.get(queryId).filter(query -> query.session().user().equals(user));
        Optional<HistoryEntry> entry = live.map(QueryHistoryRecorder::entry).or(() -> store.get(queryId).filter(e -> e.user().equals(user)));
        if (entry.isEmpty()) {
            notFound(response, callback, "Query " + queryId);
            return;
        }
        Map<String, Object> body = historyJson(entry.get());
        live.ifPresent(query -> {
            QueryStats stats = query.stats();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("nodes", stats.nodes.get());
            json.put("totalSplits", stats.totalSplits.get());
            json.put("runningSplits", stats.runningSplits.get());
            json.put("completedSplits", stats.completedSplits.get());
            json.put("processedRows", stats.processedRows.get());
            json.put("processedBytes", stats.processedBytes.get());
            json.put("outputRows", stats.outputRows.get());
            QueryStats.Execution execution = stats.execution(query.state());
            json.put("peakMemoryBytes", execution.peakMemoryBytes());
            json.put("spilledBytes", execution.spilledBytes());
            json.put("elapsedMillis", query.elapsedMillis());
            body.put("stats", json);
            query.plan().ifPresent(plan -> body.put("plan", plan));
        });
        body.put("stages", live.map(Query::stages).orElse(List.of()));
        body.put("live", live.isPresent());
        json(response, callback, HttpStatus.OK_200, body);
    }

    private record SavedFields(String name, String description, String sql) {}

    private SavedFields savedFields(Request request)
            throws IOException
    {
        String text = Content.Source.asString(request, StandardCharsets.UTF_8);
        if (text == null || text.length() > MAX_BODY_CHARS) {
            return null;
        }
        JsonNode body = mapper.readTree(text);
        String name = body.path("name").asText("").strip();
        String sql = body.path("sql").asText("");
        if (name.isEmpty() || sql.isBlank()) {
            return null;
        }
        return new SavedFields(name, body.path("description").asText(""), sql);
    }

    private static Map<String, Object> historyJson(HistoryEntry entry)
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("queryId", entry.queryId());
        json.put("user", entry.user());
        json.put("source", entry.source());
        json.put("catalog", entry.catalog());
        json.put("schema", entry.schema());
        json.put("sql", entry.sql());
        json.put("state", entry.state());
        json.put("errorName", entry.errorName().orElse(null));
        json.put("error", entry.errorMessage().orElse(null));
        json.put("startMillis", entry.startMillis());
        json.put("endMillis", entry.endMillis().orElse(null));
        json.put("elapsedMillis", entry.endMillis().map(end -> end - entry.startMillis()).orElse(null));
        json.put("rows", entry.rows());
        json.put("bytesScanned", entry.bytesScanned());
        json.put("rowsScanned", entry.rowsScanned());
        return json;
    }

    private static Map<String, Object> savedJson(SavedQuery saved)
    {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", saved.id());
        json.put("name", saved.name());
        json.put("description", saved.description());
        json.put("sql", saved.sql());
        json.put("owner", saved.owner());
        json.put("createdMillis", saved.createdMillis());
        json.put("updatedMillis", saved.updatedMillis());
        return json;
    }

    private void found(Response response, Callback callback, Optional<Map<String, Object>> body, String what)
            throws IOException
    {
        if (body.isPresent()) {
            json(response, callback, HttpStatus.OK_200, body.get());
        }
        else {
            notFound(response, callback, what);
        }
    }

    private void notFound(Response response, Callback callback, String what)
            throws IOException
    {
        json(response, callback, HttpStatus.NOT_FOUND_404, Map.of("error", "Not found: " + what, "errorName", "NOT_FOUND"));
    }

    private void badRequest(Response response, Callback callback, String message)
            throws IOException
    {
        json(response, callback, HttpStatus.BAD_REQUEST_400, Map.of("error", message, "errorName", "BAD_REQUEST"));
    }

    private void json(Response response, Callback callback, int status, Object body)
            throws IOException
    {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(body)), callback);
    }
}
