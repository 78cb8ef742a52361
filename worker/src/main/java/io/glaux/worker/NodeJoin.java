package io.glaux.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gets a worker's certificate from the coordinator with a join token: {@code POST /v1/node/join} over
 * HTTPS, trusting the coordinator only if its certificate chain holds the CA whose public-key hash the
 * token names (and the certificate names the host, as usual). The private key is made here and stays
 * in {@code tls.dir}; the CA key never leaves the coordinator.
 */
final class NodeJoin
{
    private static final Logger LOG = LoggerFactory.getLogger(NodeJoin.class);
    private static final Pattern TOKEN = Pattern.compile("glaux-join\\.([0-9a-f]{8})\\.[0-9a-f]{32}\\.([A-Za-z0-9_-]{43})");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * How long a worker keeps trying to reach a coordinator that is not up yet: containers of one
     * deployment start together, and a coordinator on a busy host may take minutes to listen.
     */
    private static final Duration CONNECT_PATIENCE = Duration.ofMinutes(10);

    private NodeJoin() {}

    static TlsMaterial join(URI coordinatorUri, String token, Path tlsDir, String nodeId, List<String> hostNames)
    {
        Matcher matcher = TOKEN.matcher(token.strip());
        if (!matcher.matches()) {
            throw new GlauxException(ErrorCode.INVALID_JOIN_TOKEN, "Malformed " + WorkerConfig.TLS_JOIN_TOKEN + ": expected glaux-join.<id>.<secret>.<CA hash>");
        }
        String tokenId = matcher.group(1);
        String caPin = "sha256:" + matcher.group(2);
        String base = coordinatorUri.toString();
        URI joinUri = URI.create((base.endsWith("/") ? base : base + "/") + "v1/node/join");
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(pinnedContext(caPin))
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            TlsMaterial material = TlsMaterial.join(tlsDir, nodeId, hostNames, caPin, csr -> send(client, joinUri, token.strip(), nodeId, hostNames, csr, CONNECT_PATIENCE));
            LOG.info("Node {} joined with token {}: certificate from {} stored in {}", nodeId, tokenId, coordinatorUri, tlsDir);
            return material;
        }
    }

    /**
     * Renews this node's certificate (it expires within 30 days, or lacks a host name) through the
     * coordinator, authenticated by the current one (mutual TLS, trusting the cluster CA): the same node
     * id, a new key made here, no join token.
     */
    static TlsMaterial renew(URI coordinatorUri, TlsMaterial current, List<String> hostNames)
    {
        return renew(coordinatorUri, current, hostNames, CONNECT_PATIENCE);
    }

    /**
     * As {@link #renew(URI, TlsMaterial, List)}, retrying an unreachable coordinator for at most
     * {@code patience} (the background renewal retries on its own schedule).
     */
    static TlsMaterial renew(URI coordinatorUri, TlsMaterial current, List<String> hostNames, Duration patience)
    {
        String base = coordinatorUri.toString();
        URI renewUri = URI.create((base.endsWith("/") ? base : base + "/") + "v1/node/renew");
        String nodeId = current.nodeName();
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(current.clientSslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            TlsMaterial material = TlsMaterial.join(current.directory(), nodeId, hostNames, TlsMaterial.caPin(current.caCertificateValue()),
                    csr -> send(client, renewUri, null, nodeId, hostNames, csr, patience));
            LOG.info("Node {} renewed its certificate (serial {} replaces {}) through {}", nodeId, material.certificate().getSerialNumber().toString(16),
                    current.certificate().getSerialNumber().toString(16), coordinatorUri);
            return material;
        }
    }

    private static String send(HttpClient client, URI joinUri, String token, String nodeId, List<String> hostNames, String csr, Duration patience)
    {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("token", token);
        request.put("nodeId", nodeId);
        request.put("hostNames", hostNames);
        request.put("csr", csr);
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(request);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long deadline = System.nanoTime() + patience.toNanos();
        long backoffMillis = 200;
        while (true) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(joinUri)
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode answer = parse(response.body());
                if (response.statusCode() == 200 && answer.hasNonNull("certificateChain")) {
                    return answer.get("certificateChain").asText();
                }
                ErrorCode code = ErrorCode.GENERIC_INTERNAL_ERROR;
                try {
                    code = ErrorCode.valueOf(answer.path("errorName").asText(""));
                }
                catch (IllegalArgumentException e) {
                    // not one of ours
                }
                String message = answer.path("message").asText("HTTP " + response.statusCode());
                throw new GlauxException(code, "The coordinator refused the " + (token == null ? "renewal" : "join") + " of node " + nodeId + ": " + message);
            }
            catch (IOException e) {
                if (e.getCause() instanceof CertificateException || e instanceof javax.net.ssl.SSLHandshakeException || System.nanoTime() > deadline) {
                    throw new GlauxException(ErrorCode.REMOTE_TASK_ERROR, "Node " + nodeId + " cannot join through " + joinUri + ": " + e.getMessage(), e);
                }
                LOG.info("Coordinator at {} not reachable yet ({}); retrying", joinUri, e.getMessage());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Interrupted while joining", e);
            }
            try {
                Thread.sleep(backoffMillis);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Interrupted while joining", e);
            }
            backoffMillis = Math.min(backoffMillis * 2, 5_000);
        }
    }

    private static JsonNode parse(String body)
    {
        try {
            return MAPPER.readTree(body);
        }
        catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    /** Trusts a server whose chain holds the CA with this public-key hash, and checks host names as usual. */
    private static SSLContext pinnedContext(String caPin)
    {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedTrustManager(caPin)}, new SecureRandom());
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class PinnedTrustManager
            extends X509ExtendedTrustManager
    {
        private final String caPin;

        PinnedTrustManager(String caPin)
        {
            this.caPin = caPin;
        }

        private X509ExtendedTrustManager delegate(X509Certificate[] chain)
                throws CertificateException
        {
            for (X509Certificate certificate : chain) {
                if (TlsMaterial.caPin(certificate).equals(caPin)) {
                    try {
                        KeyStore store = KeyStore.getInstance("PKCS12");
                        store.load(null, null);
                        store.setCertificateEntry("glaux-ca", certificate);
                        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                        factory.init(store);
                        for (TrustManager manager : factory.getTrustManagers()) {
                            if (manager instanceof X509ExtendedTrustManager extended) {
                                return extended;
                            }
                        }
                    }
                    catch (GeneralSecurityException | IOException e) {
                        throw new CertificateException("Cannot trust the pinned CA: " + e.getMessage(), e);
                    }
                }
            }
            throw new CertificateException("The coordinator's certificate chain holds no CA with the join token's hash " + caPin);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException
        {
            delegate(chain).checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException
        {
            delegate(chain).checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException
        {
            delegate(chain).checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException
        {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException
        {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException
        {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
