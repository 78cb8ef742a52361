package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowSegments;
import io.glaux.connectors.format.DictionaryIds;
import io.glaux.connectors.parquet.ColumnDecoder.Conversion;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.bytes.ByteBufferReleaser;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes one flat (not nested, not repeated) Parquet column chunk a batch of rows at a time straight
 * from its pages into an Arrow vector, without parquet-column's per-value {@code ColumnReader}.
 *
 * <p>Per batch, and within it per stretch of one page: the definition levels are decoded in bulk (a
 * REQUIRED column has none; an RLE run is a fill), then the values of the defined rows are read densely
 * (PLAIN: one bulk copy per page stretch for fixed-width types; dictionary: ids unpacked in bulk, then a
 * gather from the dictionary decoded once into a primitive array, or one byte array plus offsets for
 * binary), converted with one loop per conversion, and spread out over the NULL rows in place. The
 * batch is staged in Java arrays and copied into the Arrow buffers with one bulk copy per buffer.
 *
 * <p>Handles PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY and (booleans) RLE values; DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY values, decoded a whole page at a time when the page is
 * read (miniblocks unpacked and prefix-summed into a {@code long[]}; binary values back to back in one
 * byte array plus offsets); BYTE_STREAM_SPLIT values, transposed into PLAIN order when the page is
 * read; RLE (and BIT_PACKED v1) definition levels; data pages v1 and v2 (already decompressed by the
 * {@link PageReader}); a row selection (from the column index), skipping the unselected rows of the
 * pages it is given. {@link #supports} says whether a chunk can be read this way; anything else (rare
 * conversions, unknown encodings) stays on the {@code ColumnReader} path. Not thread-safe.
 */
final class FlatColumnReader
{
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @SuppressWarnings("deprecation") // PLAIN_DICTIONARY and BIT_PACKED: deprecated for writers, still found in files
    private static final Set<Encoding> SUPPORTED_ENCODINGS = EnumSet.of(
            Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY, Encoding.RLE, Encoding.BIT_PACKED,
            Encoding.DELTA_BINARY_PACKED, Encoding.DELTA_LENGTH_BYTE_ARRAY, Encoding.DELTA_BYTE_ARRAY, Encoding.BYTE_STREAM_SPLIT);

    /** The Java array a batch is staged in, by the width of the Arrow vector's values. */
    private enum Output
    {
        BITS, I8, I16, I32, I64, F32, F64, DECIMAL, VARIABLE
    }

    private final ColumnDecoder decoder;
    private final Conversion conversion;
    private final PrimitiveTypeName physical;
    private final int typeLength;
    private final boolean required;
    private final Output output;
    /** whether the values land in the output array as read, with no conversion loop */
    private final boolean identity;
    private PageReader pageReader;
    private final String where;
    /** the rows to read (row group indexes, ranges {@code [from, to)}), or null for all of them */
    private final long[] selectedFrom;
    private final long[] selectedTo;
    private int selectedRange;
    /** the row group index of the current page's next row (when rows are selected) */
    private long pageRow;
    /** the row group index of the row after the current page's last (when rows are selected) */
    private long nextPageRow;

    // the dictionary, decoded once
    private boolean hasDictionary;
    private int[] dictInts;
    private long[] dictLongs;
    private float[] dictFloats;
    private double[] dictDoubles;
    private byte[] dictBytes;
    private int[] dictOffsets;
    /** the dictionary of a binary chunk, handed out with {@link DictionaryIds} */
    private DictionaryIds.Dictionary binaryDictionary;

    // the current page
    private byte[] page = new byte[0];
    private MemorySegment pageSegment = MemorySegment.ofArray(page);
    private int pageEnd;
    private int pageRemaining;
    private int pageNumber = -1;
    private boolean dictionaryEncoded;
    private int plainPosition;
    private long plainBit;
    private boolean rleBooleans;
    /** the page's values were decoded when it was read (DELTA_*): into {@link #delta}'s values, or {@link #decodedBytes} from {@link #decodedOffsets} */
    private boolean decoded;
    private int decodedIndex;
    private int decodedCount;
    private final DeltaBinaryPackedDecoder delta = new DeltaBinaryPackedDecoder();
    private final DeltaBinaryPackedDecoder suffixLengths = new DeltaBinaryPackedDecoder();
    private byte[] decodedBytes = new byte[0];
    private int[] decodedOffsets = new int[0];
    private int[] suffixOffsets = new int[0];
    private byte[] reconstructed = new byte[0];
    /** BYTE_STREAM_SPLIT pages are transposed into this array and then read as PLAIN */
    private byte[] transposed = new byte[0];
    private MemorySegment transposedSegment = MemorySegment.ofArray(transposed);
    /** frees nothing: pages are heap buffers; only needed to ask parquet-java for a page's buffer without a copy */
    private final ByteBufferReleaser releaser = new ByteBufferReleaser(new HeapByteBufferAllocator());
    private final RleBitPackedDecoder levels = new RleBitPackedDecoder();
    private final RleBitPackedDecoder ids = new RleBitPackedDecoder();

    // the batch, staged
    private byte[] defined = new byte[0];
    private int[] idBuffer = new int[0];
    private int[] rawInts = new int[0];
    private long[] rawLongs = new long[0];
    private float[] rawFloats = new float[0];
    private byte[] out8 = new byte[0];
    private short[] out16 = new short[0];
    private int[] out32 = new int[0];
    private long[] out64 = new long[0];
    private float[] outFloats = new float[0];
    private double[] outDoubles = new double[0];
    private byte[] outData = new byte[0];
    private int outDataLength;
    private byte[] bits = new byte[0];
    /** the batch's rows as dictionary ids (-1: NULL), while {@link #idsMode} */
    private int[] batchIds = new int[0];
    /** whether the current batch is still read as ids (every page so far dictionary-encoded) */
    private boolean idsMode;

    private FlatColumnReader(ColumnDecoder decoder, PageReader pageReader, RowRanges rows, String where)
    {
        if (rows == null) {
            selectedFrom = null;
            selectedTo = null;
        }
        else {
            List<RowRanges.Range> ranges = rows.getRanges();
            selectedFrom = new long[ranges.size()];
            selectedTo = new long[ranges.size()];
            for (int i = 0; i < ranges.size(); i++) {
                selectedFrom[i] = ranges.get(i).from;
                selectedTo[i] = ranges.get(i).to + 1;
            }
        }
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.pageReader = requireNonNull(pageReader, "pageReader is null");
        this.where = requireNonNull(where, "where is null");
        ColumnDescriptor descriptor = decoder.descriptor();
        this.conversion = decoder.conversion();
        this.physical = descriptor.getPrimitiveType().getPrimitiveTypeName();
        this.typeLength = descriptor.getPrimitiveType().getTypeLength();
        this.required = descriptor.getMaxDefinitionLevel() == 0;
        this.output = output(decoder.type());
        this.identity = switch (conversion) {
            case BOOLEAN, INT32_TO_INTEGER, DATE, INT64_TO_BIGINT, TIMESTAMP_MICROS, INT96_TIMESTAMP, FLOAT_TO_REAL, DOUBLE -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code chunk} of the column {@code decoder} reads can be decoded by this class: a flat
     * column, a conversion with a loop here, only encodings handled here, and (the caller's business)
     * all rows of the row group are read.
     */
    static boolean supports(ColumnDecoder decoder, ColumnChunkMetaData chunk)
    {
        ColumnDescriptor descriptor = decoder.descriptor();
        if (descriptor.getMaxRepetitionLevel() != 0 || descriptor.getMaxDefinitionLevel() > 1 || chunk == null) {
            return false;
        }
        boolean conversion = switch (decoder.conversion()) {
            case FLOAT16_TO_REAL, FLOAT16_TO_DOUBLE, UUID_TO_VARCHAR, DECIMAL_FROM_BINARY -> false;
            case DECIMAL_FROM_INT -> decoder.decimalFastPath();
            default -> true;
        };
        Set<Encoding> encodings = chunk.getEncodings();
        return conversion && !encodings.isEmpty() && SUPPORTED_ENCODINGS.containsAll(encodings);
    }

    @SuppressWarnings("deprecation") // levels of old v1 pages (parquet-java still names it for absent repetition levels)
    private static Encoding bitPacked()
    {
        return Encoding.BIT_PACKED;
    }

    /**
     * Reads the pages of one column chunk; reads its dictionary page now.
     *
     * @param rows the rows to read (the pages holding them, with their first row indexes, are what
     *     {@code pageReader} returns), or null for all rows
     * @param where names the chunk in messages (row group, offset)
     * @param previous the reader of the same column's previous chunk, whose buffers are reused, or null
     */
    static FlatColumnReader create(ColumnDecoder decoder, PageReader pageReader, RowRanges rows, String where, FlatColumnReader previous)
    {
        FlatColumnReader reader = new FlatColumnReader(decoder, pageReader, rows, where);
        if (previous != null && previous.decoder == decoder) {
            reader.takeBuffers(previous);
        }
        reader.readDictionary();
        return reader;
    }

    /** Drops the chunk's pages and dictionary once it is read; keeps the batch buffers for the next chunk's reader. */
    void release()
    {
        pageReader = null;
        page = new byte[0];
        pageSegment = MemorySegment.ofArray(page);
        decodedBytes = page;
        dictInts = null;
        dictLongs = null;
        dictFloats = null;
        dictDoubles = null;
        dictBytes = null;
        dictOffsets = null;
        binaryDictionary = null;
    }

    /** Takes over the batch staging arrays of the reader of the same column's previous chunk, so they are not grown again. */
    private void takeBuffers(FlatColumnReader previous)
    {
        defined = previous.defined;
        idBuffer = previous.idBuffer;
        rawInts = previous.rawInts;
        rawLongs = previous.rawLongs;
        rawFloats = previous.rawFloats;
        out8 = previous.out8;
        out16 = previous.out16;
        out32 = previous.out32;
        out64 = previous.out64;
        outFloats = previous.outFloats;
        outDoubles = previous.outDoubles;
        outData = previous.outData;
        bits = previous.bits;
        batchIds = previous.batchIds;
        decodedOffsets = previous.decodedOffsets;
        suffixOffsets = previous.suffixOffsets;
        reconstructed = previous.reconstructed;
        transposed = previous.transposed;
        transposedSegment = previous.transposedSegment;
    }

    private static Output output(Type type)
    {
        return switch (type) {
            case Type.Decimal _ -> Output.DECIMAL;
            case Type.Varchar _ -> Output.VARIABLE;
            case Type.Timestamp _ -> Output.I64;
            case Type.Primitive p -> switch (p.kind()) {
                case BOOLEAN -> Output.BITS;
                case TINYINT -> Output.I8;
                case SMALLINT -> Output.I16;
                case INTEGER, DATE -> Output.I32;
                case BIGINT -> Output.I64;
                case REAL -> Output.F32;
                case DOUBLE -> Output.F64;
                case VARBINARY, UUID -> Output.VARIABLE;
                case IPADDRESS, IPPREFIX, JSON -> Output.VARIABLE;
                case INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH -> throw new IllegalArgumentException("not a column type: " + type);
            };
            default -> throw new IllegalArgumentException("not a flat type: " + type);
        };
    }

    // ------------------------------------------------------------------ batches

    /** Allocates {@code vector}, reads the next {@code rows} rows of the chunk into it and sets its value count. */
    void readBatch(FieldVector vector, int rows)
    {
        readBatch(vector, rows, false);
    }

    /**
     * Reads the next {@code rows} rows of a binary chunk as ids into its dictionary when every page they
     * lie in is dictionary-encoded: returns them, and {@code vector} is not touched. Else (a page without
     * the dictionary: PLAIN or DELTA pages after the dictionary grew too big, or no dictionary at all)
     * reads the values into {@code vector} as {@link #readBatch(FieldVector, int)} does and returns null.
     * The ids are valid until the next batch.
     */
    DictionaryIds readIds(FieldVector vector, int rows)
    {
        return readBatch(vector, rows, true);
    }

    private DictionaryIds readBatch(FieldVector vector, int rows, boolean wantIds)
    {
        prepare(rows);
        idsMode = wantIds && output == Output.VARIABLE && binaryDictionary != null;
        if (idsMode && batchIds.length < rows) {
            batchIds = new int[Math.max(rows, 16)];
        }
        int done = 0;
        int nonNull = 0;
        while (done < rows) {
            if (pageRemaining == 0) {
                readPage();
                continue;
            }
            int n = Math.min(pageRemaining, rows - done);
            if (selectedFrom != null) {
                while (selectedRange < selectedFrom.length && selectedTo[selectedRange] <= pageRow) {
                    selectedRange++;
                }
                if (selectedRange == selectedFrom.length) {
                    throw new IllegalArgumentException("%s: more rows read than selected".formatted(pageName()));
                }
                if (pageRow < selectedFrom[selectedRange]) {
                    int skipped = (int) Math.min(pageRemaining, selectedFrom[selectedRange] - pageRow);
                    skip(skipped);
                    pageRemaining -= skipped;
                    pageRow += skipped;
                    continue;
                }
                n = (int) Math.min(n, selectedTo[selectedRange] - pageRow);
                pageRow += n;
            }
            int k = required ? n : levels.readDefined(defined, done, n, 1);
            if (output == Output.VARIABLE) {
                if (idsMode && !dictionaryEncoded) {
                    // a page without the dictionary: the rows so far become values after all
                    materializeIds(done);
                    idsMode = false;
                }
                if (idsMode) {
                    readIdStretch(done, n, k);
                }
                else {
                    readBinary(done, n, k);
                }
            }
            else {
                readFixed(done, n, k);
            }
            pageRemaining -= n;
            done += n;
            nonNull += k;
        }
        if (idsMode) {
            idsMode = false;
            return new DictionaryIds(binaryDictionary, batchIds, rows);
        }
        write(vector, rows, nonNull == rows);
        return null;
    }

    /** Reads the ids of {@code k} defined values for rows {@code [base, base + n)} into {@link #batchIds} (-1 for NULL rows). */
    private void readIdStretch(int base, int n, int k)
    {
        int[] id = idBuffer;
        ids.readInts(id, 0, k);
        int size = binaryDictionary.size();
        int[] out = batchIds;
        byte[] d = defined;
        boolean all = k == n;
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (all || d[base + i] != 0) {
                int v = id[j++];
                if (v < 0 || v >= size) {
                    throw new IllegalArgumentException("%s: dictionary id %d out of range for a dictionary of %d values".formatted(pageName(), v, size));
                }
                out[base + i] = v;
            }
            else {
                out[base + i] = -1;
            }
        }
    }

    /** Turns the ids of rows {@code [0, rows)} of the batch into values in the staging arrays, as {@link #readBinary} would have read them. */
    private void materializeIds(int rows)
    {
        byte[] values = dictBytes;
        int[] starts = dictOffsets;
        int[] offsets = out32;
        int[] id = batchIds;
        int length = outDataLength;
        for (int i = 0; i < rows; i++) {
            int v = id[i];
            if (v >= 0) {
                int start = starts[v];
                int size = starts[v + 1] - start;
                if (length + size > outData.length) {
                    growData(length, size);
                }
                System.arraycopy(values, start, outData, length, size);
                length += size;
            }
            offsets[i + 1] = length;
        }
        outDataLength = length;
    }

    /** Skips the next {@code n} rows of the current page. */
    private void skip(int n)
    {
        int k = required ? n : levels.skipDefined(n, 1);
        if (k == 0) {
            return;
        }
        if (dictionaryEncoded || rleBooleans) {
            ids.skip(k);
        }
        else if (decoded) {
            takeDecoded(k);
        }
        else if (physical == PrimitiveTypeName.BOOLEAN) {
            plainBit += k;
        }
        else if (physical == PrimitiveTypeName.BINARY) {
            int position = plainPosition;
            for (int i = 0; i < k; i++) {
                if (position + 4 > pageEnd) {
                    throw pastEnd(position);
                }
                int size = (int) INT_AT.get(page, position);
                if (size < 0 || size > pageEnd - position - 4) {
                    throw pastEnd(position);
                }
                position += 4 + size;
            }
            plainPosition = position;
        }
        else {
            int width = switch (physical) {
                case INT32, FLOAT -> 4;
                case INT64, DOUBLE -> 8;
                case INT96 -> 12;
                default -> typeLength;
            };
            checkPlain((long) width * k);
            plainPosition += width * k;
        }
    }

    private void prepare(int rows)
    {
        if (defined.length < rows) {
            int size = Math.max(rows, 16);
            defined = new byte[size];
            idBuffer = new int[size];
            switch (output) {
                case BITS, I8 -> out8 = new byte[size];
                case I16 -> out16 = new short[size];
                case I32 -> out32 = new int[size];
                case I64 -> out64 = new long[size];
                case DECIMAL -> out64 = new long[2 * size];
                case F32 -> outFloats = new float[size];
                case F64 -> outDoubles = new double[size];
                case VARIABLE -> out32 = new int[size + 1];
            }
            if (!identity) {
                switch (physical) {
                    case INT32 -> rawInts = new int[size];
                    case INT64 -> rawLongs = new long[size];
                    case FLOAT -> rawFloats = new float[size];
                    default -> { }
                }
            }
            bits = new byte[(size + 7) / 8];
        }
        if (output == Output.VARIABLE) {
            out32[0] = 0;
            outDataLength = 0;
        }
    }

    /** Reads {@code k} defined values for rows {@code [base, base + n)} into the output array. */
    private void readFixed(int base, int n, int k)
    {
        if (identity) {
            switch (physical) {
                case BOOLEAN -> readBooleans(out8, base, k);
                case INT32 -> readInts(out32, base, k);
                case INT64 -> readLongs(out64, base, k);
                case INT96 -> readInt96(out64, base, k);
                case FLOAT -> readFloats(outFloats, base, k);
                case DOUBLE -> readDoubles(outDoubles, base, k);
                default -> throw new IllegalStateException("no identity read of " + physical);
            }
        }
        else {
            switch (physical) {
                case INT32 -> {
                    readInts(rawInts, 0, k);
                    convertInts(base, k);
                }
                case INT64 -> {
                    if (conversion == Conversion.DECIMAL_FROM_INT) {
                        readLongDecimals(base, k);
                    }
                    else {
                        readLongs(rawLongs, 0, k);
                        convertLongs(base, k);
                    }
                }
                case FLOAT -> {
                    readFloats(rawFloats, 0, k);
                    double[] out = outDoubles;
                    float[] raw = rawFloats;
                    for (int i = 0; i < k; i++) {
                        out[base + i] = raw[i];
                    }
                }
                default -> throw new IllegalStateException("no conversion of " + physical + " to " + conversion);
            }
        }
        if (k < n) {
            spread(base, n, k);
        }
    }

    private void convertInts(int base, int k)
    {
        int[] raw = rawInts;
        switch (conversion) {
            case INT32_TO_TINYINT -> {
                byte[] out = out8;
                for (int i = 0; i < k; i++) {
                    int x = raw[i];
                    if (x != (byte) x) {
                        throw decoder.outOfRange(x);
                    }
                    out[base + i] = (byte) x;
                }
            }
            case INT32_TO_SMALLINT -> {
                short[] out = out16;
                for (int i = 0; i < k; i++) {
                    int x = raw[i];
                    if (x != (short) x) {
                        throw decoder.outOfRange(x);
                    }
                    out[base + i] = (short) x;
                }
            }
            case INT32_TO_BIGINT -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    out[base + i] = raw[i];
                }
            }
            case UINT32_TO_BIGINT -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    out[base + i] = Integer.toUnsignedLong(raw[i]);
                }
            }
            case INT32_TO_DOUBLE -> {
                double[] out = outDoubles;
                for (int i = 0; i < k; i++) {
                    out[base + i] = raw[i];
                }
            }
            case UINT32_TO_DOUBLE -> {
                double[] out = outDoubles;
                for (int i = 0; i < k; i++) {
                    out[base + i] = Integer.toUnsignedLong(raw[i]);
                }
            }
            case UINT32_TO_NARROW -> {
                for (int i = 0; i < k; i++) {
                    narrowInto(base + i, Integer.toUnsignedLong(raw[i]));
                }
            }
            case DECIMAL_FROM_INT -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    int x = raw[i];
                    out[2 * (base + i)] = x;
                    out[2 * (base + i) + 1] = x >> 31;
                }
            }
            default -> throw new IllegalStateException("no conversion of INT32 to " + conversion);
        }
    }

    private void convertLongs(int base, int k)
    {
        long[] raw = rawLongs;
        switch (conversion) {
            case INT64_TO_TINYINT, INT64_TO_SMALLINT, INT64_TO_INTEGER -> {
                for (int i = 0; i < k; i++) {
                    narrowInto(base + i, raw[i]);
                }
            }
            case UINT64_TO_NARROW -> {
                for (int i = 0; i < k; i++) {
                    long x = raw[i];
                    if (x < 0) {
                        throw decoder.unsignedOutOfRange(x);
                    }
                    narrowInto(base + i, x);
                }
            }
            case UINT64_TO_BIGINT -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    long x = raw[i];
                    if (x < 0) {
                        throw decoder.unsignedOutOfRange(x);
                    }
                    out[base + i] = x;
                }
            }
            case INT64_TO_DOUBLE -> {
                double[] out = outDoubles;
                for (int i = 0; i < k; i++) {
                    out[base + i] = raw[i];
                }
            }
            case UINT64_TO_DOUBLE -> {
                double[] out = outDoubles;
                for (int i = 0; i < k; i++) {
                    long x = raw[i];
                    out[base + i] = x >= 0 ? (double) x : new BigDecimal(Long.toUnsignedString(x)).doubleValue();
                }
            }
            case TIMESTAMP_MILLIS -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    out[base + i] = Math.multiplyExact(raw[i], 1000L);
                }
            }
            case TIMESTAMP_NANOS -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    out[base + i] = Math.floorDiv(raw[i], 1000L);
                }
            }
            case DECIMAL_FROM_INT -> {
                long[] out = out64;
                for (int i = 0; i < k; i++) {
                    long x = raw[i];
                    out[2 * (base + i)] = x;
                    out[2 * (base + i) + 1] = x >> 63;
                }
            }
            default -> throw new IllegalStateException("no conversion of INT64 to " + conversion);
        }
    }

    /** Stores {@code x} at {@code index} of the tinyint, smallint or integer output, range-checked. */
    private void narrowInto(int index, long x)
    {
        switch (output) {
            case I8 -> {
                if (x != (byte) x) {
                    throw decoder.outOfRange(x);
                }
                out8[index] = (byte) x;
            }
            case I16 -> {
                if (x != (short) x) {
                    throw decoder.outOfRange(x);
                }
                out16[index] = (short) x;
            }
            case I32 -> {
                if (x != (int) x) {
                    throw decoder.outOfRange(x);
                }
                out32[index] = (int) x;
            }
            default -> throw new IllegalStateException("no narrowing into " + output);
        }
    }

    /**
     * Moves the {@code k} values at {@code [base, base + k)} of the output to the defined rows of
     * {@code [base, base + n)}, zeroing the others. Backwards, so it works in place.
     */
    private void spread(int base, int n, int k)
    {
        byte[] d = defined;
        int j = base + k - 1;
        switch (output) {
            case BITS, I8 -> {
                byte[] a = out8;
                for (int i = base + n - 1; i >= base; i--) {
                    a[i] = d[i] != 0 ? a[j--] : 0;
                }
            }
            case I16 -> {
                short[] a = out16;
                for (int i = base + n - 1; i >= base; i--) {
                    a[i] = d[i] != 0 ? a[j--] : 0;
                }
            }
            case I32 -> {
                int[] a = out32;
                for (int i = base + n - 1; i >= base; i--) {
                    a[i] = d[i] != 0 ? a[j--] : 0;
                }
            }
            case I64 -> {
                long[] a = out64;
                for (int i = base + n - 1; i >= base; i--) {
                    a[i] = d[i] != 0 ? a[j--] : 0;
                }
            }
            case F32 -> {
                float[] a = outFloats;
                for (int i = base + n - 1; i >= base; i--) {
                    a[i] = d[i] != 0 ? a[j--] : 0;
                }
            }
            case F64 -> {
                double[] a = outDoubles;
                for (int i = base + n - 1; i >= base; i--) {
                    a[i] = d[i] != 0 ? a[j--] : 0;
                }
            }
            case DECIMAL -> {
                long[] a = out64;
                for (int i = base + n - 1; i >= base; i--) {
                    if (d[i] != 0) {
                        a[2 * i] = a[2 * j];
                        a[2 * i + 1] = a[2 * j + 1];
                        j--;
                    }
                    else {
                        a[2 * i] = 0;
                        a[2 * i + 1] = 0;
                    }
                }
            }
            case VARIABLE -> throw new IllegalStateException("binary values are not spread");
        }
    }

    /** Appends the values of rows {@code [base, base + n)} ({@code k} of them defined) to the binary output. */
    private void readBinary(int base, int n, int k)
    {
        byte[] d = defined;
        boolean all = k == n;
        int[] offsets = out32;
        int length = outDataLength;
        if (dictionaryEncoded) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            byte[] values = dictBytes;
            int[] starts = dictOffsets;
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (all || d[base + i] != 0) {
                    int v = id[j++];
                    int start = starts[v];
                    int size = starts[v + 1] - start;
                    if (length + size > outData.length) {
                        growData(length, size);
                    }
                    if (size <= 8) {
                        // short values (flags, codes, modes): a byte loop beats System.arraycopy's setup
                        byte[] o = outData;
                        for (int b = 0; b < size; b++) {
                            o[length + b] = values[start + b];
                        }
                    }
                    else {
                        System.arraycopy(values, start, outData, length, size);
                    }
                    length += size;
                }
                offsets[base + i + 1] = length;
            }
        }
        else if (decoded) {
            // the values are back to back in decodedBytes: one copy, then the offsets
            int first = takeDecoded(k);
            int[] starts = decodedOffsets;
            int start = starts[first];
            int size = starts[first + k] - start;
            if (length + size > outData.length) {
                growData(length, size);
            }
            System.arraycopy(decodedBytes, start, outData, length, size);
            int shift = length - start;
            int j = first;
            for (int i = 0; i < n; i++) {
                if (all || d[base + i] != 0) {
                    j++;
                }
                offsets[base + i + 1] = starts[j] + shift;
            }
            length += size;
        }
        else {
            byte[] in = page;
            int position = plainPosition;
            boolean fixed = physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
            for (int i = 0; i < n; i++) {
                if (all || d[base + i] != 0) {
                    int size;
                    if (fixed) {
                        size = typeLength;
                    }
                    else {
                        if (position + 4 > pageEnd) {
                            throw pastEnd(position);
                        }
                        size = (int) INT_AT.get(in, position);
                        position += 4;
                    }
                    if (size < 0 || size > pageEnd - position) {
                        throw new IllegalArgumentException("a value of %d bytes at offset %d of %s runs past the end of the page (%d bytes)"
                                .formatted(size, position, pageName(), pageEnd));
                    }
                    if (length + size > outData.length) {
                        growData(length, size);
                    }
                    System.arraycopy(in, position, outData, length, size);
                    position += size;
                    length += size;
                }
                offsets[base + i + 1] = length;
            }
            plainPosition = position;
        }
        outDataLength = length;
    }

    private void growData(int length, int size)
    {
        long needed = (long) length + size;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a batch of more than 2 GB of values; use a smaller batch size");
        }
        outData = Arrays.copyOf(outData, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * outData.length + 1024)));
    }

    // ------------------------------------------------------------------ dense value reads

    private void readInts(int[] target, int offset, int k)
    {
        if (dictionaryEncoded) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            int[] dictionary = dictInts;
            for (int i = 0; i < k; i++) {
                target[offset + i] = dictionary[id[i]];
            }
        }
        else if (decoded) {
            int from = takeDecoded(k);
            long[] values = delta.values();
            for (int i = 0; i < k; i++) {
                target[offset + i] = (int) values[from + i];
            }
        }
        else {
            checkPlain(4L * k);
            MemorySegment.copy(pageSegment, INT_LE, plainPosition, target, offset, k);
            plainPosition += 4 * k;
        }
    }

    private void readLongs(long[] target, int offset, int k)
    {
        if (dictionaryEncoded) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            long[] dictionary = dictLongs;
            for (int i = 0; i < k; i++) {
                target[offset + i] = dictionary[id[i]];
            }
        }
        else if (decoded) {
            System.arraycopy(delta.values(), takeDecoded(k), target, offset, k);
        }
        else {
            checkPlain(8L * k);
            MemorySegment.copy(pageSegment, LONG_LE, plainPosition, target, offset, k);
            plainPosition += 8 * k;
        }
    }

    /**
     * Reads {@code k} INT64 decimals straight into the Decimal128 output at {@code [base, base + k)}:
     * the low word the value, the high word its sign (no intermediate array for dictionary and PLAIN pages).
     */
    private void readLongDecimals(int base, int k)
    {
        long[] out = out64;
        if (dictionaryEncoded) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            long[] dictionary = dictLongs;
            for (int i = 0; i < k; i++) {
                long x = dictionary[id[i]];
                out[2 * (base + i)] = x;
                out[2 * (base + i) + 1] = x >> 63;
            }
        }
        else if (decoded) {
            long[] values = delta.values();
            int from = takeDecoded(k);
            for (int i = 0; i < k; i++) {
                long x = values[from + i];
                out[2 * (base + i)] = x;
                out[2 * (base + i) + 1] = x >> 63;
            }
        }
        else {
            checkPlain(8L * k);
            MemorySegment in = pageSegment;
            long position = plainPosition;
            for (int i = 0; i < k; i++) {
                long x = in.get(LONG_LE, position + 8L * i);
                out[2 * (base + i)] = x;
                out[2 * (base + i) + 1] = x >> 63;
            }
            plainPosition += 8 * k;
        }
    }

    /** Takes the next {@code k} decoded values of the page; returns the index of the first. */
    private int takeDecoded(int k)
    {
        int from = decodedIndex;
        if (k > decodedCount - from) {
            throw new IllegalArgumentException("%s has %d encoded values, fewer than its definition levels say".formatted(pageName(), decodedCount));
        }
        decodedIndex = from + k;
        return from;
    }

    private void readInt96(long[] target, int offset, int k)
    {
        if (dictionaryEncoded) {
            readLongs(target, offset, k);
            return;
        }
        checkPlain(12L * k);
        byte[] in = page;
        int position = plainPosition;
        for (int i = 0; i < k; i++) {
            target[offset + i] = ColumnDecoder.int96ToMicros((long) LONG_AT.get(in, position), (int) INT_AT.get(in, position + 8));
            position += 12;
        }
        plainPosition = position;
    }

    private void readFloats(float[] target, int offset, int k)
    {
        if (dictionaryEncoded) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            float[] dictionary = dictFloats;
            for (int i = 0; i < k; i++) {
                target[offset + i] = dictionary[id[i]];
            }
        }
        else {
            checkPlain(4L * k);
            MemorySegment.copy(pageSegment, FLOAT_LE, plainPosition, target, offset, k);
            plainPosition += 4 * k;
        }
    }

    private void readDoubles(double[] target, int offset, int k)
    {
        if (dictionaryEncoded) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            double[] dictionary = dictDoubles;
            for (int i = 0; i < k; i++) {
                target[offset + i] = dictionary[id[i]];
            }
        }
        else {
            checkPlain(8L * k);
            MemorySegment.copy(pageSegment, DOUBLE_LE, plainPosition, target, offset, k);
            plainPosition += 8 * k;
        }
    }

    private void readBooleans(byte[] target, int offset, int k)
    {
        if (rleBooleans) {
            int[] id = idBuffer;
            ids.readInts(id, 0, k);
            for (int i = 0; i < k; i++) {
                target[offset + i] = (byte) (id[i] & 1);
            }
            return;
        }
        if (dictionaryEncoded) {
            throw new IllegalArgumentException("dictionary-encoded BOOLEAN values in " + pageName());
        }
        long bit = plainBit;
        if (plainPosition + ((bit + k + 7) >>> 3) > pageEnd) {
            throw pastEnd(plainPosition);
        }
        byte[] in = page;
        int start = plainPosition;
        for (int i = 0; i < k; i++) {
            long b = bit + i;
            target[offset + i] = (byte) ((in[start + (int) (b >>> 3)] >>> (b & 7)) & 1);
        }
        plainBit = bit + k;
    }

    private void checkPlain(long bytes)
    {
        if (plainPosition + bytes > pageEnd) {
            throw pastEnd(plainPosition);
        }
    }

    private IllegalArgumentException pastEnd(int position)
    {
        return new IllegalArgumentException("values past the end of %s (%d bytes) at offset %d".formatted(pageName(), pageEnd, position));
    }

    private String pageName()
    {
        return "data page " + pageNumber + " of " + where;
    }

    // ------------------------------------------------------------------ writing the vector

    private void write(FieldVector vector, int rows, boolean allDefined)
    {
        if (output == Output.VARIABLE) {
            BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
            v.allocateNew(Math.max(1, outDataLength), rows);
            v.getDataBuffer().setBytes(0, outData, 0, outDataLength);
            MemorySegment.copy(out32, 0, segment(v.getOffsetBuffer(), 4L * (rows + 1)), INT_LE, 0, rows + 1);
            writeValidity(v.getValidityBuffer(), rows, allDefined);
            v.setLastSet(rows - 1);
            v.setValueCount(rows);
            return;
        }
        BaseFixedWidthVector v = (BaseFixedWidthVector) vector;
        v.allocateNew(rows);
        ArrowBuf data = v.getDataBuffer();
        switch (output) {
            case BITS -> {
                pack(out8, rows);
                data.setBytes(0, bits, 0, (rows + 7) / 8);
            }
            case I8 -> data.setBytes(0, out8, 0, rows);
            case I16 -> MemorySegment.copy(out16, 0, segment(data, 2L * rows), SHORT_LE, 0, rows);
            case I32 -> MemorySegment.copy(out32, 0, segment(data, 4L * rows), INT_LE, 0, rows);
            case I64 -> MemorySegment.copy(out64, 0, segment(data, 8L * rows), LONG_LE, 0, rows);
            case F32 -> MemorySegment.copy(outFloats, 0, segment(data, 4L * rows), FLOAT_LE, 0, rows);
            case F64 -> MemorySegment.copy(outDoubles, 0, segment(data, 8L * rows), DOUBLE_LE, 0, rows);
            case DECIMAL -> MemorySegment.copy(out64, 0, segment(data, 16L * rows), LONG_LE, 0, 2 * rows);
            case VARIABLE -> throw new IllegalStateException();
        }
        writeValidity(v.getValidityBuffer(), rows, allDefined);
        v.setValueCount(rows);
    }

    private void writeValidity(ArrowBuf validity, int rows, boolean allDefined)
    {
        int bytes = (rows + 7) / 8;
        if (allDefined) {
            Arrays.fill(bits, 0, rows / 8, (byte) -1);
            if (rows % 8 != 0) {
                bits[rows / 8] = (byte) ((1 << (rows % 8)) - 1);
            }
        }
        else {
            pack(defined, rows);
        }
        validity.setBytes(0, bits, 0, bytes);
    }

    /** Packs the 0/1 bytes {@code ones[0, rows)} into the bits of {@link #bits}, least significant bit first. */
    private void pack(byte[] ones, int rows)
    {
        byte[] out = bits;
        int full = rows / 8;
        for (int b = 0; b < full; b++) {
            int i = 8 * b;
            out[b] = (byte) (ones[i] | ones[i + 1] << 1 | ones[i + 2] << 2 | ones[i + 3] << 3
                    | ones[i + 4] << 4 | ones[i + 5] << 5 | ones[i + 6] << 6 | ones[i + 7] << 7);
        }
        if (rows % 8 != 0) {
            int last = 0;
            for (int i = 8 * full; i < rows; i++) {
                last |= ones[i] << (i - 8 * full);
            }
            out[full] = (byte) last;
        }
    }

    private static MemorySegment segment(ArrowBuf buffer, long bytes)
    {
        return ArrowSegments.of(buffer, bytes);
    }

    // ------------------------------------------------------------------ pages

    private void readPage()
    {
        DataPage next = pageReader.readPage();
        if (next == null) {
            throw new IllegalArgumentException("the column chunk %s has fewer values than its row group has rows".formatted(where));
        }
        pageNumber++;
        int valueCount = next.getValueCount();
        if (selectedFrom != null) {
            // a page store that skips pages tells each page's first row (offset index); a reader of every
            // page of the chunk does not, and the pages follow one another (a flat column: a value per row)
            pageRow = next.getFirstRowIndex().orElse(nextPageRow);
            nextPageRow = pageRow + Math.max(0, valueCount);
        }
        if (valueCount < 0) {
            throw new IllegalArgumentException("%s has %d values".formatted(pageName(), valueCount));
        }
        if (valueCount == 0) {
            pageRemaining = 0;
            return;
        }
        Encoding encoding;
        try {
            switch (next) {
                case DataPageV1 v1 -> {
                    int position = setPage(v1.getBytes());
                    if (!required && v1.getDlEncoding() == bitPacked()) {
                        position = levels.resetBitPacked(page, position, pageEnd, 1, valueCount);
                    }
                    else if (!required) {
                        if (v1.getDlEncoding() != Encoding.RLE) {
                            throw new IllegalArgumentException("definition levels encoded with %s in %s".formatted(v1.getDlEncoding(), pageName()));
                        }
                        if (pageEnd - position < 4) {
                            throw pastEnd(position);
                        }
                        int length = (int) INT_AT.get(page, position);
                        if (length < 0 || length > pageEnd - position - 4) {
                            throw new IllegalArgumentException("definition levels of %d bytes in %s of %d bytes".formatted(length, pageName(), pageEnd - position));
                        }
                        levels.reset(page, position + 4, position + 4 + length, 1);
                        position += 4 + length;
                    }
                    encoding = v1.getValueEncoding();
                    startValues(encoding, position, valueCount);
                }
                case DataPageV2 v2 -> {
                    if (!required) {
                        ByteBuffer levelBytes = heap(v2.getDefinitionLevels());
                        levels.reset(levelBytes.array(), levelBytes.arrayOffset() + levelBytes.position(), levelBytes.arrayOffset() + levelBytes.limit(), 1);
                    }
                    int position = setPage(v2.getData());
                    encoding = v2.getDataEncoding();
                    startValues(encoding, position, valueCount);
                }
                default -> throw new IllegalArgumentException("unknown page type " + next.getClass().getSimpleName());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pageRemaining = valueCount;
    }

    /** Makes {@code bytes} the current page; returns the offset of its first byte in {@link #page}. */
    private int setPage(BytesInput bytes)
            throws IOException
    {
        ByteBuffer buffer = heap(bytes);
        if (buffer.array() != page) {
            page = buffer.array();
            pageSegment = MemorySegment.ofArray(page);
        }
        pageEnd = buffer.arrayOffset() + buffer.limit();
        return buffer.arrayOffset() + buffer.position();
    }

    /** The bytes as a heap buffer: the page's own array when it has one (no copy), else a copy. */
    private ByteBuffer heap(BytesInput bytes)
            throws IOException
    {
        ByteBuffer buffer = bytes.toByteBuffer(releaser);
        if (buffer.hasArray()) {
            return buffer;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }

    @SuppressWarnings("deprecation") // PLAIN_DICTIONARY
    private void startValues(Encoding encoding, int position, int valueCount)
    {
        dictionaryEncoded = false;
        rleBooleans = false;
        decoded = false;
        plainPosition = position;
        plainBit = 0;
        switch (encoding) {
            case PLAIN -> { }
            case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
                if (!hasDictionary) {
                    throw new IllegalArgumentException("%s is dictionary-encoded but the chunk has no dictionary page".formatted(pageName()));
                }
                if (position >= pageEnd) {
                    throw pastEnd(position);
                }
                dictionaryEncoded = true;
                ids.reset(page, position + 1, pageEnd, page[position] & 0xFF);
            }
            case RLE -> {
                if (physical != PrimitiveTypeName.BOOLEAN) {
                    throw new IllegalArgumentException("RLE-encoded %s values in %s".formatted(physical, pageName()));
                }
                if (position + 4 > pageEnd) {
                    throw pastEnd(position);
                }
                int length = (int) INT_AT.get(page, position);
                if (length < 0 || length > pageEnd - position - 4) {
                    throw pastEnd(position);
                }
                rleBooleans = true;
                ids.reset(page, position + 4, position + 4 + length, 1);
            }
            case DELTA_BINARY_PACKED -> {
                if (physical != PrimitiveTypeName.INT32 && physical != PrimitiveTypeName.INT64) {
                    throw new IllegalArgumentException("DELTA_BINARY_PACKED %s values in %s".formatted(physical, pageName()));
                }
                startDecoded(delta.decode(page, position, pageEnd, valueCount));
            }
            case DELTA_LENGTH_BYTE_ARRAY -> {
                if (physical != PrimitiveTypeName.BINARY) {
                    throw new IllegalArgumentException("DELTA_LENGTH_BYTE_ARRAY %s values in %s".formatted(physical, pageName()));
                }
                int count = delta.decode(page, position, pageEnd, valueCount);
                decodedOffsets = lengthsToOffsets(delta, delta.end(), decodedOffsets);
                decodedBytes = page;
                startDecoded(count);
            }
            case DELTA_BYTE_ARRAY -> {
                if (physical != PrimitiveTypeName.BINARY && physical != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
                    throw new IllegalArgumentException("DELTA_BYTE_ARRAY %s values in %s".formatted(physical, pageName()));
                }
                startDecoded(decodeDeltaByteArray(position, valueCount));
            }
            case BYTE_STREAM_SPLIT -> transpose(position);
            default -> throw new IllegalArgumentException("%s is encoded with %s, which this reader does not decode".formatted(pageName(), encoding));
        }
    }

    private void startDecoded(int count)
    {
        decoded = true;
        decodedIndex = 0;
        decodedCount = count;
    }

    /**
     * The offsets in {@link #page} of the values whose lengths {@code lengths} decoded and whose bytes
     * follow back to back from {@code start} (DELTA_LENGTH_BYTE_ARRAY), in {@code reuse} if it is big enough.
     */
    private int[] lengthsToOffsets(DeltaBinaryPackedDecoder lengths, int start, int[] reuse)
    {
        int count = lengths.count();
        long[] values = lengths.values();
        int[] starts = ensure(reuse, count + 1);
        long position = start;
        starts[0] = start;
        for (int i = 0; i < count; i++) {
            long length = values[i];
            position += length;
            if (length < 0 || position > pageEnd) {
                throw new IllegalArgumentException("value %d of %s (%d bytes) runs past the end of the page (%d bytes)".formatted(i, pageName(), length, pageEnd));
            }
            starts[i + 1] = (int) position;
        }
        return starts;
    }

    /**
     * DELTA_BYTE_ARRAY: the prefix lengths (DELTA_BINARY_PACKED), then the suffixes
     * (DELTA_LENGTH_BYTE_ARRAY); each value is the previous value's prefix followed by its suffix,
     * rebuilt back to back into {@link #reconstructed}. Returns the number of values.
     */
    private int decodeDeltaByteArray(int position, int valueCount)
    {
        int count = delta.decode(page, position, pageEnd, valueCount);
        int suffixes = suffixLengths.decode(page, delta.end(), pageEnd, valueCount);
        if (suffixes != count) {
            throw new IllegalArgumentException("%s has %d DELTA_BYTE_ARRAY prefix lengths but %d suffixes".formatted(pageName(), count, suffixes));
        }
        suffixOffsets = lengthsToOffsets(suffixLengths, suffixLengths.end(), suffixOffsets);
        int[] suffixStarts = suffixOffsets;
        long[] prefixes = delta.values();
        int[] starts = ensure(decodedOffsets, count + 1);
        byte[] in = page;
        byte[] out = reconstructed;
        int length = 0;
        int previousStart = 0;
        int previousLength = 0;
        starts[0] = 0;
        for (int i = 0; i < count; i++) {
            long prefix = prefixes[i];
            if (prefix < 0 || prefix > previousLength) {
                throw new IllegalArgumentException("value %d of %s has a prefix of %d bytes, longer than the previous value (%d bytes)".formatted(i, pageName(), prefix, previousLength));
            }
            int suffixStart = suffixStarts[i];
            int suffixLength = suffixStarts[i + 1] - suffixStart;
            int size = (int) prefix + suffixLength;
            if (physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY && size != typeLength) {
                throw new IllegalArgumentException("value %d of %s has %d bytes, not %d".formatted(i, pageName(), size, typeLength));
            }
            if (size > out.length - length) {
                long needed = (long) length + size;
                if (needed > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("%s holds more than 2 GB of values".formatted(pageName()));
                }
                out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * out.length + 1024)));
            }
            if (prefix > 0) {
                System.arraycopy(out, previousStart, out, length, (int) prefix);
            }
            System.arraycopy(in, suffixStart, out, length + (int) prefix, suffixLength);
            previousStart = length;
            previousLength = size;
            length += size;
            starts[i + 1] = length;
        }
        reconstructed = out;
        decodedBytes = out;
        decodedOffsets = starts;
        return count;
    }

    /**
     * BYTE_STREAM_SPLIT: byte {@code b} of value {@code i} is at {@code b * count + i}. Gathers the
     * values into {@link #transposed}, which is then read as PLAIN.
     */
    private void transpose(int position)
    {
        int width = switch (physical) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case FIXED_LEN_BYTE_ARRAY -> typeLength;
            default -> throw new IllegalArgumentException("BYTE_STREAM_SPLIT %s values in %s".formatted(physical, pageName()));
        };
        int size = pageEnd - position;
        if (width <= 0 || size % width != 0) {
            throw new IllegalArgumentException("%s has %d bytes of BYTE_STREAM_SPLIT values, not a whole number of %d-byte values".formatted(pageName(), size, width));
        }
        int count = size / width;
        if (transposed.length < size) {
            transposed = new byte[Math.max(size, 2 * transposed.length)];
            transposedSegment = MemorySegment.ofArray(transposed);
        }
        byte[] in = page;
        byte[] out = transposed;
        for (int b = 0; b < width; b++) {
            int from = position + b * count;
            for (int i = 0; i < count; i++) {
                out[i * width + b] = in[from + i];
            }
        }
        page = out;
        pageSegment = transposedSegment;
        pageEnd = size;
        plainPosition = 0;
    }

    private static int[] ensure(int[] array, int size)
    {
        return array.length >= size ? array : new int[Math.max(size, 2 * array.length)];
    }

    @SuppressWarnings("deprecation") // PLAIN_DICTIONARY
    private void readDictionary()
    {
        DictionaryPage dictionary = pageReader.readDictionaryPage();
        if (dictionary == null) {
            return;
        }
        Encoding encoding = dictionary.getEncoding();
        if (encoding != Encoding.PLAIN && encoding != Encoding.PLAIN_DICTIONARY) {
            throw new IllegalArgumentException("dictionary page of %s encoded with %s".formatted(where, encoding));
        }
        byte[] bytes;
        try {
            ByteBuffer buffer = heap(dictionary.getBytes());
            int from = buffer.arrayOffset() + buffer.position();
            int to = buffer.arrayOffset() + buffer.limit();
            // the page's own array when it holds just the page (the page reader made it for the dictionary), else a copy
            bytes = from == 0 && to == buffer.array().length && pageReader instanceof ChunkPageReader ? buffer.array() : Arrays.copyOfRange(buffer.array(), from, to);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int size = dictionary.getDictionarySize();
        if (size < 0) {
            throw new IllegalArgumentException("dictionary page of %s with %d values".formatted(where, size));
        }
        MemorySegment segment = MemorySegment.ofArray(bytes);
        int width = switch (physical) {
            case INT32, FLOAT -> 4;
            case INT64, DOUBLE -> 8;
            case INT96 -> 12;
            case FIXED_LEN_BYTE_ARRAY -> typeLength;
            default -> 0;
        };
        if (width > 0 && (long) size * width > bytes.length) {
            throw new IllegalArgumentException("dictionary page of %s: %d values of %d bytes in %d bytes".formatted(where, size, width, bytes.length));
        }
        switch (physical) {
            case INT32 -> dictInts = segment.asSlice(0, 4L * size).toArray(INT_LE);
            case INT64 -> dictLongs = segment.asSlice(0, 8L * size).toArray(LONG_LE);
            case FLOAT -> dictFloats = segment.asSlice(0, 4L * size).toArray(FLOAT_LE);
            case DOUBLE -> dictDoubles = segment.asSlice(0, 8L * size).toArray(DOUBLE_LE);
            case INT96 -> {
                dictLongs = new long[size];
                for (int i = 0; i < size; i++) {
                    dictLongs[i] = ColumnDecoder.int96ToMicros((long) LONG_AT.get(bytes, 12 * i), (int) INT_AT.get(bytes, 12 * i + 8));
                }
            }
            case FIXED_LEN_BYTE_ARRAY -> {
                dictBytes = bytes;
                dictOffsets = new int[size + 1];
                for (int i = 0; i <= size; i++) {
                    dictOffsets[i] = i * typeLength;
                }
                binaryDictionary = new DictionaryIds.Dictionary(dictBytes, dictOffsets, size);
            }
            case BINARY -> {
                // the values without their length prefixes, back to back
                byte[] values = new byte[bytes.length];
                int[] offsets = new int[size + 1];
                int position = 0;
                int length = 0;
                for (int i = 0; i < size; i++) {
                    if (position + 4 > bytes.length) {
                        throw new IllegalArgumentException("dictionary page of %s ends after %d of %d values".formatted(where, i, size));
                    }
                    int valueLength = (int) INT_AT.get(bytes, position);
                    position += 4;
                    if (valueLength < 0 || valueLength > bytes.length - position) {
                        throw new IllegalArgumentException("dictionary page of %s: value %d of %d bytes runs past its end".formatted(where, i, valueLength));
                    }
                    System.arraycopy(bytes, position, values, length, valueLength);
                    position += valueLength;
                    length += valueLength;
                    offsets[i + 1] = length;
                }
                dictBytes = values;
                dictOffsets = offsets;
                binaryDictionary = new DictionaryIds.Dictionary(dictBytes, dictOffsets, size);
            }
            case BOOLEAN -> throw new IllegalArgumentException("dictionary page for BOOLEAN column " + where);
        }
        hasDictionary = true;
    }
}
