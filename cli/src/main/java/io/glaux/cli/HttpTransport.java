package io.glaux.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP(S) connection to one coordinator: a JDK {@link HttpClient} with the TLS settings, plus what
 * every request carries (User-Agent, Authorization) and how long the client keeps retrying a
 * coordinator that answers 502/503/504 or drops connections.
 */
public final class HttpTransport
        implements AutoCloseable
{
    public static final String VERSION = readVersion();
    public static final String USER_AGENT = "glaux-cli/" + VERSION;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI server;
    private final HttpClient client;
    private final Optional<String> authorization;
    private final Duration requestTimeout;

    private HttpTransport(URI server, HttpClient client, Optional<String> authorization, Duration requestTimeout)
    {
        this.server = requireNonNull(server, "server is null");
        this.client = requireNonNull(client, "client is null");
        this.authorization = requireNonNull(authorization, "authorization is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
    }

    /**
     * @param server base URI of the coordinator, {@code https://host:port} (plain {@code http} works too)
     * @param authorization value of the Authorization header, e.g. {@code Basic ...}, if any
     * @param requestTimeout how long one request, including its retries, may take
     */
    public static HttpTransport create(URI server, TlsOptions tls, Optional<String> authorization, Duration requestTimeout)
    {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equalsIgnoreCase(server.getScheme())) {
            builder.sslContext(tls.sslContext());
        }
        return new HttpTransport(server, builder.build(), authorization, requestTimeout);
    }

    public URI server()
    {
        return server;
    }

    public URI statementUri()
    {
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/statement");
    }

    HttpClient client()
    {
        return client;
    }

    Duration requestTimeout()
    {
        return requestTimeout;
    }

    /** A request to {@code uri} with the headers every request carries. */
    HttpRequest.Builder newRequest(URI uri)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("User-Agent", USER_AGENT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    @Override
    public void close()
    {
        client.close();
    }

    private static String readVersion()
    {
        try (InputStream in = HttpTransport.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
