package io.glaux.engine.operator.join;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.predicate.Domain;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNode.JoinType;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The equi-join of {@link PlanNode.Join}: INNER, LEFT, RIGHT, FULL, SEMI and ANTI, with an optional
 * residual condition over (left ++ right) columns that a pair must also satisfy (for outer, semi and
 * anti joins too: a probe row whose key matches all fail the residual is unmatched). NULL keys never
 * match. Real and double keys use SQL equality ({@code -0.0 = 0.0}, {@code NaN = NaN}).
 *
 * <p><b>Build.</b> The build (right) operator is drained first; its batches move into this
 * operator's allocator untouched ({@link Batches#transfer}) and each build row is numbered. Key
 * values, their hashes and NULL flags are copied into flat heap arrays ({@link JoinKeyColumn}); after
 * the last batch an open-addressing table (linear probing, load at most 1/2) maps each distinct key to
 * its first build row, and a {@code next} array chains the build rows with the same key. Nothing is
 * allocated per row. The heap structures are reported with {@link OperatorContext#setHeapBytes}.
 *
 * <p><b>Probe.</b> Per probe batch, vectorized: the key columns are loaded and hashed for the whole
 * batch, then every row is looked up (a tight loop specialized for one integer-like key), then
 * candidate pairs are enumerated along the chains in chunks of at most 16K, the residual (if any)
 * filters the chunk, and the output batch is gathered column by column ({@link JoinGather}); unmatched
 * sides are NULL. See {@link AbstractJoinOperator} for the outer, semi and anti rules. With no build
 * rows, INNER, SEMI and RIGHT finish without reading the probe side.
 *
 * <p><b>Spill (grace hash join).</b> When the build side does not fit (the heap reservation fails, or
 * less than a small headroom of the query's memory remains) and the query has a spill directory, the
 * buffered build rows and the rest of the build side are hash-partitioned into 16 Arrow IPC files,
 * then so is the probe side, and each partition pair is joined by a nested {@code HashJoinOperator}
 * one at a time; a partition that still does not fit is split again on other hash bits (up to
 * {@link #MAX_SPILL_LEVEL} levels). Files are deleted as partitions finish and on {@link #close()}.
 * Without a spill directory, exceeding the memory limit fails the query with EXCEEDED_MEMORY_LIMIT.
 *
 * <p><b>Dynamic filter.</b> {@link #buildKeyDomain} describes the build side's key values, to prune
 * the probe side's scan.
 */
public final class HashJoinOperator
        extends AbstractJoinOperator
{
    static final int MAX_SPILL_LEVEL = 3;
    private static final long MAX_HEADROOM = 4L << 20;

    private final int[] leftKeys;
    private final int[] rightKeys;
    private final Optional<Expression> residual;
    private final int level;
    private final int batchRows;
    private final JoinKeyColumn[] buildKeys;
    private final JoinKeyColumn[] probeKeys;
    private final boolean singleLongKey;
    private final Optional<List<Integer>> outputColumns;

    // build side, by build row
    private long[] buildHashes = new long[0];
    private boolean[] buildNull = new boolean[0];
    private int[] table = new int[0];
    private int mask;
    private int[] nextRow = new int[0];

    // scratch for the batch being loaded
    private int[] positions = new int[0];
    private long[] hashes = new long[0];
    private boolean[] anyNull = new boolean[0];
    private boolean batchHasNull;

    // probe batch
    private int[] heads = new int[0];
    private int probeRows;
    private int cursorRow;
    private int cursorChain;

    // spill
    private JoinSpiller spiller;
    private boolean probeSpilled;
    private int partition;
    private HashJoinOperator partitionJoin;

    public HashJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual)
    {
        this(context, probe, build, type, leftKeys, rightKeys, residual, Optional.empty());
    }

    /** {@code outputColumns}: the columns to output (positions in probe columns, then build columns), in order; empty for all. */
    public HashJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual, Optional<List<Integer>> outputColumns)
    {
        this(context, probe, build, type, leftKeys, rightKeys, residual, 0, true, BATCH_ROWS, outputColumns);
    }

    HashJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual, int level, boolean ownsContext, int batchRows)
    {
        this(context, probe, build, type, leftKeys, rightKeys, residual, level, ownsContext, batchRows, Optional.empty());
    }

    HashJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual, int level, boolean ownsContext, int batchRows, Optional<List<Integer>> outputColumns)
    {
        super(context, probe, build, type, residual, ownsContext, batchRows, outputColumns);
        this.outputColumns = outputColumns;
        requireNonNull(leftKeys, "leftKeys is null");
        requireNonNull(rightKeys, "rightKeys is null");
        if (leftKeys.size() != rightKeys.size() || leftKeys.isEmpty()) {
            throw new IllegalArgumentException("join keys: " + leftKeys + " = " + rightKeys);
        }
        this.leftKeys = leftKeys.stream().mapToInt(Integer::intValue).toArray();
        this.rightKeys = rightKeys.stream().mapToInt(Integer::intValue).toArray();
        this.residual = residual;
        this.level = level;
        this.batchRows = batchRows;
        buildKeys = new JoinKeyColumn[this.leftKeys.length];
        probeKeys = new JoinKeyColumn[this.leftKeys.length];
        for (int k = 0; k < buildKeys.length; k++) {
            Type left = probeTypes.get(this.leftKeys[k]);
            Type right = buildTypes.get(this.rightKeys[k]);
            if (!comparableKeys(left, right)) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR,
                        context.name() + ": join key " + k + " has type " + left.trinoName() + " on the left and " + right.trinoName() + " on the right");
            }
            buildKeys[k] = new JoinKeyColumn(right);
            probeKeys[k] = new JoinKeyColumn(left);
        }
        singleLongKey = buildKeys.length == 1
                && (buildKeys[0].kind() == JoinKeyColumn.Kind.LONG || buildKeys[0].kind() == JoinKeyColumn.Kind.DOUBLE);
    }

    /** Same type, or types with the same values (varchar of any length, timestamps of any precision: both are held as micros). */
    private static boolean comparableKeys(Type left, Type right)
    {
        return left.equals(right)
                || (left instanceof Type.Varchar && right instanceof Type.Varchar)
                || (left instanceof Type.Timestamp && right instanceof Type.Timestamp);
    }

    /**
     * The values of build key {@code keyIndex} (0-based, in {@code rightKeys} order) that a probe row
     * must have to possibly match: the distinct non-NULL values when there are at most 1,000, else
     * their min/max range; NULL never. Drains the build side if not done yet. Empty when nothing can
     * be said: the build side was spilled, the key type is not prunable (decimal, varbinary, a double
     * with NaN), or the join keeps unmatched probe rows (LEFT, FULL, ANTI).
     */
    public Optional<Domain> buildKeyDomain(int keyIndex)
    {
        if (keyIndex < 0 || keyIndex >= buildKeys.length) {
            throw new IndexOutOfBoundsException("key " + keyIndex + " of " + buildKeys.length);
        }
        build();
        if (spiller != null || type == JoinType.LEFT || type == JoinType.FULL || type == JoinType.ANTI) {
            return Optional.empty();
        }
        return buildKeys[keyIndex].domain(buildRows.rowCount());
    }

    /** Whether the build side went to disk. */
    public boolean spilled()
    {
        return spiller != null;
    }

    // ------------------------------------------------------------------ build

    @Override
    protected void buildSide()
    {
        while (true) {
            context.checkCancelled();
            VectorSchemaRoot batch = build.next();
            if (batch == null) {
                break;
            }
            int rows = batch.getRowCount();
            if (countsStats()) {
                context.stats().addInput(rows);
            }
            if (rows == 0) {
                batch.close();
                continue;
            }
            if (spiller != null) {
                spiller.addBuild(batch);
                continue;
            }
            VectorSchemaRoot owned = Batches.transfer(batch, context.allocator());
            largestBuildBatchBytes = Math.max(largestBuildBatchBytes, Batches.sizeInBytes(owned));
            buildRows.add(owned);
            storeBuildKeys(owned);
            if (!reserve()) {
                startSpill();
            }
        }
        if (spiller != null) {
            spiller.finishBuild();
            return;
        }
        buildTable();
    }

    private void loadKeys(VectorSchemaRoot batch, int[] keyColumns, JoinKeyColumn[] keys)
    {
        int count = batch.getRowCount();
        if (positions.length < count) {
            int capacity = Math.max(count, positions.length * 2);
            positions = new int[capacity];
            for (int i = 0; i < capacity; i++) {
                positions[i] = i;
            }
            hashes = new long[capacity];
            anyNull = new boolean[capacity];
        }
        batchHasNull = false;
        for (int k = 0; k < keys.length; k++) {
            keys[k].load(batch.getVector(keyColumns[k]), count, positions);
            keys[k].hash(hashes, count, k == 0);
            batchHasNull |= keys[k].batchHasNull();
        }
        if (batchHasNull) {
            Arrays.fill(anyNull, 0, count, false);
            for (JoinKeyColumn key : keys) {
                key.markNulls(anyNull, count);
            }
        }
    }

    private void storeBuildKeys(VectorSchemaRoot batch)
    {
        int count = batch.getRowCount();
        loadKeys(batch, rightKeys, buildKeys);
        for (JoinKeyColumn key : buildKeys) {
            key.store(count);
        }
        int first = buildRows.rowCount() - count;
        if (buildRows.rowCount() > buildHashes.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(buildRows.rowCount(), Math.max(1024, buildHashes.length + (long) (buildHashes.length >> 1))));
            buildHashes = Arrays.copyOf(buildHashes, capacity);
            buildNull = Arrays.copyOf(buildNull, capacity);
        }
        System.arraycopy(hashes, 0, buildHashes, first, count);
        if (batchHasNull) {
            System.arraycopy(anyNull, 0, buildNull, first, count);
        }
        else {
            Arrays.fill(buildNull, first, first + count, false);
        }
    }

    private static int tableCapacity(int rows)
    {
        return Integer.highestOneBit(Math.max(16, rows) * 2 - 1) << 1;
    }

    /** Heap bytes of the build structures once the table is built for {@code rows} rows. */
    private long estimatedHeapBytes(int rows)
    {
        long bytes = buildRows.heapBytes() + buildHashes.length * 8L + buildNull.length
                + positions.length * 13L + heads.length * 4L;
        for (JoinKeyColumn key : buildKeys) {
            bytes += key.sizeInBytes();
        }
        for (JoinKeyColumn key : probeKeys) {
            bytes += key.sizeInBytes();
        }
        // table, next chain and the RIGHT/FULL matched flags
        return bytes + tableCapacity(rows) * 4L + rows * 5L;
    }

    /** The largest build batch so far: the next ones are likely as large. */
    private long largestBuildBatchBytes;

    /** Reserves the heap the build needs so far; false when it should spill instead. */
    private boolean reserve()
    {
        long estimate = estimatedHeapBytes(buildRows.rowCount());
        Optional<Path> spillDirectory = context.spillDirectory();
        if (spillDirectory.isEmpty() || level >= MAX_SPILL_LEVEL) {
            context.setHeapBytes(estimate);
            return true;
        }
        if (!context.trySetHeapBytes(estimate)) {
            return false;
        }
        // room for the batches on their way here (moved, not allocated: nothing checks them on arrival)
        long headroom = Math.max(Math.min(MAX_HEADROOM, context.query().memory().limit() / 8), 3 * largestBuildBatchBytes);
        return context.availableBytes() >= headroom && !context.exceedsSpillShare(context.reservedBytes());
    }

    private void startSpill()
    {
        spiller = new JoinSpiller(context, context.spillDirectory().orElseThrow(), level, type, buildTypes, rightKeys, probeTypes, leftKeys);
        List<VectorSchemaRoot> batches = List.copyOf(buildRows.batches());
        buildRows.clear();
        for (int i = 0; i < batches.size(); i++) {
            try {
                spiller.addBuild(batches.get(i));
            }
            catch (RuntimeException | Error e) {
                for (int rest = i + 1; rest < batches.size(); rest++) {
                    batches.get(rest).close();
                }
                throw e;
            }
        }
        for (JoinKeyColumn key : buildKeys) {
            key.clearStored();
        }
        buildHashes = new long[0];
        buildNull = new boolean[0];
        context.setHeapBytes(estimatedHeapBytes(0));
    }

    private void buildTable()
    {
        int rows = buildRows.rowCount();
        int capacity = tableCapacity(rows);
        table = new int[capacity];
        Arrays.fill(table, -1);
        mask = capacity - 1;
        nextRow = new int[rows];
        int[] t = table;
        int[] chain = nextRow;
        long[] h = buildHashes;
        boolean[] nulls = buildNull;
        int m = mask;
        for (int g = 0; g < rows; g++) {
            if ((g & 0xFFFF) == 0) {
                context.checkCancelled();
            }
            if (nulls[g]) {
                continue;
            }
            int slot = (int) h[g] & m;
            while (true) {
                int head = t[slot];
                if (head < 0) {
                    t[slot] = g;
                    chain[g] = -1;
                    break;
                }
                if (h[head] == h[g] && storedKeysEqual(head, g)) {
                    chain[g] = chain[head];
                    chain[head] = g;
                    break;
                }
                slot = (slot + 1) & m;
            }
        }
        context.setHeapBytes(estimatedHeapBytes(rows));
    }

    private boolean storedKeysEqual(int a, int b)
    {
        for (JoinKeyColumn key : buildKeys) {
            if (!key.storedEquals(a, b)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ probe

    @Override
    protected void startProbeBatch(VectorSchemaRoot batch)
    {
        int count = batch.getRowCount();
        probeRows = count;
        cursorRow = -1;
        cursorChain = -1;
        loadKeys(batch, leftKeys, probeKeys);
        if (heads.length < count) {
            heads = new int[Math.max(count, heads.length * 2)];
        }
        int[] result = heads;
        int[] t = table;
        int m = mask;
        long[] h = hashes;
        boolean checkNulls = batchHasNull;
        boolean[] nulls = anyNull;
        if (singleLongKey) {
            long[] values = probeKeys[0].batchLongs();
            long[] stored = buildKeys[0].storedLongs();
            for (int j = 0; j < count; j++) {
                if (checkNulls && nulls[j]) {
                    result[j] = -1;
                    continue;
                }
                long value = values[j];
                int slot = (int) h[j] & m;
                int head;
                while ((head = t[slot]) >= 0 && stored[head] != value) {
                    slot = (slot + 1) & m;
                }
                result[j] = head;
            }
            return;
        }
        long[] stored = buildHashes;
        for (int j = 0; j < count; j++) {
            if (checkNulls && nulls[j]) {
                result[j] = -1;
                continue;
            }
            long hash = h[j];
            int slot = (int) hash & m;
            int head;
            while ((head = t[slot]) >= 0 && !(stored[head] == hash && probeKeysEqual(j, head))) {
                slot = (slot + 1) & m;
            }
            result[j] = head;
        }
    }

    private boolean probeKeysEqual(int j, int g)
    {
        for (int k = 0; k < probeKeys.length; k++) {
            if (!probeKeys[k].equalsStored(j, buildKeys[k], g)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected int nextCandidates(int[] probeRowsOut, int[] buildRowsOut, int capacity)
    {
        int count = 0;
        int row = cursorRow;
        int g = cursorChain;
        int[] h = heads;
        int[] chain = nextRow;
        int rows = probeRows;
        while (count < capacity) {
            if (g < 0) {
                row++;
                if (row >= rows) {
                    break;
                }
                g = h[row];
                continue;
            }
            probeRowsOut[count] = row;
            buildRowsOut[count] = g;
            count++;
            g = chain[g];
        }
        cursorRow = Math.min(row, rows);
        cursorChain = g;
        return count;
    }

    @Override
    protected boolean candidatesExhausted()
    {
        if (cursorChain >= 0) {
            return false;
        }
        int[] h = heads;
        for (int row = cursorRow + 1; row < probeRows; row++) {
            if (h[row] >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected boolean hasCandidate(int row)
    {
        return heads[row] >= 0;
    }

    // ------------------------------------------------------------------ spilled

    @Override
    protected VectorSchemaRoot produce()
    {
        if (spiller == null) {
            return super.produce();
        }
        if (!probeSpilled) {
            while (true) {
                context.checkCancelled();
                VectorSchemaRoot batch = probe.next();
                if (batch == null) {
                    break;
                }
                if (countsStats()) {
                    context.stats().addInput(batch.getRowCount());
                }
                spiller.addProbe(batch);
            }
            spiller.finishProbe();
            probeSpilled = true;
        }
        while (true) {
            context.checkCancelled();
            if (partitionJoin == null) {
                if (partition == JoinSpiller.PARTITIONS) {
                    return null;
                }
                int p = partition++;
                partitionJoin = new HashJoinOperator(context, spiller.probe(p).reader(), spiller.build(p).reader(), type,
                        Arrays.stream(leftKeys).boxed().toList(), Arrays.stream(rightKeys).boxed().toList(), residual, level + 1, false, batchRows, outputColumns);
                continue;
            }
            VectorSchemaRoot output = partitionJoin.next();
            if (output != null) {
                return output;
            }
            HashJoinOperator finished = partitionJoin;
            partitionJoin = null;
            finished.close();
        }
    }

    @Override
    protected void closeExtra()
    {
        try {
            if (partitionJoin != null) {
                partitionJoin.close();
                partitionJoin = null;
            }
        }
        finally {
            if (spiller != null) {
                spiller.close();
            }
        }
    }
}
