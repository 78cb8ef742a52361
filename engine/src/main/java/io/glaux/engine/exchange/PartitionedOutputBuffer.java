package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.Batches;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The output of one stage on one worker, split into {@code partitionCount} partitions, each read by
 * one consumer task (over Flight, {@link ExchangeTickets.Fetch}). Producers (the stage's tasks on this
 * worker) {@link #enqueue} batches; their buffers move into the buffer's own allocator, a child of the
 * query's allocator, so buffered bytes count against the query's memory; a producer waits while the buffer
 * holds {@code maxBytes} or more (one batch always fits an empty buffer): back-pressure from the
 * slowest consumer to the scan. Consumers {@link #poll} their partition until {@link #isFinished}:
 * every producer is done ({@link #setNoMoreInput}) and the partition is empty.
 *
 * <p>{@link #abort} (query failed or cancelled, a consumer went away) frees every buffered batch and
 * wakes producers and consumers with the reason. Once every partition's consumer has read to the end
 * ({@link #consumerFinished}) or the buffer was aborted, {@code onDone} runs once; the owner then
 * {@link #close()}s it. Thread-safe.
 */
public final class PartitionedOutputBuffer
        implements AutoCloseable
{
    private static final long WAIT_MILLIS = 100;

    private final String label;
    private final List<Type> types;
    private final long maxBytes;
    private final BufferAllocator allocator;
    private final Runnable onDone;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    // guarded by lock
    private final List<ArrayDeque<VectorSchemaRoot>> partitions;
    private final boolean[] consumersFinished;
    private int finishedConsumers;
    private long bufferedBytes;
    private long peakBytes;
    private boolean noMoreInput;
    private GlauxException failure;
    private boolean done;
    private boolean closed;
    // when a producer or consumer last used the buffer (System.nanoTime)
    private volatile long lastActivityNanos = System.nanoTime();

    /**
     * @param label names the buffer in errors ({@code query 20261207_1.stage 2})
     * @param parentAllocator the query's allocator; the buffer takes a child of it
     * @param onDone told once, when every consumer finished or the buffer was aborted
     */
    public PartitionedOutputBuffer(String label, int partitionCount, List<Type> types, long maxBytes, BufferAllocator parentAllocator, Runnable onDone)
    {
        this.label = requireNonNull(label, "label is null");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be at least 1: " + partitionCount);
        }
        this.types = List.copyOf(types);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.onDone = requireNonNull(onDone, "onDone is null");
        List<ArrayDeque<VectorSchemaRoot>> queues = new java.util.ArrayList<>();
        for (int i = 0; i < partitionCount; i++) {
            queues.add(new ArrayDeque<>());
        }
        this.partitions = List.copyOf(queues);
        this.consumersFinished = new boolean[partitionCount];
        this.allocator = parentAllocator.newChildAllocator("output-buffer " + label, 0, Long.MAX_VALUE);
    }

    public int partitionCount()
    {
        return partitions.size();
    }

    public List<Type> types()
    {
        return types;
    }

    /**
     * Adds {@code batch} to {@code partition}: its buffers move to the buffer's allocator, and the batch
     * is closed (also when this throws or returns false). Waits while the buffer is full, checking {@code stopped} (the
     * producer's task ended) every {@value #WAIT_MILLIS} ms; returns false if it stopped meanwhile.
     * Throws the reason once the buffer was aborted.
     */
    public boolean enqueue(int partition, VectorSchemaRoot batch, BooleanSupplier stopped)
            throws InterruptedException
    {
        requireNonNull(batch, "batch is null");
        long size = Batches.sizeInBytes(batch);
        boolean added = false;
        lock.lock();
        try {
            while (failure == null && !closed && bufferedBytes > 0 && bufferedBytes + size > maxBytes) {
                if (stopped.getAsBoolean()) {
                    return false;
                }
                notFull.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            checkNotFailed();
            if (noMoreInput) {
                throw new IllegalStateException("output buffer " + label + " takes no more input");
            }
            partitions.get(partition).add(Batches.transfer(batch, allocator));
            added = true;
            lastActivityNanos = System.nanoTime();
            bufferedBytes += size;
            peakBytes = Math.max(peakBytes, bufferedBytes);
            notEmpty.signalAll();
            return true;
        }
        finally {
            lock.unlock();
            if (!added) {
                batch.close();
            }
        }
    }

    /**
     * The next batch of {@code partition} (the caller owns it), or null if none came within
     * {@code timeoutMillis} or the partition is finished. Throws the reason once the buffer was aborted.
     */
    public VectorSchemaRoot poll(int partition, long timeoutMillis)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lastActivityNanos = System.nanoTime();
        lock.lock();
        try {
            while (true) {
                checkNotFailed();
                VectorSchemaRoot batch = partitions.get(partition).poll();
                if (batch != null) {
                    bufferedBytes -= Batches.sizeInBytes(batch);
                    notFull.signalAll();
                    return batch;
                }
                long left = deadline - System.nanoTime();
                if (noMoreInput || left <= 0) {
                    return null;
                }
                notEmpty.awaitNanos(left);
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** When a producer last added a batch or a consumer last asked for one ({@link System#nanoTime()}). */
    public long lastActivityNanos()
    {
        return lastActivityNanos;
    }

    /** Whether {@code partition} has been read to its end. */
    public boolean isFinished(int partition)
    {
        lock.lock();
        try {
            checkNotFailed();
            return noMoreInput && partitions.get(partition).isEmpty();
        }
        finally {
            lock.unlock();
        }
    }

    /** Every producer is done: consumers finish once their partition is empty. */
    public void setNoMoreInput()
    {
        lock.lock();
        try {
            noMoreInput = true;
            notEmpty.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** The consumer of {@code partition} read it to the end; the last one ends the buffer. */
    public void consumerFinished(int partition)
    {
        boolean last;
        lock.lock();
        try {
            if (consumersFinished[partition]) {
                return;
            }
            consumersFinished[partition] = true;
            finishedConsumers++;
            last = finishedConsumers == partitions.size() && !done;
            done |= last;
        }
        finally {
            lock.unlock();
        }
        if (last) {
            onDone.run();
        }
    }

    /** Frees every buffered batch; producers and consumers fail with {@code reason} from now on. */
    public void abort(GlauxException reason)
    {
        requireNonNull(reason, "reason is null");
        boolean first;
        lock.lock();
        try {
            if (failure == null) {
                failure = reason;
            }
            freeBatches();
            first = !done;
            done = true;
            notFull.signalAll();
            notEmpty.signalAll();
        }
        finally {
            lock.unlock();
        }
        if (first) {
            onDone.run();
        }
    }

    public boolean isAborted()
    {
        lock.lock();
        try {
            return failure != null;
        }
        finally {
            lock.unlock();
        }
    }

    /** Bytes buffered now. */
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

    /** The most bytes buffered at once. */
    public long peakBytes()
    {
        lock.lock();
        try {
            return peakBytes;
        }
        finally {
            lock.unlock();
        }
    }

    private void checkNotFailed()
    {
        if (failure != null) {
            throw new GlauxException(failure.errorCode(), failure.getMessage(), failure);
        }
        if (closed) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Output buffer " + label + " is closed");
        }
    }

    private void freeBatches()
    {
        for (ArrayDeque<VectorSchemaRoot> partition : partitions) {
            VectorSchemaRoot batch;
            while ((batch = partition.poll()) != null) {
                batch.close();
            }
        }
        bufferedBytes = 0;
    }

    /** Frees what is still buffered and closes the allocator (Arrow reports a batch a producer still holds). */
    @Override
    public void close()
    {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            freeBatches();
            notFull.signalAll();
            notEmpty.signalAll();
        }
        finally {
            lock.unlock();
        }
        allocator.close();
    }

    @Override
    public String toString()
    {
        return "output buffer " + label;
    }
}
