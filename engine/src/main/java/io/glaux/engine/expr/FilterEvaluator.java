package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * A compiled filter: the rows of a batch where a boolean expression is TRUE (NULL and FALSE rows are
 * dropped). Compile once per fragment with {@link #compile}; one instance per thread.
 */
public final class FilterEvaluator
{
    private final BooleanEvaluator condition;
    private final Selection selection = new Selection();

    private FilterEvaluator(BooleanEvaluator condition)
    {
        this.condition = condition;
    }

    /**
     * @param filter a boolean expression over the batch columns
     * @param inputTypes the types of the batch columns
     * @throws io.glaux.spi.error.GlauxException NOT_SUPPORTED for expressions the evaluator cannot compute
     */
    public static FilterEvaluator compile(Expression filter, List<Type> inputTypes)
    {
        requireNonNull(filter, "filter is null");
        return new FilterEvaluator(new ExpressionCompiler(inputTypes).condition(ConstantFolding.fold(filter)));
    }

    /** The selected rows of {@code batch}; the returned selection is reused by the next call. */
    public Selection filter(VectorSchemaRoot batch)
    {
        int rowCount = batch.getRowCount();
        selection.selectAll(rowCount);
        int[] positions = selection.positions();
        int count = condition.select(batch, positions, rowCount, true, positions);
        selection.set(count, count == rowCount);
        return selection;
    }

    /** Refines a selection: writes to {@code out} (may be {@code positions}) the rows where the filter is TRUE. */
    public int filter(VectorSchemaRoot batch, int[] positions, int count, int[] out)
    {
        return condition.select(batch, positions, count, true, out);
    }
}
