package io.glaux.connectors.compress;

import static java.util.Objects.requireNonNull;

import io.airlift.compress.lz4.Lz4HadoopStreams;
import io.airlift.compress.snappy.SnappyFramedInputStream;
import io.airlift.compress.snappy.SnappyHadoopStreams;
import io.airlift.compress.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * How a text object is compressed, from its file name's extension, as Hadoop's
 * {@code CompressionCodecFactory} (and so Hive and Athena) decide it. Every codec is pure Java:
 *
 * <ul>
 *   <li>{@code .gz}: gzip ({@link GZIPInputStream}); concatenated members (as {@code cat a.gz b.gz}
 *       or multi-member writers produce) are all read.</li>
 *   <li>{@code .bz2}: bzip2 (Commons Compress), concatenated streams read.</li>
 *   <li>{@code .zst}: Zstandard frames (aircompressor), concatenated frames read.</li>
 *   <li>{@code .lz4}: Hadoop's LZ4 block stream ({@code Lz4Codec}, aircompressor).</li>
 *   <li>{@code .snappy}: Hadoop's Snappy block stream ({@code SnappyCodec}, aircompressor); the
 *       Snappy framing format (stream identifier {@code sNaPpY}) is recognized too.</li>
 *   <li>{@code .deflate}: zlib ({@code DefaultCodec}, {@link InflaterInputStream}).</li>
 * </ul>
 *
 * Uncompressed and bzip2 objects can be split by byte range (bzip2 at its blocks, see
 * {@link Bzip2RangeInputStream}); the others are read whole.
 */
public enum CompressionKind
{
    NONE(""),
    GZIP(".gz"),
    BZIP2(".bz2"),
    ZSTD(".zst"),
    LZ4(".lz4"),
    SNAPPY(".snappy"),
    DEFLATE(".deflate");

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final byte[] SNAPPY_FRAMED_MAGIC = {(byte) 0xff, 0x06, 0x00, 0x00, 's', 'N', 'a', 'P', 'p', 'Y'};

    private final String extension;

    CompressionKind(String extension)
    {
        this.extension = extension;
    }

    /** The file name extension, with the dot; empty for {@link #NONE}. */
    public String extension()
    {
        return extension;
    }

    /** Whether an object compressed this way can be read from a byte offset other than 0. */
    public boolean isSplittable()
    {
        return this == NONE || this == BZIP2;
    }

    /** The compression of an object, from its key's extension (case-insensitive); {@link #NONE} when none matches. */
    public static CompressionKind fromKey(String key)
    {
        requireNonNull(key, "key is null");
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1).toLowerCase(Locale.ROOT);
        for (CompressionKind kind : values()) {
            if (kind != NONE && name.endsWith(kind.extension) && name.length() > kind.extension.length()) {
                return kind;
            }
        }
        return NONE;
    }

    /** Wraps {@code compressed} in a stream of the decompressed bytes; the caller closes the result. */
    public InputStream open(InputStream compressed)
            throws IOException
    {
        requireNonNull(compressed, "compressed is null");
        return decompress(compressed);
    }

    /**
     * Wraps {@code compressed} (the object {@code object}) in a stream of the decompressed bytes that
     * fails with {@code EXCEEDED_DECOMPRESSION_LIMIT} naming the object once it exceeds {@code limits}
     * (a decompression bomb); the caller closes the result.
     */
    public InputStream open(InputStream compressed, String object, DecompressionLimits limits)
            throws IOException
    {
        requireNonNull(compressed, "compressed is null");
        if (this == NONE) {
            return compressed;
        }
        DecompressionLimits.CountingInputStream counted = new DecompressionLimits.CountingInputStream(compressed);
        return limits.limit(decompress(counted), counted, object);
    }

    private InputStream decompress(InputStream compressed)
            throws IOException
    {
        return switch (this) {
            case NONE -> compressed;
            case GZIP -> new GZIPInputStream(compressed, BUFFER_SIZE);
            case BZIP2 -> new BZip2CompressorInputStream(new BufferedInputStream(compressed, BUFFER_SIZE), true);
            case ZSTD -> new ZstdInputStream(compressed);
            case LZ4 -> new Lz4HadoopStreams().createInputStream(compressed);
            case SNAPPY -> openSnappy(compressed);
            case DEFLATE -> new InflaterInputStream(compressed, new Inflater(), BUFFER_SIZE)
            {
                @Override
                public void close()
                        throws IOException
                {
                    try {
                        super.close();
                    }
                    finally {
                        // an Inflater passed in is not ended by InflaterInputStream itself
                        inf.end();
                    }
                }
            };
        };
    }

    private static InputStream openSnappy(InputStream compressed)
            throws IOException
    {
        BufferedInputStream in = new BufferedInputStream(compressed, BUFFER_SIZE);
        in.mark(SNAPPY_FRAMED_MAGIC.length);
        byte[] head = in.readNBytes(SNAPPY_FRAMED_MAGIC.length);
        in.reset();
        if (Arrays.equals(head, SNAPPY_FRAMED_MAGIC)) {
            return new SnappyFramedInputStream(in, true);
        }
        return new SnappyHadoopStreams().createInputStream(in);
    }
}
