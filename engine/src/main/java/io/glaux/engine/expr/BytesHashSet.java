package io.glaux.engine.expr;

import java.util.Arrays;
import java.util.List;

/** An immutable open-addressing set of byte strings, probed with byte ranges (no copies). */
final class BytesHashSet
{
    private final byte[][] keys;
    private final int[] hashes;
    private final int mask;

    BytesHashSet(List<byte[]> values)
    {
        int capacity = Integer.highestOneBit(Math.max(4, values.size() * 2 - 1)) << 1;
        keys = new byte[capacity][];
        hashes = new int[capacity];
        mask = capacity - 1;
        for (byte[] value : values) {
            int hash = hash(value, 0, value.length);
            int slot = hash & mask;
            while (keys[slot] != null && !Arrays.equals(keys[slot], value)) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = value;
            hashes[slot] = hash;
        }
    }

    boolean contains(byte[] bytes, int from, int to)
    {
        int hash = hash(bytes, from, to);
        int slot = hash & mask;
        byte[] key;
        while ((key = keys[slot]) != null) {
            if (hashes[slot] == hash && Arrays.equals(key, 0, key.length, bytes, from, to)) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    static int hash(byte[] bytes, int from, int to)
    {
        long h = ByteHashing.hash(bytes, from, to);
        return (int) (h ^ (h >>> 32));
    }
}
