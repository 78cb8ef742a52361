package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.ByteHashing;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.TimeZones;
import io.glaux.engine.expr.Vectors;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * One group-by key column: the key value of every group in flat arrays (longs, or double bits, or a
 * byte arena with offsets) plus null flags, and the batch currently being grouped: a gathered
 * {@link Block}, all NULLs (a key outside the current grouping set) or one constant (the grouping id).
 */
final class KeyColumn
{
    private static final long NULL_HASH = 0x2545F4914F6CDD1DL;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final PhysicalType physicalType;
    private final boolean bytesKey;
    private final boolean doubleKey;
    /** decimal: the low 64 bits in {@code values}, the high ones in {@code highs} (Arrow's Decimal128 halves). */
    private final boolean decimalKey;
    private long[] highs = new long[0];
    private long[] batchLows = new long[0];
    private long[] batchHighs = new long[0];
    private boolean[] batchNulls = new boolean[0];
    private boolean batchHasNulls;
    /**
     * timestamp with time zone: keys hash and compare by instant (the zone key masked off, in {@code values}
     * and {@code batchLongs}); {@code zoned} keeps each group's first value, zone included, for output.
     */
    private final boolean instantKey;
    private long[] zoned = new long[0];
    private long[] instants = new long[0];

    private long[] values = new long[0];
    private boolean[] nulls = new boolean[0];
    private byte[] arena = new byte[0];
    private int[] offsets = new int[] {0};
    private int arenaSize;

    private Block batch;
    private long[] batchLongs;
    private long[] doubleBits = new long[0];
    /** The current batch is all NULLs (then {@code batch} is null). */
    private boolean allNull;
    private long[] constants = new long[0];

    KeyColumn(Type type)
    {
        this.physicalType = AggregationLayout.of(type);
        this.decimalKey = type instanceof Type.Decimal;
        this.instantKey = type instanceof Type.TimestampWithTimeZone;
        if (physicalType == PhysicalType.OTHER && !decimalKey) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "GROUP BY on " + type.trinoName() + " is not supported");
        }
        this.bytesKey = physicalType.representation() == PhysicalType.Representation.BYTES;
        this.doubleKey = physicalType.representation() == PhysicalType.Representation.DOUBLE;
    }

    /** Uses {@code count} NULLs as the batch's keys. */
    void prepareNull(int count)
    {
        batch = null;
        allNull = true;
    }

    /** Uses {@code count} copies of {@code value} (a long-represented key) as the batch's keys. */
    void prepareConstant(long value, int count)
    {
        if (bytesKey || doubleKey) {
            throw new IllegalStateException("constant keys are longs");
        }
        if (constants.length < count) {
            constants = new long[Math.max(count, constants.length * 2)];
        }
        Arrays.fill(constants, 0, count, value);
        batch = null;
        allNull = false;
        batchLongs = constants;
    }

    /** Reads decimal keys {@code positions[0..count)} of {@code vector}; {@link #prepare} then uses them (its block is ignored). */
    void loadDecimals(FieldVector vector, int[] positions, int count)
    {
        if (batchLows.length < count) {
            int size = Math.max(count, batchLows.length * 2);
            batchLows = new long[size];
            batchHighs = new long[size];
            batchNulls = new boolean[size];
        }
        ArrowBuf data = vector.getDataBuffer();
        boolean nullable = Vectors.hasNulls(vector);
        ArrowBuf validity = vector.getValidityBuffer();
        boolean anyNull = false;
        for (int j = 0; j < count; j++) {
            int row = positions[j];
            boolean isNull = nullable && ((validity.getByte(row >>> 3) >> (row & 7)) & 1) == 0;
            batchNulls[j] = isNull;
            anyNull |= isNull;
            long at = (long) row << 4;
            batchLows[j] = isNull ? 0 : data.getLong(at);
            batchHighs[j] = isNull ? 0 : data.getLong(at + 8);
        }
        batchHasNulls = anyNull;
    }

    /** Uses {@code block} (the gathered key values of the batch) for the following calls. */
    void prepare(Block block, int count)
    {
        batch = block;
        allNull = false;
        if (decimalKey) {
            batchLongs = batchLows;
            return;
        }
        if (doubleKey) {
            if (doubleBits.length < count) {
                doubleBits = new long[Math.max(count, doubleBits.length * 2)];
            }
            double[] d = block.doubles();
            long[] bits = doubleBits;
            for (int j = 0; j < count; j++) {
                double v = d[j];
                // 0.0 and -0.0 group together, and all NaNs
                bits[j] = v == 0 ? 0 : Double.doubleToLongBits(v);
            }
            batchLongs = bits;
        }
        else if (instantKey) {
            if (instants.length < count) {
                instants = new long[Math.max(count, instants.length * 2)];
            }
            long[] v = block.longs();
            long[] masked = instants;
            for (int j = 0; j < count; j++) {
                masked[j] = v[j] & TimeZones.INSTANT_MASK;
            }
            batchLongs = masked;
        }
        else if (!bytesKey) {
            batchLongs = block.longs();
        }
    }

    /** Sets (first key) or mixes in the hash of every row. */
    void hash(long[] hashes, int count, boolean first)
    {
        Block b = batch;
        if (allNull) {
            for (int j = 0; j < count; j++) {
                hashes[j] = first ? NULL_HASH : combine(hashes[j], NULL_HASH);
            }
            return;
        }
        if (decimalKey) {
            long[] lows = batchLows;
            long[] hi = batchHighs;
            boolean[] n = batchNulls;
            for (int j = 0; j < count; j++) {
                long h = batchHasNulls && n[j] ? NULL_HASH : combine(ByteHashing.hash(lows[j]), ByteHashing.hash(hi[j]));
                hashes[j] = first ? h : combine(hashes[j], h);
            }
            return;
        }
        if (b == null) {
            long[] v = batchLongs;
            for (int j = 0; j < count; j++) {
                long h = ByteHashing.hash(v[j]);
                hashes[j] = first ? h : combine(hashes[j], h);
            }
            return;
        }
        if (bytesKey) {
            byte[] bytes = b.bytes();
            int[] offs = b.offsets();
            for (int j = 0; j < count; j++) {
                long h = b.isNull(j) ? NULL_HASH : ByteHashing.hash(bytes, offs[j], offs[j + 1]);
                hashes[j] = first ? h : combine(hashes[j], h);
            }
        }
        else {
            long[] v = batchLongs;
            if (!b.hasNull()) {
                if (first) {
                    for (int j = 0; j < count; j++) {
                        hashes[j] = ByteHashing.hash(v[j]);
                    }
                }
                else {
                    for (int j = 0; j < count; j++) {
                        hashes[j] = combine(hashes[j], ByteHashing.hash(v[j]));
                    }
                }
            }
            else {
                boolean[] n = b.nulls();
                for (int j = 0; j < count; j++) {
                    long h = n[j] ? NULL_HASH : ByteHashing.hash(v[j]);
                    hashes[j] = first ? h : combine(hashes[j], h);
                }
            }
        }
    }

    static long combine(long h, long next)
    {
        return Long.rotateLeft(h * 0x9E3779B97F4A7C15L, 31) ^ next;
    }

    /** Whether row {@code j} of the batch has the key of {@code group}. */
    boolean matches(int group, int j)
    {
        boolean isNull = isNull(j);
        if (nulls[group] != isNull) {
            return false;
        }
        if (isNull) {
            return true;
        }
        if (bytesKey) {
            int[] offs = batch.offsets();
            return Arrays.equals(arena, offsets[group], offsets[group + 1], batch.bytes(), offs[j], offs[j + 1]);
        }
        if (decimalKey) {
            return values[group] == batchLows[j] && highs[group] == batchHighs[j];
        }
        return values[group] == batchLongs[j];
    }

    /** Hash of a NULL key. */
    static long nullHash()
    {
        return NULL_HASH;
    }

    /** The gathered batch of a bytes key ({@link #prepare}d with a block), or null when all NULL or constant. */
    Block bytesBatch()
    {
        return allNull ? null : batch;
    }

    /** Whether group {@code group}'s key is the non-NULL value {@code bytes[from..to)} (a bytes key). */
    boolean groupEquals(int group, byte[] bytes, int from, int to)
    {
        return !nulls[group] && Arrays.equals(arena, offsets[group], offsets[group + 1], bytes, from, to);
    }

    /** The long key of row j (not for varchar keys); only meaningful when not null. */
    long longAt(int j)
    {
        return batchLongs[j];
    }

    long groupLong(int group)
    {
        return values[group];
    }

    boolean groupIsNull(int group)
    {
        return nulls[group];
    }

    boolean batchHasNull()
    {
        return allNull || (decimalKey ? batchHasNulls : batch != null && batch.hasNull());
    }

    private boolean isNull(int j)
    {
        if (decimalKey) {
            return allNull || batchHasNulls && batchNulls[j];
        }
        return allNull || batch != null && batch.isNull(j);
    }

    /** Whether the key is one long per row (the single-key fast path of {@link GroupByHash}). */
    boolean isLongKey()
    {
        return !bytesKey && !decimalKey;
    }

    boolean isBytesKey()
    {
        return bytesKey;
    }

    /** Stores row {@code j}'s key as group {@code group} (which is the next group). */
    void append(int group, int j)
    {
        ensureGroup(group);
        boolean isNull = isNull(j);
        nulls[group] = isNull;
        if (bytesKey) {
            int length = 0;
            if (!isNull) {
                int[] offs = batch.offsets();
                int from = offs[j];
                length = offs[j + 1] - from;
                ensureArena(length);
                System.arraycopy(batch.bytes(), from, arena, arenaSize, length);
            }
            arenaSize += length;
            offsets[group + 1] = arenaSize;
        }
        else {
            values[group] = isNull ? 0 : batchLongs[j];
            if (instantKey) {
                zoned[group] = isNull || batch == null ? values[group] : batch.longs()[j];
            }
            if (decimalKey) {
                highs[group] = isNull ? 0 : batchHighs[j];
            }
        }
    }

    /** Stores {@code bytes[from..to)} (a bytes key), or NULL when {@code bytes} is null, as group {@code group} (which is the next group). */
    void appendBytes(int group, byte[] bytes, int from, int to)
    {
        if (!bytesKey) {
            throw new IllegalStateException("not a bytes key");
        }
        ensureGroup(group);
        nulls[group] = bytes == null;
        if (bytes != null) {
            ensureArena(to - from);
            System.arraycopy(bytes, from, arena, arenaSize, to - from);
            arenaSize += to - from;
        }
        offsets[group + 1] = arenaSize;
    }

    private void ensureGroup(int group)
    {
        if (group >= nulls.length) {
            int capacity = Math.max(16, nulls.length + (nulls.length >> 1));
            nulls = Arrays.copyOf(nulls, capacity);
            if (bytesKey) {
                offsets = Arrays.copyOf(offsets, capacity + 1);
            }
            else {
                values = Arrays.copyOf(values, capacity);
            }
            if (decimalKey) {
                highs = Arrays.copyOf(highs, capacity);
            }
            if (instantKey) {
                zoned = Arrays.copyOf(zoned, capacity);
            }
        }
    }

    private void ensureArena(int length)
    {
        long needed = (long) arenaSize + length;
        if (needed > arena.length) {
            if (needed > MAX_ARRAY) {
                throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Group-by keys exceed " + MAX_ARRAY + " bytes");
            }
            arena = Arrays.copyOf(arena, (int) Math.min(MAX_ARRAY, Math.max(needed, Math.max(1024, arena.length + (long) (arena.length >> 1)))));
        }
    }

    /** Writes the keys of groups {@code [from, from+count)} into {@code dst}. */
    void write(FieldVector dst, int from, int count)
    {
        if (decimalKey) {
            int[] groups = new int[count];
            for (int i = 0; i < count; i++) {
                groups[i] = from + i;
            }
            writeGroups(dst, groups, count);
            return;
        }
        switch (physicalType.representation()) {
            case LONG -> Vectors.writeLongs(dst, physicalType, instantKey ? zoned : values, nulls, from, count);
            case DOUBLE -> {
                double[] d = new double[count];
                for (int i = 0; i < count; i++) {
                    d[i] = Double.longBitsToDouble(values[from + i]);
                }
                Vectors.writeDoubles(dst, physicalType, d, Arrays.copyOfRange(nulls, from, from + count), 0, count);
            }
            case BYTES -> Vectors.writeBytes((BaseVariableWidthVector) dst, arena, offsets, nulls, from, count);
            case OTHER -> throw new IllegalStateException();
        }
    }

    /** Writes the keys of {@code groups[0..count)} into {@code dst}, in that order. */
    void writeGroups(FieldVector dst, int[] groups, int count)
    {
        boolean[] n = new boolean[count];
        for (int i = 0; i < count; i++) {
            n[i] = nulls[groups[i]];
        }
        if (decimalKey) {
            BaseFixedWidthVector vector = (BaseFixedWidthVector) dst;
            vector.allocateNew(Math.max(count, 1));
            ArrowBuf data = vector.getDataBuffer();
            for (int i = 0; i < count; i++) {
                data.setLong((long) i << 4, values[groups[i]]);
                data.setLong(((long) i << 4) + 8, highs[groups[i]]);
            }
            Accumulator.writeValidity(vector.getValidityBuffer(), n, 0, count);
            vector.setValueCount(count);
            return;
        }
        switch (physicalType.representation()) {
            case LONG -> {
                long[] v = new long[count];
                long[] source = instantKey ? zoned : values;
                for (int i = 0; i < count; i++) {
                    v[i] = source[groups[i]];
                }
                Vectors.writeLongs(dst, physicalType, v, n, 0, count);
            }
            case DOUBLE -> {
                double[] d = new double[count];
                for (int i = 0; i < count; i++) {
                    d[i] = Double.longBitsToDouble(values[groups[i]]);
                }
                Vectors.writeDoubles(dst, physicalType, d, n, 0, count);
            }
            case BYTES -> {
                int[] starts = new int[count];
                int[] lengths = new int[count];
                for (int i = 0; i < count; i++) {
                    starts[i] = offsets[groups[i]];
                    lengths[i] = offsets[groups[i] + 1] - starts[i];
                }
                Vectors.writeBytes((BaseVariableWidthVector) dst, arena, starts, lengths, n, 0, count);
            }
            case OTHER -> throw new IllegalStateException();
        }
    }

    long sizeInBytes()
    {
        return (long) values.length * 8 + nulls.length + arena.length + (long) offsets.length * 4 + (long) doubleBits.length * 8 + (long) constants.length * 8 + highs.length * 8L + batchLows.length * 17L
                + zoned.length * 8L + instants.length * 8L;
    }
}
