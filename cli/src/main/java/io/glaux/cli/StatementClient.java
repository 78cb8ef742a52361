package io.glaux.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.glaux.cli.protocol.Column;
import io.glaux.cli.protocol.QueryError;
import io.glaux.cli.protocol.QueryResults;
import io.glaux.cli.protocol.StatementStats;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Runs one SQL statement over the Trino client protocol v1: {@code POST /v1/statement}, then
 * {@code GET nextUri} until the server stops sending one, {@code DELETE nextUri} to cancel.
 *
 * <p>Rows are streamed: {@link #rows()} fetches a page only when the previous one is used up, so the
 * client holds at most one page. {@link #stats()} and {@link #cancel()} may be called from other threads
 * (a progress printer, a Ctrl-C handler) while one thread reads rows. Coordinator answers 502/503/504
 * (and, for GETs, dropped connections) are retried with a short back-off until the request timeout.
 */
public final class StatementClient
        implements AutoCloseable
{
    /** The capabilities this client declares: it shows timestamps of any precision as the server sends them. */
    public static final String CLIENT_CAPABILITIES = "PARAMETRIC_DATETIME";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_ERROR_BODY = 500;

    private final HttpTransport transport;
    private final String query;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();
    private final AtomicBoolean rowsTaken = new AtomicBoolean();
    private final CountDownLatch cancellation = new CountDownLatch(1);

    private volatile QueryResults current;
    private volatile List<Column> columns;
    private volatile URI nextUri;
    private volatile boolean finished;

    // Touched only by the thread that reads rows.
    private List<List<Object>> pendingData;
    private final SessionChanges sessionChanges = new SessionChanges();

    private StatementClient(HttpTransport transport, String query)
    {
        this.transport = requireNonNull(transport, "transport is null");
        this.query = requireNonNull(query, "query is null");
    }

    /**
     * Submits {@code sql} with {@code session}'s headers and reads the first page.
     *
     * @throws ClientException when the coordinator cannot be reached or does not answer per protocol
     */
    public static StatementClient execute(HttpTransport transport, ClientSession session, String sql)
    {
        StatementClient client = new StatementClient(transport, sql);
        HttpRequest request = requestHeaders(transport.newRequest(transport.statementUri()), session)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        if (!client.send(request, false)) {
            throw new ClientException("Statement was cancelled before the coordinator accepted it");
        }
        return client;
    }

    static HttpRequest.Builder requestHeaders(HttpRequest.Builder builder, ClientSession session)
    {
        builder.header("X-Trino-User", session.user());
        builder.header("X-Trino-Source", session.source());
        session.catalog().ifPresent(catalog -> builder.header("X-Trino-Catalog", catalog));
        session.schema().ifPresent(schema -> builder.header("X-Trino-Schema", schema));
        builder.header("X-Trino-Time-Zone", session.timeZone().getId());
        builder.header("X-Trino-Language", session.locale().toLanguageTag());
        builder.header("X-Trino-Client-Capabilities", CLIENT_CAPABILITIES);
        builder.header("X-Trino-Transaction-Id", session.transactionId().orElse("NONE"));
        if (!session.properties().isEmpty()) {
            builder.header("X-Trino-Session", encodePairs(session.properties()));
        }
        if (!session.preparedStatements().isEmpty()) {
            builder.header("X-Trino-Prepared-Statement", encodePairs(session.preparedStatements()));
        }
        return builder;
    }

    private static String encodePairs(Map<String, String> pairs)
    {
        return pairs.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
    }

    /** The statement text as sent. */
    public String query()
    {
        return query;
    }

    /** The query id the coordinator assigned. */
    public String queryId()
    {
        String id = current.id();
        return id == null ? "unknown" : id;
    }

    public Optional<URI> infoUri()
    {
        return Optional.ofNullable(current.infoUri());
    }

    /** The result columns once the server has sent them; empty for statements without results (DDL). */
    public Optional<List<Column>> columns()
    {
        return Optional.ofNullable(columns);
    }

    /** The latest progress the server reported. */
    public StatementStats stats()
    {
        StatementStats stats = current.stats();
        return stats == null ? StatementStats.unknown() : stats;
    }

    /** The failure the server reported, if any (final once {@link #isFinished()}). */
    public Optional<QueryError> error()
    {
        return Optional.ofNullable(current.error());
    }

    /** {@code CREATE TABLE}, {@code INSERT}, {@code SET SESSION}, ... for statements that are not queries. */
    public Optional<String> updateType()
    {
        return Optional.ofNullable(current.updateType());
    }

    public OptionalLong updateCount()
    {
        Long count = current.updateCount();
        return count == null ? OptionalLong.empty() : OptionalLong.of(count);
    }

    /** True once the server stopped sending a next URI: the query finished, failed or was cancelled. */
    public boolean isFinished()
    {
        return finished;
    }

    public boolean isCancelled()
    {
        return cancelled.get();
    }

    /**
     * The result rows, fetched page by page as the iterator advances; each row is a list of JSON values
     * (null, Boolean, Integer/Long/BigInteger/Double, String, List, Map). Ends early if the statement is
     * cancelled. May be called once.
     *
     * @throws ClientException (from the iterator) when fetching a page fails
     */
    public Iterator<List<Object>> rows()
    {
        if (!rowsTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("rows() may be called once");
        }
        return new Iterator<>()
        {
            private List<List<Object>> page = List.of();
            private int index;

            @Override
            public boolean hasNext()
            {
                while (index >= page.size()) {
                    if (cancelled.get()) {
                        return false;
                    }
                    if (pendingData != null) {
                        page = pendingData;
                        pendingData = null;
                        index = 0;
                        continue;
                    }
                    if (!advance()) {
                        return false;
                    }
                }
                return !cancelled.get();
            }

            @Override
            public List<Object> next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(index++);
            }
        };
    }

    /**
     * Cancels the statement: sends {@code DELETE nextUri} and aborts the request in flight, then waits
     * (a few seconds at most) for the DELETE to be answered. Safe to call from any thread, any number of
     * times; does nothing once the statement finished.
     */
    public void cancel()
    {
        if (finished || !cancelled.compareAndSet(false, true)) {
            return;
        }
        try {
            URI uri = nextUri;
            CompletableFuture<?> delete = uri == null
                    ? CompletableFuture.completedFuture(null)
                    : transport.client().sendAsync(transport.newRequest(uri).timeout(CANCEL_TIMEOUT).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
            CompletableFuture<?> request = inFlight.get();
            if (request != null) {
                request.cancel(true);
            }
            delete.get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException | CancellationException ignored) {
            // Best effort: the coordinator also abandons queries whose client stopped polling.
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            cancellation.countDown();
        }
    }

    /**
     * Cancels the statement if it is still running (the caller stopped reading), and waits for a
     * cancellation another thread started, so the connection outlives its DELETE.
     */
    @Override
    public void close()
    {
        cancel();
        if (cancelled.get()) {
            try {
                cancellation.await(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code session} with the changes this statement's responses asked for ({@code USE},
     * {@code SET/RESET SESSION}, {@code PREPARE/DEALLOCATE}, transactions).
     */
    public ClientSession updateSession(ClientSession session)
    {
        return sessionChanges.applyTo(session);
    }

    private boolean advance()
    {
        URI uri = nextUri;
        if (uri == null || cancelled.get()) {
            return false;
        }
        return send(transport.newRequest(uri).GET().build(), true);
    }

    /** Sends a request (with retries); false if the statement was cancelled meanwhile. */
    private boolean send(HttpRequest request, boolean retryConnectionFailures)
    {
        long deadline = System.nanoTime() + transport.requestTimeout().toNanos();
        int attempt = 0;
        while (true) {
            if (cancelled.get()) {
                return false;
            }
            CompletableFuture<HttpResponse<byte[]>> future =
                    transport.client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
            inFlight.set(future);
            if (cancelled.get()) {
                future.cancel(true);
            }
            HttpResponse<byte[]> response;
            try {
                response = future.get();
            }
            catch (CancellationException e) {
                return false;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                return false;
            }
            catch (ExecutionException e) {
                if (cancelled.get()) {
                    return false;
                }
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (retryConnectionFailures && isRetryable(cause) && System.nanoTime() < deadline) {
                    if (!backOff(attempt++)) {
                        return false;
                    }
                    continue;
                }
                throw transportFailure(request, cause);
            }
            finally {
                inFlight.compareAndSet(future, null);
            }

            int status = response.statusCode();
            if (status == 200) {
                process(request.uri(), response);
                return true;
            }
            if (status == 502 || status == 503 || status == 504) {
                if (System.nanoTime() < deadline) {
                    if (!backOff(attempt++)) {
                        return false;
                    }
                    continue;
                }
                throw new ClientException("Coordinator at " + transport.server() + " is unavailable: HTTP " + status
                        + " for " + request.method() + " " + request.uri() + " for more than "
                        + transport.requestTimeout().toSeconds() + "s");
            }
            throw new ClientException(httpFailure(request, response));
        }
    }

    private boolean backOff(int attempt)
    {
        try {
            Thread.sleep(Math.min(1000L, 50L << Math.min(attempt, 5)));
            return true;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            return false;
        }
    }

    private void process(URI uri, HttpResponse<byte[]> response)
    {
        QueryResults results;
        try {
            results = MAPPER.readValue(response.body(), QueryResults.class);
        }
        catch (IOException e) {
            String detail = e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
            throw new ClientException("Invalid response from " + uri + ": not Trino protocol JSON (" + detail + ")", e);
        }
        if (results.id() == null && current == null) {
            throw new ClientException("Invalid response from " + uri + ": no query id");
        }
        sessionChanges.capture(response.headers());
        if (columns == null && results.columns() != null) {
            columns = List.copyOf(results.columns());
        }
        if (results.data() != null && !results.data().isEmpty()) {
            pendingData = results.data();
        }
        // Keep the page without its rows: other threads read stats from it, rows go through pendingData.
        current = new QueryResults(
                results.id() == null ? current.id() : results.id(),
                results.infoUri(),
                results.partialCancelUri(),
                results.nextUri(),
                results.columns(),
                null,
                results.stats(),
                results.error(),
                results.warnings(),
                results.updateType(),
                results.updateCount());
        nextUri = results.nextUri();
        if (nextUri == null) {
            finished = true;
        }
    }

    private static boolean isRetryable(Throwable cause)
    {
        return cause instanceof IOException
                && !(cause instanceof HttpConnectTimeoutException)
                && !(cause instanceof ConnectException)
                && findCause(cause, SSLException.class) == null;
    }

    private ClientException transportFailure(HttpRequest request, Throwable cause)
    {
        URI server = transport.server();
        SSLException ssl = findCause(cause, SSLException.class);
        if (ssl != null) {
            return new ClientException("TLS handshake with " + server.getHost() + ":" + port(server) + " failed: "
                    + ssl.getMessage() + ". Trust the coordinator's CA certificate with --truststore <ca.pem> (the demo"
                    + " prints its path), or skip verification with --insecure (testing only)", cause);
        }
        if (findCause(cause, ConnectException.class) != null || cause instanceof HttpConnectTimeoutException) {
            String reason;
            if (cause instanceof HttpConnectTimeoutException) {
                reason = "connect timed out";
            }
            else if (findCause(cause, UnresolvedAddressException.class) != null) {
                reason = "unknown host " + server.getHost();
            }
            else if (findCause(cause, ClosedChannelException.class) != null) {
                reason = "connection refused";
            }
            else {
                ConnectException connect = findCause(cause, ConnectException.class);
                reason = connect.getMessage() != null ? connect.getMessage() : "connection failed";
            }
            return new ClientException("Cannot connect to " + server + ": " + reason, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new ClientException("No answer from " + server + " within " + transport.requestTimeout().toSeconds()
                    + "s for " + request.method() + " " + request.uri(), cause);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ClientException("Error talking to " + server + " (" + request.method() + " " + request.uri() + "): "
                + message, cause);
    }

    private static String httpFailure(HttpRequest request, HttpResponse<byte[]> response)
    {
        String body = new String(response.body(), StandardCharsets.UTF_8).strip();
        if (body.length() > MAX_ERROR_BODY) {
            body = body.substring(0, MAX_ERROR_BODY) + "...";
        }
        String what = switch (response.statusCode()) {
            case 401 -> "authentication failed";
            case 403 -> "access denied";
            case 404 -> "not found (is this a Glaux or Trino coordinator? is the query gone?)";
            default -> "unexpected response";
        };
        return "Error " + (request.method().equals("POST") ? "submitting statement to " : "fetching results from ")
                + request.uri() + ": HTTP " + response.statusCode() + " " + what + (body.isEmpty() ? "" : ": " + body);
    }

    private static int port(URI uri)
    {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static <T extends Throwable> T findCause(Throwable throwable, Class<T> type)
    {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Session changes announced in response headers, collected over all pages of one statement. */
    private static final class SessionChanges
    {
        private Optional<String> setCatalog = Optional.empty();
        private Optional<String> setSchema = Optional.empty();
        private final Map<String, String> setProperties = new LinkedHashMap<>();
        private final Set<String> resetProperties = new LinkedHashSet<>();
        private final Map<String, String> addedPrepared = new LinkedHashMap<>();
        private final Set<String> deallocatedPrepared = new LinkedHashSet<>();
        private Optional<String> startedTransactionId = Optional.empty();
        private boolean clearTransactionId;

        void capture(HttpHeaders headers)
        {
            headers.firstValue("X-Trino-Set-Catalog").ifPresent(value -> setCatalog = Optional.of(value));
            headers.firstValue("X-Trino-Set-Schema").ifPresent(value -> setSchema = Optional.of(value));
            for (String value : headers.allValues("X-Trino-Set-Session")) {
                pair(value).ifPresent(pair -> setProperties.put(pair.getKey(), pair.getValue()));
            }
            for (String value : headers.allValues("X-Trino-Clear-Session")) {
                resetProperties.add(value.strip());
            }
            for (String value : headers.allValues("X-Trino-Added-Prepare")) {
                pair(value).ifPresent(pair -> addedPrepared.put(pair.getKey(), pair.getValue()));
            }
            for (String value : headers.allValues("X-Trino-Deallocated-Prepare")) {
                deallocatedPrepared.add(URLDecoder.decode(value.strip(), StandardCharsets.UTF_8));
            }
            headers.firstValue("X-Trino-Started-Transaction-Id").ifPresent(value -> startedTransactionId = Optional.of(value));
            if (headers.firstValue("X-Trino-Clear-Transaction-Id").isPresent()) {
                clearTransactionId = true;
            }
        }

        private static Optional<Map.Entry<String, String>> pair(String header)
        {
            int equals = header.indexOf('=');
            if (equals <= 0) {
                return Optional.empty();
            }
            return Optional.of(Map.entry(header.substring(0, equals).strip(),
                    URLDecoder.decode(header.substring(equals + 1).strip(), StandardCharsets.UTF_8)));
        }

        ClientSession applyTo(ClientSession session)
        {
            ClientSession result = session;
            if (setCatalog.isPresent() || setSchema.isPresent()) {
                result = result.withCatalogAndSchema(setCatalog.or(result::catalog), setSchema.or(result::schema));
            }
            if (!setProperties.isEmpty() || !resetProperties.isEmpty()) {
                Map<String, String> properties = new LinkedHashMap<>(result.properties());
                properties.putAll(setProperties);
                properties.keySet().removeAll(resetProperties);
                result = result.withProperties(properties);
            }
            if (!addedPrepared.isEmpty() || !deallocatedPrepared.isEmpty()) {
                Map<String, String> prepared = new LinkedHashMap<>(result.preparedStatements());
                prepared.putAll(addedPrepared);
                prepared.keySet().removeAll(deallocatedPrepared);
                result = result.withPreparedStatements(prepared);
            }
            if (clearTransactionId) {
                result = result.withTransactionId(Optional.empty());
            }
            if (startedTransactionId.isPresent()) {
                result = result.withTransactionId(startedTransactionId);
            }
            return result;
        }
    }
}
