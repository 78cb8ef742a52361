package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Selection;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hash aggregation over Arrow batches: GROUP BY any scalar columns (composite keys, NULL is a group)
 * with COUNT(*), COUNT, SUM, MIN, MAX. Rows are grouped a batch at a time: key columns are gathered,
 * hashed column by column, and looked up in an open-addressing table of group ids; keys live in flat
 * arrays and byte arenas, aggregate states in flat arrays indexed by group id. Nothing is allocated
 * per row.
 *
 * <p>The same operator runs the partial step (on a worker) and the final step (on the coordinator,
 * with {@link Aggregation#finalStep()} over the partial outputs). Without group keys there is always
 * exactly one output row, even for no input. Output: key columns {@code k0..}, then aggregates
 * {@code a0..}, typed as the key inputs and {@link AggregateCall#outputType()}. Used by one thread.
 */
public final class HashAggregator
        implements AutoCloseable
{
    /** Rows per output batch. */
    public static final int OUTPUT_BATCH_ROWS = 16 * 1024;

    private final BufferAllocator allocator;
    private final int[] keyInputs;
    private final KeyColumn[] keys;
    private final int[] aggregateInputs;
    private final AggregateState[] states;
    private final List<Type> outputTypes;
    private final Schema outputSchema;
    private final List<Type> inputTypes;
    private final int outputBatchRows;

    /** Per input column: gathered values for the current batch (null when unused). */
    private final Block[] columnBlocks;
    private final boolean[] fullColumn;
    private final Selection allRows = new Selection();

    private int[] table = new int[0];
    private int mask;
    private long[] groupHashes = new long[0];
    private int groupCount;

    private long[] hashes = new long[0];
    private int[] groupIds = new int[0];
    private boolean closed;

    public HashAggregator(Aggregation aggregation, List<Type> inputTypes, BufferAllocator allocator)
    {
        this(aggregation, inputTypes, allocator, OUTPUT_BATCH_ROWS);
    }

    public HashAggregator(Aggregation aggregation, List<Type> inputTypes, BufferAllocator allocator, int outputBatchRows)
    {
        requireNonNull(aggregation, "aggregation is null");
        this.inputTypes = List.copyOf(requireNonNull(inputTypes, "inputTypes is null"));
        requireNonNull(allocator, "allocator is null");
        if (outputBatchRows <= 0) {
            throw new IllegalArgumentException("outputBatchRows must be positive");
        }
        this.outputBatchRows = outputBatchRows;

        List<Type> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        columnBlocks = new Block[this.inputTypes.size()];
        fullColumn = new boolean[this.inputTypes.size()];

        keyInputs = aggregation.groupKeys().stream().mapToInt(Integer::intValue).toArray();
        keys = new KeyColumn[keyInputs.length];
        for (int i = 0; i < keyInputs.length; i++) {
            Type type = inputType(keyInputs[i]);
            keys[i] = new KeyColumn(type);
            use(keyInputs[i], true);
            types.add(type);
            names.add("k" + i);
        }
        List<AggregateCall> calls = aggregation.aggregates();
        aggregateInputs = new int[calls.size()];
        states = new AggregateState[calls.size()];
        for (int i = 0; i < calls.size(); i++) {
            AggregateCall call = calls.get(i);
            Type inputType = call.function() == AggregateFunction.COUNT_STAR ? null : inputType(call.input());
            states[i] = AggregateState.create(call, inputType);
            aggregateInputs[i] = call.input();
            if (call.input() >= 0) {
                use(call.input(), !states[i].needsOnlyNulls());
            }
            types.add(call.outputType());
            names.add("a" + i);
        }
        outputTypes = List.copyOf(types);
        outputSchema = ArrowTypes.toArrowSchema(names, outputTypes);

        this.allocator = allocator.newChildAllocator("hash-aggregator", 0, Long.MAX_VALUE);
        if (keys.length == 0) {
            // global aggregation: the single group exists from the start
            groupCount = 1;
            ensureStateCapacity();
        }
        else {
            table = new int[1024];
            Arrays.fill(table, -1);
            mask = table.length - 1;
        }
    }

    private Type inputType(int index)
    {
        if (index < 0 || index >= inputTypes.size()) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Aggregation input " + index + " out of range (" + inputTypes.size() + " columns)");
        }
        return inputTypes.get(index);
    }

    private void use(int column, boolean values)
    {
        if (columnBlocks[column] == null) {
            columnBlocks[column] = new Block();
        }
        fullColumn[column] |= values;
    }

    public List<Type> outputTypes()
    {
        return outputTypes;
    }

    /** {@code k0..} for the keys, {@code a0..} for the aggregates. */
    public Schema outputSchema()
    {
        return outputSchema;
    }

    public int groupCount()
    {
        return groupCount;
    }

    /** Adds every row of {@code batch}. */
    public void addInput(VectorSchemaRoot batch)
    {
        allRows.selectAll(batch.getRowCount());
        addInput(batch, allRows.positions(), allRows.count());
    }

    /** Adds rows {@code positions[0..count)} (ascending) of {@code batch}, whose columns are the input types. */
    public void addInput(VectorSchemaRoot batch, int[] positions, int count)
    {
        checkOpen();
        if (count == 0) {
            return;
        }
        for (int column = 0; column < columnBlocks.length; column++) {
            if (columnBlocks[column] != null) {
                FieldVector vector = batch.getVector(column);
                if (fullColumn[column]) {
                    Vectors.gather(vector, PhysicalType.of(inputTypes.get(column)), positions, count, columnBlocks[column]);
                }
                else {
                    Vectors.gatherNulls(vector, positions, count, columnBlocks[column]);
                }
            }
        }
        if (groupIds.length < count) {
            groupIds = new int[Math.max(count, groupIds.length * 2)];
            hashes = new long[groupIds.length];
        }
        if (keys.length == 0) {
            Arrays.fill(groupIds, 0, count, 0);
        }
        else {
            assignGroups(count);
            ensureStateCapacity();
        }
        for (int i = 0; i < states.length; i++) {
            int input = aggregateInputs[i];
            states[i].add(groupIds, input < 0 ? null : columnBlocks[input], count);
        }
    }

    private void assignGroups(int count)
    {
        for (int k = 0; k < keys.length; k++) {
            keys[k].prepare(columnBlocks[keyInputs[k]], count);
            keys[k].hash(hashes, count, k == 0);
        }
        long[] h = hashes;
        int[] ids = groupIds;
        if (keys.length == 1 && !keys[0].isBytesKey() && !keys[0].batchHasNull()) {
            // one integer-like key without NULLs in this batch
            KeyColumn key = keys[0];
            for (int j = 0; j < count; j++) {
                long hash = h[j];
                long value = key.longAt(j);
                int slot = (int) hash & mask;
                int group;
                while (true) {
                    group = table[slot];
                    if (group < 0) {
                        group = addGroup(slot, hash, j);
                        break;
                    }
                    if (groupHashes[group] == hash && key.groupLong(group) == value && !key.groupIsNull(group)) {
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
                ids[j] = group;
            }
            return;
        }
        for (int j = 0; j < count; j++) {
            long hash = h[j];
            int slot = (int) hash & mask;
            int group;
            while (true) {
                group = table[slot];
                if (group < 0) {
                    group = addGroup(slot, hash, j);
                    break;
                }
                if (groupHashes[group] == hash && keysMatch(group, j)) {
                    break;
                }
                slot = (slot + 1) & mask;
            }
            ids[j] = group;
        }
    }

    private boolean keysMatch(int group, int j)
    {
        for (KeyColumn key : keys) {
            if (!key.matches(group, j)) {
                return false;
            }
        }
        return true;
    }

    private int addGroup(int slot, long hash, int j)
    {
        int group = groupCount;
        if (group == Integer.MAX_VALUE - 16) {
            throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Too many groups");
        }
        for (KeyColumn key : keys) {
            key.append(group, j);
        }
        if (group >= groupHashes.length) {
            groupHashes = Arrays.copyOf(groupHashes, Math.max(16, groupHashes.length + (groupHashes.length >> 1)));
        }
        groupHashes[group] = hash;
        table[slot] = group;
        groupCount++;
        if (groupCount * 2L > table.length) {
            rehash();
        }
        return group;
    }

    private void rehash()
    {
        int capacity = table.length * 2;
        int[] grown = new int[capacity];
        Arrays.fill(grown, -1);
        int m = capacity - 1;
        for (int group = 0; group < groupCount; group++) {
            int slot = (int) groupHashes[group] & m;
            while (grown[slot] >= 0) {
                slot = (slot + 1) & m;
            }
            grown[slot] = group;
        }
        table = grown;
        mask = m;
    }

    private void ensureStateCapacity()
    {
        for (AggregateState state : states) {
            state.ensureCapacity(groupCount);
        }
    }

    /** Emits every group, in batches of at most the output batch size; each batch is closed after the call. */
    public void emit(BatchSink sink)
    {
        emit(sink, Long.MAX_VALUE);
    }

    /** Emits at most {@code maxRows} groups. */
    public void emit(BatchSink sink, long maxRows)
    {
        checkOpen();
        int total = (int) Math.min(groupCount, Math.max(0, maxRows));
        for (int from = 0; from < total; from += outputBatchRows) {
            int count = Math.min(outputBatchRows, total - from);
            try (VectorSchemaRoot batch = buildBatch(from, count)) {
                sink.accept(batch);
            }
        }
    }

    /** The groups {@code [from, from+count)} as a new batch the caller closes. */
    public VectorSchemaRoot buildBatch(int from, int count)
    {
        checkOpen();
        if (from < 0 || count < 0 || from + count > groupCount) {
            throw new IndexOutOfBoundsException("groups [" + from + ", " + (from + count) + ") of " + groupCount);
        }
        List<FieldVector> vectors = new ArrayList<>(outputTypes.size());
        try {
            for (int i = 0; i < outputTypes.size(); i++) {
                vectors.add(outputSchema.getFields().get(i).createVector(allocator));
            }
            for (int k = 0; k < keys.length; k++) {
                keys[k].write(vectors.get(k), from, count);
            }
            for (int a = 0; a < states.length; a++) {
                states[a].write(vectors.get(keys.length + a), from, count);
            }
            VectorSchemaRoot root = new VectorSchemaRoot(outputSchema, vectors, count);
            root.setRowCount(count);
            return root;
        }
        catch (RuntimeException | Error e) {
            vectors.forEach(FieldVector::close);
            throw e;
        }
    }

    /** Heap bytes held by the hash table, keys and states. */
    public long estimatedSizeInBytes()
    {
        long size = table.length * 4L + groupHashes.length * 8L + hashes.length * 8L + groupIds.length * 4L;
        for (KeyColumn key : keys) {
            size += key.sizeInBytes();
        }
        for (AggregateState state : states) {
            size += state.sizeInBytes();
        }
        return size;
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("aggregator is closed");
        }
    }

    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            allocator.close();
        }
    }
}
