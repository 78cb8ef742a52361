package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The number of rows of a Parquet file and the value ranges of its integer-like columns, from its
 * footer (the row groups' row counts and column chunk statistics): what the coordinator's planner reads
 * for table statistics when the metastore has none.
 */
public final class ParquetRowCount
{
    /** The footer bytes fetched with the first GET; a larger footer costs a second one. */
    private static final int FOOTER_READ_SIZE = 16 * 1024;

    private ParquetRowCount() {}

    /**
     * The smallest and largest value of a column in a file, as stored (a decimal's unscaled value, a
     * date's days since 1970-01-01), its null count, and its value count (nulls included).
     *
     * @param scale the decimal scale of the stored values (0 for integers and dates)
     */
    public record ColumnRange(long min, long max, int scale, long nulls, long values)
    {
        /** The range of both files' values. */
        public ColumnRange merge(ColumnRange other)
        {
            requireNonNull(other, "other is null");
            return new ColumnRange(Math.min(min, other.min), Math.max(max, other.max), scale, nulls + other.nulls, values + other.values);
        }
    }

    /**
     * A file's rows and the ranges of its top-level INT32/INT64 columns (integers, dates, decimals),
     * by lower-case column name; a column is missing when a row group lacks its statistics.
     */
    public record FileStatistics(long rows, Map<String, ColumnRange> columns)
    {
        public FileStatistics
        {
            columns = Map.copyOf(columns);
        }
    }

    /**
     * Reads the footer of {@code s3://bucket/key} ({@code fileSize} bytes long, as listed) and sums its row
     * groups' rows. Throws {@link io.glaux.spi.error.GlauxException} CORRUPT_FILE or NOT_SUPPORTED when the
     * object is not a readable Parquet file.
     */
    public static long read(ObjectStore store, String bucket, String key, long fileSize)
    {
        return readStatistics(store, bucket, key, fileSize).rows();
    }

    /** As {@link #read}, with the column ranges the footer's statistics give. */
    public static FileStatistics readStatistics(ObjectStore store, String bucket, String key, long fileSize)
    {
        Split whole = new Split(bucket, key, 0, fileSize, fileSize, 0, Map.of());
        ParquetFooter footer = ParquetFooter.read(store, whole, FOOTER_READ_SIZE, _ -> { });
        long rows = 0;
        Map<String, ColumnRange> ranges = new HashMap<>();
        Map<String, Boolean> complete = new HashMap<>();
        for (BlockMetaData block : footer.metadata().getBlocks()) {
            rows += block.getRowCount();
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                if (chunk.getPath().size() != 1) {
                    continue;
                }
                String name = chunk.getPath().toDotString().toLowerCase(Locale.ROOT);
                ColumnRange range = range(chunk);
                if (range == null) {
                    complete.put(name, false);
                    continue;
                }
                complete.putIfAbsent(name, true);
                ranges.merge(name, range, ColumnRange::merge);
            }
        }
        ranges.keySet().removeIf(name -> !complete.get(name));
        return new FileStatistics(rows, ranges);
    }

    /** The chunk's range when it is an INT32/INT64 column with min/max statistics (signed order), else null. */
    private static ColumnRange range(ColumnChunkMetaData chunk)
    {
        PrimitiveType type = chunk.getPrimitiveType();
        PrimitiveType.PrimitiveTypeName physical = type.getPrimitiveTypeName();
        if (physical != PrimitiveType.PrimitiveTypeName.INT32 && physical != PrimitiveType.PrimitiveTypeName.INT64) {
            return null;
        }
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        int scale = 0;
        if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
            scale = decimal.getScale();
        }
        else if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation integer && !integer.isSigned()) {
            // unsigned values' statistics compare in another order
            return null;
        }
        else if (logical != null && !(logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation) && !(logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation)) {
            // timestamps, times: their units differ, and a range does not bound their distinct values usefully
            return null;
        }
        Statistics<?> statistics = chunk.getStatistics();
        long values = chunk.getValueCount();
        if (statistics == null || statistics.isEmpty() || !statistics.isNumNullsSet()) {
            return null;
        }
        if (!statistics.hasNonNullValue()) {
            return statistics.getNumNulls() == values ? new ColumnRange(Long.MAX_VALUE, Long.MIN_VALUE, scale, values, values) : null;
        }
        if (!(statistics.genericGetMin() instanceof Number min) || !(statistics.genericGetMax() instanceof Number max)) {
            return null;
        }
        return new ColumnRange(min.longValue(), max.longValue(), scale, statistics.getNumNulls(), values);
    }
}
