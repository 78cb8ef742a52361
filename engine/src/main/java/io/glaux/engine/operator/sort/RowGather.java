package io.glaux.engine.operator.sort;

import io.glaux.engine.expr.Vectors;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Gathers rows from several vectors of the same type (one column of several buffered batches) into one
 * new vector, in a tight loop per layout: output row {@code j} is row {@code rows[j]} of
 * {@code sources[batches[j]]}, or NULL when {@code batches[j] < 0}.
 */
public final class RowGather
{
    private RowGather() {}

    public static void gather(FieldVector[] sources, int[] batches, int[] rows, int count, FieldVector dst)
    {
        gather(sources, validities(sources), batches, rows, count, dst);
    }

    /**
     * As {@link #gather(FieldVector[], int[], int[], int, FieldVector)}, with each source's validity buffer
     * already looked up ({@code validities[i]} null when source {@code i} has no NULL): a caller that gathers
     * from the same many sources again and again (a sort's output batches) checks them for NULLs once.
     */
    public static void gather(FieldVector[] sources, ArrowBuf[] validities, int[] batches, int[] rows, int count, FieldVector dst)
    {
        switch (dst) {
            case BitVector bits -> gatherBits(sources, validities, batches, rows, count, bits);
            case BaseFixedWidthVector fixed -> gatherFixed(sources, validities, batches, rows, count, fixed);
            case BaseVariableWidthVector variable -> gatherVariable(sources, validities, batches, rows, count, variable);
            default -> {
                dst.allocateNew();
                for (int j = 0; j < count; j++) {
                    if (batches[j] >= 0) {
                        dst.copyFromSafe(rows[j], j, sources[batches[j]]);
                    }
                }
                dst.setValueCount(count);
            }
        }
    }

    private static void gatherBits(FieldVector[] sources, ArrowBuf[] validities, int[] batches, int[] rows, int count, BitVector dst)
    {
        dst.allocateNew(Math.max(count, 1));
        ArrowBuf data = dst.getDataBuffer();
        ArrowBuf validity = dst.getValidityBuffer();
        data.setZero(0, data.capacity());
        validity.setZero(0, validity.capacity());
        ArrowBuf[] datas = dataBuffers(sources);
        for (int j = 0; j < count; j++) {
            int b = batches[j];
            if (b < 0) {
                continue;
            }
            int row = rows[j];
            if (validities[b] != null && bit(validities[b], row) == 0) {
                continue;
            }
            setBit(validity, j);
            if (bit(datas[b], row) != 0) {
                setBit(data, j);
            }
        }
        dst.setValueCount(count);
    }

    /** Per source: its validity buffer, or null when it has no nulls. */
    public static ArrowBuf[] validities(FieldVector[] sources)
    {
        ArrowBuf[] validities = new ArrowBuf[sources.length];
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != null && Vectors.hasNulls(sources[i])) {
                validities[i] = sources[i].getValidityBuffer();
            }
        }
        return validities;
    }

    private static ArrowBuf[] dataBuffers(FieldVector[] sources)
    {
        ArrowBuf[] buffers = new ArrowBuf[sources.length];
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != null) {
                buffers[i] = sources[i].getDataBuffer();
            }
        }
        return buffers;
    }

    private static void gatherFixed(FieldVector[] sources, ArrowBuf[] validities, int[] batches, int[] rows, int count, BaseFixedWidthVector dst)
    {
        dst.allocateNew(Math.max(count, 1));
        ArrowBuf to = dst.getDataBuffer();
        int width = dst.getTypeWidth();
        ArrowBuf[] from = dataBuffers(sources);
        switch (width) {
            case 1 -> {
                for (int j = 0; j < count; j++) {
                    if (batches[j] >= 0) {
                        to.setByte(j, from[batches[j]].getByte(rows[j]));
                    }
                }
            }
            case 2 -> {
                for (int j = 0; j < count; j++) {
                    if (batches[j] >= 0) {
                        to.setShort((long) j << 1, from[batches[j]].getShort((long) rows[j] << 1));
                    }
                }
            }
            case 4 -> {
                for (int j = 0; j < count; j++) {
                    if (batches[j] >= 0) {
                        to.setInt((long) j << 2, from[batches[j]].getInt((long) rows[j] << 2));
                    }
                }
            }
            case 8 -> {
                for (int j = 0; j < count; j++) {
                    if (batches[j] >= 0) {
                        to.setLong((long) j << 3, from[batches[j]].getLong((long) rows[j] << 3));
                    }
                }
            }
            default -> {
                for (int j = 0; j < count; j++) {
                    if (batches[j] >= 0) {
                        to.setBytes((long) j * width, from[batches[j]], (long) rows[j] * width, width);
                    }
                }
            }
        }
        gatherValidity(validities, batches, rows, count, dst.getValidityBuffer());
        dst.setValueCount(count);
    }

    private static void gatherVariable(FieldVector[] sources, ArrowBuf[] validities, int[] batches, int[] rows, int count, BaseVariableWidthVector dst)
    {
        long total = 0;
        ArrowBuf[] offsetBuffers = new ArrowBuf[sources.length];
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != null) {
                offsetBuffers[i] = sources[i].getOffsetBuffer();
            }
        }
        ArrowBuf[] datas = dataBuffers(sources);
        for (int j = 0; j < count; j++) {
            if (batches[j] >= 0) {
                ArrowBuf offsets = offsetBuffers[batches[j]];
                long at = (long) rows[j] << 2;
                total += offsets.getInt(at + 4) - offsets.getInt(at);
            }
        }
        dst.allocateNew(Math.max(total, 1), Math.max(count, 1));
        ArrowBuf dstOffsets = dst.getOffsetBuffer();
        ArrowBuf dstData = dst.getDataBuffer();
        int offset = 0;
        dstOffsets.setInt(0, 0);
        for (int j = 0; j < count; j++) {
            if (batches[j] >= 0) {
                ArrowBuf offsets = offsetBuffers[batches[j]];
                long at = (long) rows[j] << 2;
                int start = offsets.getInt(at);
                int length = offsets.getInt(at + 4) - start;
                if (length > 0) {
                    dstData.setBytes(offset, datas[batches[j]], start, length);
                    offset += length;
                }
            }
            dstOffsets.setInt((long) (j + 1) << 2, offset);
        }
        gatherValidity(validities, batches, rows, count, dst.getValidityBuffer());
        dst.setLastSet(count - 1);
        dst.setValueCount(count);
    }

    private static void gatherValidity(ArrowBuf[] validities, int[] batches, int[] rows, int count, ArrowBuf validity)
    {
        // every byte up to the count is written below: no need to zero the buffer first
        int bits = 0;
        for (int j = 0; j < count; j++) {
            int b = batches[j];
            if (b >= 0 && (validities[b] == null || bit(validities[b], rows[j]) != 0)) {
                bits |= 1 << (j & 7);
            }
            if ((j & 7) == 7) {
                validity.setByte(j >>> 3, bits);
                bits = 0;
            }
        }
        if ((count & 7) != 0) {
            validity.setByte(count >>> 3, bits);
        }
    }

    private static int bit(ArrowBuf buffer, int index)
    {
        return (buffer.getByte(index >>> 3) >> (index & 7)) & 1;
    }

    private static void setBit(ArrowBuf buffer, int index)
    {
        long at = index >>> 3;
        buffer.setByte(at, buffer.getByte(at) | (1 << (index & 7)));
    }
}
