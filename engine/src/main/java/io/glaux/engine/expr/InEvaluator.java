package io.glaux.engine.expr;

import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.Arrays;
import java.util.List;

/**
 * {@code value IN (literals)}: a primitive hash set (or a short array) of longs, double bits, or byte
 * strings. TRUE when the value is in the list; FALSE when it is not and the list has no NULL; else NULL.
 */
final class InEvaluator
        extends BooleanEvaluator
{
    private static final int LINEAR_LIMIT = 4;

    private final ValueEvaluator value;
    private final boolean listHasNull;
    private final long[] smallSet;
    private final LongHashSet longSet;
    private final BytesHashSet bytesSet;
    private int[] hits = new int[0];

    private InEvaluator(ValueEvaluator value, boolean listHasNull, long[] longs, List<byte[]> bytes)
    {
        this.value = value;
        this.listHasNull = listHasNull;
        if (bytes != null) {
            this.bytesSet = new BytesHashSet(bytes);
            this.smallSet = null;
            this.longSet = null;
        }
        else {
            this.bytesSet = null;
            long[] distinct = Arrays.stream(longs).distinct().toArray();
            this.smallSet = distinct.length <= LINEAR_LIMIT ? distinct : null;
            this.longSet = distinct.length <= LINEAR_LIMIT ? null : new LongHashSet(distinct);
        }
    }

    /** For long-represented values (integers, date, timestamp, boolean). */
    static InEvaluator ofLongs(ValueEvaluator value, long[] items, boolean listHasNull)
    {
        return new InEvaluator(value, listHasNull, items, null);
    }

    /** For real/double values; items are matched by value (0.0 = -0.0, NaN matches nothing). */
    static InEvaluator ofDoubles(ValueEvaluator value, double[] items, boolean listHasNull)
    {
        long[] bits = Arrays.stream(items).filter(d -> !Double.isNaN(d)).mapToLong(InEvaluator::doubleKey).toArray();
        return new InEvaluator(value, listHasNull, bits, null);
    }

    static InEvaluator ofBytes(ValueEvaluator value, List<byte[]> items, boolean listHasNull)
    {
        return new InEvaluator(value, listHasNull, null, items);
    }

    private static long doubleKey(double d)
    {
        return d == 0 ? 0 : Double.doubleToRawLongBits(d);
    }

    @Override
    int select(VectorSchemaRoot batch, int[] positions, int count, boolean wantTrue, int[] out)
    {
        if (count == 0 || (!wantTrue && listHasNull)) {
            return 0;
        }
        Block block = value.evaluate(batch, positions, count);
        if (hits.length < count) {
            hits = new int[Block.grow(hits.length, count)];
        }
        int[] h = hits;
        int flip = wantTrue ? 0 : 1;
        int n = 0;
        switch (value.physicalType.representation()) {
            case LONG -> {
                long[] values = block.longs;
                if (smallSet != null) {
                    long[] set = smallSet;
                    for (int j = 0; j < count; j++) {
                        long v = values[j];
                        int found = 0;
                        for (long item : set) {
                            found |= v == item ? 1 : 0;
                        }
                        h[n] = j;
                        n += found ^ flip;
                    }
                }
                else {
                    LongHashSet set = longSet;
                    for (int j = 0; j < count; j++) {
                        h[n] = j;
                        n += (set.contains(values[j]) ? 1 : 0) ^ flip;
                    }
                }
            }
            case DOUBLE -> {
                double[] values = block.doubles;
                for (int j = 0; j < count; j++) {
                    double v = values[j];
                    boolean found = v == v && containsLong(doubleKey(v));
                    h[n] = j;
                    n += (found ? 1 : 0) ^ flip;
                }
            }
            case BYTES -> {
                byte[] bytes = block.bytes;
                int[] offsets = block.offsets;
                BytesHashSet set = bytesSet;
                for (int j = 0; j < count; j++) {
                    h[n] = j;
                    n += (set.contains(bytes, offsets[j], offsets[j + 1]) ? 1 : 0) ^ flip;
                }
            }
            case OTHER -> throw new IllegalStateException();
        }
        return mapHits(h, n, block, null, positions, out);
    }

    private boolean containsLong(long v)
    {
        if (smallSet != null) {
            for (long item : smallSet) {
                if (item == v) {
                    return true;
                }
            }
            return false;
        }
        return longSet.contains(v);
    }
}
