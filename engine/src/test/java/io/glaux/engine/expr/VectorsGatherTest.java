package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link Vectors#gather} at positions that are not strictly ascending: a lambda reads its row's columns
 * once per element ({@code [0, 1, 1, 3]} has a repeated row, and its ends are as far apart as if the rows
 * were consecutive), and positions may also go down. Each must read exactly the rows named.
 */
class VectorsGatherTest
{
    private static final int ROWS = 8;
    private static final int[][] POSITIONS = {{0, 1, 2, 3}, {0, 1, 1, 3}, {2, 2, 2}, {5, 3, 4, 6}, {7, 0}, {4}, {1, 3, 5, 7}};

    @Test
    void readsExactlyTheRowsNamed()
    {
        try (BufferAllocator allocator = new RootAllocator();
                IntVector ints = new IntVector("i", allocator);
                BigIntVector longs = new BigIntVector("l", allocator);
                Float8Vector doubles = new Float8Vector("d", allocator);
                VarCharVector strings = new VarCharVector("s", allocator)) {
            ints.allocateNew(ROWS);
            longs.allocateNew(ROWS);
            doubles.allocateNew(ROWS);
            strings.allocateNew(ROWS);
            for (int row = 0; row < ROWS; row++) {
                ints.set(row, 10 + row);
                longs.set(row, 100L + row);
                doubles.set(row, row + 0.5);
                strings.setSafe(row, ("v" + row).repeat(row + 1).getBytes(StandardCharsets.UTF_8));
            }
            ints.setValueCount(ROWS);
            longs.setValueCount(ROWS);
            doubles.setValueCount(ROWS);
            strings.setValueCount(ROWS);
            for (int[] positions : POSITIONS) {
                String description = Arrays.toString(positions);
                int count = positions.length;
                Block block = new Block();
                Vectors.gather(ints, PhysicalType.INT32, positions, count, block);
                for (int j = 0; j < count; j++) {
                    assertThat(block.longs()[j]).as(description).isEqualTo(10 + positions[j]);
                }
                Vectors.gather(longs, PhysicalType.INT64, positions, count, block);
                for (int j = 0; j < count; j++) {
                    assertThat(block.longs()[j]).as(description).isEqualTo(100L + positions[j]);
                }
                Vectors.gather(doubles, PhysicalType.FLOAT64, positions, count, block);
                for (int j = 0; j < count; j++) {
                    assertThat(block.doubles()[j]).as(description).isEqualTo(positions[j] + 0.5);
                }
                Vectors.gather(strings, PhysicalType.VARIABLE_WIDTH, positions, count, block);
                for (int j = 0; j < count; j++) {
                    String value = new String(block.bytes(), block.offsets()[j], block.offsets()[j + 1] - block.offsets()[j], StandardCharsets.UTF_8);
                    assertThat(value).as(description).isEqualTo(("v" + positions[j]).repeat(positions[j] + 1));
                }
                try (BigIntVector copy = new BigIntVector("c", allocator)) {
                    Vectors.copy(longs, PhysicalType.INT64, positions, count, copy);
                    for (int j = 0; j < count; j++) {
                        assertThat(copy.get(j)).as(description).isEqualTo(100L + positions[j]);
                    }
                }
            }
        }
    }
}
