package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/** UNION ALL: every batch of each source in turn. Sources are closed as soon as they are exhausted. */
public final class UnionOperator
        implements Operator
{
    private final OperatorContext context;
    private final List<Operator> sources;
    private int current;
    private boolean closed;

    public UnionOperator(OperatorContext context, List<Operator> sources)
    {
        this.context = requireNonNull(context, "context is null");
        this.sources = List.copyOf(sources);
        if (this.sources.isEmpty()) {
            throw new IllegalArgumentException("no sources");
        }
    }

    @Override
    public List<Type> outputTypes()
    {
        return sources.getFirst().outputTypes();
    }

    @Override
    public VectorSchemaRoot next()
    {
        while (current < sources.size()) {
            context.checkCancelled();
            VectorSchemaRoot batch = sources.get(current).next();
            if (batch != null) {
                context.stats().addOutput(batch.getRowCount(), 0);
                return batch;
            }
            sources.get(current).close();
            current++;
        }
        return null;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (Operator source : sources) {
            try {
                source.close();
            }
            catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        context.close();
        if (failure != null) {
            throw failure;
        }
    }
}
