package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VALUE;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * {@code $single_row(count, value)}: the value of a scalar subquery, checked to come from at most one
 * row. The planner computes a scalar subquery's {@code SINGLE_VALUE(x)} as {@code arbitrary(x)} and
 * {@code count(*)} per group and calls this over both; more than one row is Trino's
 * SUBQUERY_MULTIPLE_ROWS.
 */
final class SingleRow
        extends ValueEvaluator
{
    static final String NAME = "$single_row";

    private final ValueEvaluator count;
    private final ValueEvaluator value;

    private SingleRow(Type type, List<ValueEvaluator> arguments)
    {
        super(type);
        this.count = arguments.get(0);
        this.value = arguments.get(1);
    }

    static void register(FunctionRegistry.Builder b)
    {
        b.add(NAME, List.of(INTEGER, VALUE), types -> types.get(1), "T", "The value of a scalar subquery that returned at most one row.",
                (arguments, calls, type) -> new SingleRow(type, arguments));
    }

    @Override
    Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
    {
        Block counts = this.count.evaluate(batch, positions, count);
        long[] values = counts.longs();
        for (int j = 0; j < count; j++) {
            if (!counts.isNull(j) && values[j] > 1) {
                throw new GlauxException(ErrorCode.SUBQUERY_MULTIPLE_ROWS, "Scalar sub-query has returned multiple rows");
            }
        }
        // the value passes through untouched: the same block, any type
        return value.evaluate(batch, positions, count);
    }
}
