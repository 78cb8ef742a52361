package io.glaux.engine.operator.aggregation;

import io.glaux.connectors.format.DictionaryIds;
import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.ByteHashing;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Assigns dense group ids to composite keys, a batch at a time: the caller prepares every
 * {@link KeyColumn} for the batch, then {@link #assign} hashes the keys column by column and looks
 * each row up in an open-addressing table of group ids (linear probing, load ≤ 1/2). Keys live in the
 * key columns' flat arrays; each group's hash is kept for rehashing and for spill partitioning.
 * NULL is a key value like any other. Nothing is allocated per row.
 *
 * <p>One varchar key (a user agent, a URL path) usually has few distinct values repeated over long
 * strings, where hashing every row's bytes is the main cost. Then a small direct-mapped cache, indexed
 * by a fingerprint of the value's length and its first and last 8 bytes, remembers the group last seen
 * for that fingerprint; a row whose bytes equal that group's key takes the group without being hashed
 * or probed. Equality is always checked on the whole value, so the cache can only miss, never be
 * wrong. It turns itself off for a while when fewer than half of a batch's rows hit (many distinct
 * values, such as client addresses), so those keys pay only the fingerprints of one batch in
 * {@link #CACHE_RETRY_BATCHES}.
 */
final class GroupByHash
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int CACHE_BITS = 8;
    /** Batches a turned-off key cache waits before it is tried again. */
    static final int CACHE_RETRY_BATCHES = 32;

    private final KeyColumn[] keys;
    /** fingerprint slot -> group, or -1 (the single varchar key's cache) */
    private final int[] keyCache;
    private int cacheIdleBatches;
    private int[] table = new int[0];
    private int mask;
    private long[] groupHashes = new long[0];
    private int groupCount;
    private long[] hashes = new long[0];
    /** {@link #assignDictionary}: the dictionary of the last ids, and per id its group or -1 */
    private DictionaryIds.Dictionary dictionary;
    private int[] dictionaryGroups = new int[0];
    private int nullGroup = -1;

    GroupByHash(List<Type> keyTypes)
    {
        keys = new KeyColumn[keyTypes.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new KeyColumn(keyTypes.get(i));
        }
        table = new int[1024];
        Arrays.fill(table, -1);
        mask = table.length - 1;
        if (keys.length == 1 && keys[0].isBytesKey()) {
            keyCache = new int[1 << CACHE_BITS];
            Arrays.fill(keyCache, -1);
        }
        else {
            keyCache = null;
        }
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
        if (keyCache != null && keys[0].bytesBatch() != null) {
            if (cacheIdleBatches == 0) {
                if (assignCached(keys[0], keys[0].bytesBatch(), count, ids) * 2 < count) {
                    cacheIdleBatches = CACHE_RETRY_BATCHES;
                }
                return;
            }
            cacheIdleBatches--;
        }
        for (int k = 0; k < keys.length; k++) {
            keys[k].hash(h, count, k == 0);
        }
        if (keys.length == 1 && keys[0].isLongKey() && !keys[0].batchHasNull()) {
            // one integer-like key without NULLs in this batch
            KeyColumn key = keys[0];
            // runs of one value (a timestamp truncated to the hour over time-ordered logs) take the last group
            long lastValue = 0;
            int lastGroup = -1;
            for (int j = 0; j < count; j++) {
                long value = key.longAt(j);
                if (value == lastValue && lastGroup >= 0) {
                    ids[j] = lastGroup;
                    continue;
                }
                long hash = h[j];
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
                lastValue = value;
                lastGroup = group;
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

    /**
     * {@link #assign} for one varchar key whose values come as ids into {@code dictionary}: row {@code j}'s
     * key is value {@code ids[positions[j]]} of the dictionary (NULL when negative). Each id is looked up
     * once per dictionary (hashed and probed like any key, so groups from ids and from values are the
     * same groups); every further row with it costs one array read.
     */
    void assignDictionary(DictionaryIds.Dictionary dictionary, int[] ids, int[] positions, int count, int[] out)
    {
        if (keys.length != 1 || !keys[0].isBytesKey()) {
            throw new IllegalStateException("dictionary ids for a key that is not the only varchar key");
        }
        if (dictionary != this.dictionary) {
            this.dictionary = dictionary;
            if (dictionaryGroups.length < dictionary.size()) {
                dictionaryGroups = new int[Math.max(dictionary.size(), 16)];
            }
            Arrays.fill(dictionaryGroups, 0, dictionary.size(), -1);
        }
        int[] groups = dictionaryGroups;
        for (int j = 0; j < count; j++) {
            int id = ids[positions[j]];
            int group;
            if (id < 0) {
                group = nullGroup >= 0 ? nullGroup : (nullGroup = findBytes(null, 0, 0));
            }
            else {
                group = groups[id];
                if (group < 0) {
                    int[] offsets = dictionary.offsets();
                    group = findBytes(dictionary.bytes(), offsets[id], offsets[id + 1]);
                    groups[id] = group;
                }
            }
            out[j] = group;
        }
    }

    /** The group of the varchar key {@code bytes[from..to)} (NULL when {@code bytes} is null), added when new. */
    private int findBytes(byte[] bytes, int from, int to)
    {
        KeyColumn key = keys[0];
        long hash = bytes == null ? KeyColumn.nullHash() : ByteHashing.hash(bytes, from, to);
        int slot = (int) hash & mask;
        while (true) {
            int group = table[slot];
            if (group < 0) {
                group = groupCount;
                checkGroupCount();
                key.appendBytes(group, bytes, from, to);
                return register(slot, hash);
            }
            if (groupHashes[group] == hash && (bytes == null ? key.groupIsNull(group) : key.groupEquals(group, bytes, from, to))) {
                return group;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** {@link #assign} for one varchar key through the key cache; returns the rows that hit it. */
    private int assignCached(KeyColumn key, Block block, int count, int[] ids)
    {
        byte[] bytes = block.bytes();
        int[] offsets = block.offsets();
        int[] cache = keyCache;
        int hits = 0;
        for (int j = 0; j < count; j++) {
            if (block.isNull(j)) {
                ids[j] = find(KeyColumn.nullHash(), j);
                continue;
            }
            int from = offsets[j];
            int to = offsets[j + 1];
            int length = to - from;
            long head;
            long tail;
            if (length >= 8) {
                head = (long) LONGS.get(bytes, from);
                tail = (long) LONGS.get(bytes, to - 8);
            }
            else {
                head = 0;
                for (int i = from; i < to; i++) {
                    head = (head << 8) | (bytes[i] & 0xFF);
                }
                tail = 0;
            }
            long fingerprint = (head * 0x9E3779B97F4A7C15L + tail) * 0xC2B2AE3D27D4EB4FL + length;
            int slot = (int) (fingerprint >>> (64 - CACHE_BITS));
            int group = cache[slot];
            if (group >= 0 && key.groupEquals(group, bytes, from, to)) {
                ids[j] = group;
                hits++;
                continue;
            }
            group = find(ByteHashing.hash(bytes, from, to), j);
            cache[slot] = group;
            ids[j] = group;
        }
        return hits;
    }

    /** The group of row {@code j} of the prepared batch, whose key hash is {@code hash}; added when new. */
    private int find(long hash, int j)
    {
        int slot = (int) hash & mask;
        while (true) {
            int group = table[slot];
            if (group < 0) {
                return addGroup(slot, hash, j);
            }
            if (groupHashes[group] == hash && keysMatch(group, j)) {
                return group;
            }
            slot = (slot + 1) & mask;
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
        checkGroupCount();
        for (KeyColumn key : keys) {
            key.append(group, j);
        }
        return register(slot, hash);
    }

    private void checkGroupCount()
    {
        if (groupCount == Integer.MAX_VALUE - 16) {
            throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Too many groups");
        }
    }

    /** Records the next group (whose keys were appended) with its hash in table slot {@code slot}. */
    private int register(int slot, long hash)
    {
        int group = groupCount;
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
