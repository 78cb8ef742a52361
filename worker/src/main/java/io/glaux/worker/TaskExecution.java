package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.PageSourceProvider;
import io.glaux.connectors.split.Split;
import io.glaux.engine.exchange.PartitionedOutputBuffer;
import io.glaux.engine.exchange.RemoteErrors;
import io.glaux.engine.exchange.TaskOperatorStats;
import io.glaux.engine.exchange.TaskProgress;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.operator.aggregation.HashPartitioner;
import io.glaux.engine.fragment.Task;
import io.glaux.engine.execution.LocalExecutionPlanner;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.FragmentRunner;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.operator.QueryContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One task running on a worker: up to {@code concurrency} drivers, each with its own
 * {@link FragmentRunner} over the page source factory of the fragment's format, take splits from a shared queue; each split
 * starts reading ({@link FragmentRunner#prepare}) before its turn: a driver's first split when the task
 * arrives (even if the driver waits for a thread), the next one while the current one is processed. When the queue is empty each driver
 * finishes its runner (partial aggregations emit their state then). Every output batch is loaded,
 * under a lock, into the one root the Flight stream was started with and sent; a driver waits there
 * while the stream is not ready (backpressure). The first failure stops all drivers and ends the call
 * with the failure's error code; a client cancel or a server shutdown stops them too.
 */
final class TaskExecution
{
    private static final Logger log = LoggerFactory.getLogger(TaskExecution.class);
    private static final long READY_POLL_MILLIS = 100;
    /** Batches the drivers may queue ahead of the task's pipeline. */
    private static final int PIPELINE_QUEUE_BATCHES = 16;

    private enum StopReason
    {
        FAILED, CLIENT_CANCELLED, SHUTDOWN
    }

    private final String nodeId;
    private final Task task;
    private final String label;
    private final ServerStreamListener listener;
    private final PageSourceProvider pageSources;
    private final BufferAllocator parentAllocator;
    private final QueryMemoryContext queryMemory;
    /** Where the pipeline's hash operators (a broadcast join, a partial aggregation) spill: the query's folder here. */
    private final QueryMemories.Spill spill;
    /** How many tasks of the query this worker ran side by side when this one arrived (the pipeline's memory share). */
    private final int tasksHere;
    /** Cancels the pipeline's operators when the task stops. */
    private final QueryContext.Cancellation cancellation = new QueryContext.Cancellation();
    /** With a pipeline: the drivers' output, read by the pipeline's source; null without one. */
    private final BlockingQueue<VectorSchemaRoot> pipelineInput;
    private volatile CountDownLatch driversDone;
    /**
     * Set once the pipeline has ended (it may end before its input does: a join with an empty build
     * side): the drivers then take no more splits, and what they still output is dropped.
     */
    private volatile boolean pipelineDone;
    /** With a pipeline: the types of the scan output its leaf reads (computed once, used per batch). */
    private final List<Type> pipelineSourceTypes;
    private final ExecutorService driverPool;
    private final int concurrency;
    private final WorkerCounters counters;
    private final Consumer<TaskExecution> onDone;
    private final ExchangeBuffers buffers;
    /** With a partitioned output: the stage's output buffer on this worker, and the partitioners drivers borrow. */
    private volatile PartitionedOutputBuffer outputBuffer;
    private volatile BufferAllocator outputAllocator;
    private final Queue<HashPartitioner> partitioners = new ConcurrentLinkedQueue<>();
    /** The join keys of the rows sent into a partitioned join's stage, reported at the end for dynamic filtering; null otherwise. */
    private volatile io.glaux.engine.exchange.KeySummary keySummary;

    private final ReentrantLock streamLock = new ReentrantLock();
    private final Condition streamReady = streamLock.newCondition();
    // guarded by streamLock
    private boolean terminated;
    private VectorSchemaRoot out;
    private VectorLoader loader;
    private BufferAllocator streamAllocator;
    /** What the drivers' scans did, summed ({@link TaskOperatorStats#SCAN}). */
    private final OperatorStats scanStats = new OperatorStats();
    /** What the pipeline's operators did, once it runs. */
    private volatile Map<PlanNodeId, OperatorStats> pipelineStats = Map.of();
    /** The object store bytes last sent to the reader ({@link TaskProgress}). */
    private long reportedObjectStoreBytes;

    /** How many more object store bytes a split reads before its progress is reported mid-split. */
    static final long PROGRESS_BYTES = 8L << 20;

    /** Bytes the drivers' page sources fetched from the object store, summed as their splits go on. */
    private final java.util.concurrent.atomic.AtomicLong objectStoreBytes = new java.util.concurrent.atomic.AtomicLong();

    // guarded by drivers
    private final Set<Thread> drivers = new HashSet<>();
    private volatile StopReason stopReason;
    private volatile Throwable failure;

    TaskExecution(
            String nodeId,
            Task task,
            ServerStreamListener listener,
            PageSourceProvider pageSources,
            QueryMemoryContext queryMemory,
            QueryMemories.Spill spill,
            int tasksHere,
            ExecutorService driverPool,
            int concurrency,
            WorkerCounters counters,
            ExchangeBuffers buffers,
            Consumer<TaskExecution> onDone)
    {
        this.buffers = requireNonNull(buffers, "buffers is null");
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.task = requireNonNull(task, "task is null");
        this.label = task.queryId() + "." + task.taskId();
        this.listener = requireNonNull(listener, "listener is null");
        this.pageSources = requireNonNull(pageSources, "pageSources is null");
        this.queryMemory = requireNonNull(queryMemory, "queryMemory is null");
        this.spill = requireNonNull(spill, "spill is null");
        this.tasksHere = Math.max(1, tasksHere);
        this.parentAllocator = queryMemory.allocator();
        this.pipelineInput = task.pipeline().isPresent() ? new ArrayBlockingQueue<>(PIPELINE_QUEUE_BATCHES) : null;
        this.pipelineSourceTypes = pipelineSourceTypes(task);
        this.driverPool = requireNonNull(driverPool, "driverPool is null");
        this.concurrency = concurrency;
        this.counters = requireNonNull(counters, "counters is null");
        this.onDone = requireNonNull(onDone, "onDone is null");
        listener.setOnCancelHandler(() -> stop(StopReason.CLIENT_CANCELLED, null));
        listener.setOnReadyHandler(this::signalReady);
    }

    @Override
    public String toString()
    {
        return "task " + label + " on worker " + nodeId;
    }

    /** Runs the task to its end on the calling thread. */
    void run()
    {
        counters.tasksStarted.incrementAndGet();
        counters.runningTasks.incrementAndGet();
        List<FragmentRunner> runners = new ArrayList<>();
        List<BufferAllocator> runnerAllocators = new ArrayList<>();
        BufferAllocator taskAllocator = null;
        CountDownLatch done = null;
        try {
            taskAllocator = parentAllocator.newChildAllocator("task-" + label, 0, Long.MAX_VALUE);
            if (task.output().isPresent()) {
                Task.PartitionedOutput partitioned = task.output().get();
                outputAllocator = taskAllocator;
                outputBuffer = buffers.get(task.queryId(), partitioned.stageId(), partitioned.partitionCount(), partitioned.types());
                if (partitioned.spreadNullKeys()) {
                    // a join's input: the coordinator may narrow the other side's scan by its keys
                    keySummary = new io.glaux.engine.exchange.KeySummary(partitioned.keys());
                }
            }
            // the reader of the fragment's file format, configured by the table's format properties
            PageSourceFactory factory = pageSources.factory(task.fragment().format(), task.fragment().formatProperties());
            int driverCount = Math.max(1, Math.min(concurrency, task.splits().size()));
            for (int i = 0; i < driverCount; i++) {
                BufferAllocator allocator = taskAllocator.newChildAllocator("task-" + label + "-driver-" + i, 0, Long.MAX_VALUE);
                runnerAllocators.add(allocator);
                runners.add(new FragmentRunner(task.fragment(), factory, allocator));
            }
            Schema schema = task.pipeline().map(pipeline -> Batches.schema(pipeline.outputTypes())).orElse(runners.getFirst().outputSchema());
            streamLock.lock();
            try {
                out = VectorSchemaRoot.create(schema, taskAllocator);
                loader = new VectorLoader(out);
                streamAllocator = taskAllocator;
                if (!terminated && stopReason == null) {
                    listener.start(out);
                }
            }
            finally {
                streamLock.unlock();
            }

            Queue<Split> splits = new ConcurrentLinkedQueue<>(task.splits());
            done = new CountDownLatch(runners.size());
            driversDone = done;
            for (FragmentRunner runner : runners) {
                CountDownLatch latch = done;
                // each driver's first split starts reading now, even if the driver waits for a thread
                Split first = splits.poll();
                try {
                    if (first != null && stopReason == null) {
                        runner.prepare(first);
                    }
                }
                catch (Throwable e) {
                    // the driver still runs, sees the stop and counts down
                    stop(StopReason.FAILED, e);
                }
                try {
                    driverPool.execute(() -> drive(runner, first, splits, latch));
                }
                catch (RejectedExecutionException e) {
                    latch.countDown();
                    stop(StopReason.SHUTDOWN, null);
                }
            }
            if (task.pipeline().isPresent()) {
                runPipeline(task.pipeline().get());
            }
        }
        catch (Throwable e) {
            stop(StopReason.FAILED, e);
        }
        finally {
            if (done != null) {
                awaitDrivers(done);
            }
            if (pipelineInput != null) {
                // what the drivers queued after the pipeline ended (and closed its source)
                pipelineDone = true;
                VectorSchemaRoot left;
                while ((left = pipelineInput.poll()) != null) {
                    left.close();
                }
            }
            finishCall();
            closeAll(runners, runnerAllocators, taskAllocator);
            counters.runningTasks.decrementAndGet();
            onDone.accept(this);
        }
    }

    /** Bytes the task's drivers fetched from the object store (all of them once the task ended). */
    long objectStoreBytes()
    {
        return objectStoreBytes.get();
    }

    /** Stops the task because the worker shuts down; the client sees a transport-level failure. */
    void abortForShutdown()
    {
        stop(StopReason.SHUTDOWN, null);
    }

    private void drive(FragmentRunner runner, Split first, Queue<Split> splits, CountDownLatch done)
    {
        Thread current = Thread.currentThread();
        long started = System.nanoTime();
        // what this driver's runner read and the task has counted; reported during a split too, each
        // PROGRESS_BYTES, so that the query's bytes-scanned limit stops it close to the limit
        long[] counted = {0};
        runner.onInputBatch(() -> {
            if (runner.bytesRead() - counted[0] >= PROGRESS_BYTES) {
                counted[0] = countObjectStoreBytes(runner, counted[0]);
                reportProgress();
            }
        });
        try {
            synchronized (drivers) {
                if (stopReason != null) {
                    return;
                }
                drivers.add(current);
            }
            // a runner that reached its LIMIT needs no more splits; the others may still take them
            Split split = first;
            while (stopReason == null && !pipelineDone && !runner.isFinished() && split != null) {
                // the next split is taken now and starts reading while this one is processed
                Split next = splits.poll();
                if (next != null) {
                    runner.prepare(next);
                }
                runner.process(split, this::output);
                counters.splitsProcessed.incrementAndGet();
                counted[0] = countObjectStoreBytes(runner, counted[0]);
                reportProgress();
                split = next;
            }
            if (stopReason == null) {
                runner.finish(this::output);
            }
        }
        catch (Throwable e) {
            if (!(e instanceof TaskStopped)) {
                stop(StopReason.FAILED, e);
            }
        }
        finally {
            counters.rowsRead.addAndGet(runner.rowsIn());
            counters.bytesRead.addAndGet(runner.bytesRead());
            // the scan's line of EXPLAIN ANALYZE: its output bytes are the bytes it fetched
            scanStats.add(runner.rowsIn(), runner.rowsOut(), runner.bytesRead(), System.nanoTime() - started, 0, 0);
            countObjectStoreBytes(runner, counted[0]);
            synchronized (drivers) {
                drivers.remove(current);
                // clear an interrupt from stop() so it does not leak into the pool's next job
                Thread.interrupted();
            }
            done.countDown();
        }
    }

    /** Adds what {@code runner} read from the object store since {@code counted} to the task's total; returns its new count. */
    private long countObjectStoreBytes(FragmentRunner runner, long counted)
    {
        long now = runner.bytesRead();
        if (now > counted) {
            objectStoreBytes.addAndGet(now - counted);
        }
        return now;
    }

    /**
     * Tells the reader the bytes read from the object store so far ({@link TaskProgress}), when they
     * changed and the stream has room: never waits, as the next report, or the last one at the end of
     * the call, carries the total.
     */
    private void reportProgress()
    {
        streamLock.lock();
        try {
            if (!terminated && stopReason == null && streamAllocator != null && listener.isReady()) {
                sendProgress();
            }
        }
        catch (RuntimeException e) {
            // the call may already be closed by the client or the transport
            log.debug("Reporting the progress of task {} failed", label, e);
        }
        finally {
            streamLock.unlock();
        }
    }

    /** Under {@code streamLock}, with the stream started. */
    private void sendProgress()
    {
        long bytes = objectStoreBytes.get();
        if (bytes != reportedObjectStoreBytes) {
            listener.putMetadata(TaskProgress.encode(streamAllocator, bytes));
            reportedObjectStoreBytes = bytes;
        }
    }

    /** A driver's output: to the stream, or to the pipeline's queue. */
    private void output(VectorSchemaRoot batch)
    {
        if (pipelineInput == null) {
            emit(batch);
            return;
        }
        if (batch.getRowCount() == 0 || pipelineDone) {
            return;
        }
        VectorSchemaRoot moved = Batches.take(batch, pipelineSourceTypes, parentAllocator);
        try {
            while (!pipelineInput.offer(moved, READY_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                checkRunning();
                if (pipelineDone) {
                    moved.close();
                    return;
                }
            }
        }
        catch (InterruptedException e) {
            moved.close();
            Thread.currentThread().interrupt();
            throw new TaskStopped();
        }
        catch (RuntimeException e) {
            moved.close();
            throw e;
        }
    }

    /** The types of the scan output the pipeline reads: its leaf's. */
    private static List<Type> pipelineSourceTypes(Task task)
    {
        if (task.pipeline().isEmpty()) {
            return List.of();
        }
        PlanNode node = task.pipeline().get();
        while (!node.sources().isEmpty()) {
            node = node.sources().getFirst();
        }
        return node.outputTypes();
    }

    /**
     * Runs the task's pipeline on this thread over what the drivers queue, sending its output to the
     * stream; ends when the drivers are done and the queue is drained.
     */
    private void runPipeline(PlanNode pipeline)
    {
        // its hash join and aggregation spill into the query's folder here, keeping to their share of the
        // memory the query's other tasks here use too
        QueryContext context = new QueryContext(queryMemory, spill.directory(), cancellation, spill.space(), tasksHere, new ConcurrentHashMap<>());
        List<Type> sourceTypes = pipelineSourceTypes;
        LocalExecutionPlanner planner = new LocalExecutionPlanner(context, (leaf, operatorContext) -> leaf instanceof PlanNode.RemoteSource remote
                && remote.exchangeType() == PlanNode.ExchangeType.BROADCAST
                ? broadcastSource(remote, operatorContext)
                : new Operator()
        {
            @Override
            public List<Type> outputTypes()
            {
                return sourceTypes;
            }

            @Override
            public VectorSchemaRoot next()
            {
                while (true) {
                    checkRunning();
                    VectorSchemaRoot batch;
                    try {
                        batch = pipelineInput.poll(READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new TaskStopped();
                    }
                    if (batch != null) {
                        return batch;
                    }
                    if (driversDone.getCount() == 0 && pipelineInput.isEmpty()) {
                        return null;
                    }
                }
            }

            @Override
            public void close()
            {
                VectorSchemaRoot batch;
                while ((batch = pipelineInput.poll()) != null) {
                    batch.close();
                }
                operatorContext.close();
            }
        });
        pipelineStats = planner.stats();
        try (Operator root = planner.plan(pipeline)) {
            while (true) {
                VectorSchemaRoot batch = root.next();
                if (batch == null) {
                    break;
                }
                try (batch) {
                    emit(batch);
                }
            }
        }
        catch (TaskStopped e) {
            // the stop's reason is reported by finishCall
        }
        catch (Throwable e) {
            stop(StopReason.FAILED, e);
        }
        finally {
            pipelineDone = true;
        }
    }

    /** The build side of a broadcast join, shipped in the task. */
    private Operator broadcastSource(PlanNode.RemoteSource remote, io.glaux.engine.operator.OperatorContext context)
    {
        Task.Broadcast broadcast = task.broadcasts().stream().filter(build -> remote.sourceStages().equals(List.of(build.stageId()))).findFirst().orElse(null);
        if (broadcast == null) {
            context.close();
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Task " + label + " has no rows of stage " + remote.sourceStages() + " to broadcast");
        }
        return io.glaux.engine.exchange.BroadcastData.decode(broadcast.arrowStream(), remote.outputTypes(), context);
    }

    private void emit(VectorSchemaRoot batch)
    {
        if (batch.getRowCount() == 0) {
            return;
        }
        if (outputBuffer != null) {
            emitPartitioned(batch);
            return;
        }
        streamLock.lock();
        try {
            while (true) {
                checkRunning();
                if (listener.isReady()) {
                    break;
                }
                try {
                    streamReady.await(READY_POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TaskStopped();
                }
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
                out.clear();
            }
            counters.batchesSent.incrementAndGet();
            counters.rowsSent.addAndGet(batch.getRowCount());
            counters.bytesSent.addAndGet(bytes);
        }
        finally {
            streamLock.unlock();
        }
    }

    /**
     * Splits {@code batch} by the hash of the partition keys and adds each part to its partition of the
     * stage's output buffer, waiting while the buffer is full (its consumers are behind).
     */
    private void emitPartitioned(VectorSchemaRoot batch)
    {
        Task.PartitionedOutput partitioned = task.output().orElseThrow();
        int count = batch.getRowCount();
        int partitionCount = partitioned.partitionCount();
        HashPartitioner partitioner = partitioners.poll();
        if (partitioner == null) {
            partitioner = new HashPartitioner(partitioned.types(), partitioned.keys(), partitionCount, partitioned.spreadNullKeys());
        }
        try {
            if (keySummary != null) {
                keySummary.add(batch);
            }
            int[] partitionOf = new int[count];
            partitioner.partition(batch, partitionOf);
            // rows grouped by partition, in their order: a counting sort
            int[] starts = new int[partitionCount + 1];
            for (int j = 0; j < count; j++) {
                starts[partitionOf[j] + 1]++;
            }
            for (int p = 0; p < partitionCount; p++) {
                starts[p + 1] += starts[p];
            }
            int[] next = java.util.Arrays.copyOf(starts, partitionCount);
            int[] positions = new int[count];
            for (int j = 0; j < count; j++) {
                positions[next[partitionOf[j]]++] = j;
            }
            for (int p = 0; p < partitionCount; p++) {
                int size = starts[p + 1] - starts[p];
                if (size == 0) {
                    continue;
                }
                int[] rows = starts[p] == 0 ? positions : java.util.Arrays.copyOfRange(positions, starts[p], starts[p + 1]);
                checkRunning();
                VectorSchemaRoot part = Batches.copyRows(batch, partitioned.types(), rows, size, outputAllocator);
                if (!outputBuffer.enqueue(p, part, () -> stopReason != null)) {
                    throw new TaskStopped();
                }
            }
            counters.rowsSent.addAndGet(count);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskStopped();
        }
        finally {
            partitioners.add(partitioner);
        }
    }

    private void checkRunning()
    {
        if (stopReason != null || terminated) {
            throw new TaskStopped();
        }
    }

    private void signalReady()
    {
        streamLock.lock();
        try {
            streamReady.signalAll();
        }
        finally {
            streamLock.unlock();
        }
    }

    private void stop(StopReason reason, Throwable cause)
    {
        synchronized (drivers) {
            if (stopReason != null) {
                return;
            }
            failure = cause;
            stopReason = reason;
            cancellation.cancel("Task stopped: " + reason);
            for (Thread driver : drivers) {
                driver.interrupt();
            }
        }
        if (reason == StopReason.FAILED && !(cause instanceof GlauxException)) {
            log.error("Task {} failed on worker {}", label, nodeId, cause);
        }
        else if (reason == StopReason.FAILED) {
            log.debug("Task {} failed on worker {}", label, nodeId, cause);
        }
        // end the call now rather than after every driver has noticed
        finishCall();
        signalReady();
    }

    /** Waits for every driver to leave its runner, so that runners and allocators can be closed. */
    private void awaitDrivers(CountDownLatch done)
    {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            }
            catch (InterruptedException e) {
                interrupted = true;
                stop(StopReason.SHUTDOWN, null);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the Flight call once: completed, or an error status matching the stop reason. */
    private void finishCall()
    {
        streamLock.lock();
        try {
            if (terminated) {
                return;
            }
            terminated = true;
            StopReason reason = stopReason;
            if (reason == null) {
                // count first: a client that has seen the end of the stream must see the task counted
                counters.tasksSucceeded.incrementAndGet();
                if (streamAllocator != null) {
                    // the drivers are done: the reader gets the task's total before the end
                    try {
                        sendProgress();
                    }
                    catch (RuntimeException e) {
                        // the stream must still end, or the reader waits for it forever
                        log.debug("Reporting the final progress of task {} failed", label, e);
                    }
                    if (keySummary != null) {
                        try {
                            listener.putMetadata(keySummary.encode(streamAllocator));
                        }
                        catch (RuntimeException e) {
                            log.debug("Reporting the join keys of task {} failed", label, e);
                        }
                    }
                    try {
                        // what the scan and the pipeline's operators did, for EXPLAIN ANALYZE
                        Map<PlanNodeId, OperatorStats> stats = new HashMap<>(pipelineStats);
                        stats.put(TaskOperatorStats.SCAN, scanStats);
                        listener.putMetadata(TaskOperatorStats.encode(streamAllocator, stats));
                    }
                    catch (RuntimeException e) {
                        log.debug("Reporting the operator statistics of task {} failed", label, e);
                    }
                }
                listener.completed();
                return;
            }
            switch (reason) {
                case CLIENT_CANCELLED -> counters.tasksCancelled.incrementAndGet();
                case SHUTDOWN -> {
                    counters.tasksCancelled.incrementAndGet();
                    listener.error(CallStatus.UNAVAILABLE.withDescription("Worker " + nodeId + " is shutting down").toRuntimeException());
                }
                case FAILED -> {
                    counters.tasksFailed.incrementAndGet();
                    listener.error(RemoteErrors.toCallStatus(asGlauxException(failure)).toRuntimeException());
                }
            }
        }
        catch (RuntimeException e) {
            // the call may already be closed by the client or the transport
            log.debug("Ending the call of task {} failed", label, e);
        }
        finally {
            streamLock.unlock();
        }
    }

    private GlauxException asGlauxException(Throwable throwable)
    {
        if (throwable instanceof GlauxException glaux) {
            return glaux;
        }
        String message = throwable == null ? "unknown failure" : throwable.getClass().getSimpleName() + (throwable.getMessage() == null ? "" : ": " + throwable.getMessage());
        return new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Worker " + nodeId + " failed running task " + label + ": " + message, throwable);
    }

    private void closeAll(List<FragmentRunner> runners, List<BufferAllocator> runnerAllocators, BufferAllocator taskAllocator)
    {
        List<AutoCloseable> closeables = new ArrayList<>(runners);
        closeables.addAll(runnerAllocators);
        streamLock.lock();
        try {
            if (out != null) {
                closeables.add(out);
            }
        }
        finally {
            streamLock.unlock();
        }
        if (taskAllocator != null) {
            closeables.add(taskAllocator);
        }
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            }
            catch (Exception | Error e) {
                log.error("Closing {} of task {} failed", closeable, label, e);
            }
        }
    }

    /** Unwinds a driver whose task was stopped; never reported to the client. */
    private static final class TaskStopped
            extends RuntimeException
    {
        TaskStopped()
        {
            super("task stopped", null, false, false);
        }
    }
}
