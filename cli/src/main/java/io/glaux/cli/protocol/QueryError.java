package io.glaux.cli.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failed statement's error: the message, Trino-style error code/name/type
 * ({@code USER_ERROR}, {@code INTERNAL_ERROR}, ...), the position in the statement text when the
 * error is about the SQL, and the server's failure details (kept as a tree, shown with --debug).
 */
public record QueryError(
        String message,
        String sqlState,
        int errorCode,
        String errorName,
        String errorType,
        ErrorLocation errorLocation,
        JsonNode failureInfo)
{
}
