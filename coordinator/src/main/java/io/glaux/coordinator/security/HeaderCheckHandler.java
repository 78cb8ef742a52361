package io.glaux.coordinator.security;

import io.glaux.spi.error.ErrorCode;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests whose {@code X-Trino-*} headers could inject anything: control characters (CR, LF,
 * NUL, ESC, ...) in a value or, for the url-encoded headers ({@code X-Trino-Session},
 * {@code X-Trino-Prepared-Statement}, {@code X-Trino-Extra-Credential}, {@code X-Trino-Role}), in a
 * decoded name or value (a prepared statement's SQL may hold tabs and line breaks), and values longer than
 * {@value #MAX_VALUE_LENGTH} characters ({@value #MAX_NAME_LENGTH} for names: user, source, catalog,
 * schema, client tags, ...). The answer is 400 {@code INVALID_REQUEST_HEADER: <reason>} naming the
 * header; nothing reaches authentication, the logs or the query history. (Raw CR/LF in a header never
 * gets here: Jetty's parser refuses the request, and {@link BadMessageHandler} codes that answer.)
 */
public final class HeaderCheckHandler
        extends Handler.Wrapper
{
    public static final int MAX_NAME_LENGTH = 1024;
    public static final int MAX_VALUE_LENGTH = 64 * 1024;
    private static final Set<String> URL_ENCODED = Set.of("x-trino-session", "x-trino-prepared-statement", "x-trino-extra-credential", "x-trino-role");
    private static final Set<String> LONG_VALUES = Set.of("x-trino-prepared-statement", "x-trino-session", "x-trino-extra-credential", "x-trino-client-info");

    public HeaderCheckHandler(Handler handler)
    {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        for (HttpField field : request.getHeaders()) {
            String name = field.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("x-trino-")) {
                continue;
            }
            String problem = problem(lower, field.getValue());
            if (problem != null) {
                refuse(response, callback, "Invalid header %s: %s".formatted(printable(name), problem));
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    /** What is wrong with this value of the (lower-case) header, or null. */
    static String problem(String header, String value)
    {
        if (value == null) {
            return null;
        }
        int max = LONG_VALUES.contains(header) ? MAX_VALUE_LENGTH : MAX_NAME_LENGTH;
        if (value.length() > max) {
            return "its value of %d characters is longer than the %d allowed".formatted(value.length(), max);
        }
        int control = controlCharacter(value, false);
        if (control >= 0) {
            return "its value holds the control character U+%04X".formatted(control);
        }
        if (URL_ENCODED.contains(header)) {
            boolean sql = header.equals("x-trino-prepared-statement");
            for (String entry : value.split(",")) {
                int equals = entry.indexOf('=');
                String entryName = equals < 0 ? entry : entry.substring(0, equals);
                String entryValue = equals < 0 ? "" : entry.substring(equals + 1);
                String decodedName;
                String decodedValue;
                try {
                    decodedName = URLDecoder.decode(entryName.strip(), StandardCharsets.UTF_8);
                    decodedValue = URLDecoder.decode(entryValue.strip(), StandardCharsets.UTF_8);
                }
                catch (IllegalArgumentException e) {
                    return "it is not url-encoded name=value pairs (" + e.getMessage() + ")";
                }
                int inName = controlCharacter(decodedName, false);
                if (inName >= 0) {
                    return "a decoded name holds the control character U+%04X".formatted(inName);
                }
                int inValue = controlCharacter(decodedValue, sql);
                if (inValue >= 0) {
                    return "the decoded value of %s holds the control character U+%04X".formatted(printable(decodedName), inValue);
                }
            }
        }
        return null;
    }

    /** The first control character in {@code value} (tab, CR and LF allowed when {@code lineBreaks}), or -1. */
    private static int controlCharacter(String value, boolean lineBreaks)
    {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') {
                if (lineBreaks && (c == '\t' || c == '\r' || c == '\n')) {
                    continue;
                }
                return c;
            }
        }
        return -1;
    }

    private static String printable(String text)
    {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static void refuse(Response response, Callback callback, String message)
    {
        response.setStatus(HttpStatus.BAD_REQUEST_400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        String line = ErrorCode.INVALID_REQUEST_HEADER.name() + ": " + message.replace('\r', ' ').replace('\n', ' ');
        response.write(true, ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
