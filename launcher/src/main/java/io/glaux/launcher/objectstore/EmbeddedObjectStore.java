package io.glaux.launcher.objectstore;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded S3-compatible object store: S3Proxy in-process with its filesystem backend, bound to
 * loopback. Buckets are directories under {@code dir}, objects plain files, so DuckDB (or a person)
 * can read the same files directly.
 */
public final class EmbeddedObjectStore
        implements AutoCloseable
{
    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedObjectStore(S3Proxy proxy, URI endpoint)
    {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static EmbeddedObjectStore start(Path dir, int port, String accessKey, String secretKey)
    {
        return start(dir, "127.0.0.1", port, accessKey, secretKey);
    }

    /** {@link #start(Path, int, String, String)} listening on {@code host} ({@code 0.0.0.0}: every interface, for a container). */
    public static EmbeddedObjectStore start(Path dir, String host, int port, String accessKey, String secretKey)
    {
        try {
            Files.createDirectories(dir);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                    .endpoint(URI.create("http://" + host + ":" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!proxy.getState().equals("STARTED")) {
                if (System.nanoTime() > deadline) {
                    throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "The embedded object store did not start within 30 s");
                }
                Thread.sleep(10);
            }
            return new EmbeddedObjectStore(proxy, URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + proxy.getPort()));
        }
        catch (GlauxException e) {
            throw e;
        }
        catch (Exception e) {
            throw new GlauxException(ErrorCode.OBJECT_STORE_ERROR, "Cannot start the embedded object store on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public URI endpoint()
    {
        return endpoint;
    }

    @Override
    public void close()
    {
        try {
            proxy.stop();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot stop the embedded object store: " + e.getMessage(), e);
        }
    }
}
