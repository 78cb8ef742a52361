package io.glaux.coordinator.console;

import org.eclipse.jetty.server.Request;

import java.util.Optional;

/**
 * Who sends a console API request. The seam where authentication plugs in: today
 * {@link #fromUserHeader(String)} takes the user from {@code X-Trino-User}, as the protocol does; an
 * authenticator that checks passwords or tokens answers empty for a request it does not accept,
 * the API then answers 401 and the console shows its login page.
 */
public interface ConsoleAuthenticator
{
    /** The authenticated user of the request, or empty when it is not authenticated. */
    Optional<String> user(Request request);

    /** How a user signs in, as the console's login page needs it: {@code none}, {@code password} or {@code token}. */
    String method();

    /**
     * The user from {@code X-Trino-User}, which the security handler in front has already replaced with
     * the authenticated user when authentication is configured.
     *
     * @param method how the coordinator authenticates users, for the console's login page
     */
    static ConsoleAuthenticator fromUserHeader(String method)
    {
        return new ConsoleAuthenticator()
        {
            @Override
            public Optional<String> user(Request request)
            {
                String user = request.getHeaders().get("X-Trino-User");
                return Optional.of(user == null || user.isBlank() ? "anonymous" : user.strip());
            }

            @Override
            public String method()
            {
                return method;
            }
        };
    }
}
