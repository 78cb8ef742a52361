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
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

class SortOperatorTest
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
        // a leaked buffer fails here
        allocator.close();
    }

    private OperatorContext context(long limit, Optional<Path> spill)
    {
        OperatorContext context = OperatorContext.forTesting(allocator, limit, spill);
        contexts.add(context);
        return context;
    }

    private List<List<Object>> sort(List<List<Object>> rows, List<Type> types, List<SortKey> keys, int batchRows)
    {
        try (SortOperator sort = new SortOperator(context(1L << 32, Optional.empty()), new BatchSource(allocator, types, rows, batchRows), keys)) {
            return drain(sort);
        }
    }

    private static List<List<Object>> expected(List<List<Object>> rows, List<SortKey> keys)
    {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(SortTesting.comparator(keys));
        return copy;
    }

    @Test
    void nullOrderingAndDirection()
    {
        List<Type> types = List.of(Type.BIGINT);
        List<List<Object>> rows = Stream.of(3L, null, 1L, 2L, null).map(v -> Arrays.<Object>asList(v)).toList();
        assertThat(sort(rows, types, List.of(SortKey.ascending(0)), 2))
                .containsExactly(List.of(1L), List.of(2L), List.of(3L), Arrays.asList((Object) null), Arrays.asList((Object) null));
        assertThat(sort(rows, types, List.of(SortKey.descending(0)), 2))
                .containsExactly(List.of(3L), List.of(2L), List.of(1L), Arrays.asList((Object) null), Arrays.asList((Object) null));
        assertThat(sort(rows, types, List.of(new SortKey(0, true, true)), 2))
                .containsExactly(Arrays.asList((Object) null), Arrays.asList((Object) null), List.of(1L), List.of(2L), List.of(3L));
        assertThat(sort(rows, types, List.of(new SortKey(0, false, true)), 2))
                .containsExactly(Arrays.asList((Object) null), Arrays.asList((Object) null), List.of(3L), List.of(2L), List.of(1L));
    }

    @Test
    void nanSortsAboveEveryNumber()
    {
        List<Type> types = List.of(Type.DOUBLE);
        List<List<Object>> rows = Stream.of(Double.NaN, Double.POSITIVE_INFINITY, 1.0, null, Double.NEGATIVE_INFINITY).map(v -> Arrays.<Object>asList(v)).toList();
        assertThat(sort(rows, types, List.of(SortKey.ascending(0)), 10)).extracting(row -> row.get(0))
                .containsExactly(Double.NEGATIVE_INFINITY, 1.0, Double.POSITIVE_INFINITY, Double.NaN, null);
        assertThat(sort(rows, types, List.of(SortKey.descending(0)), 10)).extracting(row -> row.get(0))
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY, 1.0, Double.NEGATIVE_INFINITY, null);
    }

    @Test
    void varcharInCodePointOrder()
    {
        List<Type> types = List.of(Type.VARCHAR);
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD
        List<List<Object>> rows = Stream.of("\uD83D\uDE00", "\uFFFD", "b", "B", "", "ab", "a", "é").map(v -> Arrays.<Object>asList(v)).toList();
        assertThat(sort(rows, types, List.of(SortKey.ascending(0)), 3)).extracting(row -> row.get(0))
                .containsExactly("", "B", "a", "ab", "b", "é", "\uFFFD", "\uD83D\uDE00");
    }

    @Test
    void prefixTiesAndExtremes()
    {
        // first keys whose 64-bit prefixes tie: extreme longs next to NULLs, -0.0 and 0.0, strings sharing 8 bytes
        List<Type> types = List.of(Type.BIGINT, Type.DOUBLE, Type.VARCHAR, Type.BIGINT);
        List<List<Object>> rows = new ArrayList<>();
        Long[] longs = {Long.MIN_VALUE, Long.MAX_VALUE, null, 0L, -1L, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1};
        Double[] doubles = {-0.0, 0.0, Double.NaN, null, Double.MIN_VALUE, -Double.MIN_VALUE, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        String[] strings = {"abcdefgh", "abcdefghi", "abcdefgh\u0000", "abcdefg", "abcdefgi", null, "", "\u00ff\u00ff\u00ff\u00ff\u00ff"};
        for (int i = 0; i < 400; i++) {
            rows.add(Arrays.asList(longs[i % longs.length], doubles[(i / 3) % doubles.length], strings[(i / 7) % strings.length], (long) i));
        }
        for (boolean ascending : new boolean[] {true, false}) {
            for (boolean nullsFirst : new boolean[] {true, false}) {
                for (int column = 0; column < 3; column++) {
                    List<SortKey> keys = List.of(new SortKey(column, ascending, nullsFirst), new SortKey(3, !ascending, false));
                    assertThat(sort(rows, types, keys, 37)).as("keys %s", keys).isEqualTo(expected(rows, keys));
                    List<SortKey> single = List.of(new SortKey(column, ascending, nullsFirst));
                    assertThat(sort(rows, types, single, 37)).as("keys %s", single).isEqualTo(expected(rows, single));
                }
            }
        }
    }

    @Test
    void multiKeyAcrossBatches()
    {
        List<Type> types = List.of(Type.VARCHAR, Type.BIGINT, Type.BOOLEAN);
        List<List<Object>> rows = List.of(
                Arrays.asList("b", 1L, true), Arrays.asList("a", 2L, false), Arrays.asList("b", 0L, false),
                Arrays.asList("a", 2L, true), Arrays.asList(null, 5L, true), Arrays.asList("a", null, false));
        List<SortKey> keys = List.of(SortKey.ascending(0), new SortKey(1, false, true), SortKey.ascending(2));
        assertThat(sort(rows, types, keys, 4)).containsExactly(
                Arrays.asList("a", null, false), Arrays.asList("a", 2L, false), Arrays.asList("a", 2L, true),
                Arrays.asList("b", 1L, true), Arrays.asList("b", 0L, false), Arrays.asList(null, 5L, true));
    }

    @Test
    void decimalKeys()
    {
        Type type = new Type.Decimal(20, 2);
        BigDecimal[] values = {new BigDecimal("12.50"), new BigDecimal("-3.00"), null, new BigDecimal("123456789012345678.99"), new BigDecimal("-123456789012345678.99"), new BigDecimal("0.01")};
        VectorSchemaRoot batch = io.glaux.engine.operator.Batches.create(List.of(type), allocator);
        DecimalVector vector = (DecimalVector) batch.getVector(0);
        vector.allocateNew(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                vector.setNull(i);
            }
            else {
                vector.set(i, values[i]);
            }
        }
        vector.setValueCount(values.length);
        batch.setRowCount(values.length);
        List<BigDecimal> sorted = new ArrayList<>();
        try (SortOperator sort = new SortOperator(context(1L << 30, Optional.empty()), new OneBatch(batch, List.of(type)), List.of(SortKey.descending(0)))) {
            for (VectorSchemaRoot out = sort.next(); out != null; out = sort.next()) {
                try (VectorSchemaRoot owned = out) {
                    DecimalVector result = (DecimalVector) owned.getVector(0);
                    for (int i = 0; i < owned.getRowCount(); i++) {
                        sorted.add(result.getObject(i));
                    }
                }
            }
        }
        assertThat(sorted).containsExactly(new BigDecimal("123456789012345678.99"), new BigDecimal("12.50"), new BigDecimal("0.01"),
                new BigDecimal("-3.00"), new BigDecimal("-123456789012345678.99"), null);
    }

    @Test
    void randomized()
    {
        Random random = new Random(42);
        List<List<Object>> rows = SortTesting.randomRows(random, 50_000);
        for (int round = 0; round < 6; round++) {
            List<SortKey> keys = SortTesting.randomKeys(random, SortTesting.TYPES.size(), 1 + round % 4);
            assertThat(sort(rows, SortTesting.TYPES, keys, 1 + random.nextInt(5000)))
                    .as("keys %s", keys)
                    .isEqualTo(expected(rows, keys));
        }
    }

    @Test
    void externalSortSpillsAndMerges(@TempDir Path spill)
            throws Exception
    {
        Random random = new Random(7);
        List<List<Object>> rows = SortTesting.randomRows(random, 60_000);
        List<SortKey> keys = List.of(SortKey.descending(2), new SortKey(1, true, true), SortKey.ascending(0));
        OperatorContext context = context(3L << 20, Optional.of(spill));
        List<List<Object>> result;
        try (SortOperator sort = new SortOperator(context, new BatchSource(allocator, SortTesting.TYPES, rows, 1000), keys)) {
            result = drain(sort);
            assertThat(sort.spilledRuns()).isGreaterThan(1);
            try (Stream<Path> files = Files.list(spill)) {
                assertThat(files.count()).isEqualTo(sort.spilledRuns());
            }
        }
        assertThat(context.stats().spilledBytes()).isPositive();
        assertThat(result).isEqualTo(expected(rows, keys));
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void multiPassMergeOfManyRunsKeepsOrder(@TempDir Path spill)
            throws Exception
    {
        // a tiny limit: many runs, merged in several passes; every key type first, both directions and
        // both NULL orders; rows with equal keys must keep their input order (the reference sort is stable)
        List<List<Object>> rows = SortTesting.randomRows(new Random(11), 50_000);
        int columns = SortTesting.TYPES.size();
        for (int column = 0; column < columns; column++) {
            List<SortKey> keys = List.of(new SortKey(column, column % 2 == 1, column % 4 < 2), new SortKey((column + 3) % columns, column % 3 == 0, column % 3 != 1));
            OperatorContext context = context(2L << 20, Optional.of(spill));
            List<List<Object>> result;
            try (SortOperator sort = new SortOperator(context, new BatchSource(allocator, SortTesting.TYPES, rows, 500), keys)) {
                result = drain(sort);
                assertThat(sort.mergePasses()).as("keys %s", keys).isGreaterThan(1);
            }
            assertThat(result).as("keys %s", keys).isEqualTo(expected(rows, keys));
            try (Stream<Path> files = Files.list(spill)) {
                assertThat(files.toList()).isEmpty();
            }
        }
    }

    @Test
    void closingMidMergeDeletesSpillFiles(@TempDir Path spill)
            throws Exception
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(3), 30_000);
        try (SortOperator sort = new SortOperator(context(2L << 20, Optional.of(spill)), new BatchSource(allocator, SortTesting.TYPES, rows, 500), List.of(SortKey.ascending(0)))) {
            sort.next().close();
            assertThat(sort.spilledRuns()).isPositive();
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void exceedsMemoryLimitWithoutSpillDirectory()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(5), 60_000);
        try (SortOperator sort = new SortOperator(context(2L << 20, Optional.empty()), new BatchSource(allocator, SortTesting.TYPES, rows, 1000), List.of(SortKey.ascending(0)))) {
            assertThatThrownBy(sort::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT))
                    .hasMessageContaining("memory limit");
        }
    }

    @Test
    void cancellation()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(5), 10_000);
        OperatorContext context = context(1L << 30, Optional.empty());
        try (SortOperator sort = new SortOperator(context, new BatchSource(allocator, SortTesting.TYPES, rows, 1000), List.of(SortKey.ascending(0)))) {
            context.query().cancellation().cancel("Query was canceled");
            assertThatThrownBy(sort::next)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.USER_CANCELED));
        }
    }

    @Test
    void emptyInput()
    {
        assertThat(sort(List.of(), SortTesting.TYPES, List.of(SortKey.ascending(0)), 10)).isEmpty();
    }

    @Test
    void outputBatchesAreBounded()
    {
        List<List<Object>> rows = SortTesting.randomRows(new Random(1), 40_000);
        try (SortOperator sort = new SortOperator(context(1L << 32, Optional.empty()), new BatchSource(allocator, SortTesting.TYPES, rows, 40_000), List.of(SortKey.ascending(6)))) {
            int total = 0;
            for (VectorSchemaRoot batch = sort.next(); batch != null; batch = sort.next()) {
                try (VectorSchemaRoot owned = batch) {
                    assertThat(owned.getRowCount()).isBetween(1, ExternalSorter.OUTPUT_ROWS);
                    total += owned.getRowCount();
                }
            }
            assertThat(total).isEqualTo(40_000);
        }
    }

    /** Yields one prebuilt batch. */
    static final class OneBatch
            implements io.glaux.engine.operator.Operator
    {
        private VectorSchemaRoot batch;
        private final List<Type> types;

        OneBatch(VectorSchemaRoot batch, List<Type> types)
        {
            this.batch = batch;
            this.types = types;
        }

        @Override
        public List<Type> outputTypes()
        {
            return types;
        }

        @Override
        public VectorSchemaRoot next()
        {
            VectorSchemaRoot result = batch;
            batch = null;
            return result;
        }

        @Override
        public void close()
        {
            if (batch != null) {
                batch.close();
                batch = null;
            }
        }
    }
}
