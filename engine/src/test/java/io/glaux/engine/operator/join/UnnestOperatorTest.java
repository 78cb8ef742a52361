package io.glaux.engine.operator.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

class UnnestOperatorTest
{
    private static final Type BIGINTS = new Type.Array(Type.BIGINT);
    private static final Type STRINGS = new Type.Array(Type.VARCHAR);
    private static final Type MAP = new Type.MapType(Type.VARCHAR, Type.DOUBLE);
    private static final Type.Row POINT = new Type.Row(List.of(new Type.Field("x", Type.BIGINT), new Type.Field("label", Type.VARCHAR)));
    private static final Type POINTS = new Type.Array(POINT);

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

    private static List<Object> row(Object... values)
    {
        return Arrays.asList(values);
    }

    private static Map<Object, Object> map(Object... keysAndValues)
    {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private List<List<Object>> run(List<Type> inputTypes, List<List<Object>> input, List<Integer> replicate, List<Integer> unnest, boolean ordinality, boolean outer,
            List<Type> outputTypes, int inputBatch, int batchRows)
    {
        try (UnnestOperator operator = new UnnestOperator(context(), JoinTestRows.source(allocator, inputTypes, input, inputBatch), replicate, unnest, ordinality, outer,
                outputTypes, batchRows)) {
            return JoinTestRows.drain(operator, batchRows);
        }
    }

    /** Unnest, row at a time; {@code widths}: output columns per unnested column (a map has two). */
    private static List<List<Object>> expected(List<List<Object>> input, List<Integer> replicate, List<Integer> unnest, int[] widths, boolean ordinality,
            boolean outer)
    {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> in : input) {
            List<List<List<Object>>> elements = new ArrayList<>();
            int length = 0;
            for (int column : unnest) {
                Object value = in.get(column);
                List<List<Object>> items = new ArrayList<>();
                if (value instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> items.add(row(k, v)));
                }
                else if (value instanceof List<?> list) {
                    for (Object item : list) {
                        items.add(row(item));
                    }
                }
                elements.add(items);
                length = Math.max(length, items.size());
            }
            boolean padding = length == 0 && outer;
            for (int k = 0; k < (padding ? 1 : length); k++) {
                List<Object> row = new ArrayList<>();
                replicate.forEach(c -> row.add(in.get(c)));
                for (int u = 0; u < unnest.size(); u++) {
                    int width = widths[u];
                    List<List<Object>> items = elements.get(u);
                    if (k < items.size()) {
                        row.addAll(items.get(k));
                    }
                    else {
                        for (int w = 0; w < width; w++) {
                            row.add(null);
                        }
                    }
                }
                if (ordinality) {
                    row.add(padding ? null : (long) k + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void arrayWithReplicatedColumnsAndOrdinality()
    {
        List<Type> types = List.of(Type.BIGINT, BIGINTS, Type.VARCHAR);
        List<List<Object>> input = List.of(
                row(1L, List.of(10L, 11L, 12L), "a"),
                row(2L, List.of(), "b"),
                row(3L, null, "c"),
                row(4L, Arrays.asList(40L, null), null));
        assertThat(run(types, input, List.of(0, 2), List.of(1), true, false, List.of(Type.BIGINT, Type.VARCHAR, Type.BIGINT, Type.BIGINT), 10, 100))
                .containsExactly(
                        row(1L, "a", 10L, 1L),
                        row(1L, "a", 11L, 2L),
                        row(1L, "a", 12L, 3L),
                        row(4L, null, 40L, 1L),
                        row(4L, null, null, 2L));
        assertThat(run(types, input, List.of(0), List.of(1), false, true, List.of(Type.BIGINT, Type.BIGINT), 10, 100))
                .containsExactly(
                        row(1L, 10L), row(1L, 11L), row(1L, 12L),
                        row(2L, null),
                        row(3L, null),
                        row(4L, 40L), row(4L, null));
    }

    @Test
    void zippedArraysAndMapsPadWithNulls()
    {
        List<Type> types = List.of(Type.VARCHAR, STRINGS, MAP);
        List<List<Object>> input = List.of(
                row("r1", List.of("a", "b", "c"), map("k1", 1.5)),
                row("r2", List.of("x"), map("k1", 2.5, "k2", null, "k3", 3.5)),
                row("r3", null, map()),
                row("r4", List.of(), null));
        List<Type> output = List.of(Type.VARCHAR, Type.VARCHAR, Type.VARCHAR, Type.DOUBLE, Type.BIGINT);
        for (boolean outer : new boolean[] {false, true}) {
            for (int batchRows : new int[] {1, 2, 100}) {
                assertThat(run(types, input, List.of(0), List.of(1, 2), true, outer, output, 3, batchRows))
                        .as("outer=%s batchRows=%s", outer, batchRows)
                        .containsExactlyElementsOf(expected(input, List.of(0), List.of(1, 2), new int[] {1, 2}, true, outer));
            }
        }
        assertThat(run(types, input, List.of(0), List.of(1, 2), true, true, output, 3, 100)).containsExactly(
                row("r1", "a", "k1", 1.5, 1L),
                row("r1", "b", null, null, 2L),
                row("r1", "c", null, null, 3L),
                row("r2", "x", "k1", 2.5, 1L),
                row("r2", null, "k2", null, 2L),
                row("r2", null, "k3", 3.5, 3L),
                row("r3", null, null, null, null),
                row("r4", null, null, null, null));
    }

    @Test
    void arrayOfRowsExpandsIntoFieldColumns()
    {
        List<Type> types = List.of(Type.BIGINT, POINTS);
        List<List<Object>> input = List.of(
                row(1L, List.of(row(10L, "p"), row(11L, null))),
                row(2L, Arrays.asList(row(20L, "q"), null)));
        assertThat(run(types, input, List.of(0), List.of(1), false, false, List.of(Type.BIGINT, Type.BIGINT, Type.VARCHAR), 1, 100))
                .containsExactly(row(1L, 10L, "p"), row(1L, 11L, null), row(2L, 20L, "q"), row(2L, null, null));
        // the whole row as one column when the output types say so
        assertThat(run(types, input, List.of(), List.of(1), false, false, List.of(POINT), 1, 100))
                .containsExactly(row(row(10L, "p")), row(row(11L, null)), row(row(20L, "q")), row((Object) null));
    }

    @Test
    void nestedElementsAndReplicatedCollections()
    {
        Type nested = new Type.Array(BIGINTS);
        List<Type> types = List.of(BIGINTS, nested);
        List<List<Object>> input = List.of(row(List.of(1L, 2L), List.of(List.of(1L), List.of(2L, 3L))), row(null, Arrays.asList(null, List.of())));
        assertThat(run(types, input, List.of(0), List.of(1), true, false, List.of(BIGINTS, BIGINTS, Type.BIGINT), 1, 100))
                .containsExactly(
                        row(List.of(1L, 2L), List.of(1L), 1L),
                        row(List.of(1L, 2L), List.of(2L, 3L), 2L),
                        row(null, null, 1L),
                        row(null, List.of(), 2L));
    }

    @Test
    void randomizedAgainstRowAtATime()
    {
        Random random = new Random(3);
        List<Type> types = List.of(Type.BIGINT, BIGINTS, MAP, Type.VARCHAR);
        List<List<Object>> input = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            List<Object> array = null;
            if (random.nextInt(10) != 0) {
                array = new ArrayList<>();
                int n = random.nextInt(random.nextInt(50) == 0 ? 40_000 : 6);
                for (int k = 0; k < n; k++) {
                    array.add(random.nextInt(20) == 0 ? null : random.nextLong());
                }
            }
            Map<Object, Object> map = null;
            if (random.nextInt(10) != 0) {
                map = new LinkedHashMap<>();
                int n = random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    map.put("key" + k, random.nextInt(5) == 0 ? null : random.nextDouble());
                }
            }
            input.add(row((long) i, array, map, random.nextInt(5) == 0 ? null : "s" + i));
        }
        List<Type> output = List.of(Type.VARCHAR, Type.BIGINT, Type.BIGINT, Type.VARCHAR, Type.DOUBLE, Type.BIGINT);
        for (boolean outer : new boolean[] {false, true}) {
            List<List<Object>> expected = expected(input, List.of(3, 0), List.of(1, 2), new int[] {1, 2}, true, outer);
            List<List<Object>> actual = run(types, input, List.of(3, 0), List.of(1, 2), true, outer, output, 257, 16 * 1024);
            for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
                // row by row: a whole-list diff of this size is too slow to report
                assertThat(actual.get(i)).as("row %s (outer=%s)", i, outer).isEqualTo(expected.get(i));
            }
            assertThat(actual.size()).isEqualTo(expected.size());
        }
    }

    @Test
    void fromThePlanNode()
    {
        List<Type> types = List.of(Type.BIGINT, BIGINTS);
        PlanNode.Values values = new PlanNode.Values(new PlanNodeId(0), types, List.of());
        PlanNode.Unnest node = new PlanNode.Unnest(new PlanNodeId(1), values, List.of(0), List.of(1), false, false, List.of(Type.BIGINT, Type.BIGINT));
        try (UnnestOperator operator = new UnnestOperator(context(), JoinTestRows.source(allocator, types, List.of(row(7L, List.of(1L, 2L))), 1), node)) {
            assertThat(JoinTestRows.drain(operator, 100)).containsExactly(row(7L, 1L), row(7L, 2L));
        }
    }

    @Test
    void cancellation()
    {
        OperatorContext context = context();
        List<Type> types = List.of(Type.BIGINT, BIGINTS);
        try (UnnestOperator operator = new UnnestOperator(context, JoinTestRows.source(allocator, types, List.of(row(7L, List.of(1L, 2L)), row(8L, List.of(3L))), 1),
                List.of(0), List.of(1), false, false, List.of(Type.BIGINT, Type.BIGINT), 100)) {
            operator.next().close();
            context.query().cancellation().cancel("Query was canceled by the user");
            assertThatThrownBy(operator::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }

    @Test
    void rejectsWhatCannotBeUnnested()
    {
        List<Type> types = List.of(Type.BIGINT);
        try (BatchSource source = new BatchSource(types, List.of())) {
            assertThatThrownBy(() -> new UnnestOperator(context(), source, List.of(), List.of(0), false, false, List.of(Type.BIGINT), 10))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        }
    }
}
