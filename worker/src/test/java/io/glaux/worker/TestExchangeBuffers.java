package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.exchange.PartitionedOutputBuffer;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class TestExchangeBuffers
{
    private static final long IDLE = Duration.ofMinutes(10).toNanos();

    @Test
    void anAbandonedBufferIsFreedAndItsQueryMemoryReleased()
            throws Exception
    {
        try (BufferAllocator root = new RootAllocator()) {
            MemoryPool pool = new MemoryPool(64L << 20);
            ExchangeBuffers buffers = new ExchangeBuffers(new QueryMemories(pool, 32L << 20, root));
            PartitionedOutputBuffer abandoned = buffers.get("q1", 1, 2, List.of(Type.BIGINT));
            PartitionedOutputBuffer active = buffers.get("q2", 1, 2, List.of(Type.BIGINT));
            try (VectorSchemaRoot batch = batch(root, 1000)) {
                assertThat(abandoned.enqueue(0, batch, () -> false)).isTrue();
            }
            assertThat(root.getAllocatedMemory()).isPositive();
            long now = System.nanoTime();

            // nothing is idle long enough yet
            assertThat(buffers.abortIdle(now, IDLE)).isZero();
            assertThat(buffers.size()).isEqualTo(2);

            // ten minutes later, q2's consumer asks for a batch just before the check: only q1 goes
            long later = abandoned.lastActivityNanos() + IDLE;
            assertThat(active.poll(0, 0)).isNull();
            assertThat(buffers.abortIdle(later, IDLE)).isEqualTo(1);
            assertThat(buffers.size()).isEqualTo(1);
            assertThat(buffers.find("q1", 1)).isNull();
            assertThatThrownBy(() -> abandoned.poll(0, 0))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ABANDONED_QUERY))
                    .hasMessageContaining("q1 stage 1 was abandoned");
            // a task of q1 arriving late cannot recreate it
            assertThatThrownBy(() -> buffers.get("q1", 1, 2, List.of(Type.BIGINT))).isInstanceOf(GlauxException.class);

            active.setNoMoreInput();
            active.consumerFinished(0);
            active.consumerFinished(1);
            assertThat(buffers.size()).isZero();
            assertThat(root.getAllocatedMemory()).isZero();
            assertThat(pool.reservedBytes()).isZero();
        }
    }

    private static VectorSchemaRoot batch(BufferAllocator allocator, int rows)
    {
        BigIntVector vector = new BigIntVector("x", allocator);
        vector.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
            vector.set(i, i);
        }
        vector.setValueCount(rows);
        return VectorSchemaRoot.of(vector);
    }
}
