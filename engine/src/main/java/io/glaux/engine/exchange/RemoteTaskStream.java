package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * The output of one task running on a worker, read batch by batch:
 * <pre>{@code
 * try (RemoteTaskStream stream = client.execute(task)) {
 *     while (stream.next()) {
 *         VectorSchemaRoot batch = stream.root();   // valid until the next call to next()/close()
 *         ...
 *     }
 * }
 * }</pre>
 * Closing the stream before its end, or {@link #cancel()}, cancels the task on the worker. Failures
 * are {@link GlauxException}s: the worker's own errors keep their {@link ErrorCode} and message;
 * transport failures (the worker died, the connection broke, a hung peer missed its keepalive) are
 * {@link ErrorCode#WORKER_FAILED} naming the worker. Not thread-safe, except {@link #cancel()}.
 */
public final class RemoteTaskStream
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(RemoteTaskStream.class);

    private final FlightStream stream;
    private final String workerId;
    private final URI workerUri;
    private final String taskLabel;
    /** Told once when this stream is closed (the client counts its open streams). */
    private final Runnable onClose;
    private volatile boolean cancelled;
    private boolean finished;
    private boolean closed;
    private long rows;
    private long batches;
    private long objectStoreBytes;
    private LongConsumer onProgress = _ -> {};
    private java.util.function.Consumer<java.util.Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats>> onOperatorStats = _ -> {};
    private java.util.function.Consumer<java.util.List<KeySummary.Key>> onKeySummary = _ -> {};

    /** Why the client was cut off (its worker was revoked), or null. */
    private final java.util.function.Supplier<String> revokedReason;

    RemoteTaskStream(FlightStream stream, String workerId, URI workerUri, String taskLabel, Runnable onClose, java.util.function.Supplier<String> revokedReason)
    {
        this.revokedReason = requireNonNull(revokedReason, "revokedReason is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.workerId = requireNonNull(workerId, "workerId is null");
        this.workerUri = requireNonNull(workerUri, "workerUri is null");
        this.taskLabel = requireNonNull(taskLabel, "taskLabel is null");
    }

    /** The output schema; blocks until the worker has started the task. */
    public Schema schema()
    {
        checkOpen();
        try {
            return stream.getSchema();
        }
        catch (FlightRuntimeException e) {
            throw translate(e);
        }
    }

    /**
     * Called, on the reading thread, with the task's bytes read from the object store so far each time
     * the worker reports them ({@link TaskProgress}); what it throws ends {@link #next()} (e.g. the
     * query's bytes-scanned limit).
     */
    public void onProgress(LongConsumer onProgress)
    {
        this.onProgress = requireNonNull(onProgress, "onProgress is null");
    }

    /** Called, on the reading thread, with what the task's operators did when the worker reports it at the task's end ({@link TaskOperatorStats}). */
    public void onOperatorStats(java.util.function.Consumer<java.util.Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats>> onOperatorStats)
    {
        this.onOperatorStats = requireNonNull(onOperatorStats, "onOperatorStats is null");
    }

    /**
     * Called, on the reading thread, with the join keys a task that hash-partitions its rows for a join
     * sent, when the worker reports them at the task's end ({@link KeySummary}).
     */
    public void onKeySummary(java.util.function.Consumer<java.util.List<KeySummary.Key>> onKeySummary)
    {
        this.onKeySummary = requireNonNull(onKeySummary, "onKeySummary is null");
    }

    /** The bytes the task has read from the object store, as last reported by the worker. */
    public long objectStoreBytes()
    {
        return objectStoreBytes;
    }

    /** Advances to the next batch; false at the end of the task's output. */
    public boolean next()
    {
        checkOpen();
        if (finished) {
            return false;
        }
        try {
            while (stream.next()) {
                // a message without a batch: the worker's progress report
                OptionalLong progress = TaskProgress.decode(stream.getLatestMetadata());
                if (progress.isPresent()) {
                    objectStoreBytes = Math.max(objectStoreBytes, progress.getAsLong());
                    onProgress.accept(objectStoreBytes);
                    continue;
                }
                var keySummary = KeySummary.decode(stream.getLatestMetadata());
                if (keySummary.isPresent()) {
                    onKeySummary.accept(keySummary.get());
                    continue;
                }
                var operatorStats = TaskOperatorStats.decode(stream.getLatestMetadata());
                if (operatorStats.isPresent()) {
                    onOperatorStats.accept(operatorStats.get());
                    continue;
                }
                batches++;
                rows += stream.getRoot().getRowCount();
                return true;
            }
            finished = true;
            return false;
        }
        catch (GlauxException e) {
            // from onProgress
            finished = true;
            throw e;
        }
        catch (FlightRuntimeException e) {
            finished = true;
            throw translate(e);
        }
        catch (RuntimeException e) {
            finished = true;
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new GlauxException(ErrorCode.USER_CANCELED, "Interrupted while reading task " + taskLabel + " from worker " + workerId, e);
            }
            throw RemoteErrors.workerFailed(workerId, workerUri, "reading task " + taskLabel + ": " + e, e);
        }
    }

    /** The current batch, owned by the stream: valid until the next {@link #next()} or {@link #close()}. */
    public VectorSchemaRoot root()
    {
        checkOpen();
        return stream.getRoot();
    }

    public String taskLabel()
    {
        return taskLabel;
    }

    public long rowsReceived()
    {
        return rows;
    }

    public long batchesReceived()
    {
        return batches;
    }

    /** Asks the worker to stop the task. A later {@link #next()} fails with USER_CANCELED. */
    public void cancel()
    {
        if (!cancelled) {
            cancelled = true;
            stream.cancel("Task " + taskLabel + " cancelled by the coordinator", null);
        }
    }

    /** Releases the current batch; cancels the task on the worker unless its output was read to the end. */
    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // FlightStream.close() cancels an unfinished call and drains what is still queued
            stream.close();
        }
        catch (FlightRuntimeException e) {
            if (e.status().code() != FlightStatusCode.CANCELLED) {
                log.debug("Closing the stream of task {} from worker {} failed", taskLabel, workerId, e);
            }
        }
        catch (Exception e) {
            log.debug("Closing the stream of task {} from worker {} failed", taskLabel, workerId, e);
        }
        finally {
            onClose.run();
        }
    }

    private GlauxException translate(FlightRuntimeException e)
    {
        if (cancelled && e.status().code() == FlightStatusCode.CANCELLED && !RemoteErrors.isRemoteError(e.status())) {
            return new GlauxException(ErrorCode.USER_CANCELED, "Task " + taskLabel + " on worker " + workerId + " was cancelled", e);
        }
        String revoked = revokedReason.get();
        if (revoked != null && !RemoteErrors.isRemoteError(e.status())) {
            return RemoteErrors.workerFailed(workerId, workerUri, revoked, e);
        }
        return RemoteErrors.fromFlight(e, workerId, workerUri);
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("stream of task " + taskLabel + " is closed");
        }
    }
}
