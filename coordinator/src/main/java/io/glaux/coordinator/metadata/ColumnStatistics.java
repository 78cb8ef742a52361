package io.glaux.coordinator.metadata;

/**
 * What the planner knows of a column's values: how many distinct values, the share of nulls, and the
 * smallest and largest value (numbers and dates as numbers: a date is its days since 1970-01-01, a
 * decimal its value). {@code NaN} where unknown.
 *
 * @param distinctValues distinct non-null values: the metastore's count when it has one, else estimated
 *        (see {@link TableStatistics}); {@code NaN} when unknown
 */
public record ColumnStatistics(double distinctValues, double nullFraction, double min, double max)
{
    public static final ColumnStatistics UNKNOWN = new ColumnStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public boolean hasRange()
    {
        return !Double.isNaN(min) && !Double.isNaN(max) && min <= max;
    }
}
