package io.glaux.connectors.parquet;

import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.split.Split;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

import java.util.Map;

/**
 * The number of rows of a Parquet file, from its footer (the sum of its row groups' row counts): what
 * the coordinator's planner reads for table statistics when the metastore has none.
 */
public final class ParquetRowCount
{
    /** The footer bytes fetched with the first GET; a larger footer costs a second one. */
    private static final int FOOTER_READ_SIZE = 16 * 1024;

    private ParquetRowCount() {}

    /**
     * Reads the footer of {@code s3://bucket/key} ({@code fileSize} bytes long, as listed) and sums its row
     * groups' rows. Throws {@link io.glaux.spi.error.GlauxException} CORRUPT_FILE or NOT_SUPPORTED when the
     * object is not a readable Parquet file.
     */
    public static long read(ObjectStore store, String bucket, String key, long fileSize)
    {
        Split whole = new Split(bucket, key, 0, fileSize, fileSize, 0, Map.of());
        ParquetFooter footer = ParquetFooter.read(store, whole, FOOTER_READ_SIZE, _ -> { });
        long rows = 0;
        for (BlockMetaData block : footer.metadata().getBlocks()) {
            rows += block.getRowCount();
        }
        return rows;
    }
}
