package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.coordinator.execution.EngineExecution;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.operator.QueryContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.jdbc.CalciteSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Trino's functions, planned and run by the engine on the coordinator over constants and VALUES (no cluster). */
class TestTrinoFunctions
{
    private final QueryPlanner planner = new QueryPlanner(CalciteSchema.createRootSchema(false, false));

    @ParameterizedTest
    @CsvFileSource(resources = "/trino-functions.csv", delimiterString = "=>", quoteCharacter = '"')
    void evaluates(String expression, String expected)
    {
        assertThat(value("SELECT " + expression)).as(expression).isEqualTo(expected);
        // also over a column, so that the call is not folded into a constant at planning
        assertThat(value("SELECT " + expression + " FROM (VALUES (1), (2)) AS t(x) WHERE x = 1")).as(expression).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            approx_distinct(x)          => 3
            count_if(x > 1)             => 3
            arbitrary(x)                => 1
            approx_distinct(NULLIF(x, x)) => 0
            """)
    void aggregates(String expression, String expected)
    {
        assertThat(value("SELECT " + expression + " FROM (VALUES (1), (2), (3), (3), (NULL)) AS t(x)")).as(expression).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            SELECT date_trunc('hour', DATE '2024-01-01')    => INVALID_FUNCTION_ARGUMENT => 'hour' is not a valid DATE field
            SELECT split_part('a', ',', 0)                  => INVALID_FUNCTION_ARGUMENT => Index must be greater than zero
            SELECT regexp_like('a', '(')                    => INVALID_FUNCTION_ARGUMENT => Invalid regular expression
            SELECT regexp_extract('a', 'a', 1)              => INVALID_FUNCTION_ARGUMENT => Pattern has 0 groups. Cannot access group 1
            SELECT date_parse('2024', '%Y-%m')              => INVALID_FUNCTION_ARGUMENT => Invalid format: "2024"
            """)
    void failsAtRun(String sql, ErrorCode code, String message)
    {
        assertThatThrownBy(() -> value(sql))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            SELECT 1,\\n  date_trunc('day', 1)            => TYPE_MISMATCH => line 2:3: Cannot apply 'DATE_TRUNC'
            SELECT regexp_like('a')                      => FUNCTION_NOT_FOUND => line 1:8: Function 'regexp_like' not registered
            SELECT to_unixtime(1)                        => TYPE_MISMATCH => line 1:8: Cannot apply 'TO_UNIXTIME'
            SELECT reverse(1, 2)                         => TYPE_MISMATCH => line 1:8: Cannot apply 'REVERSE'
            SELECT levenshtein_distance('a', 1)          => TYPE_MISMATCH => line 1:8: Cannot apply 'LEVENSHTEIN_DISTANCE'
            """)
    void wrongArgumentsHaveLineAndColumn(String sql, ErrorCode code, String message)
    {
        assertThatThrownBy(() -> planner.plan(sql.replace("\\n", "\n"), "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            SELECT date_diff('day', d, DATE '2024-03-01') FROM (VALUES DATE '2024-02-01') AS t(d)     => 29
            SELECT DATE_DIFF ('day', DATE '2024-03-01', d) FROM (VALUES DATE '2024-02-01') AS t(d)    => -29
            SELECT 'date_diff(' || "date_diff" FROM (VALUES 'x') AS t("date_diff") -- date_diff(     => date_diff(x
            SELECT normalize('a') /* normalize( */                                                    => a
            """)
    void quotesCallsTheParserWouldReadAsItsOwn(String sql, String expected)
    {
        assertThat(value(sql)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            SELECT to_hex(sha256(to_utf8(v))) FROM (VALUES ('abc', ARRAY[1])) AS t(v, a)             => BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD
            SELECT last_day_of_month(d) FROM (VALUES (DATE '2024-02-05', ARRAY[1])) AS t(d, a)        => 2024-02-29
            SELECT CAST(parse_datetime(v, f) AS varchar) FROM (VALUES ('2024-03-05 13:14', 'yyyy-MM-dd HH:mm')) AS t(v, f) => 2024-03-05 13:14:00.000 UTC
            """)
    void runsRegistryFunctionsOverValues(String sql, String expected)
    {
        // Calcite's constant folding at planning (one row of VALUES) runs each call with the engine's
        // implementation, as the engine does for the others
        assertThat(value(sql)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void quotesOnlyCalls()
    {
        assertThat(TrinoFunctions.quoteCalls("SELECT date_diff('day', a, b), 'date_diff(', t.normalize (x), normalize  (y) -- date_diff("))
                .isEqualTo("SELECT \"date_diff\"('day', a, b), 'date_diff(', t.normalize (x), \"normalize\"  (y) -- date_diff(");
    }

    @org.junit.jupiter.api.Test
    void errorColumnsAreThoseOfTheTextAsWritten()
    {
        String sql = "SELECT date_diff('day', a, b), normalize(c), nope\nFROM t WHERE normalize(x) = y";
        // the parser read two quoted calls before nope on line 1 (4 columns right), one on line 2
        assertThat(TrinoFunctions.unquotedLocation(sql, new io.glaux.spi.error.ErrorLocation(1, 50))).isEqualTo(new io.glaux.spi.error.ErrorLocation(1, 46));
        assertThat(TrinoFunctions.unquotedLocation(sql, new io.glaux.spi.error.ErrorLocation(1, 8))).isEqualTo(new io.glaux.spi.error.ErrorLocation(1, 8));
        assertThat(TrinoFunctions.unquotedLocation(sql, new io.glaux.spi.error.ErrorLocation(2, 31))).isEqualTo(new io.glaux.spi.error.ErrorLocation(2, 29));
        assertThat(TrinoFunctions.unquotedLocation("SELECT nope", new io.glaux.spi.error.ErrorLocation(1, 8))).isEqualTo(new io.glaux.spi.error.ErrorLocation(1, 8));
    }

    @org.junit.jupiter.api.Test
    void withTiesIsReadAsOnlyOfTheSameLength()
    {
        java.util.List<Integer> found = new java.util.ArrayList<>();
        String sql = "SELECT 'with ties' FROM t ORDER BY x FETCH FIRST 2 ROWS WITH  TIES -- rows with ties";
        assertThat(WithTies.rewrite(sql, found)).isEqualTo("SELECT 'with ties' FROM t ORDER BY x FETCH FIRST 2 ROWS ONLY       -- rows with ties");
        assertThat(found).containsExactly(56);
    }

    private String value(String sql)
    {
        QueryPlanner.Plan plan = planner.plan(sql, "hive", "default");
        Object row;
        try (RootAllocator root = new RootAllocator();
                EngineExecution execution = new EngineExecution(plan.engine(), null, new QueryContext(
                        new QueryMemoryContext("test", new MemoryPool(1L << 30), 1L << 30, root), Optional.empty(), new QueryContext.Cancellation(),
                        SpillSpace.unlimited(), 1, new ConcurrentHashMap<>()), () -> false)) {
            Iterator<Object> rows = execution.rows();
            assertThat(rows.hasNext()).isTrue();
            row = rows.next();
        }
        Object value = row instanceof Object[] array ? array[0] : row;
        String type = plan.rowType().getFieldList().getFirst().getType().getSqlTypeName().getName();
        if (value == null) {
            return "NULL";
        }
        return switch (type) {
            case "TIMESTAMP" -> java.time.LocalDateTime.ofEpochSecond(Math.floorDiv((Long) value, 1000L), (int) Math.floorMod((Long) value, 1000L) * 1_000_000, java.time.ZoneOffset.UTC)
                    .toString().replace('T', ' ').replaceAll("^(.{16})$", "$1:00");
            case "DATE" -> java.time.LocalDate.ofEpochDay((Integer) value).toString();
            default -> value.toString().isEmpty() ? "(empty)" : value.toString();
        };
    }
}
