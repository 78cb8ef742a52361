package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.arrow.ConstantVectors;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.DictionaryIds;
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
import org.apache.parquet.filter2.columnindex.RowRanges;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.hadoop.metadata.IndexReference;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the row groups of one Parquet split into Arrow batches.
 *
 * <p>The footer comes from one suffix-range GET (or the factory's cache of footers). Only row groups whose first byte lies in the split's
 * range are read, minus those whose statistics rule out {@code pruning}. Each remaining row group is
 * loaded off the decoding thread (the next one while the current one is decoded): the column index
 * may skip it or select pages, then dictionaries and bloom filters may skip it, then the chunks (or
 * selected pages) of the projected columns are fetched with parallel ranged GETs (near ranges
 * merged). Flat columns are decoded page by page straight into Arrow vectors by a {@link FlatColumnReader}
 * when it handles the chunk's encodings and the conversion (and all rows are read), else with
 * parquet-column's {@link ColumnReader}; arrays, maps and rows by {@link NestedColumn}. Not thread-safe.
 */
public final class ParquetPageSource
        implements PageSource
{
    /** bytes fetched to read a bloom filter header whose length the footer does not give */
    private static final int BLOOM_FILTER_HEADER_GUESS = 64;
    private enum Source
    {
        /** a flat column decoded by its {@link ColumnDecoder} */
        FILE,
        /** an array, map or row (or a repeated Parquet field), read by its {@link NestedColumn} */
        NESTED,
        ALIAS, MISSING, CONSTANT
    }

    private final ObjectStore store;
    private final ParquetReaderOptions options;
    /** Rows of a batch without columns (a count of rows alone): fewer batches to aggregate per row group. */
    static final int COLUMNLESS_BATCH_ROWS = 1 << 16;

    private final ParquetFooterCache footers;
    private final Split split;
    private final List<ColumnHandle> columns;
    private final TupleDomain pruning;
    private final BufferAllocator allocator;
    private final Schema schema;

    private final Source[] sources;
    private final Object[] constants;
    private final ColumnDecoder[] decoders;
    private final NestedColumn[] nested;
    private final int[] aliasOf;
    /** per column: whether its values may be returned as dictionary ids ({@link #requestDictionaryIds}) */
    private final boolean[] idsRequested;
    /** per column: the ids of the last batch, or null when its vector holds the values */
    private final DictionaryIds[] batchIds;
    private long batchesAsIds;

    private final AtomicLong bytesRead = new AtomicLong();
    private long rowsRead;
    private int rowGroupsInSplit;
    private int rowGroupsSkipped;
    private int rowGroupsSkippedByDictionary;
    private int rowGroupsSkippedByBloomFilter;
    private int rowGroupsSkippedByColumnIndex;
    private int rowGroupsSkippedByValues;
    private int rowGroupsReadSelectively;
    private long pagesSkipped;
    private int rowGroupsRead;
    private int vectorizedChunks;

    private boolean opened;
    private boolean finished;
    private boolean closed;

    private ParquetFooter footer;
    private List<BlockMetaData> blocks;
    private final List<Integer> selected = new ArrayList<>();
    private int nextSelected;
    private CachedInputFile inputFile;
    private ParquetFileReader reader;
    private MessageType fileSchema;
    private GroupConverter converter;
    private String createdBy;
    /** the Parquet leaf columns read (of flat and nested columns), each once */
    private final List<ColumnDescriptor> fileColumns = new ArrayList<>();

    /** the flat file columns with a domain, for dictionary, bloom filter and column index pruning */
    private final List<ColumnFilter> filters = new ArrayList<>();

    /** the decompressors of the decoding thread (the loader makes its own) */
    private final ParquetCodecs codecs = new ParquetCodecs();
    private FutureTask<LoadedRowGroup> prefetch;
    private int prefetchBlock = -1;

    private PageReadStore pages;
    private ColumnReader[] columnReaders;
    /** per flat column of the current row group: its vectorized reader, or null when it is read by its {@link #columnReaders} entry */
    private FlatColumnReader[] flatReaders;
    /** per flat column: the reader of its previous chunk, whose batch buffers the next chunk's reader takes over */
    private FlatColumnReader[] previousFlatReaders;
    private int currentBlock = -1;
    private long remainingInRowGroup;

    ParquetPageSource(ObjectStore store, ParquetReaderOptions options, ParquetFooterCache footers, Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.footers = requireNonNull(footers, "footers is null");
        this.split = requireNonNull(split, "split is null");
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        this.pruning = requireNonNull(pruning, "pruning is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.schema = ArrowTypes.toArrowSchema(this.columns);
        this.sources = new Source[this.columns.size()];
        this.constants = new Object[this.columns.size()];
        this.decoders = new ColumnDecoder[this.columns.size()];
        this.nested = new NestedColumn[this.columns.size()];
        this.aliasOf = new int[this.columns.size()];
        this.idsRequested = new boolean[this.columns.size()];
        this.batchIds = new DictionaryIds[this.columns.size()];
    }

    /** Granted for a varchar column before the first batch: its dictionary-encoded stretches come as ids. */
    @Override
    public boolean requestDictionaryIds(int column)
    {
        if (opened || column < 0 || column >= columns.size() || !(columns.get(column).type() instanceof Type.Varchar)
                || columns.get(column).kind() != ColumnHandle.Kind.REGULAR) {
            return false;
        }
        idsRequested[column] = true;
        return true;
    }

    @Override
    public DictionaryIds dictionaryIds(int column)
    {
        return batchIds[column];
    }

    /** Column batches returned as dictionary ids rather than values so far. */
    public long batchesAsIds()
    {
        return batchesAsIds;
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

    /** Row groups skipped because no value of a column's dictionary lies in its domain. */
    public int rowGroupsSkippedByDictionary()
    {
        return rowGroupsSkippedByDictionary;
    }

    /** Row groups skipped because a column's bloom filter holds none of the values of its domain. */
    public int rowGroupsSkippedByBloomFilter()
    {
        return rowGroupsSkippedByBloomFilter;
    }

    /** Row groups skipped because the column index ruled out every page. */
    public int rowGroupsSkippedByColumnIndex()
    {
        return rowGroupsSkippedByColumnIndex;
    }

    /**
     * Row groups skipped because no value of a selectively filtered column (an equality or IN filter on a
     * column that is not dictionary-encoded, such as an id) matched: that column was fetched and decoded
     * first, and the other columns were not fetched at all.
     */
    public int rowGroupsSkippedByValues()
    {
        return rowGroupsSkippedByValues;
    }

    /** Row groups whose other columns were decoded only for the rows a selectively filtered column matched. */
    public int rowGroupsReadSelectively()
    {
        return rowGroupsReadSelectively;
    }

    /** Data pages of the projected columns not fetched because the column index ruled out their rows. */
    public long pagesSkipped()
    {
        return pagesSkipped;
    }

    /** Row groups whose first byte lies in this split's range. */
    public int rowGroupsInSplit()
    {
        return rowGroupsInSplit;
    }

    /** Column chunks read so far by a {@link FlatColumnReader} (the others by parquet-column's {@link ColumnReader}). */
    public int vectorizedChunks()
    {
        return vectorizedChunks;
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
        // no column at all (count(*)): a batch holds no buffer, only its row count, so it may be larger
        int rows = (int) Math.min(columns.isEmpty() ? Math.max(options.batchSize(), COLUMNLESS_BATCH_ROWS) : options.batchSize(), remainingInRowGroup);
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

    /** Opens the split (footer, row group selection) and starts loading its first row group. */
    @Override
    public void startReading()
    {
        if (closed || opened) {
            return;
        }
        opened = true;
        open();
        if (!finished && !fileColumns.isEmpty() && options.prefetch()) {
            startLoad(selected.getFirst());
        }
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
            switch (column.kind()) {
                case PARTITION, HIDDEN -> {
                    sources[i] = Source.CONSTANT;
                    constants[i] = SplitColumns.constantValue(split, partitionValues, column);
                }
                case REGULAR -> sources[i] = Source.MISSING;
            }
            if (sources[i] == Source.CONSTANT && !SplitColumns.constantMayMatch(pruning, column, constants[i])) {
                constantsExclude = true;
            }
        }
        if (constantsExclude) {
            // no row of this split can pass: no need to touch the object at all
            finished = true;
            return;
        }

        footer = footers.get(split, store.keyIdentity(split.bucket(), split.key()), () -> ParquetFooter.read(store, split, options.footerReadSize(), bytesRead::addAndGet));
        blocks = footer.metadata().getBlocks();
        createdBy = footer.metadata().getFileMetaData().getCreatedBy();
        fileSchema = footer.metadata().getFileMetaData().getSchema();
        bindFileColumns();
        bindFilters();

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
                    .withCodecFactory(codecs)
                    .build();
            try {
                reader = new ParquetFileReader(inputFile, footer.metadata(), readOptions, inputFile.newStream());
            }
            catch (IOException | RuntimeException e) {
                throw corrupt(e, "cannot open the file", -1, null);
            }
            reader.setRequestedSchema(fileColumns);
            converter = NoopConverters.forGroup(fileSchema);
            columnReaders = new ColumnReader[columns.size()];
            flatReaders = new FlatColumnReader[columns.size()];
            previousFlatReaders = new FlatColumnReader[columns.size()];
        }
    }



    private void bindFileColumns()
    {
        Map<String, org.apache.parquet.schema.Type> exact = new HashMap<>();
        Map<String, org.apache.parquet.schema.Type> folded = new HashMap<>();
        for (org.apache.parquet.schema.Type field : fileSchema.getFields()) {
            exact.putIfAbsent(field.getName(), field);
            folded.putIfAbsent(field.getName().toLowerCase(Locale.ROOT), field);
        }
        Map<String, Integer> firstUse = new HashMap<>();
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
            boolean flat = field.isPrimitive() && !field.isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED);
            if (flat && !isNested(column.type())) {
                ColumnDescriptor descriptor = fileSchema.getColumnDescription(new String[] {field.getName()});
                decoders[i] = ColumnDecoder.create(split.path(), column.name(), descriptor, column.type());
                sources[i] = Source.FILE;
                fileColumns.add(descriptor);
            }
            else {
                nested[i] = NestedColumn.bind(split.path(), column.name(), fileSchema, field, column.type());
                sources[i] = Source.NESTED;
                fileColumns.addAll(nested[i].descriptors());
            }
            firstUse.put(field.getName(), i);
        }
    }

    private static boolean isNested(Type type)
    {
        return type instanceof Type.Array || type instanceof Type.MapType || type instanceof Type.Row;
    }

    /** {@code matcher}: checks the decoded values of an equality/IN domain, or null when the column's type is not supported. */
    private record ColumnFilter(int column, ColumnDecoder decoder, Domain domain, List<Object> points, PointMatcher matcher) {}

    private void bindFilters()
    {
        for (Map.Entry<String, Domain> entry : pruning.domains().entrySet()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).kind() == ColumnHandle.Kind.REGULAR && columns.get(i).name().toLowerCase(Locale.ROOT).equals(entry.getKey())) {
                    if (sources[i] == Source.FILE) {
                        List<Object> points = ChunkPruning.pointValues(entry.getValue());
                        filters.add(new ColumnFilter(i, decoders[i], entry.getValue(), points, PointMatcher.create(columns.get(i).type(), entry.getValue(), points)));
                    }
                    break;
                }
            }
        }
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
        for (ColumnDescriptor descriptor : fileColumns) {
            ColumnChunkMetaData chunk = chunk(block, descriptor);
            if (chunk == null) {
                throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: row group %d at offset %d has no chunk for column '%s'"
                        .formatted(split.path(), index, block.getStartingPos(), String.join(".", descriptor.getPath())));
            }
            if (!ParquetCodecs.SUPPORTED.contains(chunk.getCodec())) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Parquet file %s: column '%s' in row group %d is compressed with %s, which is not supported (supported: %s)"
                        .formatted(split.path(), String.join(".", descriptor.getPath()), index, chunk.getCodec(), ParquetCodecs.SUPPORTED));
            }
            long start = chunk.getStartingPos();
            long size = chunk.getTotalSize();
            if (start < ParquetFooter.MAGIC.length || size < 0 || start + size > footer.dataEnd()) {
                throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt Parquet file %s: the chunk of column '%s' in row group %d claims bytes [%d, %d), outside the data area [4, %d) of a %d-byte file"
                        .formatted(split.path(), String.join(".", descriptor.getPath()), index, start, start + size, footer.dataEnd(), split.fileSize()));
            }
        }
    }

    // ------------------------------------------------------------------ row groups

    private boolean advanceRowGroup()
    {
        releaseRowGroup();
        while (nextSelected < selected.size()) {
            int block = selected.get(nextSelected++);
            BlockMetaData metadata = blocks.get(block);
            currentBlock = block;
            if (fileColumns.isEmpty()) {
                // only constants and missing columns: the footer's row count is all we need
                rowGroupsRead++;
                remainingInRowGroup = metadata.getRowCount();
                return true;
            }
            LoadedRowGroup loaded = awaitRowGroup(block);
            // the next row group loads while this one is checked or decoded, and also when this one turns out to be skipped
            if (options.prefetch() && nextSelected < selected.size()) {
                startLoad(selected.get(nextSelected));
            }
            if (loaded.skippedBy() == null && !loaded.valueChecks().isEmpty()) {
                loaded = checkValues(block, metadata, loaded);
            }
            if (loaded.skippedBy() != null) {
                rowGroupsSkipped++;
                switch (loaded.skippedBy()) {
                    case DICTIONARY -> rowGroupsSkippedByDictionary++;
                    case BLOOM_FILTER -> rowGroupsSkippedByBloomFilter++;
                    case COLUMN_INDEX -> rowGroupsSkippedByColumnIndex++;
                    case VALUES -> rowGroupsSkippedByValues++;
                }
                continue;
            }
            rowGroupsRead++;
            pagesSkipped += loaded.pagesSkipped();
            if ((loaded.rows() == null || loaded.wholeChunks()) && allVectorized(metadata)) {
                startVectorized(block, metadata, loaded.fetched(), loaded.rows());
                remainingInRowGroup = loaded.rows() == null ? metadata.getRowCount() : loaded.rows().rowCount();
                if (loaded.rows() != null) {
                    rowGroupsReadSelectively++;
                }
            }
            else {
                startRowGroup(block, metadata, loaded);
                remainingInRowGroup = pages.getRowCount();
            }
            if (remainingInRowGroup > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether every file column of the row group is flat and read by a {@link FlatColumnReader}. */
    private boolean allVectorized(BlockMetaData metadata)
    {
        if (!options.vectorized()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] == Source.NESTED || (sources[i] == Source.FILE && !FlatColumnReader.supports(decoders[i], chunk(metadata, decoders[i].descriptor())))) {
                return false;
            }
        }
        return true;
    }

    /** Starts a row group all of whose columns are vectorized: their pages are read from the fetched bytes by {@link ChunkPageReader}s. */
    private void startVectorized(int block, BlockMetaData metadata, FetchedBytes fetched, RowRanges rows)
    {
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] != Source.FILE) {
                continue;
            }
            ColumnDescriptor descriptor = decoders[i].descriptor();
            ColumnChunkMetaData chunk = chunk(metadata, descriptor);
            try {
                if (chunk.getTotalSize() > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("a column chunk of %d bytes".formatted(chunk.getTotalSize()));
                }
                FetchedBytes.View bytes = fetched.view(chunk.getStartingPos(), (int) chunk.getTotalSize());
                ChunkPageReader pageReader = new ChunkPageReader(bytes.bytes(), bytes.offset(), bytes.length(), chunk.getValueCount(), chunk.getCodec(), codecs);
                flatReaders[i] = FlatColumnReader.create(decoders[i], pageReader, rows, chunkName(block, descriptor, chunk), previousFlatReaders[i]);
                previousFlatReaders[i] = null;
                vectorizedChunks++;
            }
            catch (RuntimeException e) {
                throw corrupt(e, "cannot decode the first page", block, descriptor);
            }
        }
    }

    private static String chunkName(int block, ColumnDescriptor descriptor, ColumnChunkMetaData chunk)
    {
        return "column '%s' in row group %d (column chunk at offset %d)".formatted(String.join(".", descriptor.getPath()), block, chunk.getStartingPos());
    }

    /** Starts a row group through parquet-hadoop's page store: flat columns by {@link FlatColumnReader} where it can, the others by {@link ColumnReader}. */
    private void startRowGroup(int block, BlockMetaData metadata, LoadedRowGroup loaded)
    {
        inputFile.setCurrent(loaded.fetched().buffers());
        try {
            pages = loaded.rows() == null ? reader.readRowGroup(block) : reader.readFilteredRowGroup(block, loaded.rows());
        }
        catch (IOException | RuntimeException e) {
            throw corrupt(e, "cannot read the pages", block, null);
        }
        finally {
            inputFile.clearCurrent();
        }
        ColumnReadStoreImpl columnStore = new ColumnReadStoreImpl(pages, converter, fileSchema, createdBy);
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] == Source.FILE) {
                ColumnDescriptor descriptor = decoders[i].descriptor();
                try {
                    ColumnChunkMetaData chunk = chunk(metadata, descriptor);
                    if (options.vectorized() && FlatColumnReader.supports(decoders[i], chunk)) {
                        flatReaders[i] = FlatColumnReader.create(decoders[i], pages.getPageReader(descriptor), loaded.rows(), chunkName(block, descriptor, chunk), previousFlatReaders[i]);
                        previousFlatReaders[i] = null;
                        vectorizedChunks++;
                    }
                    else {
                        columnReaders[i] = columnStore.getColumnReader(descriptor);
                    }
                }
                catch (RuntimeException e) {
                    throw corrupt(e, "cannot decode the first page", block, decoders[i].descriptor());
                }
            }
            else if (sources[i] == Source.NESTED) {
                try {
                    nested[i].start(columnStore::getColumnReader);
                }
                catch (RuntimeException e) {
                    throw corrupt(e, "cannot decode the first page of column '" + columns.get(i).name() + "'", block, null);
                }
            }
        }
    }

    private enum SkippedBy
    {
        DICTIONARY, BLOOM_FILTER, COLUMN_INDEX, VALUES
    }

    /**
     * A row group ready to decode: the bytes fetched for it (by offset), and the rows to read (null:
     * all of them); or the reason it was skipped. {@code wholeChunks}: the projected columns' chunks were
     * fetched whole (the rows are then read from them by {@link FlatColumnReader}s, not by parquet-java's
     * page store). {@code valueChecks}: filtered columns whose values the decoding thread checks first
     * ({@link #checkValues}); only their chunks were fetched yet.
     */
    private record LoadedRowGroup(FetchedBytes fetched, RowRanges rows, long pagesSkipped, SkippedBy skippedBy, boolean wholeChunks, List<ColumnFilter> valueChecks)
    {
        LoadedRowGroup(FetchedBytes fetched, RowRanges rows, long pagesSkipped, SkippedBy skippedBy)
        {
            this(fetched, rows, pagesSkipped, skippedBy, rows == null, List.of());
        }

        static LoadedRowGroup skipped(SkippedBy reason)
        {
            return new LoadedRowGroup(null, null, 0, reason);
        }
    }

    private LoadedRowGroup awaitRowGroup(int block)
    {
        if (prefetch == null || prefetchBlock != block) {
            cancelPrefetch();
            startLoad(block);
        }
        FutureTask<LoadedRowGroup> task = prefetch;
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

    private void startLoad(int block)
    {
        FutureTask<LoadedRowGroup> task = new FutureTask<>(() -> load(block));
        prefetch = task;
        prefetchBlock = block;
        Thread.ofVirtual().name("parquet-fetch-" + split.key()).start(task);
    }

    /**
     * Runs off the decoding thread: decides from the column index, dictionaries and bloom filters of the
     * filtered columns whether the row group (or which of its pages) can match, then fetches the bytes
     * of the projected columns that will be read.
     */
    private LoadedRowGroup load(int block)
    {
        BlockMetaData metadata = blocks.get(block);
        FetchedBytes fetched = new FetchedBytes(footer.tailOffset(), footer.tail());
        RowRanges rows = null;
        Map<ColumnPath, OffsetIndex> offsetIndexes = Map.of();

        if (options.useColumnIndex() && !filters.isEmpty()) {
            List<ColumnFilter> indexed = new ArrayList<>();
            for (ColumnFilter filter : filters) {
                ColumnChunkMetaData chunk = chunk(metadata, filter.decoder().descriptor());
                if (chunk.getColumnIndexReference() != null && chunk.getOffsetIndexReference() != null) {
                    indexed.add(filter);
                }
            }
            if (!indexed.isEmpty()) {
                // the offset indexes of every projected column (to read only some pages) and the column indexes of the filtered ones
                List<ByteRange> indexRanges = new ArrayList<>();
                for (ColumnDescriptor descriptor : fileColumns) {
                    IndexReference reference = chunk(metadata, descriptor).getOffsetIndexReference();
                    if (reference != null) {
                        indexRanges.add(new ByteRange(reference.getOffset(), reference.getLength()));
                    }
                }
                for (ColumnFilter filter : indexed) {
                    IndexReference reference = chunk(metadata, filter.decoder().descriptor()).getColumnIndexReference();
                    indexRanges.add(new ByteRange(reference.getOffset(), reference.getLength()));
                }
                fetch(fetched, indexRanges);
                offsetIndexes = new HashMap<>();
                for (ColumnDescriptor descriptor : fileColumns) {
                    ColumnChunkMetaData chunk = chunk(metadata, descriptor);
                    IndexReference reference = chunk.getOffsetIndexReference();
                    if (reference != null) {
                        offsetIndexes.put(chunk.getPath(), readIndex(block, descriptor, fetched, reference,
                                in -> ParquetMetadataConverter.fromParquetOffsetIndex(Util.readOffsetIndex(in))));
                    }
                }
                rows = RowRanges.createSingle(metadata.getRowCount());
                for (ColumnFilter filter : indexed) {
                    ColumnChunkMetaData chunk = chunk(metadata, filter.decoder().descriptor());
                    ColumnIndex columnIndex = readIndex(block, filter.decoder().descriptor(), fetched, chunk.getColumnIndexReference(),
                            in -> ParquetMetadataConverter.fromParquetColumnIndex(chunk.getPrimitiveType(), Util.readColumnIndex(in)));
                    if (columnIndex == null) {
                        continue;
                    }
                    RowRanges matching = ChunkPruning.matchingRows(columnIndex, offsetIndexes.get(chunk.getPath()), metadata.getRowCount(), filter.decoder(), filter.domain());
                    if (matching != null) {
                        rows = RowRanges.intersection(rows, matching);
                    }
                }
                if (rows.rowCount() == 0) {
                    return LoadedRowGroup.skipped(SkippedBy.COLUMN_INDEX);
                }
                if (rows.rowCount() == metadata.getRowCount() || offsetIndexes.size() < fileColumns.size()) {
                    // every row may match, or some projected column cannot be read page by page
                    rows = null;
                }
            }
        }

        if (options.useDictionary() && pruneByDictionary(block, metadata, fetched)) {
            return LoadedRowGroup.skipped(SkippedBy.DICTIONARY);
        }
        if (options.useBloomFilter() && pruneByBloomFilter(block, metadata, fetched)) {
            return LoadedRowGroup.skipped(SkippedBy.BLOOM_FILTER);
        }

        if (rows == null) {
            // a selective filter's column first: the other columns are fetched only if some of its values match
            List<ColumnFilter> valueChecks = valueChecks(metadata);
            if (!valueChecks.isEmpty()) {
                List<ByteRange> filtered = new ArrayList<>();
                for (ColumnFilter filter : valueChecks) {
                    ColumnChunkMetaData chunk = chunk(metadata, filter.decoder().descriptor());
                    filtered.add(new ByteRange(chunk.getStartingPos(), chunk.getTotalSize()));
                }
                fetch(fetched, filtered);
                return new LoadedRowGroup(fetched, null, 0, null, true, valueChecks);
            }
        }

        // the data: whole column chunks, or with a row selection only the dictionary and the pages holding selected rows
        List<ByteRange> needed = new ArrayList<>();
        long pagesSkipped = 0;
        for (ColumnDescriptor descriptor : fileColumns) {
            ColumnChunkMetaData chunk = chunk(metadata, descriptor);
            if (rows == null) {
                needed.add(new ByteRange(chunk.getStartingPos(), chunk.getTotalSize()));
                continue;
            }
            OffsetIndex offsets = offsetIndexes.get(chunk.getPath());
            if (offsets.getPageCount() > 0 && chunk.getStartingPos() < offsets.getOffset(0)) {
                needed.add(new ByteRange(chunk.getStartingPos(), offsets.getOffset(0) - chunk.getStartingPos()));
            }
            for (int page = 0; page < offsets.getPageCount(); page++) {
                if (rows.isOverlapping(offsets.getFirstRowIndex(page), offsets.getLastRowIndex(page, metadata.getRowCount()))) {
                    needed.add(new ByteRange(offsets.getOffset(page), offsets.getCompressedPageSize(page)));
                }
                else {
                    pagesSkipped++;
                }
            }
        }
        fetch(fetched, needed);
        return new LoadedRowGroup(fetched, rows, pagesSkipped, null);
    }

    /**
     * The filtered columns worth checking value by value before the other columns are fetched: an
     * equality/IN filter ({@link PointMatcher}) on a flat column whose statistics could not rule the row
     * group out and which is not entirely dictionary-encoded (a dictionary was already checked), when the
     * other projected columns hold most of the row group's bytes. Empty when every column is read anyway.
     */
    private List<ColumnFilter> valueChecks(BlockMetaData metadata)
    {
        if (!options.useValueFilter() || filters.isEmpty() || !allVectorized(metadata)) {
            return List.of();
        }
        List<ColumnFilter> checks = new ArrayList<>();
        long checkedBytes = 0;
        for (ColumnFilter filter : filters) {
            ColumnChunkMetaData chunk = chunk(metadata, filter.decoder().descriptor());
            if (filter.matcher() != null && !ChunkPruning.fullyDictionaryEncoded(chunk)) {
                checks.add(filter);
                checkedBytes += chunk.getTotalSize();
            }
        }
        if (checks.isEmpty()) {
            return List.of();
        }
        long allBytes = 0;
        for (ColumnDescriptor descriptor : fileColumns) {
            allBytes += chunk(metadata, descriptor).getTotalSize();
        }
        // the other columns must be worth not fetching: at least as many bytes as the checked ones
        return allBytes - checkedBytes >= checkedBytes ? checks : List.of();
    }

    /**
     * On the decoding thread: decodes the chunks of {@code loaded}'s value checks and keeps the rows whose
     * values match. None: the row group is skipped without fetching anything more. Else the other chunks
     * are fetched and, when the matching rows are a minority, only they are decoded.
     */
    private LoadedRowGroup checkValues(int block, BlockMetaData metadata, LoadedRowGroup loaded)
    {
        long rowCount = metadata.getRowCount();
        RowRanges matching = RowRanges.createSingle(rowCount);
        for (ColumnFilter filter : loaded.valueChecks()) {
            matching = RowRanges.intersection(matching, matchingValues(block, metadata, filter, loaded.fetched()));
            if (matching.rowCount() == 0) {
                return LoadedRowGroup.skipped(SkippedBy.VALUES);
            }
        }
        List<ByteRange> needed = new ArrayList<>();
        for (ColumnDescriptor descriptor : fileColumns) {
            ColumnChunkMetaData chunk = chunk(metadata, descriptor);
            needed.add(new ByteRange(chunk.getStartingPos(), chunk.getTotalSize()));
        }
        fetch(loaded.fetched(), needed);
        RowRanges rows = matching.rowCount() * 2 <= rowCount ? matching : null;
        return new LoadedRowGroup(loaded.fetched(), rows, 0, null, true, List.of());
    }

    /** The rows of the row group whose value of {@code filter}'s column matches its domain (decoded from the fetched chunk). */
    private RowRanges matchingValues(int block, BlockMetaData metadata, ColumnFilter filter, FetchedBytes fetched)
    {
        ColumnDescriptor descriptor = filter.decoder().descriptor();
        ColumnChunkMetaData chunk = chunk(metadata, descriptor);
        RowRanges.Builder rows = RowRanges.builder();
        try (FieldVector vector = schema.getFields().get(filter.column()).createVector(allocator)) {
            FetchedBytes.View bytes = fetched.view(chunk.getStartingPos(), (int) chunk.getTotalSize());
            ChunkPageReader pageReader = new ChunkPageReader(bytes.bytes(), bytes.offset(), bytes.length(), chunk.getValueCount(), chunk.getCodec(), codecs);
            FlatColumnReader reader = FlatColumnReader.create(filter.decoder(), pageReader, null, chunkName(block, descriptor, chunk), null);
            long rowCount = metadata.getRowCount();
            for (long row = 0; row < rowCount; ) {
                int count = (int) Math.min(options.batchSize(), rowCount - row);
                reader.readBatch(vector, count);
                filter.matcher().addMatches(vector, count, row, rows);
                row += count;
            }
            reader.release();
        }
        catch (RuntimeException e) {
            throw corrupt(e, "cannot decode a page", block, descriptor);
        }
        return rows.build();
    }

    /** Whether some filtered column's dictionary shows that no row of the row group can match. */
    private boolean pruneByDictionary(int block, BlockMetaData metadata, FetchedBytes fetched)
    {
        List<ColumnFilter> candidates = new ArrayList<>();
        List<ByteRange> ranges = new ArrayList<>();
        for (ColumnFilter filter : filters) {
            ColumnChunkMetaData chunk = chunk(metadata, filter.decoder().descriptor());
            long length = ChunkPruning.dictionaryEnd(chunk) - chunk.getStartingPos();
            if (ChunkPruning.fullyDictionaryEncoded(chunk) && length > 0 && length <= ChunkPruning.MAX_DICTIONARY_PAGE_BYTES
                    && !(filter.domain().nullAllowed() && ChunkPruning.mayHaveNulls(chunk))
                    && !filter.decoder().statisticsShowMatch(chunk, filter.domain())) {
                candidates.add(filter);
                ranges.add(new ByteRange(chunk.getStartingPos(), length));
            }
        }
        if (candidates.isEmpty()) {
            return false;
        }
        fetch(fetched, ranges);
        ParquetCodecs codecs = new ParquetCodecs();
        try {
            for (int i = 0; i < candidates.size(); i++) {
                ColumnFilter filter = candidates.get(i);
                ByteRange range = ranges.get(i);
                byte[] dictionary = fetched.slice(range.offset(), (int) range.length());
                try {
                    if (!ChunkPruning.dictionaryMayMatch(dictionary, chunk(metadata, filter.decoder().descriptor()), filter.decoder(), filter.domain(), codecs)) {
                        return true;
                    }
                }
                catch (IOException | RuntimeException e) {
                    throw corrupt(e, "cannot read the dictionary page", block, filter.decoder().descriptor());
                }
            }
        }
        finally {
            codecs.release();
        }
        return false;
    }

    /** Whether some filtered column's bloom filter holds none of the values of its equality/IN domain. */
    private boolean pruneByBloomFilter(int block, BlockMetaData metadata, FetchedBytes fetched)
    {
        // a filter bigger than the data it could save is not worth fetching
        long dataBytes = 0;
        for (ColumnDescriptor descriptor : fileColumns) {
            dataBytes += chunk(metadata, descriptor).getTotalSize();
        }
        for (ColumnFilter filter : filters) {
            if (filter.points() == null) {
                continue;
            }
            ColumnChunkMetaData chunk = chunk(metadata, filter.decoder().descriptor());
            long offset = chunk.getBloomFilterOffset();
            if (offset < 0 || offset >= split.fileSize() || chunk.getBloomFilterLength() > dataBytes
                    || (filter.domain().nullAllowed() && ChunkPruning.mayHaveNulls(chunk))
                    || filter.decoder().statisticsShowMatch(chunk, filter.domain())) {
                continue;
            }
            try {
                int length = chunk.getBloomFilterLength();
                int headerLength;
                int bitsetLength;
                if (length > 0) {
                    fetch(fetched, List.of(new ByteRange(offset, length)));
                    byte[] header = fetched.slice(offset, length);
                    headerLength = ChunkPruning.bloomFilterHeaderLength(header);
                    bitsetLength = headerLength < 0 ? 0 : ChunkPruning.bloomFilterBitsetLength(header);
                    if (headerLength < 0 || headerLength + bitsetLength > length) {
                        continue;
                    }
                }
                else {
                    // an older writer that did not record the length: the header first (a few bytes), then the bitset
                    int guess = (int) Math.min(BLOOM_FILTER_HEADER_GUESS, split.fileSize() - offset);
                    fetch(fetched, List.of(new ByteRange(offset, guess)));
                    byte[] header = fetched.slice(offset, guess);
                    headerLength = ChunkPruning.bloomFilterHeaderLength(header);
                    if (headerLength < 0) {
                        continue;
                    }
                    bitsetLength = ChunkPruning.bloomFilterBitsetLength(header);
                    if (offset + headerLength + bitsetLength > split.fileSize()) {
                        continue;
                    }
                    fetch(fetched, List.of(new ByteRange(offset + headerLength, bitsetLength)));
                }
                byte[] bitset = fetched.slice(offset + headerLength, bitsetLength);
                if (!ChunkPruning.bloomFilterMayMatch(bitset, filter.decoder(), filter.points())) {
                    return true;
                }
            }
            catch (IOException | RuntimeException e) {
                throw corrupt(e, "cannot read the bloom filter at offset " + offset, block, filter.decoder().descriptor());
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface IndexParser<T>
    {
        T parse(java.io.InputStream in)
                throws IOException;
    }

    private <T> T readIndex(int block, ColumnDescriptor descriptor, FetchedBytes fetched, IndexReference reference, IndexParser<T> parser)
    {
        try {
            return parser.parse(new java.io.ByteArrayInputStream(fetched.slice(reference.getOffset(), reference.getLength())));
        }
        catch (IOException | RuntimeException e) {
            throw corrupt(e, "cannot read the column or offset index at offset " + reference.getOffset(), block, descriptor);
        }
    }

    /** Fetches the parts of {@code ranges} not fetched yet (near ranges merged, long ones cut for parallel GETs). */
    private void fetch(FetchedBytes fetched, List<ByteRange> ranges)
    {
        List<ByteRange> missing = ByteRange.coalesce(fetched.missing(ranges), options.maxMergeGap(), options.maxRequestSize());
        if (missing.isEmpty()) {
            return;
        }
        List<byte[]> data = store.readRanges(split.bucket(), split.key(), missing);
        for (int i = 0; i < missing.size(); i++) {
            fetched.add(missing.get(i).offset(), data.get(i));
            bytesRead.addAndGet(data.get(i).length);
        }
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
            for (int i = 0; i < flatReaders.length; i++) {
                if (flatReaders[i] != null) {
                    flatReaders[i].release();
                    previousFlatReaders[i] = flatReaders[i];
                    flatReaders[i] = null;
                }
            }
        }
        for (NestedColumn column : nested) {
            if (column != null) {
                column.finish();
            }
        }
        remainingInRowGroup = 0;
    }

    // ------------------------------------------------------------------ batches

    private void fill(VectorSchemaRoot root, int rows)
    {
        java.util.Arrays.fill(batchIds, null);
        for (int i = 0; i < columns.size(); i++) {
            FieldVector vector = root.getVector(i);
            switch (sources[i]) {
                case CONSTANT -> ConstantVectors.fill(vector, columns.get(i).type(), constants[i], rows);
                case MISSING -> ConstantVectors.fillNull(vector, rows);
                case FILE -> {
                    try {
                        if (flatReaders[i] != null && idsRequested[i] && !aliased(i)) {
                            batchIds[i] = flatReaders[i].readIds(vector, rows);
                            if (batchIds[i] != null) {
                                batchesAsIds++;
                                ConstantVectors.fillNull(vector, rows);
                            }
                        }
                        else if (flatReaders[i] != null) {
                            flatReaders[i].readBatch(vector, rows);
                        }
                        else {
                            decoders[i].decode(columnReaders[i], vector, rows);
                        }
                    }
                    catch (RuntimeException e) {
                        throw corrupt(e, "cannot decode a page", currentBlock, decoders[i].descriptor());
                    }
                }
                case NESTED -> {
                    try {
                        nested[i].read(vector, rows);
                    }
                    catch (RuntimeException e) {
                        throw corrupt(e, "cannot decode a page of column '" + columns.get(i).name() + "'", currentBlock, null);
                    }
                }
                case ALIAS -> { }
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] == Source.ALIAS) {
                ConstantVectors.copy(root.getVector(aliasOf[i]), root.getVector(i), rows);
            }
        }
        root.setRowCount(rows);
    }

    /** Whether another requested column is a copy of column {@code column}'s values. */
    private boolean aliased(int column)
    {
        for (int i = 0; i < columns.size(); i++) {
            if (sources[i] == Source.ALIAS && aliasOf[i] == column) {
                return true;
            }
        }
        return false;
    }

    private RuntimeException corrupt(Throwable e, String what, int block, ColumnDescriptor descriptor)
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
        if (descriptor != null) {
            where.append(", column '").append(String.join(".", descriptor.getPath())).append('\'');
        }
        if (block >= 0) {
            BlockMetaData metadata = blocks.get(block);
            where.append(", row group ").append(block).append(" at offset ").append(metadata.getStartingPos());
            if (descriptor != null) {
                ColumnChunkMetaData chunk = chunk(metadata, descriptor);
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
            codecs.release();
        }
    }
}
