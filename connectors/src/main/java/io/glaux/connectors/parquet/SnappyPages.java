package io.glaux.connectors.parquet;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.Arrays;

/**
 * Decompresses Snappy pages: with the native Snappy library of snappy-java (JNI, about 1.5 times as
 * fast as pure Java on the many short copies of PLAIN-encoded numbers, where Snappy decoding was a
 * quarter of the CPU of a TPC-H scan) when it loads on this platform, else with aircompressor's pure
 * Java decoder. The native path checks the page's declared size against the target before it writes
 * (the native decoder itself only bounds its writes by that declared size). Stateless; thread-safe.
 */
final class SnappyPages
{
    /** {@code -Dglaux.parquet.native-snappy=false} keeps the pure Java decoder. */
    static final String NATIVE_PROPERTY = "glaux.parquet.native-snappy";
    private static final boolean NATIVE = loadNative();

    private SnappyPages() {}

    /** Whether the native decoder is in use. */
    static boolean nativeDecoder()
    {
        return NATIVE;
    }

    /**
     * Decompresses {@code input[offset, offset + length)} into {@code target[0, expected)}; the page
     * must decompress to exactly {@code expected} bytes ({@code target.length >= expected}).
     *
     * @throws IllegalArgumentException for a corrupt page (naming its offset)
     */
    static void decompress(byte[] input, int offset, int length, byte[] target, int expected)
    {
        if (expected > target.length) {
            throw new IllegalArgumentException("a Snappy page of %d bytes for a buffer of %d".formatted(expected, target.length));
        }
        int size;
        if (NATIVE) {
            try {
                int declared = Snappy.uncompressedLength(input, offset, length);
                if (declared != expected) {
                    throw new IllegalArgumentException("a Snappy page at offset %d declares %d bytes, %d expected".formatted(offset, declared, expected));
                }
                size = Snappy.uncompress(input, offset, length, target, 0);
            }
            catch (IOException e) {
                throw new IllegalArgumentException("corrupt Snappy page at offset %d: %s".formatted(offset, e.getMessage()), e);
            }
        }
        else {
            try {
                size = new SnappyDecompressor().decompress(input, offset, length, target, 0, expected);
            }
            catch (MalformedInputException e) {
                throw new IllegalArgumentException("corrupt Snappy page at offset %d: %s".formatted(offset, e.getMessage()), e);
            }
        }
        if (size != expected) {
            throw new IllegalArgumentException("a Snappy page at offset %d decompressed to %d bytes, %d expected".formatted(offset, size, expected));
        }
    }

    /** Loads the native library and checks it on a round trip; false (pure Java) if anything fails. */
    private static boolean loadNative()
    {
        if ("false".equalsIgnoreCase(System.getProperty(NATIVE_PROPERTY, "true").strip())) {
            return false;
        }
        try {
            byte[] sample = new byte[4096];
            for (int i = 0; i < sample.length; i++) {
                sample[i] = (byte) (i * 31 % 7 + i / 512);
            }
            SnappyCompressor compressor = new SnappyCompressor();
            byte[] compressed = new byte[compressor.maxCompressedLength(sample.length)];
            int length = compressor.compress(sample, 0, sample.length, compressed, 0, compressed.length);
            byte[] back = new byte[sample.length];
            int size = Snappy.uncompress(compressed, 0, length, back, 0);
            return size == sample.length && Arrays.equals(sample, back);
        }
        catch (Throwable e) {
            // no native library for this platform, or it cannot be extracted and loaded (SnappyError, UnsatisfiedLinkError)
            return false;
        }
    }
}
