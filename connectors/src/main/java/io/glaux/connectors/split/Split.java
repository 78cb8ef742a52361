package io.glaux.connectors.split;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A unit of scan work: the byte range {@code [start, start + length)} of one object. For Parquet a
 * worker reads the row groups whose first byte lies in the range, so adjacent splits of one file never
 * read a row group twice. {@code partitionValues} are the Hive partition values of the object's
 * partition, as strings as they appear in the path after Hive unescaping ({@code dt=2024-01-01} →
 * "2024-01-01", {@code region=eu%3Awest} → "eu:west"; see {@link HivePartitions}); the value
 * {@code __HIVE_DEFAULT_PARTITION__} means NULL.
 */
public record Split(
        String bucket,
        String key,
        long start,
        long length,
        long fileSize,
        long lastModifiedMillis,
        Map<String, String> partitionValues)
{
    public Split
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        partitionValues = Map.copyOf(partitionValues);
        if (start < 0 || length < 0 || start + length > fileSize) {
            throw new IllegalArgumentException("bad split range " + start + "+" + length + " of " + fileSize + " for " + key);
        }
    }

    /** {@code s3://bucket/key}, the {@code "$path"} of the rows this split produces. */
    public String path()
    {
        return "s3://" + bucket + "/" + key;
    }
}
