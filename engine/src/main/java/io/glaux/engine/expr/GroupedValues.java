package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.util.Arrays;

/**
 * Values of one type collected per group, in arrival order (the state of {@code array_agg}): appended
 * a batch at a time to one block with the group of each value beside it, and written out as one
 * array(T) per group by a counting sort over the groups. NULL values are kept (they are elements).
 */
public final class GroupedValues
{
    private final Type type;
    private final Type.Array arrayType;
    private Block values = new Block();
    private final Block scratch = new Block();
    private final Block out = new Block();
    private int[] groupOf = new int[16];

    public GroupedValues(Type type)
    {
        this.type = requireNonNull(type, "type is null");
        this.arrayType = new Type.Array(type);
        Nested.reset(values, type);
    }

    /** Adds the values at {@code positions[0..count)} of {@code vector}, value j to group {@code groups[j]}. */
    public void add(FieldVector vector, int[] positions, int count, int[] groups)
    {
        Nested.gather(vector, type, positions, count, scratch);
        int at = values.count;
        ensure(at + count);
        System.arraycopy(groups, 0, groupOf, at, count);
        Nested.appendRange(values, type, scratch, 0, count);
    }

    /** Adds values {@code 0..count)} of {@code block} (of this collection's type), value j to group {@code groups[j]}. */
    void add(Block block, int count, int[] groups)
    {
        int at = values.count;
        ensure(at + count);
        System.arraycopy(groups, 0, groupOf, at, count);
        Nested.appendRange(values, type, block, 0, count);
    }

    /** Appends the elements of the arrays at {@code positions[0..count)} of {@code arrays} (array(T) states) to groups {@code groups[j]}. */
    public void merge(FieldVector arrays, int[] positions, int count, int[] groups)
    {
        Nested.gather(arrays, arrayType, positions, count, scratch);
        Block elements = scratch.child(0);
        for (int j = 0; j < count; j++) {
            if (scratch.isNull(j)) {
                continue;
            }
            int from = scratch.offsets[j];
            int to = scratch.offsets[j + 1];
            int at = values.count;
            ensure(at + to - from);
            Arrays.fill(groupOf, at, at + to - from, groups[j]);
            Nested.appendRange(values, type, elements, from, to);
        }
    }

    /** Writes the arrays of groups {@code [from, from+count)} into {@code dst} (a list vector; NULL for a group without values). */
    public void write(FieldVector dst, int from, int count)
    {
        Nested.write(grouped(from, count), arrayType, count, dst);
    }

    /** The arrays of groups {@code [from, from+count)} as an array(T) block (NULL for a group without values); valid until the next call. */
    Block grouped(int from, int count)
    {
        int n = values.count;
        int[] starts = new int[count + 1];
        for (int i = 0; i < n; i++) {
            int g = groupOf[i] - from;
            if (g >= 0 && g < count) {
                starts[g + 1]++;
            }
        }
        for (int g = 0; g < count; g++) {
            starts[g + 1] += starts[g];
        }
        int[] order = new int[starts[count]];
        int[] next = Arrays.copyOf(starts, count);
        for (int i = 0; i < n; i++) {
            int g = groupOf[i] - from;
            if (g >= 0 && g < count) {
                order[next[g]++] = i;
            }
        }
        Nested.reset(out, arrayType);
        Block elements = out.child(0);
        for (int g = 0; g < count; g++) {
            if (starts[g] == starts[g + 1]) {
                Nested.appendNull(out, arrayType);
                continue;
            }
            for (int k = starts[g]; k < starts[g + 1]; k++) {
                Nested.append(elements, type, values, order[k]);
            }
            Nested.endArray(out);
        }
        return out;
    }

    /** Values collected (all groups). */
    int valueCount()
    {
        return values.count;
    }

    /** Chooses which of a group's values to keep. */
    interface Selector
    {
        /**
         * Of a group's values {@code elements[start..end)}, writes the positions to keep, in the order to
         * keep them, into {@code kept} (which holds {@code end - start}); returns how many.
         */
        int select(Block elements, int start, int end, int[] kept);
    }

    /**
     * Keeps of each group only the values {@code selector} chooses (the n smallest, the distinct keys),
     * in groups {@code [0, groupCount)}: O(values) plus the selector's work.
     */
    void compact(int groupCount, Selector selector)
    {
        Block grouped = grouped(0, groupCount);
        Block elements = grouped.child(0);
        Block kept = new Block();
        Nested.reset(kept, type);
        int[] keptGroups = new int[Math.max(16, values.count)];
        int size = 0;
        int[] positions = new int[16];
        for (int g = 0; g < groupCount; g++) {
            if (grouped.isNull(g)) {
                continue;
            }
            int start = grouped.offsets[g];
            int end = grouped.offsets[g + 1];
            if (positions.length < end - start) {
                positions = new int[end - start];
            }
            int n = selector.select(elements, start, end, positions);
            for (int k = 0; k < n; k++) {
                Nested.append(kept, type, elements, positions[k]);
                keptGroups[size++] = g;
            }
        }
        values = kept;
        groupOf = keptGroups;
        // the grouped copy is scratch: let it go rather than hold a second copy of the state
        Nested.reset(out, arrayType);
    }

    /** Heap bytes held (approximate). */
    public long sizeInBytes()
    {
        return 4L * groupOf.length + size(values) + size(scratch) + size(out);
    }

    /** Heap bytes of {@code block}'s arrays (approximate). */
    static long size(Block block)
    {
        long size = 8L * block.longs.length + 8L * block.doubles.length + block.bytes.length + 4L * block.offsets.length + block.nulls.length;
        if (block.children != null) {
            for (Block child : block.children) {
                size += child == null ? 0 : size(child);
            }
        }
        return size;
    }

    private void ensure(int capacity)
    {
        if (groupOf.length < capacity) {
            groupOf = Arrays.copyOf(groupOf, Block.grow(groupOf.length, capacity));
        }
    }
}
