package io.glaux.engine.operator;

import static io.glaux.engine.fragment.AggregateFunction.COUNT;
import static io.glaux.engine.fragment.AggregateFunction.COUNT_STAR;
import static io.glaux.engine.fragment.AggregateFunction.MAX;
import static io.glaux.engine.fragment.AggregateFunction.MIN;
import static io.glaux.engine.fragment.AggregateFunction.SUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.DictionaryIds;
import io.glaux.engine.Reference;
import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.SqlTypes;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

class HashAggregatorTest
{
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

    private static final List<Type> KEY_TYPES = List.of(
            Type.BOOLEAN, Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE, Type.DATE, Type.TIMESTAMP, Type.VARCHAR);

    // ------------------------------------------------------------------ expected results, row at a time

    /** Aggregates rows (lists of values) the slow way. */
    static List<List<Object>> expected(List<List<Object>> rows, Aggregation aggregation, List<Type> inputTypes)
    {
        Map<List<Object>, List<Object>> groups = new LinkedHashMap<>();
        if (aggregation.groupKeys().isEmpty()) {
            groups.put(List.of(), initial(aggregation));
        }
        for (List<Object> row : rows) {
            List<Object> key = new ArrayList<>();
            for (int k : aggregation.groupKeys()) {
                Object v = row.get(k);
                key.add(v instanceof Double d && d == 0 ? (Object) 0.0 : v);
            }
            List<Object> state = groups.computeIfAbsent(key, _ -> initial(aggregation));
            for (int a = 0; a < aggregation.aggregates().size(); a++) {
                AggregateCall call = aggregation.aggregates().get(a);
                Object v = call.input() < 0 ? null : row.get(call.input());
                Object current = state.get(a);
                state.set(a, switch (call.function()) {
                    case COUNT_STAR -> (Long) current + 1;
                    case COUNT -> v == null ? current : (Long) current + 1;
                    case SUM -> v == null ? current : current == null ? v
                            : call.outputType().equals(Type.DOUBLE) ? (Object) (((Number) current).doubleValue() + ((Number) v).doubleValue()) : (Object) ((Long) current + (Long) v);
                    case MIN, MAX -> {
                        if (v == null) {
                            yield current;
                        }
                        if (current == null) {
                            yield v;
                        }
                        int c = v instanceof Double x ? Double.compare(x, (Double) current) : Reference.compare(v, current);
                        yield (call.function() == MIN ? c < 0 : c > 0) ? v : current;
                    }
                    default -> throw new IllegalArgumentException(call.function().name());
                });
            }
        }
        List<List<Object>> result = new ArrayList<>();
        for (Map.Entry<List<Object>, List<Object>> entry : groups.entrySet()) {
            List<Object> row = new ArrayList<>(entry.getKey());
            for (int a = 0; a < aggregation.aggregates().size(); a++) {
                Object v = entry.getValue().get(a);
                if (v instanceof Long l && aggregation.aggregates().get(a).outputType().equals(Type.DOUBLE)) {
                    v = (double) l;
                }
                row.add(v);
            }
            result.add(row);
        }
        return result;
    }

    private static List<Object> initial(Aggregation aggregation)
    {
        List<Object> state = new ArrayList<>();
        for (AggregateCall call : aggregation.aggregates()) {
            state.add(call.function() == COUNT_STAR || call.function() == COUNT ? (Object) 0L : null);
        }
        return state;
    }

    static List<List<Object>> collect(HashAggregator aggregator)
    {
        List<List<Object>> rows = new ArrayList<>();
        aggregator.emit(batch -> rows.addAll(TestBatches.rows(batch)));
        return rows;
    }

    static Comparator<List<Object>> rowOrder()
    {
        return (a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                Object x = a.get(i);
                Object y = b.get(i);
                if (x == null || y == null) {
                    if (x != y) {
                        return x == null ? -1 : 1;
                    }
                    continue;
                }
                int c = x instanceof Double u ? Double.compare(u, (Double) y) : Reference.compare(x, y);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    static List<List<Object>> sorted(List<List<Object>> rows)
    {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(rowOrder());
        return copy;
    }

    /** Adds the rows in batches of {@code batchRows}, each filtered to every other row when {@code sparse}. */
    private void addRows(HashAggregator aggregator, List<Type> types, Object[][] columns, int batchRows, boolean sparse, List<List<Object>> added)
    {
        int rows = columns[0].length;
        for (int from = 0; from < rows; from += batchRows) {
            int to = Math.min(rows, from + batchRows);
            Object[][] slice = new Object[columns.length][];
            for (int c = 0; c < columns.length; c++) {
                slice[c] = Arrays.copyOfRange(columns[c], from, to);
            }
            try (VectorSchemaRoot batch = TestBatches.batch(allocator, types, slice)) {
                if (sparse) {
                    int[] positions = new int[to - from];
                    int count = 0;
                    for (int r = 0; r < to - from; r += 2) {
                        positions[count++] = r;
                        added.add(TestBatches.row(slice, r));
                    }
                    aggregator.addInput(batch, positions, count);
                }
                else {
                    aggregator.addInput(batch);
                    for (int r = 0; r < to - from; r++) {
                        added.add(TestBatches.row(slice, r));
                    }
                }
            }
        }
    }

    private static Object[] halves(int rows, Random random, boolean integral)
    {
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextInt(6) == 0 ? null : integral ? (Object) (long) (random.nextInt(2001) - 1000) : (Object) ((random.nextInt(2001) - 1000) / 2.0);
        }
        return values;
    }

    private static Object[] strings(int rows, Random random)
    {
        String[] pool = {"", "a", "ab", "b", "é", "😀", "zz", "a\u0000", "longer value than the others"};
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextInt(7) == 0 ? null : pool[random.nextInt(pool.length)];
        }
        return values;
    }

    private static Object[] keys(Type type, int rows, Random random)
    {
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = random.nextInt(10) == 0 ? null : io.glaux.engine.expr.RandomDataAccess.value(type, random);
        }
        return values;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void groupsByEveryScalarTypeWithNulls()
    {
        for (Type keyType : KEY_TYPES) {
            Random random = new Random(keyType.trinoName().hashCode());
            int rows = 3000;
            List<Type> types = List.of(keyType, Type.BIGINT, Type.DOUBLE, Type.VARCHAR, Type.INTEGER, Type.REAL);
            Object[][] columns = {keys(keyType, rows, random), halves(rows, random, true), halves(rows, random, false), strings(rows, random),
                    halves(rows, random, true), halves(rows, random, false)};
            List<AggregateCall> calls = new ArrayList<>(List.of(
                    new AggregateCall(COUNT_STAR, -1, Type.BIGINT),
                    new AggregateCall(COUNT, 1, Type.BIGINT),
                    new AggregateCall(COUNT, 0, Type.BIGINT),
                    new AggregateCall(SUM, 1, Type.BIGINT),
                    new AggregateCall(SUM, 4, Type.BIGINT),
                    new AggregateCall(SUM, 2, Type.DOUBLE),
                    new AggregateCall(SUM, 5, Type.DOUBLE),
                    new AggregateCall(MIN, 1, Type.BIGINT),
                    new AggregateCall(MAX, 2, Type.DOUBLE),
                    new AggregateCall(MIN, 3, Type.VARCHAR),
                    new AggregateCall(MAX, 3, Type.VARCHAR),
                    new AggregateCall(MIN, 0, keyType),
                    new AggregateCall(MAX, 0, keyType),
                    new AggregateCall(MAX, 5, Type.REAL)));
            Aggregation aggregation = new Aggregation(List.of(0), calls);
            try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator, 7)) {
                List<List<Object>> added = new ArrayList<>();
                addRows(aggregator, types, columns, 1024, keyType.equals(Type.BIGINT), added);
                List<List<Object>> actual = collect(aggregator);
                assertThat(sorted(actual)).as("group by %s", keyType.trinoName()).isEqualTo(sorted(expected(added, aggregation, types)));
                assertThat(aggregator.groupCount()).isEqualTo(actual.size());
            }
        }
    }

    @Test
    void varcharKeyAsDictionaryIdsTakesTheSameGroups()
    {
        // batches whose only key comes as ids into a dictionary (two dictionaries listing the values in
        // different orders, NULL as a negative id) and batches carrying the values take the same groups
        String[] pool = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "", "a", "é😀", "Googlebot/2.1", "abcdefgh"};
        List<Type> types = List.of(Type.VARCHAR, Type.BIGINT);
        Aggregation aggregation = new Aggregation(List.of(0), List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT), new AggregateCall(SUM, 1, Type.BIGINT)));
        DictionaryIds.Dictionary forward = dictionary(pool);
        List<String> reversed = new ArrayList<>(Arrays.asList(pool));
        java.util.Collections.reverse(reversed);
        DictionaryIds.Dictionary backward = dictionary(reversed.toArray(String[]::new));
        Random random = new Random(7);
        List<List<Object>> added = new ArrayList<>();
        try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
            assertThat(aggregator.acceptsDictionaryKey()).isTrue();
            for (int b = 0; b < 12; b++) {
                int rows = 500;
                Object[] keys = new Object[rows];
                Object[] values = new Object[rows];
                int[] ids = new int[rows];
                DictionaryIds.Dictionary dictionary = b % 3 == 2 ? backward : forward;
                for (int r = 0; r < rows; r++) {
                    // the first batches without the pool's last value, so that it first appears as an id
                    int v = random.nextInt(b < 2 ? pool.length - 1 : pool.length);
                    boolean isNull = random.nextInt(9) == 0;
                    keys[r] = isNull ? null : pool[v];
                    values[r] = (long) random.nextInt(100);
                    ids[r] = isNull ? -1 : dictionary == forward ? v : pool.length - 1 - v;
                }
                boolean asIds = b % 4 != 3;
                Object[] vectorKeys = asIds ? new Object[rows] : keys;
                int[] positions = new int[rows];
                int count = 0;
                for (int r = 0; r < rows; r += 1 + (b % 2)) {
                    positions[count++] = r;
                    added.add(Arrays.asList(keys[r], values[r]));
                }
                try (VectorSchemaRoot batch = TestBatches.batch(allocator, types, vectorKeys, values)) {
                    aggregator.addInput(batch, positions, count, asIds ? new DictionaryIds(dictionary, ids, rows) : null);
                }
            }
            List<List<Object>> actual = collect(aggregator);
            assertThat(sorted(actual)).isEqualTo(sorted(expected(added, aggregation, types)));
            assertThat(actual).hasSize(pool.length + 1);
        }
        // a key an aggregate reads, or two keys: no ids
        Aggregation reads = new Aggregation(List.of(0), List.of(new AggregateCall(COUNT, 0, Type.BIGINT)));
        Aggregation twoKeys = new Aggregation(List.of(0, 1), List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT)));
        for (Aggregation refused : List.of(reads, twoKeys)) {
            try (HashAggregator aggregator = new HashAggregator(refused, types, allocator);
                    VectorSchemaRoot batch = TestBatches.batch(allocator, types, new Object[] {null}, new Object[] {1L})) {
                assertThat(aggregator.acceptsDictionaryKey()).isFalse();
                assertThatThrownBy(() -> aggregator.addInput(batch, new int[] {0}, 1, new DictionaryIds(forward, new int[] {0}, 1)))
                        .isInstanceOf(IllegalStateException.class);
            }
        }
    }

    private static DictionaryIds.Dictionary dictionary(String[] values)
    {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int[] offsets = new int[values.length + 1];
        for (int i = 0; i < values.length; i++) {
            bytes.writeBytes(values[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            offsets[i + 1] = bytes.size();
        }
        return new DictionaryIds.Dictionary(bytes.toByteArray(), offsets, values.length);
    }

    @Test
    void varcharKeyCacheNeverMergesDifferentValues()
    {
        // one varchar key goes through a cache indexed by length and first/last 8 bytes: values that differ
        // only in the middle share a cache slot; a stretch of many distinct values turns the cache off, a
        // stretch of few turns it on again; NULLs, empty and short values take the same groups either way
        String prefix = "Mozilla/5.0 (Windows NT 10.0; ";
        String suffix = ") AppleWebKit/537.36 Safari/537.36";
        String[] few = {prefix + "Win64" + suffix, prefix + "Win32" + suffix, prefix + "ARM64" + suffix, "curl/8.5.0", "", "a", "abcdefg", "abcdefgh",
                "abcdefgX", "Xbcdefgh", "é😀"};
        Random random = new Random(21);
        int rows = 40_000;
        Object[] keys = new Object[rows];
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            boolean manyDistinct = (i / 5000) % 2 == 1;
            keys[i] = random.nextInt(20) == 0 ? null
                    : manyDistinct && random.nextInt(4) != 0 ? prefix + random.nextInt(20_000) + suffix : few[random.nextInt(few.length)];
            values[i] = (long) random.nextInt(100);
        }
        List<Type> types = List.of(Type.VARCHAR, Type.BIGINT);
        Aggregation aggregation = new Aggregation(List.of(0), List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT), new AggregateCall(SUM, 1, Type.BIGINT)));
        for (boolean sparse : new boolean[] {false, true}) {
            try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
                List<List<Object>> added = new ArrayList<>();
                addRows(aggregator, types, new Object[][] {keys, values}, 100, sparse, added);
                List<List<Object>> actual = collect(aggregator);
                assertThat(sorted(actual)).isEqualTo(sorted(expected(added, aggregation, types)));
                assertThat(aggregator.groupCount()).isEqualTo(actual.size());
            }
        }
    }

    @Test
    void runsOfOneIntegerKeyTakeTheirOwnGroups()
    {
        // the single integer key path reuses the previous row's group for a run of one value: runs, single
        // values between them, 0 (the initial "last value") and values whose hashes share a slot
        Random random = new Random(4);
        int rows = 20_000;
        Object[] keys = new Object[rows];
        Object[] values = new Object[rows];
        long current = 0;
        for (int i = 0; i < rows; i++) {
            if (random.nextInt(8) == 0) {
                current = random.nextInt(3) == 0 ? 0 : random.nextInt(500) * 1024L;
            }
            keys[i] = current;
            values[i] = (long) random.nextInt(1000);
        }
        List<Type> types = List.of(Type.BIGINT, Type.BIGINT);
        Aggregation aggregation = new Aggregation(List.of(0), List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT), new AggregateCall(SUM, 1, Type.BIGINT)));
        for (boolean sparse : new boolean[] {false, true}) {
            try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
                List<List<Object>> added = new ArrayList<>();
                addRows(aggregator, types, new Object[][] {keys, values}, 1000, sparse, added);
                List<List<Object>> actual = collect(aggregator);
                assertThat(sorted(actual)).isEqualTo(sorted(expected(added, aggregation, types)));
            }
        }
    }

    @Test
    void compositeKeys()
    {
        Random random = new Random(9);
        int rows = 5000;
        List<Type> types = List.of(Type.VARCHAR, Type.BIGINT, Type.BOOLEAN, Type.DOUBLE);
        Object[][] columns = {strings(rows, random), keys(Type.TINYINT, rows, random), keys(Type.BOOLEAN, rows, random), halves(rows, random, false)};
        Aggregation aggregation = new Aggregation(List.of(2, 0, 1), List.of(
                new AggregateCall(COUNT_STAR, -1, Type.BIGINT),
                new AggregateCall(SUM, 3, Type.DOUBLE),
                new AggregateCall(MAX, 0, Type.VARCHAR)));
        try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
            List<List<Object>> added = new ArrayList<>();
            addRows(aggregator, types, columns, 999, true, added);
            assertThat(sorted(collect(aggregator))).isEqualTo(sorted(expected(added, aggregation, types)));
            assertThat(aggregator.outputSchema().getFields()).extracting(f -> f.getName()).containsExactly("k0", "k1", "k2", "a0", "a1", "a2");
        }
    }

    @Test
    void globalAggregationHasOneRowEvenWithoutInput()
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR);
        Aggregation aggregation = new Aggregation(List.of(), List.of(
                new AggregateCall(COUNT_STAR, -1, Type.BIGINT),
                new AggregateCall(COUNT, 0, Type.BIGINT),
                new AggregateCall(SUM, 0, Type.BIGINT),
                new AggregateCall(MIN, 1, Type.VARCHAR)));
        try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
            assertThat(collect(aggregator)).containsExactly(Arrays.asList(0L, 0L, null, null));
        }
        try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
            List<List<Object>> added = new ArrayList<>();
            addRows(aggregator, types, new Object[][] {{1L, null, 5L}, {"b", "a", null}}, 2, false, added);
            assertThat(collect(aggregator)).containsExactly(Arrays.asList(3L, 2L, 6L, "a"));
        }
    }

    @Test
    void groupedAggregationWithoutInputHasNoRows()
    {
        try (HashAggregator aggregator = new HashAggregator(new Aggregation(List.of(0), List.of(new AggregateCall(COUNT_STAR, -1, Type.BIGINT))), List.of(Type.VARCHAR), allocator)) {
            assertThat(collect(aggregator)).isEmpty();
        }
    }

    @Test
    void partialResultsMergeToTheDirectResult()
    {
        for (List<Integer> groupKeys : List.of(List.of(0, 1), List.<Integer>of())) {
            Random random = new Random(21);
            int rows = 6000;
            List<Type> types = List.of(Type.VARCHAR, Type.DATE, Type.BIGINT, Type.DOUBLE, Type.INTEGER);
            Object[][] columns = {strings(rows, random), keys(Type.DATE, rows, random), halves(rows, random, true), halves(rows, random, false), halves(rows, random, true)};
            Aggregation partial = new Aggregation(groupKeys, List.of(
                    new AggregateCall(COUNT_STAR, -1, Type.BIGINT),
                    new AggregateCall(COUNT, 2, Type.BIGINT),
                    new AggregateCall(SUM, 2, Type.BIGINT),
                    new AggregateCall(SUM, 4, Type.BIGINT),
                    new AggregateCall(SUM, 3, Type.DOUBLE),
                    new AggregateCall(MIN, 3, Type.DOUBLE),
                    new AggregateCall(MAX, 0, Type.VARCHAR),
                    new AggregateCall(MIN, 1, Type.DATE)));
            List<List<Object>> direct;
            try (HashAggregator aggregator = new HashAggregator(partial, types, allocator)) {
                addRows(aggregator, types, columns, 1000, false, new ArrayList<>());
                direct = collect(aggregator);
            }
            Aggregation finalStep = partial.finalStep();
            try (HashAggregator merger = new HashAggregator(finalStep, partialOutputTypes(partial, types), allocator, 100)) {
                for (int part = 0; part < 3; part++) {
                    Object[][] slice = new Object[columns.length][];
                    for (int c = 0; c < columns.length; c++) {
                        slice[c] = Arrays.copyOfRange(columns[c], part * 2000, (part + 1) * 2000);
                    }
                    try (HashAggregator partialAggregator = new HashAggregator(partial, types, allocator, 50)) {
                        addRows(partialAggregator, types, slice, 700, false, new ArrayList<>());
                        partialAggregator.emit(merger::addInput);
                    }
                }
                assertThat(sorted(collect(merger))).isEqualTo(sorted(direct));
            }
        }
    }

    static List<Type> partialOutputTypes(Aggregation aggregation, List<Type> inputTypes)
    {
        List<Type> types = new ArrayList<>();
        for (int key : aggregation.groupKeys()) {
            types.add(inputTypes.get(key));
        }
        for (AggregateCall call : aggregation.aggregates()) {
            types.add(call.outputType());
        }
        return types;
    }

    @Test
    void manyGroupsAcrossManyOutputBatches()
    {
        int rows = 300_000;
        Object[] keys = new Object[rows];
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            keys[i] = (long) (i % 100_003) * 7919;
            values[i] = 1L;
        }
        List<Type> types = List.of(Type.BIGINT, Type.BIGINT);
        Aggregation aggregation = new Aggregation(List.of(0), List.of(new AggregateCall(SUM, 1, Type.BIGINT)));
        try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator, 4096)) {
            addRows(aggregator, types, new Object[][] {keys, values}, 65_536, false, new ArrayList<>());
            Map<Object, Object> sums = new HashMap<>();
            int[] batches = {0};
            aggregator.emit(batch -> {
                batches[0]++;
                assertThat(batch.getRowCount()).isLessThanOrEqualTo(4096);
                for (List<Object> row : TestBatches.rows(batch)) {
                    assertThat(sums.put(row.get(0), row.get(1))).isNull();
                }
            });
            assertThat(sums).hasSize(100_003);
            assertThat(batches[0]).isEqualTo((100_003 + 4095) / 4096);
            assertThat(sums.get(0L)).isEqualTo(3L);
            assertThat(sums.get(100_002L * 7919)).isEqualTo(2L);
            assertThat(aggregator.estimatedSizeInBytes()).isPositive();
        }
    }

    @Test
    void varcharMinMaxReplacesValuesManyTimes()
    {
        int rows = 20_000;
        Object[] keys = new Object[rows];
        Object[] values = new Object[rows];
        for (int i = 0; i < rows; i++) {
            keys[i] = (long) (i % 10);
            values[i] = "v".repeat(1 + i / 10 % 50) + i;
        }
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR);
        Aggregation aggregation = new Aggregation(List.of(0), List.of(new AggregateCall(MAX, 1, Type.VARCHAR), new AggregateCall(MIN, 1, Type.VARCHAR)));
        try (HashAggregator aggregator = new HashAggregator(aggregation, types, allocator)) {
            List<List<Object>> added = new ArrayList<>();
            addRows(aggregator, types, new Object[][] {keys, values}, 100, false, added);
            assertThat(sorted(collect(aggregator))).isEqualTo(sorted(expected(added, aggregation, types)));
        }
    }

    @Test
    void unsupportedAggregations()
    {
        assertThatThrownBy(() -> new HashAggregator(new Aggregation(List.of(0), List.of()), List.of(new Type.Array(Type.BIGINT)), allocator))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        assertThatThrownBy(() -> new HashAggregator(new Aggregation(List.of(), List.of(new AggregateCall(SUM, 0, Type.BIGINT))), List.of(Type.VARCHAR), allocator))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        assertThatThrownBy(() -> new HashAggregator(new Aggregation(List.of(), List.of(new AggregateCall(SUM, 0, Type.BIGINT))), List.of(Type.DOUBLE), allocator))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        // COUNT works on any type: only NULLs are read
        try (HashAggregator aggregator = new HashAggregator(new Aggregation(List.of(), List.of(new AggregateCall(COUNT, 0, Type.BIGINT))), List.of(new Type.Decimal(10, 2)), allocator)) {
            assertThat(collect(aggregator)).containsExactly(List.of(0L));
        }
    }

    @Test
    void sumOverflowFails()
    {
        List<Type> types = List.of(Type.BIGINT);
        try (HashAggregator aggregator = new HashAggregator(new Aggregation(List.of(), List.of(new AggregateCall(SUM, 0, Type.BIGINT))), types, allocator)) {
            assertThatThrownBy(() -> addRows(aggregator, types, new Object[][] {{Long.MAX_VALUE, 1L}}, 10, false, new ArrayList<>()))
                    .isInstanceOf(GlauxException.class)
                    .extracting(e -> ((GlauxException) e).errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE);
        }
    }

    @Test
    void finalStepMergesWithTheSameCalls()
    {
        Aggregation partial = new Aggregation(List.of(3, 1), List.of(new AggregateCall(SUM, 0, Type.BIGINT), new AggregateCall(COUNT_STAR, -1, Type.BIGINT)));
        Aggregation merge = partial.finalStep();
        assertThat(merge.groupKeys()).containsExactly(0, 1);
        assertThat(merge.aggregates()).isEqualTo(partial.aggregates());
        assertThat(merge.step()).isEqualTo(io.glaux.engine.plan.PlanNode.Step.FINAL);
        assertThat(SqlTypes.isIntegral(Type.BIGINT)).isTrue();
    }
}
