package io.glaux.coordinator.console;

import org.eclipse.jetty.server.Request;

import java.util.Optional;

/**
 * Who sends a console API request. The seam where authentication plugs in: today
 * {@link #fromUserHeader()} takes the user from {@code X-Trino-User}, as the protocol does; an
 * authenticator that checks passwords or tokens answers empty for a request it does not accept,
 * the API then answers 401 and the console shows its login page.
 */
public interface ConsoleAuthenticator
{
    /** The authenticated user of the request, or empty when it is not authenticated. */
    Optional<String> user(Request request);

    /** How a user signs in, as the console's login page needs it: {@code none} or {@code password}. */
    String method();

    static ConsoleAuthenticator fromUserHeader()
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
                return "none";
            }
        };
    }
}
