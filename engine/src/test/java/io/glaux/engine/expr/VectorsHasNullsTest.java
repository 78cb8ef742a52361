package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** {@link Vectors#hasNulls} reads validity a word at a time: it must agree with Arrow's count at every position. */
class VectorsHasNullsTest
{
    @Test
    void agreesWithArrowsNullCount()
    {
        try (BufferAllocator allocator = new RootAllocator();
                BigIntVector longs = new BigIntVector("l", allocator);
                VarCharVector strings = new VarCharVector("s", allocator)) {
            for (int count : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 130, 1000}) {
                for (int nullAt = -1; nullAt < count; nullAt += Math.max(1, count / 17)) {
                    longs.allocateNew(count);
                    strings.allocateNew(count);
                    for (int row = 0; row < count; row++) {
                        if (row == nullAt) {
                            longs.setNull(row);
                            strings.setNull(row);
                        }
                        else {
                            longs.set(row, row);
                            strings.setSafe(row, "x".getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    longs.setValueCount(count);
                    strings.setValueCount(count);
                    String description = count + " rows, NULL at " + nullAt;
                    assertThat(Vectors.hasNulls(longs)).as(description).isEqualTo(nullAt >= 0).isEqualTo(longs.getNullCount() > 0);
                    assertThat(Vectors.hasNulls(strings)).as(description).isEqualTo(nullAt >= 0).isEqualTo(strings.getNullCount() > 0);
                    longs.clear();
                    strings.clear();
                }
            }
        }
    }
}
