package io.glaux.engine.operator.join;

import io.glaux.engine.operator.Operator;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A test source: yields prebuilt batches in order (the caller owns each); closing it closes the ones not taken. */
final class BatchSource
        implements Operator
{
    private final List<Type> types;
    private final Deque<VectorSchemaRoot> batches;
    private int pulled;
    private boolean closed;

    BatchSource(List<Type> types, List<VectorSchemaRoot> batches)
    {
        this.types = List.copyOf(types);
        this.batches = new ArrayDeque<>(batches);
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
            throw new IllegalStateException("source is closed");
        }
        VectorSchemaRoot batch = batches.poll();
        if (batch != null) {
            pulled++;
        }
        return batch;
    }

    /** How many batches were taken. */
    int pulled()
    {
        return pulled;
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public void close()
    {
        closed = true;
        while (!batches.isEmpty()) {
            batches.poll().close();
        }
    }
}
