package io.glaux.engine.operator.sort;

import static io.glaux.engine.operator.sort.BatchSource.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.SortKey;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

class TopNOperatorTest
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

    private OperatorContext context(long limit)
    {
        OperatorContext context = OperatorContext.forTesting(allocator, limit, Optional.empty());
        contexts.add(context);
        return context;
    }

    private List<List<Object>> topN(List<List<Object>> rows, List<Type> types, List<SortKey> keys, long count, int batchRows)
    {
        try (TopNOperator topN = new TopNOperator(context(1L << 32), new BatchSource(allocator, types, rows, batchRows), keys, count)) {
            return drain(topN);
        }
    }

    /** The expected first {@code count} rows; ties make the rows themselves ambiguous, so compare keys. */
    private static void assertTopN(List<List<Object>> actual, List<List<Object>> rows, List<SortKey> keys, long count)
    {
        List<List<Object>> sorted = new ArrayList<>(rows);
        sorted.sort(SortTesting.comparator(keys));
        List<List<Object>> expected = sorted.subList(0, (int) Math.min(count, sorted.size()));
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(keysOf(actual, keys)).isEqualTo(keysOf(expected, keys));
        // every row returned is a real input row, each at most as often as it occurs
        Map<List<Object>, Integer> remaining = new HashMap<>();
        rows.forEach(row -> remaining.merge(row, 1, Integer::sum));
        Map<List<Object>, Integer> returned = new HashMap<>();
        for (List<Object> row : actual) {
            assertThat(remaining.merge(row, -1, Integer::sum)).as("row %s", row).isGreaterThanOrEqualTo(0);
            returned.merge(row, 1, Integer::sum);
        }
        // rows strictly before the boundary key are all there
        if (!expected.isEmpty()) {
            List<Object> boundary = expected.getLast();
            Map<List<Object>, Integer> before = new HashMap<>();
            expected.stream().filter(row -> SortTesting.comparator(keys).compare(row, boundary) < 0).forEach(row -> before.merge(row, 1, Integer::sum));
            before.forEach((row, n) -> assertThat(returned.getOrDefault(row, 0)).as("row %s", row).isEqualTo(n));
        }
    }

    private static List<List<Object>> keysOf(List<List<Object>> rows, List<SortKey> keys)
    {
        return rows.stream().map(row -> keys.stream().map(key -> row.get(key.column())).toList()).toList();
    }

    @Test
    void smallWithTiesAndDuplicates()
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR);
        List<List<Object>> rows = List.of(
                Arrays.asList(5L, "a"), Arrays.asList(3L, "b"), Arrays.asList(5L, "c"), Arrays.asList(null, "d"),
                Arrays.asList(5L, "a"), Arrays.asList(1L, "e"), Arrays.asList(3L, "b"), Arrays.asList(7L, "f"));
        List<SortKey> keys = List.of(SortKey.descending(0));
        List<List<Object>> result = topN(rows, types, keys, 3, 2);
        assertTopN(result, rows, keys, 3);
        assertThat(result.getFirst()).isEqualTo(List.of(7L, "f"));
        assertThat(result.subList(1, 3)).extracting(row -> row.get(0)).containsExactly(5L, 5L);
        // all rows when count exceeds the input
        assertThat(topN(rows, types, List.of(SortKey.ascending(0), SortKey.ascending(1)), 100, 3)).containsExactly(
                Arrays.asList(1L, "e"), Arrays.asList(3L, "b"), Arrays.asList(3L, "b"), Arrays.asList(5L, "a"),
                Arrays.asList(5L, "a"), Arrays.asList(5L, "c"), Arrays.asList(7L, "f"), Arrays.asList(null, "d"));
        // NULLS FIRST takes the NULL
        assertThat(topN(rows, types, List.of(new SortKey(0, true, true)), 2, 3)).containsExactly(Arrays.asList(null, "d"), Arrays.asList(1L, "e"));
    }

    @Test
    void zeroCountReadsNothing()
    {
        BatchSource source = new BatchSource(allocator, List.of(Type.BIGINT), List.of(List.of(1L)), 1);
        try (TopNOperator topN = new TopNOperator(context(1L << 30), source, List.of(SortKey.ascending(0)), 0)) {
            assertThat(topN.next()).isNull();
        }
        assertThat(source.batchesPulled).isZero();
        assertThat(source.closed).isTrue();
    }

    @Test
    void randomized()
    {
        Random random = new Random(11);
        List<List<Object>> rows = SortTesting.randomRows(random, 50_000);
        long[] counts = {1, 7, 50, 1000, 5000, 49_999, 60_000};
        for (int round = 0; round < 7; round++) {
            List<SortKey> keys = SortTesting.randomKeys(random, SortTesting.TYPES.size(), 1 + round % 3);
            long count = counts[round % counts.length];
            List<List<Object>> result = topN(rows, SortTesting.TYPES, keys, count, 1 + random.nextInt(4000));
            assertTopN(result, rows, keys, count);
        }
    }

    @Test
    void everyFirstKeyType()
    {
        Random random = new Random(12);
        List<List<Object>> rows = SortTesting.randomRows(random, 6_000);
        for (int column = 0; column < SortTesting.TYPES.size(); column++) {
            // NULL-free and NaN-bearing columns alike
            for (boolean nullsFirst : new boolean[] {false, true}) {
                for (boolean ascending : new boolean[] {false, true}) {
                    for (int keyCount = 1; keyCount <= 2; keyCount++) {
                        List<SortKey> keys = keyCount == 1
                                ? List.of(new SortKey(column, ascending, nullsFirst))
                                : List.of(new SortKey(column, ascending, nullsFirst), new SortKey((column + 1) % SortTesting.TYPES.size(), !ascending, nullsFirst));
                        // NULLS FIRST: the boundary is among the NULLs when count is below their number
                        for (long count : new long[] {10, 1500}) {
                            assertTopN(topN(rows, SortTesting.TYPES, keys, count, 777), rows, keys, count);
                        }
                    }
                }
            }
        }
    }

    @Test
    void memoryStaysProportionalToCount()
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR);
        List<List<Object>> rows = new ArrayList<>();
        Random random = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            rows.add(List.of(random.nextLong(), "row " + i));
        }
        OperatorContext context = context(1L << 32);
        try (TopNOperator topN = new TopNOperator(context, new BatchSource(allocator, types, rows, 10_000), List.of(SortKey.descending(0)), 50)) {
            List<List<Object>> result = drain(topN);
            assertTopN(result, rows, List.of(SortKey.descending(0)), 50);
        }
        // one input batch plus O(count) candidates, not the 200k rows
        assertThat(context.stats().peakMemoryBytes()).isLessThan(2_000_000);
    }

    @Test
    void exceedsMemoryLimit()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(2), 60_000);
        try (TopNOperator topN = new TopNOperator(context(1L << 20), new BatchSource(allocator, SortTesting.TYPES, rows, 5000), List.of(SortKey.ascending(2)), 50_000)) {
            assertThatThrownBy(topN::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT));
        }
    }

    @Test
    void cancellation()
    {
        OperatorContext context = context(1L << 30);
        List<List<Object>> rows = SortTesting.randomRows(new Random(2), 1000);
        try (TopNOperator topN = new TopNOperator(context, new BatchSource(allocator, SortTesting.TYPES, rows, 100), List.of(SortKey.ascending(0)), 10)) {
            context.query().cancellation().cancel("Query was canceled");
            assertThatThrownBy(topN::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }
}
