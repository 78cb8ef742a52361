package io.glaux.engine.expr;

/**
 * Values of one expression for the rows of a selection, densely (index {@code j} is the j-th selected
 * row), on the heap: longs, doubles or bytes ({@code offsets[j]..offsets[j+1]} in {@code bytes})
 * depending on the {@link PhysicalType.Representation}. {@code nulls} is meaningful only when
 * {@code hasNull}. A block belongs to the evaluator that filled it and is overwritten on its next call.
 * Engine-internal.
 */
public final class Block
{
    private static final long[] NO_LONGS = new long[0];
    private static final double[] NO_DOUBLES = new double[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_INTS = {0};
    private static final boolean[] NO_BOOLEANS = new boolean[0];

    long[] longs = NO_LONGS;
    double[] doubles = NO_DOUBLES;
    byte[] bytes = NO_BYTES;
    int[] offsets = NO_INTS;
    boolean[] nulls = NO_BOOLEANS;
    boolean hasNull;
    int count;
    /**
     * Nested values (see {@link Nested}): for array(T), the elements, and for map(K, V), the keys and the
     * values, of value j at {@code offsets[j]..offsets[j+1]}; for row(...), one block per field.
     */
    Block[] children;
    /** Scratch positions for gathering nested values. */
    int[] scratch;

    public long[] longs()
    {
        return longs;
    }

    public double[] doubles()
    {
        return doubles;
    }

    public byte[] bytes()
    {
        return bytes;
    }

    public int[] offsets()
    {
        return offsets;
    }

    public boolean[] nulls()
    {
        return nulls;
    }

    public boolean hasNull()
    {
        return hasNull;
    }

    public boolean isNull(int j)
    {
        return hasNull && nulls[j];
    }

    public int count()
    {
        return count;
    }

    long[] longs(int capacity)
    {
        if (longs.length < capacity) {
            longs = new long[grow(longs.length, capacity)];
        }
        return longs;
    }

    double[] doubles(int capacity)
    {
        if (doubles.length < capacity) {
            doubles = new double[grow(doubles.length, capacity)];
        }
        return doubles;
    }

    /** Grows the byte array keeping the first {@code keep} bytes. */
    byte[] bytes(int capacity, int keep)
    {
        if (bytes.length < capacity) {
            byte[] grown = new byte[grow(bytes.length, capacity)];
            System.arraycopy(bytes, 0, grown, 0, keep);
            bytes = grown;
        }
        return bytes;
    }

    int[] offsets(int capacity)
    {
        if (offsets.length < capacity) {
            offsets = new int[grow(offsets.length, capacity)];
        }
        return offsets;
    }

    boolean[] nulls(int capacity)
    {
        if (nulls.length < capacity) {
            nulls = new boolean[grow(nulls.length, capacity)];
        }
        return nulls;
    }

    /** Child block {@code index} of a nested value (created on first use). */
    Block child(int index)
    {
        if (children == null || children.length <= index) {
            Block[] grown = new Block[index + 1];
            if (children != null) {
                System.arraycopy(children, 0, grown, 0, children.length);
            }
            children = grown;
        }
        if (children[index] == null) {
            children[index] = new Block();
        }
        return children[index];
    }

    /** The children of a nested value (for callers outside this package). */
    public Block children(int index)
    {
        return children[index];
    }

    long[] longsKeep(int capacity)
    {
        if (longs.length < capacity) {
            longs = java.util.Arrays.copyOf(longs, grow(longs.length, capacity));
        }
        return longs;
    }

    double[] doublesKeep(int capacity)
    {
        if (doubles.length < capacity) {
            doubles = java.util.Arrays.copyOf(doubles, grow(doubles.length, capacity));
        }
        return doubles;
    }

    int[] offsetsKeep(int capacity)
    {
        if (offsets.length < capacity) {
            offsets = java.util.Arrays.copyOf(offsets, grow(offsets.length, capacity));
        }
        return offsets;
    }

    boolean[] nullsKeep(int capacity)
    {
        if (nulls.length < capacity) {
            nulls = java.util.Arrays.copyOf(nulls, grow(nulls.length, capacity));
        }
        return nulls;
    }

    int[] scratch(int capacity)
    {
        if (scratch == null || scratch.length < capacity) {
            scratch = new int[grow(scratch == null ? 0 : scratch.length, capacity)];
        }
        return scratch;
    }

    /** Marks the first {@code count} values as having no NULLs. */
    void noNulls(int count)
    {
        this.count = count;
        this.hasNull = false;
    }

    static int grow(int current, int needed)
    {
        long size = Math.max(needed, Math.max(16, (long) current + (current >> 1)));
        if (size > Integer.MAX_VALUE - 16) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("array too large: " + needed);
            }
            size = needed;
        }
        return (int) size;
    }
}
