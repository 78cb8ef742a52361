package io.glaux.connectors.s3;

import static java.util.Objects.requireNonNull;

/**
 * A bucket and a key (or key prefix) parsed from {@code s3://bucket/key}. {@code s3a://} and
 * {@code s3n://} are accepted as synonyms. The key may be empty (the whole bucket).
 */
public record S3Location(String bucket, String key)
{
    public S3Location
    {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("bucket is empty");
        }
    }

    public static S3Location parse(String location)
    {
        requireNonNull(location, "location is null");
        int schemeEnd = location.indexOf("://");
        if (schemeEnd < 0) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String scheme = location.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("s3") && !scheme.equals("s3a") && !scheme.equals("s3n")) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in location: " + location);
        }
        return new S3Location(bucket, key);
    }

    /** This location as a "directory" prefix: the key with a trailing '/' (empty for the whole bucket). */
    public S3Location asDirectory()
    {
        if (key.isEmpty() || key.endsWith("/")) {
            return this;
        }
        return new S3Location(bucket, key + "/");
    }

    @Override
    public String toString()
    {
        return "s3://" + bucket + "/" + key;
    }
}
