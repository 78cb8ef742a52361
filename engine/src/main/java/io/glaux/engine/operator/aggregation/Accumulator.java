package io.glaux.engine.operator.aggregation;

import io.glaux.engine.expr.Block;
import io.glaux.engine.expr.Vectors;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.StructVector;

import java.util.Arrays;

/**
 * The per-group state of one aggregate in flat arrays indexed by group id (or, for sketches, one
 * object per group), updated a batch at a time: one virtual call per batch, a tight loop inside.
 * Raw rows come in through {@link #add}, intermediate states (another step's output) through
 * {@link #merge}; {@link #writeIntermediate} and {@link #writeFinal} write a range of groups.
 */
abstract class Accumulator
{
    /** The gathered arguments of one call for the rows being added (row j = the j-th selected row). */
    static final class Args
    {
        /** Per argument: the values, or null for types the evaluator does not hold (decimal, array). */
        final Block[] blocks;
        /** Per argument: the vector the rows come from. */
        final FieldVector[] vectors;
        /** Row numbers in the vectors of rows {@code 0..count)}. */
        int[] positions;
        int count;

        Args(int arguments)
        {
            blocks = new Block[arguments];
            vectors = new FieldVector[arguments];
        }
    }

    /** Makes room for {@code groups} groups. */
    abstract void ensureCapacity(int groups);

    /** Adds row j of {@code args} to group {@code groups[j]}, for j in [0, args.count). */
    abstract void add(int[] groups, Args args);

    /** Merges the intermediate state at row {@code positions[j]} of {@code state} into group {@code groups[j]}. */
    abstract void merge(int[] groups, FieldVector state, int[] positions, int count);

    /** Writes the intermediate states of groups {@code [from, from+count)} (allocating {@code dst}). */
    abstract void writeIntermediate(FieldVector dst, int from, int count);

    /** Writes the results of groups {@code [from, from+count)} (allocating {@code dst}). */
    abstract void writeFinal(FieldVector dst, int from, int count);

    /** Heap bytes held. */
    abstract long sizeInBytes();

    /** Whether argument {@code i} is needed only for its NULL flags (COUNT). */
    boolean needsOnlyNulls(int argument)
    {
        return false;
    }

    static int grow(int current, int needed)
    {
        return Math.max(needed, Math.max(16, current + (current >> 1)));
    }

    static boolean[] growEmpty(boolean[] empty, int size)
    {
        int old = empty.length;
        boolean[] grown = Arrays.copyOf(empty, size);
        Arrays.fill(grown, old, size, true);
        return grown;
    }

    static boolean isNull(FieldVector vector, int row)
    {
        if (!Vectors.hasNulls(vector)) {
            return false;
        }
        ArrowBuf validity = vector.getValidityBuffer();
        return ((validity.getByte(row >>> 3) >> (row & 7)) & 1) == 0;
    }

    static FieldVector child(FieldVector struct, int index)
    {
        return (FieldVector) ((StructVector) struct).getChildByOrdinal(index);
    }

    /** Sets the struct's own validity (children written already) and its value count. */
    static void finishStruct(FieldVector vector, boolean[] nulls, int from, int count)
    {
        StructVector struct = (StructVector) vector;
        for (int i = 0; i < count; i++) {
            if (nulls != null && nulls[from + i]) {
                struct.setNull(i);
            }
            else {
                struct.setIndexDefined(i);
            }
        }
        struct.setValueCount(count);
    }

    /** Writes validity bits for {@code count} values: valid unless {@code nulls[from + i]}. */
    static void writeValidity(ArrowBuf validity, boolean[] nulls, int from, int count)
    {
        validity.setZero(0, validity.capacity());
        for (int i = 0; i < count; i++) {
            if (nulls == null || !nulls[from + i]) {
                validity.setByte(i >>> 3, validity.getByte(i >>> 3) | (1 << (i & 7)));
            }
        }
    }
}
