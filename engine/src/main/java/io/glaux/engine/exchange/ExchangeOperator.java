package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * A {@link io.glaux.engine.plan.PlanNode.RemoteSource} as an operator: the batches of an
 * {@link ExchangeClient} over the remote streams that feed it, received into the operator's allocator.
 * Closing it cancels the streams still running.
 */
public final class ExchangeOperator
        implements Operator
{
    private final OperatorContext context;
    private final List<Type> types;
    private final ExchangeClient client;
    private boolean closed;

    /** @param maxBufferedBytes bytes received ahead of the consumer */
    public ExchangeOperator(OperatorContext context, List<ExchangeClient.Source> sources, List<Type> types, long maxBufferedBytes)
    {
        this.context = requireNonNull(context, "context is null");
        this.types = List.copyOf(types);
        this.client = new ExchangeClient(sources, types, context.allocator(), maxBufferedBytes);
        // what the source tasks did travels on with this task's own numbers
        client.onOperatorStats(stats -> TaskOperatorStats.merge(context.query().remoteStats(), stats));
    }

    /** Receive-ahead bytes for a query whose memory limit is {@code limit}: a small share of it, 1MB to 32MB. */
    public static long bufferBytes(long limit)
    {
        return Math.clamp(limit / 16, 1L << 20, 32L << 20);
    }

    @Override
    public List<Type> outputTypes()
    {
        return types;
    }

    @Override
    public VectorSchemaRoot next()
    {
        VectorSchemaRoot batch = client.next(context::checkCancelled);
        if (batch != null) {
            context.stats().addOutput(batch.getRowCount(), Batches.sizeInBytes(batch));
        }
        return batch;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close();
        }
        finally {
            context.close();
        }
    }
}
