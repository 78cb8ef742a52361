package io.glaux.engine.operator.sort;

import static io.glaux.engine.operator.sort.BatchSource.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.operator.OperatorContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

class LimitOperatorTest
{
    private BufferAllocator allocator;
    private final List<OperatorContext> contexts = new ArrayList<>();

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        for (OperatorContext context : contexts) {
            context.close();
            context.query().memory().close();
        }
        allocator.close();
    }

    private OperatorContext context()
    {
        OperatorContext context = OperatorContext.forTesting(allocator, 1L << 30, Optional.empty());
        contexts.add(context);
        return context;
    }

    private static List<List<Object>> rows(int count)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            rows.add(List.of(i, "v" + i));
        }
        return rows;
    }

    @Test
    void offsetAndCountAcrossBatchBoundaries()
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR);
        List<List<Object>> rows = rows(100);
        Random random = new Random(3);
        for (int round = 0; round < 100; round++) {
            int offset = random.nextInt(110);
            int count = random.nextInt(110);
            int batchRows = 1 + random.nextInt(30);
            try (LimitOperator limit = new LimitOperator(context(), new BatchSource(allocator, types, rows, batchRows), offset, count)) {
                List<List<Object>> expected = rows.subList(Math.min(offset, 100), Math.min(100, offset + count));
                assertThat(drain(limit)).as("offset %s count %s batch %s", offset, count, batchRows).isEqualTo(expected);
            }
        }
    }

    @Test
    void stopsPullingOnceTheCountIsReached()
    {
        BatchSource source = new BatchSource(allocator, List.of(Type.BIGINT, Type.VARCHAR), rows(1000), 10);
        try (LimitOperator limit = new LimitOperator(context(), source, 5, 20)) {
            assertThat(drain(limit)).hasSize(20);
            assertThat(source.batchesPulled).isEqualTo(3);
        }
        assertThat(source.closed).isTrue();
        BatchSource none = new BatchSource(allocator, List.of(Type.BIGINT, Type.VARCHAR), rows(10), 10);
        try (LimitOperator limit = new LimitOperator(context(), none, 0, 0)) {
            assertThat(limit.next()).isNull();
        }
        assertThat(none.batchesPulled).isZero();
    }

    @Test
    void cancellation()
    {
        OperatorContext context = context();
        try (LimitOperator limit = new LimitOperator(context, new BatchSource(allocator, List.of(Type.BIGINT, Type.VARCHAR), rows(10), 10), 0, 5)) {
            context.query().cancellation().cancel("Query was canceled");
            assertThatThrownBy(limit::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }
}
