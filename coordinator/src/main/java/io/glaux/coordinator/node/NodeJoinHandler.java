package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.coordinator.query.SessionProperties;
import io.glaux.coordinator.security.AuthenticatedUser;
import io.glaux.coordinator.security.SecurityHandler;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Lets workers join without the cluster CA key:
 * <ul>
 *   <li>{@code POST /v1/node/join-token?validity=1h&uses=1&node=worker-3} (admins only) mints a
 *       one-time token ({@link JoinTokens}); answer {@code {"token": ..., "id": ..., "expires": ...}}.</li>
 *   <li>{@code POST /v1/node/join} with {@code {"token", "nodeId", "hostNames", "csr"}} (no other
 *       credentials: the token is one) redeems the token and answers {@code {"certificateChain": PEM}},
 *       the node certificate signed by the CA in {@code tls.dir} followed by the CA certificate. A bad
 *       token is 403 with {@code errorName} {@code INVALID_JOIN_TOKEN}.</li>
 * </ul>
 */
public final class NodeJoinHandler
        extends Handler.Abstract
{
    public static final String JOIN_PATH = "/v1/node/join";
    public static final String TOKEN_PATH = "/v1/node/join-token";
    public static final String REVOKE_PATH = "/v1/node/revoke";
    public static final String RENEW_PATH = "/v1/node/renew";
    public static final String IDENTITIES_PATH = "/v1/node/identities";
    private static final Logger LOG = LoggerFactory.getLogger(NodeJoinHandler.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_HOST_NAMES = 32;
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JoinTokens tokens;
    private final Path tlsDir;
    private final JoinedNodes joinedNodes;
    private final Supplier<java.util.Collection<String>> liveNodes;
    private final NodeManager nodeManager;
    private final Revocations revocations;
    private final java.util.function.Consumer<String> onRevokedNode;
    private final Duration certificateValidity;

    /**
     * @param joinedNodes which key joined as which node id
     * @param nodeManager the workers announcing now
     * @param revocations the revoked node certificates
     * @param onRevokedNode called with a node id just revoked (to drop it and its connections)
     * @param certificateValidity how long the certificates of joins and renewals are valid ({@code node.certificate-validity})
     */
    public NodeJoinHandler(JoinTokens tokens, Path tlsDir, JoinedNodes joinedNodes, NodeManager nodeManager,
            Revocations revocations, java.util.function.Consumer<String> onRevokedNode, Duration certificateValidity)
    {
        this.certificateValidity = requireNonNull(certificateValidity, "certificateValidity is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.tlsDir = requireNonNull(tlsDir, "tlsDir is null");
        this.joinedNodes = requireNonNull(joinedNodes, "joinedNodes is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.liveNodes = nodeManager::liveWorkerIds;
        this.revocations = requireNonNull(revocations, "revocations is null");
        this.onRevokedNode = requireNonNull(onRevokedNode, "onRevokedNode is null");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        String path = Request.getPathInContext(request);
        if (path.equals(IDENTITIES_PATH) && request.getMethod().equals("GET")) {
            try {
                identities(request, response, callback);
            }
            catch (GlauxException e) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("errorName", e.errorCode().name());
                body.put("errorCode", e.errorCode().code());
                body.put("message", e.getMessage());
                json(response, callback, HttpStatus.FORBIDDEN_403, body);
            }
            return true;
        }
        if (!request.getMethod().equals("POST") || !path.equals(JOIN_PATH) && !path.equals(TOKEN_PATH) && !path.equals(REVOKE_PATH) && !path.equals(RENEW_PATH)) {
            return false;
        }
        try {
            if (path.equals(TOKEN_PATH)) {
                mintToken(request, response, callback);
            }
            else if (path.equals(REVOKE_PATH)) {
                revoke(request, response, callback);
            }
            else if (path.equals(RENEW_PATH)) {
                renew(request, response, callback);
            }
            else {
                join(request, response, callback);
            }
        }
        catch (GlauxException e) {
            if (e.errorCode() == ErrorCode.INVALID_JOIN_TOKEN || e.errorCode() == ErrorCode.ACCESS_DENIED && path.equals(JOIN_PATH)) {
                // an audit trail of refused joins; the message names the token's id, never its secret
                LOG.warn("Refused a join from {}: {}", Request.getRemoteAddr(request), e.getMessage());
            }
            int status = e.errorCode() == ErrorCode.INVALID_JOIN_TOKEN || e.errorCode() == ErrorCode.ACCESS_DENIED ? HttpStatus.FORBIDDEN_403
                    : e.errorCode().category() == io.glaux.spi.error.ErrorCategory.USER_ERROR ? HttpStatus.BAD_REQUEST_400
                    : HttpStatus.SERVICE_UNAVAILABLE_503;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errorName", e.errorCode().name());
            body.put("errorCode", e.errorCode().code());
            body.put("message", e.getMessage());
            json(response, callback, status, body);
        }
        return true;
    }

    private void mintToken(Request request, Response response, Callback callback)
            throws IOException
    {
        Optional<AuthenticatedUser> user = SecurityHandler.user(request);
        if (user.isEmpty() || !user.get().admin()) {
            throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: only admins (http-server.authentication.admin-users) may mint join tokens");
        }
        Fields query = Request.extractQueryParameters(request);
        Duration validity = Duration.ofHours(1);
        String validityText = query.getValue("validity");
        if (validityText != null) {
            try {
                validity = SessionProperties.parseDuration(validityText);
            }
            catch (IllegalArgumentException e) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid validity '" + validityText + "': " + e.getMessage());
            }
        }
        int uses = 1;
        String usesText = query.getValue("uses");
        if (usesText != null) {
            try {
                uses = Integer.parseInt(usesText);
            }
            catch (NumberFormatException e) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid uses '" + usesText + "': expected an integer");
            }
        }
        Optional<String> node = Optional.ofNullable(query.getValue("node")).filter(value -> !value.isBlank());
        if (node.isPresent() && !TlsMaterial.isValidNodeName(node.get())) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid node id '" + node.get() + "'");
        }
        JoinTokens.Minted minted = tokens.mint(validity, uses, node);
        LOG.info("User {} minted join token {}", user.get().name(), minted);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", minted.token());
        body.put("id", minted.id());
        body.put("expires", minted.expires().toString());
        body.put("uses", minted.uses());
        minted.nodeId().ifPresent(id -> body.put("nodeId", id));
        json(response, callback, HttpStatus.OK_200, body);
    }

    /**
     * {@code GET /v1/node/identities} (admins only): every node the coordinator knows, by id, with its
     * state ({@code active}, {@code failed}, {@code gone} for a joined node not announcing, {@code revoked}),
     * its Flight address, and for joined nodes the serial and host names of their certificate; then the
     * revoked certificate serials.
     */
    private void identities(Request request, Response response, Callback callback)
            throws IOException
    {
        Optional<AuthenticatedUser> user = SecurityHandler.user(request);
        if (user.isEmpty() || !user.get().admin()) {
            throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: only admins (http-server.authentication.admin-users) may list node identities");
        }
        Map<String, Map<String, Object>> nodes = new java.util.TreeMap<>();
        java.util.Set<String> active = new java.util.HashSet<>();
        nodeManager.activeWorkers().forEach(node -> active.add(node.nodeId()));
        java.util.Set<String> live = new java.util.HashSet<>(nodeManager.liveWorkerIds());
        for (NodeManager.WorkerNode node : nodeManager.allWorkers()) {
            Map<String, Object> entry = nodes.computeIfAbsent(node.nodeId(), NodeJoinHandler::entry);
            entry.put("state", active.contains(node.nodeId()) ? "active" : live.contains(node.nodeId()) ? "failed" : "gone");
            entry.put("flightUri", node.flightUri().toString());
        }
        joinedNodes.snapshot().forEach((id, joined) -> {
            Map<String, Object> entry = nodes.computeIfAbsent(id, NodeJoinHandler::entry);
            entry.put("serial", joined.serial());
            entry.put("hostNames", joined.hostNames());
        });
        revocations.list().snapshot().nodes().forEach((id, at) -> {
            Map<String, Object> entry = nodes.computeIfAbsent(id, NodeJoinHandler::entry);
            entry.put("state", "revoked");
            entry.put("revokedAt", at.toString());
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodes", List.copyOf(nodes.values()));
        body.put("revokedSerials", new java.util.TreeSet<>(revocations.list().snapshot().serials()));
        json(response, callback, HttpStatus.OK_200, body);
    }

    private static Map<String, Object> entry(String nodeId)
    {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("nodeId", nodeId);
        entry.put("state", "gone");
        return entry;
    }

    /** {@code POST /v1/node/revoke?node=worker-3} or {@code ?serial=1f2e...} (admins only). */
    private void revoke(Request request, Response response, Callback callback)
            throws IOException
    {
        Optional<AuthenticatedUser> user = SecurityHandler.user(request);
        if (user.isEmpty() || !user.get().admin()) {
            throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: only admins (http-server.authentication.admin-users) may revoke nodes");
        }
        Fields query = Request.extractQueryParameters(request);
        String node = query.getValue("node");
        String serial = query.getValue("serial");
        if ((node == null) == (serial == null)) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Revoke a node with ?node=<node id> or one certificate with ?serial=<hex serial number>");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (node != null) {
            java.time.Instant at = revocations.revokeNode(node);
            // the id stays revoked: it cannot join again, and its record no longer matters
            joinedNodes.remove(node);
            onRevokedNode.accept(node);
            LOG.warn("User {} revoked node {} (every certificate of it issued until {})", user.get().name(), node, at);
            body.put("nodeId", node);
            body.put("revokedAt", at.toString());
        }
        else {
            String revoked = revocations.revokeSerial(serial);
            LOG.warn("User {} revoked the node certificate with serial {}", user.get().name(), revoked);
            joinedNodes.snapshot().forEach((id, joined) -> {
                if (joined.serial().equals(revoked)) {
                    onRevokedNode.accept(id);
                }
            });
            body.put("serial", revoked);
        }
        json(response, callback, HttpStatus.OK_200, body);
    }

    /**
     * {@code POST /v1/node/renew} with {@code {"hostNames", "csr"}}, authenticated by the node's current
     * certificate (mutual TLS; not revoked): a new certificate for the same node id, for the key in the
     * request (it may be a new one).
     */
    private void renew(Request request, Response response, Callback callback)
            throws IOException
    {
        java.security.cert.X509Certificate current = SecurityHandler.peerCertificate(request).orElseThrow(() ->
                new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: renewing a node certificate needs the node's current certificate (mutual TLS)"));
        String nodeId = io.glaux.engine.exchange.RevocationList.nodeId(current).orElse("");
        if (!TlsMaterial.isValidNodeName(nodeId) || nodeId.equals("coordinator")) {
            throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: the client certificate names no worker node");
        }
        Optional<String> revoked = revocations.list().revocation(current);
        if (revoked.isPresent()) {
            throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: the certificate of node " + nodeId + " is revoked: " + revoked.get());
        }
        JsonNode body = readBody(request);
        List<String> hostNames = hostNames(body, nodeId);
        requireCaKey();
        String csr = body.path("csr").asText("");
        String keyPin = TlsMaterial.requestKeyPin(nodeId, csr);
        String chain;
        synchronized (joinedNodes) {
            joinedNodes.admitRenewal(nodeId, hostNames, liveNodes.get());
            chain = TlsMaterial.issueForRequest(tlsDir, nodeId, hostNames, csr, certificateValidity);
            joinedNodes.record(nodeId, new JoinedNodes.Joined(keyPin, hostNames, serialOf(chain)));
        }
        LOG.info("Renewed the certificate of node {} (host names {}; it was serial {})", nodeId, hostNames, current.getSerialNumber().toString(16));
        json(response, callback, HttpStatus.OK_200, Map.of("certificateChain", chain));
    }

    private void join(Request request, Response response, Callback callback)
            throws IOException
    {
        JsonNode body = readBody(request);
        String nodeId = body.path("nodeId").asText("");
        if (!TlsMaterial.isValidNodeName(nodeId) || nodeId.equals("coordinator")) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid node id '" + nodeId.replaceAll("[^A-Za-z0-9._-]", "?") + "'");
        }
        List<String> hostNames = hostNames(body, nodeId);
        requireCaKey();
        String csr = body.path("csr").asText("");
        // check the request before using the token up, so that a malformed request does not waste it
        if (!csr.contains("-----BEGIN CERTIFICATE REQUEST-----")) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "The join request of node " + nodeId + " has no PEM certificate request (csr)");
        }
        String chain;
        // one join at a time: two joins for one node id cannot both pass the identity check
        synchronized (joinedNodes) {
            // the token is checked first, so that a refused identity tells nothing to whoever holds no valid token,
            // and only then used up, so that a join refused for its identity does not waste it
            tokens.check(body.path("token").asText(null), nodeId);
            String keyPin = TlsMaterial.requestKeyPin(nodeId, csr);
            Optional<java.time.Instant> revokedAt = revocations.revokedAt(nodeId);
            if (revokedAt.isPresent()) {
                throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: node " + nodeId + " was revoked at " + revokedAt.get()
                        + ": it cannot join again (give the replacement another node id)");
            }
            Optional<JoinedNodes.Joined> previous = joinedNodes.get(nodeId);
            if (previous.isPresent() && previous.get().keyPin().equals(keyPin) && revocations.list().snapshot().serials().contains(previous.get().serial())) {
                throw new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: the certificate of node " + nodeId + " for this key was revoked: "
                        + "a revoked key cannot join again");
            }
            joinedNodes.admit(nodeId, keyPin, hostNames, liveNodes.get());
            tokens.redeem(body.path("token").asText(null), nodeId);
            chain = TlsMaterial.issueForRequest(tlsDir, nodeId, hostNames, csr, certificateValidity);
            joinedNodes.record(nodeId, new JoinedNodes.Joined(keyPin, hostNames, serialOf(chain)));
        }
        LOG.info("Issued a certificate to node {} (host names {}) for a join token", nodeId, hostNames);
        json(response, callback, HttpStatus.OK_200, Map.of("certificateChain", chain));
    }

    private static JsonNode readBody(Request request)
            throws IOException
    {
        long length = request.getLength();
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A join request needs a JSON body of at most " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return MAPPER.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A join request needs a JSON body {\"token\", \"nodeId\", \"hostNames\", \"csr\"}");
        }
    }

    private static List<String> hostNames(JsonNode body, String nodeId)
    {
        List<String> hostNames = new ArrayList<>();
        for (JsonNode host : body.path("hostNames")) {
            String name = host.asText("");
            if (!HOST_NAME.matcher(name).matches() || hostNames.size() >= MAX_HOST_NAMES) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid host names in the join request of node " + nodeId + " (at most "
                        + MAX_HOST_NAMES + " DNS names or IP addresses)");
            }
            hostNames.add(name);
        }
        return hostNames;
    }

    private void requireCaKey()
    {
        if (!TlsMaterial.holdsCaKey(tlsDir)) {
            throw new GlauxException(ErrorCode.SERVER_STARTING_UP, "This coordinator does not hold the cluster CA key (" + tlsDir.resolve("ca-key.pem")
                    + "): give workers certificates from files instead of join tokens");
        }
    }

    /** The serial number (hex) of the first certificate of a PEM chain. */
    static String serialOf(String pemChain)
    {
        try {
            java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
            java.security.cert.X509Certificate certificate = (java.security.cert.X509Certificate) factory.generateCertificate(
                    new java.io.ByteArrayInputStream(pemChain.getBytes(StandardCharsets.US_ASCII)));
            return certificate.getSerialNumber().toString(16);
        }
        catch (java.security.cert.CertificateException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot read the certificate just issued: " + e.getMessage(), e);
        }
    }

    private static void json(Response response, Callback callback, int status, Object body)
            throws IOException
    {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(MAPPER.writeValueAsBytes(body)), callback);
    }
}
