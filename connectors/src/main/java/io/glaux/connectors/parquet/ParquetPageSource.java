package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.arrow.ConstantVectors;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.SplitColumns;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.s3.ByteRange;
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
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the row groups of one Parquet split into Arrow batches.
 *
 * <p>The footer comes from one suffix-range GET. Only row groups whose first byte lies in the split's
 * range are read, minus those whose statistics rule out {@code pruning}. For each row group the chunks
 * of the projected columns are fetched with parallel ranged GETs (near ranges merged), and the next
 * row group is prefetched while the current one is decoded. Values are decoded with parquet-column's
 * {@link ColumnReader} straight into Arrow vectors. Not thread-safe.
 */
public final class ParquetPageSource
        implements PageSource
{
    private static final GroupConverter NO_CONVERTER = new NoopGroupConverter();

    private enum Source
    {
        FILE, ALIAS, MISSING, CONSTANT
    }

    private final ObjectStore store;
    private final ParquetReaderOptions options;
    private final Split split;
    private final List<ColumnHandle> columns;
    private final TupleDomain pruning;
    private final BufferAllocator allocator;
    private final Schema schema;

    private final Source[] sources;
    private final Object[] constants;
    private final ColumnDecoder[] decoders;
    private final int[] aliasOf;

    private final AtomicLong bytesRead = new AtomicLong();
    private long rowsRead;
    private int rowGroupsInSplit;
    private int rowGroupsSkipped;
    private int rowGroupsRead;

    private boolean opened;
    private boolean finished;
    private boolean closed;

    private ParquetFooter footer;
    private List<BlockMetaData> blocks;
    private final List<Integer> selected = new ArrayList<>();
    private int nextSelected;
    private CachedInputFile inputFile;
    private ParquetFileReader reader;
    private MessageType requestedSchema;
    private String createdBy;
    private final List<ColumnDecoder> fileColumns = new ArrayList<>();

    private FutureTask<Map<Long, byte[]>> prefetch;
    private int prefetchBlock = -1;

    private PageReadStore pages;
    private ColumnReader[] columnReaders;
    private int currentBlock = -1;
    private long remainingInRowGroup;

    ParquetPageSource(ObjectStore store, ParquetReaderOptions options, Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.split = requireNonNull(split, "split is null");
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        this.pruning = requireNonNull(pruning, "pruning is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.schema = ArrowTypes.toArrowSchema(this.columns);
        this.sources = new Source[this.columns.size()];
        this.constants = new Object[this.columns.size()];
        this.decoders = new ColumnDecoder[this.columns.size()];
        this.aliasOf = new int[this.columns.size()];
    }

    @Override
    public long bytesRead()
    {
        return bytesRead.get();
    }

    @Override
    public long rowsRead()
    {
        return rowsRead;
    }

    /** Row groups of this split (by starting offset) that statistics, partition values or an empty domain ruled out. */
    public int rowGroupsSkipped()
    {
        return rowGroupsSkipped;
    }

    /** Row groups whose first byte lies in this split's range. */
    public int rowGroupsInSplit()
    {
        return rowGroupsInSplit;
    }

    /** Row groups read so far. */
    public int rowGroupsRead()
    {
        return rowGroupsRead;
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
        while (remainingInRowGroup == 0) {
            if (!advanceRowGroup()) {
                finished = true;
                releaseRowGroup();
                return null;
            }
        }
        int rows = (int) Math.min(options.batchSize(), remainingInRowGroup);
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            fill(root, rows);
        }
        catch (RuntimeException | Error e) {
            root.close();
            throw e;
        }
        remainingInRowGroup -= rows;
        rowsRead += rows;
        return root;
    }

    // ------------------------------------------------------------------ opening

    private void open()
    {
        if (pruning.isNone()) {
            finished = true;
            return;
        }
        Map<String, String> partitionValues = SplitColumns.partitionValues(split);

        boolean constantsExclude = false;
        for (int i = 0; i < columns.size(); i++) {
            ColumnHandle column = columns.get(i);
            if (column.kind() == ColumnHandle.Kind.REGULAR) {
                sources[i] = Source.MISSING;
                continue;
            }
            sources[i] = Source.CONSTANT;
            constants[i] = SplitColumns.constantValue(split, partitionValues, column);
            if (!SplitColumns.constantMayMatch(pruning, column, constants[i])) {
                constantsExclude = true;
            }
        }
        if (constantsExclude) {
            // no row of this split can pass: no need to touch the object at all
            finished = true;
            return;
        }

        footer = ParquetFooter.read(store, split, options.footerReadSize(), bytesRead::addAndGet);
        blocks = footer.metadata().getBlocks();
        createdBy = footer.metadata().getFileMetaData().getCreatedBy();
        MessageType fileSchema = footer.metadata().getFileMetaData().getSchema();
        bindFileColumns(fileSchema);

        long splitEnd = split.start() + split.length();
        for (int b = 0; b < blocks.size(); b++) {
            BlockMetaData block = blocks.get(b);
            if (block.getColumns().isEmpty()) {
                continue;
            }
            long start = block.getStartingPos();
            if (start < split.start() || start >= splitEnd) {
                continue;
            }
            rowGroupsInSplit++;
            if (block.getRowCount() == 0) {
                continue;
            }
            if (!mayMatch(block)) {
                rowGroupsSkipped++;
                continue;
            }
            validateChunks(b, block);
            selected.add(b);
        }
        if (selected.isEmpty()) {
            finished = true;
            return;
        }
        if (!fileColumns.isEmpty()) {
            inputFile = new CachedInputFile(store, split.bucket(), split.key(), split.fileSize(), bytesRead::addAndGet);
            inputFile.pin(footer.tailOffset(), footer.tail());
            ParquetReadOptions readOptions = ParquetReadOptions.builder(new PlainParquetConfiguration())
                    .useStatsFilter(false)
                    .useDictionaryFilter(false)
                    .useRecordFilter(false)
                    .useColumnIndexFilter(false)
                    .useBloomFilter(false)
                    .build();
            try {
                reader = new ParquetFileReader(inputFile, footer.metadata(), readOptions, inputFile.newStream());
            }
            catch (IOException | RuntimeException e) {
                throw corrupt(e, "cannot open the file", -1, null);
            }
            reader.setRequestedSchema(requestedSchema);
            columnReaders = new ColumnReader[columns.size()];
        }
    }

    private void bindFileColumns(MessageType fileSchema)
    {
        Map<String, org.apache.parquet.schema.Type> exact = new HashMap<>();
        Map<String, org.apache.parquet.schema.Type> folded = new HashMap<>();
        for (org.apache.parquet.schema.Type field : fileSchema.getFields()) {
            exact.putIfAbsent(field.getName(), field);
            folded.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), field);
        }
        Map<String, Integer> firstUse = new HashMap<>();
        Map<String, org.apache.parquet.schema.Type> requested = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnHandle column = columns.get(i);
            if (column.kind() != ColumnHandle.Kind.REGULAR) {
                continue;
            }
            org.apache.parquet.schema.Type field = exact.get(column.name());
            if (field == null) {
                field = folded.get(column.name().toLowerCase(Locale.ROOT));
            }
            if (field == null) {
                sources[i] = Source.MISSING;
                continue;
            }
            if (!field.isPrimitive() || field.isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED)) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column '%s' of %s is a nested or repeated Parquet column (%s), which is not supported yet"
                        .formatted(column.name(), split.path(), field.toString().trim()));
            }
            Integer first = firstUse.get(field.getName());
            if (first != null) {
                if (!columns.get(first).type().equals(column.type())) {
                    throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column '%s' is requested twice with different types (%s, %s)"
                            .formatted(column.name(), columns.get(first).type().trinoName(), column.type().trinoName()));
                }
                sources[i] = Source.ALIAS;
                aliasOf[i] = first;
                continue;
            }
            ColumnDescriptor descriptor = fileSchema.getColumnDescription(new String[] {field.getName()});
            decoders[i] = ColumnDecoder.create(split.path(), column.name(), descriptor, column.type());
            sources[i] = Source.FILE;
            firstUse.put(field.getName(), i);
            requested.put(field.getName(), field);
            fileColumns.add(decoders[i]);
        }
        requestedSchema = new MessageType(fileSchema.getName(), new ArrayList<>(requested.values()));
    }

    private boolean mayMatch(BlockMetaData block)
    {
        for (Map.Entry<String, Domain> entry : pruning.domains().entrySet()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).kind() != ColumnHandle.Kind.REGULAR
                        || !columns.get(i).name().toLowerCase(Locale.ROOT).equals(entry.getKey())) {
                    continue;
                }
                Domain domain = entry.getValue();
                if (sources[i] == Source.MISSING) {
                    if (!domain.nullAllowed()) {
                        return false;
                    }
                }
                else if (sources[i] == Source.FILE) {
                    ColumnChunkMetaData chunk = chunk(block, decoders[i].descriptor());
                    if (chunk != null && !decoders[i].mayMatch(chunk, domain)) {
                        return false;
                    }
                }
                break;
            }
        }
        return true;
    }

    private static ColumnChunkMetaData chunk(BlockMetaData block, ColumnDescriptor descriptor)
    {
        ColumnPath path = ColumnPath.get(descriptor.getPath());
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            if (chunk.getPath().equals(path)) {
                return chunk;
            }
        }
        return null;
    }

    private void validateChunks(int index, BlockMetaData block)
    {
        for (ColumnDecoder decoder : fileColumns) {
            ColumnChunkMetaData chunk = chunk(block, decoder.descriptor());
            if (chunk == null) {
                throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: row group %d at offset %d has no chunk for column '%s'"
                        .formatted(split.path(), index, block.getStartingPos(), String.join(".", decoder.descriptor().getPath())));
            }
            long start = chunk.getStartingPos();
            long size = chunk.getTotalSize();
            if (start < ParquetFooter.MAGIC.length || size < 0 || start + size > footer.dataEnd()) {
                throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: the chunk of column '%s' in row group %d claims bytes [%d, %d), outside the data area [4, %d) of a %d-byte file"
                        .formatted(split.path(), String.join(".", decoder.descriptor().getPath()), index, start, start + size, footer.dataEnd(), split.fileSize()));
            }
        }
    }

    // ------------------------------------------------------------------ row groups

    private boolean advanceRowGroup()
    {
        releaseRowGroup();
        if (nextSelected >= selected.size()) {
            return false;
        }
        int block = selected.get(nextSelected++);
        BlockMetaData metadata = blocks.get(block);
        currentBlock = block;
        rowGroupsRead++;
        if (fileColumns.isEmpty()) {
            // only constants and missing columns: the footer's row count is all we need
            remainingInRowGroup = metadata.getRowCount();
            return true;
        }
        Map<Long, byte[]> buffers = awaitChunks(block);
        inputFile.setCurrent(buffers);
        try {
            pages = reader.readRowGroup(block);
        }
        catch (IOException | RuntimeException e) {
            throw corrupt(e, "cannot read the pages", block, null);
        }
        finally {
            inputFile.clearCurrent();
        }
        if (options.prefetch() && nextSelected < selected.size()) {
            startFetch(selected.get(nextSelected));
        }
        ColumnReadStoreImpl columnStore = new ColumnReadStoreImpl(pages, NO_CONVERTER, requestedSchema, createdBy);
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] == Source.FILE) {
                try {
                    columnReaders[i] = columnStore.getColumnReader(decoders[i].descriptor());
                }
                catch (RuntimeException e) {
                    throw corrupt(e, "cannot decode the first page", block, decoders[i]);
                }
            }
        }
        remainingInRowGroup = metadata.getRowCount();
        return true;
    }

    private Map<Long, byte[]> awaitChunks(int block)
    {
        if (prefetch == null || prefetchBlock != block) {
            cancelPrefetch();
            startFetch(block);
        }
        FutureTask<Map<Long, byte[]>> task = prefetch;
        prefetch = null;
        prefetchBlock = -1;
        try {
            return task.get();
        }
        catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Interrupted while reading " + split.path(), e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Failed to read " + split.path(), e.getCause());
        }
    }

    private void startFetch(int block)
    {
        List<ByteRange> ranges = chunkRanges(blocks.get(block));
        FutureTask<Map<Long, byte[]>> task = new FutureTask<>(() -> fetch(ranges));
        prefetch = task;
        prefetchBlock = block;
        Thread.ofVirtual().name("parquet-fetch-" + split.key()).start(task);
    }

    /** The ranges of the projected column chunks not already in the tail, merged and cut for parallel GETs. */
    private List<ByteRange> chunkRanges(BlockMetaData block)
    {
        List<ByteRange> needed = new ArrayList<>();
        long tailStart = footer.tailOffset();
        for (ColumnDecoder decoder : fileColumns) {
            ColumnChunkMetaData chunk = chunk(block, decoder.descriptor());
            long start = chunk.getStartingPos();
            long end = Math.min(start + chunk.getTotalSize(), tailStart);
            if (end > start) {
                needed.add(new ByteRange(start, end - start));
            }
        }
        return ByteRange.coalesce(needed, options.maxMergeGap(), options.maxRequestSize());
    }

    private Map<Long, byte[]> fetch(List<ByteRange> ranges)
    {
        Map<Long, byte[]> buffers = new HashMap<>();
        if (ranges.isEmpty()) {
            return buffers;
        }
        List<byte[]> data = store.readRanges(split.bucket(), split.key(), ranges);
        for (int i = 0; i < ranges.size(); i++) {
            buffers.put(ranges.get(i).offset(), data.get(i));
            bytesRead.addAndGet(data.get(i).length);
        }
        return buffers;
    }

    private void cancelPrefetch()
    {
        if (prefetch != null) {
            prefetch.cancel(true);
            prefetch = null;
            prefetchBlock = -1;
        }
    }

    private void releaseRowGroup()
    {
        if (pages != null) {
            PageReadStore old = pages;
            pages = null;
            old.close();
        }
        if (columnReaders != null) {
            java.util.Arrays.fill(columnReaders, null);
        }
        remainingInRowGroup = 0;
    }

    // ------------------------------------------------------------------ batches

    private void fill(VectorSchemaRoot root, int rows)
    {
        for (int i = 0; i < columns.size(); i++) {
            FieldVector vector = root.getVector(i);
            switch (sources[i]) {
                case CONSTANT -> ConstantVectors.fill(vector, columns.get(i).type(), constants[i], rows);
                case MISSING -> ConstantVectors.fillNull(vector, rows);
                case FILE -> {
                    try {
                        decoders[i].decode(columnReaders[i], vector, rows);
                    }
                    catch (RuntimeException e) {
                        throw corrupt(e, "cannot decode a page", currentBlock, decoders[i]);
                    }
                }
                case ALIAS -> { }
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] == Source.ALIAS) {
                FieldVector source = root.getVector(aliasOf[i]);
                FieldVector target = root.getVector(i);
                target.setInitialCapacity(rows);
                target.allocateNew();
                for (int row = 0; row < rows; row++) {
                    target.copyFromSafe(row, row, source);
                }
                target.setValueCount(rows);
            }
        }
        root.setRowCount(rows);
    }

    private RuntimeException corrupt(Throwable e, String what, int block, ColumnDecoder decoder)
    {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GlauxException glaux) {
                return glaux;
            }
            if (t instanceof OutOfMemoryException memory) {
                return memory;
            }
        }
        StringBuilder where = new StringBuilder();
        if (decoder != null) {
            where.append(", column '").append(String.join(".", decoder.descriptor().getPath())).append('\'');
        }
        if (block >= 0) {
            BlockMetaData metadata = blocks.get(block);
            where.append(", row group ").append(block).append(" at offset ").append(metadata.getStartingPos());
            if (decoder != null) {
                ColumnChunkMetaData chunk = chunk(metadata, decoder.descriptor());
                if (chunk != null) {
                    where.append(" (column chunk at offset ").append(chunk.getStartingPos()).append(", ").append(chunk.getTotalSize()).append(" bytes, ").append(chunk.getCodec()).append(')');
                }
            }
        }
        String cause = e.getMessage() == null ? e.toString() : e.getMessage();
        return new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s%s: %s: %s".formatted(split.path(), where, what, cause), e);
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        cancelPrefetch();
        try {
            releaseRowGroup();
        }
        finally {
            if (reader != null) {
                try {
                    reader.close();
                }
                catch (IOException | RuntimeException e) {
                    // nothing useful to do: the file was only read
                }
            }
        }
    }

    /** Values are read straight from {@link ColumnReader}s; the converters are never called. */
    private static final class NoopGroupConverter
            extends GroupConverter
    {
        private static final PrimitiveConverter PRIMITIVE = new PrimitiveConverter() {};

        @Override
        public Converter getConverter(int fieldIndex)
        {
            return PRIMITIVE;
        }

        @Override
        public void start() {}

        @Override
        public void end() {}
    }
}
