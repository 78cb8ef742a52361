package io.glaux.engine.expr;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A compiled boolean expression in SQL three-valued logic, evaluated as a selection refinement: of the
 * rows {@code positions[0..count)} (ascending), it writes to {@code out} those where the expression is
 * TRUE ({@code wantTrue}) or FALSE ({@code !wantTrue}); rows where it is NULL are in neither. {@code out}
 * may be the same array as {@code positions}: implementations write {@code out[k]} only after reading
 * {@code positions[j]} for every {@code j <= k}.
 */
abstract class BooleanEvaluator
{
    /** Returns how many rows were written to {@code out}, in ascending order. */
    abstract int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out);

    /** Removes from {@code rows[0..count)} the rows that are NULL in {@code validity}; returns the new count. */
    static int removeNullRows(ArrowBuf validity, int[] rows, int count)
    {
        int k = 0;
        for (int i = 0; i < count; i++) {
            int row = rows[i];
            rows[k] = row;
            k += (validity.getByte(row >>> 3) >> (row & 7)) & 1;
        }
        return k;
    }

    /**
     * Maps dense indexes {@code hits[0..hitCount)} (into the selection) to rows in {@code out}, dropping
     * indexes that are null in either block (blocks may be null).
     */
    static int mapHits(int[] hits, int hitCount, Block a, Block b, int[] positions, int[] out)
    {
        int k = 0;
        boolean aNull = a != null && a.hasNull;
        boolean bNull = b != null && b.hasNull;
        if (!aNull && !bNull) {
            for (int i = 0; i < hitCount; i++) {
                out[i] = positions[hits[i]];
            }
            return hitCount;
        }
        boolean[] an = aNull ? a.nulls : null;
        boolean[] bn = bNull ? b.nulls : null;
        for (int i = 0; i < hitCount; i++) {
            int j = hits[i];
            boolean isNull = (an != null && an[j]) || (bn != null && bn[j]);
            out[k] = positions[j];
            k += isNull ? 0 : 1;
        }
        return k;
    }

    static void copyIfNeeded(int[] positions, int count, int[] out)
    {
        if (positions != out) {
            System.arraycopy(positions, 0, out, 0, count);
        }
    }
}
