package io.glaux.coordinator.query;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live counters of one query, updated by its execution and read by the protocol layer. */
public final class QueryStats
{
    public final AtomicInteger totalSplits = new AtomicInteger();
    public final AtomicInteger completedSplits = new AtomicInteger();
    public final AtomicInteger runningSplits = new AtomicInteger();
    public final AtomicInteger nodes = new AtomicInteger();
    public final AtomicLong processedRows = new AtomicLong();
    public final AtomicLong processedBytes = new AtomicLong();
    public final AtomicLong outputRows = new AtomicLong();
}
