package io.glaux.engine.operator.join;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link PlanNode.Unnest}: for each input row, one output row per element of its array columns (Arrow
 * {@code List}) or entry of its map columns (Arrow {@code Map}: a key and a value column), several
 * collections zipped (the shorter ones padded with NULL): the replicated columns, then the element
 * columns, then the 1-based ordinal (bigint) if {@code ordinality}. An array of rows yields one column
 * per row field (as Trino does) when the node's output types say so. With {@code outer}, a row whose
 * collections are all NULL or empty yields one row of NULL elements (and a NULL ordinal) instead of
 * none.
 *
 * <p>Vectorized: per output chunk of at most 16K rows, the input row and the child-vector position of
 * every element are computed into flat arrays, then each output column is gathered in one pass
 * ({@link JoinGather}); replicated columns are gathered with repeated positions, elements straight
 * from the list's child vectors. A row with more elements than a chunk continues in the next batch.
 */
public final class UnnestOperator
        implements Operator
{
    private static final int BATCH_ROWS = 16 * 1024;

    private final OperatorContext context;
    private final Operator source;
    private final int[] replicate;
    private final int[] unnestColumns;
    private final boolean ordinality;
    private final boolean outer;
    private final List<Type> outputTypes;
    private final int batchRows;
    /** Per unnest column: whether its elements are rows expanded into one column per field. */
    private final boolean[] expand;
    /** Per unnest column: how many output columns it yields. */
    private final int[] widths;

    private VectorSchemaRoot batch;
    private int rowCount;
    private int row;
    private int element;
    private ListVector[] lists;
    private ArrowBuf[] offsets;
    private int[] lengths = new int[0];

    private final int[] inputRows;
    private final long[] replicateAddresses;
    private final long[][] elementAddresses;
    private final long[] ordinals;
    private final boolean[] ordinalNulls;
    private boolean closed;

    public UnnestOperator(OperatorContext context, Operator source, PlanNode.Unnest node)
    {
        this(context, source, node.replicate(), node.unnestColumns(), node.ordinality(), node.outer(), node.outputTypes(), BATCH_ROWS);
    }

    UnnestOperator(OperatorContext context, Operator source, List<Integer> replicate, List<Integer> unnestColumns, boolean ordinality, boolean outer,
            List<Type> outputTypes, int batchRows)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        this.replicate = replicate.stream().mapToInt(Integer::intValue).toArray();
        this.unnestColumns = unnestColumns.stream().mapToInt(Integer::intValue).toArray();
        this.ordinality = ordinality;
        this.outer = outer;
        this.outputTypes = List.copyOf(outputTypes);
        this.batchRows = batchRows;
        if (this.unnestColumns.length == 0) {
            throw new IllegalArgumentException("nothing to unnest");
        }
        List<Type> inputTypes = source.outputTypes();
        expand = new boolean[this.unnestColumns.length];
        widths = new int[this.unnestColumns.length];
        int plain = this.replicate.length + (ordinality ? 1 : 0);
        int expandedWidth = plain;
        for (int i = 0; i < this.unnestColumns.length; i++) {
            Type type = inputTypes.get(this.unnestColumns[i]);
            switch (type) {
                case Type.Array array -> {
                    plain += 1;
                    expandedWidth += array.element() instanceof Type.Row row ? row.fields().size() : 1;
                }
                case Type.MapType _ -> {
                    plain += 2;
                    expandedWidth += 2;
                }
                default -> throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Cannot unnest " + type.trinoName());
            }
        }
        boolean expandRows = expandedWidth == this.outputTypes.size() && expandedWidth != plain;
        if (!expandRows && plain != this.outputTypes.size()) {
            throw new IllegalArgumentException("unnest output types " + this.outputTypes + " do not fit the input " + inputTypes);
        }
        int totalElements = 0;
        for (int i = 0; i < this.unnestColumns.length; i++) {
            Type type = inputTypes.get(this.unnestColumns[i]);
            if (type instanceof Type.MapType) {
                widths[i] = 2;
            }
            else if (expandRows && ((Type.Array) type).element() instanceof Type.Row row) {
                expand[i] = true;
                widths[i] = row.fields().size();
            }
            else {
                widths[i] = 1;
            }
            totalElements += widths[i];
        }
        inputRows = new int[batchRows];
        replicateAddresses = new long[batchRows];
        elementAddresses = new long[totalElements][batchRows];
        ordinals = new long[batchRows];
        ordinalNulls = new boolean[batchRows];
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
            throw new IllegalStateException(context.name() + " is closed");
        }
        long start = System.nanoTime();
        try {
            while (true) {
                context.checkCancelled();
                if (batch == null && !nextBatch()) {
                    return null;
                }
                VectorSchemaRoot output = produce();
                if (output != null) {
                    context.stats().addOutput(output.getRowCount(), Batches.sizeInBytes(output));
                    return output;
                }
                batch.close();
                batch = null;
            }
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    private boolean nextBatch()
    {
        while (true) {
            VectorSchemaRoot input = source.next();
            if (input == null) {
                return false;
            }
            context.stats().addInput(input.getRowCount());
            if (input.getRowCount() == 0) {
                input.close();
                continue;
            }
            batch = Batches.transfer(input, context.allocator());
            rowCount = batch.getRowCount();
            row = 0;
            element = 0;
            lists = new ListVector[unnestColumns.length];
            offsets = new ArrowBuf[unnestColumns.length];
            for (int i = 0; i < unnestColumns.length; i++) {
                lists[i] = (ListVector) batch.getVector(unnestColumns[i]);
                offsets[i] = lists[i].getOffsetBuffer();
            }
            if (lengths.length < rowCount * unnestColumns.length) {
                lengths = new int[rowCount * unnestColumns.length];
            }
            for (int i = 0; i < unnestColumns.length; i++) {
                ListVector list = lists[i];
                ArrowBuf offset = offsets[i];
                boolean nulls = Vectors.hasNulls(list);
                int base = i * rowCount;
                for (int r = 0; r < rowCount; r++) {
                    lengths[base + r] = nulls && list.isNull(r) ? 0 : offset.getInt(((long) r + 1) << 2) - offset.getInt((long) r << 2);
                }
            }
            return true;
        }
    }

    /** The next chunk of the current batch, or null when it is done. */
    private VectorSchemaRoot produce()
    {
        int count = 0;
        int columns = unnestColumns.length;
        while (count < batchRows && row < rowCount) {
            int length = 0;
            for (int i = 0; i < columns; i++) {
                length = Math.max(length, lengths[i * rowCount + row]);
            }
            if (length == 0) {
                if (outer && element == 0) {
                    inputRows[count] = row;
                    for (long[] addresses : elementAddresses) {
                        addresses[count] = -1;
                    }
                    ordinals[count] = 0;
                    ordinalNulls[count] = true;
                    count++;
                }
                row++;
                element = 0;
                continue;
            }
            int n = Math.min(batchRows - count, length - element);
            int column = 0;
            for (int i = 0; i < columns; i++) {
                int elementLength = lengths[i * rowCount + row];
                int first = elementLength == 0 ? 0 : offsets[i].getInt((long) row << 2);
                for (int w = 0; w < widths[i]; w++) {
                    long[] addresses = elementAddresses[column++];
                    for (int k = 0; k < n; k++) {
                        int e = element + k;
                        addresses[count + k] = e < elementLength ? first + e : -1;
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                inputRows[count + k] = row;
                ordinals[count + k] = element + k + 1;
                ordinalNulls[count + k] = false;
            }
            count += n;
            element += n;
            if (element == length) {
                row++;
                element = 0;
            }
        }
        if (count == 0) {
            return null;
        }
        return output(count);
    }

    private VectorSchemaRoot output(int count)
    {
        VectorSchemaRoot output = Batches.create(outputTypes, context.allocator());
        try {
            int column = 0;
            FieldVector[] one = new FieldVector[1];
            for (int i = 0; i < count; i++) {
                replicateAddresses[i] = inputRows[i];
            }
            for (int input : replicate) {
                one[0] = batch.getVector(input);
                JoinGather.gather(one, replicateAddresses, count, output.getVector(column++));
            }
            int addressIndex = 0;
            for (int i = 0; i < unnestColumns.length; i++) {
                FieldVector data = lists[i].getDataVector();
                for (int w = 0; w < widths[i]; w++) {
                    long[] addresses = elementAddresses[addressIndex++];
                    FieldVector child = data;
                    if (widths[i] == 2 || expand[i]) {
                        StructVector struct = (StructVector) data;
                        child = (FieldVector) struct.getChildByOrdinal(w);
                        if (expand[i] && Vectors.hasNulls(struct)) {
                            // a NULL row element has NULL fields
                            for (int k = 0; k < count; k++) {
                                long address = addresses[k];
                                if (address >= 0 && struct.isNull((int) address)) {
                                    addresses[k] = -1;
                                }
                            }
                        }
                    }
                    one[0] = child;
                    JoinGather.gather(one, addresses, count, output.getVector(column++));
                }
            }
            if (ordinality) {
                boolean anyNull = false;
                for (int k = 0; k < count; k++) {
                    anyNull |= ordinalNulls[k];
                }
                Vectors.writeLongs(output.getVector(column), PhysicalType.INT64, ordinals, anyNull ? Arrays.copyOf(ordinalNulls, count) : null, 0, count);
            }
            output.setRowCount(count);
            return output;
        }
        catch (RuntimeException | Error e) {
            output.close();
            throw e;
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> steps = new ArrayList<>();
        if (batch != null) {
            steps.add(batch);
        }
        steps.add(source);
        steps.add(context);
        RuntimeException failure = null;
        for (AutoCloseable step : steps) {
            try {
                step.close();
            }
            catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                }
                else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        batch = null;
        if (failure != null) {
            throw failure;
        }
    }
}
