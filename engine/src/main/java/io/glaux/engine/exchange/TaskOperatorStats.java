package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.operator.OperatorStats;
import io.glaux.engine.plan.PlanNodeId;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operators of a task on a worker did, for EXPLAIN ANALYZE: a task sends it as the
 * application metadata of a Flight message without a batch just before the end of its stream, and its
 * reader adds it to the query's numbers ({@link #merge}). A stage task's message also carries what it
 * received from the tasks it read, so the numbers of every stage reach the coordinator. Key
 * {@link #SCAN} stands for the scan of a scan task (rows read, rows sent, bytes fetched, time reading).
 *
 * <p>Encoding: the 4 ASCII bytes {@code GOS1}, the number of entries as an int, then per entry the plan
 * node id as an int and six longs: input rows, output rows, output bytes, wall nanoseconds, peak memory
 * bytes, spilled bytes (all little-endian).
 */
public final class TaskOperatorStats
{
    /** The key of a scan task's own work (its fragment: read, filter, project, partial aggregation). */
    public static final PlanNodeId SCAN = new PlanNodeId(-1);

    /** The key, among a query's numbers on the coordinator, of what the scan of scan stage {@code stageId} did in all its tasks. */
    public static PlanNodeId scanOfStage(int stageId)
    {
        return new PlanNodeId(-2 - stageId);
    }

    private static final int MAGIC = 'G' | 'O' << 8 | 'S' << 16 | '1' << 24;
    private static final int ENTRY = Integer.BYTES + 6 * Long.BYTES;

    private TaskOperatorStats() {}

    /** A buffer holding {@code stats}, allocated from {@code allocator}; the caller (the Flight listener) owns it. */
    public static ArrowBuf encode(BufferAllocator allocator, Map<PlanNodeId, OperatorStats> stats)
    {
        requireNonNull(allocator, "allocator is null");
        Map<PlanNodeId, OperatorStats> copy = new HashMap<>(stats);
        long size = 2L * Integer.BYTES + (long) copy.size() * ENTRY;
        ArrowBuf buffer = allocator.buffer(size);
        buffer.setInt(0, MAGIC);
        buffer.setInt(Integer.BYTES, copy.size());
        long at = 2L * Integer.BYTES;
        for (Map.Entry<PlanNodeId, OperatorStats> entry : copy.entrySet()) {
            OperatorStats operator = entry.getValue();
            buffer.setInt(at, entry.getKey().value());
            buffer.setLong(at + 4, operator.inputRows());
            buffer.setLong(at + 12, operator.outputRows());
            buffer.setLong(at + 20, operator.outputBytes());
            buffer.setLong(at + 28, operator.wallNanos());
            buffer.setLong(at + 36, operator.peakMemoryBytes());
            buffer.setLong(at + 44, operator.spilledBytes());
            at += ENTRY;
        }
        buffer.writerIndex(size);
        return buffer;
    }

    /** The statistics in {@code metadata}, or empty when it is not such a message. */
    public static Optional<Map<PlanNodeId, OperatorStats>> decode(ArrowBuf metadata)
    {
        if (metadata == null || metadata.readableBytes() < 2L * Integer.BYTES || metadata.getInt(metadata.readerIndex()) != MAGIC) {
            return Optional.empty();
        }
        long base = metadata.readerIndex();
        int count = metadata.getInt(base + Integer.BYTES);
        if (count < 0 || metadata.readableBytes() != 2L * Integer.BYTES + (long) count * ENTRY) {
            return Optional.empty();
        }
        Map<PlanNodeId, OperatorStats> stats = new HashMap<>();
        long at = base + 2L * Integer.BYTES;
        for (int i = 0; i < count; i++) {
            OperatorStats operator = new OperatorStats();
            operator.add(metadata.getLong(at + 4), metadata.getLong(at + 12), metadata.getLong(at + 20), metadata.getLong(at + 28),
                    metadata.getLong(at + 36), metadata.getLong(at + 44));
            stats.merge(new PlanNodeId(metadata.getInt(at)), operator, (a, b) -> {
                a.add(b);
                return a;
            });
            at += ENTRY;
        }
        return Optional.of(stats);
    }

    /** Adds {@code stats} to {@code into} (summing what both hold for a node). */
    public static void merge(ConcurrentHashMap<PlanNodeId, OperatorStats> into, Map<PlanNodeId, OperatorStats> stats)
    {
        for (Map.Entry<PlanNodeId, OperatorStats> entry : stats.entrySet()) {
            into.computeIfAbsent(entry.getKey(), _ -> new OperatorStats()).add(entry.getValue());
        }
    }
}
