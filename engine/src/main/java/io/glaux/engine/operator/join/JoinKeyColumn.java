package io.glaux.engine.operator.join;

import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.ByteHashing;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.TimeZones;
import io.glaux.engine.expr.Vectors;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One join key column: the key values of the batch being hashed (loaded from its Arrow vector into
 * flat heap arrays) and, on the build side, the keys of every build row stored in flat arrays indexed
 * by build row (longs, a second long for decimals, or a byte arena with offsets). Equality is SQL
 * equality: real and double compare with {@code -0.0 = 0.0} and {@code NaN = NaN} (values are held as
 * normalized bits), decimals by their 128-bit unscaled value (both sides have the same type), timestamps
 * with time zone by instant (the zone key masked off: {@code 10:00 UTC} joins {@code 11:00 +01:00}).
 */
final class JoinKeyColumn
{
    static final long NULL_HASH = 0x2545F4914F6CDD1DL;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int DISTINCT_LIMIT = 1000;

    enum Kind
    {
        LONG, DOUBLE, DECIMAL, BYTES
    }

    private final Type type;
    private final PhysicalType physicalType;
    private final Kind kind;
    /** timestamp with time zone: the loaded keys are instants (zone key cleared). */
    private final boolean instantKey;
    private final Block block = new Block();

    // the loaded batch
    private long[] lo = new long[0];
    private long[] hi = new long[0];
    private byte[] bytes;
    private int[] offsets;
    private boolean[] nulls = new boolean[0];
    private boolean hasNull;

    // stored build rows
    private long[] storedLo = new long[0];
    private long[] storedHi = new long[0];
    private byte[] arena = new byte[0];
    private int[] storedOffsets = {0};
    private boolean[] storedNulls = new boolean[0];
    private int stored;

    JoinKeyColumn(Type type)
    {
        this.type = type;
        this.physicalType = PhysicalType.of(type);
        this.instantKey = type instanceof Type.TimestampWithTimeZone;
        if (type instanceof Type.Decimal) {
            kind = Kind.DECIMAL;
        }
        else {
            kind = switch (physicalType.representation()) {
                case LONG -> Kind.LONG;
                case DOUBLE -> Kind.DOUBLE;
                case BYTES -> Kind.BYTES;
                case OTHER -> throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Join on " + type.trinoName() + " keys is not supported");
            };
        }
    }

    Kind kind()
    {
        return kind;
    }

    /** Loads rows {@code 0..count-1} of {@code vector}; {@code positions} holds {@code 0..count-1}. */
    void load(FieldVector vector, int count, int[] positions)
    {
        switch (kind) {
            case LONG -> {
                Vectors.gather(vector, physicalType, positions, count, block);
                lo = block.longs();
                if (instantKey) {
                    // the block's own array: clearing the zone keys in place changes no output
                    long[] v = lo;
                    for (int j = 0; j < count; j++) {
                        v[j] &= TimeZones.INSTANT_MASK;
                    }
                }
            }
            case DOUBLE -> {
                Vectors.gather(vector, physicalType, positions, count, block);
                if (lo.length < count) {
                    lo = new long[Math.max(count, lo.length * 2)];
                }
                double[] d = block.doubles();
                long[] bits = lo;
                for (int j = 0; j < count; j++) {
                    double v = d[j];
                    // -0.0 = 0.0, and every NaN is the canonical NaN
                    bits[j] = v == 0 ? 0 : Double.doubleToLongBits(v);
                }
            }
            case BYTES -> {
                Vectors.gather(vector, physicalType, positions, count, block);
                bytes = block.bytes();
                offsets = block.offsets();
            }
            case DECIMAL -> {
                Vectors.gatherNulls(vector, positions, count, block);
                if (lo.length < count) {
                    lo = new long[Math.max(count, lo.length * 2)];
                    hi = new long[lo.length];
                }
                ArrowBuf data = vector.getDataBuffer();
                for (int j = 0; j < count; j++) {
                    lo[j] = data.getLong((long) j << 4);
                    hi[j] = data.getLong(((long) j << 4) + 8);
                }
            }
        }
        hasNull = block.hasNull();
        nulls = block.nulls();
        if (hasNull && kind != Kind.BYTES) {
            // NULL slots hold garbage; zero them so that hashing and comparing stay deterministic
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    lo[j] = 0;
                    if (kind == Kind.DECIMAL) {
                        hi[j] = 0;
                    }
                }
            }
        }
    }

    /** Sets (first key) or mixes in the hash of every loaded row. */
    void hash(long[] hashes, int count, boolean first)
    {
        switch (kind) {
            case LONG, DOUBLE -> {
                long[] v = lo;
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
            case DECIMAL -> {
                for (int j = 0; j < count; j++) {
                    long h = combine(ByteHashing.hash(lo[j]), ByteHashing.hash(hi[j]));
                    hashes[j] = first ? h : combine(hashes[j], h);
                }
            }
            case BYTES -> {
                byte[] b = bytes;
                int[] offs = offsets;
                for (int j = 0; j < count; j++) {
                    long h = ByteHashing.hash(b, offs[j], offs[j + 1]);
                    hashes[j] = first ? h : combine(hashes[j], h);
                }
            }
        }
    }

    static long combine(long h, long next)
    {
        return Long.rotateLeft(h * 0x9E3779B97F4A7C15L, 31) ^ next;
    }

    /** Sets {@code anyNull[j]} for the loaded rows whose key is NULL. */
    void markNulls(boolean[] anyNull, int count)
    {
        if (hasNull) {
            boolean[] n = nulls;
            for (int j = 0; j < count; j++) {
                anyNull[j] |= n[j];
            }
        }
    }

    boolean batchHasNull()
    {
        return hasNull;
    }

    long[] batchLongs()
    {
        return lo;
    }

    long[] storedLongs()
    {
        return storedLo;
    }

    /** Appends the {@code count} loaded rows to the stored rows. */
    void store(int count)
    {
        int needed = stored + count;
        if (needed > storedNulls.length) {
            int capacity = (int) Math.min(MAX_ARRAY, Math.max(needed, Math.max(1024, storedNulls.length + (long) (storedNulls.length >> 1))));
            storedNulls = Arrays.copyOf(storedNulls, capacity);
            if (kind == Kind.BYTES) {
                storedOffsets = Arrays.copyOf(storedOffsets, capacity + 1);
            }
            else {
                storedLo = Arrays.copyOf(storedLo, capacity);
                if (kind == Kind.DECIMAL) {
                    storedHi = Arrays.copyOf(storedHi, capacity);
                }
            }
        }
        if (hasNull) {
            System.arraycopy(nulls, 0, storedNulls, stored, count);
        }
        else {
            Arrays.fill(storedNulls, stored, needed, false);
        }
        if (kind == Kind.BYTES) {
            int base = storedOffsets[stored];
            int length = offsets[count] - offsets[0];
            long total = (long) base + length;
            if (total > arena.length) {
                if (total > MAX_ARRAY) {
                    throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT, "Join keys of the build side exceed " + MAX_ARRAY + " bytes");
                }
                arena = Arrays.copyOf(arena, (int) Math.min(MAX_ARRAY, Math.max(total, Math.max(1024, arena.length + (long) (arena.length >> 1)))));
            }
            System.arraycopy(bytes, offsets[0], arena, base, length);
            for (int j = 1; j <= count; j++) {
                storedOffsets[stored + j] = base + offsets[j] - offsets[0];
            }
        }
        else {
            System.arraycopy(lo, 0, storedLo, stored, count);
            if (kind == Kind.DECIMAL) {
                System.arraycopy(hi, 0, storedHi, stored, count);
            }
        }
        stored = needed;
    }

    /** Whether loaded row {@code j} has the key of stored row {@code g} of {@code build} (neither NULL). */
    boolean equalsStored(int j, JoinKeyColumn build, int g)
    {
        return switch (kind) {
            case LONG, DOUBLE -> lo[j] == build.storedLo[g];
            case DECIMAL -> lo[j] == build.storedLo[g] && hi[j] == build.storedHi[g];
            case BYTES -> Arrays.equals(bytes, offsets[j], offsets[j + 1], build.arena, build.storedOffsets[g], build.storedOffsets[g + 1]);
        };
    }

    /** Whether stored rows {@code a} and {@code b} have the same key (neither NULL). */
    boolean storedEquals(int a, int b)
    {
        return switch (kind) {
            case LONG, DOUBLE -> storedLo[a] == storedLo[b];
            case DECIMAL -> storedLo[a] == storedLo[b] && storedHi[a] == storedHi[b];
            case BYTES -> Arrays.equals(arena, storedOffsets[a], storedOffsets[a + 1], arena, storedOffsets[b], storedOffsets[b + 1]);
        };
    }

    boolean storedIsNull(int g)
    {
        return storedNulls[g];
    }

    /** Drops the stored rows (the build side went to disk). */
    void clearStored()
    {
        storedLo = new long[0];
        storedHi = new long[0];
        arena = new byte[0];
        storedOffsets = new int[] {0};
        storedNulls = new boolean[0];
        stored = 0;
    }

    /** Heap bytes of the stored rows and the batch arrays. */
    long sizeInBytes()
    {
        return storedLo.length * 8L + storedHi.length * 8L + arena.length + storedOffsets.length * 4L + storedNulls.length
                + lo.length * 8L + hi.length * 8L;
    }

    /** Heap bytes per stored row, for estimates. */
    int bytesPerRow()
    {
        return switch (kind) {
            case LONG, DOUBLE -> 9;
            case DECIMAL -> 17;
            case BYTES -> 5;
        };
    }

    /**
     * The values of the stored rows' keys as a {@link Domain} (see {@link Range} for the Java
     * representation): the distinct values when at most 1,000, else their min/max range. Empty for
     * types pruning cannot use (decimal, varbinary, timestamp with time zone) or when a double key holds NaN.
     */
    Optional<Domain> domain(int rows)
    {
        boolean isVarchar = type instanceof Type.Varchar;
        if (kind == Kind.DECIMAL || (kind == Kind.BYTES && !isVarchar) || instantKey) {
            // instants without their zones are no values of the column
            return Optional.empty();
        }
        // distinct representatives, by stored row, in a small open-addressing set
        int[] set = new int[4096];
        Arrays.fill(set, -1);
        int mask = set.length - 1;
        int[] distinct = new int[DISTINCT_LIMIT];
        int distinctCount = 0;
        boolean overflow = false;
        int min = -1;
        int max = -1;
        for (int g = 0; g < rows; g++) {
            if (storedNulls[g]) {
                continue;
            }
            if (kind == Kind.DOUBLE && Double.isNaN(Double.longBitsToDouble(storedLo[g]))) {
                return Optional.empty();
            }
            if (min < 0 || compareStored(g, min) < 0) {
                min = g;
            }
            if (max < 0 || compareStored(g, max) > 0) {
                max = g;
            }
            if (overflow) {
                continue;
            }
            long hash = kind == Kind.BYTES ? ByteHashing.hash(arena, storedOffsets[g], storedOffsets[g + 1]) : ByteHashing.hash(storedLo[g]);
            int slot = (int) hash & mask;
            while (set[slot] >= 0 && !storedEquals(set[slot], g)) {
                slot = (slot + 1) & mask;
            }
            if (set[slot] < 0) {
                if (distinctCount == DISTINCT_LIMIT) {
                    overflow = true;
                    continue;
                }
                set[slot] = g;
                distinct[distinctCount++] = g;
            }
        }
        if (min < 0) {
            return Optional.of(new Domain(List.of(), false));
        }
        if (!overflow) {
            List<Range> ranges = new ArrayList<>(distinctCount);
            for (int i = 0; i < distinctCount; i++) {
                Comparable<?> value = value(distinct[i]);
                ranges.add(value instanceof Double d && d == 0 ? new Range(-0.0, true, 0.0, true) : Range.equal(value));
            }
            return Optional.of(new Domain(ranges, false));
        }
        if (kind == Kind.BYTES && hasFourByteUtf8()) {
            // UTF-8 byte order differs from String.compareTo only around supplementary characters
            return Optional.empty();
        }
        Comparable<?> low = value(min);
        Comparable<?> high = value(max);
        if (low instanceof Double d && d == 0) {
            low = -0.0;
        }
        if (high instanceof Double d && d == 0) {
            high = 0.0;
        }
        return Optional.of(new Domain(List.of(new Range(low, true, high, true)), false));
    }

    private boolean hasFourByteUtf8()
    {
        int end = storedOffsets[stored];
        for (int i = 0; i < end; i++) {
            if ((arena[i] & 0xF8) == 0xF0) {
                return true;
            }
        }
        return false;
    }

    private int compareStored(int a, int b)
    {
        return switch (kind) {
            case LONG -> Long.compare(storedLo[a], storedLo[b]);
            case DOUBLE -> Double.compare(Double.longBitsToDouble(storedLo[a]), Double.longBitsToDouble(storedLo[b]));
            case BYTES -> Arrays.compareUnsigned(arena, storedOffsets[a], storedOffsets[a + 1], arena, storedOffsets[b], storedOffsets[b + 1]);
            case DECIMAL -> throw new IllegalStateException();
        };
    }

    private Comparable<?> value(int g)
    {
        return switch (kind) {
            case LONG -> physicalType == PhysicalType.BOOLEAN ? (Comparable<?>) (storedLo[g] != 0) : (Comparable<?>) storedLo[g];
            case DOUBLE -> Double.longBitsToDouble(storedLo[g]);
            case BYTES -> new String(arena, storedOffsets[g], storedOffsets[g + 1] - storedOffsets[g], StandardCharsets.UTF_8);
            case DECIMAL -> throw new IllegalStateException();
        };
    }
}
