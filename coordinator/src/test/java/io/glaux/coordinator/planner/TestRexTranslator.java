package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Projector;
import io.glaux.engine.expr.Selection;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * SQL expressions translated by {@link RexTranslator} and run by the engine's vectorized evaluators,
 * with the answers Trino gives (the same expectations as {@link TestTrinoFunctions}, which runs them
 * on the coordinator, plus Calcite's standard functions and the divergences the engine fixes).
 */
class TestRexTranslator
{
    private final QueryPlanner planner = new QueryPlanner(CalciteSchema.createRootSchema(false, false));
    private BufferAllocator allocator;

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        allocator.close();
    }

    @ParameterizedTest
    @CsvFileSource(resources = "/trino-functions.csv", delimiterString = "=>", quoteCharacter = '"')
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            substring('hello' FROM 2 FOR 3)                                     => ell
            substring('hello', -3)                                              => llo
            char_length('héllo')                                                => 5
            trim('  a b  ')                                                     => a b
            trim(LEADING 'x' FROM 'xxaxx')                                      => axx
            position('l' IN 'hello')                                            => 3
            abs(-5)                                                             => 5
            abs(-2.5e0)                                                         => 2.5
            round(2.5e0)                                                        => 3.0
            round(-2.5e0)                                                       => -3.0
            floor(1.5e0)                                                        => 1.0
            ceil(1.2e0)                                                         => 2.0
            mod(7, 3)                                                           => 1
            7 % -3                                                              => 1
            power(2, 10)                                                        => 1024.0
            sqrt(16)                                                            => 4.0
            ln(1)                                                               => 0.0
            exp(0)                                                              => 1.0
            log10(1000)                                                         => 3.0
            sign(-3)                                                            => -1
            greatest(x, 5, 3)                                                   => 5
            least(2.5e0, x)                                                     => 1.0
            EXTRACT(YEAR FROM DATE '2024-01-07')                                => 2024
            EXTRACT(DOW FROM DATE '2024-01-07')                                 => 7
            EXTRACT(DOW FROM DATE '2024-01-08')                                 => 1
            EXTRACT(DOY FROM DATE '2024-02-01')                                 => 32
            EXTRACT(HOUR FROM TIMESTAMP '2024-01-07 13:14:15')                  => 13
            EXTRACT(QUARTER FROM DATE '2024-05-07')                             => 2
            EXTRACT(WEEK FROM DATE '2021-01-03')                                => 53
            year(DATE '2024-01-07')                                             => 2024
            month(TIMESTAMP '2024-03-07 01:02:03')                              => 3
            CAST(x + 2.7 AS integer)                                            => 4
            CAST(x - 3.5 AS bigint)                                             => -3
            CAST(x + 2.7e0 AS integer)                                          => 4
            CAST('12' AS integer) + 1                                           => 13
            CAST(x + 11 AS varchar)                                             => 12
            CAST(concat('2024-03-0', CAST(x + 4 AS varchar)) AS date)           => 2024-03-05
            CAST(x + 0.5 AS double)                                             => 1.5
            CAST(concat('1.2', CAST(x + 4 AS varchar)) AS decimal(5, 1))        => 1.3
            x + 0.5                                                             => 1.5
            x * 1.0 / 3                                                         => 0.3
            (x * 10.00) / 4.00                                                  => 2.50
            x * 2.5 * 1.25                                                      => 3.125
            x * 1.5 > 1                                                         => true
            1.5 + 2.25                                                          => 3.75
            DATE '2024-01-31' + INTERVAL '1' MONTH                              => 2024-02-29
            DATE '2024-01-31' - INTERVAL '2' DAY                                => 2024-01-29
            TIMESTAMP '2024-03-01 00:00:00' - INTERVAL '1' HOUR                 => 2024-02-29 23:00:00
            TIMESTAMP '2024-03-01 00:00:00' + INTERVAL '90' SECOND              => 2024-03-01 00:01:30
            CASE WHEN x = 1 THEN 'one' WHEN x = 2 THEN 'two' ELSE 'other' END   => one
            CASE x WHEN 2 THEN 'two' END                                        => NULL
            CASE WHEN x = 1 THEN NULL ELSE 5 END                                => NULL
            CASE WHEN x = 2 THEN 1.5 ELSE x END                                 => 1.0
            COALESCE(NULL, 'b')                                                 => b
            COALESCE(CAST(NULL AS integer), x, 7)                               => 1
            NULLIF(x, 1)                                                        => NULL
            NULLIF(x, 2)                                                        => 1
            x IN (1, 2)                                                         => true
            x BETWEEN 0 AND 1                                                   => true
            'abc' LIKE 'a%'                                                     => true
            (x > 0) IS TRUE                                                     => true
            (x > 5) IS NOT FALSE                                                => false
            """)
    void runsInTheEngine(String expression, String expected)
    {
        assertThat(evaluate(expression)).as(expression).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            date_trunc('hour', DATE '2024-01-01')    => INVALID_FUNCTION_ARGUMENT => 'hour' is not a valid DATE field
            split_part('a', ',', 0)                  => INVALID_FUNCTION_ARGUMENT => Index must be greater than zero
            regexp_like('a', '(')                    => INVALID_FUNCTION_ARGUMENT => Invalid regular expression
            regexp_extract('a', 'a', 1)              => INVALID_FUNCTION_ARGUMENT => Pattern has 0 groups. Cannot access group 1
            date_parse('2024', '%Y-%m')              => INVALID_FUNCTION_ARGUMENT => Invalid format: "2024"
            x / 0                                    => DIVISION_BY_ZERO => Division by zero
            x % 0                                    => DIVISION_BY_ZERO => Division by zero
            2147483647 + x                           => NUMERIC_VALUE_OUT_OF_RANGE => overflow
            CAST('x' AS integer)                     => INVALID_CAST_ARGUMENT => Cannot cast 'x'
            chr(x - 2)                               => INVALID_FUNCTION_ARGUMENT => Not a valid Unicode code point: -1
            codepoint('ab')                          => INVALID_FUNCTION_ARGUMENT => Input string must be a single character string
            hamming_distance('ab', 'abc')            => INVALID_FUNCTION_ARGUMENT => must have the same length
            format_datetime(DATE '2024-01-01', 'yyyy-qq') => INVALID_FUNCTION_ARGUMENT => Illegal pattern component: qq
            parse_datetime('2024/01', 'yyyy-MM')     => INVALID_FUNCTION_ARGUMENT => Invalid format: "2024/01"
            format('%d', 'a')                        => INVALID_FUNCTION_ARGUMENT => Invalid format string: %d
            from_hex('abc')                          => INVALID_FUNCTION_ARGUMENT => invalid input length 3
            normalize('a', 'NFX')                    => INVALID_FUNCTION_ARGUMENT => Invalid normalization form: NFX
            from_iso8601_date('2020-W54')            => INVALID_FUNCTION_ARGUMENT => Invalid format: "2020-W54"
            from_iso8601_date('2020-367')            => INVALID_FUNCTION_ARGUMENT => Invalid format: "2020-367"
            from_iso8601_date('2020-13-01')          => INVALID_FUNCTION_ARGUMENT => Invalid format: "2020-13-01"
            from_hex('zz')                           => INVALID_FUNCTION_ARGUMENT => invalid hex character: z
            from_base64('a*')                        => INVALID_FUNCTION_ARGUMENT => Invalid base64 input
            json_parse('{"a": ')                     => INVALID_FUNCTION_ARGUMENT => Cannot convert value to JSON: '{"a": '
            json_parse('1 2')                        => INVALID_FUNCTION_ARGUMENT => Cannot convert value to JSON
            json_extract('{}', 'a.b')                => INVALID_FUNCTION_ARGUMENT => Invalid JSON path: 'a.b'
            """)
    void failsInTheEngine(String expression, ErrorCode code, String message)
    {
        assertThatThrownBy(() -> evaluate(expression))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void whatTheEngineCannotRunIsNotTranslated()
    {
        // a function the registry does not have, a regular expression that is not a constant, CEIL to a unit
        assertThat(translate("initcap('abc')")).isEmpty();
        assertThat(translate("regexp_like('abc', CAST(x AS varchar))")).isEmpty();
        assertThat(translate("CEIL(TIMESTAMP '2024-01-01 10:00:00' TO DAY)")).isEmpty();
    }

    @Test
    void arraysAndMapsAreTranslated()
    {
        assertThat(translate("ARRAY[1, 2]")).get().isInstanceOf(Expression.FunctionCall.class);
        assertThat(translate("ARRAY[x, 2][1]")).get().extracting(e -> ((Expression.FunctionCall) e).name()).isEqualTo("$subscript");
        assertThat(translate("MAP['a', x]")).get().extracting(e -> ((Expression.FunctionCall) e).name()).isEqualTo("map");
        assertThat(translate("contains(split('a,b', ','), 'b')")).isPresent();
    }

    private Optional<Expression> translate(String expression)
    {
        RelNode plan = planner.convert("SELECT " + expression + " FROM (VALUES (1)) AS t(x)", "hive", "default");
        LogicalProject project = (LogicalProject) plan;
        RexNode rex = project.getProjects().getFirst();
        return new RexTranslator(List.of(new Expression.InputRef(0, Type.INTEGER))).translate(rex);
    }

    private String evaluate(String expression)
    {
        Expression translated = translate(expression).orElseThrow(() -> new AssertionError("not translated: " + expression));
        try (IntVector x = new IntVector("x", allocator)) {
            x.allocateNew(1);
            x.set(0, 1);
            x.setValueCount(1);
            try (VectorSchemaRoot batch = new VectorSchemaRoot(List.<FieldVector>of(x));
                    VectorSchemaRoot out = Projector.compile(List.of(translated), List.of(Type.INTEGER)).project(batch, new Selection().selectAll(1), allocator)) {
                batch.setRowCount(1);
                Object value = out.getVector(0).getObject(0);
                return format(value, translated.type());
            }
        }
    }

    private static String format(Object value, Type type)
    {
        if (value == null) {
            return "NULL";
        }
        return switch (type) {
            case Type.Timestamp _ -> {
                long micros = value instanceof LocalDateTime t ? t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000 : (Long) value;
                yield LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC)
                        .toString().replace('T', ' ').replaceAll("^(.{16})$", "$1:00");
            }
            case Type.Primitive(Type.Kind kind) when kind == Type.Kind.DATE -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case Type.Decimal _ -> ((BigDecimal) value).toPlainString();
            default -> value.toString().isEmpty() ? "(empty)" : value.toString();
        };
    }
}
