package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

class DomainExtractorTest
{
    private static final List<ColumnHandle> COLUMNS = List.of(
            new ColumnHandle("Status", Type.INTEGER, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("host", Type.VARCHAR, ColumnHandle.Kind.REGULAR),
            new ColumnHandle("dt", Type.DATE, ColumnHandle.Kind.PARTITION),
            new ColumnHandle("latency", Type.DOUBLE, ColumnHandle.Kind.REGULAR));

    private static InputRef col(int index)
    {
        return new InputRef(index, COLUMNS.get(index).type());
    }

    private static Call bool(Operator operator, Expression... args)
    {
        return new Call(operator, List.of(args), Type.BOOLEAN);
    }

    private static Literal lit(Object value, Type type)
    {
        return new Literal(value, type);
    }

    private static TupleDomain extract(Expression filter)
    {
        return DomainExtractor.extract(filter, COLUMNS);
    }

    @Test
    void comparisonsWithLiterals()
    {
        assertThat(extract(bool(Operator.EQUAL, col(0), lit(200L, Type.INTEGER))).domains())
                .isEqualTo(Map.of("status", new Domain(List.of(Range.equal(200L)), false)));
        assertThat(extract(bool(Operator.LESS_THAN, lit(5L, Type.BIGINT), col(0))).domains())
                .isEqualTo(Map.of("status", new Domain(List.of(new Range(5L, false, null, false)), false)));
        assertThat(extract(bool(Operator.LESS_THAN_OR_EQUAL, col(1), lit("m", Type.VARCHAR))).domains())
                .isEqualTo(Map.of("host", new Domain(List.of(new Range(null, false, "m", true)), false)));
        assertThat(extract(bool(Operator.NOT_EQUAL, col(2), lit(10L, Type.DATE))).domains())
                .isEqualTo(Map.of("dt", new Domain(List.of(new Range(null, false, 10L, false), new Range(10L, false, null, false)), false)));
        assertThat(extract(bool(Operator.GREATER_THAN, col(3), lit(2L, Type.BIGINT))).domains())
                .isEqualTo(Map.of("latency", new Domain(List.of(new Range(2.0, false, null, false)), false)));
        assertThat(extract(bool(Operator.GREATER_THAN_OR_EQUAL, col(3), lit(0.0, Type.DOUBLE))).domains())
                .isEqualTo(Map.of("latency", new Domain(List.of(new Range(-0.0, true, null, false)), false)));
        // an integral double literal for an integer column becomes a Long; a fractional one is ignored
        assertThat(extract(bool(Operator.EQUAL, col(0), lit(3.0, Type.DOUBLE))).domains())
                .isEqualTo(Map.of("status", new Domain(List.of(Range.equal(3L)), false)));
        assertThat(extract(bool(Operator.LESS_THAN, col(0), lit(3.5, Type.DOUBLE)))).isEqualTo(TupleDomain.all());
    }

    @Test
    void conjunctionsIntersectPerColumn()
    {
        Expression filter = bool(Operator.AND,
                bool(Operator.GREATER_THAN_OR_EQUAL, col(0), lit(200L, Type.INTEGER)),
                bool(Operator.LESS_THAN, col(0), lit(300L, Type.INTEGER)),
                bool(Operator.IS_NOT_NULL, col(1)),
                bool(Operator.LIKE, col(1), lit("a%", Type.VARCHAR)),
                bool(Operator.AND, bool(Operator.EQUAL, col(2), lit(5L, Type.DATE))));
        assertThat(extract(filter)).isEqualTo(new TupleDomain(Map.of(
                "status", new Domain(List.of(new Range(200L, true, 300L, false)), false),
                "host", Domain.notNull(),
                "dt", new Domain(List.of(Range.equal(5L)), false)), false));
    }

    @Test
    void disjunctionsOnOneColumnUnite()
    {
        Expression filter = bool(Operator.OR,
                bool(Operator.EQUAL, col(2), lit(1L, Type.DATE)),
                bool(Operator.AND, bool(Operator.GREATER_THAN, col(2), lit(10L, Type.DATE)), bool(Operator.LESS_THAN, col(2), lit(20L, Type.DATE))),
                bool(Operator.IS_NULL, col(2)));
        assertThat(extract(filter).domains()).isEqualTo(Map.of("dt", new Domain(List.of(Range.equal(1L), new Range(10L, false, 20L, false)), true)));
        // different columns in one OR: nothing usable
        Expression mixed = bool(Operator.OR, bool(Operator.EQUAL, col(2), lit(1L, Type.DATE)), bool(Operator.EQUAL, col(0), lit(1L, Type.INTEGER)));
        assertThat(extract(mixed)).isEqualTo(TupleDomain.all());
    }

    @Test
    void inLists()
    {
        Expression filter = bool(Operator.IN, col(1), lit("a", Type.VARCHAR), lit(null, Type.VARCHAR), lit("b", Type.VARCHAR));
        assertThat(extract(filter).domains()).isEqualTo(Map.of("host", new Domain(List.of(Range.equal("a"), Range.equal("b")), false)));
        Expression nonLiteral = bool(Operator.IN, col(0), lit(1L, Type.INTEGER), col(0));
        assertThat(extract(nonLiteral)).isEqualTo(TupleDomain.all());
    }

    @Test
    void impossibleFilters()
    {
        assertThat(extract(bool(Operator.EQUAL, col(0), lit(null, Type.INTEGER)))).isEqualTo(TupleDomain.nothing());
        assertThat(extract(bool(Operator.AND, bool(Operator.EQUAL, col(0), lit(1L, Type.INTEGER)), bool(Operator.EQUAL, col(0), lit(2L, Type.INTEGER)))))
                .isEqualTo(TupleDomain.nothing());
        assertThat(extract(bool(Operator.AND, bool(Operator.IS_NULL, col(1)), bool(Operator.EQUAL, col(1), lit("x", Type.VARCHAR)))))
                .isEqualTo(TupleDomain.nothing());
        assertThat(extract(lit(false, Type.BOOLEAN))).isEqualTo(TupleDomain.nothing());
        assertThat(extract(bool(Operator.IN, col(0), lit(2.5, Type.DOUBLE)))).isEqualTo(TupleDomain.nothing());
    }

    @Test
    void ignoresWhatItCannotUse()
    {
        assertThat(extract(bool(Operator.NOT, bool(Operator.EQUAL, col(0), lit(1L, Type.INTEGER))))).isEqualTo(TupleDomain.all());
        assertThat(extract(bool(Operator.EQUAL, col(0), col(0)))).isEqualTo(TupleDomain.all());
        assertThat(extract(bool(Operator.EQUAL, col(2), lit(5L, new Type.Timestamp(3))))).isEqualTo(TupleDomain.all());
        assertThat(extract(bool(Operator.EQUAL, col(3), lit(Double.NaN, Type.DOUBLE)))).isEqualTo(TupleDomain.all());
        assertThat(DomainExtractor.extract(Optional.empty(), COLUMNS)).isEqualTo(TupleDomain.all());
    }
}
