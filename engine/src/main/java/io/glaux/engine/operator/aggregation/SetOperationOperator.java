package io.glaux.engine.operator.aggregation;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNode.SetOperationKind;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * UNION (distinct), INTERSECT [ALL] and EXCEPT [ALL] ({@link PlanNode.SetOperation}), hash-based:
 * every row of every source is looked up (all columns as the key, NULLs equal) in a
 * {@link GroupByHash}, which counts how often each distinct row occurs per source. After the last
 * source each distinct row is emitted as many times as SQL's multiset rules say: once for UNION; for
 * INTERSECT once if it occurs in every source, min of the counts for ALL; for EXCEPT once if it occurs
 * in the first source only, max(first − the others, 0) for ALL. Rows come out in order of first
 * appearance. Sources are read one after another. The table and counts are reported with
 * {@link OperatorContext#setHeapBytes} (no spill: over the limit the query fails with
 * EXCEEDED_MEMORY_LIMIT). UNION ALL is {@link PlanNode.Union}, not this operator.
 */
public final class SetOperationOperator
        implements Operator
{
    public static final int OUTPUT_BATCH_ROWS = 16 * 1024;

    private final OperatorContext context;
    private final List<Operator> sources;
    private final SetOperationKind kind;
    private final boolean all;
    private final List<Type> types;
    private final PhysicalType[] physicalTypes;
    private final Block[] blocks;
    private final GroupByHash hash;
    /** Per source (INTERSECT/EXCEPT): occurrences of each distinct row. */
    private final long[][] counts;
    private final int outputBatchRows;

    private int[] groupIds = new int[0];
    private int[] positions = new int[0];
    private int currentSource;
    private int nextGroup;
    private long remainingCopies;
    private int[] outputGroups = new int[0];
    private boolean closed;

    public SetOperationOperator(OperatorContext context, List<Operator> sources, SetOperationKind kind, boolean all)
    {
        this(context, sources, kind, all, OUTPUT_BATCH_ROWS);
    }

    public SetOperationOperator(OperatorContext context, List<Operator> sources, SetOperationKind kind, boolean all, int outputBatchRows)
    {
        this.context = requireNonNull(context, "context is null");
        this.sources = List.copyOf(sources);
        try {
            this.kind = requireNonNull(kind, "kind is null");
            this.all = all;
            if (this.sources.size() < 2) {
                throw new IllegalArgumentException(kind + " needs at least two sources");
            }
            if (kind == SetOperationKind.UNION && all) {
                throw new IllegalArgumentException("UNION ALL is PlanNode.Union");
            }
            if (outputBatchRows <= 0) {
                throw new IllegalArgumentException("outputBatchRows must be positive");
            }
            this.outputBatchRows = outputBatchRows;
            this.types = this.sources.getFirst().outputTypes();
            for (Operator source : this.sources) {
                List<Type> other = source.outputTypes();
                if (other.size() != types.size()) {
                    throw new IllegalArgumentException(kind + " sources have different columns: " + types + " and " + other);
                }
                for (int i = 0; i < types.size(); i++) {
                    if (AggregationLayout.of(other.get(i)) != AggregationLayout.of(types.get(i))) {
                        throw new IllegalArgumentException(kind + " sources have different columns: " + types + " and " + other);
                    }
                }
            }
            physicalTypes = new PhysicalType[types.size()];
            blocks = new Block[types.size()];
            for (int i = 0; i < types.size(); i++) {
                physicalTypes[i] = AggregationLayout.of(types.get(i));
                blocks[i] = new Block();
            }
            hash = new GroupByHash(types);
            counts = new long[kind == SetOperationKind.UNION ? 0 : this.sources.size()][0];
            context.setHeapBytes(sizeInBytes());
        }
        catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The operator for {@code node} reading {@code sources} (in the node's source order). */
    public static SetOperationOperator of(OperatorContext context, List<Operator> sources, PlanNode.SetOperation node)
    {
        return new SetOperationOperator(context, sources, node.kind(), node.all());
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (closed) {
            throw new IllegalStateException("operator is closed");
        }
        long start = System.nanoTime();
        try {
            while (currentSource < sources.size()) {
                context.checkCancelled();
                VectorSchemaRoot batch = sources.get(currentSource).next();
                if (batch == null) {
                    currentSource++;
                    continue;
                }
                try (batch) {
                    context.stats().addInput(batch.getRowCount());
                    add(batch, currentSource);
                }
                context.setHeapBytes(sizeInBytes());
            }
            return emit();
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    private void add(VectorSchemaRoot batch, int source)
    {
        int count = batch.getRowCount();
        if (count == 0) {
            return;
        }
        if (positions.length < count) {
            positions = new int[Math.max(count, positions.length * 2)];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
            groupIds = new int[positions.length];
        }
        for (int column = 0; column < blocks.length; column++) {
            if (physicalTypes[column] == PhysicalType.OTHER) {
                hash.key(column).loadDecimals(batch.getVector(column), positions, count);
            }
            else {
                Vectors.gather(batch.getVector(column), physicalTypes[column], positions, count, blocks[column]);
            }
            hash.key(column).prepare(blocks[column], count);
        }
        hash.assign(count, groupIds);
        if (counts.length == 0) {
            return;
        }
        int groups = hash.groupCount();
        for (int s = 0; s < counts.length; s++) {
            if (counts[s].length < groups) {
                counts[s] = Arrays.copyOf(counts[s], Accumulator.grow(counts[s].length, groups));
            }
        }
        long[] c = counts[source];
        int[] ids = groupIds;
        for (int j = 0; j < count; j++) {
            c[ids[j]]++;
        }
    }

    /** How many copies of distinct row g the result has. */
    private long copies(int g)
    {
        if (kind == SetOperationKind.UNION) {
            return 1;
        }
        if (kind == SetOperationKind.INTERSECT) {
            long min = Long.MAX_VALUE;
            for (long[] c : counts) {
                min = Math.min(min, c[g]);
            }
            return all ? min : Math.min(min, 1);
        }
        long first = counts[0][g];
        long others = 0;
        for (int s = 1; s < counts.length; s++) {
            others += counts[s][g];
        }
        if (all) {
            return Math.max(first - others, 0);
        }
        return first > 0 && others == 0 ? 1 : 0;
    }

    private VectorSchemaRoot emit()
    {
        if (outputGroups.length < outputBatchRows) {
            outputGroups = new int[outputBatchRows];
        }
        int n = 0;
        int groups = hash.groupCount();
        while (n < outputBatchRows && (remainingCopies > 0 || nextGroup < groups)) {
            if (remainingCopies == 0) {
                remainingCopies = copies(nextGroup);
                nextGroup++;
                continue;
            }
            int g = nextGroup - 1;
            long take = Math.min(remainingCopies, outputBatchRows - n);
            for (int i = 0; i < take; i++) {
                outputGroups[n++] = g;
            }
            remainingCopies -= take;
        }
        if (n == 0) {
            return null;
        }
        VectorSchemaRoot batch = Batches.create(types, context.allocator());
        try {
            for (int column = 0; column < types.size(); column++) {
                hash.key(column).writeGroups(batch.getVector(column), outputGroups, n);
            }
            batch.setRowCount(n);
            context.stats().addOutput(n, Batches.sizeInBytes(batch));
            return batch;
        }
        catch (RuntimeException | Error e) {
            batch.close();
            throw e;
        }
    }

    private long sizeInBytes()
    {
        long size = hash.sizeInBytes() + groupIds.length * 8L + outputGroups.length * 4L;
        for (long[] c : counts) {
            size += c.length * 8L;
        }
        return size;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> toClose = new ArrayList<>(sources);
        toClose.add(context);
        RuntimeException failure = null;
        for (AutoCloseable closeable : toClose) {
            try {
                closeable.close();
            }
            catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new RuntimeException(e);
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
