package io.glaux.spi.error;

/** A 1-based line and column in the SQL text. */
public record ErrorLocation(int line, int column)
{
    public ErrorLocation
    {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
        }
    }
}
