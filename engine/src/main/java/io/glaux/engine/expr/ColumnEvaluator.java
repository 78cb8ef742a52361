package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

/** An input column, gathered for the selected rows. */
final class ColumnEvaluator
        extends ValueEvaluator
{
    private final int index;

    ColumnEvaluator(int index, Type type)
    {
        super(type);
        this.index = index;
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        Nested.gather(batch.getVector(index), type, positions, count, result);
        return result;
    }
}
