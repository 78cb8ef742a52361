package io.glaux.engine.operator.aggregation;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;
import java.util.List;

/**
 * Assigns dense group ids to composite keys, a batch at a time: the caller prepares every
 * {@link KeyColumn} for the batch, then {@link #assign} hashes the keys column by column and looks
 * each row up in an open-addressing table of group ids (linear probing, load ≤ 1/2). Keys live in the
 * key columns' flat arrays; each group's hash is kept for rehashing and for spill partitioning.
 * NULL is a key value like any other. Nothing is allocated per row.
 */
final class GroupByHash
{
    private final KeyColumn[] keys;
    private int[] table = new int[0];
    private int mask;
    private long[] groupHashes = new long[0];
    private int groupCount;
    private long[] hashes = new long[0];

    GroupByHash(List<Type> keyTypes)
    {
        keys = new KeyColumn[keyTypes.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new KeyColumn(keyTypes.get(i));
        }
        table = new int[1024];
        Arrays.fill(table, -1);
        mask = table.length - 1;
    }

    KeyColumn key(int index)
    {
        return keys[index];
    }

    int keyCount()
    {
        return keys.length;
    }

    int groupCount()
    {
        return groupCount;
    }

    long groupHash(int group)
    {
        return groupHashes[group];
    }

    /** Sets {@code ids[0..count)} to the group of each row of the prepared batch, adding new groups. */
    void assign(int count, int[] ids)
    {
        if (hashes.length < count) {
            hashes = new long[Math.max(count, hashes.length * 2)];
        }
        long[] h = hashes;
        if (keys.length == 0) {
            // a grouping set of no keys and no grouping id: one group
            if (groupCount == 0) {
                addGroup(0, 0, 0);
            }
            Arrays.fill(ids, 0, count, 0);
            return;
        }
        for (int k = 0; k < keys.length; k++) {
            keys[k].hash(h, count, k == 0);
        }
        if (keys.length == 1 && keys[0].isLongKey() && !keys[0].batchHasNull()) {
            // one integer-like key without NULLs in this batch
            KeyColumn key = keys[0];
            for (int j = 0; j < count; j++) {
                long hash = h[j];
                long value = key.longAt(j);
                int slot = (int) hash & mask;
                int group;
                while (true) {
                    group = table[slot];
                    if (group < 0) {
                        group = addGroup(slot, hash, j);
                        break;
                    }
                    if (groupHashes[group] == hash && key.groupLong(group) == value && !key.groupIsNull(group)) {
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
                ids[j] = group;
            }
            return;
        }
        for (int j = 0; j < count; j++) {
            long hash = h[j];
            int slot = (int) hash & mask;
            int group;
            while (true) {
                group = table[slot];
                if (group < 0) {
                    group = addGroup(slot, hash, j);
                    break;
                }
                if (groupHashes[group] == hash && keysMatch(group, j)) {
                    break;
                }
                slot = (slot + 1) & mask;
            }
            ids[j] = group;
        }
    }

    private boolean keysMatch(int group, int j)
    {
        for (KeyColumn key : keys) {
            if (!key.matches(group, j)) {
                return false;
            }
        }
        return true;
    }

    private int addGroup(int slot, long hash, int j)
    {
        int group = groupCount;
        if (group == Integer.MAX_VALUE - 16) {
            throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Too many groups");
        }
        for (KeyColumn key : keys) {
            key.append(group, j);
        }
        if (group >= groupHashes.length) {
            groupHashes = Arrays.copyOf(groupHashes, Math.max(16, groupHashes.length + (groupHashes.length >> 1)));
        }
        groupHashes[group] = hash;
        table[slot] = group;
        groupCount++;
        if (groupCount * 2L > table.length) {
            rehash();
        }
        return group;
    }

    private void rehash()
    {
        int capacity = table.length * 2;
        int[] grown = new int[capacity];
        Arrays.fill(grown, -1);
        int m = capacity - 1;
        for (int group = 0; group < groupCount; group++) {
            int slot = (int) groupHashes[group] & m;
            while (grown[slot] >= 0) {
                slot = (slot + 1) & m;
            }
            grown[slot] = group;
        }
        table = grown;
        mask = m;
    }

    /** Writes key {@code k} of groups {@code [from, from+count)}. */
    void writeKey(int k, FieldVector dst, int from, int count)
    {
        keys[k].write(dst, from, count);
    }

    long sizeInBytes()
    {
        long size = table.length * 4L + groupHashes.length * 8L + hashes.length * 8L;
        for (KeyColumn key : keys) {
            size += key.sizeInBytes();
        }
        return size;
    }
}
