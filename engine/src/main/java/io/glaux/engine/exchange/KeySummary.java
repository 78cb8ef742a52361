package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The join keys a scan task sent into a partitioned join's stage (its rows hash-partitioned on them),
 * for dynamic filtering: per key column, the least and greatest non-NULL value and, while there are at
 * most {@link #MAX_VALUES} of them, the distinct values. Only integer and date keys are summarized
 * (others are "unknown"). The coordinator merges the tasks' summaries of a join's build side and narrows
 * the probe side's scan by them before it starts.
 *
 * <p>A task accumulates with {@link #add} (thread-safe) and sends {@link #encode} as the application
 * metadata of a Flight message without a batch, before its operator statistics: the 4 ASCII bytes
 * {@code GKS1}, the key count (int), then per key a state byte (0 unknown, 1 no value, 2 range, 3 values),
 * min and max (longs), the value count (int) and the values (longs); little-endian.
 */
public final class KeySummary
{
    public static final int MAX_VALUES = 16 * 1024;
    private static final int MAGIC = 'G' | 'K' << 8 | 'S' << 16 | '1' << 24;

    /** What is known of one key column's values. */
    public record Key(State state, long min, long max, long[] values)
    {
        public Key
        {
            requireNonNull(state, "state is null");
            requireNonNull(values, "values is null");
        }

        @Override
        public boolean equals(Object other)
        {
            return other instanceof Key key && state == key.state && min == key.min && max == key.max && Arrays.equals(values, key.values);
        }

        @Override
        public int hashCode()
        {
            return state.hashCode() * 31 + Long.hashCode(min) * 17 + Arrays.hashCode(values);
        }

        @Override
        public String toString()
        {
            return state + "[" + min + ", " + max + "] " + values.length + " values";
        }
    }

    public enum State
    {
        /** Not summarized (not an integer or date key). */
        UNKNOWN,
        /** Every key was NULL, or there were no rows. */
        EMPTY,
        /** Too many distinct values: only their range. */
        RANGE,
        /** The distinct values (and their range). */
        VALUES
    }

    private final int[] keys;
    private final boolean[] unknown;
    private final long[] min;
    private final long[] max;
    private final boolean[] any;
    /** Per key: an open-addressing set of the distinct values (null once past {@link #MAX_VALUES}). */
    private final long[][] tables;
    private final boolean[][] used;
    private final int[] sizes;

    /** {@code keys}: the positions of the key columns in the batches {@link #add} gets. */
    public KeySummary(List<Integer> keys)
    {
        this.keys = keys.stream().mapToInt(Integer::intValue).toArray();
        int n = this.keys.length;
        unknown = new boolean[n];
        min = new long[n];
        max = new long[n];
        any = new boolean[n];
        tables = new long[n][];
        used = new boolean[n][];
        sizes = new int[n];
        Arrays.fill(min, Long.MAX_VALUE);
        Arrays.fill(max, Long.MIN_VALUE);
        for (int k = 0; k < n; k++) {
            tables[k] = new long[64];
            used[k] = new boolean[64];
        }
    }

    /** Adds the key values of {@code batch}'s rows. */
    public synchronized void add(VectorSchemaRoot batch)
    {
        int count = batch.getRowCount();
        for (int k = 0; k < keys.length; k++) {
            if (unknown[k]) {
                continue;
            }
            FieldVector vector = batch.getVector(keys[k]);
            boolean integral = vector instanceof BigIntVector || vector instanceof IntVector || vector instanceof DateDayVector
                    || vector instanceof SmallIntVector || vector instanceof TinyIntVector;
            if (!integral) {
                unknown[k] = true;
                tables[k] = null;
                continue;
            }
            int width = vector instanceof BigIntVector ? 8 : vector instanceof SmallIntVector ? 2 : vector instanceof TinyIntVector ? 1 : 4;
            ArrowBuf data = vector.getDataBuffer();
            long lo = min[k];
            long hi = max[k];
            boolean seen = any[k];
            boolean hasNulls = vector.getNullCount() > 0;
            for (int row = 0; row < count; row++) {
                if (hasNulls && vector.isNull(row)) {
                    continue;
                }
                long value = switch (width) {
                    case 8 -> data.getLong((long) row << 3);
                    case 4 -> data.getInt((long) row << 2);
                    case 2 -> data.getShort((long) row << 1);
                    default -> data.getByte(row);
                };
                seen = true;
                lo = Math.min(lo, value);
                hi = Math.max(hi, value);
                if (tables[k] != null) {
                    insert(k, value);
                }
            }
            min[k] = lo;
            max[k] = hi;
            any[k] = seen;
        }
    }

    private void insert(int k, long value)
    {
        long[] table = tables[k];
        boolean[] taken = used[k];
        int mask = table.length - 1;
        int slot = (int) mix(value) & mask;
        while (taken[slot]) {
            if (table[slot] == value) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (sizes[k] >= MAX_VALUES) {
            tables[k] = null;
            used[k] = null;
            return;
        }
        taken[slot] = true;
        table[slot] = value;
        sizes[k]++;
        if (sizes[k] * 2 > table.length) {
            long[] grown = new long[table.length * 2];
            boolean[] grownUsed = new boolean[grown.length];
            int grownMask = grown.length - 1;
            for (int i = 0; i < table.length; i++) {
                if (taken[i]) {
                    int s = (int) mix(table[i]) & grownMask;
                    while (grownUsed[s]) {
                        s = (s + 1) & grownMask;
                    }
                    grownUsed[s] = true;
                    grown[s] = table[i];
                }
            }
            tables[k] = grown;
            used[k] = grownUsed;
        }
    }

    private static long mix(long value)
    {
        long h = value * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }

    /** What is known so far, per key. */
    public synchronized List<Key> keys()
    {
        List<Key> result = new ArrayList<>();
        for (int k = 0; k < keys.length; k++) {
            if (unknown[k]) {
                result.add(new Key(State.UNKNOWN, 0, 0, new long[0]));
            }
            else if (!any[k]) {
                result.add(new Key(State.EMPTY, 0, 0, new long[0]));
            }
            else if (tables[k] == null) {
                result.add(new Key(State.RANGE, min[k], max[k], new long[0]));
            }
            else {
                long[] values = new long[sizes[k]];
                int n = 0;
                for (int i = 0; i < tables[k].length; i++) {
                    if (used[k][i]) {
                        values[n++] = tables[k][i];
                    }
                }
                Arrays.sort(values);
                result.add(new Key(State.VALUES, min[k], max[k], values));
            }
        }
        return result;
    }

    /** The summary as a buffer allocated from {@code allocator}; the caller (the Flight listener) owns it. */
    public ArrowBuf encode(BufferAllocator allocator)
    {
        List<Key> summary = keys();
        long size = 2L * Integer.BYTES;
        for (Key key : summary) {
            size += 1 + 2L * Long.BYTES + Integer.BYTES + (long) key.values().length * Long.BYTES;
        }
        ArrowBuf buffer = allocator.buffer(size);
        long offset = 0;
        buffer.setInt(offset, MAGIC);
        offset += Integer.BYTES;
        buffer.setInt(offset, summary.size());
        offset += Integer.BYTES;
        for (Key key : summary) {
            buffer.setByte(offset++, key.state().ordinal());
            buffer.setLong(offset, key.min());
            buffer.setLong(offset + Long.BYTES, key.max());
            buffer.setInt(offset + 2L * Long.BYTES, key.values().length);
            offset += 2L * Long.BYTES + Integer.BYTES;
            for (long value : key.values()) {
                buffer.setLong(offset, value);
                offset += Long.BYTES;
            }
        }
        buffer.writerIndex(size);
        return buffer;
    }

    /** The summary in {@code metadata}, or empty when it is not a key summary message. */
    public static Optional<List<Key>> decode(ArrowBuf metadata)
    {
        if (metadata == null || metadata.readableBytes() < 2L * Integer.BYTES || metadata.getInt(metadata.readerIndex()) != MAGIC) {
            return Optional.empty();
        }
        long offset = metadata.readerIndex() + Integer.BYTES;
        int count = metadata.getInt(offset);
        offset += Integer.BYTES;
        List<Key> keys = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            State state = State.values()[metadata.getByte(offset++)];
            long lo = metadata.getLong(offset);
            long hi = metadata.getLong(offset + Long.BYTES);
            int n = metadata.getInt(offset + 2L * Long.BYTES);
            offset += 2L * Long.BYTES + Integer.BYTES;
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = metadata.getLong(offset);
                offset += Long.BYTES;
            }
            keys.add(new Key(state, lo, hi, values));
        }
        return Optional.of(keys);
    }

    /** {@code a} and {@code b} (summaries of the same keys by two tasks) as one. */
    public static List<Key> merge(List<Key> a, List<Key> b)
    {
        List<Key> merged = new ArrayList<>(a.size());
        for (int k = 0; k < a.size(); k++) {
            Key x = a.get(k);
            Key y = b.get(k);
            if (x.state() == State.UNKNOWN || y.state() == State.UNKNOWN) {
                merged.add(new Key(State.UNKNOWN, 0, 0, new long[0]));
            }
            else if (x.state() == State.EMPTY) {
                merged.add(y);
            }
            else if (y.state() == State.EMPTY) {
                merged.add(x);
            }
            else {
                long lo = Math.min(x.min(), y.min());
                long hi = Math.max(x.max(), y.max());
                long[] values = x.state() == State.VALUES && y.state() == State.VALUES
                        ? java.util.stream.LongStream.concat(Arrays.stream(x.values()), Arrays.stream(y.values())).sorted().distinct().toArray()
                        : null;
                merged.add(values == null || values.length > MAX_VALUES ? new Key(State.RANGE, lo, hi, new long[0]) : new Key(State.VALUES, lo, hi, values));
            }
        }
        return merged;
    }
}
