package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;

/**
 * One aggregate over input column {@code input} ({@code -1} for COUNT_STAR). Output types follow Trino:
 * count → bigint; sum of tinyint..bigint → bigint, of real/double → double; min/max → the input type.
 * SUM, MIN and MAX are NULL for a group with no non-null input; COUNT is 0.
 */
public record AggregateCall(AggregateFunction function, int input, Type outputType)
{
    public AggregateCall
    {
        requireNonNull(function, "function is null");
        requireNonNull(outputType, "outputType is null");
        if ((function == AggregateFunction.COUNT_STAR) != (input < 0)) {
            throw new IllegalArgumentException(function + " with input " + input);
        }
    }

    /** The type of this aggregate's partial state, as a PARTIAL step outputs it and a FINAL step reads it. */
    public Type intermediateType()
    {
        return outputType;
    }
}
