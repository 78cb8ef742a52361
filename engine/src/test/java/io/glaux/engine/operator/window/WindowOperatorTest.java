package io.glaux.engine.operator.window;

import static io.glaux.engine.operator.sort.BatchSource.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.operator.sort.BatchSource;
import io.glaux.engine.operator.sort.SortTesting;
import io.glaux.engine.plan.SortKey;
import io.glaux.engine.plan.WindowFunction;
import io.glaux.engine.plan.WindowFunction.Bound;
import io.glaux.engine.plan.WindowFunction.BoundType;
import io.glaux.engine.plan.WindowFunction.Frame;
import io.glaux.engine.plan.WindowFunction.FrameType;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

class WindowOperatorTest
{
    private static final List<Type> TYPES = SortTesting.TYPES;
    // columns of SortTesting.randomRows
    private static final int BIGINT = 0;
    private static final int DOUBLE = 1;
    private static final int VARCHAR = 2;
    private static final int BOOLEAN = 3;
    private static final int DATE = 4;
    private static final int TIMESTAMP = 5;
    private static final int INTEGER = 6;
    private static final int REAL = 7;

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

    private OperatorContext context(long limit, Optional<Path> spill)
    {
        OperatorContext context = OperatorContext.forTesting(allocator, limit, spill);
        contexts.add(context);
        return context;
    }

    private List<List<Object>> run(List<List<Object>> rows, List<Integer> partitionKeys, List<SortKey> orderKeys, List<WindowFunction> functions, int batchRows)
    {
        try (WindowOperator window = new WindowOperator(context(1L << 32, Optional.empty()), new BatchSource(allocator, TYPES, rows, batchRows), partitionKeys, orderKeys, functions)) {
            assertThat(window.outputTypes()).hasSize(TYPES.size() + functions.size());
            return drain(window);
        }
    }

    private void check(List<List<Object>> rows, List<Integer> partitionKeys, List<SortKey> orderKeys, List<WindowFunction> functions, int batchRows)
    {
        List<List<Object>> actual = byPartition(run(rows, partitionKeys, orderKeys, functions, batchRows), partitionKeys);
        List<List<Object>> expected = byPartition(WindowReference.evaluate(rows, partitionKeys, orderKeys, functions), partitionKeys);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            List<Object> e = expected.get(i);
            List<Object> a = actual.get(i);
            for (int c = 0; c < e.size(); c++) {
                String what = c < TYPES.size() ? "column " + c : functions.get(c - TYPES.size()).toString();
                assertThat(a.get(c)).as("row %s, %s, input %s", i, what, e.subList(0, TYPES.size())).isEqualTo(e.get(c));
            }
        }
    }

    /**
     * The rows ordered by their partition keys, keeping the order within each partition: the operator
     * emits each partition's rows in their window order, but the partitions in the order of their keys'
     * hash, not of the keys.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<List<Object>> byPartition(List<List<Object>> rows, List<Integer> partitionKeys)
    {
        java.util.Comparator<List<Object>> order = (a, b) -> 0;
        for (int key : partitionKeys) {
            java.util.Comparator<Object> values = java.util.Comparator.nullsFirst((x, y) -> x instanceof byte[] bx ? Arrays.compare(bx, (byte[]) y) : ((Comparable) x).compareTo(y));
            order = order.thenComparing(row -> row.get(key), values);
        }
        List<List<Object>> sorted = new ArrayList<>(rows);
        sorted.sort(order);
        return sorted;
    }

    private static WindowFunction function(String name, Type type, Frame frame, Integer... arguments)
    {
        return new WindowFunction(name, List.of(arguments), List.of(), type, false, frame);
    }

    private static WindowFunction function(String name, Type type, Frame frame, boolean ignoreNulls, List<Integer> arguments, Object... constants)
    {
        return new WindowFunction(name, arguments, Arrays.asList(constants), type, ignoreNulls, frame);
    }

    private static Frame frame(FrameType type, BoundType start, long startOffset, BoundType end, long endOffset)
    {
        return new Frame(type, new Bound(start, startOffset), new Bound(end, endOffset));
    }

    private static final List<Frame> FRAMES = List.of(
            WindowFunction.DEFAULT_FRAME,
            WindowFunction.WHOLE_PARTITION,
            frame(FrameType.ROWS, BoundType.PRECEDING, 2, BoundType.FOLLOWING, 1),
            frame(FrameType.ROWS, BoundType.UNBOUNDED_PRECEDING, 0, BoundType.CURRENT_ROW, 0),
            frame(FrameType.ROWS, BoundType.CURRENT_ROW, 0, BoundType.UNBOUNDED_FOLLOWING, 0),
            frame(FrameType.ROWS, BoundType.FOLLOWING, 3, BoundType.FOLLOWING, 5),
            frame(FrameType.ROWS, BoundType.PRECEDING, 5, BoundType.PRECEDING, 2),
            frame(FrameType.RANGE, BoundType.CURRENT_ROW, 0, BoundType.CURRENT_ROW, 0),
            frame(FrameType.RANGE, BoundType.CURRENT_ROW, 0, BoundType.UNBOUNDED_FOLLOWING, 0));

    private static final List<Frame> RANGE_OFFSET_FRAMES = List.of(
            frame(FrameType.RANGE, BoundType.PRECEDING, 10, BoundType.FOLLOWING, 5),
            frame(FrameType.RANGE, BoundType.UNBOUNDED_PRECEDING, 0, BoundType.PRECEDING, 20),
            frame(FrameType.RANGE, BoundType.FOLLOWING, 3, BoundType.UNBOUNDED_FOLLOWING, 0),
            frame(FrameType.RANGE, BoundType.CURRENT_ROW, 0, BoundType.FOLLOWING, 0),
            frame(FrameType.RANGE, BoundType.PRECEDING, 7, BoundType.CURRENT_ROW, 0));

    /** Every value function and aggregate over {@code frames}. */
    private static List<WindowFunction> frameFunctions(List<Frame> frames)
    {
        List<WindowFunction> functions = new ArrayList<>();
        for (Frame frame : frames) {
            functions.add(function("count", Type.BIGINT, frame));
            functions.add(function("count", Type.BIGINT, frame, VARCHAR));
            functions.add(function("sum", Type.BIGINT, frame, BIGINT));
            functions.add(function("sum", Type.BIGINT, frame, INTEGER));
            functions.add(function("sum", Type.DOUBLE, frame, DOUBLE));
            functions.add(function("avg", Type.DOUBLE, frame, BIGINT));
            functions.add(function("avg", Type.DOUBLE, frame, DOUBLE));
            functions.add(function("avg", Type.REAL, frame, REAL));
            functions.add(function("min", Type.VARCHAR, frame, VARCHAR));
            functions.add(function("max", Type.DOUBLE, frame, DOUBLE));
            functions.add(function("min", Type.BIGINT, frame, BIGINT));
            functions.add(function("max", Type.TIMESTAMP, frame, TIMESTAMP));
            functions.add(function("first_value", Type.VARCHAR, frame, VARCHAR));
            functions.add(function("last_value", Type.BIGINT, frame, BIGINT));
            functions.add(function("nth_value", Type.DOUBLE, frame, false, List.of(DOUBLE), 2L));
            functions.add(function("first_value", Type.BIGINT, frame, true, List.of(BIGINT)));
            functions.add(function("last_value", Type.VARCHAR, frame, true, List.of(VARCHAR)));
            functions.add(function("nth_value", Type.BIGINT, frame, true, List.of(BIGINT), 3L));
        }
        return functions;
    }

    private static List<WindowFunction> rankingFunctions()
    {
        Frame frame = WindowFunction.DEFAULT_FRAME;
        return List.of(
                function("row_number", Type.BIGINT, frame),
                function("rank", Type.BIGINT, frame),
                function("dense_rank", Type.BIGINT, frame),
                function("percent_rank", Type.DOUBLE, frame),
                function("cume_dist", Type.DOUBLE, frame),
                function("ntile", Type.BIGINT, frame, false, List.of(), 4L),
                function("ntile", Type.BIGINT, frame, false, List.of(), 1000L),
                function("lag", Type.VARCHAR, frame, VARCHAR),
                function("lag", Type.BIGINT, frame, false, List.of(BIGINT), 2L, -1L),
                function("lead", Type.VARCHAR, frame, false, List.of(VARCHAR), 1L, "dflt"),
                function("lead", Type.DOUBLE, frame, true, List.of(DOUBLE)),
                function("lag", Type.BIGINT, frame, true, List.of(BIGINT), 3L),
                function("lead", Type.BOOLEAN, frame, true, List.of(BOOLEAN), 2L, true),
                function("lag", Type.DATE, frame, false, List.of(DATE), 0L));
    }

    @Test
    void everyFunctionAndFrame()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(1), 1500);
        List<WindowFunction> functions = new ArrayList<>(rankingFunctions());
        functions.addAll(frameFunctions(FRAMES));
        functions.addAll(frameFunctions(RANGE_OFFSET_FRAMES));
        check(rows, List.of(DATE), List.of(SortKey.ascending(INTEGER)), functions, 333);
    }

    @Test
    void rangeOffsetsDescendingWithNullsFirst()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(2), 700);
        List<WindowFunction> functions = new ArrayList<>(rankingFunctions());
        functions.addAll(frameFunctions(RANGE_OFFSET_FRAMES));
        check(rows, List.of(BOOLEAN), List.of(new SortKey(BIGINT, false, true)), functions, 100);
        // a double order key, NaN and infinities included, and a date key
        check(rows, List.of(BOOLEAN), List.of(new SortKey(DOUBLE, true, false)), frameFunctions(RANGE_OFFSET_FRAMES.subList(0, 2)), 64);
        check(rows, List.of(), List.of(new SortKey(DATE, false, false)), frameFunctions(RANGE_OFFSET_FRAMES), 250);
    }

    @Test
    void severalOrderKeysAndNoPartition()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(3), 500);
        List<WindowFunction> functions = new ArrayList<>(rankingFunctions());
        functions.addAll(frameFunctions(FRAMES));
        check(rows, List.of(), List.of(SortKey.ascending(VARCHAR), new SortKey(REAL, false, true)), functions, 90);
    }

    @Test
    void noOrderBy()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(4), 1000);
        List<WindowFunction> functions = List.of(
                function("row_number", Type.BIGINT, WindowFunction.WHOLE_PARTITION),
                function("rank", Type.BIGINT, WindowFunction.WHOLE_PARTITION),
                function("count", Type.BIGINT, WindowFunction.WHOLE_PARTITION),
                function("sum", Type.BIGINT, WindowFunction.WHOLE_PARTITION, BIGINT),
                function("max", Type.VARCHAR, WindowFunction.DEFAULT_FRAME, VARCHAR),
                function("cume_dist", Type.DOUBLE, WindowFunction.WHOLE_PARTITION));
        // partition keys only; the row order within a partition is the input's (a stable sort)
        check(rows, List.of(BOOLEAN, DATE), List.of(), functions, 300);
        // one partition of everything, not sorted at all
        check(rows, List.of(), List.of(), functions, 300);
    }

    @Test
    void randomized50k()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(5), 50_000);
        Frame sliding = frame(FrameType.ROWS, BoundType.PRECEDING, 3, BoundType.FOLLOWING, 3);
        Frame range = frame(FrameType.RANGE, BoundType.PRECEDING, 50, BoundType.FOLLOWING, 10);
        List<WindowFunction> functions = List.of(
                function("row_number", Type.BIGINT, WindowFunction.DEFAULT_FRAME),
                function("dense_rank", Type.BIGINT, WindowFunction.DEFAULT_FRAME),
                function("sum", Type.BIGINT, WindowFunction.DEFAULT_FRAME, INTEGER),
                function("avg", Type.DOUBLE, sliding, DOUBLE),
                function("min", Type.VARCHAR, sliding, VARCHAR),
                function("max", Type.BIGINT, range, BIGINT),
                function("count", Type.BIGINT, range, TIMESTAMP),
                function("lag", Type.TIMESTAMP, WindowFunction.DEFAULT_FRAME, TIMESTAMP));
        check(rows, List.of(BIGINT, BOOLEAN), List.of(SortKey.ascending(INTEGER)), functions, 4096);
    }

    @Test
    void spillsThroughTheSort(@TempDir Path spill)
            throws Exception
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(6), 40_000);
        List<WindowFunction> functions = List.of(
                function("row_number", Type.BIGINT, WindowFunction.DEFAULT_FRAME),
                function("sum", Type.BIGINT, WindowFunction.DEFAULT_FRAME, BIGINT),
                function("lead", Type.VARCHAR, WindowFunction.DEFAULT_FRAME, VARCHAR));
        List<Integer> partitionKeys = List.of(INTEGER);
        List<SortKey> orderKeys = List.of(SortKey.descending(TIMESTAMP));
        OperatorContext context = context(4L << 20, Optional.of(spill));
        List<List<Object>> actual;
        try (WindowOperator window = new WindowOperator(context, new BatchSource(allocator, TYPES, rows, 1000), partitionKeys, orderKeys, functions)) {
            actual = drain(window);
        }
        assertThat(context.stats().spilledBytes()).isPositive();
        assertThat(byPartition(actual, partitionKeys)).isEqualTo(byPartition(WindowReference.evaluate(rows, partitionKeys, orderKeys, functions), partitionKeys));
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void lagAndLeadWithAnOffsetColumn()
    {
        // row i (ordered by the bigint i) has the offset i % 3 in its integer column, row 5 none
        List<List<Object>> rows = new ArrayList<>();
        for (long i = 9; i >= 0; i--) {
            rows.add(Arrays.asList(i, 1.0, "v" + i, true, 19000L, 1L, i == 5 ? null : i % 3, 1.0));
        }
        List<WindowFunction> functions = List.of(
                function("lag", Type.BIGINT, WindowFunction.WHOLE_PARTITION, false, List.of(BIGINT, INTEGER), WindowFunction.OFFSET_COLUMN),
                function("lead", Type.BIGINT, WindowFunction.WHOLE_PARTITION, false, List.of(BIGINT, INTEGER), WindowFunction.OFFSET_COLUMN, -1L));
        List<List<Object>> result = run(rows, List.of(), List.of(SortKey.ascending(BIGINT)), functions, 4);
        assertThat(result).hasSize(10);
        for (int i = 0; i < 10; i++) {
            List<Object> row = result.get(i);
            assertThat(row.get(BIGINT)).isEqualTo((long) i);
            int offset = i % 3;
            // a NULL offset gives NULL, past the partition lag gives NULL and lead its default
            assertThat(row.get(TYPES.size())).as("lag of row %s", i).isEqualTo(i == 5 ? null : i - offset >= 0 ? (Object) (long) (i - offset) : null);
            assertThat(row.get(TYPES.size() + 1)).as("lead of row %s", i).isEqualTo(i == 5 ? null : i + offset < 10 ? (long) (i + offset) : -1L);
        }
        List<List<Object>> negative = List.of(Arrays.asList(1L, 1.0, "a", true, 1L, 1L, -1L, 1.0));
        assertThatThrownBy(() -> run(negative, List.of(), List.of(), List.of(functions.getFirst()), 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT))
                .hasMessageContaining("Offset must be at least 0");
    }

    @Test
    void errors()
    {
        List<List<Object>> rows = List.of(Arrays.asList(Long.MAX_VALUE, 1.0, "a", true, 1L, 1L, 1L, 1.0), Arrays.asList(1L, 1.0, "a", true, 1L, 1L, 1L, 1.0));
        assertThatThrownBy(() -> run(rows, List.of(), List.of(), List.of(function("median", Type.BIGINT, WindowFunction.WHOLE_PARTITION, BIGINT)), 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("median");
        assertThatThrownBy(() -> run(rows, List.of(), List.of(), List.of(function("lag", Type.BIGINT, WindowFunction.WHOLE_PARTITION, BIGINT, INTEGER, INTEGER)), 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        assertThatThrownBy(() -> run(rows, List.of(), List.of(), List.of(function("ntile", Type.BIGINT, WindowFunction.WHOLE_PARTITION, false, List.of(), 0L)), 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT));
        assertThatThrownBy(() -> run(rows, List.of(), List.of(), List.of(function("lag", Type.BIGINT, WindowFunction.WHOLE_PARTITION, false, List.of(BIGINT), -1L)), 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT));
        assertThatThrownBy(() -> run(rows, List.of(), List.of(SortKey.ascending(0), SortKey.ascending(1)),
                List.of(function("count", Type.BIGINT, frame(FrameType.RANGE, BoundType.PRECEDING, 1, BoundType.CURRENT_ROW, 0))), 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT));
        // the whole partition's sum overflows; a frame of one row does not
        assertThatThrownBy(() -> run(rows, List.of(), List.of(), List.of(function("sum", Type.BIGINT, WindowFunction.WHOLE_PARTITION, BIGINT)), 10))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("overflow");
        assertThat(run(rows, List.of(), List.of(), List.of(function("sum", Type.BIGINT, frame(FrameType.ROWS, BoundType.CURRENT_ROW, 0, BoundType.CURRENT_ROW, 0), BIGINT)), 10))
                .extracting(row -> row.get(TYPES.size()))
                .containsExactly(Long.MAX_VALUE, 1L);
    }

    @Test
    void cancellation()
    {
        OperatorContext context = context(1L << 30, Optional.empty());
        List<List<Object>> rows = SortTesting.randomRows(new Random(7), 1000);
        try (WindowOperator window = new WindowOperator(context, new BatchSource(allocator, TYPES, rows, 100), List.of(BIGINT), List.of(),
                List.of(function("row_number", Type.BIGINT, WindowFunction.DEFAULT_FRAME)))) {
            context.query().cancellation().cancel("Query was canceled");
            assertThatThrownBy(window::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }

    @Test
    void emptyInput()
    {
        assertThat(run(List.of(), List.of(BIGINT), List.of(SortKey.ascending(INTEGER)), rankingFunctions(), 10)).isEmpty();
    }
}
