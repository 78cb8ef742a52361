package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.engine.exchange.RevocationList;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Guards every request to the coordinator before the protocol handler sees it:
 * <ul>
 *   <li>{@code PUT/DELETE /v1/announcement/{id}} needs a client certificate that the TLS handshake
 *       verified against the cluster CA (nodes present theirs) and whose CN is {@code id}: a node
 *       announces only itself; otherwise 403.</li>
 *   <li>{@code POST /v1/node/join} needs no credentials: its join token is one
 *       ({@link io.glaux.coordinator.node.NodeJoinHandler}).</li>
 *   <li>Everything else but {@code GET /v1/info} needs credentials: {@code Authorization: Basic} checked
 *       against the password file, or {@code Authorization: Bearer} checked as a JWT, as the Trino JDBC
 *       driver ({@code user}/{@code password}, {@code accessToken}) and CLI ({@code --password},
 *       {@code --access-token}) send them. Without credentials the request is refused with 401 and one
 *       {@code WWW-Authenticate} per method, unless anonymous access is configured.</li>
 *   <li>The web console's page and assets ({@code GET /ui/*}) need none: they hold no data, and the
 *       console signs in with {@code POST /v1/console/login} (user and password as JSON), which sets
 *       a signed session cookie ({@link ConsoleSessions}) that counts as credentials from then on;
 *       {@code POST /v1/console/logout} clears it. A console request without credentials gets a JSON
 *       401 naming the sign-in method and no challenge, so the browser shows the console's login
 *       page rather than its own dialog.</li>
 *   <li>The established {@link AuthenticatedUser} is put in the request attribute
 *       {@value AuthenticatedUser#ATTRIBUTE}, and {@code X-Trino-User} is replaced by its name so every
 *       query records the authenticated user.</li>
 *   <li>Getting results of, or cancelling, another user's query is 403 unless the user is an admin.</li>
 * </ul>
 */
public final class SecurityHandler
        extends Handler.Wrapper
{
    private static final String EXECUTING = "/v1/statement/executing/";
    private static final String ANNOUNCEMENT = "/v1/announcement/";
    private static final String JOIN = "/v1/node/join";
    private static final String RENEW = "/v1/node/renew";
    private static final String CONSOLE_API = "/v1/console/";
    private static final int MAX_LOGIN_BODY_BYTES = 16 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AuthenticationConfig config;
    private final Function<String, Optional<String>> queryOwner;
    private final RevocationList revocations;
    private final ConsoleSessions consoleSessions = new ConsoleSessions(Clock.systemUTC());

    /**
     * @param queryOwner the user who submitted the query with this id, if it exists
     */
    public SecurityHandler(AuthenticationConfig config, Function<String, Optional<String>> queryOwner, Handler handler)
    {
        this(config, queryOwner, new RevocationList(), handler);
    }

    /**
     * @param queryOwner the user who submitted the query with this id, if it exists
     * @param revocations the revoked node certificates: their announcements are refused
     */
    public SecurityHandler(AuthenticationConfig config, Function<String, Optional<String>> queryOwner, RevocationList revocations, Handler handler)
    {
        super(handler);
        this.revocations = requireNonNull(revocations, "revocations is null");
        this.config = requireNonNull(config, "config is null");
        this.queryOwner = requireNonNull(queryOwner, "queryOwner is null");
    }

    /** The user of a request that passed this handler. */
    public static Optional<AuthenticatedUser> user(Request request)
    {
        return Optional.ofNullable((AuthenticatedUser) request.getAttribute(AuthenticatedUser.ATTRIBUTE));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback)
            throws Exception
    {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.startsWith("/v1/announcement")) {
            Optional<String> certifiedNode = certifiedNode(request);
            if (certifiedNode.isEmpty()) {
                plain(response, callback, HttpStatus.FORBIDDEN_403,
                        "Announcements need a client certificate issued by the cluster CA");
                return true;
            }
            // checked on every request: a kept-alive or resumed TLS session does not verify the certificate again
            Optional<String> revoked = peerCertificate(request).flatMap(revocations::revocation);
            if (revoked.isPresent()) {
                plain(response, callback, HttpStatus.FORBIDDEN_403, "The certificate of node " + certifiedNode.get() + " is revoked: " + revoked.get());
                return true;
            }
            // a node announces (and withdraws) only itself: the id in the path is its certificate's CN
            String announced = path.startsWith(ANNOUNCEMENT) ? decode(path.substring(ANNOUNCEMENT.length())) : "";
            if (!announced.equals(certifiedNode.get())) {
                plain(response, callback, HttpStatus.FORBIDDEN_403,
                        "The certificate of node " + certifiedNode.get() + " cannot announce node " + announced.replaceAll("[^A-Za-z0-9._-]", "?"));
                return true;
            }
            return super.handle(request, response, callback);
        }
        if (path.equals(JOIN) && method.equals("POST")) {
            // the join token in the body is the credential (NodeJoinHandler checks it)
            return super.handle(request, response, callback);
        }
        if (path.equals(RENEW) && method.equals("POST")) {
            // the node's current certificate (mutual TLS) is the credential (NodeJoinHandler checks it)
            return super.handle(request, response, callback);
        }
        if (path.equals("/v1/info") && method.equals("GET")
                || (path.equals("/ui") || path.startsWith("/ui/")) && (method.equals("GET") || method.equals("HEAD"))) {
            return super.handle(request, response, callback);
        }
        if (path.equals(CONSOLE_API + "login") && method.equals("POST")) {
            signIn(request, response, callback);
            return true;
        }
        if (path.equals(CONSOLE_API + "logout") && method.equals("POST")) {
            response.getHeaders().add(HttpHeader.SET_COOKIE, ConsoleSessions.signOut());
            response.setStatus(HttpStatus.NO_CONTENT_204);
            callback.succeeded();
            return true;
        }

        AuthenticatedUser user;
        try {
            user = authenticate(request);
        }
        catch (AuthenticationException e) {
            unauthorized(request, response, callback, e.getMessage());
            return true;
        }
        if (user == null) {
            unauthorized(request, response, callback, "Unauthorized");
            return true;
        }

        if (path.startsWith(EXECUTING)) {
            String queryId = path.substring(EXECUTING.length()).split("/", 2)[0];
            Optional<String> owner = queryOwner.apply(queryId);
            if (owner.isPresent() && !user.mayAccessQueryOf(owner.get())) {
                plain(response, callback, HttpStatus.FORBIDDEN_403,
                        "Access Denied: User %s cannot access query %s".formatted(user.name(), queryId));
                return true;
            }
        }

        request.setAttribute(AuthenticatedUser.ATTRIBUTE, user);
        HttpFields.Mutable headers = HttpFields.build(request.getHeaders());
        headers.put("X-Trino-User", user.name());
        HttpFields replaced = headers.asImmutable();
        Request wrapped = new Request.Wrapper(request)
        {
            @Override
            public HttpFields getHeaders()
            {
                return replaced;
            }
        };
        return super.handle(wrapped, response, callback);
    }

    private AuthenticatedUser authenticate(Request request)
            throws AuthenticationException
    {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            int space = authorization.indexOf(' ');
            String scheme = space < 0 ? authorization : authorization.substring(0, space);
            String value = space < 0 ? "" : authorization.substring(space + 1).strip();
            if (scheme.equalsIgnoreCase("Basic") && config.passwords().isPresent()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.ISO_8859_1);
                }
                catch (IllegalArgumentException e) {
                    throw new AuthenticationException("Malformed credentials: invalid base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new AuthenticationException("Malformed credentials: no ':' between user and password");
                }
                String name = config.passwords().get().authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
                return new AuthenticatedUser(name, true, config.adminUsers().contains(name));
            }
            if (scheme.equalsIgnoreCase("Bearer") && config.jwt().isPresent()) {
                String name = config.jwt().get().authenticate(value);
                return new AuthenticatedUser(name, true, config.adminUsers().contains(name));
            }
            if (!config.allowAnonymous()) {
                throw new AuthenticationException("Unsupported authentication scheme: " + scheme.replaceAll("[^A-Za-z0-9_-]", "?"));
            }
        }
        Optional<String> signedIn = consoleCookie(request).flatMap(consoleSessions::user);
        if (signedIn.isPresent()) {
            return new AuthenticatedUser(signedIn.get(), true, config.adminUsers().contains(signedIn.get()));
        }
        if (!config.allowAnonymous()) {
            return null;
        }
        String name = Optional.ofNullable(request.getHeaders().get("X-Trino-User")).filter(value -> !value.isBlank()).orElse("anonymous");
        return new AuthenticatedUser(name, false, config.adminUsers().contains(name) || config.passwords().isEmpty() && config.jwt().isEmpty());
    }

    /** Checks the console's user and password; on success the response signs the browser in. */
    private void signIn(Request request, Response response, Callback callback)
            throws IOException
    {
        if (config.passwords().isEmpty()) {
            consoleJson(response, callback, HttpStatus.NOT_FOUND_404, "Password sign-in is not configured on this coordinator");
            return;
        }
        long length = request.getLength();
        if (length < 0 || length > MAX_LOGIN_BODY_BYTES) {
            consoleJson(response, callback, HttpStatus.BAD_REQUEST_400, "A sign-in needs a JSON body with a length of at most " + MAX_LOGIN_BODY_BYTES + " bytes");
            return;
        }
        JsonNode body;
        try {
            body = MAPPER.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            consoleJson(response, callback, HttpStatus.BAD_REQUEST_400, "A sign-in needs a JSON body {\"user\": ..., \"password\": ...}");
            return;
        }
        String name;
        try {
            name = config.passwords().get().authenticate(body.path("user").asText("").strip(), body.path("password").asText(""));
        }
        catch (AuthenticationException e) {
            consoleJson(response, callback, HttpStatus.UNAUTHORIZED_401, e.getMessage());
            return;
        }
        response.getHeaders().add(HttpHeader.SET_COOKIE, consoleSessions.signIn(name));
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(MAPPER.writeValueAsBytes(java.util.Map.of("user", name))), callback);
    }

    private static Optional<String> consoleCookie(Request request)
    {
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(ConsoleSessions.COOKIE) && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private void consoleJson(Response response, Callback callback, int status, String message)
            throws IOException
    {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        byte[] body = MAPPER.writeValueAsBytes(java.util.Map.of(
                "error", message, "errorName", "UNAUTHENTICATED", "authentication", config.consoleMethod()));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** The client certificate the TLS handshake verified against the cluster CA, if any. */
    public static Optional<X509Certificate> peerCertificate(Request request)
    {
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] chain = ssl == null ? null : ssl.peerCertificates();
        return chain == null || chain.length == 0 ? Optional.empty() : Optional.of(chain[0]);
    }

    /** The node name (the CN) of the client certificate the TLS handshake verified against the cluster CA. */
    private static Optional<String> certifiedNode(Request request)
    {
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        if (ssl == null) {
            return Optional.empty();
        }
        X509Certificate[] chain = ssl.peerCertificates();
        // the handshake already verified the chain against the cluster CA (the connector's trust store)
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        try {
            for (Rdn rdn : new LdapName(chain[0].getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        }
        catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String decode(String value)
    {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return value;
        }
    }

    private void unauthorized(Request request, Response response, Callback callback, String message)
            throws IOException
    {
        if (Request.getPathInContext(request).startsWith(CONSOLE_API)) {
            consoleJson(response, callback, HttpStatus.UNAUTHORIZED_401, message);
            return;
        }
        if (consoleCookie(request).isPresent()) {
            // the console's sign-in ended: no challenge, or the browser would show its own dialog
            plain(response, callback, HttpStatus.UNAUTHORIZED_401, message);
            return;
        }
        List<String> challenges = new ArrayList<>();
        config.passwords().ifPresent(_ -> challenges.add("Basic realm=\"Glaux\""));
        config.jwt().ifPresent(_ -> challenges.add("Bearer realm=\"Glaux\", token_type=\"JWT\""));
        for (String challenge : challenges) {
            response.getHeaders().add(HttpHeader.WWW_AUTHENTICATE, challenge);
        }
        plain(response, callback, HttpStatus.UNAUTHORIZED_401, message);
    }

    private static void plain(Response response, Callback callback, int status, String message)
    {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        // one line, no CR/LF from anything a client sent
        String line = message.replace('\r', ' ').replace('\n', ' ');
        response.write(true, ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
