package io.glaux.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestQueryMemoryContext
{
    private final RootAllocator root = new RootAllocator();

    @AfterEach
    void closeRoot()
    {
        root.close();
    }

    @Test
    void arrowAllocationsOverTheLimitFailWithTheLimitAndTheOperator()
    {
        MemoryPool pool = new MemoryPool(1L << 30);
        try (QueryMemoryContext query = new QueryMemoryContext("q1", pool, 1 << 20, root)) {
            BufferAllocator join = query.newConsumer("HashJoin[3]");
            ArrowBuf held = join.buffer(512 * 1024);
            assertThat(pool.reservedBytes()).isGreaterThanOrEqualTo(512 * 1024);
            assertThatThrownBy(() -> join.buffer(768 * 1024))
                    .isInstanceOfSatisfying(GlauxException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT);
                        assertThat(e.getMessage()).contains("Query exceeded per-node memory limit of 1MB").contains("HashJoin[3]=512kB");
                    });
            held.close();
            join.close();
        }
        assertThat(pool.reservedBytes()).isZero();
    }

    @Test
    void heapReservationsCountAgainstTheSameLimit()
    {
        MemoryPool pool = new MemoryPool(1L << 30);
        try (QueryMemoryContext query = new QueryMemoryContext("q2", pool, 1000, root)) {
            query.updateHeap("Aggregate[1]", 600);
            assertThat(query.tryUpdateHeap("Sort[2]", 500)).isFalse();
            assertThatThrownBy(() -> query.updateHeap("Sort[2]", 500))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT));
            query.updateHeap("Aggregate[1]", -600);
            query.updateHeap("Sort[2]", 500);
            assertThat(query.reservedBytes()).isEqualTo(500);
            assertThat(pool.reservedBytes()).isEqualTo(500);
        }
        assertThat(pool.reservedBytes()).isZero();
    }

    @Test
    void theNodePoolBoundsAllQueriesTogether()
    {
        MemoryPool pool = new MemoryPool(1000);
        try (QueryMemoryContext first = new QueryMemoryContext("a", pool, 800, root);
                QueryMemoryContext second = new QueryMemoryContext("b", pool, 800, root)) {
            first.updateHeap("x", 700);
            assertThatThrownBy(() -> second.updateHeap("y", 400))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.getMessage()).contains("node's memory pool"));
            first.updateHeap("x", -700);
            second.updateHeap("y", 400);
        }
        assertThat(pool.reservedBytes()).isZero();
    }

    @Test
    void dataSizesRenderAndParseAsTrinoWritesThem()
    {
        assertThat(DataSize.format(512)).isEqualTo("512B");
        assertThat(DataSize.format(1536)).isEqualTo("1.50kB");
        assertThat(DataSize.format(20L << 20)).isEqualTo("20MB");
        assertThat(DataSize.parse("2GB")).isEqualTo(2L << 30);
        assertThat(DataSize.parse("100kB")).isEqualTo(100L << 10);
        assertThat(DataSize.parse("1024")).isEqualTo(1024);
        assertThatThrownBy(() -> DataSize.parse("lots")).isInstanceOf(IllegalArgumentException.class);
    }
}
