package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.coordinator.execution.EngineExecution;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.operator.QueryContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.DataContexts;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Iterator;
import java.util.Optional;

/** Trino's functions, planned and run on the coordinator over constants and VALUES (no cluster). */
class TestTrinoFunctions
{
    private final QueryPlanner planner = new QueryPlanner(CalciteSchema.createRootSchema(false, false));

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', textBlock = """
            date_trunc('hour', TIMESTAMP '2024-03-05 12:34:56.789')             => 2024-03-05 12:00:00
            date_trunc('second', TIMESTAMP '2024-03-05 12:34:56.789')           => 2024-03-05 12:34:56
            date_trunc('minute', TIMESTAMP '2024-03-05 12:34:56.789')           => 2024-03-05 12:34:00
            date_trunc('day', TIMESTAMP '2024-03-05 12:34:56.789')              => 2024-03-05 00:00:00
            date_trunc('week', TIMESTAMP '2024-03-07 12:34:56')                 => 2024-03-04 00:00:00
            date_trunc('month', TIMESTAMP '2024-03-05 12:34:56')                => 2024-03-01 00:00:00
            date_trunc('quarter', TIMESTAMP '2024-05-05 12:34:56')              => 2024-04-01 00:00:00
            date_trunc('YEAR', TIMESTAMP '2024-05-05 12:34:56')                 => 2024-01-01 00:00:00
            date_trunc('month', DATE '2024-03-05')                              => 2024-03-01
            date_trunc('day', CAST(NULL AS timestamp))                          => NULL
            date_add('day', 3, TIMESTAMP '2024-02-27 10:00:00')                 => 2024-03-01 10:00:00
            date_add('hour', -2, TIMESTAMP '2024-03-01 01:00:00')               => 2024-02-29 23:00:00
            date_add('month', 1, DATE '2024-01-31')                             => 2024-02-29
            date_add('quarter', 1, DATE '2024-01-31')                           => 2024-04-30
            date_add('day', NULL, DATE '2024-01-31')                            => NULL
            from_unixtime(1709294400)                                           => 2024-03-01 12:00:00
            from_unixtime(1709294400.5e0)                                       => 2024-03-01 12:00:00.500
            to_unixtime(TIMESTAMP '2024-03-01 12:00:00.250')                    => 1.70929440025E9
            from_iso8601_timestamp('2024-03-01T12:00:00Z')                      => 2024-03-01 12:00:00
            from_iso8601_timestamp('2024-03-01T12:00:00.123+02:00')             => 2024-03-01 10:00:00.123
            from_iso8601_timestamp('2024-03-01')                                => 2024-03-01 00:00:00
            date_parse('05/03/2024 13:14:15', '%d/%m/%Y %H:%i:%s')              => 2024-03-05 13:14:15
            date_parse('10/Oct/2000:13:55:36', '%d/%b/%Y:%H:%i:%s')             => 2000-10-10 13:55:36
            date_format(TIMESTAMP '2024-03-05 13:14:15', '%Y-%m-%d %H:%i')      => 2024-03-05 13:14
            date_format(TIMESTAMP '2024-03-05 13:14:15', '%b %e, %Y %r')        => Mar 5, 2024 01:14:15 PM
            date_format(CAST(NULL AS timestamp), '%Y')                          => NULL
            regexp_like('GET /api/v1', 'api/v\\d')                              => true
            regexp_like('GET /static', '^/api')                                 => false
            regexp_like(NULL, 'a')                                              => NULL
            regexp_extract('client 10.0.0.7 port 80', '\\d+\\.\\d+\\.\\d+\\.\\d+') => 10.0.0.7
            regexp_extract('user=alice id=7', 'user=(\\w+) id=(\\d+)', 2)       => 7
            regexp_extract('nothing here', '\\d+')                              => NULL
            regexp_replace('a1b22c333', '\\d+')                                 => abc
            regexp_replace('alice smith', '(\\w+) (\\w+)', '$2, $1')            => smith, alice
            split_part('a,b,,d', ',', 2)                                        => b
            split_part('a,b,,d', ',', 3)                                        => (empty)
            split_part('a,b,,d', ',', 5)                                        => NULL
            split_part('a::b', '::', 2)                                         => b
            strpos('hello', 'll')                                               => 3
            strpos('hello', 'z')                                                => 0
            length('héllo')                                                     => 5
            length(CAST(NULL AS varchar))                                       => NULL
            upper('abc') || lower('DEF')                                        => ABCdef
            concat('a', 'b', 'c')                                               => abc
            concat('a', NULL)                                                   => NULL
            replace('a-b-c', '-')                                               => abc
            replace('a-b-c', '-', '+')                                          => a+b+c
            starts_with('/api/v1', '/api')                                      => true
            url_extract_host('https://example.com:8080/a/b?x=1&y=2#f')         => example.com
            url_extract_path('https://example.com:8080/a/b?x=1&y=2#f')         => /a/b
            url_extract_parameter('https://example.com/a?x=1&y=2', 'y')         => 2
            url_extract_parameter('https://example.com/a?x=1&y=2', 'z')         => NULL
            json_extract_scalar('{"a": {"b": [1, "two"]}}', '$.a.b[1]')         => two
            json_extract_scalar('{"a": {"b": 42}}', '$.a.b')                    => 42
            json_extract_scalar('{"a": {"b": 42}}', '$.a')                      => NULL
            json_extract_scalar('{"a": {"b": 42}}', '$["a"].b')                 => 42
            json_extract_scalar('not json', '$.a')                              => NULL
            """)
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
            """)
    void wrongArgumentsHaveLineAndColumn(String sql, ErrorCode code, String message)
    {
        assertThatThrownBy(() -> planner.plan(sql.replace("\\n", "\n"), "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    private String value(String sql)
    {
        QueryPlanner.Plan plan = planner.plan(sql, "hive", "default");
        Object row;
        if (plan.engine().isPresent()) {
            try (RootAllocator root = new RootAllocator();
                    EngineExecution execution = new EngineExecution(plan.engine().get(), null, new QueryContext(
                            new QueryMemoryContext("test", new MemoryPool(1L << 30), 1L << 30, root), Optional.empty(), new QueryContext.Cancellation()), () -> false)) {
                Iterator<Object> rows = execution.rows();
                assertThat(rows.hasNext()).isTrue();
                row = rows.next();
            }
        }
        else {
            Enumerator<?> rows = plan.bindable().bind(DataContexts.EMPTY).enumerator();
            assertThat(rows.moveNext()).isTrue();
            row = rows.current();
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
