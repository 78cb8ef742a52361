package io.glaux.engine.operator.aggregation;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.DictionaryIds;
import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.operator.Batches;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The groups and aggregate states of one hash aggregation, on the heap, fed a batch at a time and
 * read back as Arrow batches: the engine's hash aggregation without the operator around it (used by
 * {@link HashAggregationOperator}, by its spill merge, and by the scan fragment's
 * {@link io.glaux.engine.operator.HashAggregator}).
 *
 * <p>Two input modes. <b>Raw</b> (SINGLE and PARTIAL steps): key columns {@code groupKeys}, each
 * call's arguments and filter as {@link AggregateCall} says; with grouping sets each row is added once
 * per set, with the keys outside the set NULL and the set's grouping id as an extra key. <b>Merge</b>
 * (INTERMEDIATE and FINAL): the input is a PARTIAL/INTERMEDIATE output: key columns {@code groupKeys},
 * call i's state in column {@code groupKeys.size() + i}, and with grouping sets the grouping id in the
 * last column.
 *
 * <p>Per batch: key columns are gathered into blocks, hashed column by column and looked up in a
 * {@link GroupByHash}; each call's arguments are gathered once per column (per call when it has a
 * FILTER) and its {@link Accumulator} updates flat per-group arrays in one loop. Nothing is allocated
 * per row. Output: the keys, one column per call (intermediate state or result), then the grouping id
 * (bigint, bit i set = key i not in the set) when there are grouping sets. Used by one thread.
 */
public final class HashAggregationBuilder
{
    private final List<Type> inputTypes;
    private final int[] keyInputs;
    private final PhysicalType[] keyTypes;
    private final List<AggregateCall> calls;
    private final boolean merge;
    private final long[] setMasks;
    private final long[] setIds;
    private final boolean groupingSets;
    private final GroupByHash hash;
    private final Accumulator[] accumulators;
    private final List<Type> keyOutputTypes;

    private final Block[] keyBlocks;
    private final Block gidBlock = new Block();
    /** Per input column: gathered values for the current batch (null when unused by unfiltered calls). */
    private final Block[] columnBlocks;
    private final boolean[] fullColumn;
    private final Accumulator.Args[] args;
    private final Block[] filterBlocks;
    private final Accumulator.Args[] filteredArgs;
    private int[][] filteredGroups;

    private int[] groupIds = new int[0];
    private int[] allPositions = new int[0];

    /**
     * @param groupingSets indexes into {@code groupKeys}; empty = one set of all keys, no grouping id
     * @param merge whether the input is intermediate states (INTERMEDIATE/FINAL) rather than raw rows
     */
    public HashAggregationBuilder(List<Type> inputTypes, List<Integer> groupKeys, List<List<Integer>> groupingSets, List<AggregateCall> calls, boolean merge)
    {
        this.inputTypes = List.copyOf(requireNonNull(inputTypes, "inputTypes is null"));
        this.calls = List.copyOf(requireNonNull(calls, "calls is null"));
        this.merge = merge;
        keyInputs = groupKeys.stream().mapToInt(Integer::intValue).toArray();
        if (keyInputs.length > 62) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Too many grouping keys: " + keyInputs.length);
        }
        keyTypes = new PhysicalType[keyInputs.length];
        keyBlocks = new Block[keyInputs.length];
        List<Type> hashKeys = new ArrayList<>();
        for (int k = 0; k < keyInputs.length; k++) {
            Type type = inputType(keyInputs[k]);
            keyTypes[k] = AggregationLayout.of(type);
            keyBlocks[k] = new Block();
            hashKeys.add(type);
        }
        keyOutputTypes = List.copyOf(hashKeys);
        groupingSets = List.copyOf(groupingSets);
        this.groupingSets = !groupingSets.isEmpty();
        setMasks = new long[groupingSets.size()];
        setIds = new long[groupingSets.size()];
        for (int s = 0; s < setMasks.length; s++) {
            long mask = 0;
            for (int key : groupingSets.get(s)) {
                if (key < 0 || key >= keyInputs.length) {
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Grouping set " + groupingSets.get(s) + " refers to key " + key + " of " + keyInputs.length);
                }
                mask |= 1L << key;
            }
            setMasks[s] = mask;
            setIds[s] = groupingId(mask, keyInputs.length);
        }
        if (this.groupingSets) {
            hashKeys.add(Type.BIGINT);
        }
        hash = new GroupByHash(hashKeys);

        columnBlocks = new Block[this.inputTypes.size()];
        fullColumn = new boolean[this.inputTypes.size()];
        accumulators = new Accumulator[this.calls.size()];
        args = new Accumulator.Args[this.calls.size()];
        filterBlocks = new Block[this.calls.size()];
        filteredArgs = new Accumulator.Args[this.calls.size()];
        filteredGroups = new int[this.calls.size()][];
        for (int i = 0; i < this.calls.size(); i++) {
            AggregateCall call = this.calls.get(i);
            if (merge) {
                inputType(keyInputs.length + i);
                accumulators[i] = Accumulators.create(call, call.inputTypes());
                continue;
            }
            List<Type> argumentTypes = new ArrayList<>();
            for (int input : call.inputs()) {
                argumentTypes.add(inputType(input));
            }
            accumulators[i] = Accumulators.create(call, argumentTypes);
            args[i] = new Accumulator.Args(call.inputs().size());
            if (call.filter() >= 0) {
                if (!inputType(call.filter()).equals(Type.BOOLEAN)) {
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Aggregate filter column " + call.filter() + " is not boolean");
                }
                use(call.filter(), true);
                filterBlocks[i] = columnBlocks[call.filter()];
                filteredArgs[i] = new Accumulator.Args(call.inputs().size());
                filteredGroups[i] = new int[0];
                for (int a = 0; a < call.inputs().size(); a++) {
                    boolean computable = AggregationLayout.of(argumentTypes.get(a)) != PhysicalType.OTHER;
                    filteredArgs[i].blocks[a] = computable || accumulators[i].needsOnlyNulls(a) ? new Block() : null;
                }
            }
            else {
                for (int a = 0; a < call.inputs().size(); a++) {
                    int input = call.inputs().get(a);
                    boolean computable = AggregationLayout.of(argumentTypes.get(a)) != PhysicalType.OTHER;
                    if (computable || accumulators[i].needsOnlyNulls(a)) {
                        // decimals and nested types: only their NULL flags are gathered (COUNT)
                        use(input, computable && !accumulators[i].needsOnlyNulls(a));
                        args[i].blocks[a] = columnBlocks[input];
                    }
                }
            }
        }
        if (keyInputs.length == 0 && !this.groupingSets) {
            // global aggregation: the single group exists from the start
            hash.assign(0, groupIds);
            ensureCapacity();
        }
    }

    /** The grouping id of a set: bit i set when key i is not in the set. */
    public static long groupingId(long setMask, int keyCount)
    {
        long all = keyCount == 64 ? -1 : (1L << keyCount) - 1;
        return all & ~setMask;
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

    /** The output column types: keys, then each call's intermediate type (or output type), then the grouping id. */
    public List<Type> outputTypes(boolean intermediate)
    {
        List<Type> types = new ArrayList<>(keyOutputTypes);
        for (AggregateCall call : calls) {
            types.add(intermediate ? call.intermediateType() : call.outputType());
        }
        if (groupingSets) {
            types.add(Type.BIGINT);
        }
        return List.copyOf(types);
    }

    public int groupCount()
    {
        return hash.groupCount();
    }

    /** The hash of group g's keys (0 for a global aggregation); its high bits pick the spill partition. */
    public long groupHash(int group)
    {
        return hash.keyCount() == 0 ? 0 : hash.groupHash(group);
    }

    /** Adds every row of {@code batch}. */
    public void addInput(VectorSchemaRoot batch)
    {
        int count = batch.getRowCount();
        if (allPositions.length < count) {
            allPositions = new int[Math.max(count, allPositions.length * 2)];
            for (int i = 0; i < allPositions.length; i++) {
                allPositions[i] = i;
            }
        }
        addInput(batch, allPositions, count);
    }

    /** Adds rows {@code positions[0..count)} (ascending) of {@code batch}. */
    public void addInput(VectorSchemaRoot batch, int[] positions, int count)
    {
        if (count == 0) {
            return;
        }
        if (groupIds.length < count) {
            groupIds = new int[Math.max(count, groupIds.length * 2)];
        }
        for (int k = 0; k < keyInputs.length; k++) {
            if (keyTypes[k] == PhysicalType.OTHER) {
                hash.key(k).loadDecimals(batch.getVector(keyInputs[k]), positions, count);
            }
            else {
                Vectors.gather(batch.getVector(keyInputs[k]), keyTypes[k], positions, count, keyBlocks[k]);
            }
        }
        if (merge) {
            prepareKeys(-1, count);
            if (groupingSets) {
                Vectors.gather(batch.getVector(inputTypes.size() - 1), PhysicalType.INT64, positions, count, gidBlock);
                hash.key(keyInputs.length).prepare(gidBlock, count);
            }
            hash.assign(count, groupIds);
            ensureCapacity();
            for (int i = 0; i < accumulators.length; i++) {
                accumulators[i].merge(groupIds, batch.getVector(keyInputs.length + i), positions, count);
            }
            return;
        }
        gatherColumns(batch, positions, count);
        if (!groupingSets) {
            prepareKeys(-1, count);
            hash.assign(count, groupIds);
            ensureCapacity();
            accumulate(batch, positions, count);
            return;
        }
        for (int s = 0; s < setMasks.length; s++) {
            prepareKeys(s, count);
            hash.assign(count, groupIds);
            ensureCapacity();
            accumulate(batch, positions, count);
        }
    }

    /**
     * Adds rows {@code positions[0..count)} (ascending) of {@code batch} whose only group key (raw input, no
     * grouping sets, a varchar column no call reads) comes as {@code keyIds}, ids into a dictionary: the
     * key's vector is not read. Null {@code keyIds}: as {@link #addInput(VectorSchemaRoot, int[], int)}.
     */
    public void addInput(VectorSchemaRoot batch, int[] positions, int count, DictionaryIds keyIds)
    {
        if (keyIds == null) {
            addInput(batch, positions, count);
            return;
        }
        if (!acceptsDictionaryKey()) {
            throw new IllegalStateException("dictionary ids for a key that is not the only varchar key of a raw aggregation");
        }
        if (count == 0) {
            return;
        }
        if (groupIds.length < count) {
            groupIds = new int[Math.max(count, groupIds.length * 2)];
        }
        gatherColumns(batch, positions, count);
        hash.assignDictionary(keyIds.dictionary(), keyIds.ids(), positions, count, groupIds);
        ensureCapacity();
        accumulate(batch, positions, count);
    }

    /**
     * Whether {@link #addInput(VectorSchemaRoot, int[], int, DictionaryIds)} may be given ids: raw input, one
     * varchar group key, no grouping sets, and no call reading the key's column.
     */
    public boolean acceptsDictionaryKey()
    {
        return !merge && !groupingSets && keyInputs.length == 1 && inputTypes.get(keyInputs[0]) instanceof Type.Varchar
                && columnBlocks[keyInputs[0]] == null;
    }

    private void gatherColumns(VectorSchemaRoot batch, int[] positions, int count)
    {
        for (int column = 0; column < columnBlocks.length; column++) {
            if (columnBlocks[column] != null) {
                FieldVector vector = batch.getVector(column);
                if (fullColumn[column]) {
                    Vectors.gather(vector, AggregationLayout.of(inputTypes.get(column)), positions, count, columnBlocks[column]);
                }
                else {
                    Vectors.gatherNulls(vector, positions, count, columnBlocks[column]);
                }
            }
        }
    }

    /** Prepares the hash's key columns for grouping set {@code set} (-1: all keys as they are). */
    private void prepareKeys(int set, int count)
    {
        for (int k = 0; k < keyInputs.length; k++) {
            if (set < 0 || (setMasks[set] & (1L << k)) != 0) {
                hash.key(k).prepare(keyBlocks[k], count);
            }
            else {
                hash.key(k).prepareNull(count);
            }
        }
        if (set >= 0) {
            hash.key(keyInputs.length).prepareConstant(setIds[set], count);
        }
    }

    private void accumulate(VectorSchemaRoot batch, int[] positions, int count)
    {
        for (int i = 0; i < accumulators.length; i++) {
            AggregateCall call = calls.get(i);
            if (filterBlocks[i] == null) {
                Accumulator.Args a = args[i];
                for (int arg = 0; arg < a.vectors.length; arg++) {
                    a.vectors[arg] = batch.getVector(call.inputs().get(arg));
                }
                a.positions = positions;
                a.count = count;
                accumulators[i].add(groupIds, a);
                continue;
            }
            // FILTER (WHERE ...): only rows whose filter is true, gathered for this call
            Block filter = filterBlocks[i];
            Accumulator.Args a = filteredArgs[i];
            if (a.positions == null || a.positions.length < count) {
                a.positions = new int[Math.max(count, a.positions == null ? 0 : a.positions.length * 2)];
                filteredGroups[i] = new int[a.positions.length];
            }
            int[] selected = a.positions;
            int[] groups = filteredGroups[i];
            long[] flags = filter.longs();
            int n = 0;
            for (int j = 0; j < count; j++) {
                if (flags[j] != 0 && !filter.isNull(j)) {
                    selected[n] = positions[j];
                    groups[n] = groupIds[j];
                    n++;
                }
            }
            a.count = n;
            if (n == 0) {
                continue;
            }
            for (int arg = 0; arg < a.vectors.length; arg++) {
                FieldVector vector = batch.getVector(call.inputs().get(arg));
                a.vectors[arg] = vector;
                if (a.blocks[arg] != null) {
                    PhysicalType type = AggregationLayout.of(inputTypes.get(call.inputs().get(arg)));
                    if (type == PhysicalType.OTHER || accumulators[i].needsOnlyNulls(arg)) {
                        Vectors.gatherNulls(vector, selected, n, a.blocks[arg]);
                    }
                    else {
                        Vectors.gather(vector, type, selected, n, a.blocks[arg]);
                    }
                }
            }
            accumulators[i].add(groups, a);
        }
    }

    private void ensureCapacity()
    {
        int groups = hash.groupCount();
        for (Accumulator accumulator : accumulators) {
            accumulator.ensureCapacity(groups);
        }
    }

    /**
     * Adds the groups of grouping sets without keys (and of a global aggregation) if no row created
     * them: SQL gives one row for them even for no input. Call before the final output.
     */
    public void addEmptyGroupingSets()
    {
        if (!groupingSets) {
            return;
        }
        for (int s = 0; s < setMasks.length; s++) {
            if (setMasks[s] == 0) {
                if (groupIds.length < 1) {
                    groupIds = new int[16];
                }
                prepareKeys(s, 1);
                hash.assign(1, groupIds);
                ensureCapacity();
            }
        }
    }

    /** Groups {@code [from, from+count)} as a new batch in {@code allocator} (the caller closes it). */
    public VectorSchemaRoot build(int from, int count, boolean intermediate, BufferAllocator allocator)
    {
        return build(from, count, intermediate, allocator, Batches.schema(outputTypes(intermediate)));
    }

    /** As {@link #build(int, int, boolean, BufferAllocator)}, with fields as in {@code schema} (of the output types). */
    public VectorSchemaRoot build(int from, int count, boolean intermediate, BufferAllocator allocator, Schema schema)
    {
        if (from < 0 || count < 0 || from + count > hash.groupCount()) {
            throw new IndexOutOfBoundsException("groups [" + from + ", " + (from + count) + ") of " + hash.groupCount());
        }
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try {
            int column = 0;
            for (int k = 0; k < keyInputs.length; k++) {
                hash.writeKey(k, root.getVector(column++), from, count);
            }
            for (Accumulator accumulator : accumulators) {
                FieldVector vector = root.getVector(column++);
                if (intermediate) {
                    accumulator.writeIntermediate(vector, from, count);
                }
                else {
                    accumulator.writeFinal(vector, from, count);
                }
            }
            if (groupingSets) {
                hash.writeKey(keyInputs.length, root.getVector(column), from, count);
            }
            root.setRowCount(count);
            return root;
        }
        catch (RuntimeException | Error e) {
            root.close();
            throw e;
        }
    }

    /** Heap bytes held by the hash table, the keys, the states and the scratch arrays. */
    public long sizeInBytes()
    {
        long size = hash.sizeInBytes() + groupIds.length * 4L + allPositions.length * 4L;
        for (Accumulator accumulator : accumulators) {
            size += accumulator.sizeInBytes();
        }
        return size;
    }
}
