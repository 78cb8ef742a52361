package io.glaux.coordinator.planner;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * How large a join's inputs are estimated to be (Calcite's row counts, from the tables' statistics and
 * its guesses for filters, times a row's width in Arrow), and the one rule that decides between a
 * broadcast and a partitioned join: a build side estimated over {@link #BROADCAST_MAX_BYTES} is not
 * broadcast. The runtime ({@code QueryExecution}) applies the same limit to the rows it actually
 * collects, so that a wrong estimate is corrected the same way: a broadcast whose build side overruns
 * the limit turns round when its probe side is within it, else becomes a partitioned join.
 */
public final class JoinStatistics
{
    /** The largest build side sent to every probe task of a broadcast join (Arrow bytes). */
    public static final long BROADCAST_MAX_BYTES = 4L << 20;
    private JoinStatistics() {}

    /** The estimated Arrow bytes of what {@code node} delivers. */
    public static double estimatedBytes(RelNode node)
    {
        RelMetadataQuery mq = node.getCluster().getMetadataQuery();
        Double rows = mq.getRowCount(node);
        return (rows == null ? 100 : rows) * rowBytes(node.getRowType());
    }

    /** Whether the join's build (right) side is estimated too large to broadcast. */
    static boolean tooLargeToBroadcast(Join join)
    {
        return estimatedBytes(join.getRight()) > BROADCAST_MAX_BYTES;
    }

    /** A row's bytes in Arrow: fixed widths, 24 bytes a string (its offset and about 20 characters). */
    static double rowBytes(RelDataType rowType)
    {
        double bytes = 0;
        for (RelDataTypeField field : rowType.getFieldList()) {
            bytes += switch (field.getType().getSqlTypeName()) {
                case BOOLEAN, TINYINT -> 1;
                case SMALLINT -> 2;
                case INTEGER, REAL, DATE -> 4;
                case BIGINT, DOUBLE, FLOAT, TIMESTAMP, TIME -> 8;
                case DECIMAL, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 16;
                case CHAR, VARCHAR, BINARY, VARBINARY -> 24;
                default -> 32;
            };
        }
        return Math.max(1, bytes);
    }
}
