package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the metastore knows of a column's values across a table (Hive's table-level column statistics,
 * written by {@code ANALYZE TABLE ... COMPUTE STATISTICS FOR COLUMNS} in Hive, Spark or Trino): its
 * distinct values, its nulls, and for numbers and dates its smallest and largest value (a date as its
 * days since 1970-01-01, a decimal as its value). Each part is empty when unknown.
 */
public record ColumnStatistics(OptionalLong distinctValues, OptionalLong nulls, OptionalDouble min, OptionalDouble max)
{
    public static final ColumnStatistics EMPTY = new ColumnStatistics(OptionalLong.empty(), OptionalLong.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    public ColumnStatistics
    {
        requireNonNull(distinctValues, "distinctValues is null");
        requireNonNull(nulls, "nulls is null");
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
    }
}
