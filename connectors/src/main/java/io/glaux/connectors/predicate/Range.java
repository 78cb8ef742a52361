package io.glaux.connectors.predicate;

/**
 * A range of values of one column; a null bound is unbounded. Values use the engine's Java
 * representation of a type: Long for tinyint..bigint, date (days since epoch) and timestamp (micros
 * since epoch); Double for real and double; String for varchar; Boolean for boolean.
 */
public record Range(Comparable<?> low, boolean lowInclusive, Comparable<?> high, boolean highInclusive)
{
    public static Range equal(Comparable<?> value)
    {
        return new Range(value, true, value, true);
    }

    public static Range all()
    {
        return new Range(null, false, null, false);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable a, Comparable b)
    {
        return a.compareTo(b);
    }

    /** Whether some value in {@code [min, max]} (both non-null, inclusive) lies in this range. */
    @SuppressWarnings({"rawtypes"})
    public boolean overlaps(Comparable min, Comparable max)
    {
        if (low != null) {
            int c = compare(max, (Comparable) low);
            if (c < 0 || (c == 0 && !lowInclusive)) {
                return false;
            }
        }
        if (high != null) {
            int c = compare(min, (Comparable) high);
            if (c > 0 || (c == 0 && !highInclusive)) {
                return false;
            }
        }
        return true;
    }
}
