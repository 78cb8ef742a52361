package io.glaux.spi.error;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The one exception type for failures a user sees. It carries a stable {@link ErrorCode} and, for
 * errors that come from SQL text, the 1-based position in that text. The message must name what is
 * involved (table, column, object key, byte offset, worker) and never contain secrets.
 */
public class GlauxException
        extends RuntimeException
{
    private final ErrorCode errorCode;
    private final ErrorLocation location;

    public GlauxException(ErrorCode errorCode, String message)
    {
        this(errorCode, null, message, null);
    }

    public GlauxException(ErrorCode errorCode, String message, Throwable cause)
    {
        this(errorCode, null, message, cause);
    }

    public GlauxException(ErrorCode errorCode, ErrorLocation location, String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.location = location;
    }

    public ErrorCode errorCode()
    {
        return errorCode;
    }

    public Optional<ErrorLocation> location()
    {
        return Optional.ofNullable(location);
    }

    /** The raw message, without the {@code line L:C: } prefix. */
    public String rawMessage()
    {
        return super.getMessage();
    }

    /** {@code line L:C: message} when the error has a position in the SQL text, else the message. */
    @Override
    public String getMessage()
    {
        if (location == null) {
            return super.getMessage();
        }
        return "line " + location.line() + ":" + location.column() + ": " + super.getMessage();
    }
}
