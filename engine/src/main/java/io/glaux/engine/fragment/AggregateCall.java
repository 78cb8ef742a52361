package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.plan.SortKey;
import io.glaux.spi.type.Type;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * One aggregate: {@code function} over input columns {@code inputs} (empty for COUNT_STAR), typed
 * {@code inputTypes}, producing {@code outputType}, over the rows for which the boolean input column
 * {@code filter} is true ({@code -1}: every row; SQL's {@code FILTER (WHERE ...)}). Argument and result
 * types are listed on {@link AggregateFunction}. Rows where an argument is NULL are skipped (for
 * MIN_BY/MAX_BY only a NULL y; x may be NULL).
 *
 * <p>{@code inputTypes} are the types of the arguments of the raw (SINGLE/PARTIAL) call. They may be
 * empty ("not recorded", the three-argument constructor) for COUNT_STAR, COUNT, SUM, MIN and MAX,
 * whose intermediate type follows from the output type; every other function needs them. In
 * INTERMEDIATE and FINAL steps the call is the same; its state is read from the column after the
 * group keys (see {@link io.glaux.engine.plan.PlanNode.Aggregate}), so {@code inputs} and
 * {@code filter} are not used there.
 *
 * <p>{@code orderBy} (ARRAY_AGG and LISTAGG only: {@code array_agg(x ORDER BY y)}, {@code listagg(x, s)
 * WITHIN GROUP (ORDER BY y)}) sorts the group's values; its keys are the last inputs, in order (key k's
 * {@code column} is its position in {@code inputs}). The state of such a call is the array of its
 * argument tuples, sort keys included, so partial states merge by concatenation and the final step sorts.
 */
public record AggregateCall(AggregateFunction function, List<Integer> inputs, List<Type> inputTypes, Type outputType, int filter, List<SortKey> orderBy)
{
    public AggregateCall
    {
        requireNonNull(function, "function is null");
        inputs = List.copyOf(inputs);
        inputTypes = List.copyOf(inputTypes);
        requireNonNull(outputType, "outputType is null");
        orderBy = List.copyOf(orderBy);
        if (!orderBy.isEmpty() && function != AggregateFunction.ARRAY_AGG && function != AggregateFunction.LISTAGG) {
            throw new IllegalArgumentException(function + " with ORDER BY");
        }
        if (inputs.size() - orderBy.size() < function.minArguments() || inputs.size() - orderBy.size() > function.maxArguments()) {
            throw new IllegalArgumentException(function + " with inputs " + inputs + " ordered by " + orderBy);
        }
        for (int k = 0; k < orderBy.size(); k++) {
            // the sort keys are the inputs after the function's own arguments, in order
            if (orderBy.get(k).column() != inputs.size() - orderBy.size() + k) {
                throw new IllegalArgumentException(function + " ordered by " + orderBy + " over inputs " + inputs);
            }
        }
        for (int input : inputs) {
            if (input < 0) {
                throw new IllegalArgumentException(function + " with input " + input);
            }
        }
        if (!inputTypes.isEmpty() && inputTypes.size() != inputs.size()) {
            throw new IllegalArgumentException(function + ": " + inputs.size() + " inputs but types " + inputTypes);
        }
        if (inputTypes.isEmpty() && !inputs.isEmpty()) {
            switch (function) {
                case COUNT, SUM, MIN, MAX -> {}
                default -> throw new IllegalArgumentException(function + " needs its input types");
            }
        }
        if (filter < -1) {
            throw new IllegalArgumentException("filter " + filter);
        }
    }

    /** A call without ORDER BY. */
    public AggregateCall(AggregateFunction function, List<Integer> inputs, List<Type> inputTypes, Type outputType, int filter)
    {
        this(function, inputs, inputTypes, outputType, filter, List.of());
    }

    /** A call without a filter. */
    public AggregateCall(AggregateFunction function, List<Integer> inputs, List<Type> inputTypes, Type outputType)
    {
        this(function, inputs, inputTypes, outputType, -1);
    }

    /** COUNT_STAR ({@code input = -1}), or COUNT, SUM, MIN, MAX of one column, without recording the input type. */
    public AggregateCall(AggregateFunction function, int input, Type outputType)
    {
        this(function, input < 0 ? List.of() : List.of(input), List.of(), outputType, -1);
    }

    /** The first input column, or -1 for none. */
    public int input()
    {
        return inputs.isEmpty() ? -1 : inputs.getFirst();
    }

    /** The same call reading other columns: each input and the filter mapped by {@code mapping}. */
    public AggregateCall mapInputs(IntUnaryOperator mapping)
    {
        return new AggregateCall(function, inputs.stream().map(mapping::applyAsInt).toList(), inputTypes, outputType,
                filter < 0 ? -1 : mapping.applyAsInt(filter), orderBy);
    }

    /**
     * The type of this aggregate's state, as PARTIAL and INTERMEDIATE steps output it and INTERMEDIATE
     * and FINAL steps read it: bigint for the counts; the output type for SUM, MIN, MAX, ARBITRARY,
     * BOOL_AND/OR; {@code row(sum double, count bigint)} for AVG (decimal(38, s) sum for decimals);
     * {@code row(count bigint, mean double, m2 double)} for the variances; {@code row(key y, value x)}
     * for MIN_BY/MAX_BY; {@code row(count bigint, moments double...)} for CORR, COVAR_*, REGR_*, SKEWNESS,
     * KURTOSIS and GEOMETRIC_MEAN; varbinary (sketch bytes) for APPROX_DISTINCT and APPROX_PERCENTILE.
     */
    public Type intermediateType()
    {
        return switch (function) {
            case COUNT_STAR, COUNT, COUNT_IF, CHECKSUM -> Type.BIGINT;
            case ARRAY_AGG -> orderBy.isEmpty() ? outputType : io.glaux.engine.expr.CollectedAggregate.stateType(io.glaux.engine.expr.CollectedAggregate.Kind.ORDERED_ARRAY_AGG, inputTypes);
            case LISTAGG -> io.glaux.engine.expr.CollectedAggregate.stateType(io.glaux.engine.expr.CollectedAggregate.Kind.LISTAGG, inputTypes);
            case SUM, MIN, MAX, ARBITRARY, BOOL_AND, BOOL_OR -> outputType;
            case AVG -> new Type.Row(List.of(
                    new Type.Field("sum", outputType instanceof Type.Decimal decimal ? new Type.Decimal(38, decimal.scale()) : Type.DOUBLE),
                    new Type.Field("count", Type.BIGINT)));
            case STDDEV, STDDEV_SAMP, STDDEV_POP, VARIANCE, VAR_SAMP, VAR_POP -> new Type.Row(List.of(
                    new Type.Field("count", Type.BIGINT), new Type.Field("mean", Type.DOUBLE), new Type.Field("m2", Type.DOUBLE)));
            case MIN_BY, MAX_BY -> new Type.Row(List.of(new Type.Field("key", inputTypes.get(1)), new Type.Field("value", inputTypes.get(0))));
            case APPROX_DISTINCT, APPROX_PERCENTILE -> Type.VARBINARY;
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> moments("mean_x", "mean_y", "m2_x", "m2_y", "c2");
            case SKEWNESS, KURTOSIS -> moments("mean", "m2", "m3", "m4");
            case GEOMETRIC_MEAN -> moments("sum_log");
            case SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, APPROX_MOST_FREQUENT, MIN_N, MAX_N, MIN_BY_N, MAX_BY_N ->
                    io.glaux.engine.expr.CollectedAggregate.stateType(function.collected(), inputTypes);
        };
    }

    /** {@code row(count bigint, <name> double...)}: the state of the moment aggregates. */
    private static Type moments(String... names)
    {
        List<Type.Field> fields = new java.util.ArrayList<>();
        fields.add(new Type.Field("count", Type.BIGINT));
        for (String name : names) {
            fields.add(new Type.Field(name, Type.DOUBLE));
        }
        return new Type.Row(fields);
    }
}
