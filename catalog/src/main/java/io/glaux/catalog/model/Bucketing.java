package io.glaux.catalog.model;

import java.util.List;

/**
 * How a bucketed table's rows are spread over files ({@code CLUSTERED BY (c, ...) [SORTED BY (...)]
 * INTO n BUCKETS}). Kept in the metastore so that Hive, Spark and Trino see it; Glaux reads bucketed
 * tables like any other.
 *
 * @param columns lower-case bucketing columns
 * @param sortedBy the sort order within each bucket
 * @param buckets the number of buckets (positive)
 */
public record Bucketing(List<String> columns, List<SortColumn> sortedBy, int buckets)
{
    public Bucketing
    {
        columns = columns.stream().map(column -> Names.lowerName(column, "column")).toList();
        sortedBy = List.copyOf(sortedBy);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no bucketing columns");
        }
        if (buckets <= 0) {
            throw new IllegalArgumentException("bucket count must be positive: " + buckets);
        }
    }

    public record SortColumn(String name, boolean ascending)
    {
        public SortColumn
        {
            name = Names.lowerName(name, "name");
        }
    }
}
