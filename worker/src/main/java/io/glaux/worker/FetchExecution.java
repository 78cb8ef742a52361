package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.ExchangeTickets;
import io.glaux.engine.exchange.PartitionedOutputBuffer;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one partition of a stage's output buffer to the consumer task that fetched it, until the
 * producers are done and the partition is empty. A consumer that goes away (cancel, failure) aborts
 * the buffer: its query is failing, and the producers blocked on the full buffer must stop.
 */
final class FetchExecution
{
    private static final Logger log = LoggerFactory.getLogger(FetchExecution.class);
    private static final long POLL_MILLIS = 100;

    private final String nodeId;
    private final ExchangeTickets.Fetch fetch;
    private final ExchangeBuffers buffers;
    private final BufferAllocator allocator;
    private final FlightOutput output;
    private volatile PartitionedOutputBuffer buffer;

    FetchExecution(String nodeId, ExchangeTickets.Fetch fetch, ServerStreamListener listener, ExchangeBuffers buffers, BufferAllocator allocator, WorkerCounters counters)
    {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.fetch = requireNonNull(fetch, "fetch is null");
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.output = new FlightOutput(listener, "partition " + fetch.partition() + " of " + fetch.label() + " on worker " + nodeId, counters, this::consumerLeft);
    }

    private void consumerLeft()
    {
        PartitionedOutputBuffer current = buffer;
        if (current != null) {
            current.abort(new GlauxException(ErrorCode.USER_CANCELED, "The reader of partition " + fetch.partition() + " of " + fetch.label() + " went away"));
        }
    }

    void run()
    {
        try {
            buffer = buffers.get(fetch.queryId(), fetch.stageId(), fetch.partitionCount(), fetch.types());
            if (output.isCancelled()) {
                consumerLeft();
                return;
            }
            output.start(fetch.types(), allocator);
            while (true) {
                output.checkNotCancelled();
                VectorSchemaRoot batch = buffer.poll(fetch.partition(), POLL_MILLIS);
                if (batch == null) {
                    if (buffer.isFinished(fetch.partition())) {
                        break;
                    }
                    continue;
                }
                try (batch) {
                    output.send(batch);
                }
            }
            // the last consumer frees the buffer (and the query's memory it holds) before the end is sent
            buffer.consumerFinished(fetch.partition());
            output.complete();
        }
        catch (GlauxException e) {
            log.debug("Fetch of {} on worker {} failed", fetch.label(), nodeId, e);
            output.fail(e);
            consumerLeft();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            output.fail(new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Worker " + nodeId + " is shutting down"));
            consumerLeft();
        }
        catch (RuntimeException | Error e) {
            log.error("Fetch of {} on worker {} failed", fetch.label(), nodeId, e);
            output.fail(new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Worker " + nodeId + " failed sending " + fetch.label() + ": " + e, e));
            consumerLeft();
        }
        finally {
            output.close();
        }
    }
}
