package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.ExchangeClient;
import io.glaux.engine.exchange.ExchangeOperator;
import io.glaux.engine.exchange.ExchangeTickets;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.engine.execution.LocalExecutionPlanner;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.operator.QueryContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One task of an intermediate stage (a FINAL aggregation over hash-partitioned input, and what runs
 * above it): its remote sources read their partition from every producer worker over Flight
 * ({@link ExchangeClient}), the engine's operators run in the query's memory on this worker, and the
 * output streams back to the caller. A cancel by the caller, a failed source or operator ends the
 * call with the error's code and cancels the fetches.
 */
final class StageTaskExecution
{
    private static final Logger log = LoggerFactory.getLogger(StageTaskExecution.class);

    private final String nodeId;
    private final ExchangeTickets.StageTask task;
    private final QueryMemoryContext memory;
    private final QueryMemories.Spill spill;
    private final Function<ExchangeTickets.Location, WorkerClient> peers;
    private final WorkerCounters counters;
    private final QueryContext.Cancellation cancellation = new QueryContext.Cancellation();
    private final FlightOutput output;
    /** Holds the stream's root, which holds nothing between batches: not the query's memory. */
    private final BufferAllocator streamAllocator;

    StageTaskExecution(String nodeId, ExchangeTickets.StageTask task, ServerStreamListener listener, QueryMemoryContext memory, QueryMemories.Spill spill,
            Function<ExchangeTickets.Location, WorkerClient> peers, WorkerCounters counters, BufferAllocator streamAllocator)
    {
        this.spill = requireNonNull(spill, "spill is null");
        this.streamAllocator = requireNonNull(streamAllocator, "streamAllocator is null");
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.task = requireNonNull(task, "task is null");
        this.memory = requireNonNull(memory, "memory is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.output = new FlightOutput(listener, "task " + task.label() + " on worker " + nodeId, counters,
                () -> cancellation.cancel("Task " + task.label() + " was cancelled by its caller"));
    }

    String queryId()
    {
        return task.queryId();
    }

    /** Stops the task (worker shutdown, query aborted). */
    void abort(String reason)
    {
        cancellation.cancel(reason);
    }

    void run()
    {
        counters.tasksStarted.incrementAndGet();
        counters.stageTasksStarted.incrementAndGet();
        counters.runningTasks.incrementAndGet();
        BufferAllocator allocator = null;
        LocalExecutionPlanner planner = null;
        try {
            allocator = memory.allocator().newChildAllocator("stage-task-" + task.label(), 0, Long.MAX_VALUE);
            // its hash operators spill into the query's folder here, under the worker's spill limits, each
            // keeping to its share of the memory the query's other stage tasks here share too (one per
            // partition dealt to this worker)
            int tasksHere = Math.ceilDiv(task.partitionCount(), Math.max(1, task.producers().size()));
            QueryContext context = new QueryContext(memory, spill.directory(), cancellation, spill.space(), tasksHere, new ConcurrentHashMap<>());
            planner = new LocalExecutionPlanner(context, (leaf, operatorContext) -> {
                if (!(leaf instanceof PlanNode.RemoteSource remote) || remote.sourceStages().size() != 1) {
                    operatorContext.close();
                    throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "A stage task cannot read " + leaf);
                }
                int sourceStage = remote.sourceStages().getFirst();
                if (remote.exchangeType() == PlanNode.ExchangeType.BROADCAST) {
                    // a small build side's rows, shipped in the ticket
                    io.glaux.engine.fragment.Task.Broadcast broadcast = task.broadcasts().stream()
                            .filter(build -> build.stageId() == sourceStage).findFirst().orElse(null);
                    if (broadcast == null) {
                        operatorContext.close();
                        throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Task " + task.label() + " has no rows of stage " + sourceStage + " to broadcast");
                    }
                    return io.glaux.engine.exchange.BroadcastData.decode(broadcast.arrowStream(), remote.outputTypes(), operatorContext);
                }
                byte[] ticket = ExchangeTickets.encode(new ExchangeTickets.Fetch(task.queryId(), sourceStage, task.partition(), task.partitionCount(), remote.outputTypes()));
                List<ExchangeClient.Source> sources = new ArrayList<>();
                for (ExchangeTickets.Location producer : task.producers()) {
                    sources.add(new ExchangeClient.Source(peers.apply(producer), task.queryId() + ".stage" + sourceStage + ".partition" + task.partition() + "@" + producer.nodeId(), ticket));
                }
                // the query's other stage tasks here receive ahead too
                long receiveAhead = Math.max(1L << 20, ExchangeOperator.bufferBytes(memory.limit()) / tasksHere);
                return new ExchangeOperator(operatorContext, sources, remote.outputTypes(), receiveAhead);
            });
            output.start(task.plan().outputTypes(), streamAllocator);
            try (Operator root = planner.plan(task.plan())) {
                while (true) {
                    output.checkNotCancelled();
                    VectorSchemaRoot batch = root.next();
                    if (batch == null) {
                        break;
                    }
                    try (batch) {
                        output.send(batch);
                    }
                }
            }
            // the query's memory here is free before the caller sees the end
            allocator.close();
            allocator = null;
            counters.tasksSucceeded.incrementAndGet();
            // what this task's operators did, and the tasks it read, for EXPLAIN ANALYZE
            java.util.concurrent.ConcurrentHashMap<io.glaux.engine.plan.PlanNodeId, io.glaux.engine.operator.OperatorStats> stats = new java.util.concurrent.ConcurrentHashMap<>();
            io.glaux.engine.exchange.TaskOperatorStats.merge(stats, planner.stats());
            io.glaux.engine.exchange.TaskOperatorStats.merge(stats, context.remoteStats());
            output.sendStats(stats);
            output.complete();
        }
        catch (GlauxException e) {
            if (e.errorCode() == ErrorCode.USER_CANCELED) {
                counters.tasksCancelled.incrementAndGet();
            }
            else {
                counters.tasksFailed.incrementAndGet();
            }
            log.debug("Task {} failed on worker {}", task.label(), nodeId, e);
            output.fail(e);
        }
        catch (RuntimeException | Error e) {
            counters.tasksFailed.incrementAndGet();
            log.error("Task {} failed on worker {}", task.label(), nodeId, e);
            output.fail(new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Worker " + nodeId + " failed running task " + task.label() + ": " + e, e));
        }
        finally {
            if (planner != null) {
                counters.spilledBytes.addAndGet(planner.stats().values().stream().mapToLong(OperatorStats::spilledBytes).sum());
            }
            output.close();
            if (allocator != null) {
                allocator.close();
            }
            counters.runningTasks.decrementAndGet();
        }
    }
}
