package io.glaux.coordinator.limits;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Caps what a request may carry before the protocol handler reads it: a body larger than
 * {@code http-server.max-request-body-size} (by its Content-Length; bodies without one are refused
 * when they may carry SQL) gets 413, and SQL longer than {@code query.max-length} gets 413 naming the
 * limit. It also tells the {@link QueryWatchdog} each time a client asks about a query.
 */
public final class RequestLimitHandler
        extends Handler.Wrapper
{
    private static final String EXECUTING = "/v1/statement/executing/";

    private final QueryWatchdog watchdog;

    public RequestLimitHandler(QueryWatchdog watchdog, Handler handler)
    {
        super(handler);
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        String path = Request.getPathInContext(request);
        QueryLimits limits = watchdog.limits();
        if (path.startsWith(EXECUTING)) {
            // a request the server holds open (waiting for rows) counts as the client being there
            String queryId = path.substring(EXECUTING.length()).split("/", 2)[0];
            watchdog.seen(queryId);
            try {
                return super.handle(request, response, callback);
            }
            finally {
                watchdog.seen(queryId);
            }
        }
        if (request.getMethod().equals("POST") || request.getMethod().equals("PUT")) {
            long length = request.getLength();
            if (length < 0 && path.equals("/v1/statement")) {
                // chunked: read at most one byte more than the limit
                byte[] body = readAtMost(request, limits.maxRequestBodyBytes() + 1);
                if (body == null || body.length > limits.maxRequestBodyBytes()) {
                    refuse(request, response, callback, "Request body exceeds the limit of %d bytes (%s)".formatted(limits.maxRequestBodyBytes(), QueryLimits.MAX_REQUEST_BODY_SIZE));
                    return true;
                }
                length = body.length;
                request = replay(request, body);
            }
            if (length > limits.maxRequestBodyBytes()) {
                refuse(request, response, callback, "Request body of %d bytes exceeds the limit of %d bytes (%s)".formatted(length, limits.maxRequestBodyBytes(), QueryLimits.MAX_REQUEST_BODY_SIZE));
                return true;
            }
            if (path.equals("/v1/statement") && length > limits.maxQueryLength()) {
                // more bytes than allowed characters may still be fewer characters: count them
                byte[] body = readAtMost(request, length);
                String sql = body == null ? "" : new String(body, StandardCharsets.UTF_8);
                if (sql.length() > limits.maxQueryLength()) {
                    refuse(request, response, callback, "Query text of %d characters exceeds the limit of %d characters (%s)"
                            .formatted(sql.length(), limits.maxQueryLength(), QueryLimits.MAX_QUERY_LENGTH));
                    return true;
                }
                request = replay(request, body);
            }
        }
        return super.handle(request, response, callback);
    }

    private static byte[] readAtMost(Request request, long max)
            throws java.io.IOException
    {
        try (var in = Request.asInputStream(request)) {
            return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, max));
        }
    }

    private static Request replay(Request request, byte[] body)
    {
        ByteBuffer content = ByteBuffer.wrap(body);
        return new Request.Wrapper(request)
        {
            private boolean done;

            @Override
            public org.eclipse.jetty.io.Content.Chunk read()
            {
                if (done) {
                    return org.eclipse.jetty.io.Content.Chunk.EOF;
                }
                done = true;
                return org.eclipse.jetty.io.Content.Chunk.from(content, true);
            }

            @Override
            public void demand(Runnable demandCallback)
            {
                demandCallback.run();
            }
        };
    }

    private static final long MAX_DRAIN_BYTES = 64L << 20;

    private static void refuse(Request request, Response response, Callback callback, String message)
    {
        // read (and drop) a refused body, up to a bound, so the client gets the answer instead of a reset
        try (var in = Request.asInputStream(request)) {
            long skipped = 0;
            byte[] buffer = new byte[64 << 10];
            for (int n = in.read(buffer); n > 0 && skipped < MAX_DRAIN_BYTES; n = in.read(buffer)) {
                skipped += n;
            }
        }
        catch (java.io.IOException | RuntimeException e) {
            // the connection is closed after the answer anyway
        }
        response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(("QUERY_TEXT_TOO_LARGE: " + message).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
