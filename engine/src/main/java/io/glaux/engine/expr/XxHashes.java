package io.glaux.engine.expr;

/**
 * The 64-bit xxHash (seed 0) that Trino's types hash values with ({@code XX_HASH_64}): of a long as of
 * its 8 little-endian bytes, and of a byte range. What {@code xxhash64} computes, for other packages
 * (the {@code checksum} aggregate).
 */
public final class XxHashes
{
    private XxHashes() {}

    public static long hash(long value)
    {
        return BinaryFunctions.XxHash64.hash(value);
    }

    public static long hash(byte[] bytes, int from, int to)
    {
        return BinaryFunctions.XxHash64.hash(bytes, from, to);
    }
}
