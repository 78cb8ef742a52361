package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * One value (possibly NULL) per group of any type the evaluator holds: longs, doubles, or bytes in an
 * arena. A replacement that fits overwrites in place; a longer one is appended, and the arena is
 * compacted when more than half of it is garbage. Used by MIN/MAX of varchar, ARBITRARY and MIN_BY/MAX_BY.
 */
final class ValueStore
{
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final PhysicalType type;
    private final PhysicalType.Representation representation;
    private boolean[] nulls = new boolean[0];
    private long[] longs = new long[0];
    private double[] doubles = new double[0];
    private int[] starts = new int[0];
    private int[] lengths = new int[0];
    private int[] capacities = new int[0];
    private byte[] arena = new byte[0];
    private int arenaSize;
    private long garbage;

    ValueStore(Type sqlType, String what)
    {
        this.type = AggregationLayout.of(sqlType);
        this.representation = type.representation();
        if (representation == PhysicalType.Representation.OTHER) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, what + " of " + sqlType.trinoName() + " is not supported");
        }
    }

    PhysicalType type()
    {
        return type;
    }

    void ensureCapacity(int groups)
    {
        if (nulls.length >= groups) {
            return;
        }
        int size = Accumulator.grow(nulls.length, groups);
        nulls = Arrays.copyOf(nulls, size);
        switch (representation) {
            case LONG -> longs = Arrays.copyOf(longs, size);
            case DOUBLE -> doubles = Arrays.copyOf(doubles, size);
            default -> {
                starts = Arrays.copyOf(starts, size);
                lengths = Arrays.copyOf(lengths, size);
                capacities = Arrays.copyOf(capacities, size);
            }
        }
    }

    /** Stores row j of {@code block} (NULL included) as group g's value. */
    void set(int g, Block block, int j)
    {
        if (block.isNull(j)) {
            nulls[g] = true;
            if (representation == PhysicalType.Representation.BYTES) {
                lengths[g] = 0;
            }
            return;
        }
        nulls[g] = false;
        switch (representation) {
            case LONG -> longs[g] = block.longs()[j];
            case DOUBLE -> doubles[g] = block.doubles()[j];
            default -> {
                int[] offsets = block.offsets();
                store(g, block.bytes(), offsets[j], offsets[j + 1] - offsets[j]);
            }
        }
    }

    /** Compares non-null row j of {@code block} with group g's non-null value: negative if the row is smaller. */
    int compare(int g, Block block, int j)
    {
        return switch (representation) {
            case LONG -> Long.compare(block.longs()[j], longs[g]);
            case DOUBLE -> Double.compare(block.doubles()[j], doubles[g]);
            default -> {
                int[] offsets = block.offsets();
                yield Arrays.compareUnsigned(block.bytes(), offsets[j], offsets[j + 1], arena, starts[g], starts[g] + lengths[g]);
            }
        };
    }

    private void store(int g, byte[] bytes, int from, int length)
    {
        if (length <= capacities[g]) {
            System.arraycopy(bytes, from, arena, starts[g], length);
            lengths[g] = length;
            return;
        }
        garbage += capacities[g];
        if ((long) arenaSize + length > arena.length) {
            if (garbage > arenaSize / 2) {
                compact();
            }
            long needed = (long) arenaSize + length;
            if (needed > arena.length) {
                if (needed > MAX_ARRAY) {
                    throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Aggregate values exceed " + MAX_ARRAY + " bytes");
                }
                arena = Arrays.copyOf(arena, (int) Math.min(MAX_ARRAY, Math.max(needed, Math.max(1024, arena.length + (long) (arena.length >> 1)))));
            }
        }
        System.arraycopy(bytes, from, arena, arenaSize, length);
        starts[g] = arenaSize;
        lengths[g] = length;
        capacities[g] = length;
        arenaSize += length;
    }

    private void compact()
    {
        byte[] compacted = new byte[arena.length];
        int size = 0;
        for (int g = 0; g < starts.length; g++) {
            if (capacities[g] > 0) {
                System.arraycopy(arena, starts[g], compacted, size, lengths[g]);
                starts[g] = size;
                capacities[g] = lengths[g];
                size += lengths[g];
            }
        }
        arena = compacted;
        arenaSize = size;
        garbage = 0;
    }

    /** Writes groups {@code [from, from+count)}: NULL where the group is {@code empty} or its value is NULL. */
    void write(FieldVector dst, boolean[] empty, int from, int count)
    {
        boolean[] n = new boolean[count];
        for (int i = 0; i < count; i++) {
            n[i] = empty[from + i] || nulls[from + i];
        }
        switch (representation) {
            case LONG -> Vectors.writeLongs(dst, type, Arrays.copyOfRange(longs, from, from + count), n, 0, count);
            case DOUBLE -> Vectors.writeDoubles(dst, type, Arrays.copyOfRange(doubles, from, from + count), n, 0, count);
            default -> Vectors.writeBytes((BaseVariableWidthVector) dst, arena, Arrays.copyOfRange(starts, from, from + count),
                    Arrays.copyOfRange(lengths, from, from + count), n, 0, count);
        }
    }

    long sizeInBytes()
    {
        return nulls.length + longs.length * 8L + doubles.length * 8L + starts.length * 12L + arena.length;
    }
}
