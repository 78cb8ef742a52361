package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One partition of a partitioned table.
 *
 * @param values the partition values, in the order of the table's partition columns (Hive stores
 *        them as strings: {@code ["2024-01-01"]} for {@code dt=2024-01-01})
 * @param location where the partition's files are, e.g. {@code s3://bucket/logs/dt=2024-01-01}; an
 *        empty string when adding a partition means "let the metastore derive it" (table location +
 *        {@code /col=value}). The metastore normalizes locations: a trailing {@code /} is dropped.
 */
public record Partition(List<String> values, String location)
{
    public Partition
    {
        values = List.copyOf(requireNonNull(values, "values is null"));
        requireNonNull(location, "location is null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("partition values are empty");
        }
    }
}
