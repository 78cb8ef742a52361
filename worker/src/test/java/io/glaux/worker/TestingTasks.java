package io.glaux.worker;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.fragment.AggregateCall;
import io.glaux.engine.fragment.AggregateFunction;
import io.glaux.engine.fragment.Aggregation;
import io.glaux.engine.fragment.ScanFragment;
import io.glaux.engine.fragment.Task;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Tasks over {@link SyntheticPageSourceFactory} data, and their expected results. */
final class TestingTasks
{
    static final List<ColumnHandle> COLUMNS = List.of(
            new ColumnHandle("status", Type.BIGINT, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("bytes", Type.BIGINT, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("host", Type.VARCHAR, ColumnHandle.Kind.REGULAR));

    private TestingTasks() {}

    static List<Split> splits(int count)
    {
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            splits.add(SyntheticPageSourceFactory.split(i));
        }
        return splits;
    }

    /** {@code SELECT host, sum(bytes), count(*) WHERE status >= 500 GROUP BY host}, partial step. */
    static Task errorsByHost(String queryId, List<Split> splits)
    {
        Expression filter = new Expression.Call(Expression.Operator.GREATER_THAN_OR_EQUAL,
                List.of(new Expression.InputRef(0, Type.BIGINT), new Expression.Literal(500L, Type.BIGINT)), Type.BOOLEAN);
        List<Expression> projections = List.of(new Expression.InputRef(2, Type.VARCHAR), new Expression.InputRef(1, Type.BIGINT));
        Aggregation aggregation = new Aggregation(List.of(0), List.of(
                new AggregateCall(AggregateFunction.SUM, 1, Type.BIGINT),
                new AggregateCall(AggregateFunction.COUNT_STAR, -1, Type.BIGINT)));
        ScanFragment fragment = new ScanFragment("logs.access", "parquet", Map.of(), COLUMNS, Optional.of(filter), projections,
                Optional.of(aggregation), TupleDomain.all(), OptionalLong.empty());
        return new Task(queryId, 0, fragment, splits);
    }

    /** {@code SELECT bytes, host} over every row: a large, unaggregated output. */
    static Task scanAll(String queryId, List<Split> splits)
    {
        List<Expression> projections = List.of(new Expression.InputRef(1, Type.BIGINT), new Expression.InputRef(2, Type.VARCHAR));
        ScanFragment fragment = new ScanFragment("logs.access", "parquet", Map.of(), COLUMNS, Optional.empty(), projections,
                Optional.empty(), TupleDomain.all(), OptionalLong.empty());
        return new Task(queryId, 1, fragment, splits);
    }

    /** host → [sum(bytes), count] of rows with status >= 500. */
    static Map<String, List<Long>> expectedErrorsByHost(int splits, int rowsPerSplit)
    {
        Map<String, List<Long>> expected = new TreeMap<>();
        for (long g = 0; g < (long) splits * rowsPerSplit; g++) {
            if (SyntheticPageSourceFactory.status(g) >= 500) {
                List<Long> values = expected.computeIfAbsent(SyntheticPageSourceFactory.host(g), _ -> new ArrayList<>(List.of(0L, 0L)));
                values.set(0, values.get(0) + SyntheticPageSourceFactory.bytes(g));
                values.set(1, values.get(1) + 1);
            }
        }
        return expected;
    }

    /** Merges partial (host, sum, count) rows into {@code totals}. */
    static void mergePartials(VectorSchemaRoot batch, Map<String, List<Long>> totals)
    {
        ValueVector hosts = batch.getVector(0);
        BigIntVector sums = (BigIntVector) batch.getVector(1);
        BigIntVector counts = (BigIntVector) batch.getVector(2);
        for (int row = 0; row < batch.getRowCount(); row++) {
            String host = String.valueOf(hosts.getObject(row));
            List<Long> values = totals.computeIfAbsent(host, _ -> new ArrayList<>(List.of(0L, 0L)));
            if (!sums.isNull(row)) {
                values.set(0, values.get(0) + sums.get(row));
            }
            values.set(1, values.get(1) + counts.get(row));
        }
    }
}
