package io.glaux.connectors.predicate;

import java.util.List;

/**
 * The values a column may take for a row to pass a filter: a union of ranges, plus whether NULL
 * passes. Used only to skip data (row groups, pages, partitions) that cannot match; the exact filter
 * still runs on every row that is read.
 */
public record Domain(List<Range> ranges, boolean nullAllowed)
{
    public Domain
    {
        ranges = List.copyOf(ranges);
    }

    public static Domain onlyNull()
    {
        return new Domain(List.of(), true);
    }

    public static Domain notNull()
    {
        return new Domain(List.of(Range.all()), false);
    }

    /** Whether the non-null {@code value} passes. */
    @SuppressWarnings("rawtypes")
    public boolean includes(Comparable value)
    {
        for (Range range : ranges) {
            if (range.overlaps(value, value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some row with values in {@code [min, max]} (nulls counted by {@code hasNulls}) can pass. */
    @SuppressWarnings("rawtypes")
    public boolean overlaps(Comparable min, Comparable max, boolean hasNulls)
    {
        if (hasNulls && nullAllowed) {
            return true;
        }
        if (min == null || max == null) {
            // no statistics on values: cannot exclude anything that has values
            return true;
        }
        for (Range range : ranges) {
            if (range.overlaps(min, max)) {
                return true;
            }
        }
        return false;
    }
}
