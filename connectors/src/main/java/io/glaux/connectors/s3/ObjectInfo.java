package io.glaux.connectors.s3;

import static java.util.Objects.requireNonNull;

/** One object of a listing or a HEAD: its key (within the bucket), size in bytes and last-modified time. */
public record ObjectInfo(String key, long size, long lastModifiedMillis)
{
    public ObjectInfo
    {
        requireNonNull(key, "key is null");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + key);
        }
    }
}
