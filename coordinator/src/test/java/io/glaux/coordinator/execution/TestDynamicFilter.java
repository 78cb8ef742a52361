package io.glaux.coordinator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;

class TestDynamicFilter
{
    private static final List<ColumnHandle> COLUMNS = List.of(
            new ColumnHandle("l_orderkey", Type.BIGINT, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("l_suppkey", Type.INTEGER, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("l_shipmode", Type.VARCHAR, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("dt", Type.DATE, ColumnHandle.Kind.PARTITION));

    private static Domain values(Comparable<?>... values)
    {
        return new Domain(java.util.Arrays.stream(values).map(Range::equal).toList(), false);
    }

    @Test
    void theRowFilterTestsSetsAndRangesOfRegularColumns()
    {
        TupleDomain dynamic = new TupleDomain(Map.of(
                "l_suppkey", values(3L, 7L, 11L),
                "l_shipmode", values("MAIL"),
                "l_orderkey", new Domain(List.of(new Range(10L, true, 20L, true)), false),
                "dt", values(19_000L)), false);
        Optional<Expression> filter = DynamicFilter.rowFilter(dynamic, COLUMNS);
        InputRef orderKey = new InputRef(0, Type.BIGINT);
        assertThat(filter).contains(new Call(Operator.AND, List.of(
                new Call(Operator.AND, List.of(
                        new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(orderKey, new Literal(10L, Type.BIGINT)), Type.BOOLEAN),
                        new Call(Operator.LESS_THAN_OR_EQUAL, List.of(orderKey, new Literal(20L, Type.BIGINT)), Type.BOOLEAN)), Type.BOOLEAN),
                new Call(Operator.IN, List.of(new InputRef(1, Type.INTEGER), new Literal(3L, Type.INTEGER), new Literal(7L, Type.INTEGER), new Literal(11L, Type.INTEGER)),
                        Type.BOOLEAN),
                // one value: an equality; the partition column is left to the pruning
                new Call(Operator.EQUAL, List.of(new InputRef(2, Type.VARCHAR), new Literal("MAIL", Type.VARCHAR)), Type.BOOLEAN)), Type.BOOLEAN));

        // consecutive integers: their range
        assertThat(DynamicFilter.rowFilter(new TupleDomain(Map.of("l_orderkey", values(4L, 5L, 6L, 7L)), false), COLUMNS)).contains(new Call(Operator.AND, List.of(
                new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(orderKey, new Literal(4L, Type.BIGINT)), Type.BOOLEAN),
                new Call(Operator.LESS_THAN_OR_EQUAL, List.of(orderKey, new Literal(7L, Type.BIGINT)), Type.BOOLEAN)), Type.BOOLEAN));
        assertThat(DynamicFilter.rowFilter(TupleDomain.all(), COLUMNS)).isEmpty();
        assertThat(DynamicFilter.rowFilter(new TupleDomain(Map.of("dt", values(19_000L)), false), COLUMNS)).isEmpty();
    }

    @Test
    void largeSetsPruneByTheirRange()
    {
        Comparable<?>[] many = LongStream.range(0, DynamicFilter.MAX_VALUES + 1).map(i -> 5 + 2 * i).boxed().toArray(Comparable[]::new);
        Comparable<?>[] strings = LongStream.range(0, DynamicFilter.MAX_VALUES + 1).mapToObj(i -> "s" + i).toArray(Comparable[]::new);
        TupleDomain dynamic = new TupleDomain(Map.of("l_orderkey", values(many), "l_suppkey", values(1L, 2L), "l_shipmode", values(strings)), false);
        TupleDomain pruning = DynamicFilter.forPruning(dynamic);
        assertThat(pruning.domains()).containsOnlyKeys("l_orderkey", "l_suppkey");
        assertThat(pruning.domains().get("l_orderkey")).isEqualTo(new Domain(List.of(new Range(5L, true, 5L + 2L * DynamicFilter.MAX_VALUES, true)), false));
        assertThat(pruning.domains().get("l_suppkey")).isEqualTo(values(1L, 2L));
        // the rows still meet every value
        Expression filter = DynamicFilter.rowFilter(dynamic, COLUMNS).orElseThrow();
        assertThat(((Call) filter).arguments()).hasSize(3);
        assertThat(DynamicFilter.forPruning(TupleDomain.nothing()).isNone()).isTrue();
    }
}
