package io.glaux.engine.fragment;

/**
 * The aggregate functions the engine runs, each decomposable: a PARTIAL step turns raw input into an
 * intermediate state ({@link AggregateCall#intermediateType()}), INTERMEDIATE/FINAL steps merge states.
 * Arguments (see {@link AggregateCall#inputs()}) and results follow Trino:
 * <ul>
 * <li>{@code COUNT_STAR}() and {@code COUNT}(x) → bigint; {@code COUNT_IF}(boolean) → bigint.</li>
 * <li>{@code SUM}(x): integers → bigint (overflow raises NUMERIC_VALUE_OUT_OF_RANGE), real/double →
 *     double, decimal(p, s) → decimal(38, s).</li>
 * <li>{@code AVG}(x): integers/double → double, real → real, decimal(p, s) → decimal(p, s).</li>
 * <li>{@code MIN}, {@code MAX}, {@code ARBITRARY} (any_value)(x) → the type of x.</li>
 * <li>{@code BOOL_AND}, {@code BOOL_OR}(boolean) → boolean.</li>
 * <li>{@code MIN_BY}, {@code MAX_BY}(x, y): the x of the row with the smallest/largest y → the type of x.</li>
 * <li>{@code STDDEV} (= STDDEV_SAMP), {@code STDDEV_POP}, {@code VARIANCE} (= VAR_SAMP), {@code VAR_POP}(x) → double.</li>
 * <li>{@code APPROX_DISTINCT}(x) → bigint (HyperLogLog, standard error 0.023).</li>
 * <li>{@code CHECKSUM}(x) → varbinary (Trino's order-independent xxHash64 sum, NULL rows included).</li>
 * <li>{@code CORR}, {@code COVAR_POP}, {@code COVAR_SAMP}, {@code REGR_SLOPE}, {@code REGR_INTERCEPT}(y, x),
 *     {@code GEOMETRIC_MEAN}, {@code SKEWNESS}, {@code KURTOSIS}(x): numbers but decimals → double.</li>
 * <li>{@code APPROX_PERCENTILE}(x, p), (x, array(double) ps) and (x, w, p): KLL sketch;
 *     integers → bigint, real → real, double → double (arrays of these for an array of percentiles).</li>
 * <li>{@code ARRAY_AGG}(x) → array(type of x): the values of the group, NULLs included, in arrival order
 *     (or in the call's ORDER BY).</li>
 * <li>{@code LISTAGG}(x varchar, separator varchar [, overflow_filler varchar, with_count boolean]) → varchar:
 *     the non-NULL values joined by the separator, in the call's ORDER BY; past 1 MiB an error, or with a
 *     filler (ON OVERFLOW TRUNCATE) the values that fit, the filler and, with count, "(n)" values left out.</li>
 * <li>{@code SET_AGG}(x) → array(x), {@code HISTOGRAM}(x) → map(x, bigint), {@code MAP_AGG}(k, v) → map(k, v),
 *     {@code MULTIMAP_AGG}(k, v) → map(k, array(v)), {@code APPROX_MOST_FREQUENT}(buckets, x, capacity) → map(x, bigint),
 *     {@code MIN_N}, {@code MAX_N}(x, n) → array(x), {@code MIN_BY_N}, {@code MAX_BY_N}(x, y, n) → array(x): computed
 *     from the group's collected argument tuples (see {@link io.glaux.engine.expr.CollectedAggregate}).</li>
 * </ul>
 * Every function but COUNT_STAR, COUNT and COUNT_IF is NULL for a group without (non-null) input.
 * DISTINCT aggregates are planned as a grouping on the distinct argument.
 */
public enum AggregateFunction
{
    COUNT_STAR, COUNT, COUNT_IF, SUM, AVG, MIN, MAX, ARBITRARY, BOOL_AND, BOOL_OR, MIN_BY, MAX_BY,
    STDDEV, STDDEV_SAMP, STDDEV_POP, VARIANCE, VAR_SAMP, VAR_POP, APPROX_DISTINCT, APPROX_PERCENTILE,
    CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT, GEOMETRIC_MEAN, SKEWNESS, KURTOSIS, ARRAY_AGG,
    SET_AGG, HISTOGRAM, MAP_AGG, MULTIMAP_AGG, APPROX_MOST_FREQUENT, MIN_N, MAX_N, MIN_BY_N, MAX_BY_N, LISTAGG, CHECKSUM;

    /** The collected-tuples aggregate this function is, or null. */
    public io.glaux.engine.expr.CollectedAggregate.Kind collected()
    {
        return switch (this) {
            case SET_AGG -> io.glaux.engine.expr.CollectedAggregate.Kind.SET_AGG;
            case HISTOGRAM -> io.glaux.engine.expr.CollectedAggregate.Kind.HISTOGRAM;
            case MAP_AGG -> io.glaux.engine.expr.CollectedAggregate.Kind.MAP_AGG;
            case MULTIMAP_AGG -> io.glaux.engine.expr.CollectedAggregate.Kind.MULTIMAP_AGG;
            case APPROX_MOST_FREQUENT -> io.glaux.engine.expr.CollectedAggregate.Kind.APPROX_MOST_FREQUENT;
            case MIN_N -> io.glaux.engine.expr.CollectedAggregate.Kind.MIN_N;
            case MAX_N -> io.glaux.engine.expr.CollectedAggregate.Kind.MAX_N;
            case MIN_BY_N -> io.glaux.engine.expr.CollectedAggregate.Kind.MIN_BY_N;
            case MAX_BY_N -> io.glaux.engine.expr.CollectedAggregate.Kind.MAX_BY_N;
            default -> null;
        };
    }

    /** How many arguments a call takes: {@code [min, max]}. */
    public int minArguments()
    {
        return switch (this) {
            case COUNT_STAR -> 0;
            case MIN_BY, MAX_BY, APPROX_PERCENTILE, MAP_AGG, MULTIMAP_AGG, MIN_N, MAX_N, LISTAGG -> 2;
            case APPROX_MOST_FREQUENT, MIN_BY_N, MAX_BY_N -> 3;
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> 2;
            default -> 1;
        };
    }

    public int maxArguments()
    {
        return switch (this) {
            case COUNT_STAR -> 0;
            case MIN_BY, MAX_BY, MAP_AGG, MULTIMAP_AGG, MIN_N, MAX_N -> 2;
            case APPROX_MOST_FREQUENT, MIN_BY_N, MAX_BY_N -> 3;
            case CORR, COVAR_POP, COVAR_SAMP, REGR_SLOPE, REGR_INTERCEPT -> 2;
            case APPROX_PERCENTILE -> 3;
            case LISTAGG -> 4;
            default -> 1;
        };
    }
}
