package io.glaux.engine.expr;

/**
 * The selected rows of a batch: ascending row positions {@code positions()[0..count())}. Reused
 * across batches (the array only grows). {@link #isAll()} when every row of the batch is selected,
 * in which case positions are {@code 0..count-1}.
 */
public final class Selection
{
    private int[] positions = new int[0];
    private int count;
    private boolean all;

    public int[] positions()
    {
        return positions;
    }

    public int count()
    {
        return count;
    }

    public boolean isAll()
    {
        return all;
    }

    /** Selects rows {@code 0..rowCount-1}. */
    public Selection selectAll(int rowCount)
    {
        int[] p = ensureCapacity(rowCount);
        for (int i = 0; i < rowCount; i++) {
            p[i] = i;
        }
        count = rowCount;
        all = true;
        return this;
    }

    /** Keeps only the first {@code limit} selected rows. */
    public void truncate(int limit)
    {
        if (limit < count) {
            count = Math.max(limit, 0);
            all = false;
        }
    }

    /** The positions array with room for {@code capacity} rows (content kept only up to {@code count}). */
    public int[] ensureCapacity(int capacity)
    {
        if (positions.length < capacity) {
            int[] grown = new int[Block.grow(positions.length, capacity)];
            System.arraycopy(positions, 0, grown, 0, count);
            positions = grown;
        }
        return positions;
    }

    /** Sets the count after writing positions directly; {@code all} says whether they are every row. */
    public void set(int count, boolean all)
    {
        this.count = count;
        this.all = all;
    }
}
