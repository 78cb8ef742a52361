package io.glaux.engine.operator.join;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.memory.DataSize;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNode.JoinType;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.Optional;

/**
 * The join of {@link PlanNode.NestedLoopJoin}: every probe (left) row against every build (right) row,
 * kept where {@code condition} (over left ++ right columns) is TRUE; no condition is a cross join. All
 * six join types, with the output rules of {@link AbstractJoinOperator}.
 *
 * <p>The build side is buffered (moved into this operator's allocator, never copied; it counts
 * against the query's memory and fails the query with EXCEEDED_MEMORY_LIMIT past the limit, as there
 * is no spilling). Per probe batch the cross product is enumerated in chunks of at most 16K pairs
 * (probe row major); the condition, compiled once, is evaluated over each chunk as one batch holding
 * just the columns it reads, and the surviving pairs are gathered into the output. SEMI and ANTI
 * without a condition need no pairs at all.
 */
public final class NestedLoopJoinOperator
        extends AbstractJoinOperator
{
    private int probeRows;
    private int cursorRow;
    private int cursorBuild;

    public NestedLoopJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, Optional<Expression> condition)
    {
        this(context, probe, build, type, condition, BATCH_ROWS);
    }

    NestedLoopJoinOperator(OperatorContext context, Operator probe, Operator build, JoinType type, Optional<Expression> condition, int batchRows)
    {
        super(context, probe, build, type, condition, true, batchRows);
    }

    @Override
    protected void buildSide()
    {
        while (true) {
            context.checkCancelled();
            VectorSchemaRoot batch = build.next();
            if (batch == null) {
                break;
            }
            int rows = batch.getRowCount();
            context.stats().addInput(rows);
            if (rows == 0) {
                batch.close();
                continue;
            }
            buildRows.add(Batches.transfer(batch, context.allocator()));
            QueryMemoryContext memory = context.query().memory();
            if (memory.reservedBytes() > memory.limit()) {
                throw new GlauxException(ErrorCode.EXCEEDED_MEMORY_LIMIT,
                        "Query exceeded per-node memory limit of " + DataSize.format(memory.limit()) + " [Allocated: " + DataSize.format(memory.reservedBytes())
                                + ", Operator: " + context.name() + " buffering " + buildRows.rowCount() + " build rows of a nested-loop join"
                                + ", Top Consumers: " + memory.topConsumers() + "]");
            }
            context.setHeapBytes(buildRows.heapBytes());
        }
    }

    @Override
    protected void startProbeBatch(VectorSchemaRoot batch)
    {
        probeRows = batch.getRowCount();
        cursorRow = 0;
        cursorBuild = 0;
    }

    @Override
    protected int nextCandidates(int[] probeRowsOut, int[] buildRowsOut, int capacity)
    {
        int buildCount = buildRows.rowCount();
        if (buildCount == 0) {
            return 0;
        }
        int count = 0;
        int row = cursorRow;
        int g = cursorBuild;
        while (count < capacity && row < probeRows) {
            int n = Math.min(capacity - count, buildCount - g);
            for (int i = 0; i < n; i++) {
                probeRowsOut[count + i] = row;
                buildRowsOut[count + i] = g + i;
            }
            count += n;
            g += n;
            if (g == buildCount) {
                g = 0;
                row++;
            }
        }
        cursorRow = row;
        cursorBuild = g;
        return count;
    }

    @Override
    protected boolean candidatesExhausted()
    {
        return cursorRow >= probeRows || buildRows.rowCount() == 0;
    }

    @Override
    protected boolean hasCandidate(int row)
    {
        return buildRows.rowCount() > 0;
    }
}
