package io.glaux.coordinator.planner;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/** SQL conformance of the Trino dialect where it differs from Calcite's default. */
final class GlauxConformance
        extends SqlDelegatingConformance
{
    static final GlauxConformance INSTANCE = new GlauxConformance();

    private GlauxConformance()
    {
        super(SqlConformanceEnum.DEFAULT);
    }

    /** {@code GROUP BY 1}. */
    @Override
    public boolean isGroupByOrdinal()
    {
        return true;
    }

    /** {@code SELECT 1} without FROM, {@code != } and {@code %} are all Trino. */
    @Override
    public boolean isBangEqualAllowed()
    {
        return true;
    }

    @Override
    public boolean isPercentRemainderAllowed()
    {
        return true;
    }

    @Override
    public boolean isFromRequired()
    {
        return false;
    }

    /** {@code OFFSET n LIMIT m}: Trino takes OFFSET before LIMIT too. */
    @Override
    public boolean isOffsetLimitAllowed()
    {
        return true;
    }
}
