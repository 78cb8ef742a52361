package io.glaux.engine.operator.join;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Gathers rows from one or several source vectors of the same type into a new vector, in any order
 * and with repetitions: what a join needs to assemble its output. Row {@code j} of the result is
 * row {@code (int) addresses[j]} of source {@code (int) (addresses[j] >>> 32)}, or NULL when
 * {@code addresses[j] < 0}. Fixed-width, boolean and variable-width vectors are copied buffer to
 * buffer in tight loops; nested vectors (list, map, struct) value by value.
 */
final class JoinGather
{
    private JoinGather() {}

    static long address(int source, int row)
    {
        return ((long) source << 32) | row;
    }

    /** Fills {@code dst} (allocating it) with {@code count} rows taken from {@code sources} at {@code addresses}. */
    static void gather(FieldVector[] sources, long[] addresses, int count, FieldVector dst)
    {
        switch (dst) {
            case BitVector bits -> gatherBits(sources, addresses, count, bits);
            case BaseFixedWidthVector fixed -> gatherFixed(sources, addresses, count, fixed);
            case BaseVariableWidthVector variable -> gatherVariable(sources, addresses, count, variable);
            default -> gatherNested(sources, addresses, count, dst);
        }
    }

    /** A vector of {@code count} NULLs of the vector's type. */
    static void nulls(FieldVector dst, int count)
    {
        io.glaux.engine.expr.Vectors.writeNulls(dst, count);
    }

    /** The sources' validity buffers; null for a source without one (every value is valid). */
    private static ArrowBuf[] validity(FieldVector[] sources)
    {
        ArrowBuf[] buffers = new ArrowBuf[sources.length];
        for (int i = 0; i < sources.length; i++) {
            ArrowBuf buffer = sources[i].getValidityBuffer();
            buffers[i] = buffer.capacity() == 0 ? null : buffer;
        }
        return buffers;
    }

    private static int validBit(ArrowBuf validity, int row)
    {
        return validity == null ? 1 : (validity.getByte(row >>> 3) >> (row & 7)) & 1;
    }

    private static ArrowBuf[] data(FieldVector[] sources)
    {
        ArrowBuf[] buffers = new ArrowBuf[sources.length];
        for (int i = 0; i < sources.length; i++) {
            buffers[i] = sources[i].getDataBuffer();
        }
        return buffers;
    }

    private static void gatherFixed(FieldVector[] sources, long[] addresses, int count, BaseFixedWidthVector dst)
    {
        dst.allocateNew(Math.max(count, 1));
        ArrowBuf[] from = data(sources);
        ArrowBuf to = dst.getDataBuffer();
        int width = dst.getTypeWidth();
        // one tight loop per width; NULL rows (address < 0) leave their value slot unset
        switch (width) {
            case 1 -> {
                for (int j = 0; j < count; j++) {
                    long address = addresses[j];
                    if (address >= 0) {
                        to.setByte(j, from[(int) (address >>> 32)].getByte((int) address));
                    }
                }
            }
            case 2 -> {
                for (int j = 0; j < count; j++) {
                    long address = addresses[j];
                    if (address >= 0) {
                        to.setShort((long) j << 1, from[(int) (address >>> 32)].getShort((long) (int) address << 1));
                    }
                }
            }
            case 4 -> {
                for (int j = 0; j < count; j++) {
                    long address = addresses[j];
                    if (address >= 0) {
                        to.setInt((long) j << 2, from[(int) (address >>> 32)].getInt((long) (int) address << 2));
                    }
                }
            }
            case 8 -> {
                for (int j = 0; j < count; j++) {
                    long address = addresses[j];
                    if (address >= 0) {
                        to.setLong((long) j << 3, from[(int) (address >>> 32)].getLong((long) (int) address << 3));
                    }
                }
            }
            case 16 -> {
                for (int j = 0; j < count; j++) {
                    long address = addresses[j];
                    if (address >= 0) {
                        ArrowBuf buffer = from[(int) (address >>> 32)];
                        long at = (long) (int) address << 4;
                        to.setLong((long) j << 4, buffer.getLong(at));
                        to.setLong(((long) j << 4) + 8, buffer.getLong(at + 8));
                    }
                }
            }
            default -> {
                for (int j = 0; j < count; j++) {
                    long address = addresses[j];
                    if (address >= 0) {
                        to.setBytes((long) j * width, from[(int) (address >>> 32)], (long) (int) address * width, width);
                    }
                }
            }
        }
        gatherValidity(sources, addresses, count, dst.getValidityBuffer());
        dst.setValueCount(count);
    }

    /** Sets the validity bits of the gathered rows: valid where the address is not NULL and the source row is valid. */
    private static void gatherValidity(FieldVector[] sources, long[] addresses, int count, ArrowBuf toValid)
    {
        ArrowBuf[] valid = validity(sources);
        int fullBytes = count >>> 3;
        int j = 0;
        for (int b = 0; b < fullBytes; b++) {
            int bits = 0;
            for (int k = 0; k < 8; k++, j++) {
                long address = addresses[j];
                if (address >= 0) {
                    int row = (int) address;
                    bits |= validBit(valid[(int) (address >>> 32)], row) << k;
                }
            }
            toValid.setByte(b, bits);
        }
        if (j < count) {
            int bits = 0;
            for (int k = 0; j < count; k++, j++) {
                long address = addresses[j];
                if (address >= 0) {
                    int row = (int) address;
                    bits |= validBit(valid[(int) (address >>> 32)], row) << k;
                }
            }
            toValid.setByte(fullBytes, bits);
        }
    }

    private static void gatherBits(FieldVector[] sources, long[] addresses, int count, BitVector dst)
    {
        dst.allocateNew(Math.max(count, 1));
        ArrowBuf[] from = data(sources);
        ArrowBuf[] valid = validity(sources);
        ArrowBuf to = dst.getDataBuffer();
        ArrowBuf toValid = dst.getValidityBuffer();
        int bits = 0;
        int values = 0;
        for (int j = 0; j < count; j++) {
            long address = addresses[j];
            if (address >= 0) {
                int source = (int) (address >>> 32);
                int row = (int) address;
                bits |= validBit(valid[source], row) << (j & 7);
                values |= ((from[source].getByte(row >>> 3) >> (row & 7)) & 1) << (j & 7);
            }
            if ((j & 7) == 7) {
                toValid.setByte(j >>> 3, bits);
                to.setByte(j >>> 3, values);
                bits = 0;
                values = 0;
            }
        }
        if ((count & 7) != 0) {
            toValid.setByte(count >>> 3, bits);
            to.setByte(count >>> 3, values);
        }
        dst.setValueCount(count);
    }

    private static void gatherVariable(FieldVector[] sources, long[] addresses, int count, BaseVariableWidthVector dst)
    {
        ArrowBuf[] offsets = new ArrowBuf[sources.length];
        for (int i = 0; i < sources.length; i++) {
            offsets[i] = sources[i].getOffsetBuffer();
        }
        ArrowBuf[] from = data(sources);
        ArrowBuf[] valid = validity(sources);
        long total = 0;
        for (int j = 0; j < count; j++) {
            long address = addresses[j];
            if (address >= 0) {
                ArrowBuf offset = offsets[(int) (address >>> 32)];
                long at = (long) (int) address << 2;
                total += offset.getInt(at + 4) - offset.getInt(at);
            }
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("gathered values exceed 2 GB: " + total);
        }
        dst.allocateNew(Math.max(total, 1), Math.max(count, 1));
        ArrowBuf toOffsets = dst.getOffsetBuffer();
        ArrowBuf to = dst.getDataBuffer();
        ArrowBuf toValid = dst.getValidityBuffer();
        int position = 0;
        int bits = 0;
        toOffsets.setInt(0, 0);
        for (int j = 0; j < count; j++) {
            long address = addresses[j];
            if (address >= 0) {
                int source = (int) (address >>> 32);
                int row = (int) address;
                bits |= validBit(valid[source], row) << (j & 7);
                ArrowBuf offset = offsets[source];
                int start = offset.getInt((long) row << 2);
                int length = offset.getInt(((long) row << 2) + 4) - start;
                if (length > 0) {
                    to.setBytes(position, from[source], start, length);
                    position += length;
                }
            }
            toOffsets.setInt((long) (j + 1) << 2, position);
            if ((j & 7) == 7) {
                toValid.setByte(j >>> 3, bits);
                bits = 0;
            }
        }
        if ((count & 7) != 0) {
            toValid.setByte(count >>> 3, bits);
        }
        dst.setLastSet(count - 1);
        dst.setValueCount(count);
    }

    private static void gatherNested(FieldVector[] sources, long[] addresses, int count, FieldVector dst)
    {
        dst.allocateNew();
        for (int j = 0; j < count; j++) {
            long address = addresses[j];
            if (address >= 0) {
                dst.copyFromSafe((int) address, j, sources[(int) (address >>> 32)]);
            }
            else {
                switch (dst) {
                    case ListVector list -> list.setNull(j);
                    case StructVector struct -> struct.setNull(j);
                    default -> throw new IllegalArgumentException("cannot gather " + dst.getField());
                }
            }
        }
        dst.setValueCount(count);
    }
}
