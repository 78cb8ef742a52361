package io.glaux.engine.fragment;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.engine.expr.Expression;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a worker runs over each split of a table scan, in this order:
 * read {@code columns} (skipping data {@code pruning} excludes) → keep rows where {@code filter} is
 * true → compute {@code projections} → optionally {@code aggregation} (partial) → optionally stop after
 * {@code limit} rows. Expressions refer to {@code columns} by index; the aggregation refers to the
 * projections by index. The output schema is the projections, or the aggregation's output.
 *
 * <p>{@code dynamicFilter}, when present, is a condition over {@code columns} that the build side of a
 * join puts on the rows (its keys: a set or a range, {@code DynamicFilter} on the coordinator). It is
 * applied after {@code filter} to the rows {@code filter} keeps, and only while it drops rows: a
 * worker stops evaluating it once it has kept nearly every row of a large sample, since the join
 * drops the rows that do not match anyway.
 *
 * @param table the qualified table name, for error messages
 * @param format the file format: {@code parquet}, {@code text}, {@code csv}, {@code json}, {@code regex}
 *        (see {@code io.glaux.connectors.format.TableFormats})
 * @param formatProperties what the format's reader needs from the table: the SerDe properties merged
 *        with the table properties Glaux uses ({@code field.delim}, {@code serialization.null.format},
 *        {@code skip.header.line.count}, {@code ignore.malformed.json}, {@code mapping.*},
 *        {@code input.regex}, {@code columns}, ...); empty for Parquet
 */
public record ScanFragment(
        String table,
        String format,
        Map<String, String> formatProperties,
        List<ColumnHandle> columns,
        Optional<Expression> filter,
        List<Expression> projections,
        Optional<Aggregation> aggregation,
        TupleDomain pruning,
        OptionalLong limit,
        Optional<Expression> dynamicFilter)
{
    public ScanFragment(String table, String format, Map<String, String> formatProperties, List<ColumnHandle> columns, Optional<Expression> filter,
            List<Expression> projections, Optional<Aggregation> aggregation, TupleDomain pruning, OptionalLong limit)
    {
        this(table, format, formatProperties, columns, filter, projections, aggregation, pruning, limit, Optional.empty());
    }

    public ScanFragment
    {
        requireNonNull(table, "table is null");
        requireNonNull(format, "format is null");
        formatProperties = Map.copyOf(requireNonNull(formatProperties, "formatProperties is null"));
        columns = List.copyOf(columns);
        requireNonNull(filter, "filter is null");
        projections = List.copyOf(projections);
        requireNonNull(aggregation, "aggregation is null");
        requireNonNull(pruning, "pruning is null");
        requireNonNull(limit, "limit is null");
        requireNonNull(dynamicFilter, "dynamicFilter is null");
    }

    /** This fragment with {@code dynamicFilter} as its dynamic filter. */
    public ScanFragment withDynamicFilter(Optional<Expression> dynamicFilter)
    {
        return new ScanFragment(table, format, formatProperties, columns, filter, projections, aggregation, pruning, limit, dynamicFilter);
    }
}
