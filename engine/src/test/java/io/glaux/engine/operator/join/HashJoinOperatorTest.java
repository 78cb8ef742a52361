package io.glaux.engine.operator.join;

import static io.glaux.engine.operator.join.JoinTestRows.multiset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

class HashJoinOperatorTest
{
    private static final List<Type> LEFT_TYPES = List.of(Type.BIGINT, Type.VARCHAR, Type.INTEGER);
    private static final List<Type> RIGHT_TYPES = List.of(Type.BIGINT, Type.VARCHAR, Type.INTEGER);
    /** left.v < right.w */
    private static final Expression RESIDUAL = new Expression.Call(Expression.Operator.LESS_THAN,
            List.of(new Expression.InputRef(2, Type.INTEGER), new Expression.InputRef(5, Type.INTEGER)), Type.BOOLEAN);

    private static final List<List<Object>> LEFT = List.of(
            row(1L, "a", 10L), row(2L, "b", 20L), row(2L, "b2", 21L), row(3L, "c", 30L),
            row(null, "n", 40L), row(5L, "e", 50L), row(1L, "a2", 11L), row(4L, null, null));
    private static final List<List<Object>> RIGHT = List.of(
            row(1L, "x", 100L), row(2L, "y", 200L), row(2L, "y2", 5L), row(4L, "z", 400L),
            row(null, "nn", 500L), row(1L, "x2", 15L), row(6L, "w", 600L), row(4L, "z2", null));

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
        // fails the test if any buffer leaked
        allocator.close();
    }

    static List<Object> row(Object... values)
    {
        return Arrays.asList(values);
    }

    private OperatorContext context(long limit, Optional<Path> spill)
    {
        OperatorContext context = OperatorContext.forTesting(allocator, limit, spill);
        contexts.add(context);
        return context;
    }

    private OperatorContext context()
    {
        return context(1L << 30, Optional.empty());
    }

    private HashJoinOperator join(OperatorContext context, BatchSource probe, BatchSource build, JoinType type, List<Integer> leftKeys, List<Integer> rightKeys,
            Optional<Expression> residual, int batchRows)
    {
        return new HashJoinOperator(context, probe, build, type, leftKeys, rightKeys, residual, 0, true, batchRows);
    }

    private List<List<Object>> run(JoinType type, List<Type> leftTypes, List<List<Object>> left, List<Type> rightTypes, List<List<Object>> right,
            List<Integer> leftKeys, List<Integer> rightKeys, Optional<Expression> residual, int probeBatch, int buildBatch, int batchRows)
    {
        try (HashJoinOperator join = join(context(), JoinTestRows.source(allocator, leftTypes, left, probeBatch), JoinTestRows.source(allocator, rightTypes, right, buildBatch),
                type, leftKeys, rightKeys, residual, batchRows)) {
            return JoinTestRows.drain(join, batchRows);
        }
    }

    private static List<List<Object>> expected(JoinType type, List<Type> leftTypes, List<List<Object>> left, List<Type> rightTypes, List<List<Object>> right,
            List<Integer> leftKeys, List<Integer> rightKeys, Optional<Expression> residual)
    {
        return JoinReference.join(type, left, right, leftTypes.size(), rightTypes.size(), leftKeys, rightKeys, residual.orElse(null));
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void everyJoinTypeWithDuplicatesAndNullKeys(JoinType type)
    {
        for (Optional<Expression> residual : List.of(Optional.<Expression>empty(), Optional.of(RESIDUAL))) {
            List<List<Object>> expected = expected(type, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), residual);
            for (int batchRows : new int[] {AbstractJoinOperator.BATCH_ROWS, 3, 1}) {
                for (int probeBatch : new int[] {1, 3, 100}) {
                    List<List<Object>> actual = run(type, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), residual, probeBatch, 3, batchRows);
                    assertThat(multiset(actual))
                            .as("%s residual=%s batchRows=%s probeBatch=%s", type, residual.isPresent(), batchRows, probeBatch)
                            .isEqualTo(multiset(expected));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void outputColumnsPickTheJoinedColumns(JoinType type)
    {
        // every join type, with and without a residual: the selected columns of the full output, in the selected order
        int width = LEFT_TYPES.size() + (type.outputsRight() ? RIGHT_TYPES.size() : 0);
        List<Integer> columns = type.outputsRight() ? List.of(5, 1, 3) : List.of(2, 1);
        for (Optional<Expression> residual : List.of(Optional.<Expression>empty(), Optional.of(RESIDUAL))) {
            List<List<Object>> expected = expected(type, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), residual).stream()
                    .map(row -> columns.stream().map(row::get).toList()).toList();
            for (int batchRows : new int[] {AbstractJoinOperator.BATCH_ROWS, 2}) {
                try (HashJoinOperator join = new HashJoinOperator(context(), JoinTestRows.source(allocator, LEFT_TYPES, LEFT, 100),
                        JoinTestRows.source(allocator, RIGHT_TYPES, RIGHT, 3), type, List.of(0), List.of(0), residual, 0, true, batchRows, Optional.of(columns))) {
                    assertThat(join.outputTypes()).hasSize(columns.size());
                    assertThat(multiset(JoinTestRows.drain(join, batchRows))).as("%s of %s residual=%s", columns, width, residual.isPresent())
                            .isEqualTo(multiset(expected));
                }
            }
        }
    }

    @Test
    void knownAnswers()
    {
        List<List<Object>> inner = run(JoinType.INNER, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), Optional.of(RESIDUAL), 100, 100, 1000);
        assertThat(multiset(inner)).isEqualTo(multiset(List.of(
                row(1L, "a", 10L, 1L, "x", 100L),
                row(1L, "a", 10L, 1L, "x2", 15L),
                row(1L, "a2", 11L, 1L, "x", 100L),
                row(1L, "a2", 11L, 1L, "x2", 15L),
                row(2L, "b", 20L, 2L, "y", 200L),
                row(2L, "b2", 21L, 2L, "y", 200L))));
        // key 4 matches only (z, 400) and (z2, NULL): v is NULL, so the residual is NULL for both and the row is unmatched
        List<List<Object>> anti = run(JoinType.ANTI, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), Optional.of(RESIDUAL), 100, 100, 1000);
        assertThat(multiset(anti)).isEqualTo(multiset(List.of(row(3L, "c", 30L), row(null, "n", 40L), row(5L, "e", 50L), row(4L, null, null))));
        List<List<Object>> semi = run(JoinType.SEMI, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), Optional.empty(), 100, 100, 1000);
        assertThat(multiset(semi)).isEqualTo(multiset(List.of(row(1L, "a", 10L), row(2L, "b", 20L), row(2L, "b2", 21L), row(1L, "a2", 11L), row(4L, null, null))));
        List<List<Object>> right = run(JoinType.RIGHT, LEFT_TYPES, LEFT, RIGHT_TYPES, RIGHT, List.of(0), List.of(0), Optional.empty(), 100, 100, 1000);
        assertThat(right).contains(row(null, null, null, null, "nn", 500L), row(null, null, null, 6L, "w", 600L));
        assertThat(right).hasSize(10 + 2);
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void multiColumnKeys(JoinType type)
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR, Type.DOUBLE);
        List<List<Object>> left = List.of(row(1L, "a", 1.0), row(1L, "b", 2.0), row(1L, null, 3.0), row(2L, "a", 4.0), row(null, "a", 5.0), row(1L, "a", 6.0),
                row(3L, "a much longer string than eight bytes", 7.0));
        List<List<Object>> right = List.of(row(1L, "a", 10.0), row(1L, "a", 11.0), row(1L, null, 12.0), row(2L, "b", 13.0), row(2L, "a", 14.0),
                row(3L, "a much longer string than eight bytes", 15.0), row(3L, "a much longer string than eight bytez", 16.0));
        for (Optional<Expression> residual : List.of(Optional.<Expression>empty(), Optional.<Expression>of(new Expression.Call(Expression.Operator.GREATER_THAN,
                List.of(new Expression.InputRef(5, Type.DOUBLE), new Expression.Call(Expression.Operator.MULTIPLY,
                        List.of(new Expression.InputRef(2, Type.DOUBLE), new Expression.Literal(3.0, Type.DOUBLE)), Type.DOUBLE)), Type.BOOLEAN)))) {
            // keys in a different order on the two sides: (varchar, bigint) = (varchar, bigint)
            assertThat(multiset(run(type, types, left, types, right, List.of(1, 0), List.of(1, 0), residual, 2, 2, 4)))
                    .isEqualTo(multiset(expected(type, types, left, types, right, List.of(1, 0), List.of(1, 0), residual)));
        }
    }

    @Test
    void everyScalarKeyType()
    {
        List<Type> types = List.of(Type.BOOLEAN, Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE, Type.VARCHAR, Type.VARBINARY,
                Type.DATE, Type.TIMESTAMP, new Type.Decimal(10, 2), new Type.Decimal(30, 5));
        List<List<Object>> samples = List.of(
                List.of(true, false),
                List.of(1L, -1L, 127L),
                List.of(1L, -300L, 32767L),
                List.of(1L, -70000L, Integer.MAX_VALUE + 0L),
                List.of(1L, Long.MIN_VALUE, Long.MAX_VALUE),
                List.of(0.0, -0.0, Double.NaN, 1.5, -2.25),
                List.of(0.0, -0.0, Double.NaN, 1.5, 1e300),
                List.of("", "a", "ü", "a string longer than sixteen bytes"),
                List.of(ByteBuffer.wrap(new byte[0]), ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})),
                List.of(0L, 19000L, -5L),
                List.of(0L, 1_700_000_000_000_000L, -1L),
                List.of(new BigDecimal("1.50"), new BigDecimal("-2.00"), new BigDecimal("99999999.99")),
                List.of(new BigDecimal("1.50000"), new BigDecimal("-123456789012345678901234.12345"), new BigDecimal("0.00001")));
        for (int t = 0; t < types.size(); t++) {
            Type type = types.get(t);
            List<Type> rowTypes = List.of(type, Type.BIGINT);
            List<List<Object>> left = new ArrayList<>();
            List<List<Object>> right = new ArrayList<>();
            long id = 0;
            for (Object value : samples.get(t)) {
                left.add(row(value, id++));
                left.add(row(value, id++));
                right.add(row(value, id++));
            }
            left.add(row(null, id++));
            right.add(row(null, id++));
            for (JoinType joinType : List.of(JoinType.INNER, JoinType.FULL, JoinType.ANTI)) {
                List<List<Object>> expected = expected(joinType, rowTypes, left, rowTypes, right, List.of(0), List.of(0), Optional.empty());
                List<List<Object>> actual = run(joinType, rowTypes, left, rowTypes, right, List.of(0), List.of(0), Optional.empty(), 3, 2, 5);
                assertThat(multiset(actual)).as("%s %s", type.trinoName(), joinType).isEqualTo(multiset(expected));
            }
        }
        // -0.0 = 0.0 and NaN = NaN: for double each of the two zeros matches both, NaN matches NaN
        List<List<Object>> left = List.of(row(0.0, 1L), row(-0.0, 2L), row(Double.NaN, 3L));
        List<List<Object>> right = List.of(row(-0.0, 10L), row(Double.NaN, 11L));
        List<Type> rowTypes = List.of(Type.DOUBLE, Type.BIGINT);
        assertThat(run(JoinType.INNER, rowTypes, left, rowTypes, right, List.of(0), List.of(0), Optional.empty(), 10, 10, 10)).hasSize(3);
    }

    @Test
    void varcharKeysOfDifferentLengthsAndTimestampsOfDifferentPrecisions()
    {
        List<Type> left = List.of(new Type.Varchar(3), new Type.Timestamp(3));
        List<Type> right = List.of(Type.VARCHAR, new Type.Timestamp(6));
        List<List<Object>> leftRows = List.of(row("abc", 1_000L), row("ab", 2_000L));
        List<List<Object>> rightRows = List.of(row("abc", 1_000L), row("ab", 2_001L));
        assertThat(run(JoinType.INNER, left, leftRows, right, rightRows, List.of(0, 1), List.of(0, 1), Optional.empty(), 10, 10, 10))
                .containsExactly(row("abc", 1_000L, "abc", 1_000L));
        assertThatThrownBy(() -> new HashJoinOperator(context(), new BatchSource(List.of(Type.BIGINT), List.of()), new BatchSource(List.of(Type.INTEGER), List.of()),
                JoinType.INNER, List.of(0), List.of(0), Optional.empty()))
                .hasMessageContaining("join key 0 has type bigint on the left and integer on the right");
    }

    @Test
    void lookupIntoADimensionTableMovesProbeColumns()
    {
        List<Type> factTypes = List.of(Type.VARCHAR, Type.BIGINT);
        List<Type> dimensionTypes = List.of(Type.VARCHAR, Type.VARCHAR);
        List<List<Object>> facts = new ArrayList<>();
        for (long i = 0; i < 1000; i++) {
            facts.add(row("target-" + i % 10, i));
        }
        List<List<Object>> dimension = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            dimension.add(row("target-" + i, "team-" + i % 3));
        }
        List<List<Object>> duplicated = new ArrayList<>(dimension);
        // the last fact row of every batch of 10 has a second match that must not be lost
        duplicated.add(row("target-9", "team-x"));
        for (JoinType type : List.of(JoinType.INNER, JoinType.LEFT, JoinType.RIGHT, JoinType.FULL)) {
            for (List<List<Object>> build : List.of(dimension, duplicated)) {
                for (int probeBatch : new int[] {10, 100}) {
                    assertThat(multiset(run(type, factTypes, facts, dimensionTypes, build, List.of(0), List.of(0), Optional.empty(), probeBatch, 4, 10)))
                            .as("%s build=%s probeBatch=%s", type, build.size(), probeBatch)
                            .isEqualTo(multiset(expected(type, factTypes, facts, dimensionTypes, build, List.of(0), List.of(0), Optional.empty())));
                }
            }
        }
    }

    @Test
    void emptyBuildSide()
    {
        for (JoinType type : JoinType.values()) {
            BatchSource probe = JoinTestRows.source(allocator, LEFT_TYPES, LEFT, 2);
            BatchSource build = new BatchSource(RIGHT_TYPES, List.of(JoinTestRows.batch(allocator, RIGHT_TYPES, List.of())));
            List<List<Object>> actual;
            try (HashJoinOperator join = join(context(), probe, build, type, List.of(0), List.of(0), Optional.of(RESIDUAL), 100)) {
                actual = JoinTestRows.drain(join, 100);
                if (type == JoinType.INNER || type == JoinType.SEMI || type == JoinType.RIGHT) {
                    assertThat(probe.pulled()).as(type.name()).isZero();
                    assertThat(join.buildKeyDomain(0)).contains(new Domain(List.of(), false));
                }
            }
            assertThat(probe.isClosed()).isTrue();
            assertThat(multiset(actual)).as(type.name()).isEqualTo(multiset(expected(type, LEFT_TYPES, LEFT, RIGHT_TYPES, List.of(), List.of(0), List.of(0), Optional.empty())));
        }
    }

    @Test
    void emptyProbeSide()
    {
        for (JoinType type : JoinType.values()) {
            List<List<Object>> actual = run(type, LEFT_TYPES, List.of(), RIGHT_TYPES, RIGHT, List.of(0), List.of(0), Optional.empty(), 2, 2, 3);
            assertThat(multiset(actual)).as(type.name()).isEqualTo(multiset(expected(type, LEFT_TYPES, List.of(), RIGHT_TYPES, RIGHT, List.of(0), List.of(0), Optional.empty())));
        }
    }

    // ------------------------------------------------------------------ randomized, large

    private record RandomCase(List<Type> leftTypes, List<List<Object>> left, List<Type> rightTypes, List<List<Object>> right) {}

    private static RandomCase randomCase(long seed, int leftRows, int rightRows, int keyRange)
    {
        Random random = new Random(seed);
        List<Type> leftTypes = List.of(Type.BIGINT, Type.VARCHAR, Type.INTEGER, Type.DOUBLE);
        List<Type> rightTypes = List.of(Type.INTEGER, Type.VARCHAR, Type.BIGINT, Type.VARCHAR);
        List<List<Object>> left = new ArrayList<>(leftRows);
        for (int i = 0; i < leftRows; i++) {
            Long key = random.nextInt(50) == 0 ? null : (long) random.nextInt(keyRange);
            String tag = random.nextInt(50) == 0 ? null : "t" + random.nextInt(3);
            left.add(row(key, tag, (long) i, random.nextInt(10) == 0 ? null : random.nextDouble()));
        }
        List<List<Object>> right = new ArrayList<>(rightRows);
        for (int i = 0; i < rightRows; i++) {
            Long key = random.nextInt(50) == 0 ? null : (long) random.nextInt(keyRange);
            String tag = random.nextInt(50) == 0 ? null : "t" + random.nextInt(3);
            right.add(row(tag, key, (long) random.nextInt(1000), "payload-" + i));
        }
        // right columns: (tag varchar, key integer, value bigint, payload varchar) — keys are (left 0 = right 1, left 1 = right 0)
        List<Type> rightTypesOrdered = List.of(Type.VARCHAR, Type.BIGINT, Type.BIGINT, Type.VARCHAR);
        return new RandomCase(leftTypes, left, rightTypesOrdered, right);
    }

    /** left.i % 1000 < right.value (a residual over both sides). */
    private static final Expression RANDOM_RESIDUAL = new Expression.Call(Expression.Operator.LESS_THAN,
            List.of(new Expression.Call(Expression.Operator.MODULUS, List.of(new Expression.InputRef(2, Type.INTEGER), new Expression.Literal(1000L, Type.INTEGER)), Type.INTEGER),
                    new Expression.InputRef(6, Type.BIGINT)),
            Type.BOOLEAN);

    @Test
    void randomizedAgainstNestedLoops()
    {
        RandomCase data = randomCase(42, 100_000, 1_000, 3_000);
        List<List<Object>> left = data.left();
        List<List<Object>> right = data.right();
        // flat arrays for a fast naive nested loop
        long[] leftKey = new long[left.size()];
        boolean[] leftNull = new boolean[left.size()];
        String[] leftTag = new String[left.size()];
        long[] leftI = new long[left.size()];
        for (int l = 0; l < left.size(); l++) {
            leftNull[l] = left.get(l).get(0) == null || left.get(l).get(1) == null;
            leftKey[l] = leftNull[l] ? 0 : (Long) left.get(l).get(0);
            leftTag[l] = (String) left.get(l).get(1);
            leftI[l] = (Long) left.get(l).get(2);
        }
        long[] rightKey = new long[right.size()];
        boolean[] rightNull = new boolean[right.size()];
        String[] rightTag = new String[right.size()];
        long[] rightValue = new long[right.size()];
        for (int r = 0; r < right.size(); r++) {
            rightNull[r] = right.get(r).get(0) == null || right.get(r).get(1) == null;
            rightKey[r] = rightNull[r] ? 0 : (Long) right.get(r).get(1);
            rightTag[r] = (String) right.get(r).get(0);
            rightValue[r] = (Long) right.get(r).get(2);
        }
        for (boolean withResidual : new boolean[] {false, true}) {
            JoinReference.PairMatcher matcher = (l, r) -> !leftNull[l] && !rightNull[r] && leftKey[l] == rightKey[r] && leftTag[l].equals(rightTag[r])
                    && (!withResidual || leftI[l] % 1000 < rightValue[r]);
            int[][] matches = JoinReference.matchLists(left.size(), right.size(), matcher);
            for (JoinType type : JoinType.values()) {
                List<List<Object>> expected = JoinReference.output(type, left, right, 4, 4, matches);
                List<List<Object>> actual = run(type, data.leftTypes(), left, data.rightTypes(), right, List.of(0, 1), List.of(1, 0),
                        withResidual ? Optional.of(RANDOM_RESIDUAL) : Optional.empty(), 4096, 300, AbstractJoinOperator.BATCH_ROWS);
                assertThat(actual).as("%s residual=%s", type, withResidual).hasSameSizeAs(expected);
                assertThat(multiset(actual)).as("%s residual=%s", type, withResidual).isEqualTo(multiset(expected));
            }
        }
    }

    // ------------------------------------------------------------------ memory and spill

    private List<List<Object>> runWith(OperatorContext context, JoinType type, RandomCase data, Optional<Expression> residual, int batchRows, boolean[] spilled)
    {
        try (HashJoinOperator join = new HashJoinOperator(context, JoinTestRows.source(allocator, data.leftTypes(), data.left(), 4096),
                JoinTestRows.source(allocator, data.rightTypes(), data.right(), 4096), type, List.of(0, 1), List.of(1, 0), residual, 0, true, batchRows)) {
            List<List<Object>> rows = JoinTestRows.drain(join, batchRows);
            spilled[0] = join.spilled();
            if (join.spilled()) {
                assertThat(join.buildKeyDomain(0)).isEmpty();
            }
            return rows;
        }
    }

    @ParameterizedTest
    @EnumSource(JoinType.class)
    void spillsToDiskAndGivesTheSameAnswer(JoinType type, @TempDir Path spill)
            throws Exception
    {
        RandomCase data = randomCase(7, 60_000, 50_000, 40_000);
        Optional<Expression> residual = Optional.of(RANDOM_RESIDUAL);
        boolean[] spilled = new boolean[1];
        List<List<Object>> inMemory = runWith(context(), type, data, residual, AbstractJoinOperator.BATCH_ROWS, spilled);
        assertThat(spilled[0]).isFalse();

        OperatorContext small = context(4L << 20, Optional.of(spill));
        List<List<Object>> spilledRows = runWith(small, type, data, residual, 4096, spilled);
        assertThat(spilled[0]).isTrue();
        assertThat(small.stats().spilledBytes()).isPositive();
        assertThat(multiset(spilledRows)).isEqualTo(multiset(inMemory));
        try (var files = Files.list(spill)) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(small.query().memory().reservedBytes()).isZero();
    }

    @Test
    void spillsRecursivelyWhenPartitionsStillDoNotFit(@TempDir Path spill)
            throws Exception
    {
        RandomCase data = randomCase(11, 30_000, 50_000, 40_000);
        boolean[] spilled = new boolean[1];
        List<List<Object>> inMemory = runWith(context(), JoinType.FULL, data, Optional.empty(), 256, spilled);
        List<List<Object>> spilledRows = runWith(context(600_000, Optional.of(spill)), JoinType.FULL, data, Optional.empty(), 256, spilled);
        assertThat(spilled[0]).isTrue();
        assertThat(multiset(spilledRows)).isEqualTo(multiset(inMemory));
        try (var files = Files.list(spill)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void exceedsTheMemoryLimitWithoutASpillDirectory()
    {
        RandomCase data = randomCase(7, 10_000, 50_000, 40_000);
        OperatorContext context = context(2L << 20, Optional.empty());
        HashJoinOperator join = new HashJoinOperator(context, JoinTestRows.source(allocator, data.leftTypes(), data.left(), 4096),
                JoinTestRows.source(allocator, data.rightTypes(), data.right(), 4096), JoinType.INNER, List.of(0, 1), List.of(1, 0), Optional.empty());
        assertThatThrownBy(join::next)
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT))
                .hasMessageContaining("2MB")
                .hasMessageContaining("test");
        join.close();
        assertThat(context.query().memory().reservedBytes()).isZero();
    }

    @Test
    void cancellation()
    {
        OperatorContext context = context();
        try (HashJoinOperator join = join(context, JoinTestRows.source(allocator, LEFT_TYPES, LEFT, 1), JoinTestRows.source(allocator, RIGHT_TYPES, RIGHT, 1),
                JoinType.INNER, List.of(0), List.of(0), Optional.empty(), 1)) {
            assertThat(join.next()).isNotNull().satisfies(batch -> batch.close());
            context.query().cancellation().cancel("Query was canceled by the user");
            assertThatThrownBy(join::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }

    @Test
    void closeBeforeTheEndReleasesEverything()
    {
        BatchSource probe = JoinTestRows.source(allocator, LEFT_TYPES, LEFT, 1);
        BatchSource build = JoinTestRows.source(allocator, RIGHT_TYPES, RIGHT, 1);
        OperatorContext context = context();
        HashJoinOperator join = join(context, probe, build, JoinType.FULL, List.of(0), List.of(0), Optional.empty(), 1);
        join.next().close();
        join.close();
        join.close();
        assertThat(probe.isClosed()).isTrue();
        assertThat(build.isClosed()).isTrue();
        assertThat(context.query().memory().reservedBytes()).isZero();
        assertThatThrownBy(join::next).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ dynamic filter

    @Test
    void buildKeyDomain()
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR, Type.DOUBLE);
        List<List<Object>> right = List.of(row(5L, "b", 0.0), row(3L, "a", 2.5), row(5L, null, -0.0), row(null, "c", 1.0));
        try (HashJoinOperator join = join(context(), JoinTestRows.source(allocator, types, List.of(), 10), JoinTestRows.source(allocator, types, right, 10),
                JoinType.INNER, List.of(0, 1, 2), List.of(0, 1, 2), Optional.empty(), 10)) {
            Domain keys = join.buildKeyDomain(0).orElseThrow();
            assertThat(keys.nullAllowed()).isFalse();
            assertThat(new HashSet<>(keys.ranges())).isEqualTo(Set.of(Range.equal(5L), Range.equal(3L)));
            assertThat(new HashSet<>(join.buildKeyDomain(1).orElseThrow().ranges())).isEqualTo(Set.of(Range.equal("a"), Range.equal("b"), Range.equal("c")));
            Domain doubles = join.buildKeyDomain(2).orElseThrow();
            assertThat(doubles.includes(-0.0)).isTrue();
            assertThat(doubles.includes(0.0)).isTrue();
            assertThat(doubles.includes(1.0)).isTrue();
            assertThat(doubles.includes(1.5)).isFalse();
            assertThat(JoinTestRows.drain(join, 10)).isEmpty();
        }
        List<List<Object>> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(row((long) (i * 3 - 100), "k" + (10000 + i), i / 7.0));
        }
        try (HashJoinOperator join = join(context(), JoinTestRows.source(allocator, types, List.of(), 10), JoinTestRows.source(allocator, types, many, 1000),
                JoinType.SEMI, List.of(0, 1, 2), List.of(0, 1, 2), Optional.empty(), 10)) {
            assertThat(join.buildKeyDomain(0)).contains(new Domain(List.of(new Range(-100L, true, 4999L * 3 - 100, true)), false));
            assertThat(join.buildKeyDomain(1)).contains(new Domain(List.of(new Range("k10000", true, "k14999", true)), false));
            assertThat(join.buildKeyDomain(2)).contains(new Domain(List.of(new Range(-0.0, true, 4999 / 7.0, true)), false));
        }
        try (HashJoinOperator join = join(context(), JoinTestRows.source(allocator, types, List.of(), 10), JoinTestRows.source(allocator, types, right, 10),
                JoinType.LEFT, List.of(0), List.of(0), Optional.empty(), 10)) {
            // unmatched probe rows are kept: nothing can be pruned
            assertThat(join.buildKeyDomain(0)).isEmpty();
        }
        try (HashJoinOperator join = join(context(), JoinTestRows.source(allocator, types, List.of(), 10),
                JoinTestRows.source(allocator, types, List.of(row(1L, "a", Double.NaN)), 10), JoinType.INNER, List.of(2), List.of(2), Optional.empty(), 10)) {
            assertThat(join.buildKeyDomain(0)).isEmpty();
        }
    }
}
