package io.glaux.connectors.parquet;

import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.bloomfilter.BlockSplitBloomFilter;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.format.BloomFilterHeader;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pruning beyond row-group statistics, for one flat column with a {@link Domain}: its dictionary page
 * (no dictionary value in the domain: the row group cannot match), its bloom filter (none of the
 * domain's values present) and its column index (pages whose min/max cannot match). Every test
 * answers "may match" whenever it cannot be sure.
 */
final class ChunkPruning
{
    /** equality/IN domains with more values than this are not checked against bloom filters */
    static final int MAX_BLOOM_FILTER_VALUES = 1024;
    /** dictionaries larger than this (compressed page) are not fetched for pruning */
    static final int MAX_DICTIONARY_PAGE_BYTES = 4 << 20;

    private ChunkPruning() {}

    /** The values of an equality or IN domain, or null when some range is not a single value. */
    static List<Object> pointValues(Domain domain)
    {
        if (domain.ranges().isEmpty() || domain.ranges().size() > MAX_BLOOM_FILTER_VALUES) {
            return null;
        }
        List<Object> values = new ArrayList<>(domain.ranges().size());
        for (Range range : domain.ranges()) {
            if (range.low() == null || !range.lowInclusive() || !range.highInclusive() || !range.low().equals(range.high())) {
                return null;
            }
            values.add(range.low());
        }
        return values;
    }

    /** Whether the chunk may hold NULLs (unknown counts as yes). */
    static boolean mayHaveNulls(ColumnChunkMetaData chunk)
    {
        Statistics<?> statistics = chunk.getStatistics();
        return statistics == null || !statistics.isNumNullsSet() || statistics.getNumNulls() > 0;
    }

    /**
     * Whether every data page of the chunk is dictionary-encoded, so that its dictionary holds every
     * value of the chunk (the rules of parquet-java's DictionaryFilter).
     */
    static boolean fullyDictionaryEncoded(ColumnChunkMetaData chunk)
    {
        if (!chunk.hasDictionaryPage()) {
            return false;
        }
        EncodingStats stats = chunk.getEncodingStats();
        if (stats != null) {
            return stats.hasDictionaryPages() && !stats.hasNonDictionaryEncodedPages();
        }
        // no page encoding stats (old writers): only PLAIN_DICTIONARY (1.0 files) plus level encodings is sure
        // (compared by name: PLAIN_DICTIONARY and BIT_PACKED are deprecated constants)
        Set<String> encodings = new HashSet<>();
        for (Encoding encoding : chunk.getEncodings()) {
            encodings.add(encoding.name());
        }
        if (!encodings.remove("PLAIN_DICTIONARY")) {
            return false;
        }
        encodings.remove("RLE");
        encodings.remove("BIT_PACKED");
        return encodings.isEmpty();
    }

    /** The byte range of the chunk's dictionary page: from the chunk's start to its first data page. */
    static long dictionaryEnd(ColumnChunkMetaData chunk)
    {
        return chunk.getFirstDataPageOffset();
    }

    /** Whether some value of the dictionary page in {@code bytes} (the chunk's first bytes) lies in {@code domain}. */
    static boolean dictionaryMayMatch(byte[] bytes, ColumnChunkMetaData chunk, ColumnDecoder decoder, Domain domain, CompressionCodecFactory codecs)
            throws IOException
    {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        PageHeader header = Util.readPageHeader(in);
        if (header.getType() != PageType.DICTIONARY_PAGE || !header.isSetDictionary_page_header()) {
            return true;
        }
        int headerLength = bytes.length - in.available();
        if (headerLength + header.getCompressed_page_size() > bytes.length) {
            throw new IOException("dictionary page of %d bytes does not fit the %d bytes before the first data page"
                    .formatted(header.getCompressed_page_size(), bytes.length - headerLength));
        }
        BytesInput compressed = BytesInput.from(bytes, headerLength, header.getCompressed_page_size());
        BytesInput data = chunk.getCodec() == CompressionCodecName.UNCOMPRESSED
                ? compressed
                : codecs.getDecompressor(chunk.getCodec()).decompress(compressed, header.getUncompressed_page_size());
        DictionaryPageHeader dictionaryHeader = header.getDictionary_page_header();
        DictionaryPage page = new DictionaryPage(data, dictionaryHeader.getNum_values(), Encoding.valueOf(dictionaryHeader.getEncoding().name()));
        Dictionary dictionary = page.getEncoding().initDictionary(decoder.descriptor(), page);
        for (int id = 0; id <= dictionary.getMaxId(); id++) {
            Comparable<?> min = decoder.dictionaryValue(dictionary, id, true);
            Comparable<?> max = decoder.dictionaryValue(dictionary, id, false);
            if (min == null || max == null) {
                return true;
            }
            try {
                if (domain.overlaps(min, max, false)) {
                    return true;
                }
            }
            catch (ClassCastException e) {
                return true;
            }
        }
        return false;
    }

    /** The length of the bloom filter header at the start of {@code bytes}, or -1 when it is not a usable filter. */
    static int bloomFilterHeaderLength(byte[] bytes)
            throws IOException
    {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        BloomFilterHeader header = Util.readBloomFilterHeader(in);
        if (!header.getHash().isSetXXHASH() || !header.getAlgorithm().isSetBLOCK() || !header.getCompression().isSetUNCOMPRESSED()
                || header.getNumBytes() <= 0 || header.getNumBytes() > BlockSplitBloomFilter.UPPER_BOUND_BYTES) {
            return -1;
        }
        return bytes.length - in.available();
    }

    /** The bitset size announced by the bloom filter header at the start of {@code bytes}. */
    static int bloomFilterBitsetLength(byte[] bytes)
            throws IOException
    {
        return Util.readBloomFilterHeader(new ByteArrayInputStream(bytes)).getNumBytes();
    }

    /** Whether the bloom filter (bitset in {@code bitset}) may hold one of {@code values} (engine values). */
    static boolean bloomFilterMayMatch(byte[] bitset, ColumnDecoder decoder, List<Object> values)
    {
        BloomFilter filter = new BlockSplitBloomFilter(bitset);
        for (Object value : values) {
            Object probe = decoder.bloomFilterValue(value);
            if (probe == null) {
                return true;
            }
            if (probe == ColumnDecoder.ABSENT) {
                continue;
            }
            long hash = switch (probe) {
                case Integer i -> filter.hash(i.intValue());
                case Long l -> filter.hash(l.longValue());
                case Float f -> filter.hash(f.floatValue());
                case Double d -> filter.hash(d.doubleValue());
                default -> filter.hash(probe);
            };
            if (filter.findHash(hash)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rows of the pages whose column-index statistics may match {@code domain}, or null when the
     * index cannot be used.
     */
    static RowRanges matchingRows(ColumnIndex index, OffsetIndex offsets, long rowCount, ColumnDecoder decoder, Domain domain)
    {
        int pages = offsets.getPageCount();
        List<Boolean> nullPages = index.getNullPages();
        List<ByteBuffer> mins = index.getMinValues();
        List<ByteBuffer> maxes = index.getMaxValues();
        List<Long> nullCounts = index.getNullCounts();
        if (nullPages == null || nullPages.size() != pages || mins.size() != pages || maxes.size() != pages
                || (nullCounts != null && nullCounts.size() != pages)) {
            return null;
        }
        RowRanges.Builder builder = RowRanges.builder();
        for (int page = 0; page < pages; page++) {
            boolean mayMatch;
            if (nullPages.get(page)) {
                mayMatch = domain.nullAllowed();
            }
            else {
                boolean hasNulls = nullCounts == null || nullCounts.get(page) > 0;
                Comparable<?> min = decoder.indexValue(mins.get(page), true);
                Comparable<?> max = decoder.indexValue(maxes.get(page), false);
                try {
                    mayMatch = domain.overlaps(min, max, hasNulls);
                }
                catch (ClassCastException e) {
                    mayMatch = true;
                }
            }
            if (mayMatch) {
                long first = offsets.getFirstRowIndex(page);
                long last = offsets.getLastRowIndex(page, rowCount);
                if (last >= first) {
                    builder.addSelectedRange(first, last);
                }
            }
        }
        return builder.build();
    }
}
