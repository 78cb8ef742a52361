package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.engine.operator.Batches;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * The collecting aggregates keep only what their results need: the n first tuples of min/max(x, n) and
 * min/max_by(x, y, n), the distinct keys of set_agg and map_agg, one counted tuple per value of
 * histogram, the capacity most frequent values of approx_most_frequent, while the results stay those of
 * every tuple; map_agg keeps each key's first value, multimap_agg each key's values in arrival order.
 */
class CollectedAggregateTest
{
    private static final int ROWS = 20_000;
    private static final int BATCH = 500;
    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void tearDown()
    {
        allocator.close();
    }

    @Test
    void maxNKeepsOnlyNPerGroup()
    {
        // max(x, 3) over 20,000 values in 4 groups: x = i * 7919 mod 20011
        CollectedAggregate aggregate = new CollectedAggregate(CollectedAggregate.Kind.MAX_N, List.of(Type.BIGINT, Type.BIGINT), new Type.Array(Type.BIGINT));
        long bounded = feed(aggregate, List.of(i -> i * 7919 % 20011, i -> 3));
        assertThat(aggregate.compactions()).isPositive();
        // the state holds about 4 groups × 3 tuples, not 20,000
        assertThat(bounded).isLessThan(1024 + BATCH);
        List<Object> results = results(aggregate, new Type.Array(Type.BIGINT));
        for (int g = 0; g < 4; g++) {
            List<Long> values = new ArrayList<>();
            for (int i = g; i < ROWS; i += 4) {
                values.add((long) i * 7919 % 20011);
            }
            values.sort(java.util.Comparator.reverseOrder());
            assertThat(results.get(g)).asString().isEqualTo(values.subList(0, 3).toString().replace(" ", ""));
        }
    }

    @Test
    void minByNKeepsTheValuesOfTheNSmallestKeys()
    {
        // min_by(x, y, 2): x = i, y = (i * 31) mod 1000 (ties: the earlier row first)
        CollectedAggregate aggregate = new CollectedAggregate(CollectedAggregate.Kind.MIN_BY_N, List.of(Type.BIGINT, Type.BIGINT, Type.BIGINT), new Type.Array(Type.BIGINT));
        feed(aggregate, List.of(i -> i, i -> i * 31 % 1000, i -> 2));
        assertThat(aggregate.compactions()).isPositive();
        List<Object> results = results(aggregate, new Type.Array(Type.BIGINT));
        for (int g = 0; g < 4; g++) {
            List<long[]> rows = new ArrayList<>();
            for (int i = g; i < ROWS; i += 4) {
                rows.add(new long[] {i, i * 31L % 1000});
            }
            rows.sort(java.util.Comparator.comparingLong(row -> row[1]));
            assertThat(results.get(g)).asString().isEqualTo("[" + rows.get(0)[0] + "," + rows.get(1)[0] + "]");
        }
    }

    @Test
    void setAggKeepsDistinctKeysInFirstSeenOrder()
    {
        CollectedAggregate aggregate = new CollectedAggregate(CollectedAggregate.Kind.SET_AGG, List.of(Type.BIGINT), new Type.Array(Type.BIGINT));
        long size = feed(aggregate, List.of(i -> (i / 4) % 10 * 3));
        assertThat(aggregate.compactions()).isPositive();
        assertThat(size).isLessThan(1024 + BATCH);
        for (Object result : results(aggregate, new Type.Array(Type.BIGINT))) {
            assertThat(result).asString().isEqualTo("[0,3,6,9,12,15,18,21,24,27]");
        }
    }

    @Test
    void mapAggKeepsEachKeysFirstValueAndMultimapAggAllInOrder()
    {
        Type map = new Type.MapType(Type.BIGINT, Type.BIGINT);
        CollectedAggregate first = new CollectedAggregate(CollectedAggregate.Kind.MAP_AGG, List.of(Type.BIGINT, Type.BIGINT), map);
        feed(first, List.of(i -> (i / 4) % 5, i -> i));
        assertThat(first.compactions()).isPositive();
        List<Object> firsts = results(first, map);
        for (int g = 0; g < 4; g++) {
            Map<Long, Long> expected = new LinkedHashMap<>();
            for (int i = g; i < ROWS; i += 4) {
                expected.putIfAbsent((long) (i / 4) % 5, (long) i);
            }
            assertThat(firsts.get(g)).asString().isEqualTo(mapText(expected));
        }

        Type multimap = new Type.MapType(Type.BIGINT, new Type.Array(Type.BIGINT));
        CollectedAggregate all = new CollectedAggregate(CollectedAggregate.Kind.MULTIMAP_AGG, List.of(Type.BIGINT, Type.BIGINT), multimap);
        feed(all, List.of(i -> i % 12 / 4, i -> i));
        List<Object> multimaps = results(all, multimap);
        for (int g = 0; g < 4; g++) {
            Map<Long, List<Long>> expected = new LinkedHashMap<>();
            for (int i = g; i < ROWS; i += 4) {
                expected.computeIfAbsent((long) i % 12 / 4, key -> new ArrayList<>()).add((long) i);
            }
            assertThat(multimaps.get(g)).asString().isEqualTo(mapText(expected));
        }
    }

    @Test
    void histogramKeepsOneCountedTuplePerValueAndMergesCounts()
    {
        Type map = new Type.MapType(Type.BIGINT, Type.BIGINT);
        CollectedAggregate aggregate = new CollectedAggregate(CollectedAggregate.Kind.HISTOGRAM, List.of(Type.BIGINT), map);
        // group g's rows i = g + 4k hold k mod 10: each of 10 values 500 times
        long size = feed(aggregate, List.of(i -> (i / 4) % 10));
        assertThat(aggregate.compactions()).isPositive();
        assertThat(size).isLessThan(1024 + BATCH);
        Map<Long, Long> expected = new LinkedHashMap<>();
        for (long value = 0; value < 10; value++) {
            expected.put(value, 500L);
        }
        assertThat(results(aggregate, map)).containsOnly(mapText(expected));

        // a FINAL step merging two workers' states adds their counts
        CollectedAggregate other = new CollectedAggregate(CollectedAggregate.Kind.HISTOGRAM, List.of(Type.BIGINT), map);
        feed(other, List.of(i -> (i / 4) % 10));
        CollectedAggregate merged = new CollectedAggregate(CollectedAggregate.Kind.HISTOGRAM, List.of(Type.BIGINT), map);
        for (CollectedAggregate partial : List.of(aggregate, other)) {
            try (VectorSchemaRoot state = Batches.create(List.of(partial.stateTypeForTests()), allocator)) {
                partial.writeIntermediate(state.getVector(0), 0, 4);
                state.setRowCount(4);
                merged.merge(state.getVector(0), new int[] {0, 1, 2, 3}, 4, new int[] {0, 1, 2, 3});
            }
        }
        expected.replaceAll((value, count) -> 1000L);
        assertThat(results(merged, map)).containsOnly(mapText(expected));
    }

    @Test
    void approxMostFrequentKeepsTheCapacityMostFrequentValues()
    {
        Type map = new Type.MapType(Type.BIGINT, Type.BIGINT);
        CollectedAggregate aggregate = new CollectedAggregate(CollectedAggregate.Kind.APPROX_MOST_FREQUENT, List.of(Type.BIGINT, Type.BIGINT, Type.BIGINT), map);
        // approx_most_frequent(2, x, 8): row i = g + 4k holds k mod 3 (a hot value) unless i is a multiple of 3, then
        // a value seen once (1000 + i): per group two hot values about 1,667 times each, and 1,667 values once
        long size = feed(aggregate, List.of(i -> 2, i -> i % 3 != 0 ? (i / 4) % 3 : 1000 + i, i -> 8));
        assertThat(aggregate.compactions()).isPositive();
        // the state holds the 8 counted values per group kept at each compaction and what came since, not every row
        assertThat(size).isLessThan(1024 + BATCH);
        List<Object> results = results(aggregate, map);
        for (int g = 0; g < 4; g++) {
            Map<Long, Long> counts = new java.util.HashMap<>();
            for (int i = g; i < ROWS; i += 4) {
                counts.merge(i % 3 != 0 ? (long) (i / 4) % 3 : 1000L + i, 1L, Long::sum);
            }
            List<Map.Entry<Long, Long>> top = counts.entrySet().stream().filter(entry -> entry.getValue() > 1).toList();
            assertThat(top).hasSize(2);
            // the hot values, with their exact counts: they were never evicted
            for (Map.Entry<Long, Long> entry : top) {
                assertThat(results.get(g)).asString().contains("{\"key\":" + entry.getKey() + ",\"value\":" + entry.getValue() + "}");
            }
            assertThat(results.get(g)).asString().doesNotContain("\"value\":1}");
        }
    }

    @Test
    void orderedArrayAggKeepsEveryTuple()
    {
        // array_agg(x ORDER BY y DESC): the state must never be pruned like min/max(x, n)'s
        CollectedAggregate aggregate = new CollectedAggregate(CollectedAggregate.Kind.ORDERED_ARRAY_AGG, List.of(Type.BIGINT, Type.BIGINT),
                new Type.Array(Type.BIGINT), List.of(new io.glaux.engine.plan.SortKey(1, false, false)));
        feed(aggregate, List.of(i -> i, i -> i * 7919 % 20011));
        assertThat(aggregate.compactions()).isZero();
        List<Object> results = results(aggregate, new Type.Array(Type.BIGINT));
        for (int g = 0; g < 4; g++) {
            List<Long> values = new ArrayList<>();
            for (int i = g; i < ROWS; i += 4) {
                values.add((long) i);
            }
            values.sort(java.util.Comparator.comparingLong((Long x) -> x * 7919 % 20011).reversed());
            assertThat(results.get(g)).asString().isEqualTo(values.toString().replace(" ", ""));
        }
    }

    /** Adds rows 0..ROWS (row i to group i % 4, column c = columns[c](i)) in batches; returns the largest sizeInBytes seen past the first half. */
    private long feed(CollectedAggregate aggregate, List<LongUnaryOperator> columns)
    {
        List<Type> types = java.util.Collections.nCopies(columns.size(), Type.BIGINT);
        long largest = 0;
        for (int from = 0; from < ROWS; from += BATCH) {
            try (VectorSchemaRoot batch = Batches.create(types, allocator)) {
                FieldVector[] vectors = new FieldVector[columns.size()];
                for (int c = 0; c < columns.size(); c++) {
                    BigIntVector vector = (BigIntVector) batch.getVector(c);
                    vector.allocateNew(BATCH);
                    for (int j = 0; j < BATCH; j++) {
                        vector.set(j, columns.get(c).applyAsLong(from + j));
                    }
                    vector.setValueCount(BATCH);
                    vectors[c] = vector;
                }
                batch.setRowCount(BATCH);
                int[] positions = new int[BATCH];
                int[] groups = new int[BATCH];
                for (int j = 0; j < BATCH; j++) {
                    positions[j] = j;
                    groups[j] = (from + j) % 4;
                }
                aggregate.add(vectors, positions, BATCH, groups);
            }
            if (from >= ROWS / 2) {
                largest = Math.max(largest, tuplesHeld(aggregate));
            }
        }
        return largest;
    }

    /** Tuples in the state now: the length of the intermediate arrays of the 4 groups. */
    private long tuplesHeld(CollectedAggregate aggregate)
    {
        try (VectorSchemaRoot state = Batches.create(List.of(aggregate.stateTypeForTests()), allocator)) {
            aggregate.writeIntermediate(state.getVector(0), 0, 4);
            state.setRowCount(4);
            long tuples = 0;
            for (int g = 0; g < 4; g++) {
                Object value = state.getVector(0).getObject(g);
                tuples += value == null ? 0 : ((List<?>) value).size();
            }
            return tuples;
        }
    }

    private List<Object> results(CollectedAggregate aggregate, Type output)
    {
        try (VectorSchemaRoot result = Batches.create(List.of(output), allocator)) {
            aggregate.writeFinal(result.getVector(0), 0, 4);
            result.setRowCount(4);
            List<Object> values = new ArrayList<>();
            for (int g = 0; g < 4; g++) {
                Object value = result.getVector(0).getObject(g);
                values.add(value == null ? null : value.toString().replace(" ", ""));
            }
            return values;
        }
    }

    /** Arrow's text of a map vector's value: [{"key":k,"value":v},...]. */
    private static String mapText(Map<Long, ?> map)
    {
        StringBuilder text = new StringBuilder("[");
        map.forEach((key, value) -> text.append(text.length() > 1 ? "," : "").append("{\"key\":").append(key).append(",\"value\":")
                .append(value.toString().replace(" ", "")).append('}'));
        return text.append(']').toString();
    }
}
