package io.glaux.engine.operator;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * An operator that decides what it runs when it is first read ({@link #start}: a stage whose plan
 * depends on what an earlier stage returned), and then reads that. {@link #close} closes what it
 * started, then {@link #release} what it holds of its own; both once.
 */
public abstract class LazyOperator
        implements Operator
{
    private final List<Type> outputTypes;
    private Operator delegate;
    private boolean closed;

    protected LazyOperator(List<Type> outputTypes)
    {
        this.outputTypes = List.copyOf(requireNonNull(outputTypes, "outputTypes is null"));
    }

    /** The operator to read, made at the first {@link #next}. */
    protected abstract Operator start();

    /** Releases what this operator holds besides the started one (called once, after it is closed). */
    protected abstract void release();

    @Override
    public final List<Type> outputTypes()
    {
        return outputTypes;
    }

    @Override
    public final VectorSchemaRoot next()
    {
        if (delegate == null) {
            delegate = start();
        }
        return delegate.next();
    }

    @Override
    public final void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (delegate != null) {
                delegate.close();
            }
        }
        finally {
            release();
        }
    }
}
