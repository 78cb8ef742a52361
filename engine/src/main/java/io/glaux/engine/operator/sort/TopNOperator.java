package io.glaux.engine.operator.sort;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.PhysicalType;
import io.glaux.engine.expr.Vectors;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.SortKey;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.Arrays;
import java.util.List;

/**
 * ORDER BY ... LIMIT n ({@link io.glaux.engine.plan.PlanNode.TopN}): the first {@code count} rows in
 * {@code keys} order, sorted; ties at the boundary are broken arbitrarily. The same code runs per task
 * (PARTIAL) and after the gather (FINAL).
 *
 * <p>Memory is O(count) rows: candidate rows accumulate in a {@link SortBuffer} and, whenever it holds
 * 2 × count rows (at least {@link #MIN_COMPACTION} rows), it is sorted and compacted to its best
 * {@code count} rows, gathered into one batch. The worst of those rows becomes the threshold: every
 * later batch is first filtered in a tight loop over the raw Arrow buffer of the first key, which
 * keeps only rows that sort before the threshold on that key (or tie with it, when there are more
 * keys); only those rows are copied and fully compared. On a large input nearly every row is rejected
 * by that one comparison, so {@code ORDER BY x DESC LIMIT 50} costs about one read per row.
 * {@code count = 0} returns no rows without reading the input.
 */
public final class TopNOperator
        implements Operator
{
    static final int MIN_COMPACTION = 4096;

    private final OperatorContext context;
    private final Operator source;
    private final List<Type> types;
    private final List<SortKey> keys;
    private final long count;
    private final long compactionRows;
    private final SortBuffer buffer;
    /** Row number (in the buffer) of the current threshold row, or -1 when there is none yet. */
    private int threshold = -1;
    private int[] selected = new int[0];
    private int[] fixup = new int[0];
    private byte[] scratch = new byte[64];

    private boolean finished;
    private int[] order;
    private int emitted;
    private int outputRows;
    private boolean closed;

    public TopNOperator(OperatorContext context, Operator source, List<SortKey> keys, long count)
    {
        this.context = requireNonNull(context, "context is null");
        this.source = requireNonNull(source, "source is null");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        this.types = source.outputTypes();
        this.keys = List.copyOf(keys);
        this.count = count;
        this.compactionRows = Math.max(MIN_COMPACTION, count > Integer.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * count);
        this.buffer = new SortBuffer(types, keys);
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (count == 0) {
            return null;
        }
        long start = System.nanoTime();
        try {
            if (!finished) {
                VectorSchemaRoot batch;
                while ((batch = source.next()) != null) {
                    add(batch);
                    context.checkCancelled();
                }
                finished = true;
                order = buffer.sort(context::checkCancelled);
                outputRows = (int) Math.min(count, order.length);
            }
            if (order == null || emitted >= outputRows) {
                order = null;
                buffer.clear();
                context.setHeapBytes(0);
                return null;
            }
            int rows = Math.min(ExternalSorter.OUTPUT_ROWS, outputRows - emitted);
            VectorSchemaRoot out = buffer.gather(order, emitted, rows, context.allocator());
            emitted += rows;
            context.stats().addOutput(rows, Batches.sizeInBytes(out));
            return out;
        }
        finally {
            context.stats().addWallNanos(System.nanoTime() - start);
        }
    }

    private void add(VectorSchemaRoot batch)
    {
        int rows = batch.getRowCount();
        context.stats().addInput(rows);
        if (rows == 0) {
            batch.close();
            return;
        }
        VectorSchemaRoot candidates;
        if (threshold >= 0 && !keys.isEmpty()) {
            int passing;
            try {
                passing = filter(batch, rows);
            }
            catch (RuntimeException | Error e) {
                batch.close();
                throw e;
            }
            if (passing == 0) {
                batch.close();
                return;
            }
            if (passing < rows) {
                try (batch) {
                    candidates = Batches.copyRows(batch, types, selected, passing, context.allocator());
                }
            }
            else {
                candidates = Batches.transfer(batch, context.allocator());
            }
        }
        else {
            candidates = Batches.transfer(batch, context.allocator());
        }
        buffer.add(candidates);
        if (buffer.rowCount() >= compactionRows) {
            compact();
        }
        context.setHeapBytes(buffer.heapBytes());
    }

    /** Keeps the best {@code count} rows in one sorted batch; its last row becomes the threshold. */
    private void compact()
    {
        int[] sorted = buffer.sort(context::checkCancelled);
        int keep = (int) Math.min(count, sorted.length);
        VectorSchemaRoot best = buffer.gather(sorted, 0, keep, context.allocator());
        buffer.clear();
        buffer.add(best);
        threshold = keep == count ? keep - 1 : -1;
    }

    /** Fills {@link #selected} with the rows that may still enter the top N, judged on the first key alone. */
    private int filter(VectorSchemaRoot batch, int rows)
    {
        if (selected.length < rows) {
            selected = new int[Math.max(rows, selected.length * 2)];
        }
        SortKey key = keys.getFirst();
        FieldVector vector = batch.getVector(key.column());
        ColumnValues values = buffer.comparator().column(0);
        // a row tying with the threshold cannot improve on it when the first key is the only key
        boolean strict = keys.size() == 1;
        boolean thresholdNull = values.isNull(threshold);
        ArrowBuf validity = !Vectors.hasNulls(vector) ? null : vector.getValidityBuffer();
        if (thresholdNull) {
            // only NULL keys (when they tie and there are more keys) and, with NULLS LAST, every non-null key
            int n = 0;
            for (int i = 0; i < rows; i++) {
                boolean isNull = validity != null && ((validity.getByte(i >>> 3) >> (i & 7)) & 1) == 0;
                if (isNull ? !strict : !key.nullsFirst()) {
                    selected[n++] = i;
                }
            }
            return n;
        }
        // a NULL key passes only with NULLS FIRST
        boolean nullPasses = key.nullsFirst();
        int n = switch (values) {
            case ColumnValues.LongValues longs -> filterLongs(vector, longs.type(), rows, longs.get(threshold), key.ascending(), strict);
            case ColumnValues.DoubleValues doubles -> filterDoubles(vector, doubles.type(), rows, doubles.get(threshold), key.ascending(), strict);
            case ColumnValues.BytesValues bytes -> filterBytes(vector, rows, bytes, key.ascending(), strict);
            default -> {
                for (int i = 0; i < rows; i++) {
                    selected[i] = i;
                }
                yield rows;
            }
        };
        if (validity == null) {
            return n;
        }
        // fix up NULL rows: drop those selected, add them back when NULLs sort first
        if (fixup.length < rows) {
            fixup = new int[selected.length];
        }
        int m = 0;
        int next = 0;
        for (int i = 0; i < rows; i++) {
            boolean isNull = ((validity.getByte(i >>> 3) >> (i & 7)) & 1) == 0;
            boolean wasSelected = next < n && selected[next] == i;
            if (wasSelected) {
                next++;
            }
            if (isNull ? nullPasses : wasSelected) {
                fixup[m++] = i;
            }
        }
        int[] t = selected;
        selected = fixup;
        fixup = t;
        return m;
    }

    private int filterLongs(FieldVector vector, PhysicalType type, int rows, long limit, boolean ascending, boolean strict)
    {
        ArrowBuf data = vector.getDataBuffer();
        int[] out = selected;
        int n = 0;
        // sign = +1: keep values below the limit (ascending); -1: above it
        long sign = ascending ? 1 : -1;
        long bound = strict ? 0 : 1;
        switch (type) {
            case INT64 -> {
                for (int i = 0; i < rows; i++) {
                    long v = data.getLong((long) i << 3);
                    out[n] = i;
                    n += Long.compare(v, limit) * sign < bound ? 1 : 0;
                }
            }
            case INT32 -> {
                for (int i = 0; i < rows; i++) {
                    long v = data.getInt((long) i << 2);
                    out[n] = i;
                    n += Long.compare(v, limit) * sign < bound ? 1 : 0;
                }
            }
            default -> {
                for (int i = 0; i < rows; i++) {
                    long v = switch (type) {
                        case BOOLEAN -> (data.getByte(i >>> 3) >> (i & 7)) & 1;
                        case INT8 -> data.getByte(i);
                        case INT16 -> data.getShort((long) i << 1);
                        default -> throw new IllegalStateException(type.name());
                    };
                    out[n] = i;
                    n += Long.compare(v, limit) * sign < bound ? 1 : 0;
                }
            }
        }
        return n;
    }

    private int filterDoubles(FieldVector vector, PhysicalType type, int rows, double limit, boolean ascending, boolean strict)
    {
        ArrowBuf data = vector.getDataBuffer();
        int[] out = selected;
        int n = 0;
        int sign = ascending ? 1 : -1;
        int bound = strict ? 0 : 1;
        if (type == PhysicalType.FLOAT32) {
            for (int i = 0; i < rows; i++) {
                double v = data.getFloat((long) i << 2);
                out[n] = i;
                n += Double.compare(v, limit) * sign < bound ? 1 : 0;
            }
        }
        else {
            for (int i = 0; i < rows; i++) {
                double v = data.getDouble((long) i << 3);
                out[n] = i;
                n += Double.compare(v, limit) * sign < bound ? 1 : 0;
            }
        }
        return n;
    }

    private int filterBytes(FieldVector vector, int rows, ColumnValues.BytesValues values, boolean ascending, boolean strict)
    {
        ArrowBuf offsets = vector.getOffsetBuffer();
        ArrowBuf data = vector.getDataBuffer();
        byte[] limit = values.arena();
        int limitStart = values.start(threshold);
        int limitEnd = values.end(threshold);
        int[] out = selected;
        int n = 0;
        int sign = ascending ? 1 : -1;
        int bound = strict ? 0 : 1;
        for (int i = 0; i < rows; i++) {
            int start = offsets.getInt((long) i << 2);
            int length = offsets.getInt((long) (i + 1) << 2) - start;
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            data.getBytes(start, scratch, 0, length);
            int c = Integer.signum(Arrays.compareUnsigned(scratch, 0, length, limit, limitStart, limitEnd));
            out[n] = i;
            n += c * sign < bound ? 1 : 0;
        }
        return n;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try (context; source) {
            buffer.close();
        }
    }
}
