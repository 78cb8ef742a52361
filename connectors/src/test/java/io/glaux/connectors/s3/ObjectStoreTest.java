package io.glaux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreTest
{
    private static final String BUCKET = "store-test";

    private TestingS3 s3;
    private ObjectStore store;
    private byte[] blob;

    @BeforeAll
    void setUp()
            throws Exception
    {
        s3 = new TestingS3();
        store = s3.newStore();
        store.createBucketIfMissing(BUCKET);
        store.createBucketIfMissing(BUCKET); // idempotent
        blob = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(blob);
        store.put(BUCKET, "data/blob.bin", blob);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        store.close();
        s3.close();
    }

    @Test
    void headReadAndTail()
    {
        ObjectInfo info = store.head(BUCKET, "data/blob.bin");
        assertThat(info.key()).isEqualTo("data/blob.bin");
        assertThat(info.size()).isEqualTo(blob.length);
        assertThat(info.lastModifiedMillis()).isGreaterThan(0);

        ObjectStoreStats before = store.stats();
        byte[] middle = store.read(BUCKET, "data/blob.bin", 1_000_000, 12_345);
        assertThat(middle).isEqualTo(Arrays.copyOfRange(blob, 1_000_000, 1_012_345));
        byte[] tail = store.readTail(BUCKET, "data/blob.bin", 8);
        assertThat(tail).isEqualTo(Arrays.copyOfRange(blob, blob.length - 8, blob.length));
        ObjectStoreStats delta = store.stats().minus(before);
        assertThat(delta.gets()).isEqualTo(2);
        assertThat(delta.bytesRead()).isEqualTo(12_345 + 8);

        // a suffix range longer than the object returns the whole object
        store.put(BUCKET, "data/small.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(store.readTail(BUCKET, "data/small.txt", 65536)).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        store.put(BUCKET, "data/empty", new byte[0]);
        assertThat(store.readTail(BUCKET, "data/empty", 16)).isEmpty();
        assertThat(store.read(BUCKET, "data/small.txt", 2, 0)).isEmpty();
    }

    @Test
    void parallelRanges()
    {
        List<ByteRange> ranges = List.of(new ByteRange(0, 100), new ByteRange(2_000_000, 1_000_000), new ByteRange(blob.length - 10, 10));
        ObjectStoreStats before = store.stats();
        List<byte[]> parts = store.readRanges(BUCKET, "data/blob.bin", ranges);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange range = ranges.get(i);
            assertThat(parts.get(i)).isEqualTo(Arrays.copyOfRange(blob, (int) range.offset(), (int) range.end()));
        }
        assertThat(store.stats().minus(before).gets()).isEqualTo(3);
    }

    @Test
    void readPastTheEndNamesObjectAndOffset()
    {
        assertThatThrownBy(() -> store.read(BUCKET, "data/small.txt", 3, 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_STORE_ERROR);
                    assertThat(e.getMessage()).contains("s3://store-test/data/small.txt").contains("offset 3");
                });
        store.put(BUCKET, "data/small.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.read(BUCKET, "data/small.txt", 100, 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_STORE_ERROR);
                    assertThat(e.getMessage()).contains("s3://store-test/data/small.txt").contains("offset 100");
                });
    }

    @Test
    void missingObjectAndBucket()
    {
        assertThatThrownBy(() -> store.head(BUCKET, "nope/missing.parquet"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("s3://store-test/nope/missing.parquet");
                });
        assertThatThrownBy(() -> store.read(BUCKET, "nope/missing.parquet", 0, 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("s3://store-test/nope/missing.parquet");
                });
        assertThatThrownBy(() -> store.readTail(BUCKET, "nope/missing.parquet", 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND));
        assertThatThrownBy(() -> store.list("no-such-bucket", "x/").toList())
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND);
                    assertThat(e.getMessage()).contains("no-such-bucket");
                });
    }

    @Test
    void wrongCredentialsAreAccessDeniedQuickly()
    {
        ObjectStoreConfig bad = s3.config().withCredentials(TestingS3.ACCESS_KEY, "wrong-secret-value");
        ObjectStoreConfig unknown = s3.config().withCredentials("unknown-access-key", "wrong-secret-value");
        for (ObjectStoreConfig config : List.of(bad, unknown)) {
            try (ObjectStore wrong = new ObjectStore(config)) {
                long start = System.nanoTime();
                for (Runnable call : List.<Runnable>of(
                        () -> wrong.read(BUCKET, "data/blob.bin", 0, 10),
                        () -> wrong.readTail(BUCKET, "data/blob.bin", 10),
                        () -> wrong.list(BUCKET, "data/").toList(),
                        () -> wrong.head(BUCKET, "data/blob.bin"))) {
                    assertThatThrownBy(call::run)
                            .isInstanceOfSatisfying(GlauxException.class, e -> {
                                assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_STORE_ACCESS_DENIED);
                                assertThat(e.getMessage())
                                        .contains("Access denied by the object store at " + s3.endpoint())
                                        .contains("s3://store-test/data/")
                                        .contains("check the access key and secret key")
                                        .doesNotContain("wrong-secret-value")
                                        .doesNotContain(TestingS3.SECRET_KEY);
                            });
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                assertThat(wrong.stats().retries()).isZero();
            }
        }
    }

    @Test
    void unreachableEndpointIsRetriedThenFails()
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ObjectStoreConfig config = ObjectStoreConfig.of(URI.create("http://127.0.0.1:" + port), "a", "b")
                .withMaxRetries(2)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (ObjectStore closedPort = new ObjectStore(config)) {
            assertThatThrownBy(() -> closedPort.read("bucket", "key", 0, 1))
                    .isInstanceOfSatisfying(GlauxException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_STORE_ERROR);
                        assertThat(e.getMessage()).contains("s3://bucket/key").contains("127.0.0.1:" + port);
                    });
            assertThat(closedPort.stats().retries()).isEqualTo(2);
            assertThat(closedPort.stats().gets()).isEqualTo(3);
        }
    }

    @Test
    void listingIsPaginatedAndStreamed()
            throws Exception
    {
        int count = 1_050;
        try (ExecutorService executor = Executors.newFixedThreadPool(16)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "many/part-%05d.txt".formatted(i);
                futures.add(executor.submit(() -> store.put(BUCKET, key, key.getBytes(StandardCharsets.UTF_8))));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        ObjectStoreStats before = store.stats();
        Iterator<ObjectInfo> iterator = store.listIterator(BUCKET, "many/");
        assertThat(iterator.next().key()).isEqualTo("many/part-00000.txt");
        // only the first page has been requested so far
        assertThat(store.stats().minus(before).lists()).isEqualTo(1);
        int seen = 1;
        while (iterator.hasNext()) {
            ObjectInfo info = iterator.next();
            assertThat(info.key()).isEqualTo("many/part-%05d.txt".formatted(seen));
            assertThat(info.size()).isEqualTo(info.key().length());
            seen++;
        }
        assertThat(seen).isEqualTo(count);
        assertThat(store.stats().minus(before).lists()).isEqualTo(2);
    }

    @Test
    void prefixesAndSpecialKeys()
            throws Exception
    {
        store.put(BUCKET, "tbl/dt=2024-01-01/a.parquet", new byte[] {1});
        store.put(BUCKET, "tbl/dt=2024-01-02/b.parquet", new byte[] {1, 2});
        store.put(BUCKET, "tbl/dt=2024-01-02/sub/c.parquet", new byte[] {1, 2, 3});
        store.put(BUCKET, "tbl/ts=2024-01-01 10%3A00%3A00/d.parquet", new byte[] {4});
        store.put(BUCKET, "tbl/top.parquet", new byte[] {5});
        assertThat(store.listPrefixes(BUCKET, "tbl/"))
                .containsExactly("tbl/dt=2024-01-01/", "tbl/dt=2024-01-02/", "tbl/ts=2024-01-01 10%3A00%3A00/");
        assertThat(store.list(BUCKET, "tbl/").map(ObjectInfo::key).toList()).containsExactly(
                "tbl/dt=2024-01-01/a.parquet",
                "tbl/dt=2024-01-02/b.parquet",
                "tbl/dt=2024-01-02/sub/c.parquet",
                "tbl/top.parquet",
                "tbl/ts=2024-01-01 10%3A00%3A00/d.parquet");
        assertThat(store.read(BUCKET, "tbl/ts=2024-01-01 10%3A00%3A00/d.parquet", 0, 1)).containsExactly(4);

        Path file = Files.createTempFile("upload", ".bin");
        try {
            Files.write(file, blob);
            store.put(BUCKET, "uploaded/file.bin", file);
            assertThat(store.head(BUCKET, "uploaded/file.bin").size()).isEqualTo(blob.length);
            store.delete(BUCKET, "uploaded/file.bin");
            assertThat(store.list(BUCKET, "uploaded/").toList()).isEmpty();
        }
        finally {
            Files.delete(file);
        }
    }

    @Test
    void locationsAndConfig()
    {
        assertThat(ObjectStore.parse("s3://bucket/prefix/")).isEqualTo(new S3Location("bucket", "prefix/"));
        assertThat(ObjectStore.parse("s3a://bucket")).isEqualTo(new S3Location("bucket", ""));
        assertThat(ObjectStore.parse("s3://bucket/a/b").asDirectory()).isEqualTo(new S3Location("bucket", "a/b/"));
        assertThat(ObjectStore.parse("s3://bucket/a/b")).hasToString("s3://bucket/a/b");
        assertThatThrownBy(() -> ObjectStore.parse("hdfs://x/y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectStore.parse("s3:///y")).isInstanceOf(IllegalArgumentException.class);
        assertThat(s3.config().toString()).doesNotContain(TestingS3.SECRET_KEY).doesNotContain(TestingS3.ACCESS_KEY);
        assertThat(ByteRange.coalesce(List.of(new ByteRange(100, 10), new ByteRange(0, 10), new ByteRange(15, 5), new ByteRange(200, 50)), 10, 30))
                .containsExactly(new ByteRange(0, 20), new ByteRange(100, 10), new ByteRange(200, 30), new ByteRange(230, 20));
    }
}
