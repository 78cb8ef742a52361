package io.glaux.coordinator.server;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.security.KeyStore;

/** Jetty serving one handler over HTTPS only. */
public final class HttpsServer
        implements AutoCloseable
{
    private final Server server;
    private final ServerConnector connector;
    private final SslContextFactory.Server ssl;

    public HttpsServer(String host, int port, KeyStore keyStore, char[] keyStorePassword, KeyStore trustStore, Handler handler)
    {
        this(host, port, factory(keyStore, keyStorePassword, trustStore), handler);
    }

    /**
     * Serves with {@code sslContext}: its key and trust managers are asked at every handshake, so a
     * renewed certificate or a changed CA bundle ({@code io.glaux.engine.exchange.NodeKeys}) is used from
     * the next connection on. Client certificates are asked for (nodes present theirs), not required.
     */
    public HttpsServer(String host, int port, javax.net.ssl.SSLContext sslContext, Handler handler)
    {
        this(host, port, factory(sslContext), handler);
    }

    private static SslContextFactory.Server factory(KeyStore keyStore, char[] keyStorePassword, KeyStore trustStore)
    {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(keyStorePassword));
        if (trustStore != null) {
            // nodes present their certificates (announcements); clients need not
            ssl.setTrustStore(trustStore);
            ssl.setWantClientAuth(true);
        }
        return ssl;
    }

    private static SslContextFactory.Server factory(javax.net.ssl.SSLContext sslContext)
    {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSslContext(requireNonNull(sslContext, "sslContext is null"));
        // nodes present their certificates (announcements); clients need not
        ssl.setWantClientAuth(true);
        return ssl;
    }

    private HttpsServer(String host, int port, SslContextFactory.Server ssl, Handler handler)
    {
        requireNonNull(handler, "handler is null");
        this.ssl = ssl;
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("http");
        // No buffer pooling: with Jetty's pooled buffers, after refusing malformed or oversized requests
        // the parser of a later, well-formed request on another connection (a JDBC client's statement, a
        // worker's announcement) now and then saw foreign bytes and refused it ("Illegal character SPACE").
        // With pooling, TestHeaderInjection's requests repeated in a loop failed within 160 s; without it,
        // 300 rounds pass. The coordinator's request rate is low; heap buffers are cheap to allocate.
        server = new Server(threads, null, new ByteBufferPool.NonPooling());
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setUseInputDirectByteBuffers(false);
        config.setUseOutputDirectByteBuffers(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(handler);
        // requests the HTTP parser refuses (CR/LF or control characters in a header, too large headers) get a coded line
        server.setErrorHandler(new io.glaux.coordinator.security.BadMessageHandler());
    }

    /**
     * The TLS protocol versions (default TLSv1.3 and TLSv1.2) and, when not empty, the cipher suites
     * offered. Call before {@link #start()}.
     */
    public void setTlsProtocols(java.util.List<String> protocols, java.util.List<String> cipherSuites)
    {
        if (!protocols.isEmpty()) {
            ssl.setIncludeProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            ssl.setIncludeCipherSuites(cipherSuites.toArray(String[]::new));
        }
    }

    public void start()
            throws Exception
    {
        server.start();
    }

    public int port()
    {
        return connector.getLocalPort();
    }

    @Override
    public void close()
    {
        try {
            server.stop();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot stop the HTTPS server: " + e.getMessage(), e);
        }
    }
}
