package io.glaux.coordinator.security;

import io.glaux.spi.error.ErrorCode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The answer to requests Jetty's HTTP parser refuses before any handler runs (a raw CR or LF, or a
 * control character, inside a header: 400; headers larger than the server accepts: 431): one coded line,
 * {@code INVALID_REQUEST_HEADER: <reason>}, as {@link HeaderCheckHandler} gives, instead of an HTML page.
 * Other errors keep Jetty's answer without stack traces.
 */
public final class BadMessageHandler
        extends ErrorHandler
{
    public BadMessageHandler()
    {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException
    {
        if (code != HttpStatus.BAD_REQUEST_400 && code != HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431) {
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(line(code, message).getBytes(StandardCharsets.UTF_8)), callback);
    }

    private static String line(int status, String reason)
    {
        String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        String message = status == HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431
                ? "Request headers are larger than the coordinator accepts (" + why + ")"
                : "Malformed request (" + why + ")";
        return ErrorCode.INVALID_REQUEST_HEADER.name() + ": " + message.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
