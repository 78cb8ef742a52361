package io.glaux.engine.fragment;

/**
 * Decomposable aggregate functions a worker computes partially. The coordinator merges partial
 * results with {@link #merge()}: partial counts are summed, sums summed, minima and maxima taken again.
 * AVG is planned as SUM / COUNT and DISTINCT as a grouping on the distinct argument, before pushdown.
 */
public enum AggregateFunction
{
    COUNT_STAR, COUNT, SUM, MIN, MAX;

    public AggregateFunction merge()
    {
        return switch (this) {
            case COUNT_STAR, COUNT, SUM -> SUM;
            case MIN -> MIN;
            case MAX -> MAX;
        };
    }
}
