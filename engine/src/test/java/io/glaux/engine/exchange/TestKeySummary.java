package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.engine.TestBatches;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

class TestKeySummary
{
    @Test
    void summarizesIntegerAndDateKeysAndRoundTrips()
    {
        try (BufferAllocator allocator = new RootAllocator()) {
            // keys: 2 (a bigint with NULLs and repeats), 0 (a date); column 1 (varchar) is a key nothing can be said of
            KeySummary summary = new KeySummary(List.of(2, 0, 1));
            try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(Type.DATE, Type.VARCHAR, Type.BIGINT),
                    new Object[] {19_000L, 19_002L, null, 19_001L},
                    new Object[] {"a", "b", "c", "d"},
                    new Object[] {7L, null, -3L, 7L})) {
                summary.add(batch);
            }
            List<KeySummary.Key> keys = summary.keys();
            assertThat(keys.get(0)).isEqualTo(new KeySummary.Key(KeySummary.State.VALUES, -3, 7, new long[] {-3, 7}));
            assertThat(keys.get(1)).isEqualTo(new KeySummary.Key(KeySummary.State.VALUES, 19_000, 19_002, new long[] {19_000, 19_001, 19_002}));
            assertThat(keys.get(2).state()).isEqualTo(KeySummary.State.UNKNOWN);
            try (ArrowBuf encoded = summary.encode(allocator)) {
                assertThat(KeySummary.decode(encoded)).contains(keys);
                // another message is not a summary
                assertThat(TaskProgress.decode(encoded)).isEmpty();
            }
            try (ArrowBuf progress = TaskProgress.encode(allocator, 5)) {
                assertThat(KeySummary.decode(progress)).isEmpty();
            }
        }
    }

    @Test
    void manyValuesLeaveTheirRangeAndMergingKeepsWhatBothSay()
    {
        try (BufferAllocator allocator = new RootAllocator()) {
            KeySummary many = new KeySummary(List.of(0));
            KeySummary few = new KeySummary(List.of(0));
            KeySummary none = new KeySummary(List.of(0));
            Object[] values = LongStream.range(0, KeySummary.MAX_VALUES + 10).map(i -> 100 + 3 * i).boxed().toArray();
            try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(Type.BIGINT), new Object[][] {values});
                    VectorSchemaRoot small = TestBatches.batch(allocator, List.of(Type.BIGINT), new Object[][] {{5L, 50L}});
                    VectorSchemaRoot nulls = TestBatches.batch(allocator, List.of(Type.BIGINT), new Object[][] {{null, null}})) {
                many.add(batch);
                few.add(small);
                none.add(nulls);
            }
            KeySummary.Key range = many.keys().getFirst();
            assertThat(range).isEqualTo(new KeySummary.Key(KeySummary.State.RANGE, 100, 100 + 3L * (KeySummary.MAX_VALUES + 9), new long[0]));
            assertThat(none.keys().getFirst().state()).isEqualTo(KeySummary.State.EMPTY);
            assertThat(KeySummary.merge(few.keys(), none.keys())).isEqualTo(few.keys());
            assertThat(KeySummary.merge(few.keys(), few.keys())).isEqualTo(few.keys());
            assertThat(KeySummary.merge(few.keys(), many.keys()))
                    .containsExactly(new KeySummary.Key(KeySummary.State.RANGE, 5, 100 + 3L * (KeySummary.MAX_VALUES + 9), new long[0]));
        }
    }
}
