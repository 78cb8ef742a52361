package io.glaux.coordinator.console;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the console (the {@code webui/} folder of the glaux-web-ui jar) at {@code /ui/}.
 * Vite names every asset by its content hash, so {@code /ui/assets/*} is cached for a year
 * ({@code immutable}); {@code index.html} is revalidated on every load. Any other path under
 * {@code /ui/} is a view of the single-page app ({@code /ui/history}, {@code /ui/queries/ID}) and
 * gets {@code index.html}; a missing asset is a 404. Text is sent gzipped when the client accepts it.
 */
public final class ConsoleAssets
        extends Handler.Abstract
{
    private static final String ROOT = "/webui/";
    private static final String CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            + "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    private record Asset(byte[] bytes, byte[] gzipped, String type) {}

    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    @Override
    public boolean handle(Request request, Response response, Callback callback)
    {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!path.startsWith("/ui/") || !(method.equals("GET") || method.equals("HEAD"))) {
            return false;
        }
        String name = path.substring("/ui/".length());
        boolean asset = name.startsWith("assets/") || name.equals("favicon.svg");
        if (!asset) {
            name = "index.html";
        }
        if (name.contains("..") || name.contains("//")) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, "Bad path");
            return true;
        }
        Optional<Asset> found = cache.computeIfAbsent(name, ConsoleAssets::load);
        if (found.isEmpty()) {
            error(response, callback, HttpStatus.NOT_FOUND_404, asset ? "Not found: " + path
                    : "The console is not in this build (built without npm: -Dskip.npm)");
            return true;
        }
        Asset file = found.get();
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, file.type());
        headers.put("X-Content-Type-Options", "nosniff");
        if (asset) {
            headers.put(HttpHeader.CACHE_CONTROL, "public, max-age=31536000, immutable");
        }
        else {
            headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
            headers.put("Content-Security-Policy", CSP);
            headers.put("Referrer-Policy", "same-origin");
        }
        byte[] body = file.bytes();
        if (file.gzipped() != null) {
            headers.put(HttpHeader.VARY, "Accept-Encoding");
            String accept = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            if (accept != null && accept.contains("gzip")) {
                headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
                body = file.gzipped();
            }
        }
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        if (method.equals("HEAD")) {
            response.write(true, null, callback);
        }
        else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
        return true;
    }

    private static Optional<Asset> load(String name)
    {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String type = type(name);
            boolean text = type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg");
            return Optional.of(new Asset(bytes, text && bytes.length > 512 ? gzip(bytes) : null, type));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the console file " + name, e);
        }
    }

    private static String type(String name)
    {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "json" -> "application/json";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "woff2" -> "font/woff2";
            default -> "application/octet-stream";
        };
    }

    private static byte[] gzip(byte[] bytes)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static void error(Response response, Callback callback, int status, String message)
    {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
