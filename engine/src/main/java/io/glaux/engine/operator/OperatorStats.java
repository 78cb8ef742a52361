package io.glaux.engine.operator;

/**
 * What one operator did, for EXPLAIN ANALYZE and the protocol's statistics. Updated by the operator's
 * thread; read after it finished (or as an estimate while it runs).
 */
public final class OperatorStats
{
    private volatile long inputRows;
    private volatile long outputRows;
    private volatile long outputBytes;
    private volatile long wallNanos;
    private volatile long peakMemoryBytes;
    private volatile long spilledBytes;

    public void addInput(long rows)
    {
        inputRows += rows;
    }

    public void addOutput(long rows, long bytes)
    {
        outputRows += rows;
        outputBytes += bytes;
    }

    public void addWallNanos(long nanos)
    {
        wallNanos += nanos;
    }

    public void addSpilledBytes(long bytes)
    {
        spilledBytes += bytes;
    }

    void recordMemory(long bytes)
    {
        if (bytes > peakMemoryBytes) {
            peakMemoryBytes = bytes;
        }
    }

    public long inputRows()
    {
        return inputRows;
    }

    public long outputRows()
    {
        return outputRows;
    }

    public long outputBytes()
    {
        return outputBytes;
    }

    public long wallNanos()
    {
        return wallNanos;
    }

    public long peakMemoryBytes()
    {
        return peakMemoryBytes;
    }

    public long spilledBytes()
    {
        return spilledBytes;
    }
}
