package io.glaux.connectors.compress;

import io.airlift.compress.lz4.Lz4HadoopStreams;
import io.airlift.compress.snappy.SnappyFramedOutputStream;
import io.airlift.compress.snappy.SnappyHadoopStreams;
import io.airlift.compress.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Writes test data in each compression format, as Hadoop's codecs (or the usual command-line tools) do. */
public final class TestingCompression
{
    private TestingCompression() {}

    /** {@code data} compressed as one stream (one gzip member, one zstd frame, ...). */
    public static byte[] compress(CompressionKind kind, byte[] data)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = open(kind, bytes)) {
            out.write(data);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Each part compressed on its own and the results concatenated ({@code cat a.gz b.gz}). */
    public static byte[] compressConcatenated(CompressionKind kind, byte[]... parts)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(compress(kind, part));
        }
        return bytes.toByteArray();
    }

    /** {@code data} in the Snappy framing format (what {@code python -m snappy -c} writes). */
    public static byte[] snappyFramed(byte[] data)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new SnappyFramedOutputStream(bytes)) {
            out.write(data);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static OutputStream open(CompressionKind kind, OutputStream out)
            throws IOException
    {
        return switch (kind) {
            case NONE -> out;
            case GZIP -> new GZIPOutputStream(out);
            case BZIP2 -> new BZip2CompressorOutputStream(out);
            case ZSTD -> new ZstdOutputStream(out);
            case LZ4 -> new Lz4HadoopStreams().createOutputStream(out);
            case SNAPPY -> new SnappyHadoopStreams().createOutputStream(out);
            case DEFLATE -> new DeflaterOutputStream(out);
        };
    }
}
