package io.glaux.engine.operator.aggregation;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNode.Step;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hash aggregation ({@link PlanNode.Aggregate}) as an operator: reads its whole input into a
 * {@link HashAggregationBuilder}, then returns the groups in batches of up to
 * {@link #OUTPUT_BATCH_ROWS}. Output layout as documented on {@code PlanNode.Aggregate}: the group keys,
 * one column per aggregate (its intermediate state for PARTIAL and INTERMEDIATE, its result for
 * SINGLE and FINAL), then the grouping id when there are grouping sets. Without keys there is one row,
 * also for empty input; a grouping set without keys likewise gets its row in SINGLE and FINAL.
 *
 * <p>Steps: SINGLE and PARTIAL read raw rows; INTERMEDIATE and FINAL read the output of a
 * PARTIAL/INTERMEDIATE step with the same calls (key columns {@code groupKeys}, aggregate i's state in
 * column {@code groupKeys.size() + i}, the grouping id last).
 *
 * <p>Memory: after each input batch the builder's heap size is reported with
 * {@link OperatorContext#setHeapBytes}. PARTIAL and INTERMEDIATE never fail for memory: past
 * {@code partialMemoryLimit} (or when the query's memory is short) they emit what they have and start
 * over, which the later step merges. SINGLE and FINAL spill when memory is short and
 * {@link OperatorContext#spillDirectory()} is set: the groups are written as intermediate states into
 * {@value AggregationSpiller#PARTITIONS} hash partitions (Arrow IPC files) and the table starts over;
 * at the end of input the remaining groups are spilled too and each partition is re-aggregated
 * (merged) and emitted in turn. A partition that alone does not fit fails with EXCEEDED_MEMORY_LIMIT,
 * as does any shortage without a spill directory. Spill files are deleted as soon as they are read,
 * and on {@link #close()}.
 */
public final class HashAggregationOperator
        implements Operator
{
    public static final int OUTPUT_BATCH_ROWS = 16 * 1024;
    /** Trino's default {@code max-partial-aggregation-memory}. */
    public static final long DEFAULT_PARTIAL_MEMORY_LIMIT = 16L << 20;
    private static final int SPILL_BATCH_ROWS = 1024;

    private final OperatorContext context;
    private final Operator source;
    private final Step step;
    private final List<Integer> groupKeys;
    private final List<List<Integer>> groupingSets;
    private final List<AggregateCall> aggregates;
    private final long partialMemoryLimit;
    private final int outputBatchRows;
    private final boolean mergeInput;
    private final boolean intermediateOutput;
    private final List<Type> outputTypes;
    private final List<Type> intermediateTypes;

    private HashAggregationBuilder builder;
    private HashAggregationBuilder output;
    private int outputFrom;
    private boolean inputDone;
    private boolean done;
    private AggregationSpiller spiller;
    private int nextPartition;
    /** The heap bytes reported to the context: the builder's size plus, while it grows, room to flush or spill it. */
    private long heapReservation;
    private boolean closed;

    public HashAggregationOperator(OperatorContext context, Operator source, Step step, List<Integer> groupKeys,
            List<List<Integer>> groupingSets, List<AggregateCall> aggregates)
    {
        this(context, source, step, groupKeys, groupingSets, aggregates, DEFAULT_PARTIAL_MEMORY_LIMIT, OUTPUT_BATCH_ROWS);
    }

    public HashAggregationOperator(OperatorContext context, Operator source, Step step, List<Integer> groupKeys,
            List<List<Integer>> groupingSets, List<AggregateCall> aggregates, long partialMemoryLimit, int outputBatchRows)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        try {
            this.step = requireNonNull(step, "step is null");
            this.groupKeys = List.copyOf(groupKeys);
            this.groupingSets = groupingSets.stream().map(List::copyOf).toList();
            this.aggregates = List.copyOf(aggregates);
            if (outputBatchRows <= 0 || partialMemoryLimit <= 0) {
                throw new IllegalArgumentException("outputBatchRows and partialMemoryLimit must be positive");
            }
            this.partialMemoryLimit = partialMemoryLimit;
            this.outputBatchRows = outputBatchRows;
            this.mergeInput = step == Step.INTERMEDIATE || step == Step.FINAL;
            this.intermediateOutput = step == Step.PARTIAL || step == Step.INTERMEDIATE;
            this.builder = newBuilder();
            this.outputTypes = builder.outputTypes(intermediateOutput);
            this.intermediateTypes = builder.outputTypes(true);
            reserve(builder.sizeInBytes());
        }
        catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The operator for {@code node} reading {@code source}. */
    public static HashAggregationOperator of(OperatorContext context, Operator source, PlanNode.Aggregate node)
    {
        return new HashAggregationOperator(context, source, node.step(), node.groupKeys(), node.groupingSets(), node.aggregates());
    }

    private HashAggregationBuilder newBuilder()
    {
        return new HashAggregationBuilder(source.outputTypes(), groupKeys, groupingSets, aggregates, mergeInput);
    }

    @Override
    public List<Type> outputTypes()
    {
        return outputTypes;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (closed) {
            throw new IllegalStateException("operator is closed");
        }
        long start = System.nanoTime();
        try {
            return advance();
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    private VectorSchemaRoot advance()
    {
        while (true) {
            context.checkCancelled();
            if (output != null) {
                if (outputFrom < output.groupCount()) {
                    int count = Math.min(outputBatchRows, output.groupCount() - outputFrom);
                    VectorSchemaRoot batch = output.build(outputFrom, count, intermediateOutput, context.allocator());
                    outputFrom += count;
                    context.stats().addOutput(count, Batches.sizeInBytes(batch));
                    return batch;
                }
                output = null;
                outputFrom = 0;
                reserve(builder == null ? 0 : builder.sizeInBytes());
            }
            if (done) {
                return null;
            }
            if (!inputDone) {
                VectorSchemaRoot batch = source.next();
                if (batch == null) {
                    inputDone = true;
                    finishInput();
                    continue;
                }
                try (batch) {
                    context.stats().addInput(batch.getRowCount());
                    builder.addInput(batch);
                }
                afterBatch();
                continue;
            }
            if (spiller != null && nextPartition < AggregationSpiller.PARTITIONS) {
                output = mergePartition(nextPartition++);
                continue;
            }
            done = true;
        }
    }

    private void afterBatch()
    {
        long size = builder.sizeInBytes();
        if (intermediateOutput) {
            // keep room for the output batches the flush builds
            if (size > partialMemoryLimit || !tryReserve(size + reserve(size, outputBatchRows))) {
                // flush: emit the groups so far, then start over
                releaseRoom(size);
                output = builder;
                outputFrom = 0;
                builder = newBuilder();
            }
            return;
        }
        Optional<Path> spillDirectory = context.spillDirectory();
        if (spillDirectory.isEmpty()) {
            reserve(size);
            return;
        }
        if (!context.exceedsSpillShare(context.reservedBytes() - heapReservation + size) && tryReserve(size + reserve(size, SPILL_BATCH_ROWS))) {
            return;
        }
        releaseRoom(size);
        spill(spillDirectory.get());
    }

    /** Reports {@code bytes} of heap; throws EXCEEDED_MEMORY_LIMIT past the query's limit. */
    private void reserve(long bytes)
    {
        context.setHeapBytes(bytes);
        heapReservation = bytes;
    }

    private boolean tryReserve(long bytes)
    {
        if (!context.trySetHeapBytes(bytes)) {
            return false;
        }
        heapReservation = bytes;
        return true;
    }

    /** Gives back the room held beyond the builder's {@code size}, for the batches a flush or spill builds. */
    private void releaseRoom(long size)
    {
        if (size < heapReservation) {
            reserve(size);
        }
    }

    /** Memory to keep free for building batches of {@code rows} groups (two of them: a spill batch and its partition copy). */
    private long reserve(long size, int rows)
    {
        long perGroup = size / Math.max(1, builder.groupCount());
        return Math.min(size, perGroup * rows * 2) + (64 << 10);
    }

    private void spill(Path directory)
    {
        if (spiller == null) {
            spiller = new AggregationSpiller(directory, intermediateTypes, context.allocator(), SPILL_BATCH_ROWS);
        }
        long before = spiller.spilledBytes();
        spiller.spill(builder);
        context.addSpilledBytes(spiller.spilledBytes() - before);
        builder = newBuilder();
        reserve(builder.sizeInBytes());
    }

    private void finishInput()
    {
        if (!intermediateOutput) {
            builder.addEmptyGroupingSets();
        }
        releaseRoom(builder.sizeInBytes());
        if (spiller != null) {
            long before = spiller.spilledBytes();
            spiller.spill(builder);
            context.addSpilledBytes(spiller.spilledBytes() - before);
            builder = null;
            reserve(0);
            return;
        }
        output = builder;
        outputFrom = 0;
        builder = null;
    }

    /** Re-aggregates the states spilled to one partition; throws EXCEEDED_MEMORY_LIMIT if they do not fit. */
    private HashAggregationBuilder mergePartition(int partition)
    {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < groupKeys.size(); i++) {
            keys.add(i);
        }
        HashAggregationBuilder merged = new HashAggregationBuilder(intermediateTypes, keys, groupingSets, aggregates, true);
        spiller.read(partition, batch -> {
            context.checkCancelled();
            merged.addInput(batch);
            reserve(merged.sizeInBytes());
        });
        return merged;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        builder = null;
        output = null;
        try (context; source) {
            if (spiller != null) {
                spiller.close();
            }
        }
    }
}
