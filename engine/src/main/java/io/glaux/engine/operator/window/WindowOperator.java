package io.glaux.engine.operator.window;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.operator.aggregation.HashPartitioner;
import io.glaux.engine.operator.sort.ColumnValues;
import io.glaux.engine.operator.sort.ExternalSorter;
import io.glaux.engine.operator.sort.RowComparator;
import io.glaux.engine.operator.sort.RowGather;
import io.glaux.engine.operator.sort.SortBuffer;
import io.glaux.engine.plan.SortKey;
import io.glaux.engine.plan.WindowFunction;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

/**
 * Window functions ({@link io.glaux.engine.plan.PlanNode.Window}): output = the input columns, then one
 * column per {@link WindowFunction}, typed as its {@code type()}.
 *
 * <p>The input is sorted by the partition keys, then the order keys, with the same
 * {@link ExternalSorter} as ORDER BY (so it spills the same way). Sorted batches accumulate in a
 * buffer whose partition and order keys are on the heap; as soon as a partition boundary shows up, the
 * complete partitions before it are computed at once and emitted in batches of at most
 * {@link ExternalSorter#OUTPUT_ROWS} rows, and the rows of the unfinished partition move on to a new
 * buffer. One partition must fit in memory.
 *
 * <p>Functions ({@link WindowFunctions}): row_number, rank, dense_rank, percent_rank, cume_dist,
 * ntile; lag and lead (offset and default from the constants, IGNORE NULLS); first_value,
 * last_value, nth_value (IGNORE NULLS); and the aggregates count(*), count, sum, avg, min and max.
 * Value functions and aggregates use their frame: ROWS or RANGE, with UNBOUNDED, n PRECEDING, CURRENT
 * ROW and n FOLLOWING bounds (RANGE peers = rows with equal order keys; RANGE offsets on one numeric,
 * date or timestamp order key, in the key's stored unit: days for date, microseconds for timestamp; a
 * row whose key is NULL has its NULL peers as an offset bound). Everything is O(rows) per partition: frame bounds move monotonically,
 * count/sum/avg use prefix sums (sums of integers in 128 bits, so only a frame's own overflow fails),
 * min/max a monotonic deque, and the value functions index tables of non-null rows.
 */
public final class WindowOperator
        implements Operator
{
    private final OperatorContext context;
    private final Operator source;
    private final List<Type> inputTypes;
    /** The input's types and, with PARTITION BY, the hash of the partition keys the rows are sorted by first. */
    private final List<Type> sortTypes;
    private final List<Type> outputTypes;
    private final List<SortKey> keys;
    private final int partitionKeyCount;
    private final WindowFunctions functions;
    private final ExternalSorter sorter;
    /** Hashes the partition keys (null without PARTITION BY). */
    private final HashPartitioner partitionHash;
    private long[] hashes = new long[0];

    private Chunk current;
    private int lastPartitionStart;
    private boolean sourceDone;
    private boolean inputDone;

    private Chunk emitting;
    private int emitEnd;
    private int emitPosition;
    private WindowFunctions.Result[] results;
    private boolean closed;

    public WindowOperator(OperatorContext context, Operator source, List<Integer> partitionKeys, List<SortKey> orderKeys, List<WindowFunction> functions)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        this.inputTypes = source.outputTypes();
        List<Type> types = new ArrayList<>(inputTypes);
        functions.forEach(function -> types.add(function.type()));
        this.outputTypes = List.copyOf(types);
        // rows are sorted by the hash of their partition keys first: a partition's rows only need to come
        // together, and a well-mixed hash tells nearly all rows apart in the sort's first 64-bit prefix
        // (the first eight bytes of a string key, an IP address, say, do not)
        List<Type> sorted = new ArrayList<>(inputTypes);
        List<SortKey> all = new ArrayList<>();
        if (!partitionKeys.isEmpty()) {
            sorted.add(Type.BIGINT);
            all.add(SortKey.ascending(inputTypes.size()));
        }
        this.sortTypes = List.copyOf(sorted);
        this.partitionHash = partitionKeys.isEmpty() ? null : new HashPartitioner(inputTypes, partitionKeys, 1);
        for (int key : partitionKeys) {
            all.add(SortKey.ascending(key));
        }
        all.addAll(orderKeys);
        this.keys = List.copyOf(all);
        this.partitionKeyCount = partitionKeys.isEmpty() ? 0 : partitionKeys.size() + 1;
        this.functions = new WindowFunctions(context, inputTypes, functions, partitionKeyCount, orderKeys);
        try {
            this.sorter = keys.isEmpty() ? null : new ExternalSorter(context, sortTypes, keys);
            this.current = new Chunk();
        }
        catch (RuntimeException e) {
            this.functions.close();
            throw e;
        }
    }

    @Override
    public List<Type> outputTypes()
    {
        return outputTypes;
    }

    @Override
    public VectorSchemaRoot next()
    {
        long start = System.nanoTime();
        try {
            while (true) {
                context.checkCancelled();
                if (emitting != null) {
                    VectorSchemaRoot out = emit();
                    if (out != null) {
                        context.stats().addOutput(out.getRowCount(), Batches.sizeInBytes(out));
                        return out;
                    }
                }
                if (inputDone) {
                    if (current.rows.rowCount() > 0) {
                        process(current.rows.rowCount());
                        continue;
                    }
                    return null;
                }
                VectorSchemaRoot batch = nextSorted();
                if (batch == null) {
                    inputDone = true;
                    continue;
                }
                if (batch.getRowCount() == 0) {
                    batch.close();
                    continue;
                }
                int base = current.rows.rowCount();
                current.add(Batches.transfer(batch, context.allocator()));
                RowComparator comparator = current.rows.comparator();
                int total = current.rows.rowCount();
                for (int i = Math.max(base, 1); i < total; i++) {
                    if (comparator.compare(i - 1, comparator, i, 0, partitionKeyCount) != 0) {
                        lastPartitionStart = i;
                    }
                }
                context.setHeapBytes(heapBytes());
                if (lastPartitionStart > 0) {
                    process(lastPartitionStart);
                }
            }
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    private long heapBytes()
    {
        long bytes = current.heapBytes();
        if (emitting != null) {
            bytes += emitting.heapBytes();
        }
        if (results != null) {
            for (WindowFunctions.Result result : results) {
                bytes += result.sizeInBytes();
            }
        }
        return bytes;
    }

    private VectorSchemaRoot nextSorted()
    {
        if (sorter == null) {
            VectorSchemaRoot batch = source.next();
            if (batch != null) {
                context.stats().addInput(batch.getRowCount());
            }
            return batch;
        }
        if (!sourceDone) {
            VectorSchemaRoot batch;
            while ((batch = source.next()) != null) {
                context.stats().addInput(batch.getRowCount());
                sorter.add(withPartitionHash(batch));
                context.checkCancelled();
            }
            sourceDone = true;
            sorter.finish();
        }
        return sorter.next();
    }

    /** {@code batch} with the hash of its partition keys as a last column (the same batch without PARTITION BY). */
    private VectorSchemaRoot withPartitionHash(VectorSchemaRoot batch)
    {
        if (partitionHash == null) {
            return batch;
        }
        int count = batch.getRowCount();
        BigIntVector hash = new BigIntVector("$partition_hash", context.allocator());
        try {
            if (hashes.length < count) {
                hashes = new long[Math.max(count, hashes.length * 2)];
            }
            partitionHash.hash(batch, hashes);
            hash.allocateNew(Math.max(count, 1));
            ArrowBuf data = hash.getDataBuffer();
            for (int i = 0; i < count; i++) {
                data.setLong((long) i << 3, hashes[i]);
            }
            // all valid
            ArrowBuf validity = hash.getValidityBuffer();
            validity.setOne(0L, (long) ((count + 7) >> 3));
            hash.setValueCount(count);
        }
        catch (RuntimeException | Error e) {
            hash.close();
            batch.close();
            throw e;
        }
        List<FieldVector> vectors = new ArrayList<>(batch.getFieldVectors());
        vectors.add(hash);
        VectorSchemaRoot withHash = new VectorSchemaRoot(vectors);
        withHash.setRowCount(count);
        return withHash;
    }

    /** Computes the functions for the complete partitions in rows {@code [0, end)} of the buffer and starts emitting them. */
    private void process(int end)
    {
        Chunk chunk = current;
        results = functions.compute(chunk.rows, chunk.arguments, chunk.offsets, end);
        int total = chunk.rows.rowCount();
        Chunk tail = new Chunk();
        if (end < total) {
            int[] rows = new int[total - end];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = end + i;
            }
            tail.add(chunk.rows.gather(rows, 0, rows.length, context.allocator()));
        }
        current = tail;
        lastPartitionStart = 0;
        emitting = chunk;
        emitEnd = end;
        emitPosition = 0;
        context.setHeapBytes(heapBytes());
    }

    /** The next output batch of the rows being emitted; null (and frees them) when all are out. */
    private VectorSchemaRoot emit()
    {
        if (emitPosition >= emitEnd) {
            emitting.close();
            emitting = null;
            results = null;
            context.setHeapBytes(heapBytes());
            return null;
        }
        SortBuffer rows = emitting.rows;
        int batch = rows.batchOf(emitPosition);
        int batchStart = rows.batchStart(batch);
        int batchEnd = batchStart + rows.batches().get(batch).getRowCount();
        int count = Math.min(Math.min(ExternalSorter.OUTPUT_ROWS, emitEnd - emitPosition), batchEnd - emitPosition);
        int[] positions = new int[count];
        for (int j = 0; j < count; j++) {
            positions[j] = emitPosition - batchStart + j;
        }
        VectorSchemaRoot in = rows.batches().get(batch);
        VectorSchemaRoot out = Batches.create(outputTypes, context.allocator());
        try {
            for (int column = 0; column < inputTypes.size(); column++) {
                Vectors.copy(in.getVector(column), PhysicalType.of(inputTypes.get(column)), positions, count, out.getVector(column));
            }
            for (int f = 0; f < results.length; f++) {
                write(results[f], emitPosition, count, out.getVector(inputTypes.size() + f));
            }
            out.setRowCount(count);
        }
        catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
        emitPosition += count;
        return out;
    }

    private void write(WindowFunctions.Result result, int from, int count, FieldVector dst)
    {
        switch (result) {
            case WindowFunctions.Result.Longs longs -> Vectors.writeLongs(dst, longs.type(), longs.values(), longs.nulls(), from, count);
            case WindowFunctions.Result.Doubles doubles -> Vectors.writeDoubles(dst, doubles.type(), doubles.values(), doubles.nulls(), from, count);
            case WindowFunctions.Result.Decimals decimals -> {
                org.apache.arrow.vector.DecimalVector vector = (org.apache.arrow.vector.DecimalVector) dst;
                vector.allocateNew(Math.max(count, 1));
                org.apache.arrow.memory.ArrowBuf data = vector.getDataBuffer();
                for (int j = 0; j < count; j++) {
                    if (decimals.nulls()[from + j]) {
                        vector.setNull(j);
                        continue;
                    }
                    data.setLong((long) j << 4, decimals.low()[from + j]);
                    data.setLong(((long) j << 4) + 8, decimals.high()[from + j]);
                    vector.setIndexDefined(j);
                }
                vector.setValueCount(count);
            }
            case WindowFunctions.Result.Rows rows -> {
                SortBuffer buffer = emitting.rows;
                int[] batchIndex = new int[count];
                int[] rowIndex = new int[count];
                buffer.locate(rows.rows(), from, count, batchIndex, rowIndex);
                FieldVector[] columns = buffer.columnOf(rows.column());
                FieldVector[] sources = columns;
                ArrowBuf[] validities = buffer.validitiesOf(rows.column());
                if (rows.defaultColumn() >= 0) {
                    // the default is another column at the row itself: gather those rows from its batches
                    int[] own = new int[count];
                    for (int j = 0; j < count; j++) {
                        own[j] = from + j;
                    }
                    int[] defaultBatch = new int[count];
                    int[] defaultRow = new int[count];
                    buffer.locate(own, 0, count, defaultBatch, defaultRow);
                    FieldVector[] defaultColumns = buffer.columnOf(rows.defaultColumn());
                    ArrowBuf[] defaultValidities = buffer.validitiesOf(rows.defaultColumn());
                    sources = java.util.Arrays.copyOf(columns, columns.length + defaultColumns.length);
                    System.arraycopy(defaultColumns, 0, sources, columns.length, defaultColumns.length);
                    validities = java.util.Arrays.copyOf(validities, columns.length + defaultColumns.length);
                    System.arraycopy(defaultValidities, 0, validities, columns.length, defaultValidities.length);
                    for (int j = 0; j < count; j++) {
                        if (rows.rows()[from + j] == WindowFunctions.DEFAULT_ROW) {
                            batchIndex[j] = columns.length + defaultBatch[j];
                            rowIndex[j] = defaultRow[j];
                        }
                    }
                }
                else if (rows.defaultValue() != null) {
                    sources = java.util.Arrays.copyOf(columns, columns.length + 1);
                    sources[columns.length] = rows.defaultValue();
                    validities = java.util.Arrays.copyOf(validities, columns.length + 1);
                    validities[columns.length] = Vectors.hasNulls(rows.defaultValue()) ? rows.defaultValue().getValidityBuffer() : null;
                    for (int j = 0; j < count; j++) {
                        if (rows.rows()[from + j] == WindowFunctions.DEFAULT_ROW) {
                            batchIndex[j] = columns.length;
                            rowIndex[j] = 0;
                        }
                    }
                }
                RowGather.gather(sources, validities, batchIndex, rowIndex, count, dst);
            }
        }
    }

    /** Buffered sorted rows with their keys, and the argument columns the functions read, on the heap. */
    private final class Chunk
            implements AutoCloseable
    {
        final SortBuffer rows = new SortBuffer(sortTypes, keys);
        final ColumnValues[] arguments = functions.newArgumentStores();
        /** The offsets of each lag/lead whose offset is a column (else null). */
        final ColumnValues[] offsets = functions.newOffsetStores();

        void add(VectorSchemaRoot batch)
        {
            rows.add(batch);
            for (int f = 0; f < arguments.length; f++) {
                if (arguments[f] != null) {
                    arguments[f].append(batch.getVector(functions.argumentColumn(f)), 0, batch.getRowCount());
                }
                if (offsets[f] != null) {
                    offsets[f].append(batch.getVector(functions.offsetColumn(f)), 0, batch.getRowCount());
                }
            }
        }

        long heapBytes()
        {
            long bytes = rows.heapBytes();
            for (ColumnValues argument : arguments) {
                if (argument != null) {
                    bytes += argument.sizeInBytes();
                }
            }
            for (ColumnValues offset : offsets) {
                if (offset != null) {
                    bytes += offset.sizeInBytes();
                }
            }
            return bytes;
        }

        @Override
        public void close()
        {
            rows.close();
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try (context; source) {
            try {
                if (emitting != null) {
                    emitting.close();
                    emitting = null;
                }
                current.close();
                functions.close();
            }
            finally {
                if (sorter != null) {
                    sorter.close();
                }
            }
        }
    }
}
