package io.glaux.engine.plan;

/** Identifies a plan node within one query's plan (for statistics and EXPLAIN ANALYZE). */
public record PlanNodeId(int value)
{
    @Override
    public String toString()
    {
        return Integer.toString(value);
    }
}
