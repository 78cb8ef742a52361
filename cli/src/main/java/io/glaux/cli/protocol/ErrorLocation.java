package io.glaux.cli.protocol;

/** A 1-based line and column in the statement text sent to the server. */
public record ErrorLocation(int lineNumber, int columnNumber)
{
}
