package io.glaux.connectors.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.compress.DecompressionLimits;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.ScanColumns;
import io.glaux.connectors.line.LineReaderOptions;
import io.glaux.connectors.line.MalformedLineException;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ObjectInputStream;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one CloudTrail log object (see {@link CloudTrailPageSourceFactory}) into Arrow batches,
 * streaming: the object is decompressed by its extension and parsed with Jackson's streaming parser,
 * each element of {@code Records} written straight into the vectors. Keys other than {@code Records}
 * at the top level are skipped; a document without {@code Records} (a digest file) has no rows; several
 * documents one after another are all read. Only the split at byte 0 reads the object.
 *
 * <p>Errors name the object and the byte offset (in the decompressed data for a compressed object):
 * {@code BAD_DATA} for malformed JSON, a document that is not an object, a {@code Records} that is not
 * an array of objects, or a value that cannot be coerced to its column's type; {@code CORRUPT_FILE}
 * for compressed data that does not decompress. Not thread-safe.
 */
final class CloudTrailPageSource
        implements PageSource
{
    private static final String RECORDS = "records";

    private enum State
    {
        /** Before a document, or after the end of one. */
        BETWEEN_DOCUMENTS,
        /** Inside a document's Records array. */
        IN_RECORDS,
        FINISHED
    }

    private final ObjectStore store;
    private final LineReaderOptions options;
    private final JsonFormat format;
    private final Split split;
    private final List<ColumnHandle> columns;
    private final TupleDomain pruning;
    private final BufferAllocator allocator;
    private final Schema schema;

    private ScanColumns scanColumns;
    /** Output positions of the columns read from records, in the record writer's field order. */
    private int[] recordColumns = new int[0];
    private JsonValueWriter.RowWriter recordWriter;

    private State state = State.BETWEEN_DOCUMENTS;
    private boolean opened;
    private boolean closed;
    private long rowsRead;
    private CompressionKind compression = CompressionKind.NONE;
    private ObjectInputStream objectStream;
    private InputStream stream;
    private JsonParser parser;

    CloudTrailPageSource(ObjectStore store, LineReaderOptions options, JsonFormat format, Split split, List<ColumnHandle> columns,
            TupleDomain pruning, BufferAllocator allocator)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.format = requireNonNull(format, "format is null");
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
        if (state == State.FINISHED) {
            return null;
        }
        VectorSchemaRoot root = ScanColumns.readBatch(schema, allocator, this::readBatch);
        if (root != null) {
            rowsRead += root.getRowCount();
        }
        return root;
    }

    private void open()
    {
        // an object is one JSON document: only the split at byte 0 reads it
        if (pruning.isNone() || split.start() > 0) {
            state = State.FINISHED;
            return;
        }
        scanColumns = ScanColumns.of(split, columns, pruning);
        if (scanColumns.excludesSplit()) {
            // no row of this object can pass: do not read it
            state = State.FINISHED;
            return;
        }
        List<JsonValueWriter> writers = new ArrayList<>();
        List<Type.Field> fields = new ArrayList<>();
        JsonValueWriter.Utf8 utf8 = new JsonValueWriter.Utf8(format);
        for (ColumnHandle column : scanColumns.decodedColumns()) {
            writers.add(JsonValueWriter.create(column.name(), column.type(), format, utf8));
            fields.add(new Type.Field(column.name().toLowerCase(Locale.ROOT), column.type()));
        }
        recordColumns = scanColumns.decodedPositions();
        recordWriter = new JsonValueWriter.RowWriter("", new Type.Row(fields), writers, fields.stream().map(Type.Field::name).toList(), format);

        compression = CompressionKind.fromKey(split.key());
        objectStream = new ObjectInputStream(store, split.bucket(), split.key(), 0, split.fileSize(), options.readChunkSize(), split.fileSize());
        try {
            stream = compression.open(objectStream, split.path(), DecompressionLimits.current());
            parser = format.factory().createParser(stream);
        }
        catch (IOException | RuntimeException e) {
            throw corrupt(e);
        }
    }

    private int readBatch(VectorSchemaRoot root)
    {
        FieldVector[] vectors = new FieldVector[recordColumns.length];
        for (int i = 0; i < recordColumns.length; i++) {
            vectors[i] = root.getVector(recordColumns[i]);
            vectors[i].setInitialCapacity(options.batchSize());
            vectors[i].allocateNew();
        }
        int rows = 0;
        long batchStart = parser.currentLocation().getByteOffset();
        try {
            while (rows < options.batchSize() && parser.currentLocation().getByteOffset() - batchStart < options.maxBatchBytes()) {
                if (!nextRecord()) {
                    break;
                }
                recordWriter.writeFields(parser, vectors, rows);
                rows++;
            }
        }
        catch (MalformedLineException e) {
            throw badData(e.getMessage(), parser.currentTokenLocation(), e);
        }
        catch (JsonProcessingException e) {
            throw badData("invalid JSON: " + e.getOriginalMessage(), e.getLocation() == null ? parser.currentLocation() : e.getLocation(), e);
        }
        catch (IOException e) {
            throw corrupt(e);
        }
        catch (GlauxException | OutOfMemoryException e) {
            throw e;
        }
        catch (RuntimeException e) {
            // decompressors throw unchecked exceptions for some damaged input
            throw corrupt(e);
        }
        if (rows == 0) {
            return 0;
        }
        scanColumns.complete(root, rows);
        return rows;
    }

    /** Moves the parser to the next record's {@code START_OBJECT}; false at the end of the object. */
    private boolean nextRecord()
            throws IOException
    {
        while (true) {
            switch (state) {
                case FINISHED -> {
                    return false;
                }
                case IN_RECORDS -> {
                    JsonToken token = parser.nextToken();
                    if (token == JsonToken.START_OBJECT) {
                        return true;
                    }
                    if (token != JsonToken.END_ARRAY) {
                        throw badData("each element of Records must be an object, not " + describe(token), parser.currentTokenLocation(), null);
                    }
                    // the rest of the document
                    skipFields(false);
                    state = State.BETWEEN_DOCUMENTS;
                }
                case BETWEEN_DOCUMENTS -> {
                    JsonToken token = parser.nextToken();
                    if (token == null) {
                        state = State.FINISHED;
                        return false;
                    }
                    if (token != JsonToken.START_OBJECT) {
                        throw badData("a CloudTrail log must be a JSON object with a Records array, not " + describe(token), parser.currentTokenLocation(), null);
                    }
                    if (skipFields(true)) {
                        state = State.IN_RECORDS;
                    }
                }
            }
        }
    }

    /**
     * Skips the current object's fields up to its end or, when {@code untilRecords}, up to the start of
     * its Records array (then true).
     */
    private boolean skipFields(boolean untilRecords)
            throws IOException
    {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean records = untilRecords && parser.currentName().toLowerCase(Locale.ROOT).equals(RECORDS);
            JsonToken value = parser.nextToken();
            if (records && value == JsonToken.START_ARRAY) {
                return true;
            }
            if (records && value != JsonToken.VALUE_NULL) {
                throw badData("Records must be an array, not " + describe(value), parser.currentTokenLocation(), null);
            }
            parser.skipChildren();
        }
        return false;
    }

    private static String describe(JsonToken token)
    {
        return JsonDeserializer.describe(token, "the end of the object");
    }

    private GlauxException badData(String message, JsonLocation location, Throwable cause)
    {
        return new GlauxException(ErrorCode.BAD_DATA, "Malformed CloudTrail data in %s at %s: %s"
                .formatted(split.path(), offsetDescription(location.getByteOffset()), message), cause);
    }

    private String offsetDescription(long offset)
    {
        if (compression != CompressionKind.NONE) {
            return "offset %d of the %s-decompressed data".formatted(offset, compression.name().toLowerCase(Locale.ROOT));
        }
        return "byte offset " + offset;
    }

    private GlauxException corrupt(Exception e)
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
        return new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt%s file %s: cannot read it, after %d bytes of the object: %s"
                .formatted(kind, split.path(), compressedOffset, cause), e);
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (parser != null) {
                parser.close();
            }
            if (stream != null) {
                stream.close();
            }
        }
        catch (IOException | RuntimeException e) {
            // nothing useful to do: the object was only read
        }
        if (objectStream != null) {
            objectStream.close();
        }
    }
}
