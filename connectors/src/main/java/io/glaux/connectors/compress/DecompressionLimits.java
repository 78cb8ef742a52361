package io.glaux.connectors.compress;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps on decompression, against decompression bombs: {@code scan.max-decompression-ratio} (default
 * {@value #DEFAULT_MAX_RATIO}) bounds the decompressed bytes by that many times the compressed bytes,
 * plus {@value #SLACK_BYTES} bytes so small, very compressible pieces pass; {@code scan.max-decompressed-size}
 * (default unlimited) bounds the decompressed bytes of one compressed text object outright.
 *
 * <p>They apply to each Parquet page (its header's uncompressed size, checked before anything is
 * allocated) and to each compressed text object as it is read ({@link #limit}). The worker sets the
 * process-wide values from its configuration ({@link #configure}).
 */
public record DecompressionLimits(long maxRatio, long maxDecompressedBytes)
{
    public static final String MAX_RATIO_KEY = "scan.max-decompression-ratio";
    public static final String MAX_SIZE_KEY = "scan.max-decompressed-size";
    public static final long DEFAULT_MAX_RATIO = 1000;
    public static final long SLACK_BYTES = 8L << 20;

    private static volatile DecompressionLimits current = new DecompressionLimits(DEFAULT_MAX_RATIO, Long.MAX_VALUE);

    public DecompressionLimits
    {
        if (maxRatio < 1) {
            throw new IllegalArgumentException(MAX_RATIO_KEY + " must be at least 1: " + maxRatio);
        }
        if (maxDecompressedBytes < 1) {
            throw new IllegalArgumentException(MAX_SIZE_KEY + " must be positive: " + maxDecompressedBytes);
        }
    }

    public static DecompressionLimits current()
    {
        return current;
    }

    /** Sets the limits of this process (the worker does, from its configuration). */
    public static void configure(DecompressionLimits limits)
    {
        current = requireNonNull(limits, "limits is null");
    }

    /** The most bytes {@code compressedBytes} may decompress to. */
    public long allowed(long compressedBytes)
    {
        long byRatio = compressedBytes > (Long.MAX_VALUE - SLACK_BYTES) / maxRatio ? Long.MAX_VALUE : compressedBytes * maxRatio + SLACK_BYTES;
        return Math.min(byRatio, maxDecompressedBytes);
    }

    /**
     * Why a Parquet page of {@code compressedSize} bytes may not claim {@code uncompressedSize}, or null
     * when it may.
     */
    public String checkPage(long compressedSize, long uncompressedSize)
    {
        if (uncompressedSize <= allowed(compressedSize)) {
            return null;
        }
        return "%d compressed bytes claim %d uncompressed, more than %s = %d allows (%d bytes)".formatted(
                compressedSize, uncompressedSize, MAX_RATIO_KEY, maxRatio, allowed(compressedSize));
    }

    /**
     * The decompressed stream {@code decompressed}, failing with {@link ErrorCode#EXCEEDED_DECOMPRESSION_LIMIT}
     * (naming {@code object} and how far into it) once it yields more than {@link #allowed} of the bytes
     * read so far from {@code compressed}, the counted stream under it.
     */
    public InputStream limit(InputStream decompressed, CountingInputStream compressed, String object)
    {
        requireNonNull(decompressed, "decompressed is null");
        requireNonNull(compressed, "compressed is null");
        requireNonNull(object, "object is null");
        return new FilterInputStream(decompressed)
        {
            private long produced;

            @Override
            public int read()
                    throws IOException
            {
                int value = super.read();
                if (value >= 0) {
                    check(1);
                }
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length)
                    throws IOException
            {
                int count = super.read(buffer, offset, length);
                if (count > 0) {
                    check(count);
                }
                return count;
            }

            private void check(int count)
            {
                produced += count;
                long read = compressed.count();
                if (produced > allowed(read)) {
                    throw new GlauxException(ErrorCode.EXCEEDED_DECOMPRESSION_LIMIT,
                            "Decompressing %s: %d compressed bytes (to offset %d of the object) decompressed to more than %d bytes, more than %s allows (%s = %d, %s = %s): a decompression bomb?"
                                    .formatted(object, read, read, produced - count, produced > maxDecompressedBytes ? MAX_SIZE_KEY : MAX_RATIO_KEY,
                                            MAX_RATIO_KEY, maxRatio, MAX_SIZE_KEY, maxDecompressedBytes == Long.MAX_VALUE ? "unlimited" : String.valueOf(maxDecompressedBytes)));
                }
            }
        };
    }

    /** Counts the bytes read through it. */
    public static final class CountingInputStream
            extends FilterInputStream
    {
        private long count;

        public CountingInputStream(InputStream in)
        {
            super(requireNonNull(in, "in is null"));
        }

        public long count()
        {
            return count;
        }

        @Override
        public int read()
                throws IOException
        {
            int value = super.read();
            if (value >= 0) {
                count++;
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count += read;
            }
            return read;
        }

        @Override
        public long skip(long n)
                throws IOException
        {
            long skipped = super.skip(n);
            count += Math.max(0, skipped);
            return skipped;
        }

        @Override
        public boolean markSupported()
        {
            return false;
        }
    }
}
