package io.glaux.engine.operator.sort;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * OFFSET / LIMIT ({@link io.glaux.engine.plan.PlanNode.Limit}): skips {@code offset} rows, then passes
 * at most {@code count} rows. A batch that passes whole is moved (its buffers transferred, not copied);
 * a batch cut by the offset or the count is sliced with a contiguous copy. Once {@code count} rows have
 * passed it stops pulling from its source, so a {@code LIMIT} over a scan reads no further.
 */
public final class LimitOperator
        implements Operator
{
    private final OperatorContext context;
    private final Operator source;
    private final List<Type> types;
    private long toSkip;
    private long remaining;
    private boolean closed;

    public LimitOperator(OperatorContext context, Operator source, long offset, long count)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count must not be negative: " + offset + ", " + count);
        }
        this.types = source.outputTypes();
        this.toSkip = offset;
        this.remaining = count;
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        while (remaining > 0) {
            context.checkCancelled();
            VectorSchemaRoot batch = source.next();
            if (batch == null) {
                remaining = 0;
                return null;
            }
            int rows = batch.getRowCount();
            context.stats().addInput(rows);
            if (toSkip >= rows) {
                toSkip -= rows;
                batch.close();
                continue;
            }
            int start = (int) toSkip;
            toSkip = 0;
            int take = (int) Math.min(rows - start, remaining);
            remaining -= take;
            VectorSchemaRoot out;
            if (start == 0 && take == rows) {
                out = Batches.transfer(batch, context.allocator());
            }
            else {
                try (batch) {
                    int[] positions = new int[take];
                    for (int j = 0; j < take; j++) {
                        positions[j] = start + j;
                    }
                    out = Batches.copyRows(batch, types, positions, take, context.allocator());
                }
            }
            context.stats().addOutput(take, Batches.sizeInBytes(out));
            return out;
        }
        return null;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try (context) {
            source.close();
        }
    }
}
