package io.glaux.engine.operator;

import static io.glaux.engine.fragment.AggregateFunction.COUNT;
import static io.glaux.engine.fragment.AggregateFunction.COUNT_STAR;
import static io.glaux.engine.fragment.AggregateFunction.MAX;
import static io.glaux.engine.fragment.AggregateFunction.MIN;
import static io.glaux.engine.fragment.AggregateFunction.SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.DictionaryIds;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.engine.Reference;
import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.DomainExtractor;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

class FragmentRunnerTest
{
    /** The table: every split has these columns. */
    private static final List<ColumnHandle> TABLE = List.of(
            new ColumnHandle("status", Type.INTEGER, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("host", Type.VARCHAR, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("latency", Type.DOUBLE, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("dt", Type.DATE, ColumnHandle.Kind.PARTITION),
            new ColumnHandle("bytes", Type.BIGINT, ColumnHandle.Kind.REGULAR));

    /** A real in-memory PageSourceFactory: each split's rows as columns, served in fixed-size batches. */
    static final class ArrayPageSourceFactory
            implements PageSourceFactory
    {
        final Map<String, Object[][]> splits = new HashMap<>();
        final int batchRows;
        final List<TupleDomain> prunings = new ArrayList<>();
        int opened;
        int closed;
        /** whether varchar columns are granted as dictionary ids (every other batch: the others carry values) */
        boolean grantIds;
        int batchesAsIds;

        ArrayPageSourceFactory(int batchRows)
        {
            this.batchRows = batchRows;
        }

        Split add(String key, Object[][] columns)
        {
            splits.put(key, columns);
            return new Split("bucket", key, 0, 100, 100, 0, Map.of());
        }

        @Override
        public PageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
        {
            opened++;
            prunings.add(pruning);
            Object[][] data = splits.get(split.key());
            int[] indexes = columns.stream().mapToInt(c -> indexOf(c.name())).toArray();
            List<Type> types = columns.stream().map(ColumnHandle::type).toList();
            return new PageSource()
            {
                private int position;
                private long rows;
                private long batches;
                private final boolean[] asIds = new boolean[types.size()];
                private final DictionaryIds[] ids = new DictionaryIds[types.size()];

                @Override
                public boolean requestDictionaryIds(int column)
                {
                    if (!grantIds || !(types.get(column) instanceof Type.Varchar)) {
                        return false;
                    }
                    asIds[column] = true;
                    return true;
                }

                @Override
                public DictionaryIds dictionaryIds(int column)
                {
                    return ids[column];
                }

                @Override
                public VectorSchemaRoot nextBatch()
                {
                    int total = data[0].length;
                    Arrays.fill(ids, null);
                    if (position >= total) {
                        return null;
                    }
                    int to = Math.min(total, position + batchRows);
                    Object[][] slice = new Object[indexes.length][];
                    for (int c = 0; c < indexes.length; c++) {
                        slice[c] = Arrays.copyOfRange(data[indexes[c]], position, to);
                        if (asIds[c] && batches % 2 == 0) {
                            // the batch's distinct values, last seen first, as the dictionary; the vector all NULL
                            List<String> values = new ArrayList<>();
                            for (Object value : slice[c]) {
                                if (value != null && !values.contains(value)) {
                                    values.add(0, (String) value);
                                }
                            }
                            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                            int[] offsets = new int[values.size() + 1];
                            for (int v = 0; v < values.size(); v++) {
                                bytes.writeBytes(values.get(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                                offsets[v + 1] = bytes.size();
                            }
                            int[] rowIds = new int[slice[c].length];
                            for (int r = 0; r < rowIds.length; r++) {
                                rowIds[r] = slice[c][r] == null ? -1 : values.indexOf(slice[c][r]);
                            }
                            ids[c] = new DictionaryIds(new DictionaryIds.Dictionary(bytes.toByteArray(), offsets, values.size()), rowIds, rowIds.length);
                            slice[c] = new Object[slice[c].length];
                            batchesAsIds++;
                        }
                    }
                    batches++;
                    rows += to - position;
                    position = to;
                    return TestBatches.batch(allocator, types, slice);
                }

                @Override
                public long bytesRead()
                {
                    return rows * 10;
                }

                @Override
                public long rowsRead()
                {
                    return rows;
                }

                @Override
                public void close()
                {
                    closed++;
                }
            };
        }

        private static int indexOf(String name)
        {
            for (int i = 0; i < TABLE.size(); i++) {
                if (TABLE.get(i).name().equals(name.toLowerCase(Locale.ROOT))) {
                    return i;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    private BufferAllocator allocator;

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        allocator.close();
    }

    private static Object[][] table(int rows, long seed)
    {
        Random random = new Random(seed);
        String[] hosts = {"alpha", "beta", "gamma", "alfa", "é-host"};
        Object[][] columns = new Object[TABLE.size()][rows];
        for (int r = 0; r < rows; r++) {
            columns[0][r] = random.nextInt(10) == 0 ? null : (long) (200 + 100 * random.nextInt(4));
            columns[1][r] = random.nextInt(12) == 0 ? null : hosts[random.nextInt(hosts.length)];
            columns[2][r] = random.nextInt(9) == 0 ? null : random.nextInt(1000) / 4.0;
            columns[3][r] = (long) (19_700 + random.nextInt(3));
            columns[4][r] = random.nextInt(8) == 0 ? null : (long) random.nextInt(100_000);
        }
        return columns;
    }

    private static List<Object> row(Object[][] columns, int r)
    {
        return TestBatches.row(columns, r);
    }

    // scan columns: 0 host, 1 status, 2 latency, 3 dt, 4 bytes
    private static final List<ColumnHandle> SCAN = List.of(TABLE.get(1), TABLE.get(0), TABLE.get(2), TABLE.get(3), TABLE.get(4));

    private static InputRef scan(int index)
    {
        return new InputRef(index, SCAN.get(index).type());
    }

    private static Expression filter()
    {
        return new Call(Operator.AND, List.of(
                new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(scan(1), new Literal(300L, Type.INTEGER)), Type.BOOLEAN),
                new Call(Operator.LIKE, List.of(scan(0), new Literal("al%", Type.VARCHAR)), Type.BOOLEAN)), Type.BOOLEAN);
    }

    /** The scan-order row of a table row. */
    private static List<Object> scanRow(Object[][] table, int r)
    {
        List<Object> t = row(table, r);
        return Arrays.asList(t.get(1), t.get(0), t.get(2), t.get(3), t.get(4));
    }

    private static ScanFragment fragment(Optional<Expression> filter, List<Expression> projections, Optional<Aggregation> aggregation, OptionalLong limit)
    {
        return new ScanFragment("test.logs", "arrays", Map.of(), SCAN, filter, projections, aggregation,
                DomainExtractor.extract(filter, SCAN), limit);
    }

    @Test
    void filterAndProject()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(333);
        Object[][] first = table(2000, 1);
        Object[][] second = table(1500, 2);
        List<Split> splits = List.of(factory.add("a", first), factory.add("b", second));
        List<Expression> projections = List.of(
                scan(0),
                new Call(Operator.MULTIPLY, List.of(scan(2), new Literal(2L, Type.BIGINT)), Type.DOUBLE),
                scan(1),
                new Call(Operator.ADD, List.of(scan(4), scan(1)), Type.BIGINT),
                new Call(Operator.GREATER_THAN, List.of(scan(2), new Literal(100.0, Type.DOUBLE)), Type.BOOLEAN));
        ScanFragment fragment = fragment(Optional.of(filter()), projections, Optional.empty(), OptionalLong.empty());

        List<List<Object>> expected = new ArrayList<>();
        for (Object[][] table : List.of(first, second)) {
            for (int r = 0; r < table[0].length; r++) {
                List<Object> scanRow = scanRow(table, r);
                if (Boolean.TRUE.equals(Reference.eval(filter(), scanRow))) {
                    expected.add(projections.stream().map(p -> Reference.eval(p, scanRow)).toList());
                }
            }
        }

        List<List<Object>> actual = new ArrayList<>();
        try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
            assertThat(runner.outputSchema().getFields()).extracting(Field::getName).containsExactly("c0", "c1", "c2", "c3", "c4");
            for (Split split : splits) {
                runner.process(split, batch -> {
                    assertThat(batch.getSchema()).isEqualTo(runner.outputSchema());
                    actual.addAll(TestBatches.rows(batch));
                });
            }
            runner.finish(batch -> {
                throw new AssertionError("no aggregation: finish emits nothing");
            });
            assertThat(runner.rowsIn()).isEqualTo(3500);
            assertThat(runner.rowsOut()).isEqualTo(expected.size());
            assertThat(runner.bytesRead()).isEqualTo(35_000);
            assertThat(runner.allocatedBytes()).isZero();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(factory.opened).isEqualTo(2);
        assertThat(factory.closed).isEqualTo(2);
        assertThat(factory.prunings.getFirst().domains()).containsOnlyKeys("status");
    }

    @Test
    void aDynamicFilterDropsRowsAfterTheFilterWhileItIsSelective()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(1000);
        Object[][] rows = table(200_000, 6);
        Split split = factory.add("a", rows);
        // the build side's keys: bytes in a set (a few rows), then a set that keeps every row
        Expression fewKeys = new Call(Operator.IN, List.of(scan(4), new Literal(7L, Type.BIGINT), new Literal(99_999L, Type.BIGINT), new Literal(123L, Type.BIGINT)),
                Type.BOOLEAN);
        Expression everyKey = new Call(Operator.IN, List.of(scan(0), new Literal("alpha", Type.VARCHAR), new Literal("beta", Type.VARCHAR),
                new Literal("gamma", Type.VARCHAR), new Literal("alfa", Type.VARCHAR), new Literal("é-host", Type.VARCHAR)), Type.BOOLEAN);
        Expression statusFilter = new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(scan(1), new Literal(300L, Type.INTEGER)), Type.BOOLEAN);
        for (Expression dynamic : List.of(fewKeys, everyKey)) {
            ScanFragment fragment = fragment(Optional.of(statusFilter), List.of(scan(4), scan(1)), Optional.empty(), OptionalLong.empty())
                    .withDynamicFilter(Optional.of(dynamic));
            List<List<Object>> expected = new ArrayList<>();
            long filtered = 0;
            for (int r = 0; r < rows[0].length; r++) {
                List<Object> scanRow = scanRow(rows, r);
                if (Boolean.TRUE.equals(Reference.eval(statusFilter, scanRow))) {
                    if (Boolean.TRUE.equals(Reference.eval(dynamic, scanRow))) {
                        expected.add(Arrays.asList(scanRow.get(4), scanRow.get(1)));
                    }
                    else {
                        filtered++;
                    }
                }
            }
            List<List<Object>> actual = new ArrayList<>();
            try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
                runner.process(split, batch -> actual.addAll(TestBatches.rows(batch)));
                assertThat(runner.rowsIn()).isEqualTo(200_000);
                assertThat(runner.rowsOut()).isEqualTo(actual.size());
                if (dynamic == fewKeys) {
                    // a selective filter stays on to the end: only the rows with those keys come out
                    assertThat(actual).isEqualTo(expected).hasSizeLessThan(20);
                    assertThat(runner.rowsDynamicallyFiltered()).isEqualTo(filtered);
                }
                else {
                    // NULL hosts (1 in 12) fail it, the rest pass: past the sample it kept nearly every row and is dropped (the join
                    // drops what it would have), so rows it would have dropped come out
                    assertThat(actual.size()).isGreaterThan(expected.size());
                    assertThat(actual).containsAll(expected);
                    assertThat(runner.rowsDynamicallyFiltered()).isPositive().isLessThan(filtered);
                }
            }
        }
    }

    @Test
    void preparedSplitsAreReadOnceAndClosedWithTheRunner()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(100);
        Object[][] first = table(300, 3);
        Object[][] second = table(200, 4);
        Split a = factory.add("a", first);
        Split b = factory.add("b", second);
        Split unused = factory.add("c", table(50, 5));
        ScanFragment fragment = fragment(Optional.empty(), List.of(scan(1)), Optional.empty(), OptionalLong.empty());
        List<List<Object>> rows = new ArrayList<>();
        try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
            runner.prepare(a);
            runner.prepare(a);
            runner.prepare(unused);
            assertThat(factory.opened).isEqualTo(2);
            runner.process(a, batch -> rows.addAll(TestBatches.rows(batch)));
            // a split that was not prepared is opened by process itself
            runner.process(b, batch -> rows.addAll(TestBatches.rows(batch)));
            assertThat(factory.opened).isEqualTo(3);
            assertThat(factory.closed).isEqualTo(2);
        }
        // the prepared split never processed is closed with the runner
        assertThat(factory.closed).isEqualTo(3);
        assertThat(rows).hasSize(500);
    }

    @Test
    void partialAggregationOnTwoRunnersMergesToTheDirectResult()
    {
        Object[][] first = table(3000, 3);
        Object[][] second = table(2500, 4);
        // (a) projections are plain columns (aggregates straight from the scan batch); (b) computed projections
        List<List<Expression>> projectionSets = List.of(
                List.of(scan(0), scan(3), scan(1), scan(2), scan(4)),
                List.of(scan(0), scan(3), new Call(Operator.ADD, List.of(scan(1), new Literal(1L, Type.INTEGER)), Type.INTEGER),
                        new Call(Operator.MULTIPLY, List.of(scan(2), new Literal(0.5, Type.DOUBLE)), Type.DOUBLE), scan(4)));
        for (List<Expression> projections : projectionSets) {
            for (List<Integer> keys : List.of(List.of(0, 1), List.<Integer>of())) {
                Aggregation aggregation = new Aggregation(keys, List.of(
                        new AggregateCall(COUNT_STAR, -1, Type.BIGINT),
                        new AggregateCall(COUNT, 3, Type.BIGINT),
                        new AggregateCall(SUM, 2, Type.BIGINT),
                        new AggregateCall(SUM, 3, Type.DOUBLE),
                        new AggregateCall(MAX, 3, Type.DOUBLE),
                        new AggregateCall(MIN, 4, Type.BIGINT),
                        new AggregateCall(MAX, 0, Type.VARCHAR)));
                ScanFragment fragment = fragment(Optional.of(filter()), projections, Optional.of(aggregation), OptionalLong.empty());

                List<List<Object>> projected = new ArrayList<>();
                for (Object[][] table : List.of(first, second)) {
                    for (int r = 0; r < table[0].length; r++) {
                        List<Object> scanRow = scanRow(table, r);
                        if (Boolean.TRUE.equals(Reference.eval(filter(), scanRow))) {
                            projected.add(projections.stream().map(p -> Reference.eval(p, scanRow)).toList());
                        }
                    }
                }
                List<Type> projectionTypes = projections.stream().map(Expression::type).toList();
                List<List<Object>> expected = HashAggregatorTest.expected(projected, aggregation, projectionTypes);

                ArrayPageSourceFactory factory = new ArrayPageSourceFactory(512);
                Split a = factory.add("a", first);
                Split b = factory.add("b", second);
                List<Type> partialTypes = HashAggregatorTest.partialOutputTypes(aggregation, projectionTypes);
                try (HashAggregator merger = new HashAggregator(aggregation.finalStep(), partialTypes, allocator);
                        FragmentRunner one = new FragmentRunner(fragment, factory, allocator);
                        FragmentRunner two = new FragmentRunner(fragment, factory, allocator)) {
                    one.process(a, _ -> {
                        throw new AssertionError("partial aggregation emits at finish");
                    });
                    two.process(b, _ -> {
                        throw new AssertionError("partial aggregation emits at finish");
                    });
                    assertThat(one.outputSchema().getFields()).extracting(Field::getName).startsWith(keys.isEmpty() ? "a0" : "k0");
                    one.finish(batch -> {
                        assertThat(batch.getSchema()).isEqualTo(one.outputSchema());
                        merger.addInput(batch);
                    });
                    two.finish(merger::addInput);
                    assertThat(HashAggregatorTest.sorted(HashAggregatorTest.collect(merger))).isEqualTo(HashAggregatorTest.sorted(expected));
                }
            }
        }
    }

    @Test
    void groupKeyAsDictionaryIdsGivesTheSameGroups()
    {
        Object[][] first = table(3000, 6);
        Object[][] second = table(2500, 7);
        Expression statusFilter = new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(scan(1), new Literal(300L, Type.INTEGER)), Type.BOOLEAN);
        Expression extract = new FunctionCall("regexp_extract", List.of(scan(0), new Literal("^a(l|lf)", Type.VARCHAR)), Type.VARCHAR);
        List<AggregateCall> calls = List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT), new AggregateCall(SUM, 1, Type.BIGINT));
        record Case(String name, Optional<Expression> filter, List<Expression> projections, boolean ids) {}
        List<Case> cases = List.of(
                // GROUP BY host: the scan column itself
                new Case("column", Optional.of(statusFilter), List.of(scan(0), scan(4)), true),
                // GROUP BY regexp_extract(host, ...): computed once per dictionary entry (NULL results included)
                new Case("computed", Optional.empty(), List.of(extract, new Call(Operator.ADD, List.of(scan(4), new Literal(1L, Type.BIGINT)), Type.BIGINT)), true),
                // the filter reads host: values
                new Case("filtered on the key", Optional.of(filter()), List.of(scan(0), scan(4)), false),
                // another projection reads host: values
                new Case("read elsewhere", Optional.empty(), List.of(extract, new FunctionCall("length", List.of(scan(0)), Type.BIGINT)), false));
        for (Case test : cases) {
            ScanFragment fragment = fragment(test.filter(), test.projections(), Optional.of(new Aggregation(List.of(0), calls)), OptionalLong.empty());
            List<List<List<Object>>> results = new ArrayList<>();
            for (boolean grant : List.of(false, true)) {
                ArrayPageSourceFactory factory = new ArrayPageSourceFactory(400);
                factory.grantIds = grant;
                List<Split> splits = List.of(factory.add("a", first), factory.add("b", second));
                List<Type> partialTypes = HashAggregatorTest.partialOutputTypes(fragment.aggregation().get(), test.projections().stream().map(Expression::type).toList());
                try (HashAggregator merger = new HashAggregator(fragment.aggregation().get().finalStep(), partialTypes, allocator);
                        FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
                    for (Split split : splits) {
                        runner.process(split, merger::addInput);
                    }
                    runner.finish(merger::addInput);
                    results.add(HashAggregatorTest.sorted(HashAggregatorTest.collect(merger)));
                }
                assertThat(factory.batchesAsIds > 0).as(test.name()).isEqualTo(grant && test.ids());
            }
            assertThat(results.get(1)).as(test.name()).isEqualTo(results.get(0)).hasSizeGreaterThan(1);
        }
    }

    @Test
    void groupKeyFailingOnAFilteredOutDictionaryValueIsComputedRowByRow()
    {
        // CAST(host AS bigint) fails on 'x', whose rows the filter drops; the batches' dictionaries hold 'x'
        int rows = 2000;
        Object[][] table = new Object[TABLE.size()][rows];
        for (int r = 0; r < rows; r++) {
            boolean bad = r % 7 == 0;
            table[0][r] = bad ? 200L : 300L + r % 3 * 100;
            table[1][r] = bad ? "x" : r % 11 == 0 ? null : String.valueOf(r % 5);
            table[2][r] = 1.0;
            table[3][r] = 19_700L;
            table[4][r] = (long) r;
        }
        Expression statusFilter = new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(scan(1), new Literal(300L, Type.INTEGER)), Type.BOOLEAN);
        Expression key = new Call(Operator.CAST, List.of(new Call(Operator.CAST, List.of(scan(0)), Type.BIGINT)), Type.VARCHAR);
        Aggregation aggregation = new Aggregation(List.of(0), List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT), new AggregateCall(SUM, 1, Type.BIGINT)));
        ScanFragment fragment = fragment(Optional.of(statusFilter), List.of(key, scan(4)), Optional.of(aggregation), OptionalLong.empty());
        List<List<List<Object>>> results = new ArrayList<>();
        for (boolean grant : List.of(false, true)) {
            ArrayPageSourceFactory factory = new ArrayPageSourceFactory(300);
            factory.grantIds = grant;
            Split split = factory.add("a", table);
            List<Type> partialTypes = HashAggregatorTest.partialOutputTypes(aggregation, List.of(Type.VARCHAR, Type.BIGINT));
            try (HashAggregator merger = new HashAggregator(aggregation.finalStep(), partialTypes, allocator);
                    FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
                runner.process(split, merger::addInput);
                runner.finish(merger::addInput);
                results.add(HashAggregatorTest.sorted(HashAggregatorTest.collect(merger)));
            }
            assertThat(factory.batchesAsIds > 0).isEqualTo(grant);
        }
        assertThat(results.get(1)).isEqualTo(results.get(0)).hasSize(6);
    }

    @Test
    void partialAggregationPastItsBudgetSendsGroupsEarlyAndMergesToTheSameResult()
    {
        Object[][] table = table(3000, 5);
        List<Expression> projections = List.of(scan(0), scan(3), scan(1), scan(2), scan(4));
        Aggregation aggregation = new Aggregation(List.of(0, 1), List.of(
                new AggregateCall(COUNT_STAR, -1, Type.BIGINT),
                new AggregateCall(SUM, 2, Type.BIGINT),
                new AggregateCall(MAX, 3, Type.DOUBLE)));
        ScanFragment fragment = fragment(Optional.of(filter()), projections, Optional.of(aggregation), OptionalLong.empty());
        List<List<Object>> projected = new ArrayList<>();
        for (int r = 0; r < table[0].length; r++) {
            List<Object> scanRow = scanRow(table, r);
            if (Boolean.TRUE.equals(Reference.eval(filter(), scanRow))) {
                projected.add(projections.stream().map(p -> Reference.eval(p, scanRow)).toList());
            }
        }
        List<Type> projectionTypes = projections.stream().map(Expression::type).toList();
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(256);
        Split split = factory.add("a", table);
        int[] early = new int[1];
        try (HashAggregator merger = new HashAggregator(aggregation.finalStep(), HashAggregatorTest.partialOutputTypes(aggregation, projectionTypes), allocator);
                FragmentRunner runner = new FragmentRunner(fragment, factory, allocator, 1)) {
            runner.process(split, batch -> {
                early[0]++;
                merger.addInput(batch);
            });
            runner.finish(merger::addInput);
            assertThat(early[0]).isGreaterThan(1);
            assertThat(HashAggregatorTest.sorted(HashAggregatorTest.collect(merger)))
                    .isEqualTo(HashAggregatorTest.sorted(HashAggregatorTest.expected(projected, aggregation, projectionTypes)));
        }
    }

    @Test
    void limitStopsReading()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(100);
        Object[][] data = table(1000, 5);
        Split first = factory.add("a", data);
        Split second = factory.add("b", table(1000, 6));
        ScanFragment fragment = fragment(Optional.of(filter()), List.of(scan(1), scan(0)), Optional.empty(), OptionalLong.of(25));
        List<List<Object>> expected = new ArrayList<>();
        for (int r = 0; r < 1000 && expected.size() < 25; r++) {
            List<Object> scanRow = scanRow(data, r);
            if (Boolean.TRUE.equals(Reference.eval(filter(), scanRow))) {
                expected.add(List.of(scanRow.get(1), scanRow.get(0)));
            }
        }
        List<List<Object>> actual = new ArrayList<>();
        try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
            runner.process(first, batch -> actual.addAll(TestBatches.rows(batch)));
            assertThat(runner.isFinished()).isTrue();
            assertThat(runner.rowsIn()).isLessThan(1000);
            runner.process(second, batch -> actual.addAll(TestBatches.rows(batch)));
            assertThat(runner.rowsOut()).isEqualTo(25);
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(factory.opened).isEqualTo(1);
    }

    @Test
    void limitWithoutFilterTakesThePrefix()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(64);
        Object[][] data = table(500, 7);
        Split split = factory.add("a", data);
        ScanFragment fragment = fragment(Optional.empty(), List.of(scan(4)), Optional.empty(), OptionalLong.of(130));
        List<Object> actual = new ArrayList<>();
        try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
            runner.process(split, batch -> actual.addAll(TestBatches.column(batch, 0)));
            assertThat(runner.rowsIn()).isEqualTo(192);
        }
        assertThat(actual).isEqualTo(Arrays.asList(data[4]).subList(0, 130));
    }

    @Test
    void distinctWithLimitStopsOnceEnoughGroups()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(50);
        Split split = factory.add("a", table(1000, 8));
        ScanFragment fragment = fragment(Optional.empty(), List.of(scan(0)), Optional.of(new Aggregation(List.of(0), List.of())), OptionalLong.of(2));
        List<List<Object>> actual = new ArrayList<>();
        try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
            runner.process(split, _ -> {
            });
            assertThat(runner.isFinished()).isTrue();
            assertThat(runner.rowsIn()).isEqualTo(50);
            runner.finish(batch -> actual.addAll(TestBatches.rows(batch)));
        }
        assertThat(actual).hasSize(2);
    }

    @Test
    void globalAggregationWithoutSplitsEmitsOneRow()
    {
        ScanFragment fragment = fragment(Optional.empty(), List.of(scan(4)), Optional.of(new Aggregation(List.of(), List.of(
                new AggregateCall(COUNT_STAR, -1, Type.BIGINT), new AggregateCall(SUM, 0, Type.BIGINT)))), OptionalLong.empty());
        List<List<Object>> actual = new ArrayList<>();
        try (FragmentRunner runner = new FragmentRunner(fragment, new ArrayPageSourceFactory(10), allocator)) {
            runner.finish(batch -> actual.addAll(TestBatches.rows(batch)));
            runner.finish(batch -> actual.addAll(TestBatches.rows(batch)));
            assertThat(runner.rowsOut()).isEqualTo(1);
        }
        assertThat(actual).containsExactly(Arrays.asList(0L, null));
    }

    @Test
    void failuresReleaseEverything()
    {
        ArrayPageSourceFactory factory = new ArrayPageSourceFactory(100);
        Split split = factory.add("a", table(1000, 9));
        ScanFragment fragment = fragment(Optional.empty(), List.of(scan(0), new Call(Operator.CAST, List.of(scan(0)), Type.BIGINT)), Optional.empty(), OptionalLong.empty());
        try (FragmentRunner runner = new FragmentRunner(fragment, factory, allocator)) {
            assertThatThrownBy(() -> runner.process(split, _ -> {
            })).hasMessageContaining("Cannot cast");
            assertThat(runner.allocatedBytes()).isZero();
        }
        ScanFragment plain = fragment(Optional.empty(), List.of(scan(0)), Optional.empty(), OptionalLong.empty());
        try (FragmentRunner runner = new FragmentRunner(plain, factory, allocator)) {
            assertThatThrownBy(() -> runner.process(split, _ -> {
                throw new IllegalStateException("sink failed");
            })).hasMessage("sink failed");
            assertThat(runner.allocatedBytes()).isZero();
        }
        assertThat(factory.closed).isEqualTo(factory.opened);
    }
}
