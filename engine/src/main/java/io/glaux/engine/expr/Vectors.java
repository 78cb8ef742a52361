package io.glaux.engine.expr;

import io.glaux.connectors.arrow.ArrowSegments;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Tight per-type loops between Arrow vectors and {@link Block}s: gather selected rows into a block,
 * write a block (or flat arrays) into a new vector, copy selected rows vector to vector. Positions are
 * row numbers, usually ascending but not always (a lambda reads its row's columns once per element, so
 * a row repeats); consecutive rows are copied in one step. Engine-internal.
 */
public final class Vectors
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private Vectors() {}

    /**
     * The first {@code bytes} of {@code buffer} as a memory segment ({@link ArrowSegments}): its accessors
     * check bounds in a way the JIT hoists out of loops, where each of ArrowBuf's checked accessors reads
     * the reference count (a volatile read per value). Arrow buffers are in native byte order, as the
     * layouts here.
     */
    static MemorySegment segment(ArrowBuf buffer, long bytes)
    {
        return ArrowSegments.of(buffer, bytes);
    }

    /** The whole of {@code buffer} as a memory segment, for reads at positions in any order. */
    public static MemorySegment segment(ArrowBuf buffer)
    {
        return ArrowSegments.of(buffer);
    }

    /** Whether {@code positions[0..count)} ({@code count > 0}) are consecutive ascending row numbers. */
    static boolean consecutive(int[] positions, int count)
    {
        int first = positions[0];
        if (positions[count - 1] - first != count - 1) {
            return false;
        }
        for (int j = 1; j < count - 1; j++) {
            if (positions[j] != first + j) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code vector} has a NULL: Arrow's {@code getNullCount()} counts bits a byte at a time
     * through a bounds-checked accessor; this reads the validity buffer a word at a time and stops at
     * the first NULL.
     */
    public static boolean hasNulls(ValueVector vector)
    {
        int count = vector.getValueCount();
        if (count == 0) {
            return false;
        }
        if (!(vector instanceof BaseFixedWidthVector || vector instanceof BaseVariableWidthVector)) {
            return vector.getNullCount() > 0;
        }
        ArrowBuf validity = vector.getValidityBuffer();
        if (validity.capacity() < (count + 7L) / 8) {
            return vector.getNullCount() > 0;
        }
        int words = count >>> 6;
        for (int w = 0; w < words; w++) {
            if (validity.getLong((long) w << 3) != -1L) {
                return true;
            }
        }
        for (int row = words << 6; row < count; row++) {
            if ((validity.getByte(row >>> 3) >> (row & 7) & 1) == 0) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ gather

    /** Reads rows {@code positions[0..count)} of {@code vector} into {@code out} (densely). */
    public static void gather(FieldVector vector, PhysicalType type, int[] positions, int count, Block out)
    {
        switch (type.representation()) {
            case LONG -> gatherLongs(vector, type, positions, count, out.longs(count));
            case DOUBLE -> gatherDoubles(vector, type, positions, count, out.doubles(count));
            case BYTES -> gatherBytes((BaseVariableWidthVector) vector, positions, count, out);
            case OTHER -> throw new IllegalArgumentException("cannot compute on " + vector.getField());
        }
        gatherNulls(vector, positions, count, out);
    }

    /** Reads only the null flags of rows {@code positions[0..count)} (any vector type). */
    public static void gatherNulls(FieldVector vector, int[] positions, int count, Block out)
    {
        if (count == 0 || !hasNulls(vector)) {
            out.noNulls(count);
            return;
        }
        ArrowBuf validity = vector.getValidityBuffer();
        boolean[] nulls = out.nulls(count);
        for (int j = 0; j < count; j++) {
            int row = positions[j];
            nulls[j] = ((validity.getByte(row >>> 3) >> (row & 7)) & 1) == 0;
        }
        out.count = count;
        out.hasNull = true;
    }

    private static void gatherLongs(FieldVector vector, PhysicalType type, int[] positions, int count, long[] dst)
    {
        if (count == 0) {
            return;
        }
        ArrowBuf data = vector.getDataBuffer();
        switch (type) {
            case BOOLEAN -> {
                for (int j = 0; j < count; j++) {
                    int row = positions[j];
                    dst[j] = (data.getByte(row >>> 3) >> (row & 7)) & 1;
                }
            }
            case INT8 -> {
                for (int j = 0; j < count; j++) {
                    dst[j] = data.getByte(positions[j]);
                }
            }
            case INT16 -> {
                for (int j = 0; j < count; j++) {
                    dst[j] = data.getShort((long) positions[j] << 1);
                }
            }
            case INT32 -> {
                MemorySegment values = segment(data);
                for (int j = 0; j < count; j++) {
                    dst[j] = values.get(INT, (long) positions[j] << 2);
                }
            }
            case INT64 -> {
                MemorySegment values = segment(data);
                if (consecutive(positions, count)) {
                    // contiguous rows: one copy
                    MemorySegment.copy(values, LONG, (long) positions[0] << 3, dst, 0, count);
                }
                else {
                    for (int j = 0; j < count; j++) {
                        dst[j] = values.get(LONG, (long) positions[j] << 3);
                    }
                }
            }
            case DECIMAL -> {
                MemorySegment values = segment(data);
                long wide = 0;
                for (int j = 0; j < count; j++) {
                    long at = (long) positions[j] << 4;
                    long low = values.get(LONG, at);
                    wide |= values.get(LONG, at + 8) ^ (low >> 63);
                    dst[j] = low;
                }
                if (wide != 0) {
                    throw Decimals.tooLarge(vector.getField().getName());
                }
            }
            default -> throw new IllegalArgumentException(type.name());
        }
    }

    private static void gatherDoubles(FieldVector vector, PhysicalType type, int[] positions, int count, double[] dst)
    {
        if (count == 0) {
            return;
        }
        ArrowBuf data = vector.getDataBuffer();
        if (type == PhysicalType.FLOAT32) {
            for (int j = 0; j < count; j++) {
                dst[j] = data.getFloat((long) positions[j] << 2);
            }
        }
        else {
            MemorySegment values = segment(data);
            if (consecutive(positions, count)) {
                MemorySegment.copy(values, DOUBLE, (long) positions[0] << 3, dst, 0, count);
            }
            else {
                for (int j = 0; j < count; j++) {
                    dst[j] = values.get(DOUBLE, (long) positions[j] << 3);
                }
            }
        }
    }

    private static void gatherBytes(BaseVariableWidthVector vector, int[] positions, int count, Block out)
    {
        int[] offsets = out.offsets(count + 1);
        offsets[0] = 0;
        if (count == 0) {
            return;
        }
        ArrowBuf offsetBuffer = vector.getOffsetBuffer();
        ArrowBuf data = vector.getDataBuffer();
        if (consecutive(positions, count)) {
            // contiguous rows: one copy
            int first = offsetBuffer.getInt((long) positions[0] << 2);
            int last = offsetBuffer.getInt((long) (positions[count - 1] + 1) << 2);
            byte[] bytes = out.bytes(last - first, 0);
            data.getBytes(first, bytes, 0, last - first);
            int row = positions[0];
            for (int j = 1; j <= count; j++) {
                offsets[j] = offsetBuffer.getInt((long) (row + j) << 2) - first;
            }
            return;
        }
        int total = 0;
        for (int j = 0; j < count; j++) {
            long at = (long) positions[j] << 2;
            total += offsetBuffer.getInt(at + 4) - offsetBuffer.getInt(at);
            offsets[j + 1] = total;
        }
        byte[] bytes = out.bytes(total, 0);
        for (int j = 0; j < count; j++) {
            int start = offsetBuffer.getInt((long) positions[j] << 2);
            int length = offsets[j + 1] - offsets[j];
            if (length > 0) {
                data.getBytes(start, bytes, offsets[j], length);
            }
        }
    }

    // ------------------------------------------------------------------ write

    /** Writes the block's {@code count} values into {@code dst} (allocating it), in the vector's type. */
    public static void write(Block block, PhysicalType type, int count, FieldVector dst)
    {
        boolean[] nulls = block.hasNull ? block.nulls : null;
        switch (type.representation()) {
            case LONG -> writeLongs(dst, type, block.longs, nulls, 0, count);
            case DOUBLE -> writeDoubles(dst, type, block.doubles, nulls, 0, count);
            case BYTES -> writeBytes((BaseVariableWidthVector) dst, block.bytes, block.offsets, nulls, 0, count);
            case OTHER -> throw new IllegalArgumentException("cannot write " + dst.getField());
        }
    }

    /** Writes {@code values[from..from+count)} (null where {@code nulls[i]}, if nulls is not null). */
    public static void writeLongs(FieldVector dst, PhysicalType type, long[] values, boolean[] nulls, int from, int count)
    {
        BaseFixedWidthVector vector = (BaseFixedWidthVector) dst;
        vector.allocateNew(Math.max(count, 1));
        ArrowBuf data = vector.getDataBuffer();
        switch (type) {
            case BOOLEAN -> {
                int fullBytes = count >>> 3;
                int i = from;
                for (int b = 0; b < fullBytes; b++) {
                    int bits = 0;
                    for (int k = 0; k < 8; k++) {
                        bits |= (values[i + k] != 0 ? 1 : 0) << k;
                    }
                    data.setByte(b, bits);
                    i += 8;
                }
                int bits = 0;
                for (int k = 0; i < from + count; k++, i++) {
                    bits |= (values[i] != 0 ? 1 : 0) << k;
                }
                if ((count & 7) != 0) {
                    data.setByte(fullBytes, bits);
                }
            }
            case INT8 -> {
                for (int j = 0; j < count; j++) {
                    data.setByte(j, (byte) values[from + j]);
                }
            }
            case INT16 -> {
                for (int j = 0; j < count; j++) {
                    data.setShort((long) j << 1, (short) values[from + j]);
                }
            }
            case INT32 -> {
                MemorySegment out = segment(data, (long) count << 2);
                for (int j = 0; j < count; j++) {
                    out.set(INT, (long) j << 2, (int) values[from + j]);
                }
            }
            case INT64 -> MemorySegment.copy(values, from, segment(data, (long) count << 3), LONG, 0, count);
            case DECIMAL -> {
                MemorySegment out = segment(data, (long) count << 4);
                for (int j = 0; j < count; j++) {
                    long v = values[from + j];
                    out.set(LONG, (long) j << 4, v);
                    out.set(LONG, ((long) j << 4) + 8, v >> 63);
                }
            }
            default -> throw new IllegalArgumentException(type.name());
        }
        writeValidity(vector.getValidityBuffer(), nulls, from, count);
        vector.setValueCount(count);
    }

    public static void writeDoubles(FieldVector dst, PhysicalType type, double[] values, boolean[] nulls, int from, int count)
    {
        BaseFixedWidthVector vector = (BaseFixedWidthVector) dst;
        vector.allocateNew(Math.max(count, 1));
        ArrowBuf data = vector.getDataBuffer();
        if (type == PhysicalType.FLOAT32) {
            for (int j = 0; j < count; j++) {
                data.setFloat((long) j << 2, (float) values[from + j]);
            }
        }
        else {
            MemorySegment.copy(values, from, segment(data, (long) count << 3), DOUBLE, 0, count);
        }
        writeValidity(vector.getValidityBuffer(), nulls, from, count);
        vector.setValueCount(count);
    }

    /** Writes values {@code i} in {@code [from, from+count)} = {@code bytes[offsets[i]..offsets[i+1])}. */
    public static void writeBytes(BaseVariableWidthVector dst, byte[] bytes, int[] offsets, boolean[] nulls, int from, int count)
    {
        int base = offsets[from];
        int total = offsets[from + count] - base;
        dst.allocateNew(Math.max(total, 1), Math.max(count, 1));
        ArrowBuf offsetBuffer = dst.getOffsetBuffer();
        for (int j = 0; j <= count; j++) {
            offsetBuffer.setInt((long) j << 2, offsets[from + j] - base);
        }
        if (total > 0) {
            dst.getDataBuffer().setBytes(0, bytes, base, total);
        }
        writeValidity(dst.getValidityBuffer(), nulls, from, count);
        dst.setLastSet(count - 1);
        dst.setValueCount(count);
    }

    /** Writes values {@code i} in {@code [from, from+count)} = {@code bytes[starts[i]..starts[i]+lengths[i])}. */
    public static void writeBytes(BaseVariableWidthVector dst, byte[] bytes, int[] starts, int[] lengths, boolean[] nulls, int from, int count)
    {
        long total = 0;
        for (int j = 0; j < count; j++) {
            if (nulls == null || !nulls[from + j]) {
                total += lengths[from + j];
            }
        }
        dst.allocateNew(Math.max(total, 1), Math.max(count, 1));
        ArrowBuf offsetBuffer = dst.getOffsetBuffer();
        ArrowBuf data = dst.getDataBuffer();
        int offset = 0;
        offsetBuffer.setInt(0, 0);
        for (int j = 0; j < count; j++) {
            if (nulls == null || !nulls[from + j]) {
                int length = lengths[from + j];
                data.setBytes(offset, bytes, starts[from + j], length);
                offset += length;
            }
            offsetBuffer.setInt((long) (j + 1) << 2, offset);
        }
        writeValidity(dst.getValidityBuffer(), nulls, from, count);
        dst.setLastSet(count - 1);
        dst.setValueCount(count);
    }

    /** Writes a vector of {@code count} NULLs, of any type. */
    public static void writeNulls(FieldVector dst, int count)
    {
        switch (dst) {
            case BaseFixedWidthVector vector -> vector.allocateNew(Math.max(count, 1));
            case BaseVariableWidthVector vector -> {
                vector.allocateNew(1, Math.max(count, 1));
                vector.getOffsetBuffer().setZero(0, vector.getOffsetBuffer().capacity());
            }
            default -> dst.allocateNew();
        }
        dst.setValueCount(count);
        ArrowBuf validity = dst.getValidityBuffer();
        validity.setZero(0, validity.capacity());
    }

    static void writeValidity(ArrowBuf validity, boolean[] nulls, int from, int count)
    {
        int fullBytes = count >>> 3;
        int remaining = count & 7;
        if (nulls == null) {
            validity.setOne(0, (long) fullBytes);
            if (remaining != 0) {
                validity.setByte(fullBytes, (1 << remaining) - 1);
            }
            return;
        }
        int i = from;
        for (int b = 0; b < fullBytes; b++) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                bits |= (nulls[i + k] ? 0 : 1) << k;
            }
            validity.setByte(b, bits);
            i += 8;
        }
        if (remaining != 0) {
            int bits = 0;
            for (int k = 0; k < remaining; k++) {
                bits |= (nulls[i + k] ? 0 : 1) << k;
            }
            validity.setByte(fullBytes, bits);
        }
    }

    // ------------------------------------------------------------------ copy

    /** Copies rows {@code positions[0..count)} of {@code src} into {@code dst} (same vector type), allocating it. */
    public static void copy(FieldVector src, PhysicalType type, int[] positions, int count, FieldVector dst)
    {
        switch (type) {
            case BOOLEAN, INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, DECIMAL -> copyFixed(src, type, positions, count, (BaseFixedWidthVector) dst);
            case VARIABLE_WIDTH -> copyVariable((BaseVariableWidthVector) src, positions, count, (BaseVariableWidthVector) dst);
            case OTHER -> {
                dst.allocateNew();
                for (int j = 0; j < count; j++) {
                    dst.copyFromSafe(positions[j], j, src);
                }
                dst.setValueCount(count);
            }
        }
    }

    private static void copyFixed(FieldVector src, PhysicalType type, int[] positions, int count, BaseFixedWidthVector dst)
    {
        dst.allocateNew(Math.max(count, 1));
        if (count == 0) {
            dst.setValueCount(0);
            return;
        }
        ArrowBuf from = src.getDataBuffer();
        ArrowBuf to = dst.getDataBuffer();
        boolean contiguous = consecutive(positions, count);
        int width = type.byteWidth();
        if (type == PhysicalType.BOOLEAN) {
            copyBits(from, positions, count, to);
        }
        else if (contiguous) {
            to.setBytes(0, from, (long) positions[0] * width, (long) count * width);
        }
        else {
            MemorySegment in = segment(from);
            MemorySegment out = segment(to, (long) count * width);
            switch (width) {
                case 1 -> {
                    for (int j = 0; j < count; j++) {
                        out.set(ValueLayout.JAVA_BYTE, j, in.get(ValueLayout.JAVA_BYTE, positions[j]));
                    }
                }
                case 2 -> {
                    for (int j = 0; j < count; j++) {
                        out.set(ValueLayout.JAVA_SHORT_UNALIGNED, (long) j << 1, in.get(ValueLayout.JAVA_SHORT_UNALIGNED, (long) positions[j] << 1));
                    }
                }
                case 4 -> {
                    for (int j = 0; j < count; j++) {
                        out.set(INT, (long) j << 2, in.get(INT, (long) positions[j] << 2));
                    }
                }
                case 8 -> {
                    for (int j = 0; j < count; j++) {
                        out.set(LONG, (long) j << 3, in.get(LONG, (long) positions[j] << 3));
                    }
                }
                case 16 -> {
                    for (int j = 0; j < count; j++) {
                        long at = (long) positions[j] << 4;
                        out.set(LONG, (long) j << 4, in.get(LONG, at));
                        out.set(LONG, ((long) j << 4) + 8, in.get(LONG, at + 8));
                    }
                }
                default -> {
                    for (int j = 0; j < count; j++) {
                        MemorySegment.copy(in, (long) positions[j] * width, out, (long) j * width, width);
                    }
                }
            }
        }
        copyValidity(src, positions, count, dst.getValidityBuffer());
        dst.setValueCount(count);
    }

    private static void copyVariable(BaseVariableWidthVector src, int[] positions, int count, BaseVariableWidthVector dst)
    {
        if (count == 0) {
            dst.allocateNew(1, 1);
            dst.setValueCount(0);
            return;
        }
        ArrowBuf srcOffsets = src.getOffsetBuffer();
        ArrowBuf srcData = src.getDataBuffer();
        boolean contiguous = consecutive(positions, count);
        long total;
        int first = 0;
        if (contiguous) {
            first = srcOffsets.getInt((long) positions[0] << 2);
            total = srcOffsets.getInt((long) (positions[count - 1] + 1) << 2) - first;
        }
        else {
            MemorySegment offsets = segment(srcOffsets);
            total = 0;
            for (int j = 0; j < count; j++) {
                long at = (long) positions[j] << 2;
                total += offsets.get(INT, at + 4) - offsets.get(INT, at);
            }
        }
        dst.allocateNew(Math.max(total, 1), count);
        ArrowBuf dstOffsets = dst.getOffsetBuffer();
        ArrowBuf dstData = dst.getDataBuffer();
        if (contiguous) {
            if (total > 0) {
                dstData.setBytes(0, srcData, first, total);
            }
            int row = positions[0];
            for (int j = 0; j <= count; j++) {
                dstOffsets.setInt((long) j << 2, srcOffsets.getInt((long) (row + j) << 2) - first);
            }
        }
        else {
            MemorySegment inOffsets = segment(srcOffsets);
            MemorySegment in = segment(srcData);
            MemorySegment outOffsets = segment(dstOffsets, ((long) count + 1) << 2);
            MemorySegment out = segment(dstData, total);
            int offset = 0;
            outOffsets.set(INT, 0, 0);
            for (int j = 0; j < count; j++) {
                long at = (long) positions[j] << 2;
                int start = inOffsets.get(INT, at);
                int length = inOffsets.get(INT, at + 4) - start;
                if (length <= 8) {
                    // short values (flags, codes): byte by byte beats a bulk copy's setup
                    for (int i = 0; i < length; i++) {
                        out.set(ValueLayout.JAVA_BYTE, offset + i, in.get(ValueLayout.JAVA_BYTE, start + i));
                    }
                }
                else {
                    MemorySegment.copy(in, start, out, offset, length);
                }
                offset += length;
                outOffsets.set(INT, (long) (j + 1) << 2, offset);
            }
        }
        copyValidity(src, positions, count, dst.getValidityBuffer());
        dst.setLastSet(count - 1);
        dst.setValueCount(count);
    }

    private static void copyValidity(FieldVector src, int[] positions, int count, ArrowBuf to)
    {
        if (!hasNulls(src)) {
            writeValidity(to, null, 0, count);
        }
        else {
            copyBits(src.getValidityBuffer(), positions, count, to);
        }
    }

    private static void copyBits(ArrowBuf fromBuffer, int[] positions, int count, ArrowBuf toBuffer)
    {
        MemorySegment from = segment(fromBuffer);
        MemorySegment to = segment(toBuffer, (count + 7L) >>> 3);
        int fullBytes = count >>> 3;
        int j = 0;
        for (int b = 0; b < fullBytes; b++) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                int row = positions[j + k];
                bits |= ((from.get(ValueLayout.JAVA_BYTE, row >>> 3) >> (row & 7)) & 1) << k;
            }
            to.set(ValueLayout.JAVA_BYTE, b, (byte) bits);
            j += 8;
        }
        if ((count & 7) != 0) {
            int bits = 0;
            for (int k = 0; j < count; k++, j++) {
                int row = positions[j];
                bits |= ((from.get(ValueLayout.JAVA_BYTE, row >>> 3) >> (row & 7)) & 1) << k;
            }
            to.set(ValueLayout.JAVA_BYTE, fullBytes, (byte) bits);
        }
    }

    /** Moves {@code src}'s buffers into {@code dst} without copying; {@code src} is left empty. */
    public static void transfer(FieldVector src, FieldVector dst)
    {
        src.makeTransferPair(dst).transfer();
    }
}
