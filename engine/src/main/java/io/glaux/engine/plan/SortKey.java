package io.glaux.engine.plan;

/**
 * Orders by input column {@code column}. NULLs sort as {@code nullsFirst} says (Trino's default:
 * NULLS LAST for both directions).
 */
public record SortKey(int column, boolean ascending, boolean nullsFirst)
{
    public static SortKey ascending(int column)
    {
        return new SortKey(column, true, false);
    }

    public static SortKey descending(int column)
    {
        return new SortKey(column, false, false);
    }
}
