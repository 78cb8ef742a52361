package io.glaux.engine.operator.aggregation;

import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.operator.QueryContext;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One query's memory over a private root allocator, for operator tests. {@link #close()} checks that
 * every operator gave its memory back and closes the root allocator, which fails on any leaked buffer.
 */
final class TestQuery
        implements AutoCloseable
{
    final RootAllocator root = new RootAllocator();
    final QueryMemoryContext memory;
    final QueryContext query;
    private int operators;

    TestQuery()
    {
        this(1L << 30, Optional.empty());
    }

    TestQuery(long limit, Optional<Path> spillDirectory)
    {
        memory = new QueryMemoryContext("test", new MemoryPool(Long.MAX_VALUE / 4), limit, root);
        query = new QueryContext(memory, spillDirectory, new QueryContext.Cancellation(), SpillSpace.unlimited(), 1, new ConcurrentHashMap<>());
    }

    OperatorContext context()
    {
        return new OperatorContext(query, "HashAggregation[" + operators++ + "]");
    }

    /** An allocator outside the query (for test input and kept batches). */
    BufferAllocator allocator()
    {
        return root;
    }

    @Override
    public void close()
    {
        long reserved = memory.reservedBytes();
        memory.close();
        root.close();
        if (reserved != 0) {
            throw new AssertionError("query memory not released: " + reserved + " bytes");
        }
    }
}
