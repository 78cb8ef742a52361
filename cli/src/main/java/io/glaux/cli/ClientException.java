package io.glaux.cli;

/**
 * A statement could not be run because talking to the coordinator failed: connection refused, a TLS
 * handshake failure, an HTTP status outside the protocol, or a response that is not protocol JSON.
 * (A statement the coordinator ran and reported as failed is not an exception: see
 * {@link StatementClient#error()}.) The message is meant for the user.
 */
public final class ClientException
        extends RuntimeException
{
    public ClientException(String message)
    {
        super(message);
    }

    public ClientException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
