package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.aggregation.HashPartitioner;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestPartitionedOutputBuffer
{
    private static final List<Type> TYPES = List.of(Type.BIGINT, Type.VARCHAR);

    private BufferAllocator root;

    @BeforeEach
    void setUp()
    {
        root = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        // fails the test if a batch leaked
        root.close();
    }

    @Test
    void consumersReadTheirPartitionsToTheEnd()
            throws Exception
    {
        AtomicInteger done = new AtomicInteger();
        try (PartitionedOutputBuffer buffer = new PartitionedOutputBuffer("q.1", 2, TYPES, 1 << 20, root, done::incrementAndGet)) {
            assertThat(buffer.enqueue(0, batch(0, 10), () -> false)).isTrue();
            assertThat(buffer.enqueue(1, batch(10, 5), () -> false)).isTrue();
            assertThat(buffer.enqueue(0, batch(15, 3), () -> false)).isTrue();
            assertThat(buffer.bufferedBytes()).isPositive();
            // nothing more yet: a consumer times out with nothing, its partition is not finished
            assertThat(buffer.isFinished(1)).isFalse();
            try (VectorSchemaRoot first = buffer.poll(1, 10)) {
                assertThat(first.getRowCount()).isEqualTo(5);
            }
            assertThat(buffer.poll(1, 10)).isNull();
            assertThat(buffer.isFinished(1)).isFalse();

            buffer.setNoMoreInput();
            assertThat(buffer.isFinished(1)).isTrue();
            assertThat(buffer.isFinished(0)).isFalse();
            long rows = 0;
            while (true) {
                try (VectorSchemaRoot batch = buffer.poll(0, 10)) {
                    if (batch == null) {
                        break;
                    }
                    rows += batch.getRowCount();
                }
            }
            assertThat(rows).isEqualTo(13);
            assertThat(buffer.isFinished(0)).isTrue();
            assertThat(buffer.bufferedBytes()).isZero();
            buffer.consumerFinished(0);
            assertThat(done).hasValue(0);
            buffer.consumerFinished(1);
            buffer.consumerFinished(1);
            assertThat(done).hasValue(1);
        }
    }

    @Test
    void aFullBufferHoldsItsProducerBackUntilAConsumerReads()
            throws Exception
    {
        try (PartitionedOutputBuffer buffer = new PartitionedOutputBuffer("q.2", 2, TYPES, 64 * 1024, root, () -> {})) {
            // one batch always fits an empty buffer, however large
            assertThat(buffer.enqueue(0, batch(0, 20_000), () -> false)).isTrue();
            long full = buffer.bufferedBytes();
            assertThat(full).isGreaterThan(64 * 1024);
            CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return buffer.enqueue(1, batch(0, 100), () -> false);
                }
                catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            // the producer waits while the buffer is full
            assertThat(blocked).isNotDone();
            Thread.sleep(200);
            assertThat(blocked).isNotDone();
            assertThat(buffer.bufferedBytes()).isEqualTo(full);
            // a consumer takes the batch: the producer goes on
            try (VectorSchemaRoot taken = buffer.poll(0, 1000)) {
                assertThat(taken.getRowCount()).isEqualTo(20_000);
            }
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(buffer.peakBytes()).isEqualTo(full);
        }
    }

    @Test
    void aStoppedProducerGivesUpAndItsBatchIsFreed()
            throws Exception
    {
        try (PartitionedOutputBuffer buffer = new PartitionedOutputBuffer("q.3", 1, TYPES, 1024, root, () -> {})) {
            buffer.enqueue(0, batch(0, 1000), () -> false);
            assertThat(buffer.enqueue(0, batch(0, 10), () -> true)).isFalse();
        }
    }

    @Test
    void abortFreesEverythingAndFailsProducersAndConsumers()
            throws Exception
    {
        AtomicInteger done = new AtomicInteger();
        PartitionedOutputBuffer buffer = new PartitionedOutputBuffer("q.4", 2, TYPES, 64 * 1024, root, done::incrementAndGet);
        buffer.enqueue(0, batch(0, 20_000), () -> false);
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return buffer.enqueue(1, batch(0, 100), () -> false);
            }
            catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        buffer.abort(new GlauxException(ErrorCode.USER_CANCELED, "Query was canceled"));
        assertThatThrownBy(() -> blocked.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(GlauxException.class)
                .hasMessageContaining("Query was canceled");
        assertThat(buffer.bufferedBytes()).isZero();
        assertThat(done).hasValue(1);
        assertThatThrownBy(() -> buffer.poll(0, 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        assertThatThrownBy(() -> buffer.enqueue(0, batch(0, 1), () -> false)).isInstanceOf(GlauxException.class);
        // abort after abort, and the consumers' end after it, do not run onDone again
        buffer.abort(new GlauxException(ErrorCode.USER_CANCELED, "again"));
        buffer.consumerFinished(0);
        buffer.consumerFinished(1);
        assertThat(done).hasValue(1);
        buffer.close();
    }

    @Test
    void equalInstantsInDifferentZonesLandInTheSamePartition()
    {
        // timestamp with time zone: one instant in many zones is one key (as one group, one join key)
        List<Type> types = List.of(Type.TIMESTAMP_TZ);
        HashPartitioner partitioner = new HashPartitioner(types, List.of(0), 8);
        int zones = 40;
        int instants = 500;
        BigIntVector vector = new BigIntVector("t", root);
        try (VectorSchemaRoot batch = new VectorSchemaRoot(List.<org.apache.arrow.vector.FieldVector>of(vector))) {
            vector.allocateNew(zones * instants);
            for (int i = 0; i < instants; i++) {
                for (int z = 0; z < zones; z++) {
                    // UTC, then offsets +00:01 ... (keys 1 + minutes + 14 h)
                    int key = z == 0 ? io.glaux.engine.expr.TimeZones.UTC_KEY : io.glaux.engine.expr.TimeZones.offsetMinutesKey(z * 15);
                    vector.set(i * zones + z, io.glaux.engine.expr.TimeZones.pack(1_600_000_000_000L + i * 1000L, key));
                }
            }
            vector.setValueCount(zones * instants);
            batch.setRowCount(zones * instants);
            int[] partitions = new int[zones * instants];
            partitioner.partition(batch, partitions);
            int[] counts = new int[8];
            for (int i = 0; i < instants; i++) {
                for (int z = 0; z < zones; z++) {
                    assertThat(partitions[i * zones + z]).as("instant %s zone %s", i, z).isEqualTo(partitions[i * zones]);
                }
                counts[partitions[i * zones]]++;
            }
            for (int count : counts) {
                assertThat(count).isPositive();
            }
        }
    }

    @Test
    void equalKeysLandInTheSamePartitionAndKeysSpreadOverAll()
    {
        HashPartitioner partitioner = new HashPartitioner(TYPES, List.of(1), 4);
        HashPartitioner other = new HashPartitioner(TYPES, List.of(1), 4);
        Map<String, Integer> partitionOf = new HashMap<>();
        int[] counts = new int[4];
        try (VectorSchemaRoot first = batch(0, 4000); VectorSchemaRoot second = batch(2000, 4000)) {
            int[] partitions = new int[4000];
            for (VectorSchemaRoot batch : List.of(first, second)) {
                // another instance (another driver, another worker) must agree
                (batch == first ? partitioner : other).partition(batch, partitions);
                VarCharVector keys = (VarCharVector) batch.getVector(1);
                for (int row = 0; row < batch.getRowCount(); row++) {
                    String key = keys.isNull(row) ? null : new String(keys.get(row), StandardCharsets.UTF_8);
                    Integer previous = partitionOf.putIfAbsent(String.valueOf(key), partitions[row]);
                    assertThat(previous == null || previous == partitions[row]).as("key %s", key).isTrue();
                    counts[partitions[row]]++;
                }
            }
        }
        // 1000 distinct keys over 4 partitions: none empty, none with most of them
        for (int count : counts) {
            assertThat(count).isBetween(8000 / 4 / 2, 8000 / 4 * 2);
        }
    }

    @Test
    void aJoinInputSpreadsItsNullKeysOverEveryPartition()
    {
        // a join's NULL keys match nothing: spread, they do not all load the one partition NULL hashes to
        HashPartitioner spreading = new HashPartitioner(TYPES, List.of(1), 4, true);
        HashPartitioner grouping = new HashPartitioner(TYPES, List.of(1), 4);
        int[] spread = new int[4];
        int[] grouped = new int[4];
        try (VectorSchemaRoot batch = batch(0, 4000)) {
            int[] spreadPartitions = new int[4000];
            int[] groupedPartitions = new int[4000];
            spreading.partition(batch, spreadPartitions);
            grouping.partition(batch, groupedPartitions);
            VarCharVector keys = (VarCharVector) batch.getVector(1);
            for (int row = 0; row < batch.getRowCount(); row++) {
                if (keys.isNull(row)) {
                    spread[spreadPartitions[row]]++;
                    grouped[groupedPartitions[row]]++;
                }
                else {
                    // rows with keys go where they always go
                    assertThat(spreadPartitions[row]).isEqualTo(groupedPartitions[row]);
                }
            }
        }
        // 42 NULL keys: round robin gives each partition 10 or 11; grouping puts them all in one
        for (int count : spread) {
            assertThat(count).isBetween(10, 11);
        }
        assertThat(java.util.Arrays.stream(grouped).max().orElseThrow()).isEqualTo(42);
    }

    /** {@code count} rows: {@code value} i, key {@code "k" + i % 1000} (NULL every 97th row). */
    private VectorSchemaRoot batch(int start, int count)
    {
        VectorSchemaRoot batch = Batches.create(TYPES, root);
        BigIntVector values = (BigIntVector) batch.getVector(0);
        VarCharVector keys = (VarCharVector) batch.getVector(1);
        values.allocateNew(count);
        keys.allocateNew(count);
        for (int i = 0; i < count; i++) {
            int value = start + i;
            values.set(i, value);
            if (value % 97 == 0) {
                keys.setNull(i);
            }
            else {
                keys.setSafe(i, ("k" + value % 1000).getBytes(StandardCharsets.UTF_8));
            }
        }
        batch.setRowCount(count);
        return batch;
    }
}
