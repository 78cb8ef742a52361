package io.glaux.engine.expr;

/** An immutable open-addressing set of longs (linear probing, load ≤ 0.5). */
final class LongHashSet
{
    private final long[] keys;
    private final boolean[] used;
    private final int mask;

    LongHashSet(long[] values)
    {
        int capacity = Integer.highestOneBit(Math.max(4, values.length * 2 - 1)) << 1;
        keys = new long[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
        for (long value : values) {
            int slot = (int) mix(value) & mask;
            while (used[slot] && keys[slot] != value) {
                slot = (slot + 1) & mask;
            }
            used[slot] = true;
            keys[slot] = value;
        }
    }

    boolean contains(long value)
    {
        int slot = (int) mix(value) & mask;
        while (used[slot]) {
            if (keys[slot] == value) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    static long mix(long value)
    {
        long h = value * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }
}
