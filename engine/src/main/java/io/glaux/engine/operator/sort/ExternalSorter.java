package io.glaux.engine.operator.sort;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.SortKey;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The sorting engine behind {@link SortOperator} and the window operator: {@link #add} batches,
 * {@link #finish()}, then {@link #next()} yields the rows in key order in batches of at most
 * {@link #OUTPUT_ROWS}. It does not own its {@link OperatorContext}.
 *
 * <p>In memory: batches are kept as they come (moved into the operator's allocator), their keys copied
 * to the heap; at the end the row numbers are sorted and the output gathered batch by batch.
 *
 * <p>External: when the query's memory runs short (the heap reservation for the keys is refused, or
 * fewer bytes remain available than two input batches need, or the operator holds more than half of the
 * query's limit, see {@link OperatorContext#exceedsSpillShare}) and a spill directory is configured, the
 * buffer is sorted and written as a run (an Arrow IPC file) and freed. At the end the remaining buffer
 * becomes a run too and the runs are merged through a binary heap of run cursors, each holding one
 * batch of its run; when more runs are left than the memory can hold open, the oldest runs are first
 * merged into one run that takes their place. Runs stay in input order and the merge breaks ties by run,
 * so the sort is stable. Without a spill directory the refused reservation fails the query with
 * EXCEEDED_MEMORY_LIMIT. Spill files are deleted on {@link #close()}; spilled bytes go to the stats.
 */
public final class ExternalSorter
        implements AutoCloseable
{
    public static final int OUTPUT_ROWS = 16 * 1024;
    private static final int SPILL_ROWS = 4 * 1024;
    private static final long MIN_RESERVE = 256 * 1024;

    private final OperatorContext context;
    private final List<Type> types;
    private final List<SortKey> keys;
    private final SortBuffer buffer;
    private final List<Path> runs = new ArrayList<>();
    private long largestBatchBytes;
    private long heapReserved;
    private int mergePasses;

    private boolean finished;
    // in-memory output
    private int[] order;
    private int emitted;
    private long spillBatchBytes;
    // merge output
    private Merge merge;

    public ExternalSorter(OperatorContext context, List<Type> types, List<SortKey> keys)
    {
        this.context = requireNonNull(context, "context is null");
        this.types = List.copyOf(types);
        this.keys = List.copyOf(keys);
        this.buffer = new SortBuffer(types, keys);
    }

    public int spilledRuns()
    {
        return runs.size();
    }

    /** Merge passes that wrote an intermediate run because the runs did not fit in memory together. */
    public int mergePasses()
    {
        return mergePasses;
    }

    /** Takes ownership of {@code batch}. */
    public void add(VectorSchemaRoot batch)
    {
        if (finished) {
            batch.close();
            throw new IllegalStateException("sorter is finished");
        }
        if (batch.getRowCount() == 0) {
            batch.close();
            return;
        }
        // what the batch really holds (vectors are often allocated larger than their rows need)
        long before = context.allocator().getAllocatedMemory();
        VectorSchemaRoot owned = Batches.transfer(batch, context.allocator());
        largestBatchBytes = Math.max(largestBatchBytes, Math.max(Batches.sizeInBytes(owned), context.allocator().getAllocatedMemory() - before));
        buffer.add(owned);
        long heap = buffer.heapBytes();
        if (context.spillDirectory().isEmpty()) {
            // throws EXCEEDED_MEMORY_LIMIT past the limit
            context.setHeapBytes(heap);
            return;
        }
        // spill before the memory left is too small to sort and write a run, or past the operator's share
        // of the query's memory (as joins and aggregations do)
        long growth = Math.max(0, heap - heapReserved);
        if (context.availableBytes() - growth < reserve()
                || context.exceedsSpillShare(context.reservedBytes() + growth)
                || !context.trySetHeapBytes(heap)) {
            spill();
        }
        else {
            heapReserved = heap;
        }
    }

    /** Bytes to keep free for sorting, writing a run and the next input batch. */
    private long reserve()
    {
        long rowBytes = buffer.rowCount() == 0 ? 0 : buffer.batchBytes() / buffer.rowCount();
        return Math.max(MIN_RESERVE, 2 * largestBatchBytes + 2 * rowBytes * SPILL_ROWS);
    }

    /** No more input: sorts (or prepares the merge). */
    public void finish()
    {
        if (finished) {
            return;
        }
        finished = true;
        if (!runs.isEmpty()) {
            if (buffer.rowCount() > 0) {
                spill();
            }
            startMerge();
        }
        else {
            order = buffer.sort(context::checkCancelled);
        }
    }

    /** The next sorted batch, or null; call after {@link #finish()}. */
    public VectorSchemaRoot next()
    {
        if (!finished) {
            throw new IllegalStateException("sorter is not finished");
        }
        context.checkCancelled();
        if (merge != null) {
            return nextMerged();
        }
        if (order == null || emitted >= order.length) {
            buffer.clear();
            order = null;
            context.setHeapBytes(0);
            return null;
        }
        int count = Math.min(OUTPUT_ROWS, order.length - emitted);
        VectorSchemaRoot out = buffer.gather(order, emitted, count, context.allocator());
        emitted += count;
        return out;
    }

    // ------------------------------------------------------------------ spill

    private void spill()
    {
        int[] sorted = buffer.sort(context::checkCancelled);
        Path file = newSpillFile();
        runs.add(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                VectorSchemaRoot out = Batches.create(types, context.allocator());
                ArrowFileWriter writer = new ArrowFileWriter(out, null, channel)) {
            writer.start();
            for (int from = 0; from < sorted.length; from += SPILL_ROWS) {
                context.checkCancelled();
                int count = Math.min(SPILL_ROWS, sorted.length - from);
                int[] batchIndex = new int[count];
                int[] rowIndex = new int[count];
                buffer.locate(sorted, from, count, batchIndex, rowIndex);
                out.clear();
                for (int column = 0; column < types.size(); column++) {
                    RowGather.gather(buffer.columnOf(column), buffer.validitiesOf(column), batchIndex, rowIndex, count, out.getVector(column));
                }
                out.setRowCount(count);
                spillBatchBytes = Math.max(spillBatchBytes, Batches.sizeInBytes(out));
                writer.writeBatch();
            }
            writer.end();
        }
        catch (IOException e) {
            throw spillError(file, e);
        }
        buffer.clear();
        heapReserved = buffer.heapBytes();
        context.setHeapBytes(heapReserved);
        try {
            context.addSpilledBytes(Files.size(file));
        }
        catch (IOException e) {
            throw spillError(file, e);
        }
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ignored) {
            // the spill directory is cleaned when the worker starts
        }
    }

    private Path newSpillFile()
    {
        Path directory = context.spillDirectory().orElseThrow();
        try {
            Files.createDirectories(directory);
            return Files.createTempFile(directory, "glaux-sort-", ".arrow");
        }
        catch (IOException e) {
            throw spillError(directory, e);
        }
    }

    private GlauxException spillError(Path path, IOException e)
    {
        return new GlauxException(ErrorCode.GENERIC_INSUFFICIENT_RESOURCES,
                "Sort could not spill to " + path + " (" + context.name() + "): " + e.getMessage(), e);
    }

    // ------------------------------------------------------------------ merge

    /** How many runs to merge at once: each open run holds one batch. */
    private int fanIn()
    {
        // a run holds one batch, and two while the next one loads; the output batch may be rounded up to twice its size
        long perRun = Math.max(1, 2 * spillBatchBytes);
        long usable = context.availableBytes() - 3 * spillBatchBytes;
        return (int) Math.max(2, Math.min(1024, usable / perRun));
    }

    private void startMerge()
    {
        context.setHeapBytes(0);
        // merge passes until the remaining runs fit in memory together. Each pass merges the oldest runs
        // and puts the result in their place: runs stay in input order, and since the merge breaks ties
        // by run index, rows with equal keys keep their input order (the sort is stable). Appending the
        // merged run after the younger ones instead reordered equal keys once there were several passes.
        while (runs.size() > fanIn()) {
            int fanIn = fanIn();
            List<Path> group = new ArrayList<>(runs.subList(0, fanIn));
            Path file = newSpillFile();
            runs.add(fanIn, file);
            try (Merge pass = new Merge(group);
                    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    VectorSchemaRoot out = Batches.create(types, context.allocator());
                    ArrowFileWriter writer = new ArrowFileWriter(out, null, channel)) {
                writer.start();
                while (pass.next(out, SPILL_ROWS) > 0) {
                    writer.writeBatch();
                }
                writer.end();
            }
            catch (IOException e) {
                throw spillError(file, e);
            }
            mergePasses++;
            for (Path merged : group) {
                runs.remove(merged);
                deleteQuietly(merged);
            }
            try {
                context.addSpilledBytes(Files.size(file));
            }
            catch (IOException e) {
                throw spillError(file, e);
            }
        }
        merge = new Merge(List.copyOf(runs));
    }

    private VectorSchemaRoot nextMerged()
    {
        VectorSchemaRoot out = Batches.create(types, context.allocator());
        try {
            if (merge.next(out, SPILL_ROWS) == 0) {
                out.close();
                return null;
            }
            return out;
        }
        catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** A k-way merge of sorted runs through a binary heap of run cursors. */
    private final class Merge
            implements AutoCloseable
    {
        private final List<RunCursor> cursors = new ArrayList<>();
        private final int[] heap;
        private int heapSize;

        Merge(List<Path> runs)
        {
            heap = new int[runs.size()];
            try {
                for (Path run : runs) {
                    RunCursor cursor = new RunCursor(run);
                    cursors.add(cursor);
                    if (cursor.load()) {
                        heap[heapSize++] = cursors.size() - 1;
                    }
                }
            }
            catch (RuntimeException | Error e) {
                close();
                throw e;
            }
            for (int i = heapSize / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        private boolean less(int a, int b)
        {
            RunCursor x = cursors.get(a);
            RunCursor y = cursors.get(b);
            int c = x.keys.compare(x.position, y.keys, y.position);
            return c < 0 || (c == 0 && a < b);
        }

        private void siftDown(int i)
        {
            int item = heap[i];
            while (true) {
                int child = 2 * i + 1;
                if (child >= heapSize) {
                    break;
                }
                if (child + 1 < heapSize && less(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!less(heap[child], item)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = item;
        }

        private void siftUp(int i)
        {
            int item = heap[i];
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (!less(item, heap[parent])) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = item;
        }

        /** Gathers up to {@code maxRows} next rows into {@code out}; returns how many (0 at the end). */
        int next(VectorSchemaRoot out, int maxRows)
        {
            context.checkCancelled();
            if (heapSize == 0) {
                return 0;
            }
            int[] batchIndex = new int[maxRows];
            int[] rowIndex = new int[maxRows];
            int exhausted = -1;
            int count = 0;
            while (count < maxRows && heapSize > 0) {
                int top = heap[0];
                RunCursor cursor = cursors.get(top);
                batchIndex[count] = top;
                rowIndex[count] = cursor.position;
                count++;
                cursor.position++;
                if (cursor.position == cursor.rows) {
                    // its batch must stay until the output is gathered: take the run out of the heap for now
                    exhausted = top;
                    heap[0] = heap[--heapSize];
                    if (heapSize > 0) {
                        siftDown(0);
                    }
                    break;
                }
                siftDown(0);
            }
            FieldVector[] sources = new FieldVector[cursors.size()];
            out.clear();
            for (int column = 0; column < types.size(); column++) {
                for (int c = 0; c < sources.length; c++) {
                    RunCursor cursor = cursors.get(c);
                    sources[c] = cursor.root == null ? null : cursor.root.getVector(column);
                }
                RowGather.gather(sources, batchIndex, rowIndex, count, out.getVector(column));
            }
            out.setRowCount(count);
            if (exhausted >= 0 && cursors.get(exhausted).load()) {
                heap[heapSize++] = exhausted;
                siftUp(heapSize - 1);
            }
            return count;
        }

        @Override
        public void close()
        {
            RuntimeException failure = null;
            for (RunCursor cursor : cursors) {
                try {
                    cursor.close();
                }
                catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            cursors.clear();
            heapSize = 0;
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** One spilled run being read: its current batch and that batch's keys. */
    private final class RunCursor
            implements AutoCloseable
    {
        private final Path path;
        private ArrowFileReader reader;
        private VectorSchemaRoot root;
        private final RowComparator keys;
        private int position;
        private int rows;

        RunCursor(Path path)
        {
            this.path = path;
            this.keys = new RowComparator(types, ExternalSorter.this.keys);
        }

        /** Loads the next non-empty batch; false (and closes the reader) at the end of the run. */
        boolean load()
        {
            try {
                if (reader == null) {
                    reader = new ArrowFileReader(FileChannel.open(path, StandardOpenOption.READ), context.allocator());
                    root = reader.getVectorSchemaRoot();
                }
                while (reader.loadNextBatch()) {
                    if (root.getRowCount() > 0) {
                        keys.clear();
                        keys.append(root);
                        position = 0;
                        rows = root.getRowCount();
                        return true;
                    }
                }
            }
            catch (IOException e) {
                throw spillError(path, e);
            }
            close();
            return false;
        }

        @Override
        public void close()
        {
            keys.clear();
            if (reader != null) {
                try {
                    reader.close();
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                reader = null;
                root = null;
            }
        }
    }

    @Override
    public void close()
    {
        RuntimeException failure = null;
        if (merge != null) {
            try {
                merge.close();
            }
            catch (RuntimeException e) {
                failure = e;
            }
            merge = null;
        }
        buffer.close();
        for (Path run : runs) {
            deleteQuietly(run);
        }
        runs.clear();
        order = null;
        if (failure != null) {
            throw failure;
        }
    }
}
