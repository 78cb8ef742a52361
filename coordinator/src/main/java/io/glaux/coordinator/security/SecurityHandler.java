package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Guards every request to the coordinator before the protocol handler sees it:
 * <ul>
 *   <li>{@code PUT /v1/announcement/*} needs a client certificate that the TLS handshake verified
 *       against the cluster CA (nodes present theirs); otherwise 403.</li>
 *   <li>Everything else but {@code GET /v1/info} needs credentials: {@code Authorization: Basic} checked
 *       against the password file, or {@code Authorization: Bearer} checked as a JWT, as the Trino JDBC
 *       driver ({@code user}/{@code password}, {@code accessToken}) and CLI ({@code --password},
 *       {@code --access-token}) send them. Without credentials the request is refused with 401 and one
 *       {@code WWW-Authenticate} per method, unless anonymous access is configured.</li>
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

    private final AuthenticationConfig config;
    private final Function<String, Optional<String>> queryOwner;

    /**
     * @param queryOwner the user who submitted the query with this id, if it exists
     */
    public SecurityHandler(AuthenticationConfig config, Function<String, Optional<String>> queryOwner, Handler handler)
    {
        super(handler);
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
            if (!hasClusterCertificate(request)) {
                plain(response, callback, HttpStatus.FORBIDDEN_403,
                        "Announcements need a client certificate issued by the cluster CA");
                return true;
            }
            return super.handle(request, response, callback);
        }
        if (path.equals("/v1/info") && method.equals("GET")) {
            return super.handle(request, response, callback);
        }

        AuthenticatedUser user;
        try {
            user = authenticate(request);
        }
        catch (AuthenticationException e) {
            unauthorized(response, callback, e.getMessage());
            return true;
        }
        if (user == null) {
            unauthorized(response, callback, "Unauthorized");
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
        if (!config.allowAnonymous()) {
            return null;
        }
        String name = Optional.ofNullable(request.getHeaders().get("X-Trino-User")).filter(value -> !value.isBlank()).orElse("anonymous");
        return new AuthenticatedUser(name, false, config.adminUsers().contains(name) || config.passwords().isEmpty() && config.jwt().isEmpty());
    }

    private static boolean hasClusterCertificate(Request request)
    {
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        if (ssl == null) {
            return false;
        }
        X509Certificate[] chain = ssl.peerCertificates();
        // the handshake already verified the chain against the cluster CA (the connector's trust store)
        return chain != null && chain.length > 0;
    }

    private void unauthorized(Response response, Callback callback, String message)
    {
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
