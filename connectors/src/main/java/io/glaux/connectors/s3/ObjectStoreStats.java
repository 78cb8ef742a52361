package io.glaux.connectors.s3;

/**
 * Counters of one {@link ObjectStore} since it was created: HTTP requests sent (every attempt) and
 * of them GETs of objects, HEADs, listings (GETs of a bucket) and PUT/POSTs; retries; body bytes read and written.
 */
public record ObjectStoreStats(
        long requests,
        long gets,
        long heads,
        long lists,
        long puts,
        long retries,
        long bytesRead,
        long bytesWritten)
{
    /** The counts accumulated since {@code earlier}. */
    public ObjectStoreStats minus(ObjectStoreStats earlier)
    {
        return new ObjectStoreStats(
                requests - earlier.requests,
                gets - earlier.gets,
                heads - earlier.heads,
                lists - earlier.lists,
                puts - earlier.puts,
                retries - earlier.retries,
                bytesRead - earlier.bytesRead,
                bytesWritten - earlier.bytesWritten);
    }
}
