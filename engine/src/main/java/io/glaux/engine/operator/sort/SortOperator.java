package io.glaux.engine.operator.sort;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.SortKey;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * ORDER BY ({@link io.glaux.engine.plan.PlanNode.Sort}): reads its whole input, then returns the rows
 * in {@code keys} order, in batches of at most {@link ExternalSorter#OUTPUT_ROWS} rows. Buffered
 * batches are moved (not copied) into this operator's allocator and their sort keys copied into flat
 * heap arrays; the sort orders row numbers with a primitive comparator specialized per key type, and
 * the output is gathered column by column. When memory runs short it spills sorted runs to the query's
 * spill directory and merges them at the end (see {@link ExternalSorter}); without one it fails with
 * EXCEEDED_MEMORY_LIMIT. Closing it deletes its spill files and closes the source and the context.
 */
public final class SortOperator
        implements Operator
{
    private final OperatorContext context;
    private final Operator source;
    private final List<Type> types;
    private final ExternalSorter sorter;
    private boolean finished;
    private boolean closed;

    public SortOperator(OperatorContext context, Operator source, List<SortKey> keys)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        this.types = source.outputTypes();
        this.sorter = new ExternalSorter(context, types, keys);
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        long start = System.nanoTime();
        try {
            if (!finished) {
                VectorSchemaRoot batch;
                while ((batch = source.next()) != null) {
                    context.stats().addInput(batch.getRowCount());
                    sorter.add(batch);
                    context.checkCancelled();
                }
                finished = true;
                sorter.finish();
            }
            VectorSchemaRoot out = sorter.next();
            if (out != null) {
                context.stats().addOutput(out.getRowCount(), Batches.sizeInBytes(out));
            }
            return out;
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    /** Runs spilled so far (tests, EXPLAIN ANALYZE). */
    public int spilledRuns()
    {
        return sorter.spilledRuns();
    }

    /** Intermediate merge passes (tests, EXPLAIN ANALYZE). */
    public int mergePasses()
    {
        return sorter.mergePasses();
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try (context; source) {
            sorter.close();
        }
    }
}
