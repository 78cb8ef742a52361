package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.compress.DecompressionLimits;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.brotli.dec.BrotliInputStream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/**
 * The decompressors of the Parquet reader: parquet-hadoop's for UNCOMPRESSED, SNAPPY, GZIP, ZSTD and
 * LZ4_RAW (snappy-java, the JDK's zlib, zstd-jni, aircompressor), and Google's pure-Java decoder for
 * BROTLI (parquet-hadoop's Brotli codec needs a native library). LZO and Hadoop-framed LZ4 are not
 * supported. Decompression only; not thread-safe (one per reader).
 */
final class ParquetCodecs
        implements CompressionCodecFactory
{
    static final Set<CompressionCodecName> SUPPORTED = EnumSet.of(
            CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY, CompressionCodecName.GZIP,
            CompressionCodecName.ZSTD, CompressionCodecName.LZ4_RAW, CompressionCodecName.BROTLI);

    private final CodecFactory parquet = new CodecFactory(new PlainParquetConfiguration(), 0);

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec)
    {
        requireNonNull(codec, "codec is null");
        BytesInputDecompressor decompressor = codec == CompressionCodecName.BROTLI ? BrotliDecompressor.INSTANCE : parquet.getDecompressor(codec);
        return new LimitedDecompressor(decompressor, DecompressionLimits.current());
    }

    /**
     * Checks a page's claimed uncompressed size against {@link DecompressionLimits} before the
     * decompressor allocates it (every page parquet-hadoop's page store or the dictionary pruning
     * decompresses goes through here).
     */
    private record LimitedDecompressor(BytesInputDecompressor delegate, DecompressionLimits limits)
            implements BytesInputDecompressor
    {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                throws IOException
        {
            check(bytes.size(), uncompressedSize);
            return delegate.decompress(bytes, uncompressedSize);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException
        {
            check(compressedSize, uncompressedSize);
            delegate.decompress(input, compressedSize, output, uncompressedSize);
        }

        private void check(long compressedSize, int uncompressedSize)
                throws IOException
        {
            if (uncompressedSize < 0) {
                throw new IOException("a page claims a negative uncompressed size " + uncompressedSize);
            }
            String excess = limits.checkPage(compressedSize, uncompressedSize);
            if (excess != null) {
                throw new IOException("a page of " + excess);
            }
        }

        @Override
        public void release()
        {
            delegate.release();
        }
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec)
    {
        throw new UnsupportedOperationException("the Parquet reader does not compress");
    }

    @Override
    public void release()
    {
        parquet.release();
    }

    private static final class BrotliDecompressor
            implements BytesInputDecompressor
    {
        static final BrotliDecompressor INSTANCE = new BrotliDecompressor();

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                throws IOException
        {
            return BytesInput.from(decompress(bytes.toInputStream(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException
        {
            byte[] compressed = new byte[compressedSize];
            input.duplicate().get(compressed);
            output.put(decompress(new ByteArrayInputStream(compressed), uncompressedSize));
        }

        private static byte[] decompress(InputStream compressed, int uncompressedSize)
                throws IOException
        {
            try (InputStream in = new BrotliInputStream(compressed)) {
                byte[] result = in.readNBytes(uncompressedSize);
                if (result.length != uncompressedSize) {
                    throw new EOFException("Brotli page decompressed to %d bytes, %d expected".formatted(result.length, uncompressedSize));
                }
                return result;
            }
            catch (RuntimeException e) {
                // the decoder reports corrupt input as BrotliRuntimeException
                throw new IOException("corrupt Brotli page: " + e.getMessage(), e);
            }
        }

        @Override
        public void release() {}
    }
}
