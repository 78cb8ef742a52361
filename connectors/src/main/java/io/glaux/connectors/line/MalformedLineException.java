package io.glaux.connectors.line;

/**
 * A line a {@link LineDeserializer} cannot decode. The page source turns it into a {@code BAD_DATA}
 * error naming the object, the line number and the byte offset. Cheap: no stack trace.
 */
public final class MalformedLineException
        extends RuntimeException
{
    public MalformedLineException(String message)
    {
        super(message, null, false, false);
    }

    public MalformedLineException(String message, Throwable cause)
    {
        super(message, cause, false, false);
    }
}
