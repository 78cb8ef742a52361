package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.RemoteErrors;
import io.glaux.engine.operator.Batches;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending end of one Flight {@code DoGet} for the exchange calls (stage tasks, output-buffer
 * fetches): batches are loaded into the stream's one root and sent once the stream is ready (the
 * client has room: back-pressure), the call ends once with {@link #complete} or {@link #fail}. A client
 * cancel sets {@link #isCancelled} and runs {@code onCancel}. For one sending thread.
 */
final class FlightOutput
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(FlightOutput.class);
    private static final long READY_POLL_MILLIS = 100;

    private final ServerStreamListener listener;
    private final String label;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final WorkerCounters counters;
    private volatile boolean cancelled;
    private VectorSchemaRoot root;
    private VectorLoader loader;
    private BufferAllocator statsAllocator;
    private boolean ended;

    FlightOutput(ServerStreamListener listener, String label, WorkerCounters counters, Runnable onCancel)
    {
        this.listener = requireNonNull(listener, "listener is null");
        this.label = requireNonNull(label, "label is null");
        this.counters = requireNonNull(counters, "counters is null");
        listener.setOnCancelHandler(() -> {
            cancelled = true;
            signal();
            onCancel.run();
        });
        listener.setOnReadyHandler(this::signal);
    }

    boolean isCancelled()
    {
        return cancelled || listener.isCancelled();
    }

    /** Starts the stream with a root of {@code types} in {@code allocator}. */
    void start(List<Type> types, BufferAllocator allocator)
    {
        root = VectorSchemaRoot.create(Batches.schema(types), allocator);
        statsAllocator = allocator;
        loader = new VectorLoader(root);
        listener.start(root);
    }

    /** Sends {@code batch} (still owned by the caller); throws USER_CANCELED once the client cancelled. */
    void send(VectorSchemaRoot batch)
    {
        if (batch.getRowCount() == 0) {
            return;
        }
        lock.lock();
        try {
            while (!listener.isReady()) {
                checkNotCancelled();
                ready.await(READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            checkNotCancelled();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlauxException(ErrorCode.USER_CANCELED, "Interrupted sending " + label);
        }
        finally {
            lock.unlock();
        }
        long bytes;
        try (ArrowRecordBatch recordBatch = new VectorUnloader(batch).getRecordBatch()) {
            bytes = recordBatch.computeBodyLength();
            loader.load(recordBatch);
        }
        try {
            // without zero-copy, putNext copies the buffers into gRPC's before returning
            listener.putNext();
        }
        finally {
            root.clear();
        }
        counters.batchesSent.incrementAndGet();
        counters.rowsSent.addAndGet(batch.getRowCount());
        counters.bytesSent.addAndGet(bytes);
    }

    /**
     * Sends what the task's operators did ({@link io.glaux.engine.exchange.TaskOperatorStats}) as a message
     * without a batch, before {@link #complete}; a failure is only logged (the numbers are for EXPLAIN ANALYZE).
     */
    void sendStats(java.util.Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> stats)
    {
        if (ended || root == null || stats.isEmpty() || isCancelled()) {
            return;
        }
        try {
            listener.putMetadata(io.glaux.engine.exchange.TaskOperatorStats.encode(statsAllocator, stats));
        }
        catch (RuntimeException e) {
            log.debug("Sending the statistics of {} failed", label, e);
        }
    }

    void checkNotCancelled()
    {
        if (isCancelled()) {
            throw new GlauxException(ErrorCode.USER_CANCELED, "The reader of " + label + " went away");
        }
    }

    void complete()
    {
        if (ended) {
            return;
        }
        ended = true;
        try {
            listener.completed();
        }
        catch (RuntimeException e) {
            log.debug("Completing {} failed", label, e);
        }
    }

    void fail(GlauxException error)
    {
        if (ended) {
            return;
        }
        ended = true;
        try {
            listener.error(RemoteErrors.toCallStatus(error).toRuntimeException());
        }
        catch (RuntimeException e) {
            log.debug("Failing {} failed", label, e);
        }
    }

    private void signal()
    {
        lock.lock();
        try {
            ready.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void close()
    {
        if (root != null) {
            root.close();
        }
    }
}
