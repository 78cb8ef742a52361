package io.glaux.coordinator.query;

/** States as the Trino protocol names them. */
public enum QueryState
{
    QUEUED, PLANNING, RUNNING, FINISHING, FINISHED, FAILED;

    public boolean isDone()
    {
        return this == FINISHED || this == FAILED;
    }
}
