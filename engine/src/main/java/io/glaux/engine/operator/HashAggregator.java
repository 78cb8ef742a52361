package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.connectors.format.DictionaryIds;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.engine.operator.aggregation.HashAggregationBuilder;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A scan fragment's hash aggregation, driven by push ({@link #addInput}) rather than as an
 * {@link Operator}: the worker's {@link FragmentRunner} runs the PARTIAL step after its scan, the
 * coordinator merges the partial outputs with {@link Aggregation#finalStep()} (a FINAL step). Both are
 * a {@link HashAggregationBuilder}; see it for how rows are grouped. Output: key columns {@code k0..},
 * then aggregates {@code a0..} (intermediate states for PARTIAL, results for FINAL). Without group
 * keys there is always exactly one output row, even for no input. Used by one thread.
 */
public final class HashAggregator
        implements AutoCloseable
{
    /** Rows per output batch. */
    public static final int OUTPUT_BATCH_ROWS = 16 * 1024;

    private final BufferAllocator allocator;
    private final HashAggregationBuilder builder;
    private final boolean intermediate;
    private final List<Type> outputTypes;
    private final Schema outputSchema;
    private final int outputBatchRows;
    private boolean closed;

    public HashAggregator(Aggregation aggregation, List<Type> inputTypes, BufferAllocator allocator)
    {
        this(aggregation, inputTypes, allocator, OUTPUT_BATCH_ROWS);
    }

    public HashAggregator(Aggregation aggregation, List<Type> inputTypes, BufferAllocator allocator, int outputBatchRows)
    {
        requireNonNull(aggregation, "aggregation is null");
        requireNonNull(inputTypes, "inputTypes is null");
        requireNonNull(allocator, "allocator is null");
        if (outputBatchRows <= 0) {
            throw new IllegalArgumentException("outputBatchRows must be positive");
        }
        this.outputBatchRows = outputBatchRows;
        PlanNode.Step step = aggregation.step();
        boolean merge = step == PlanNode.Step.INTERMEDIATE || step == PlanNode.Step.FINAL;
        this.intermediate = step == PlanNode.Step.PARTIAL || step == PlanNode.Step.INTERMEDIATE;
        this.builder = new HashAggregationBuilder(inputTypes, aggregation.groupKeys(), List.of(), aggregation.aggregates(), merge);
        this.outputTypes = builder.outputTypes(intermediate);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < aggregation.groupKeys().size(); i++) {
            names.add("k" + i);
        }
        for (int i = 0; i < aggregation.aggregates().size(); i++) {
            names.add("a" + i);
        }
        this.outputSchema = ArrowTypes.toArrowSchema(names, outputTypes);
        this.allocator = allocator.newChildAllocator("hash-aggregator", 0, Long.MAX_VALUE);
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
        return builder.groupCount();
    }

    /** Adds every row of {@code batch}. */
    public void addInput(VectorSchemaRoot batch)
    {
        checkOpen();
        builder.addInput(batch);
    }

    /** Adds rows {@code positions[0..count)} (ascending) of {@code batch}, whose columns are the input types. */
    public void addInput(VectorSchemaRoot batch, int[] positions, int count)
    {
        checkOpen();
        builder.addInput(batch, positions, count);
    }

    /**
     * Adds rows {@code positions[0..count)} of {@code batch} whose only group key comes as ids into a
     * dictionary (the key's vector is not read); only when {@link #acceptsDictionaryKey()}. Null
     * {@code keyIds}: the key's vector holds the values.
     */
    public void addInput(VectorSchemaRoot batch, int[] positions, int count, DictionaryIds keyIds)
    {
        checkOpen();
        builder.addInput(batch, positions, count, keyIds);
    }

    /** Whether the only group key may be given as dictionary ids (a raw aggregation on one varchar key no aggregate reads). */
    public boolean acceptsDictionaryKey()
    {
        return builder.acceptsDictionaryKey();
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
        int total = (int) Math.min(builder.groupCount(), Math.max(0, maxRows));
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
        return builder.build(from, count, intermediate, allocator, outputSchema);
    }

    /** Heap bytes held by the hash table, keys and states. */
    public long estimatedSizeInBytes()
    {
        return builder.sizeInBytes();
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
