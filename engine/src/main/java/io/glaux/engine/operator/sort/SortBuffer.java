package io.glaux.engine.operator.sort;

import io.glaux.engine.expr.Vectors;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.plan.SortKey;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batches held by one operator plus their sort keys on the heap ({@link RowComparator}). Rows are
 * numbered 0.. in append order across batches; {@link #sort} orders those numbers and {@link #gather}
 * copies numbered rows, from any batches, into a new batch. Engine-internal; not thread-safe.
 */
public final class SortBuffer
        implements AutoCloseable
{
    private final List<Type> types;
    private final RowComparator comparator;
    private final List<VectorSchemaRoot> batches = new ArrayList<>();
    private int[] batchStarts = new int[8];
    private int rowCount;
    private long batchBytes;
    private int lastBatch;
    /** per column: its vector in each batch, and their validity buffers (null: no NULL), kept up to date by {@link #cache} */
    private final FieldVector[][] columnCache;
    private final ArrowBuf[][] validityCache;

    public SortBuffer(List<Type> types, List<SortKey> keys)
    {
        this.types = List.copyOf(types);
        this.comparator = new RowComparator(types, keys);
        this.columnCache = new FieldVector[types.size()][];
        this.validityCache = new ArrowBuf[types.size()][];
    }

    public List<Type> types()
    {
        return types;
    }

    public RowComparator comparator()
    {
        return comparator;
    }

    public int rowCount()
    {
        return rowCount;
    }

    public List<VectorSchemaRoot> batches()
    {
        return batches;
    }

    /** Arrow bytes of the buffered batches. */
    public long batchBytes()
    {
        return batchBytes;
    }

    /** Heap bytes of the keys and the row numbers a sort needs. */
    public long heapBytes()
    {
        // a sort needs row numbers and key prefixes, twice (merge buffers)
        return comparator.sizeInBytes() + (long) batchStarts.length * 4 + 24L * rowCount;
    }

    /** Keeps {@code batch} (which must already belong to the operator's allocator) and its keys. */
    public void add(VectorSchemaRoot batch)
    {
        int rows = batch.getRowCount();
        if ((long) rowCount + rows > ColumnValues.MAX_ARRAY) {
            batch.close();
            throw new io.glaux.spi.error.GlauxException(io.glaux.spi.error.ErrorCode.EXCEEDED_MEMORY_LIMIT,
                    "Sort buffer exceeds " + ColumnValues.MAX_ARRAY + " rows");
        }
        if (batches.size() + 1 >= batchStarts.length) {
            batchStarts = Arrays.copyOf(batchStarts, batchStarts.length * 2);
        }
        batches.add(batch);
        comparator.append(batch);
        batchStarts[batches.size() - 1] = rowCount;
        rowCount += rows;
        batchStarts[batches.size()] = rowCount;
        batchBytes += Batches.sizeInBytes(batch);
    }

    /** The row numbers {@code 0..rowCount) in key order (stable). */
    public int[] sort(Runnable checkCancelled)
    {
        int[] order = new int[rowCount];
        for (int i = 0; i < rowCount; i++) {
            order[i] = i;
        }
        RowComparator c = comparator;
        if (c.keyCount() == 0) {
            return order;
        }
        long[] prefixes = new long[rowCount];
        for (int i = 0; i < rowCount; i++) {
            prefixes[i] = c.prefix(i);
        }
        IntSorter.IntComparator tie;
        if (!c.prefixIsExact()) {
            tie = c::compare;
        }
        else if (c.keyCount() == 1) {
            tie = (a, b) -> 0;
        }
        else {
            int keys = c.keyCount();
            tie = (a, b) -> c.compare(a, c, b, 1, keys);
        }
        PrefixSorter.sort(prefixes, order, rowCount, tie, checkCancelled);
        return order;
    }

    /** The batch holding row {@code row}. */
    public int batchOf(int row)
    {
        int b = lastBatch;
        if (b < batches.size() && row >= batchStarts[b] && row < batchStarts[b + 1]) {
            return b;
        }
        int lo = 0;
        int hi = batches.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (batchStarts[mid] <= row) {
                lo = mid;
            }
            else {
                hi = mid - 1;
            }
        }
        lastBatch = lo;
        return lo;
    }

    public int batchStart(int batch)
    {
        return batchStarts[batch];
    }

    /** Splits row numbers {@code rows[from..from+count)} into batch indexes and rows within them; negative = NULL. */
    public void locate(int[] rows, int from, int count, int[] batchOut, int[] rowOut)
    {
        for (int j = 0; j < count; j++) {
            int row = rows[from + j];
            if (row < 0) {
                batchOut[j] = -1;
                rowOut[j] = 0;
                continue;
            }
            int b = batchOf(row);
            batchOut[j] = b;
            rowOut[j] = row - batchStarts[b];
        }
    }

    /** Column {@code column} of every batch, by batch index. */
    public FieldVector[] columnOf(int column)
    {
        cache(column);
        return columnCache[column];
    }

    /**
     * Per batch, the validity buffer of column {@code column}, or null when the batch has no NULL there;
     * looked up once per batch (the sort's output is gathered from every batch many times).
     */
    public ArrowBuf[] validitiesOf(int column)
    {
        cache(column);
        return validityCache[column];
    }

    /** Brings the cached vectors of {@code column} up to the batches added (batches are only appended until {@link #clear}). */
    private void cache(int column)
    {
        int n = batches.size();
        FieldVector[] vectors = columnCache[column];
        int done = vectors == null ? 0 : vectors.length;
        if (vectors != null && done == n) {
            return;
        }
        vectors = vectors == null ? new FieldVector[n] : Arrays.copyOf(vectors, n);
        ArrowBuf[] validities = validityCache[column] == null ? new ArrowBuf[n] : Arrays.copyOf(validityCache[column], n);
        for (int b = done; b < n; b++) {
            vectors[b] = batches.get(b).getVector(column);
            validities[b] = Vectors.hasNulls(vectors[b]) ? vectors[b].getValidityBuffer() : null;
        }
        columnCache[column] = vectors;
        validityCache[column] = validities;
    }

    /** A new batch of rows {@code rows[from..from+count)} (row numbers), allocated from {@code allocator}. */
    public VectorSchemaRoot gather(int[] rows, int from, int count, BufferAllocator allocator)
    {
        int[] batchIndex = new int[count];
        int[] rowIndex = new int[count];
        locate(rows, from, count, batchIndex, rowIndex);
        VectorSchemaRoot out = Batches.create(types, allocator);
        try {
            for (int column = 0; column < types.size(); column++) {
                RowGather.gather(columnOf(column), validitiesOf(column), batchIndex, rowIndex, count, out.getVector(column));
            }
            out.setRowCount(count);
            return out;
        }
        catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** Closes the batches and forgets every row. */
    public void clear()
    {
        for (VectorSchemaRoot batch : batches) {
            batch.close();
        }
        batches.clear();
        Arrays.fill(columnCache, null);
        Arrays.fill(validityCache, null);
        comparator.clear();
        rowCount = 0;
        batchBytes = 0;
        lastBatch = 0;
        batchStarts[0] = 0;
    }

    @Override
    public void close()
    {
        clear();
    }
}
