package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads the streams of several remote tasks (Flight {@code DoGet}s on workers: scan or stage tasks,
 * or output-buffer partitions) at once and hands their batches to one consumer. One virtual thread per
 * source moves each received batch into {@code allocator} (the consumer's, so received bytes count
 * against the query's memory) and queues it; a reader waits while {@code maxBufferedBytes} or more are
 * queued (one batch always fits an empty queue), which stops it reading its stream, so Flight's flow
 * control holds the producer back. The first failure (a {@link GlauxException} from a source: the
 * worker's own error with its code, or WORKER_FAILED naming the worker) cancels every other source and
 * is thrown by {@link #next}. {@link #close()} cancels the sources still running, waits for the
 * readers and frees the queued batches. {@link #next} and {@link #close} are for one consumer thread.
 */
public final class ExchangeClient
        implements AutoCloseable
{
    private static final long WAIT_MILLIS = 100;

    /** One remote stream: the task {@code ticket} on the worker {@code client} talks to. */
    public record Source(WorkerClient client, String label, byte[] ticket)
    {
        public Source
        {
            requireNonNull(client, "client is null");
            requireNonNull(label, "label is null");
            requireNonNull(ticket, "ticket is null");
        }
    }

    private final List<Source> sources;
    private final List<Type> types;
    private final BufferAllocator allocator;
    private final long maxBufferedBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Thread> readers = new ArrayList<>();
    // guarded by lock
    private final ArrayDeque<VectorSchemaRoot> queue = new ArrayDeque<>();
    private final List<RemoteTaskStream> streams = new ArrayList<>();
    private long bufferedBytes;
    private int running;
    private GlauxException failure;
    private boolean started;
    private boolean closed;
    private volatile java.util.function.Consumer<java.util.Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats>> onOperatorStats = _ -> {};

    public ExchangeClient(List<Source> sources, List<Type> types, BufferAllocator allocator, long maxBufferedBytes)
    {
        this.sources = List.copyOf(sources);
        this.types = List.copyOf(types);
        this.allocator = requireNonNull(allocator, "allocator is null");
        if (maxBufferedBytes <= 0) {
            throw new IllegalArgumentException("maxBufferedBytes must be positive: " + maxBufferedBytes);
        }
        this.maxBufferedBytes = maxBufferedBytes;
    }

    /** Told what each source task's operators did, as it reports at its end; set before {@link #start}. */
    public void onOperatorStats(java.util.function.Consumer<java.util.Map<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats>> onOperatorStats)
    {
        this.onOperatorStats = requireNonNull(onOperatorStats, "onOperatorStats is null");
    }

    /** Starts reading every source (once). */
    public void start()
    {
        lock.lock();
        try {
            if (started || closed) {
                return;
            }
            started = true;
            running = sources.size();
            for (Source source : sources) {
                Thread reader = Thread.ofVirtual().name("exchange-" + source.label()).unstarted(() -> read(source));
                readers.add(reader);
            }
        }
        finally {
            lock.unlock();
        }
        readers.forEach(Thread::start);
    }

    private void read(Source source)
    {
        RemoteTaskStream stream = null;
        try {
            stream = source.client().execute(source.label(), source.ticket());
            stream.onOperatorStats(onOperatorStats);
            lock.lock();
            try {
                if (closed || failure != null) {
                    return;
                }
                streams.add(stream);
            }
            finally {
                lock.unlock();
            }
            while (stream.next()) {
                VectorSchemaRoot root = stream.root();
                if (root.getRowCount() == 0) {
                    continue;
                }
                if (!awaitSpace()) {
                    return;
                }
                VectorSchemaRoot batch = Batches.take(root, types, allocator);
                lock.lock();
                try {
                    if (closed || failure != null) {
                        batch.close();
                        return;
                    }
                    queue.add(batch);
                    bufferedBytes += Batches.sizeInBytes(batch);
                    changed.signalAll();
                }
                finally {
                    lock.unlock();
                }
            }
        }
        catch (GlauxException e) {
            fail(e);
        }
        catch (RuntimeException | Error e) {
            fail(new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Reading " + source.label() + " from worker " + source.client().workerId() + " failed: " + e, e));
        }
        finally {
            if (stream != null) {
                stream.close();
            }
            lock.lock();
            try {
                running--;
                changed.signalAll();
            }
            finally {
                lock.unlock();
            }
        }
    }

    /** Waits until the queue has room; false once the client is closed or failed. */
    private boolean awaitSpace()
    {
        lock.lock();
        try {
            while (!closed && failure == null && bufferedBytes > 0 && bufferedBytes >= maxBufferedBytes) {
                changed.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            return !closed && failure == null;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        finally {
            lock.unlock();
        }
    }

    private void fail(GlauxException error)
    {
        List<RemoteTaskStream> toCancel;
        lock.lock();
        try {
            if (closed || failure != null) {
                return;
            }
            failure = error;
            toCancel = List.copyOf(streams);
            freeQueue();
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
        toCancel.forEach(RemoteTaskStream::cancel);
    }

    /**
     * The next batch (the caller owns it), or null once every source ended. Calls {@code checkCancelled}
     * every {@value #WAIT_MILLIS} ms while it waits; throws the first source's failure.
     */
    public VectorSchemaRoot next(Runnable checkCancelled)
    {
        start();
        lock.lock();
        try {
            while (true) {
                if (failure != null) {
                    throw new GlauxException(failure.errorCode(), failure.getMessage(), failure);
                }
                if (closed) {
                    throw new IllegalStateException("exchange client is closed");
                }
                VectorSchemaRoot batch = queue.poll();
                if (batch != null) {
                    bufferedBytes -= Batches.sizeInBytes(batch);
                    changed.signalAll();
                    return batch;
                }
                if (running == 0) {
                    return null;
                }
                lock.unlock();
                try {
                    checkCancelled.run();
                }
                finally {
                    lock.lock();
                }
                changed.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlauxException(ErrorCode.USER_CANCELED, "Interrupted while reading from the workers", e);
        }
        finally {
            lock.unlock();
        }
    }

    /** Bytes received and not yet taken by the consumer. */
    public long bufferedBytes()
    {
        lock.lock();
        try {
            return bufferedBytes;
        }
        finally {
            lock.unlock();
        }
    }

    private void freeQueue()
    {
        VectorSchemaRoot batch;
        while ((batch = queue.poll()) != null) {
            batch.close();
        }
        bufferedBytes = 0;
    }

    /** Cancels the sources still running (their remote tasks stop), waits for the readers, frees what is queued. */
    @Override
    public void close()
    {
        List<RemoteTaskStream> toCancel;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toCancel = List.copyOf(streams);
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
        toCancel.forEach(RemoteTaskStream::cancel);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread reader : readers) {
            while (reader.isAlive() && System.nanoTime() < deadline) {
                try {
                    reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
                catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            freeQueue();
        }
        finally {
            lock.unlock();
        }
    }
}
