package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.compress.DecompressionLimits;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The pages of one column chunk, read from its bytes in memory without parquet-hadoop's page store:
 * page headers are parsed where they lie, and each page is decompressed when it is asked for (SNAPPY
 * straight from the chunk's bytes into one reused array, by {@link SnappyPages}; UNCOMPRESSED pages are not copied at all;
 * other codecs through {@link ParquetCodecs}). A returned page's bytes are valid until the next call
 * of {@link #readPage}. Reads all pages (no row selection). Not thread-safe.
 */
final class ChunkPageReader
        implements PageReader
{
    private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

    private final byte[] bytes;
    private final int end;
    private final int chunkStart;
    private final DecompressionLimits limits;
    private final long valueCount;
    private final CompressionCodecName codec;
    private final CompressionCodecFactory codecs;
    private final Position in;
    private long valuesRead;
    private DictionaryPage dictionary;
    private boolean started;
    private byte[] buffer = new byte[0];

    /**
     * @param bytes holds the chunk at {@code [offset, offset + length)}
     * @param valueCount the chunk's number of values (levels), from its metadata
     */
    ChunkPageReader(byte[] bytes, int offset, int length, long valueCount, CompressionCodecName codec, CompressionCodecFactory codecs)
    {
        this.bytes = requireNonNull(bytes, "bytes is null");
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("chunk [%d, %d) outside %d bytes".formatted(offset, offset + length, bytes.length));
        }
        this.end = offset + length;
        this.valueCount = valueCount;
        this.codec = requireNonNull(codec, "codec is null");
        this.codecs = requireNonNull(codecs, "codecs is null");
        this.in = new Position(bytes, offset, end);
        this.chunkStart = offset;
        this.limits = DecompressionLimits.current();
    }

    @Override
    public long getTotalValueCount()
    {
        return valueCount;
    }

    @Override
    public DictionaryPage readDictionaryPage()
    {
        start();
        return dictionary;
    }

    @Override
    public DataPage readPage()
    {
        start();
        while (valuesRead < valueCount && in.position() < end) {
            int headerStart = in.position();
            PageHeader header = readHeader();
            int start = in.position();
            int compressedSize = header.getCompressed_page_size();
            int uncompressedSize = header.getUncompressed_page_size();
            if (compressedSize < 0 || uncompressedSize < 0 || compressedSize > end - start) {
                throw new IllegalArgumentException("a page of %d bytes (%d uncompressed) at offset %d runs past the end of the chunk".formatted(compressedSize, uncompressedSize, start));
            }
            checkDecompressedSize(headerStart, compressedSize, uncompressedSize);
            in.skipTo(start + compressedSize);
            switch (header.getType()) {
                case DATA_PAGE -> {
                    DataPageHeader data = header.getData_page_header();
                    valuesRead += data.getNum_values();
                    return new DataPageV1(
                            decompress(start, compressedSize, uncompressedSize),
                            data.getNum_values(),
                            uncompressedSize,
                            null,
                            encoding(data.getRepetition_level_encoding()),
                            encoding(data.getDefinition_level_encoding()),
                            encoding(data.getEncoding()));
                }
                case DATA_PAGE_V2 -> {
                    DataPageHeaderV2 data = header.getData_page_header_v2();
                    valuesRead += data.getNum_values();
                    int repetitionLength = data.getRepetition_levels_byte_length();
                    int definitionLength = data.getDefinition_levels_byte_length();
                    int levelsLength = repetitionLength + definitionLength;
                    if (repetitionLength < 0 || definitionLength < 0 || levelsLength > compressedSize || levelsLength > uncompressedSize) {
                        throw new IllegalArgumentException("a v2 page at offset %d of %d bytes claims %d bytes of levels".formatted(start, compressedSize, levelsLength));
                    }
                    int dataStart = start + levelsLength;
                    BytesInput values = data.isIs_compressed()
                            ? decompress(dataStart, compressedSize - levelsLength, uncompressedSize - levelsLength)
                            : BytesInput.from(bytes, dataStart, compressedSize - levelsLength);
                    return DataPageV2.uncompressed(
                            data.getNum_rows(),
                            data.getNum_nulls(),
                            data.getNum_values(),
                            BytesInput.from(bytes, start, repetitionLength),
                            BytesInput.from(bytes, start + repetitionLength, definitionLength),
                            encoding(data.getEncoding()),
                            values,
                            null);
                }
                default -> {
                    // index pages and anything newer: not values
                }
            }
        }
        return null;
    }

    /** Reads the dictionary page, if the chunk starts with one. */
    private void start()
    {
        if (started) {
            return;
        }
        started = true;
        if (in.position() >= end) {
            return;
        }
        int mark = in.position();
        PageHeader header = readHeader();
        if (!header.isSetDictionary_page_header()) {
            in.skipTo(mark);
            return;
        }
        int start = in.position();
        int compressedSize = header.getCompressed_page_size();
        int uncompressedSize = header.getUncompressed_page_size();
        if (compressedSize < 0 || uncompressedSize < 0 || compressedSize > end - start) {
            throw new IllegalArgumentException("a dictionary page of %d bytes at offset %d runs past the end of the chunk".formatted(compressedSize, start));
        }
        checkDecompressedSize(mark, compressedSize, uncompressedSize);
        in.skipTo(start + compressedSize);
        DictionaryPageHeader dictionaryHeader = header.getDictionary_page_header();
        BytesInput page;
        if (codec == CompressionCodecName.SNAPPY) {
            // into its own array: the reused buffer is overwritten by the data pages
            page = BytesInput.from(decompressSnappy(start, compressedSize, uncompressedSize, new byte[uncompressedSize]));
        }
        else {
            // uncompressed: the chunk's own bytes; else a copy
            page = decompress(start, compressedSize, uncompressedSize);
        }
        dictionary = new DictionaryPage(page, uncompressedSize, dictionaryHeader.getNum_values(), encoding(dictionaryHeader.getEncoding()));
    }

    /**
     * A page header's uncompressed size is a claim: bound it by {@link DecompressionLimits} before any
     * buffer of that size is allocated (a hostile header could otherwise ask for 2 GB per page).
     */
    private void checkDecompressedSize(int headerStart, int compressedSize, int uncompressedSize)
    {
        if (codec == CompressionCodecName.UNCOMPRESSED) {
            return;
        }
        String excess = limits.checkPage(compressedSize, uncompressedSize);
        if (excess != null) {
            throw new IllegalArgumentException("the page at byte %d of the column chunk: %s".formatted(headerStart - chunkStart, excess));
        }
    }

    private PageHeader readHeader()
    {
        try {
            return Util.readPageHeader(in);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("cannot read the page header at offset %d: %s".formatted(in.position(), e.getMessage()), e);
        }
    }

    private BytesInput decompress(int offset, int compressedSize, int uncompressedSize)
    {
        switch (codec) {
            case UNCOMPRESSED -> {
                if (compressedSize != uncompressedSize) {
                    throw new IllegalArgumentException("an uncompressed page of %d bytes claims %d".formatted(compressedSize, uncompressedSize));
                }
                return BytesInput.from(bytes, offset, compressedSize);
            }
            case SNAPPY -> {
                if (buffer.length < uncompressedSize) {
                    buffer = new byte[Math.max(uncompressedSize, buffer.length + buffer.length / 2)];
                }
                return BytesInput.from(decompressSnappy(offset, compressedSize, uncompressedSize, buffer), 0, uncompressedSize);
            }
            default -> {
                try {
                    BytesInput page = codecs.getDecompressor(codec).decompress(BytesInput.from(bytes, offset, compressedSize), uncompressedSize);
                    // materialized now: a lazy stream would read the chunk's bytes later
                    return BytesInput.from(copy(page));
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** Decompresses the Snappy page at {@code offset} into the start of {@code target}; returns {@code target}. */
    private byte[] decompressSnappy(int offset, int compressedSize, int uncompressedSize, byte[] target)
    {
        SnappyPages.decompress(bytes, offset, compressedSize, target, uncompressedSize);
        return target;
    }

    private static byte[] copy(BytesInput bytes)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes.size());
        bytes.writeAllTo(out);
        return out.toByteArray();
    }

    private static Encoding encoding(org.apache.parquet.format.Encoding encoding)
    {
        return CONVERTER.getEncoding(encoding);
    }

    /** A stream over the chunk's bytes that tells its position, for the Thrift page headers. */
    private static final class Position
            extends ByteArrayInputStream
    {
        Position(byte[] bytes, int offset, int end)
        {
            super(bytes, offset, end - offset);
        }

        int position()
        {
            return pos;
        }

        void skipTo(int position)
        {
            pos = position;
        }
    }
}
