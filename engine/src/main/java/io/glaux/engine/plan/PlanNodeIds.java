package io.glaux.engine.plan;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out the ids of one query's plan nodes, each once: the planner's, and those of nodes the
 * coordinator adds to the plan at run time (a join turned round, the part of a chain of joins that
 * runs on the coordinator), which therefore never take the id of another node and keep their own
 * statistics in EXPLAIN ANALYZE. Thread-safe.
 */
public final class PlanNodeIds
{
    private final AtomicInteger next;

    /** Ids from {@code first} on. */
    public PlanNodeIds(int first)
    {
        if (first < 0) {
            throw new IllegalArgumentException("first id is negative: " + first);
        }
        this.next = new AtomicInteger(first);
    }

    /** Ids that no node of {@code plans} (nor of their sources) has. */
    public static PlanNodeIds after(Collection<PlanNode> plans)
    {
        int highest = -1;
        for (PlanNode plan : plans) {
            highest = Math.max(highest, highest(plan));
        }
        return new PlanNodeIds(highest + 1);
    }

    private static int highest(PlanNode node)
    {
        int highest = node.id().value();
        for (PlanNode source : node.sources()) {
            highest = Math.max(highest, highest(source));
        }
        return highest;
    }

    /** An id not handed out before. */
    public PlanNodeId next()
    {
        int id = next.getAndIncrement();
        if (id < 0) {
            throw new IllegalStateException("plan node ids exhausted");
        }
        return new PlanNodeId(id);
    }
}
