package io.glaux.engine.operator.sort;

import io.glaux.engine.TestBatches;
import io.glaux.engine.operator.Operator;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

/**
 * A test source: yields batches built from rows ({@code rows.get(r).get(c)} in the engine's Java
 * representation) cut into batches of {@code batchRows}, allocated from {@code allocator} when pulled.
 * Counts what was pulled and whether it was closed.
 */
public final class BatchSource
        implements Operator
{
    private final BufferAllocator allocator;
    private final List<Type> types;
    private final List<List<Object>> rows;
    private final int batchRows;
    private int position;
    public int batchesPulled;
    public boolean closed;

    public BatchSource(BufferAllocator allocator, List<Type> types, List<List<Object>> rows, int batchRows)
    {
        this.allocator = allocator;
        this.types = List.copyOf(types);
        this.rows = rows;
        this.batchRows = batchRows;
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (position >= rows.size()) {
            return null;
        }
        int count = Math.min(batchRows, rows.size() - position);
        Object[][] columns = new Object[types.size()][count];
        for (int r = 0; r < count; r++) {
            List<Object> row = rows.get(position + r);
            for (int c = 0; c < types.size(); c++) {
                columns[c][r] = row.get(c);
            }
        }
        position += count;
        batchesPulled++;
        return TestBatches.batch(allocator, types, columns);
    }

    /** Every row of every batch {@code operator} returns, closing the batches. */
    public static List<List<Object>> drain(Operator operator)
    {
        List<List<Object>> result = new ArrayList<>();
        while (true) {
            VectorSchemaRoot batch = operator.next();
            if (batch == null) {
                break;
            }
            try (batch) {
                if (batch.getRowCount() == 0) {
                    throw new AssertionError("empty batch");
                }
                result.addAll(TestBatches.rows(batch));
            }
        }
        return result;
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
