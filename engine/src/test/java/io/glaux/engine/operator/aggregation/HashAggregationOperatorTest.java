package io.glaux.engine.operator.aggregation;

import static io.glaux.engine.fragment.AggregateFunction.COUNT;
import static io.glaux.engine.fragment.AggregateFunction.COUNT_STAR;
import static io.glaux.engine.fragment.AggregateFunction.MAX;
import static io.glaux.engine.fragment.AggregateFunction.MIN;
import static io.glaux.engine.fragment.AggregateFunction.SUM;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.B;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.D;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.DEC;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.ID;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.K1;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.K2;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.S;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.TYPES;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.X;
import static io.glaux.engine.operator.aggregation.AggregateFunctionsTest.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNode.Step;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/** The operator around the aggregation: steps, grouping sets, NULL keys, memory, spill, flush, cancellation. */
class HashAggregationOperatorTest
{
    private static final List<AggregateCall> CALLS = List.of(
            call(COUNT_STAR, Type.BIGINT),
            call(SUM, Type.BIGINT, X),
            call(COUNT, Type.BIGINT, S),
            call(MIN, Type.VARCHAR, S),
            call(MAX, Type.DOUBLE, D),
            call(AggregateFunction.AVG, new Type.Decimal(12, 2), DEC),
            call(AggregateFunction.BOOL_OR, Type.BOOLEAN, B),
            call(AggregateFunction.APPROX_DISTINCT, Type.BIGINT, ID));

    /** Grouping sets the slow way: each set grouped separately, keys outside it NULL, then the grouping id. */
    static List<List<Object>> expectedGroupingSets(List<List<Object>> rows, List<Integer> keys, List<List<Integer>> sets, List<AggregateCall> calls)
    {
        List<List<Object>> result = new ArrayList<>();
        for (List<Integer> set : sets) {
            long gid = 0;
            for (int k = 0; k < keys.size(); k++) {
                if (!set.contains(k)) {
                    gid |= 1L << k;
                }
            }
            List<Integer> setColumns = set.stream().map(keys::get).toList();
            for (List<Object> group : AggregateFunctionsTest.expected(rows, setColumns, calls)) {
                List<Object> row = new ArrayList<>();
                for (int k = 0; k < keys.size(); k++) {
                    int position = set.indexOf(k);
                    row.add(position < 0 ? null : group.get(position));
                }
                row.addAll(group.subList(set.size(), group.size()));
                row.add(gid);
                result.add(row);
            }
        }
        return result;
    }

    @Test
    void groupingSetsRollupAndCube()
    {
        List<List<Object>> rows = AggregateFunctionsTest.randomRows(new Random(5), 2000, 6);
        List<Integer> keys = List.of(K1, K2);
        List<List<List<Integer>>> cases = List.of(
                List.of(List.of(0, 1), List.of(0), List.of()),                  // ROLLUP(k1, k2)
                List.of(List.of(0, 1), List.of(0), List.of(1), List.of()),      // CUBE(k1, k2)
                List.of(List.of(1), List.of(0)));                               // GROUPING SETS ((k2), (k1))
        for (List<List<Integer>> sets : cases) {
            // approx_distinct is inexact over the big groups of the empty set
            List<AggregateCall> calls = CALLS.subList(0, CALLS.size() - 1);
            List<List<Object>> expected = expectedGroupingSets(rows, keys, sets, calls);
            try (TestQuery query = new TestQuery()) {
                HashAggregationOperator single = new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 100),
                        Step.SINGLE, keys, sets, calls);
                assertThat(single.outputTypes()).hasSize(keys.size() + calls.size() + 1).last().isEqualTo(Type.BIGINT);
                assertSameWithGroupingId(BatchSource.drain(single), expected, keys.size());
                assertSameWithGroupingId(distributed(query, rows, keys, sets, calls), expected, keys.size());
            }
        }
    }

    /** Compares rows by keys and grouping id (the last column). */
    private static void assertSameWithGroupingId(List<List<Object>> actual, List<List<Object>> expected, int keys)
    {
        AggregateFunctionsTest.assertSameRows(moveIdFirst(actual), moveIdFirst(expected), keys + 1);
    }

    private static List<List<Object>> moveIdFirst(List<List<Object>> rows)
    {
        return rows.stream().map(row -> {
            List<Object> moved = new ArrayList<>();
            moved.add(row.getLast());
            moved.addAll(row.subList(0, row.size() - 1));
            return moved;
        }).toList();
    }

    private static List<List<Object>> distributed(TestQuery query, List<List<Object>> rows, List<Integer> keys, List<List<Integer>> sets)
    {
        return distributed(query, rows, keys, sets, CALLS);
    }

    private static List<List<Object>> distributed(TestQuery query, List<List<Object>> rows, List<Integer> keys, List<List<Integer>> sets, List<AggregateCall> calls)
    {
        List<VectorSchemaRoot> partials = new ArrayList<>();
        List<Type> types = null;
        for (int p = 0; p < 2; p++) {
            HashAggregationOperator partial = new HashAggregationOperator(query.context(),
                    BatchSource.of(query.allocator(), TYPES, rows.subList(rows.size() * p / 2, rows.size() * (p + 1) / 2), 64),
                    Step.PARTIAL, keys, sets, calls, p == 0 ? 1 : 1 << 20, 100);
            types = partial.outputTypes();
            partials.addAll(BatchSource.drainBatches(partial, query.allocator()));
        }
        List<Integer> finalKeys = java.util.stream.IntStream.range(0, keys.size()).boxed().toList();
        return BatchSource.drain(new HashAggregationOperator(query.context(), new BatchSource(types, partials), Step.FINAL, finalKeys, sets, calls));
    }

    @Test
    void groupingSetsOrderIsOnlyOnTheGroupingIdColumn()
    {
        // with ROLLUP, the rows of the k1-only set: grouping id 0b10 (key 1 not grouped)
        List<List<Object>> rows = AggregateFunctionsTest.randomRows(new Random(9), 300, 3);
        try (TestQuery query = new TestQuery()) {
            List<List<Object>> result = BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 50),
                    Step.SINGLE, List.of(K1, K2), List.of(List.of(0), List.of()), List.of(call(COUNT_STAR, Type.BIGINT))));
            for (List<Object> row : result) {
                long gid = (Long) row.get(3);
                assertThat(gid).isIn(2L, 3L);
                assertThat(row.get(1)).isNull();
                if (gid == 3) {
                    assertThat(row.get(0)).isNull();
                    assertThat(row.get(2)).isEqualTo(300L);
                }
            }
            assertThat(HashAggregationBuilder.groupingId(0b01, 2)).isEqualTo(0b10);
        }
    }

    @Test
    void emptyInputGivesTheEmptyGroupingSetsRow()
    {
        try (TestQuery query = new TestQuery()) {
            List<List<Object>> result = BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, List.of(), 50),
                    Step.SINGLE, List.of(K1, K2), List.of(List.of(0, 1), List.of(0), List.of()), CALLS));
            assertThat(result).hasSize(1);
            assertThat(result.getFirst()).containsExactly(null, null, 0L, null, 0L, null, null, null, null, 0L, 3L);
            assertThat(distributed(query, List.of(), List.of(K1, K2), List.of(List.of(0, 1), List.of()))).hasSize(1);
            // a partial step leaves the empty set's row to the final step
            assertThat(BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, List.of(), 50),
                    Step.PARTIAL, List.of(K1), List.of(List.of(0), List.of()), CALLS))).isEmpty();
        }
    }

    @Test
    void nullIsAGroup()
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            List<Object> row = new ArrayList<>(java.util.Collections.nCopies(TYPES.size(), null));
            row.set(ID, (long) n);
            row.set(X, n % 3 == 0 ? null : (long) n);
            row.set(K1, n % 2 == 0 ? null : "a");
            rows.add(row);
        }
        try (TestQuery query = new TestQuery()) {
            List<List<Object>> result = BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 3),
                    Step.SINGLE, List.of(K1, K2), List.of(), List.of(call(COUNT_STAR, Type.BIGINT), call(SUM, Type.BIGINT, X), call(COUNT, Type.BIGINT, X))));
            AggregateFunctionsTest.assertSameRows(result, List.of(
                    Arrays.asList(null, null, 5L, 2L + 4 + 8, 3L),
                    Arrays.asList("a", null, 5L, 1L + 5 + 7, 3L)), 2);
        }
    }

    private static List<List<Object>> manyGroups(int rows, int groups)
    {
        Random random = new Random(1);
        List<List<Object>> result = new ArrayList<>();
        for (int n = 0; n < rows; n++) {
            List<Object> row = new ArrayList<>(java.util.Collections.nCopies(TYPES.size(), null));
            int group = random.nextInt(groups);
            row.set(K1, "group-" + group + "-" + "x".repeat(group % 17));
            row.set(K2, (long) (group % 5));
            row.set(X, (long) random.nextInt(1000));
            row.set(S, Integer.toString(random.nextInt(100_000), 36));
            row.set(D, random.nextDouble());
            row.set(ID, (long) n);
            row.set(B, random.nextBoolean());
            row.set(DEC, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
            result.add(row);
        }
        return result;
    }

    @Test
    void spillsAndGivesTheSameAnswer(@TempDir Path spill)
            throws IOException
    {
        List<List<Object>> rows = manyGroups(60_000, 20_000);
        List<Integer> keys = List.of(K1, K2);
        List<List<Object>> expected;
        try (TestQuery query = new TestQuery()) {
            expected = BatchSource.drain(new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 1024),
                    Step.SINGLE, keys, List.of(), CALLS));
        }
        assertThat(expected).hasSizeGreaterThan(15_000);
        try (TestQuery query = new TestQuery(3L << 20, Optional.of(spill))) {
            OperatorContext context = query.context();
            List<List<Object>> actual = new ArrayList<>();
            try (HashAggregationOperator operator = new HashAggregationOperator(context, BatchSource.of(query.allocator(), TYPES, rows, 1024),
                    Step.SINGLE, keys, List.of(), CALLS)) {
                // by the first batch everything is spilled and one partition merged
                try (VectorSchemaRoot first = operator.next()) {
                    assertThat(first).isNotNull();
                    assertThat(context.stats().spilledBytes()).isPositive();
                    actual.addAll(BatchSource.rows(first));
                }
                actual.addAll(BatchSource.drain(operator));
            }
            AggregateFunctionsTest.assertSameRows(actual, expected, keys.size());
            assertThat(query.memory.peakBytes()).isLessThanOrEqualTo(3L << 20);
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void finalStepSpillsToo(@TempDir Path spill)
            throws IOException
    {
        List<List<Object>> rows = manyGroups(40_000, 15_000);
        List<Integer> keys = List.of(K1);
        List<List<Object>> expected = AggregateFunctionsTest.expected(rows, keys, CALLS);
        try (TestQuery query = new TestQuery(2L << 20, Optional.of(spill))) {
            List<VectorSchemaRoot> partials = new ArrayList<>();
            List<Type> types = null;
            for (int p = 0; p < 2; p++) {
                HashAggregationOperator partial = new HashAggregationOperator(query.context(),
                        BatchSource.of(query.allocator(), TYPES, rows.subList(rows.size() * p / 2, rows.size() * (p + 1) / 2), 1000),
                        Step.PARTIAL, keys, List.of(), CALLS, 256 << 10, 4096);
                types = partial.outputTypes();
                partials.addAll(BatchSource.drainBatches(partial, query.allocator()));
            }
            assertThat(partials.stream().mapToInt(VectorSchemaRoot::getRowCount).sum()).as("partial aggregation flushed").isGreaterThan(15_000);
            OperatorContext context = query.context();
            List<List<Object>> actual = BatchSource.drain(new HashAggregationOperator(context, new BatchSource(types, partials), Step.FINAL, List.of(0), List.of(), CALLS));
            assertThat(context.stats().spilledBytes()).isPositive();
            AggregateFunctionsTest.assertSameRows(actual, expected, 1);
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void closingMidwayDeletesSpillFiles(@TempDir Path spill)
            throws IOException
    {
        List<List<Object>> rows = manyGroups(60_000, 20_000);
        try (TestQuery query = new TestQuery(3L << 20, Optional.of(spill))) {
            try (HashAggregationOperator operator = new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 1024),
                    Step.SINGLE, List.of(K1, K2), List.of(), CALLS)) {
                operator.next().close();
                try (Stream<Path> files = Files.list(spill)) {
                    assertThat(files).isNotEmpty();
                }
            }
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void exceedsTheMemoryLimitWithoutASpillDirectory()
    {
        List<List<Object>> rows = manyGroups(60_000, 20_000);
        try (TestQuery query = new TestQuery(3L << 20, Optional.empty())) {
            HashAggregationOperator operator = new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 1024),
                    Step.SINGLE, List.of(K1, K2), List.of(), CALLS);
            assertThatThrownBy(() -> BatchSource.drain(operator))
                    .isInstanceOfSatisfying(GlauxException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT);
                        assertThat(e.getMessage()).contains("HashAggregation[0]").contains("3MB");
                    });
        }
    }

    @Test
    void partialAggregationFlushesInsteadOfFailing()
    {
        List<List<Object>> rows = manyGroups(60_000, 20_000);
        List<Integer> keys = List.of(K1, K2);
        try (TestQuery query = new TestQuery(3L << 20, Optional.empty())) {
            HashAggregationOperator partial = new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 1024),
                    Step.PARTIAL, keys, List.of(), CALLS, Long.MAX_VALUE, 4096);
            List<VectorSchemaRoot> batches = BatchSource.drainBatches(partial, query.allocator());
            assertThat(batches.stream().mapToInt(VectorSchemaRoot::getRowCount).sum()).isGreaterThan(20_000);
            try (TestQuery merge = new TestQuery()) {
                List<List<Object>> actual = BatchSource.drain(new HashAggregationOperator(merge.context(), new BatchSource(partial.outputTypes(), batches),
                        Step.FINAL, List.of(0, 1), List.of(), CALLS));
                AggregateFunctionsTest.assertSameRows(actual, AggregateFunctionsTest.expected(rows, keys, CALLS), 2);
            }
        }
    }

    @Test
    void cancellationStopsTheOperator()
    {
        List<List<Object>> rows = manyGroups(5_000, 100);
        try (TestQuery query = new TestQuery()) {
            HashAggregationOperator operator = new HashAggregationOperator(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 100),
                    Step.SINGLE, List.of(K1), List.of(), CALLS);
            query.query.cancellation().cancel("Query was canceled");
            assertThatThrownBy(operator::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
            operator.close();
            operator.close();
        }
    }

    @Test
    void buildsFromThePlanNode()
    {
        List<List<Object>> rows = AggregateFunctionsTest.randomRows(new Random(2), 500, 4);
        PlanNode.Values values = new PlanNode.Values(new PlanNodeId(1), TYPES, List.of());
        PlanNode.Aggregate node = new PlanNode.Aggregate(new PlanNodeId(2), values, Step.PARTIAL, List.of(K2), List.of(), CALLS);
        try (TestQuery query = new TestQuery()) {
            HashAggregationOperator operator = HashAggregationOperator.of(query.context(), BatchSource.of(query.allocator(), TYPES, rows, 100), node);
            assertThat(operator.outputTypes()).isEqualTo(node.outputTypes());
            assertThat(BatchSource.drain(operator)).hasSize(4);
        }
    }
}
