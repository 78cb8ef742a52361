package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.DictionaryIds;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.split.Split;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.FilterEvaluator;
import io.glaux.engine.expr.Projector;
import io.glaux.engine.expr.Selection;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link ScanFragment} over splits: read → filter → project → (partial aggregation) → limit.
 * Without aggregation, {@link #process} sends output batches (columns {@code c0..}) to the sink as it
 * goes; with aggregation it accumulates (sending its groups early, and starting over, whenever its
 * hash table passes {@link #PARTIAL_FLUSH_BYTES}), and {@link #finish} sends the partial result (columns
 * {@code k0.., a0..}). The limit caps the rows sent in total; once reached, reading stops
 * ({@link #isFinished()}). With aggregation the limit applies to the groups emitted (and, for an
 * aggregation without aggregates, i.e. DISTINCT, reading stops once enough groups are found).
 *
 * <p>One instance per thread; a worker runs several in parallel. Every Arrow buffer it allocates comes
 * from its own child allocator, closed by {@link #close()}.
 */
public final class FragmentRunner
        implements AutoCloseable
{
    /** A partial aggregation's heap past which it sends its groups and starts over (Trino: 16MB). */
    static final long PARTIAL_FLUSH_BYTES = 16L << 20;
    /** Rows a dynamic filter is evaluated on before it may be dropped for keeping nearly all of them. */
    static final long DYNAMIC_SAMPLE_ROWS = 64 * 1024;
    static final double DYNAMIC_KEEP_RATIO = 0.9;

    private final ScanFragment fragment;
    private final PageSourceFactory pageSources;
    private final BufferAllocator allocator;
    private final List<Type> columnTypes;
    private final FilterEvaluator filter;
    /** The fragment's dynamic filter while it drops rows; null once it kept nearly all of a sample (or without one). */
    private FilterEvaluator dynamicFilter;
    /** Rows the dynamic filter was evaluated on, and kept, since it started. */
    private long dynamicRowsIn;
    private long dynamicRowsOut;
    private final Projector projector;
    /** The partial aggregation so far; replaced by a new one each time it is flushed. */
    private HashAggregator aggregator;
    /** A fresh partial aggregation of the same shape (after a flush). */
    private final java.util.function.Supplier<HashAggregator> newAggregator;
    private final long partialFlushBytes;
    /** Whether the aggregator reads the scan batch directly (all projections are plain columns). */
    private final boolean aggregateScanColumns;
    /**
     * The scan column that is the aggregation's only group key (or the only column its key's projection
     * reads), a varchar nothing else reads, which the page sources are asked for as dictionary ids
     * (grouped per id, not per value); -1 when none.
     */
    private final int dictionaryKey;
    /** The key's projection over the scan columns, when the key is computed from {@link #dictionaryKey}; null when it is the column itself. */
    private final Projector keyProjector;
    /** The dictionary {@link #keyProjector} was last evaluated over, its results (entry {@code size}: the result for NULL) and per entry its id there or -1 for NULL. */
    private DictionaryIds.Dictionary mappedFrom;
    private DictionaryIds.Dictionary mappedDictionary;
    private int[] mappedIdOf = new int[0];
    private int[] mappedIds = new int[0];
    private int[] identityPositions = new int[0];
    private final boolean distinctOnly;
    private final long limit;
    private final Schema outputSchema;
    private final Selection allRows = new Selection();
    /** Page sources created (and reading) ahead of {@link #process}, by split. */
    private final Map<Split, PageSource> prepared = new HashMap<>();

    private long rowsIn;
    private long rowsOut;
    /** Bytes read by the page sources closed so far. */
    private long bytesRead;
    /** The page source of the split being processed. */
    private PageSource current;
    private Runnable onInputBatch = () -> {};
    private long batchesIn;
    private boolean finished;
    private boolean emitted;
    private boolean closed;

    public FragmentRunner(ScanFragment fragment, PageSourceFactory pageSources, BufferAllocator allocator)
    {
        this(fragment, pageSources, allocator, PARTIAL_FLUSH_BYTES);
    }

    /** @param partialFlushBytes a partial aggregation's heap past which it sends its groups early */
    FragmentRunner(ScanFragment fragment, PageSourceFactory pageSources, BufferAllocator allocator, long partialFlushBytes)
    {
        this.partialFlushBytes = partialFlushBytes;
        this.fragment = requireNonNull(fragment, "fragment is null");
        this.pageSources = requireNonNull(pageSources, "pageSources is null");
        requireNonNull(allocator, "allocator is null");
        this.columnTypes = fragment.columns().stream().map(ColumnHandle::type).toList();
        this.filter = fragment.filter().map(f -> FilterEvaluator.compile(f, columnTypes)).orElse(null);
        this.dynamicFilter = fragment.dynamicFilter().map(f -> FilterEvaluator.compile(f, columnTypes)).orElse(null);
        this.projector = Projector.compile(fragment.projections(), columnTypes);
        this.limit = fragment.limit().orElse(Long.MAX_VALUE);

        BufferAllocator child = allocator.newChildAllocator("fragment " + fragment.table(), 0, Long.MAX_VALUE);
        HashAggregator hashAggregator = null;
        java.util.function.Supplier<HashAggregator> factory = null;
        boolean direct = false;
        try {
            if (fragment.aggregation().isPresent()) {
                direct = projector.isIdentityLike();
                // aggregate straight from the scan columns (projection indexes mapped to column indexes), or from the projections
                Aggregation aggregation = direct ? toScanColumns(fragment.aggregation().get()) : fragment.aggregation().get();
                List<Type> inputTypes = direct ? columnTypes : projector.outputTypes();
                factory = () -> new HashAggregator(aggregation, inputTypes, child);
                hashAggregator = factory.get();
            }
        }
        catch (RuntimeException e) {
            child.close();
            throw e;
        }
        this.allocator = child;
        this.aggregator = hashAggregator;
        this.newAggregator = factory;
        this.aggregateScanColumns = direct;
        int key = -1;
        Projector keyProjection = null;
        if (hashAggregator != null && hashAggregator.acceptsDictionaryKey()) {
            int projection = fragment.aggregation().get().groupKeys().getFirst();
            if (direct) {
                key = scanColumn(projection);
            }
            else {
                // a key computed from one varchar column (regexp_extract(url, ...)): computed once per dictionary entry
                Expression expression = fragment.projections().get(projection);
                key = Math.max(onlyColumn(expression), -1);
                for (int p = 0; p < fragment.projections().size() && key >= 0; p++) {
                    if (p != projection && references(fragment.projections().get(p), key)) {
                        key = -1;
                    }
                }
                if (key >= 0 && (!(columnTypes.get(key) instanceof Type.Varchar) || !deterministic(expression))) {
                    key = -1;
                }
                if (key >= 0) {
                    keyProjection = Projector.compile(List.of(expression), columnTypes);
                }
            }
            if (key >= 0 && fragment.filter().isPresent() && references(fragment.filter().get(), key)) {
                key = -1;
                keyProjection = null;
            }
        }
        if (key >= 0 && fragment.dynamicFilter().isPresent() && references(fragment.dynamicFilter().get(), key)) {
            // the key's vector holds no values when it is read as dictionary ids: grouping per id saves more than the
            // dynamic filter would (the join then looks up a few groups)
            dynamicFilter = null;
        }
        this.dictionaryKey = key;
        this.keyProjector = keyProjection;
        this.distinctOnly = hashAggregator != null && fragment.aggregation().get().aggregates().isEmpty();
        this.outputSchema = hashAggregator != null ? hashAggregator.outputSchema() : projector.outputSchema();
    }

    private Aggregation toScanColumns(Aggregation aggregation)
    {
        List<Integer> keys = new ArrayList<>();
        for (int key : aggregation.groupKeys()) {
            keys.add(scanColumn(key));
        }
        List<AggregateCall> calls = new ArrayList<>();
        for (AggregateCall call : aggregation.aggregates()) {
            calls.add(call.mapInputs(this::scanColumn));
        }
        return new Aggregation(keys, calls, aggregation.step());
    }

    private static boolean references(Expression expression, int column)
    {
        return switch (expression) {
            case Expression.InputRef ref -> ref.index() == column;
            case Expression.Literal _ -> false;
            case Expression.Call call -> call.arguments().stream().anyMatch(argument -> references(argument, column));
            case Expression.FunctionCall call -> call.arguments().stream().anyMatch(argument -> references(argument, column));
            case Expression.SpecialForm form -> form.arguments().stream().anyMatch(argument -> references(argument, column));
        };
    }

    /** The only scan column {@code expression} reads, or -1 when it reads none, -2 when several. */
    private static int onlyColumn(Expression expression)
    {
        return switch (expression) {
            case Expression.InputRef ref -> ref.index();
            case Expression.Literal _ -> -1;
            case Expression.Call call -> onlyColumn(call.arguments());
            case Expression.FunctionCall call -> onlyColumn(call.arguments());
            case Expression.SpecialForm form -> onlyColumn(form.arguments());
        };
    }

    private static int onlyColumn(List<Expression> arguments)
    {
        int column = -1;
        for (Expression argument : arguments) {
            int used = onlyColumn(argument);
            if (used == -2 || (used >= 0 && column >= 0 && used != column)) {
                return -2;
            }
            if (used >= 0) {
                column = used;
            }
        }
        return column;
    }

    /** Whether {@code expression} gives the same value for the same input (no random function). */
    private static boolean deterministic(Expression expression)
    {
        return switch (expression) {
            case Expression.InputRef _, Expression.Literal _ -> true;
            case Expression.Call call -> call.arguments().stream().allMatch(FragmentRunner::deterministic);
            case Expression.FunctionCall call -> !Set.of("uuid", "random", "rand", "shuffle").contains(call.name())
                    && call.arguments().stream().allMatch(FragmentRunner::deterministic);
            case Expression.SpecialForm form -> form.arguments().stream().allMatch(FragmentRunner::deterministic);
        };
    }

    private int scanColumn(int projection)
    {
        if (projection < 0 || projection >= fragment.projections().size()) {
            throw new IllegalArgumentException("aggregation input " + projection + " out of range");
        }
        return ((Expression.InputRef) fragment.projections().get(projection)).index();
    }

    /** The schema of the batches sent to the sinks: {@code c0..} or, with aggregation, {@code k0.., a0..}. */
    public Schema outputSchema()
    {
        return outputSchema;
    }

    /**
     * Creates the page source of a split this runner will {@link #process} later and lets it start
     * reading ({@link PageSource#startReading()}), so that its first data arrives while other work is
     * done. A prepared split that is never processed is closed with the runner.
     */
    public void prepare(Split split)
    {
        requireNonNull(split, "split is null");
        checkOpen();
        if (finished || prepared.containsKey(split)) {
            return;
        }
        PageSource source = create(split);
        prepared.put(split, source);
        source.startReading();
    }

    /** Reads one split and processes its rows; output batches (no aggregation) go to {@code sink}. */
    public void process(Split split, BatchSink sink)
    {
        requireNonNull(split, "split is null");
        requireNonNull(sink, "sink is null");
        checkOpen();
        if (finished) {
            return;
        }
        PageSource source = prepared.remove(split);
        if (source == null) {
            source = create(split);
        }
        current = source;
        try {
            while (!finished) {
                VectorSchemaRoot batch = source.nextBatch();
                if (batch == null) {
                    break;
                }
                try {
                    processBatch(batch, dictionaryKey >= 0 ? source.dictionaryIds(dictionaryKey) : null, sink);
                }
                finally {
                    batch.close();
                }
                onInputBatch.run();
            }
        }
        finally {
            current = null;
            try {
                bytesRead += source.bytesRead();
            }
            finally {
                source.close();
            }
        }
    }

    /**
     * Runs {@code listener} on the processing thread after each batch a split yields, so that the
     * caller can report {@link #bytesRead()} while a long split is still being read.
     */
    public void onInputBatch(Runnable listener)
    {
        this.onInputBatch = requireNonNull(listener, "listener is null");
    }

    private PageSource create(Split split)
    {
        PageSource source = pageSources.create(split, fragment.columns(), fragment.pruning(), allocator);
        if (dictionaryKey >= 0) {
            source.requestDictionaryIds(dictionaryKey);
        }
        return source;
    }

    /** {@code keyIds}: the group key's values as dictionary ids (its vector is then all NULL), or null. */
    private void processBatch(VectorSchemaRoot batch, DictionaryIds keyIds, BatchSink sink)
    {
        int rowCount = batch.getRowCount();
        rowsIn += rowCount;
        batchesIn++;
        Selection selection = filter == null ? allRows.selectAll(rowCount) : filter.filter(batch);
        if (dynamicFilter != null && selection.count() > 0) {
            applyDynamicFilter(batch, selection);
        }
        if (aggregator != null) {
            if (aggregateScanColumns) {
                aggregator.addInput(batch, selection.positions(), selection.count(), keyIds);
            }
            else if (selection.count() > 0) {
                DictionaryIds mapped = null;
                if (keyIds != null) {
                    mapped = mapKeyIds(keyIds, selection);
                    if (mapped == null) {
                        // the key's projection fails on some dictionary value: the rows' values, computed row by row
                        materialize(batch.getVector(dictionaryKey), keyIds);
                    }
                }
                try (VectorSchemaRoot projected = projector.project(batch, selection, allocator)) {
                    if (mapped != null) {
                        aggregator.addInput(projected, identityPositions(selection.count()), selection.count(), mapped);
                    }
                    else {
                        aggregator.addInput(projected);
                    }
                }
            }
            if (distinctOnly && aggregator.groupCount() >= limit) {
                finished = true;
            }
            else if (aggregator.estimatedSizeInBytes() > partialFlushBytes) {
                // a partial aggregation may send its groups early: the final step merges them again
                // (as Trino's does at its memory budget), so high-cardinality groupings stay bounded here
                emitGroups(sink);
                aggregator.close();
                aggregator = newAggregator.get();
            }
            return;
        }
        long remaining = limit - rowsOut;
        if (selection.count() >= remaining) {
            selection.truncate((int) remaining);
            finished = true;
        }
        if (selection.count() == 0) {
            return;
        }
        try (VectorSchemaRoot output = projector.project(batch, selection, allocator)) {
            rowsOut += output.getRowCount();
            sink.accept(output);
        }
    }

    /**
     * Narrows {@code selection} to the rows the dynamic filter keeps. After {@link #DYNAMIC_SAMPLE_ROWS}
     * rows, a filter that kept more than {@link #DYNAMIC_KEEP_RATIO} of them is dropped: the join
     * looks the rows up anyway, so evaluating it would cost more than it saves.
     */
    private void applyDynamicFilter(VectorSchemaRoot batch, Selection selection)
    {
        int count = selection.count();
        int kept = dynamicFilter.filter(batch, selection.positions(), count, selection.positions());
        selection.set(kept, selection.isAll() && kept == count);
        dynamicRowsIn += count;
        dynamicRowsOut += kept;
        if (dynamicRowsIn >= DYNAMIC_SAMPLE_ROWS && dynamicRowsOut > dynamicRowsIn * DYNAMIC_KEEP_RATIO) {
            dynamicFilter = null;
        }
    }

    /** Rows the dynamic filter dropped (of those the fragment's filter kept). */
    public long rowsDynamicallyFiltered()
    {
        return dynamicRowsIn - dynamicRowsOut;
    }

    private int[] identityPositions(int count)
    {
        if (identityPositions.length < count) {
            identityPositions = new int[Math.max(count, 2 * identityPositions.length)];
            for (int i = 0; i < identityPositions.length; i++) {
                identityPositions[i] = i;
            }
        }
        return identityPositions;
    }

    /**
     * The ids of the key computed by {@link #keyProjector} for the selected rows whose column comes as
     * {@code keyIds}: the projection runs once over the dictionary's values (and NULL), and each row takes
     * its entry's result. Null when the projection fails on some value of the dictionary (which may be
     * one no selected row holds): then the rows must be computed one by one, failing only on theirs.
     */
    private DictionaryIds mapKeyIds(DictionaryIds keyIds, Selection selection)
    {
        DictionaryIds.Dictionary dictionary = keyIds.dictionary();
        if (dictionary != mappedFrom) {
            mappedFrom = dictionary;
            mappedDictionary = null;
            try {
                mapDictionary(dictionary);
            }
            catch (RuntimeException e) {
                mappedDictionary = null;
            }
        }
        if (mappedDictionary == null) {
            return null;
        }
        int count = selection.count();
        int[] positions = selection.positions();
        if (mappedIds.length < count) {
            mappedIds = new int[Math.max(count, 2 * mappedIds.length)];
        }
        int[] ids = keyIds.ids();
        int[] idOf = mappedIdOf;
        int nullEntry = dictionary.size();
        for (int j = 0; j < count; j++) {
            int id = ids[positions[j]];
            mappedIds[j] = idOf[id < 0 ? nullEntry : id];
        }
        return new DictionaryIds(mappedDictionary, mappedIds, count);
    }

    /** Writes the values of {@code keyIds} into {@code vector} (which holds NULLs in their place). */
    private static void materialize(org.apache.arrow.vector.FieldVector vector, DictionaryIds keyIds)
    {
        byte[] bytes = keyIds.dictionary().bytes();
        int[] offsets = keyIds.dictionary().offsets();
        int[] ids = keyIds.ids();
        int rows = keyIds.rows();
        long total = 0;
        for (int r = 0; r < rows; r++) {
            if (ids[r] >= 0) {
                total += offsets[ids[r] + 1] - offsets[ids[r]];
            }
        }
        org.apache.arrow.vector.BaseVariableWidthVector text = (org.apache.arrow.vector.BaseVariableWidthVector) vector;
        text.allocateNew(Math.max(1, total), rows);
        for (int r = 0; r < rows; r++) {
            int id = ids[r];
            if (id < 0) {
                text.setNull(r);
            }
            else {
                text.setSafe(r, bytes, offsets[id], offsets[id + 1] - offsets[id]);
            }
        }
        text.setValueCount(rows);
    }

    private void mapDictionary(DictionaryIds.Dictionary dictionary)
    {
        int size = dictionary.size();
        byte[] bytes = dictionary.bytes();
        int[] offsets = dictionary.offsets();
        try (VectorSchemaRoot values = VectorSchemaRoot.create(io.glaux.connectors.arrow.ArrowTypes.toArrowSchema(fragment.columns()), allocator)) {
            for (int c = 0; c < columnTypes.size(); c++) {
                org.apache.arrow.vector.FieldVector vector = values.getVector(c);
                if (c != dictionaryKey) {
                    io.glaux.connectors.arrow.ConstantVectors.fillNull(vector, size + 1);
                    continue;
                }
                org.apache.arrow.vector.BaseVariableWidthVector text = (org.apache.arrow.vector.BaseVariableWidthVector) vector;
                text.allocateNew(Math.max(1, offsets[size]), size + 1);
                for (int i = 0; i < size; i++) {
                    text.setSafe(i, bytes, offsets[i], offsets[i + 1] - offsets[i]);
                }
                text.setNull(size);
                text.setValueCount(size + 1);
            }
            values.setRowCount(size + 1);
            try (VectorSchemaRoot results = keyProjector.project(values, new Selection().selectAll(size + 1), allocator)) {
                org.apache.arrow.vector.BaseVariableWidthVector result = (org.apache.arrow.vector.BaseVariableWidthVector) results.getVector(0);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int[] mappedOffsets = new int[size + 2];
                int[] idOf = mappedIdOf.length >= size + 1 ? mappedIdOf : new int[size + 1];
                for (int i = 0; i <= size; i++) {
                    if (result.isNull(i)) {
                        idOf[i] = -1;
                    }
                    else {
                        out.writeBytes(result.get(i));
                        idOf[i] = i;
                    }
                    mappedOffsets[i + 1] = out.size();
                }
                mappedIdOf = idOf;
                mappedDictionary = new DictionaryIds.Dictionary(out.toByteArray(), mappedOffsets, size + 1);
            }
        }
    }

    /**
     * Ends the input: with aggregation, sends the (partial) aggregation result to {@code sink} (for a
     * global aggregation exactly one row, even if no split was processed). Without aggregation, nothing.
     */
    public void finish(BatchSink sink)
    {
        requireNonNull(sink, "sink is null");
        checkOpen();
        finished = true;
        if (aggregator == null || emitted) {
            return;
        }
        emitted = true;
        emitGroups(sink);
    }

    private void emitGroups(BatchSink sink)
    {
        aggregator.emit(batch -> {
            rowsOut += batch.getRowCount();
            sink.accept(batch);
        }, limit);
    }

    /** Whether the limit was reached: further splits need not be processed. */
    public boolean isFinished()
    {
        return finished;
    }

    /** Rows read from the splits (before filtering). */
    public long rowsIn()
    {
        return rowsIn;
    }

    /** Rows sent to sinks. */
    public long rowsOut()
    {
        return rowsOut;
    }

    /**
     * Bytes read from the object store so far: by the page sources of the splits processed, of the
     * split being processed and of the splits prepared (reading ahead) but not processed yet, so that
     * a runner that stops early (its LIMIT) still counts what it fetched. Call it from the processing
     * thread.
     */
    public long bytesRead()
    {
        long total = bytesRead;
        PageSource source = current;
        if (source != null) {
            total += source.bytesRead();
        }
        for (PageSource ahead : prepared.values()) {
            total += ahead.bytesRead();
        }
        return total;
    }

    public long batchesIn()
    {
        return batchesIn;
    }

    /** Arrow memory currently allocated by this runner. */
    public long allocatedBytes()
    {
        return allocator.getAllocatedMemory();
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("fragment runner is closed");
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (PageSource source : prepared.values()) {
                bytesRead += source.bytesRead();
                source.close();
            }
            prepared.clear();
            if (aggregator != null) {
                aggregator.close();
            }
        }
        finally {
            allocator.close();
        }
    }
}
