package io.glaux.engine.operator.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.operator.Operator;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNode.SetOperationKind;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** UNION, INTERSECT [ALL] and EXCEPT [ALL] against multiset counting written here, NULLs equal. */
class SetOperationOperatorTest
{
    private static final List<Type> TYPES = List.of(Type.VARCHAR, Type.BIGINT, Type.DOUBLE, Type.BOOLEAN);

    private static List<List<Object>> randomRows(Random random, int count)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            rows.add(Arrays.asList(
                    random.nextInt(5) == 0 ? null : "v" + random.nextInt(4),
                    random.nextInt(5) == 0 ? null : (long) random.nextInt(3),
                    random.nextInt(4) == 0 ? null : random.nextInt(2) * 0.5,
                    random.nextInt(4) == 0 ? null : random.nextBoolean()));
        }
        return rows;
    }

    private static Map<List<Object>, Long> counts(List<List<Object>> rows)
    {
        Map<List<Object>, Long> counts = new LinkedHashMap<>();
        rows.forEach(row -> counts.merge(row, 1L, Long::sum));
        return counts;
    }

    static Map<List<Object>, Long> expected(SetOperationKind kind, boolean all, List<List<List<Object>>> inputs)
    {
        List<Map<List<Object>, Long>> counts = inputs.stream().map(SetOperationOperatorTest::counts).toList();
        Map<List<Object>, Long> result = new HashMap<>();
        for (List<List<Object>> input : inputs) {
            for (List<Object> row : input) {
                long copies = switch (kind) {
                    case UNION -> 1;
                    case INTERSECT -> {
                        long min = counts.stream().mapToLong(c -> c.getOrDefault(row, 0L)).min().orElseThrow();
                        yield all ? min : Math.min(min, 1);
                    }
                    case EXCEPT -> {
                        long first = counts.getFirst().getOrDefault(row, 0L);
                        long others = counts.subList(1, counts.size()).stream().mapToLong(c -> c.getOrDefault(row, 0L)).sum();
                        yield all ? Math.max(first - others, 0) : first > 0 && others == 0 ? 1 : 0;
                    }
                };
                if (copies > 0) {
                    result.put(row, copies);
                }
            }
        }
        return result;
    }

    private static Map<List<Object>, Long> run(TestQuery query, SetOperationKind kind, boolean all, List<List<List<Object>>> inputs, int outputBatchRows)
    {
        List<Operator> sources = new ArrayList<>();
        for (List<List<Object>> input : inputs) {
            sources.add(BatchSource.of(query.allocator(), TYPES, input, 17));
        }
        return counts(BatchSource.drain(new SetOperationOperator(query.context(), sources, kind, all, outputBatchRows)));
    }

    @Test
    void everyOperationMatchesMultisetCounting()
    {
        Random random = new Random(17);
        for (int round = 0; round < 4; round++) {
            List<List<List<Object>>> inputs = new ArrayList<>();
            for (int s = 0; s < 2 + round % 2; s++) {
                inputs.add(randomRows(random, round == 0 && s == 1 ? 0 : 50 + random.nextInt(300)));
            }
            try (TestQuery query = new TestQuery()) {
                for (SetOperationKind kind : SetOperationKind.values()) {
                    for (boolean all : kind == SetOperationKind.UNION ? new boolean[] {false} : new boolean[] {false, true}) {
                        assertThat(run(query, kind, all, inputs, 7)).as("%s%s round %s", kind, all ? " ALL" : "", round)
                                .isEqualTo(expected(kind, all, inputs));
                    }
                }
            }
        }
    }

    @Test
    void nullsAreEqualAndCopiesAreKept()
    {
        List<List<Object>> left = List.of(
                Arrays.asList(null, 1L, null, true),
                Arrays.asList(null, 1L, null, true),
                Arrays.asList(null, 1L, null, true),
                Arrays.asList("a", null, 0.0, null));
        List<List<Object>> right = List.of(
                Arrays.asList(null, 1L, null, true),
                Arrays.asList("a", null, -0.0, null));
        try (TestQuery query = new TestQuery()) {
            assertThat(run(query, SetOperationKind.INTERSECT, true, List.of(left, right), 2))
                    .isEqualTo(Map.of(Arrays.asList(null, 1L, null, true), 1L, Arrays.asList("a", null, 0.0, null), 1L));
            assertThat(run(query, SetOperationKind.EXCEPT, true, List.of(left, right), 2))
                    .isEqualTo(Map.of(Arrays.asList(null, 1L, null, true), 2L));
            assertThat(run(query, SetOperationKind.EXCEPT, false, List.of(left, right), 2)).isEmpty();
            assertThat(run(query, SetOperationKind.UNION, false, List.of(left, right), 2)).hasSize(2);
        }
    }

    @Test
    void memoryIsAccountedAndLimited()
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int n = 0; n < 100_000; n++) {
            rows.add(Arrays.asList("row-" + n, (long) n, (double) n, n % 2 == 0));
        }
        try (TestQuery query = new TestQuery(1L << 20, Optional.empty())) {
            SetOperationOperator operator = new SetOperationOperator(query.context(),
                    List.of(BatchSource.of(query.allocator(), TYPES, rows, 4096), BatchSource.of(query.allocator(), TYPES, rows, 4096)),
                    SetOperationKind.INTERSECT, false);
            assertThatThrownBy(() -> BatchSource.drain(operator))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT));
        }
    }

    @Test
    void buildsFromThePlanNode()
    {
        PlanNode.Values values = new PlanNode.Values(new PlanNodeId(1), TYPES, List.of());
        PlanNode.SetOperation node = new PlanNode.SetOperation(new PlanNodeId(2), SetOperationKind.EXCEPT, false, List.of(values, values));
        List<List<Object>> rows = randomRows(new Random(1), 100);
        try (TestQuery query = new TestQuery()) {
            SetOperationOperator operator = SetOperationOperator.of(query.context(),
                    List.of(BatchSource.of(query.allocator(), TYPES, rows, 10), BatchSource.of(query.allocator(), TYPES, rows.subList(0, 50), 10)), node);
            assertThat(operator.outputTypes()).isEqualTo(node.outputTypes());
            assertThat(counts(BatchSource.drain(operator))).isEqualTo(expected(SetOperationKind.EXCEPT, false, List.of(rows, rows.subList(0, 50))));
        }
    }
}
