package io.glaux.coordinator.security;

/** Credentials were sent but are not valid; the message is safe to return to the client. */
public final class AuthenticationException
        extends Exception
{
    public AuthenticationException(String message)
    {
        super(message);
    }
}
