package io.glaux.engine.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.operator.Batches;
import io.glaux.engine.operator.Operator;
import io.glaux.engine.operator.OperatorContext;
import io.glaux.engine.plan.PlanCodec;
import io.glaux.engine.plan.PlanNode;
import io.glaux.engine.plan.PlanNodeId;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

class TestBroadcastData
{
    private static final List<Type> TYPES = List.of(Type.BIGINT, Type.VARCHAR);

    @Test
    void buildRowsTravelAsOneArrowStream()
    {
        try (BufferAllocator root = new RootAllocator()) {
            List<VectorSchemaRoot> batches = List.of(batch(root, 0, 3), batch(root, 3, 2));
            byte[] data = BroadcastData.encode(batches, TYPES, root);
            batches.forEach(VectorSchemaRoot::close);
            List<String> rows = new ArrayList<>();
            OperatorContext context = OperatorContext.forTesting(root, 1L << 30, Optional.empty());
            try (Operator operator = BroadcastData.decode(data, TYPES, context)) {
                while (true) {
                    try (VectorSchemaRoot read = operator.next()) {
                        if (read == null) {
                            break;
                        }
                        for (int row = 0; row < read.getRowCount(); row++) {
                            rows.add(read.getVector(0).getObject(row) + "=" + read.getVector(1).getObject(row));
                        }
                    }
                }
            }
            context.query().memory().close();
            assertThat(rows).containsExactly("0=v0", "1=v1", "2=v2", "3=v3", "4=v4");
            // an empty build side is a stream with no batches
            byte[] empty = BroadcastData.encode(List.of(), TYPES, root);
            OperatorContext emptyContext = OperatorContext.forTesting(root, 1L << 30, Optional.empty());
            try (Operator operator = BroadcastData.decode(empty, TYPES, emptyContext)) {
                assertThat(operator.next()).isNull();
            }
            emptyContext.query().memory().close();
        }
    }

    @Test
    void aJoinPipelineGoesOverTheWire()
    {
        PlanNode probe = new PlanNode.RemoteSource(new PlanNodeId(1), List.of(0), PlanNode.ExchangeType.GATHER, List.of(), TYPES);
        PlanNode build = new PlanNode.RemoteSource(new PlanNodeId(2), List.of(3), PlanNode.ExchangeType.BROADCAST, List.of(), TYPES);
        Expression residual = new Expression.Call(Expression.Operator.NOT_EQUAL,
                List.of(new Expression.InputRef(1, Type.VARCHAR), new Expression.InputRef(3, Type.VARCHAR)), Type.BOOLEAN);
        PlanNode join = new PlanNode.Join(new PlanNodeId(4), PlanNode.JoinType.LEFT, probe, build, List.of(0), List.of(0), Optional.of(residual),
                PlanNode.JoinDistribution.BROADCAST);
        assertThat(PlanCodec.fromJson(PlanCodec.toJson(join))).isEqualTo(join);
    }

    private static VectorSchemaRoot batch(BufferAllocator allocator, int start, int count)
    {
        VectorSchemaRoot batch = Batches.create(TYPES, allocator);
        BigIntVector values = (BigIntVector) batch.getVector(0);
        VarCharVector names = (VarCharVector) batch.getVector(1);
        values.allocateNew(count);
        names.allocateNew(count);
        for (int i = 0; i < count; i++) {
            values.set(i, start + i);
            names.setSafe(i, ("v" + (start + i)).getBytes(StandardCharsets.UTF_8));
        }
        batch.setRowCount(count);
        return batch;
    }
}
