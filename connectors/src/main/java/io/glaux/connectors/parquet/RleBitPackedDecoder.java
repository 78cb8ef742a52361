package io.glaux.connectors.parquet;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary ids, RLE booleans)
 * in bulk from {@code bytes[offset, limit)}. A run is either one value repeated (decoded by filling) or
 * groups of 8 bit-packed values (unpacked a whole run at a time). Reading past the encoded values is an
 * {@link IllegalArgumentException}. Not thread-safe; reusable through {@link #reset}.
 */
final class RleBitPackedDecoder
{
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[0];
    private int position;
    private int limit;
    private int bitWidth;

    /** values left in the current run */
    private int runRemaining;
    private boolean packed;
    private int rleValue;
    /** the unpacked values of the current bit-packed run, from {@code unpackedIndex} */
    private int[] unpacked = new int[64];
    private int unpackedIndex;
    /** the current bit-packed run: its values and where its bytes lie; not unpacked yet while {@code pendingUnpack} */
    private int packedCount;
    private int packedStart;
    private int packedEnd;
    private boolean pendingUnpack;

    void reset(byte[] bytes, int offset, int limit, int bitWidth)
    {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new IllegalArgumentException("bad bit width " + bitWidth);
        }
        this.bytes = requireNonNull(bytes, "bytes is null");
        this.position = offset;
        this.limit = limit;
        this.bitWidth = bitWidth;
        this.runRemaining = 0;
    }

    /**
     * Decodes {@code count} values of the deprecated BIT_PACKED encoding (levels of old v1 pages: no
     * runs, no length prefix, most significant bit first) from {@code bytes[offset, limit)}; read them
     * with {@link #readDefined}. Returns the offset after them.
     */
    int resetBitPacked(byte[] bytes, int offset, int limit, int bitWidth, int count)
    {
        reset(bytes, offset, limit, bitWidth);
        long length = ((long) count * bitWidth + 7) / 8;
        if (offset + length > limit) {
            throw new IllegalArgumentException("%d BIT_PACKED values of %d bits run past the end of the data at offset %d".formatted(count, bitWidth, offset));
        }
        if (unpacked.length < count) {
            unpacked = new int[count];
        }
        long mask = (1L << bitWidth) - 1;
        long bit = 0;
        for (int i = 0; i < count; i++) {
            // most significant bit first: the value's bits are the next bitWidth bits of the stream
            long value = 0;
            for (int b = 0; b < bitWidth; b++, bit++) {
                value = value << 1 | ((bytes[offset + (int) (bit >>> 3)] >>> (7 - (bit & 7))) & 1);
            }
            unpacked[i] = (int) (value & mask);
        }
        packed = true;
        pendingUnpack = false;
        packedCount = count;
        unpackedIndex = 0;
        runRemaining = count;
        position = limit;
        return offset + (int) length;
    }

    /**
     * Reads {@code count} levels, storing 1 at {@code defined[offset + i]} where the level equals
     * {@code maxLevel} and 0 elsewhere; returns how many were 1.
     */
    int readDefined(byte[] defined, int offset, int count, int maxLevel)
    {
        int ones = 0;
        int done = 0;
        while (done < count) {
            if (runRemaining == 0) {
                nextRun();
            }
            int n = Math.min(runRemaining, count - done);
            if (packed) {
                ensureUnpacked();
                int[] values = unpacked;
                int from = unpackedIndex;
                for (int i = 0; i < n; i++) {
                    int one = values[from + i] == maxLevel ? 1 : 0;
                    defined[offset + done + i] = (byte) one;
                    ones += one;
                }
                unpackedIndex += n;
            }
            else {
                boolean one = rleValue == maxLevel;
                Arrays.fill(defined, offset + done, offset + done + n, (byte) (one ? 1 : 0));
                if (one) {
                    ones += n;
                }
            }
            runRemaining -= n;
            done += n;
        }
        return ones;
    }

    /** Skips {@code count} levels; returns how many equal {@code maxLevel}. */
    int skipDefined(int count, int maxLevel)
    {
        int ones = 0;
        int done = 0;
        while (done < count) {
            if (runRemaining == 0) {
                nextRun();
            }
            int n = Math.min(runRemaining, count - done);
            if (packed) {
                ensureUnpacked();
                int[] values = unpacked;
                int from = unpackedIndex;
                for (int i = 0; i < n; i++) {
                    if (values[from + i] == maxLevel) {
                        ones++;
                    }
                }
                unpackedIndex += n;
            }
            else if (rleValue == maxLevel) {
                ones += n;
            }
            runRemaining -= n;
            done += n;
        }
        return ones;
    }

    /** Skips {@code count} values. */
    void skip(int count)
    {
        int done = 0;
        while (done < count) {
            if (runRemaining == 0) {
                nextRun();
            }
            int n = Math.min(runRemaining, count - done);
            if (packed) {
                unpackedIndex += n;
            }
            runRemaining -= n;
            done += n;
        }
    }

    /** Reads {@code count} values into {@code values[offset...]}. */
    void readInts(int[] values, int offset, int count)
    {
        int done = 0;
        while (done < count) {
            if (runRemaining == 0) {
                nextRun();
            }
            int n = Math.min(runRemaining, count - done);
            if (packed) {
                if (pendingUnpack && n == packedCount) {
                    // the whole run at once: straight into the caller's array
                    unpack(values, offset + done, n);
                    pendingUnpack = false;
                }
                else {
                    ensureUnpacked();
                    System.arraycopy(unpacked, unpackedIndex, values, offset + done, n);
                }
                unpackedIndex += n;
            }
            else {
                Arrays.fill(values, offset + done, offset + done + n, rleValue);
            }
            runRemaining -= n;
            done += n;
        }
    }

    private void nextRun()
    {
        int header = readUnsignedVarInt();
        if ((header & 1) == 1) {
            int groups = header >>> 1;
            int count = groups * 8;
            if (groups <= 0 || count < 0) {
                throw new IllegalArgumentException("bad bit-packed run header " + header + " at offset " + (position - 1));
            }
            // the last run of a page may be cut short of its last group: missing bits read as 0
            int end = (int) Math.min(limit, position + (long) count * bitWidth / 8);
            if (bitWidth > 0 && position >= end) {
                throw new IllegalArgumentException("bit-packed run past the end of the data at offset " + position);
            }
            packedStart = position;
            packedEnd = end;
            position = end;
            packed = true;
            pendingUnpack = true;
            packedCount = count;
            unpackedIndex = 0;
            runRemaining = count;
        }
        else {
            int count = header >>> 1;
            if (count <= 0) {
                throw new IllegalArgumentException("bad RLE run header " + header + " at offset " + (position - 1));
            }
            int width = (bitWidth + 7) / 8;
            if (position + width > limit) {
                throw new IllegalArgumentException("RLE run value past the end of the data at offset " + position);
            }
            int value = 0;
            for (int i = 0; i < width; i++) {
                value |= (bytes[position + i] & 0xFF) << (8 * i);
            }
            position += width;
            if (bitWidth < 32 && (value >>> bitWidth) != 0) {
                throw new IllegalArgumentException("RLE value " + value + " wider than " + bitWidth + " bits");
            }
            packed = false;
            rleValue = value;
            runRemaining = count;
        }
    }

    /** Unpacks the current bit-packed run into {@link #unpacked}, unless that is done. */
    private void ensureUnpacked()
    {
        if (pendingUnpack) {
            if (unpacked.length < packedCount) {
                unpacked = new int[Math.max(packedCount, unpacked.length * 2)];
            }
            unpack(unpacked, 0, packedCount);
            pendingUnpack = false;
        }
    }

    /** Unpacks the {@code count} values of the current bit-packed run into {@code out[offset...]}. */
    private void unpack(int[] out, int offset, int count)
    {
        int width = bitWidth;
        if (width == 0) {
            Arrays.fill(out, offset, offset + count, 0);
            return;
        }
        int end = packedEnd;
        byte[] in = bytes;
        long mask = (1L << width) - 1;
        int p = packedStart;
        if (width == 1 && end - p >= count / 8) {
            for (int i = offset; i < offset + count; i += 8) {
                int b = in[p++];
                out[i] = b & 1;
                out[i + 1] = (b >>> 1) & 1;
                out[i + 2] = (b >>> 2) & 1;
                out[i + 3] = (b >>> 3) & 1;
                out[i + 4] = (b >>> 4) & 1;
                out[i + 5] = (b >>> 5) & 1;
                out[i + 6] = (b >>> 6) & 1;
                out[i + 7] = (b >>> 7) & 1;
            }
            return;
        }
        int i = offset;
        int stop = offset + count;
        // whole groups of 8 values (width bytes each): value j starts at bit j * width of the group, so one
        // unaligned 8-byte load holds it (width <= 32); bytes loaded past the group (inside the array) are masked off
        int lastLoad = in.length - 8 - width;
        while (i < stop && p + width <= end && p <= lastLoad) {
            for (int j = 0; j < 8; j++) {
                int bit = j * width;
                long word = (long) LONG_AT.get(in, p + (bit >>> 3));
                out[i + j] = (int) ((word >>> (bit & 7)) & mask);
            }
            p += width;
            i += 8;
        }
        long buffer = 0;
        int bits = 0;
        for (; i < stop; i++) {
            while (bits < width) {
                buffer |= (long) (p < end ? in[p] & 0xFF : 0) << bits;
                p++;
                bits += 8;
            }
            out[i] = (int) (buffer & mask);
            buffer >>>= width;
            bits -= width;
        }
    }

    private int readUnsignedVarInt()
    {
        int value = 0;
        int shift = 0;
        while (true) {
            if (position >= limit) {
                throw new IllegalArgumentException("run header past the end of the data at offset " + position);
            }
            int b = bytes[position++];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 28) {
                throw new IllegalArgumentException("run header varint too long at offset " + position);
            }
        }
    }
}
