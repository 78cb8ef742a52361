package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.SqlTypes;
import io.glaux.engine.expr.TimeZones;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.expr.XxHashes;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * CHECKSUM(x), as Trino's: the wrapping sum over the rows of {@code xxhash64(x) * PRIME64}
 * ({@code PRIME64} for a NULL), so the order of the rows does not matter; the result is the sum's 8
 * bytes little-endian, NULL for a group without rows. Each type hashes its value as Trino's type does
 * ({@code XX_HASH_64}): integers, dates, timestamps, intervals and booleans their long, time its
 * picoseconds, timestamp with time zone its epoch milliseconds, real and double their bits (0 and -0
 * one value), varchar and varbinary their bytes. The state is the bigint sum (NULL without rows).
 */
final class Checksum
        extends Accumulator
{
    static final long PRIME64 = 0x9E3779B185EBCA87L;

    private enum Kind
    {
        LONG, TIME, INSTANT, REAL, DOUBLE, BYTES
    }

    private final Kind kind;
    private final PhysicalType inputType;
    private final Block state = new Block();
    private long[] sums = new long[0];
    private boolean[] empty = new boolean[0];

    Checksum(Type input)
    {
        this.inputType = AggregationLayout.of(input);
        if (input instanceof Type.Time) {
            kind = Kind.TIME;
        }
        else if (input instanceof Type.TimestampWithTimeZone) {
            kind = Kind.INSTANT;
        }
        else if (input.equals(Type.REAL)) {
            kind = Kind.REAL;
        }
        else if (input.equals(Type.DOUBLE)) {
            kind = Kind.DOUBLE;
        }
        else if (SqlTypes.isVarchar(input) || input.equals(Type.VARBINARY)) {
            kind = Kind.BYTES;
        }
        else if (inputType.representation() == PhysicalType.Representation.LONG && !(input instanceof Type.Timestamp timestamp && timestamp.precision() > 6)) {
            kind = Kind.LONG;
        }
        else {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "checksum of " + input.trinoName() + " is not supported");
        }
    }

    @Override
    void ensureCapacity(int groups)
    {
        if (sums.length < groups) {
            int size = grow(sums.length, groups);
            sums = Arrays.copyOf(sums, size);
            empty = growEmpty(empty, size);
        }
    }

    @Override
    void add(int[] groups, Args args)
    {
        Block input = args.blocks[0];
        int count = args.count;
        boolean[] nulls = input.hasNull() ? input.nulls() : null;
        long[] s = sums;
        boolean[] e = empty;
        switch (kind) {
            case LONG -> {
                long[] v = input.longs();
                for (int j = 0; j < count; j++) {
                    int g = groups[j];
                    s[g] += nulls != null && nulls[j] ? PRIME64 : XxHashes.hash(v[j]) * PRIME64;
                    e[g] = false;
                }
            }
            case TIME -> {
                // Trino holds time as picoseconds of the day
                long[] v = input.longs();
                for (int j = 0; j < count; j++) {
                    int g = groups[j];
                    s[g] += nulls != null && nulls[j] ? PRIME64 : XxHashes.hash(v[j] * 1_000_000L) * PRIME64;
                    e[g] = false;
                }
            }
            case INSTANT -> {
                long[] v = input.longs();
                for (int j = 0; j < count; j++) {
                    int g = groups[j];
                    s[g] += nulls != null && nulls[j] ? PRIME64 : XxHashes.hash(v[j] >> TimeZones.KEY_BITS) * PRIME64;
                    e[g] = false;
                }
            }
            case REAL -> {
                double[] v = input.doubles();
                for (int j = 0; j < count; j++) {
                    // 0 and -0 one value, every NaN the canonical one
                    long bits = Float.floatToIntBits(v[j] == 0 ? 0 : (float) v[j]);
                    int g = groups[j];
                    s[g] += nulls != null && nulls[j] ? PRIME64 : XxHashes.hash(bits) * PRIME64;
                    e[g] = false;
                }
            }
            case DOUBLE -> {
                double[] v = input.doubles();
                for (int j = 0; j < count; j++) {
                    long bits = Double.doubleToLongBits(v[j] == 0 ? 0 : v[j]);
                    int g = groups[j];
                    s[g] += nulls != null && nulls[j] ? PRIME64 : XxHashes.hash(bits) * PRIME64;
                    e[g] = false;
                }
            }
            case BYTES -> {
                byte[] bytes = input.bytes();
                int[] offsets = input.offsets();
                for (int j = 0; j < count; j++) {
                    int g = groups[j];
                    s[g] += nulls != null && nulls[j] ? PRIME64 : XxHashes.hash(bytes, offsets[j], offsets[j + 1]) * PRIME64;
                    e[g] = false;
                }
            }
        }
    }

    @Override
    void merge(int[] groups, FieldVector vector, int[] positions, int count)
    {
        Vectors.gather(vector, PhysicalType.INT64, positions, count, state);
        long[] v = state.longs();
        boolean[] nulls = state.hasNull() ? state.nulls() : null;
        for (int j = 0; j < count; j++) {
            if (nulls == null || !nulls[j]) {
                int g = groups[j];
                sums[g] += v[j];
                empty[g] = false;
            }
        }
    }

    @Override
    void writeIntermediate(FieldVector dst, int from, int count)
    {
        Vectors.writeLongs(dst, PhysicalType.INT64, sums, empty, from, count);
    }

    @Override
    void writeFinal(FieldVector dst, int from, int count)
    {
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (!empty[from + i]) {
                long sum = sums[from + i];
                byte[] bytes = new byte[8];
                for (int k = 0; k < 8; k++) {
                    bytes[k] = (byte) (sum >>> (8 * k));
                }
                values[i] = bytes;
            }
        }
        Sketches.writeBinary(dst, values, count);
    }

    @Override
    long sizeInBytes()
    {
        return sums.length * 9L;
    }
}
