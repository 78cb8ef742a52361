package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

/**
 * Who made an HTTP request, as {@link SecurityHandler} established it. Every handler behind it finds
 * this in the request attribute {@value #ATTRIBUTE} (the one seam the protocol, the console and the
 * query history read the user from); the {@code X-Trino-User} header is also set to {@link #name()}.
 *
 * @param authenticated false when the request came without credentials and anonymous access is allowed
 *        (the name is then the client-supplied {@code X-Trino-User}, or "anonymous")
 * @param admin may see and cancel every user's queries
 */
public record AuthenticatedUser(String name, boolean authenticated, boolean admin)
{
    public static final String ATTRIBUTE = "glaux.user";

    public AuthenticatedUser
    {
        requireNonNull(name, "name is null");
    }

    /** Whether this user may see the SQL of, or cancel, a query run by {@code owner}. */
    public boolean mayAccessQueryOf(String owner)
    {
        return admin || name.equals(owner);
    }
}
