package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.PageSource;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real page source over synthetic "access log" rows, so worker tests need no object store. Split
 * {@code part-N} holds {@code rowsPerSplit} rows; row {@code i} of split {@code n} (global row
 * {@code g = n * rowsPerSplit + i}) has:
 * <ul>
 *   <li>{@code status} bigint: 500 when {@code g % 7 == 0}, 404 when {@code g % 5 == 0}, else 200</li>
 *   <li>{@code bytes} bigint: {@code g % 1000}</li>
 *   <li>{@code host} varchar: {@code "host-" + (g % 3)}</li>
 * </ul>
 * A split whose key contains {@code corrupt} fails with CORRUPT_FILE after its first batch; with
 * {@code rowsPerSplit < 0} a split never ends.
 */
final class SyntheticPageSourceFactory
        implements PageSourceFactory
{
    final int rowsPerSplit;
    final int batchSize;
    final long delayMillisPerBatch;
    final AtomicLong batchesProduced = new AtomicLong();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger opened = new AtomicInteger();

    SyntheticPageSourceFactory(int rowsPerSplit, int batchSize, long delayMillisPerBatch)
    {
        this.rowsPerSplit = rowsPerSplit;
        this.batchSize = batchSize;
        this.delayMillisPerBatch = delayMillisPerBatch;
    }

    static Split split(int n)
    {
        return new Split("logs", "access/part-" + n, 0, 1000, 1000, 0, java.util.Map.of());
    }

    static Split corruptSplit()
    {
        return new Split("logs", "access/corrupt-9", 0, 1000, 1000, 0, java.util.Map.of());
    }

    static long status(long g)
    {
        return g % 7 == 0 ? 500 : g % 5 == 0 ? 404 : 200;
    }

    static long bytes(long g)
    {
        return g % 1000;
    }

    static String host(long g)
    {
        return "host-" + (g % 3);
    }

    @Override
    public PageSource create(Split split, List<ColumnHandle> columns, TupleDomain pruning, BufferAllocator allocator)
    {
        opened.incrementAndGet();
        open.incrementAndGet();
        return new Source(split, columns, allocator);
    }

    private final class Source
            implements PageSource
    {
        private final Split split;
        private final List<ColumnHandle> columns;
        private final BufferAllocator allocator;
        private final long first;
        private long produced;
        private boolean closed;

        Source(Split split, List<ColumnHandle> columns, BufferAllocator allocator)
        {
            this.split = requireNonNull(split, "split is null");
            this.columns = List.copyOf(columns);
            this.allocator = requireNonNull(allocator, "allocator is null");
            String key = split.key();
            int n = key.contains("part-") ? Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)) : 0;
            this.first = (long) n * Math.max(rowsPerSplit, 0);
        }

        @Override
        public VectorSchemaRoot nextBatch()
        {
            if (rowsPerSplit >= 0 && produced >= rowsPerSplit) {
                return null;
            }
            if (split.key().contains("corrupt") && produced > 0) {
                throw new GlauxException(ErrorCode.CORRUPT_FILE, "Corrupt page in " + split.path() + " at offset 4242");
            }
            if (delayMillisPerBatch > 0) {
                try {
                    Thread.sleep(delayMillisPerBatch);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "interrupted reading " + split.path());
                }
            }
            int rows = rowsPerSplit < 0 ? batchSize : (int) Math.min(batchSize, rowsPerSplit - produced);
            List<FieldVector> vectors = new ArrayList<>();
            for (ColumnHandle column : columns) {
                vectors.add(vector(column, rows));
            }
            produced += rows;
            batchesProduced.incrementAndGet();
            return new VectorSchemaRoot(vectors);
        }

        private FieldVector vector(ColumnHandle column, int rows)
        {
            long base = first + produced;
            switch (column.name()) {
                case "status", "bytes" -> {
                    if (!column.type().equals(Type.BIGINT)) {
                        throw new IllegalArgumentException(column.toString());
                    }
                    BigIntVector vector = new BigIntVector(column.name(), allocator);
                    vector.allocateNew(rows);
                    for (int i = 0; i < rows; i++) {
                        vector.set(i, column.name().equals("status") ? status(base + i) : bytes(base + i));
                    }
                    vector.setValueCount(rows);
                    return vector;
                }
                case "host" -> {
                    VarCharVector vector = new VarCharVector(column.name(), allocator);
                    vector.allocateNew(rows);
                    for (int i = 0; i < rows; i++) {
                        vector.setSafe(i, host(base + i).getBytes(StandardCharsets.UTF_8));
                    }
                    vector.setValueCount(rows);
                    return vector;
                }
                default -> throw new GlauxException(ErrorCode.COLUMN_NOT_FOUND, "No column " + column.name() + " in " + split.path());
            }
        }

        @Override
        public long bytesRead()
        {
            return produced * 24;
        }

        @Override
        public long rowsRead()
        {
            return produced;
        }

        @Override
        public void close()
        {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
        }
    }
}
