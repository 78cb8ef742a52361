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

    /**
     * Adds what another instance of the operator did (another task of its stage, on any worker): rows,
     * bytes, time and spill are summed, and so are the peaks (the stage's tasks run at the same time).
     */
    public synchronized void add(long inputRows, long outputRows, long outputBytes, long wallNanos, long peakMemoryBytes, long spilledBytes)
    {
        this.inputRows += inputRows;
        this.outputRows += outputRows;
        this.outputBytes += outputBytes;
        this.wallNanos += wallNanos;
        this.peakMemoryBytes += peakMemoryBytes;
        this.spilledBytes += spilledBytes;
    }

    /** {@link #add(long, long, long, long, long, long)} with {@code other}'s numbers. */
    public void add(OperatorStats other)
    {
        add(other.inputRows(), other.outputRows(), other.outputBytes(), other.wallNanos(), other.peakMemoryBytes(), other.spilledBytes());
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
