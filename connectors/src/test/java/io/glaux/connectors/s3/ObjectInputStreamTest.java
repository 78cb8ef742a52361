package io.glaux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectInputStreamTest
{
    private static final String BUCKET = "stream-test";
    private static final String KEY = "data/blob.bin";

    private TestingS3 s3;
    private ObjectStore store;
    private byte[] data;

    @BeforeAll
    void setUp()
            throws Exception
    {
        s3 = new TestingS3();
        store = s3.newStore();
        store.createBucketIfMissing(BUCKET);
        data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        store.put(BUCKET, KEY, data);
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        store.close();
        s3.close();
    }

    @Test
    void readsTheRangeInChunks()
            throws IOException
    {
        ObjectStoreStats before = store.stats();
        try (ObjectInputStream in = new ObjectInputStream(store, BUCKET, KEY, 10, data.length, 100_000, data.length)) {
            byte[] read = in.readAllBytes();
            assertThat(read).isEqualTo(Arrays.copyOfRange(data, 10, data.length));
            assertThat(in.position()).isEqualTo(data.length);
            assertThat(in.bytesFetched()).isEqualTo(data.length - 10);
        }
        ObjectStoreStats used = store.stats().minus(before);
        // ceil(999_993 / 100_000) GETs, never more than two chunks in memory
        assertThat(used.gets()).isEqualTo(10);
        assertThat(used.bytesRead()).isEqualTo(data.length - 10);
    }

    @Test
    void pastTheReadaheadLimitChunksStartSmall()
            throws IOException
    {
        ObjectStoreStats before = store.stats();
        try (ObjectInputStream in = new ObjectInputStream(store, BUCKET, KEY, 0, data.length, 300_000, 200_000)) {
            byte[] head = in.readNBytes(200_100);
            assertThat(head).isEqualTo(Arrays.copyOf(data, 200_100));
            // one chunk up to the limit, then 64 KiB (no readahead of a big chunk that is not needed)
            assertThat(in.bytesFetched()).isEqualTo(200_000 + 64 * 1024);
            byte[] more = in.readNBytes(100_000);
            assertThat(more).isEqualTo(Arrays.copyOfRange(data, 200_100, 300_100));
            // then 128 KiB
            assertThat(in.bytesFetched()).isEqualTo(200_000 + 64 * 1024 + 128 * 1024);
        }
        assertThat(store.stats().minus(before).gets()).isEqualTo(3);
    }

    @Test
    void singleBytesAndSkips()
    {
        try (ObjectInputStream in = new ObjectInputStream(store, BUCKET, KEY, 0, 1000, 64, 1000)) {
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            assertThat(in.skip(500)).isEqualTo(500);
            assertThat(in.read()).isEqualTo(data[501] & 0xff);
            assertThat(in.skip(10_000)).isEqualTo(498);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
        }
        try (ObjectInputStream empty = new ObjectInputStream(store, BUCKET, KEY, 5, 5, 64, 5)) {
            assertThat(empty.read()).isEqualTo(-1);
        }
    }

    @Test
    void missingObjectFailsWithTheObjectStoreError()
    {
        try (ObjectInputStream in = new ObjectInputStream(store, BUCKET, "data/none", 0, 100, 64, 100)) {
            assertThatThrownBy(in::read)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND))
                    .hasMessageContaining("s3://stream-test/data/none");
        }
    }
}
