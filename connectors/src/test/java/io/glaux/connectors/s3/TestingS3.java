package io.glaux.connectors.s3;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** An embedded S3Proxy over a temporary directory (filesystem-nio2 backend), on a free loopback port. */
public final class TestingS3
        implements AutoCloseable
{
    public static final String ACCESS_KEY = "glaux-test-access";
    public static final String SECRET_KEY = "glaux-test-secret-do-not-log";

    private final Path directory;
    private final S3Proxy proxy;

    public TestingS3()
            throws Exception
    {
        directory = Files.createTempDirectory("glaux-s3proxy");
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Where the objects of {@code bucket} live on disk. */
    public Path bucketDirectory(String bucket)
    {
        return directory.resolve(bucket);
    }

    public ObjectStoreConfig config()
    {
        return ObjectStoreConfig.of(endpoint(), ACCESS_KEY, SECRET_KEY)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    public ObjectStore newStore()
    {
        return new ObjectStore(config());
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            proxy.stop();
        }
        catch (Exception e) {
            throw new IOException("cannot stop S3Proxy", e);
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
