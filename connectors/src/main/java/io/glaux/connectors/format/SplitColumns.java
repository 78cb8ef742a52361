package io.glaux.connectors.format;

import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.HivePartitions;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The values of a split's PARTITION and HIDDEN columns, the same for every row of the split, in the
 * engine's Java representation (see {@link io.glaux.connectors.arrow.ConstantVectors}); shared by all
 * file format readers.
 */
public final class SplitColumns
{
    public static final String PATH_COLUMN = "$path";
    public static final String FILE_SIZE_COLUMN = "$file_size";
    public static final String FILE_MODIFIED_TIME_COLUMN = "$file_modified_time";

    private SplitColumns() {}

    /** The split's partition values by lower-case name (the first of names differing only in case wins). */
    public static Map<String, String> partitionValues(Split split)
    {
        Map<String, String> values = new HashMap<>();
        split.partitionValues().forEach((name, value) -> values.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        return values;
    }

    /**
     * The value of a PARTITION column ({@code partitionValues} from {@link #partitionValues(Split)}),
     * NULL when the split has none; {@code BAD_DATA} when the value is not of the column's type.
     */
    public static Object partitionValue(Split split, Map<String, String> partitionValues, ColumnHandle column)
    {
        String raw = partitionValues.get(column.name().toLowerCase(Locale.ROOT));
        try {
            return HivePartitions.parseValue(raw, column.type());
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.BAD_DATA, "Invalid value for partition column '%s' of %s: %s"
                    .formatted(column.name(), split.path(), e.getMessage()), e);
        }
    }

    /** The value of a HIDDEN column: {@code $path}, {@code $file_size} or {@code $file_modified_time}. */
    public static Object hiddenValue(Split split, ColumnHandle column)
    {
        Object value = switch (column.name().toLowerCase(Locale.ROOT)) {
            case PATH_COLUMN -> split.path();
            case FILE_SIZE_COLUMN -> split.fileSize();
            case FILE_MODIFIED_TIME_COLUMN -> Math.multiplyExact(split.lastModifiedMillis(), 1000L);
            default -> throw new GlauxException(ErrorCode.COLUMN_NOT_FOUND, "Unknown hidden column '%s' (known: $path, $file_size, $file_modified_time)".formatted(column.name()));
        };
        if (column.type() instanceof Type.Varchar && !(value instanceof String)) {
            return value.toString();
        }
        if (value instanceof String && !(column.type() instanceof Type.Varchar)) {
            throw new GlauxException(ErrorCode.TYPE_MISMATCH, "Hidden column '%s' is varchar, not %s".formatted(column.name(), column.type().trinoName()));
        }
        return value;
    }

    /** The value of a PARTITION or HIDDEN column. */
    public static Object constantValue(Split split, Map<String, String> partitionValues, ColumnHandle column)
    {
        return switch (column.kind()) {
            case PARTITION -> partitionValue(split, partitionValues, column);
            case HIDDEN -> hiddenValue(split, column);
            case REGULAR -> throw new IllegalArgumentException("not a constant column: " + column.name());
        };
    }

    /** Whether a column whose every value is {@code value} may satisfy {@code pruning}. */
    @SuppressWarnings("rawtypes")
    public static boolean constantMayMatch(TupleDomain pruning, ColumnHandle column, Object value)
    {
        Domain domain = pruning.domains().get(column.name().toLowerCase(Locale.ROOT));
        if (domain == null) {
            return true;
        }
        if (value == null) {
            return domain.nullAllowed();
        }
        if (!(value instanceof Comparable comparable)) {
            return true;
        }
        try {
            return domain.overlaps(comparable, comparable, false);
        }
        catch (ClassCastException e) {
            return true;
        }
    }
}
