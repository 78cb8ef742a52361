package io.glaux.engine.operator.join;

import io.glaux.engine.operator.Batches;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The buffered rows of a join's build side: its batches (moved into the join's allocator, never
 * copied) and, per build row {@code g} (rows numbered across batches in arrival order), its
 * (batch, row) address for {@link JoinGather}.
 */
final class BuildRows
        implements AutoCloseable
{
    private final int columnCount;
    private final List<VectorSchemaRoot> batches = new ArrayList<>();
    private long[] addresses = new long[0];
    private int rowCount;
    private long arrowBytes;
    private FieldVector[][] columns;

    BuildRows(int columnCount)
    {
        this.columnCount = columnCount;
    }

    /** Adds a batch this object now owns. */
    void add(VectorSchemaRoot batch)
    {
        int source = batches.size();
        batches.add(batch);
        columns = null;
        int count = batch.getRowCount();
        int needed = rowCount + count;
        if (needed > addresses.length) {
            addresses = Arrays.copyOf(addresses, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, Math.max(1024, addresses.length + (long) (addresses.length >> 1)))));
        }
        long base = (long) source << 32;
        for (int row = 0; row < count; row++) {
            addresses[rowCount + row] = base | row;
        }
        rowCount = needed;
        arrowBytes += Batches.sizeInBytes(batch);
    }

    int rowCount()
    {
        return rowCount;
    }

    long[] addresses()
    {
        return addresses;
    }

    long arrowBytes()
    {
        return arrowBytes;
    }

    long heapBytes()
    {
        return addresses.length * 8L;
    }

    /** The batches, in order; for moving them elsewhere with {@link #clear()}. */
    List<VectorSchemaRoot> batches()
    {
        return batches;
    }

    /** Per column, the vector of every batch. */
    FieldVector[][] columns()
    {
        if (columns == null) {
            columns = new FieldVector[columnCount][batches.size()];
            for (int b = 0; b < batches.size(); b++) {
                for (int c = 0; c < columnCount; c++) {
                    columns[c][b] = batches.get(b).getVector(c);
                }
            }
        }
        return columns;
    }

    /** Forgets the batches without closing them (their new owner closes them). */
    void clear()
    {
        batches.clear();
        columns = null;
        addresses = new long[0];
        rowCount = 0;
        arrowBytes = 0;
    }

    @Override
    public void close()
    {
        RuntimeException failure = null;
        for (VectorSchemaRoot batch : batches) {
            try {
                batch.close();
            }
            catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        clear();
        if (failure != null) {
            throw failure;
        }
    }
}
