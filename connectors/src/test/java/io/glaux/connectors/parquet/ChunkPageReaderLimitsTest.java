package io.glaux.connectors.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Hostile page headers: the uncompressed size a header claims is bounded before anything is allocated. */
class ChunkPageReaderLimitsTest
{
    @Test
    void aPageClaimingGigabytesFromAFewBytesIsRefused()
            throws IOException
    {
        for (CompressionCodecName codec : new CompressionCodecName[] {CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.ZSTD}) {
            byte[] chunk = chunk(Integer.MAX_VALUE - 8, 16);
            ChunkPageReader reader = new ChunkPageReader(chunk, 0, chunk.length, 1, codec, new ParquetCodecs());
            assertThatThrownBy(reader::readPage)
                    .as(codec.name())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the page at byte 0 of the column chunk: 16 compressed bytes claim 2147483639 uncompressed, more than scan.max-decompression-ratio = 1000 allows");
        }
    }

    @Test
    void aPageRunningPastItsChunkIsRefused()
            throws IOException
    {
        byte[] chunk = chunk(100, 16);
        // the chunk ends before the page's 16 bytes do
        ChunkPageReader reader = new ChunkPageReader(chunk, 0, chunk.length - 4, 1, CompressionCodecName.SNAPPY, new ParquetCodecs());
        assertThatThrownBy(reader::readPage).hasMessageContaining("runs past the end of the chunk");
    }

    @Test
    void theParquetHadoopPathChecksTooViaTheCodecs()
    {
        ParquetCodecs codecs = new ParquetCodecs();
        assertThatThrownBy(() -> codecs.getDecompressor(CompressionCodecName.GZIP).decompress(BytesInput.from(new byte[16]), Integer.MAX_VALUE - 8))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("scan.max-decompression-ratio");
    }

    /** A chunk of one DATA_PAGE whose header claims {@code uncompressedSize}, followed by {@code compressedSize} bytes. */
    private static byte[] chunk(int uncompressedSize, int compressedSize)
            throws IOException
    {
        PageHeader header = new PageHeader(PageType.DATA_PAGE, uncompressedSize, compressedSize);
        header.setData_page_header(new DataPageHeader(1, Encoding.PLAIN, Encoding.RLE, Encoding.RLE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Util.writePageHeader(header, out);
        out.write(new byte[compressedSize]);
        return out.toByteArray();
    }
}
