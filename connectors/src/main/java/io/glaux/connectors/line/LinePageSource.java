package io.glaux.connectors.line;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.compress.Bzip2RangeInputStream;
import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.compress.DecompressionLimits;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.ScanColumns;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectInputStream;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads one split of a line-oriented object into Arrow batches.
 *
 * <p>An uncompressed object is read from the split's start with ranged GETs in bounded chunks
 * ({@link ObjectInputStream}), read ahead up to the split's end and past it only as far as the last
 * line needs ({@link LineReader}'s Hadoop rule: every line of the object is read by exactly one split).
 * A bzip2 object is split at its blocks by the same rule ({@link Bzip2RangeInputStream}). An object
 * compressed otherwise ({@link CompressionKind#fromKey}), or one whose table skips more than one header
 * line or any footer line, cannot be split: the split starting at byte 0 reads all of it and any other
 * split of it is empty. Header lines are skipped at the start of the object only.
 *
 * <p>Errors name the object and the line: {@code BAD_DATA} for a line the format cannot decode, a
 * line that is too long, or an object that is recognizably not text (a Parquet, ORC or Avro file,
 * compressed data without the extension that says so); {@code CORRUPT_FILE} for compressed data that
 * cannot be decompressed (truncated, not in the format its name says). A UTF-8 byte order mark at the
 * start of an object is dropped. Not thread-safe.
 */
public final class LinePageSource
        implements PageSource
{
    private final ObjectStore store;
    private final LineReaderOptions options;
    private final LineFormat format;
    private final int headerLines;
    private final int footerLines;
    private final Split split;
    private final List<ColumnHandle> columns;
    private final TupleDomain pruning;
    private final BufferAllocator allocator;
    private final Schema schema;

    private ScanColumns scanColumns;
    /** Output positions of the columns the deserializer writes, in its order. */
    private int[] lineColumns = new int[0];

    private boolean opened;
    private boolean finished;
    private boolean closed;
    private long rowsRead;

    private CompressionKind compression = CompressionKind.NONE;
    private boolean fromStart;
    private ObjectInputStream objectStream;
    private InputStream stream;
    private LineReader reader;
    /** The rows each batch's vectors are first allocated for (they grow when a batch has more). */
    private int rowCapacity;
    /** The split's bzip2 blocks, when it is a byte range of a bzip2 object. */
    private Bzip2RangeInputStream bzip2Range;
    private long bzip2Base;
    private LineDeserializer deserializer;
    private ArrayDeque<HeldLine> footer;

    // the current line
    private byte[] lineBuffer;
    private int lineStart;
    private int lineLength;
    private long lineNumber;
    private long lineOffset;

    LinePageSource(ObjectStore store, LineReaderOptions options, LineFormat format, int headerLines, int footerLines,
            Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.format = requireNonNull(format, "format is null");
        this.headerLines = headerLines;
        this.footerLines = footerLines;
        this.split = requireNonNull(split, "split is null");
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        this.pruning = requireNonNull(pruning, "pruning is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.schema = ArrowTypes.toArrowSchema(this.columns);
    }

    @Override
    public long bytesRead()
    {
        return objectStream == null ? 0 : objectStream.bytesFetched();
    }

    @Override
    public long rowsRead()
    {
        return rowsRead;
    }

    /** The schema of the batches: the requested columns, in order. */
    public Schema schema()
    {
        return schema;
    }

    @Override
    public VectorSchemaRoot nextBatch()
    {
        if (closed) {
            throw new IllegalStateException("page source is closed");
        }
        if (!opened) {
            opened = true;
            open();
        }
        if (finished) {
            return null;
        }
        VectorSchemaRoot root = ScanColumns.readBatch(schema, allocator, this::readBatch);
        if (root != null) {
            rowsRead += root.getRowCount();
        }
        return root;
    }

    // ------------------------------------------------------------------ opening

    private void open()
    {
        if (pruning.isNone()) {
            finished = true;
            return;
        }
        scanColumns = ScanColumns.of(split, columns, pruning);
        if (scanColumns.excludesSplit()) {
            // no row of this split can pass: do not touch the object at all
            finished = true;
            return;
        }
        lineColumns = scanColumns.decodedPositions();
        rowCapacity = options.batchSize();
        deserializer = format.createDeserializer(scanColumns.decodedColumns(), split.path());

        compression = CompressionKind.fromKey(split.key());
        boolean wholeObject = !compression.isSplittable() || headerLines > 1 || footerLines > 0;
        if (wholeObject && split.start() > 0) {
            // an object that cannot be split is read whole by its split at byte 0
            finished = true;
            return;
        }
        long start = wholeObject ? 0 : split.start();
        long end = wholeObject ? split.fileSize() : split.start() + split.length();
        fromStart = start == 0;
        objectStream = new ObjectInputStream(store, split.bucket(), split.key(), start, split.fileSize(), options.readChunkSize(), end);
        if (compression == CompressionKind.BZIP2 && !wholeObject) {
            openBzip2Range(start, end);
            if (finished) {
                return;
            }
        }
        else {
            try {
                stream = compression.open(objectStream, split.path(), DecompressionLimits.current());
            }
            catch (IOException | RuntimeException e) {
                throw corrupt(e, "cannot start decompressing");
            }
            boolean plain = compression == CompressionKind.NONE;
            // an uncompressed split of a small object gets buffers and vectors of its size, not the maximum
            int initialBuffer = plain ? (int) Math.min(Integer.MAX_VALUE, end - start + 1) : Integer.MAX_VALUE;
            if (plain) {
                rowCapacity = (int) Math.min(options.batchSize(), Math.max(64, (end - start) / 16 + 1));
            }
            reader = new LineReader(stream, plain ? start : 0, plain && !wholeObject ? end : Long.MAX_VALUE, options.maxLineLength(), initialBuffer);
        }
        if (footerLines > 0) {
            footer = new ArrayDeque<>(footerLines + 1);
        }
        if (fromStart) {
            for (int i = 0; i < headerLines; i++) {
                if (!advance()) {
                    finished = true;
                    return;
                }
            }
        }
    }

    /**
     * A byte range of a bzip2 object: the lines of the blocks that start in it, by the same rule as for
     * uncompressed text (skip the partial first line unless the range holds the file's first block; read
     * every line starting at or before the end of the range's blocks, finishing the last one in the next
     * block). Offsets in the decompressed data count from the range's first block, plus one when the
     * first line is skipped.
     */
    private void openBzip2Range(long start, long end)
    {
        Bzip2RangeInputStream blocks;
        try {
            blocks = new Bzip2RangeInputStream(objectStream, start, end);
        }
        catch (IOException | RuntimeException e) {
            throw corrupt(e, "cannot find the bzip2 blocks of the split starting at byte " + start);
        }
        stream = blocks;
        if (blocks.isEmpty()) {
            finished = true;
            return;
        }
        fromStart = blocks.startsAtFirstBlock();
        long base = fromStart ? 0 : 1;
        bzip2Range = blocks;
        bzip2Base = base;
        reader = new LineReader(stream, base, Long.MAX_VALUE, options.maxLineLength());
    }

    // ------------------------------------------------------------------ batches

    private int readBatch(VectorSchemaRoot root)
    {
        List<FieldVector> vectors = new ArrayList<>(lineColumns.length);
        for (int position : lineColumns) {
            FieldVector vector = root.getVector(position);
            vector.setInitialCapacity(rowCapacity);
            vector.allocateNew();
            vectors.add(vector);
        }
        boolean decode = lineColumns.length > 0;
        if (decode) {
            deserializer.startBatch(vectors);
        }
        int rows = 0;
        long bytes = 0;
        while (rows < options.batchSize() && bytes < options.maxBatchBytes()) {
            if (!nextLine()) {
                finished = true;
                break;
            }
            bytes += lineLength;
            try {
                boolean row = decode
                        ? deserializer.deserialize(lineBuffer, lineStart, lineLength, rows)
                        : deserializer.isRow(lineBuffer, lineStart, lineLength);
                if (row) {
                    rows++;
                }
            }
            catch (MalformedLineException e) {
                throw new GlauxException(ErrorCode.BAD_DATA, "Malformed %s data in %s at %s: %s"
                        .formatted(format.displayName(), split.path(), lineLocation(), e.getMessage()), e);
            }
        }
        if (rows == 0) {
            return 0;
        }
        scanColumns.complete(root, rows);
        return rows;
    }

    /** The next data line, holding back the footer lines; false at the end. */
    private boolean nextLine()
    {
        if (footer == null) {
            return advance();
        }
        while (footer.size() <= footerLines) {
            if (!advance()) {
                return false;
            }
            footer.addLast(new HeldLine(Arrays.copyOfRange(lineBuffer, lineStart, lineStart + lineLength), lineNumber, lineOffset));
        }
        HeldLine line = footer.removeFirst();
        lineBuffer = line.bytes();
        lineStart = 0;
        lineLength = line.bytes().length;
        lineNumber = line.number();
        lineOffset = line.offset();
        return true;
    }

    /** Reads the next line of the object into the current-line fields; false at the end of the split. */
    private boolean advance()
    {
        try {
            if (!reader.next()) {
                return false;
            }
        }
        catch (LineReader.LineTooLongException e) {
            throw new GlauxException(ErrorCode.BAD_DATA, "Line too long in %s at %s: %s"
                    .formatted(split.path(), offsetDescription(e.offset()), e.getMessage()), e);
        }
        catch (IOException e) {
            throw corrupt(e, "cannot read line " + (reader.lineNumber() + 1));
        }
        catch (GlauxException | OutOfMemoryException e) {
            throw e;
        }
        catch (RuntimeException e) {
            // decompressors throw unchecked exceptions for some damaged input
            throw corrupt(e, "cannot read line " + (reader.lineNumber() + 1));
        }
        if (bzip2Range != null && bzip2Range.rangeEnd() != Long.MAX_VALUE && reader.lineOffset() > bzip2Base + bzip2Range.rangeEnd()) {
            // the line starts in a block of the next split
            return false;
        }
        lineBuffer = reader.buffer();
        lineStart = reader.lineStart();
        lineLength = reader.lineLength();
        lineNumber = reader.lineNumber();
        lineOffset = reader.lineOffset();
        if (lineOffset == 0 && fromStart) {
            checkStartOfObject();
        }
        return true;
    }

    /** Rejects objects that are not text, and drops a UTF-8 byte order mark from the first line. */
    private void checkStartOfObject()
    {
        if (compression == CompressionKind.NONE) {
            String what = FileSignatures.describe(lineBuffer, lineStart, lineLength);
            if (what != null) {
                throw new GlauxException(ErrorCode.BAD_DATA, "%s is not a %s file: it is %s"
                        .formatted(split.path(), format.displayName(), what));
            }
        }
        if (lineLength >= 3 && lineBuffer[lineStart] == (byte) 0xEF && lineBuffer[lineStart + 1] == (byte) 0xBB && lineBuffer[lineStart + 2] == (byte) 0xBF) {
            lineStart += 3;
            lineLength -= 3;
        }
    }

    private String lineLocation()
    {
        if (fromStart) {
            return "line %d (%s)".formatted(lineNumber, offsetDescription(lineOffset));
        }
        return "%s (line %d of the split starting at byte %d)".formatted(offsetDescription(lineOffset), lineNumber, split.start());
    }

    private String offsetDescription(long offset)
    {
        if (compression != CompressionKind.NONE) {
            return "offset %d of the %s-decompressed data".formatted(offset, compression.name().toLowerCase(Locale.ROOT));
        }
        return "byte offset " + offset;
    }

    private GlauxException corrupt(Exception e, String what)
    {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GlauxException glaux) {
                return glaux;
            }
        }
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof java.io.EOFException) {
            cause = "unexpected end of the compressed data (the object is truncated)";
        }
        String kind = compression == CompressionKind.NONE ? "" : " " + compression.name().toLowerCase(Locale.ROOT);
        long compressedOffset = objectStream == null ? 0 : objectStream.position();
        return new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt%s file %s: %s, after %d bytes of the object: %s"
                .formatted(kind, split.path(), what, compressedOffset, cause), e);
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            try {
                stream.close();
            }
            catch (IOException | RuntimeException e) {
                // nothing useful to do: the object was only read
            }
        }
        if (objectStream != null) {
            objectStream.close();
        }
    }

    private record HeldLine(byte[] bytes, long number, long offset) {}
}
