package io.glaux.engine.operator.join;

import static io.glaux.engine.operator.join.JoinTestRows.multiset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode.JoinType;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

class NestedLoopJoinOperatorTest
{
    private static final List<Type> LEFT_TYPES = List.of(Type.BIGINT, Type.VARCHAR);
    private static final List<Type> RIGHT_TYPES = List.of(Type.BIGINT, Type.BIGINT, Type.VARCHAR);
    /** a non-equi condition: left.x BETWEEN right.low AND right.high */
    private static final Expression BETWEEN = new Expression.Call(Expression.Operator.AND, List.of(
            new Expression.Call(Expression.Operator.GREATER_THAN_OR_EQUAL, List.of(new Expression.InputRef(0, Type.BIGINT), new Expression.InputRef(2, Type.BIGINT)), Type.BOOLEAN),
            new Expression.Call(Expression.Operator.LESS_THAN_OR_EQUAL, List.of(new Expression.InputRef(0, Type.BIGINT), new Expression.InputRef(3, Type.BIGINT)), Type.BOOLEAN)),
            Type.BOOLEAN);

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

    private OperatorContext context(long limit)
    {
        OperatorContext context = OperatorContext.forTesting(allocator, limit, Optional.empty());
        contexts.add(context);
        return context;
    }

    private static List<Object> row(Object... values)
    {
        return Arrays.asList(values);
    }

    private static List<List<Object>> leftRows(long seed, int count)
    {
        Random random = new Random(seed);
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(random.nextInt(20) == 0 ? null : (long) random.nextInt(100), "l" + i));
        }
        return rows;
    }

    private static List<List<Object>> rightRows(long seed, int count)
    {
        Random random = new Random(seed);
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long low = random.nextInt(100);
            rows.add(row(random.nextInt(20) == 0 ? null : low, low + random.nextInt(10), random.nextInt(10) == 0 ? null : "r" + i));
        }
        return rows;
    }

    private List<List<Object>> run(JoinType type, List<List<Object>> left, List<List<Object>> right, Optional<Expression> condition, int probeBatch, int buildBatch, int batchRows)
    {
        try (NestedLoopJoinOperator join = new NestedLoopJoinOperator(context(1L << 30), JoinTestRows.source(allocator, LEFT_TYPES, left, probeBatch),
                JoinTestRows.source(allocator, RIGHT_TYPES, right, buildBatch), type, condition, batchRows)) {
            assertThat(join.outputTypes()).hasSize(type.outputsRight() ? 5 : 2);
            return JoinTestRows.drain(join, batchRows);
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void everyJoinTypeWithANonEquiCondition(JoinType type)
    {
        List<List<Object>> left = leftRows(1, 300);
        List<List<Object>> right = rightRows(2, 70);
        List<List<Object>> expected = JoinReference.join(type, left, right, 2, 3, List.of(), List.of(), BETWEEN);
        for (int batchRows : new int[] {AbstractJoinOperator.BATCH_ROWS, 50, 7}) {
            assertThat(multiset(run(type, left, right, Optional.of(BETWEEN), 64, 16, batchRows)))
                    .as("%s batchRows=%s", type, batchRows)
                    .isEqualTo(multiset(expected));
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void withoutConditionIsACrossJoin(JoinType type)
    {
        List<List<Object>> left = leftRows(3, 40);
        List<List<Object>> right = rightRows(4, 13);
        List<List<Object>> actual = run(type, left, right, Optional.empty(), 7, 5, 16);
        assertThat(multiset(actual)).isEqualTo(multiset(JoinReference.join(type, left, right, 2, 3, List.of(), List.of(), null)));
        assertThat(actual).hasSize(switch (type) {
            case INNER, LEFT, RIGHT, FULL -> 40 * 13;
            case SEMI -> 40;
            case ANTI -> 0;
        });
    }

    @Test
    void emptySides()
    {
        List<List<Object>> left = leftRows(5, 10);
        List<List<Object>> right = rightRows(6, 10);
        for (JoinType type : JoinType.values()) {
            for (Optional<Expression> condition : List.of(Optional.<Expression>empty(), Optional.of(BETWEEN))) {
                assertThat(multiset(run(type, left, List.of(), condition, 3, 3, 4)))
                        .isEqualTo(multiset(JoinReference.join(type, left, List.of(), 2, 3, List.of(), List.of(), condition.orElse(null))));
                assertThat(multiset(run(type, List.of(), right, condition, 3, 3, 4)))
                        .isEqualTo(multiset(JoinReference.join(type, List.of(), right, 2, 3, List.of(), List.of(), condition.orElse(null))));
            }
        }
    }

    @Test
    void innerJoinWithAnEmptyBuildSideDoesNotReadTheProbeSide()
    {
        BatchSource probe = JoinTestRows.source(allocator, LEFT_TYPES, leftRows(7, 10), 2);
        try (NestedLoopJoinOperator join = new NestedLoopJoinOperator(context(1L << 30), probe, new BatchSource(RIGHT_TYPES, List.of()), JoinType.INNER, Optional.empty())) {
            assertThat(join.next()).isNull();
            assertThat(probe.pulled()).isZero();
        }
    }

    @Test
    void exceedsTheMemoryLimitBufferingTheBuildSide()
    {
        OperatorContext context = context(256 << 10);
        NestedLoopJoinOperator join = new NestedLoopJoinOperator(context, JoinTestRows.source(allocator, LEFT_TYPES, leftRows(8, 10), 10),
                JoinTestRows.source(allocator, RIGHT_TYPES, rightRows(9, 50_000), 4096), JoinType.INNER, Optional.of(BETWEEN));
        assertThatThrownBy(join::next)
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT))
                .hasMessageContaining("256kB")
                .hasMessageContaining("nested-loop join");
        join.close();
        assertThat(context.query().memory().reservedBytes()).isZero();
    }

    @Test
    void cancellation()
    {
        OperatorContext context = context(1L << 30);
        try (NestedLoopJoinOperator join = new NestedLoopJoinOperator(context, JoinTestRows.source(allocator, LEFT_TYPES, leftRows(10, 100), 10),
                JoinTestRows.source(allocator, RIGHT_TYPES, rightRows(11, 100), 10), JoinType.INNER, Optional.empty(), 10)) {
            join.next().close();
            context.query().cancellation().cancel("Query was canceled by the user");
            assertThatThrownBy(join::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }
}
