package io.glaux.engine.fragment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.Domain;
import io.glaux.connectors.predicate.Range;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

class FragmentCodecTest
{
    private static final Type ROW = new Type.Row(List.of(new Type.Field("a", Type.BIGINT), new Type.Field("b", new Type.Array(Type.VARCHAR))));

    private static ScanFragment fragment()
    {
        List<ColumnHandle> columns = List.of(
                new ColumnHandle("status", Type.INTEGER, ColumnHandle.Kind.REGULAR),
                new ColumnHandle("msg", new Type.Varchar(200), ColumnHandle.Kind.REGULAR),
                new ColumnHandle("dt", Type.DATE, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("ts", new Type.Timestamp(6), ColumnHandle.Kind.REGULAR),
                new ColumnHandle("payload", ROW, ColumnHandle.Kind.REGULAR),
                new ColumnHandle("tags", new Type.MapType(Type.VARCHAR, Type.DOUBLE), ColumnHandle.Kind.REGULAR),
                new ColumnHandle("amount", new Type.Decimal(12, 2), ColumnHandle.Kind.REGULAR),
                new ColumnHandle("$path", Type.VARCHAR, ColumnHandle.Kind.HIDDEN));
        Expression filter = new Call(Operator.AND, List.of(
                new Call(Operator.GREATER_THAN_OR_EQUAL, List.of(new InputRef(0, Type.INTEGER), new Literal(200L, Type.INTEGER)), Type.BOOLEAN),
                new Call(Operator.LIKE, List.of(new InputRef(1, new Type.Varchar(200)), new Literal("%err\"or\n%", Type.VARCHAR), new Literal("\\", Type.VARCHAR)), Type.BOOLEAN),
                new Call(Operator.IN, List.of(new InputRef(2, Type.DATE), new Literal(19_723L, Type.DATE), new Literal(null, Type.DATE)), Type.BOOLEAN),
                new Call(Operator.NOT, List.of(new Call(Operator.IS_NULL, List.of(new InputRef(3, new Type.Timestamp(6))), Type.BOOLEAN)), Type.BOOLEAN),
                new Call(Operator.EQUAL, List.of(new Literal(true, Type.BOOLEAN), new Literal(false, Type.BOOLEAN)), Type.BOOLEAN)), Type.BOOLEAN);
        List<Expression> projections = List.of(
                new InputRef(0, Type.INTEGER),
                new Call(Operator.ADD, List.of(new InputRef(0, Type.INTEGER), new Literal(1L, Type.INTEGER)), Type.INTEGER),
                new Call(Operator.MULTIPLY, List.of(new Literal(1.5, Type.DOUBLE), new Literal(Double.NaN, Type.DOUBLE)), Type.DOUBLE),
                new Literal(Double.NEGATIVE_INFINITY, Type.DOUBLE),
                new Literal(-0.0, Type.REAL),
                new Literal(3L, Type.TINYINT),
                new Literal(Long.MIN_VALUE, Type.BIGINT),
                new Call(Operator.CAST, List.of(new InputRef(1, new Type.Varchar(200))), new Type.Timestamp(3)),
                new Literal(null, Type.VARCHAR),
                new Literal(new java.math.BigDecimal("12.34"), new Type.Decimal(12, 2)),
                new InputRef(4, ROW));
        Aggregation aggregation = new Aggregation(List.of(0, 7), List.of(
                new AggregateCall(AggregateFunction.COUNT_STAR, -1, Type.BIGINT),
                new AggregateCall(AggregateFunction.SUM, 1, Type.BIGINT),
                new AggregateCall(AggregateFunction.MAX, 2, Type.DOUBLE)));
        TupleDomain pruning = new TupleDomain(Map.of(
                "status", new Domain(List.of(new Range(200L, true, null, false)), false),
                "dt", new Domain(List.of(Range.equal(19_723L), new Range(1L, false, 5L, true)), true),
                "msg", new Domain(List.of(new Range("a", true, "b", false)), false),
                "latency", new Domain(List.of(new Range(-0.0, true, 2.5, true)), false),
                "flag", new Domain(List.of(Range.equal(Boolean.TRUE)), false),
                "anything", new Domain(List.of(Range.all()), true)), false);
        return new ScanFragment("hive.logs.access", "text", Map.of("field.delim", ",", "serialization.null.format", "", "columns", "host,status"), columns, Optional.of(filter), projections, Optional.of(aggregation), pruning, OptionalLong.of(1000));
    }

    @Test
    void taskRoundTrip()
    {
        List<Split> splits = List.of(
                new Split("logs", "dt=2024-01-01/part-0.parquet", 0, 1000, 5000, 1_700_000_000_000L, Map.of("dt", "2024-01-01", "region", "eu")),
                new Split("logs", "x y/ü.parquet", 4, 0, 4, 0, Map.of()));
        Task task = new Task("20240101_000000_00001_abcde", 7, fragment(), splits);
        byte[] json = FragmentCodec.encode(task);
        Task decoded = FragmentCodec.decodeTask(json);
        assertThat(decoded).isEqualTo(task);
        // encoding is deterministic
        assertThat(FragmentCodec.encode(decoded)).isEqualTo(json);
    }

    @Test
    void aDynamicFilterRoundTrips()
    {
        ScanFragment plain = fragment();
        Expression keys = new Call(Operator.IN, List.of(new InputRef(0, Type.INTEGER), new Literal(404L, Type.INTEGER), new Literal(503L, Type.INTEGER)),
                Type.BOOLEAN);
        ScanFragment filtered = plain.withDynamicFilter(Optional.of(keys));
        assertThat(FragmentCodec.decodeFragment(FragmentCodec.encode(filtered))).isEqualTo(filtered);
        // without one, the encoding is what it was before dynamic filters existed
        assertThat(new String(FragmentCodec.encode(plain), StandardCharsets.UTF_8)).doesNotContain("dynamicFilter");
        assertThat(FragmentCodec.decodeFragment(FragmentCodec.encode(plain)).dynamicFilter()).isEmpty();
    }

    @Test
    void aggregateCallsRoundTrip()
    {
        Aggregation aggregation = new Aggregation(List.of(0), List.of(
                new AggregateCall(AggregateFunction.COUNT_STAR, -1, Type.BIGINT),
                new AggregateCall(AggregateFunction.SUM, List.of(1), List.of(Type.INTEGER), Type.BIGINT, 3),
                new AggregateCall(AggregateFunction.MAX_BY, List.of(2, 1), List.of(Type.VARCHAR, Type.INTEGER), Type.VARCHAR),
                new AggregateCall(AggregateFunction.APPROX_PERCENTILE, List.of(1, 4, 5), List.of(Type.INTEGER, Type.BIGINT, new Type.Array(Type.DOUBLE)),
                        new Type.Array(Type.BIGINT), -1),
                new AggregateCall(AggregateFunction.AVG, List.of(6), List.of(new Type.Decimal(10, 2)), new Type.Decimal(10, 2))),
                io.glaux.engine.plan.PlanNode.Step.FINAL);
        Aggregation decoded = FragmentCodec.aggregationFromJson(FragmentCodec.toJson(aggregation));
        assertThat(decoded).isEqualTo(aggregation);
        assertThat(decoded.aggregates().get(2).intermediateType().trinoName()).isEqualTo("row(key integer, value varchar)");
        assertThat(decoded.aggregates().get(3).intermediateType()).isEqualTo(Type.VARBINARY);
    }

    @Test
    void aggregationsOfTheFirstTicketFormatDecode()
            throws Exception
    {
        String json = "{\"groupKeys\":[1],\"aggregates\":[{\"function\":\"COUNT_STAR\",\"input\":-1,\"outputType\":\"bigint\"},"
                + "{\"function\":\"SUM\",\"input\":2,\"outputType\":\"double\"}]}";
        Aggregation decoded = FragmentCodec.aggregationFromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        assertThat(decoded).isEqualTo(new Aggregation(List.of(1), List.of(
                new AggregateCall(AggregateFunction.COUNT_STAR, -1, Type.BIGINT),
                new AggregateCall(AggregateFunction.SUM, 2, Type.DOUBLE))));
    }

    @Test
    void literalAndRangeValuesKeepTheirJavaClass()
    {
        ScanFragment decoded = FragmentCodec.decodeFragment(FragmentCodec.encode(fragment()));
        List<Object> literals = new ArrayList<>();
        for (Expression projection : decoded.projections()) {
            if (projection instanceof Literal literal && literal.value() != null) {
                literals.add(literal.value());
            }
        }
        assertThat(literals).extracting(Object::getClass).map(Class::getSimpleName)
                .containsExactly("Double", "Double", "Long", "Long", "BigDecimal");
        assertThat(((Literal) decoded.projections().get(5)).value()).isEqualTo(3L);
        assertThat((Double) ((Literal) decoded.projections().get(4)).value()).isEqualTo(-0.0).matches(d -> Double.doubleToRawLongBits(d) == Long.MIN_VALUE);
        Range status = decoded.pruning().domains().get("status").ranges().getFirst();
        assertThat(status.low()).isInstanceOf(Long.class).isEqualTo(200L);
        assertThat(status.high()).isNull();
        assertThat(decoded.pruning().domains().get("latency").ranges().getFirst().low()).isInstanceOf(Double.class);
        assertThat(decoded.pruning().domains().get("flag").ranges().getFirst().low()).isEqualTo(Boolean.TRUE);
        assertThat(decoded.pruning().domains().get("msg").ranges().getFirst().low()).isEqualTo("a");
    }

    @Test
    void numbersOfAnyClassDecodeAsTheTypeRequires()
    {
        Expression integer = new Literal(5, Type.INTEGER);
        assertThat(((Literal) FragmentCodec.decodeExpression(FragmentCodec.encode(integer))).value()).isEqualTo(5L);
        Expression real = new Literal(1.5f, Type.REAL);
        assertThat(((Literal) FragmentCodec.decodeExpression(FragmentCodec.encode(real))).value()).isEqualTo(1.5);
        // a hand-written literal with a bare integer for a double type
        String json = "{\"kind\":\"literal\",\"type\":\"double\",\"value\":{\"long\":2}}";
        assertThat(((Literal) FragmentCodec.decodeExpression(json.getBytes(StandardCharsets.UTF_8))).value()).isEqualTo(2.0);
    }

    @Test
    void functionCallsAndSpecialFormsRoundTrip()
    {
        Type decimal = new Type.Decimal(10, 2);
        Expression column = new InputRef(0, Type.VARCHAR);
        Expression function = new Expression.FunctionCall("regexp_extract", List.of(column, new Literal("[0-9]+", Type.VARCHAR), new Literal(1L, Type.BIGINT)), Type.VARCHAR);
        Expression condition = new Call(Operator.IS_NULL, List.of(function), Type.BOOLEAN);
        Expression caseForm = new Expression.SpecialForm(Expression.Form.CASE,
                List.of(condition, new Literal(new java.math.BigDecimal("1.50"), decimal), new Literal(null, decimal)), decimal);
        for (Expression.Form form : Expression.Form.values()) {
            Expression expression = switch (form) {
                case CASE -> caseForm;
                case IF -> new Expression.SpecialForm(form, List.of(condition, function, column), Type.VARCHAR);
                case COALESCE, NULLIF -> new Expression.SpecialForm(form, List.of(function, column), Type.VARCHAR);
                case TRY -> new Expression.SpecialForm(form, List.of(function), Type.VARCHAR);
                case TRY_CAST -> new Expression.SpecialForm(form, List.of(column), decimal);
            };
            assertThat(FragmentCodec.decodeExpression(FragmentCodec.encode(expression))).isEqualTo(expression);
        }
        // a decimal literal stays a BigDecimal with its scale
        Literal literal = (Literal) ((Expression.SpecialForm) FragmentCodec.decodeExpression(FragmentCodec.encode(caseForm))).arguments().get(1);
        assertThat(literal.value()).isEqualTo(new java.math.BigDecimal("1.50"));
        assertThatThrownBy(() -> FragmentCodec.decodeExpression("{\"kind\":\"form\",\"form\":\"LOOP\",\"type\":\"bigint\",\"arguments\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GlauxException.class);
    }

    @Test
    void formatPropertiesRoundTrip()
    {
        Map<String, String> properties = Map.of(
                "field.delim", "\u0001",
                "serialization.null.format", "\\N",
                "input.regex", "^(\\S+) \"([^\"]*)\" (\\d{3})$",
                "mapping.ts", "@timestamp",
                "skip.header.line.count", "1",
                "columns", "a,b,ü");
        ScanFragment fragment = new ScanFragment("t", "regex", properties, List.of(), Optional.empty(), List.of(), Optional.empty(), TupleDomain.all(), OptionalLong.empty());
        byte[] json = FragmentCodec.encode(fragment);
        ScanFragment decoded = FragmentCodec.decodeFragment(json);
        assertThat(decoded).isEqualTo(fragment);
        assertThat(decoded.formatProperties()).isEqualTo(properties);
        // keys are written sorted, so the encoding is deterministic
        assertThat(FragmentCodec.encode(decoded)).isEqualTo(json);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"formatProperties\":{\"columns\":\"a,b,ü\",\"field.delim\":\"\\u0001\"");
    }

    @Test
    void fragmentWithoutFormatPropertiesDecodesToNone()
    {
        ObjectNode node = FragmentCodec.toJson(new ScanFragment("t", "parquet", Map.of("a", "b"), List.of(), Optional.empty(), List.of(), Optional.empty(), TupleDomain.all(), OptionalLong.empty()));
        node.remove("formatProperties");
        assertThat(FragmentCodec.fragmentFromJson(node).formatProperties()).isEmpty();
        node.putObject("formatProperties").put("n", 1);
        assertThatThrownBy(() -> FragmentCodec.fragmentFromJson(node))
                .hasMessageContaining("format property 'n' is not a string");
    }

    @Test
    void emptyOptionals()
    {
        ScanFragment fragment = new ScanFragment("t", "parquet", Map.of(), List.of(), Optional.empty(), List.of(), Optional.empty(), TupleDomain.nothing(), OptionalLong.empty());
        assertThat(FragmentCodec.decodeFragment(FragmentCodec.encode(fragment))).isEqualTo(fragment);
        Split split = new Split("b", "k", 0, 1, 1, 0, Map.of());
        assertThat(FragmentCodec.decodeSplit(FragmentCodec.encode(split))).isEqualTo(split);
        assertThat(FragmentCodec.decodeTupleDomain(FragmentCodec.encode(TupleDomain.all()))).isEqualTo(TupleDomain.all());
    }

    @Test
    void deepExpressions()
    {
        Expression expression = new InputRef(0, Type.BIGINT);
        for (int i = 0; i < 1000; i++) {
            expression = new Call(Operator.ADD, List.of(expression, new Literal((long) i, Type.BIGINT)), Type.BIGINT);
        }
        byte[] json = FragmentCodec.encode(expression);
        Expression decoded = FragmentCodec.decodeExpression(json);
        // (record equals recurses deeper than the stack allows here; compare the encodings and the depth)
        assertThat(FragmentCodec.encode(decoded)).isEqualTo(json);
        int depth = 0;
        while (decoded instanceof Call call) {
            decoded = call.arguments().getFirst();
            depth++;
        }
        assertThat(depth).isEqualTo(1000);
        assertThat(decoded).isEqualTo(new InputRef(0, Type.BIGINT));
    }

    @Test
    void malformedInputFails()
    {
        assertThatThrownBy(() -> FragmentCodec.decodeTask("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GENERIC_INTERNAL_ERROR));
        assertThatThrownBy(() -> FragmentCodec.decodeExpression("{\"kind\":\"other\",\"type\":\"bigint\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("other");
    }
}
