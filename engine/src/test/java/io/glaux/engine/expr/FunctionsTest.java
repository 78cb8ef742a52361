package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.Form;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.engine.expr.Expression.SpecialForm;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The function registry and special forms, over real Arrow batches (the allocator is checked for leaks). */
class FunctionsTest
{
    private static final Type TS3 = new Type.Timestamp(3);
    private static final Type TS6 = new Type.Timestamp(6);
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

    // ------------------------------------------------------------------ helpers

    static FunctionCall fn(String name, Type type, Expression... args)
    {
        return new FunctionCall(name, List.of(args), type);
    }

    static Literal lit(Object value, Type type)
    {
        return new Literal(value, type);
    }

    static Literal str(String value)
    {
        return new Literal(value, Type.VARCHAR);
    }

    static InputRef col(int index, Type type)
    {
        return new InputRef(index, type);
    }

    static long micros(String timestamp)
    {
        LocalDateTime t = LocalDateTime.parse(timestamp);
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000;
    }

    static long days(String date)
    {
        return LocalDate.parse(date).toEpochDay();
    }

    /** Evaluates {@code expression} over a batch with the given columns (rows = column length), every row selected and every other row. */
    private List<Object> eval(Expression expression, List<Type> types, Object[]... columns)
    {
        int rows = columns.length == 0 ? 1 : columns[0].length;
        Object[][] data = columns.length == 0 ? new Object[][] {new Object[] {0L}} : columns;
        List<Type> batchTypes = columns.length == 0 ? List.of(Type.BIGINT) : types;
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, batchTypes, data);
                VectorSchemaRoot out = Projector.compile(List.of(expression), batchTypes).project(batch, new Selection().selectAll(rows), allocator)) {
            List<Object> all = TestBatches.column(out, 0);
            // the same over a sparse selection (odd rows): values must follow the rows
            if (rows > 1) {
                int[] odd = new int[rows / 2];
                for (int i = 0; i < odd.length; i++) {
                    odd[i] = 2 * i + 1;
                }
                Selection selection = new Selection();
                System.arraycopy(odd, 0, selection.ensureCapacity(odd.length), 0, odd.length);
                selection.set(odd.length, false);
                try (VectorSchemaRoot sparse = Projector.compile(List.of(expression), batchTypes).project(batch, selection, allocator)) {
                    List<Object> expected = new ArrayList<>();
                    for (int row : odd) {
                        expected.add(all.get(row));
                    }
                    assertThat(TestBatches.column(sparse, 0)).isEqualTo(expected);
                }
            }
            return all;
        }
    }

    /** One value: the expression over constants only. */
    private Object value(Expression expression)
    {
        return eval(expression, List.of()).getFirst();
    }

    /** f(column) for each value. */
    private List<Object> column(Type type, Expression expression, Object... values)
    {
        return eval(expression, List.of(type), new Object[][] {values});
    }

    private static void assertError(Runnable runnable, ErrorCode code)
    {
        assertThatThrownBy(runnable::run).isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
    }

    // ------------------------------------------------------------------ strings

    @Test
    void stringFunctions()
    {
        InputRef s = col(0, Type.VARCHAR);
        assertThat(column(Type.VARCHAR, fn("length", Type.BIGINT, s), "abc", "", null, "héllo", "日本"))
                .containsExactly(3L, 0L, null, 5L, 2L);
        assertThat(column(Type.VARCHAR, fn("upper", Type.VARCHAR, s), "abC1", null, "straße", "é"))
                .containsExactly("ABC1", null, "STRASSE", "É");
        assertThat(column(Type.VARCHAR, fn("lower", Type.VARCHAR, s), "AbC", null)).containsExactly("abc", null);
        assertThat(column(Type.VARCHAR, fn("reverse", Type.VARCHAR, s), "abc", "héllo", "", null)).containsExactly("cba", "olléh", "", null);
        assertThat(column(Type.VARCHAR, fn("trim", Type.VARCHAR, s), "  a b \t", "", null, "x")).containsExactly("a b", "", null, "x");
        assertThat(column(Type.VARCHAR, fn("ltrim", Type.VARCHAR, s), "  a  ")).containsExactly("a  ");
        assertThat(column(Type.VARCHAR, fn("rtrim", Type.VARCHAR, s), "  a  ")).containsExactly("  a");
        assertThat(column(Type.VARCHAR, fn("trim", Type.VARCHAR, s, str("xy")), "xyaxy", "yyy")).containsExactly("a", "");
        assertThat(column(Type.VARCHAR, fn("concat", Type.VARCHAR, s, str("-"), s), "a", null, "ü")).containsExactly("a-a", null, "ü-ü");
        assertThat(column(Type.VARCHAR, fn("replace", Type.VARCHAR, s, str("ab")), "xabyab", "ab", null)).containsExactly("xy", "", null);
        assertThat(column(Type.VARCHAR, fn("replace", Type.VARCHAR, s, str("a"), str("ZZ")), "banana", "b")).containsExactly("bZZnZZnZZ", "b");
        assertThat(column(Type.VARCHAR, fn("replace", Type.VARCHAR, s, str(""), str("+")), "ab")).containsExactly("+a+b+");
        assertThat(column(Type.VARCHAR, fn("strpos", Type.BIGINT, s, str("lo")), "hello", "héllo", "x", null)).containsExactly(4L, 4L, 0L, null);
        assertThat(column(Type.VARCHAR, fn("strpos", Type.BIGINT, s, str("")), "abc")).containsExactly(1L);
        assertThat(column(Type.VARCHAR, fn("starts_with", Type.BOOLEAN, s, str("ab")), "abc", "a", null, "xab")).containsExactly(true, false, null, false);
        assertThat(column(Type.VARCHAR, fn("split_part", Type.VARCHAR, s, str(","), lit(2L, Type.BIGINT)), "a,b,c", "a", "a,,c", null))
                .containsExactly("b", null, "", null);
        assertError(() -> column(Type.VARCHAR, fn("split_part", Type.VARCHAR, s, str(","), lit(0L, Type.BIGINT)), "a"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
    }

    @Test
    void substrCountsFromTheEndForNegativeStart()
    {
        InputRef s = col(0, Type.VARCHAR);
        assertThat(column(Type.VARCHAR, fn("substr", Type.VARCHAR, s, lit(2L, Type.BIGINT)), "hello", "h", "", null)).containsExactly("ello", "", "", null);
        assertThat(column(Type.VARCHAR, fn("substr", Type.VARCHAR, s, lit(-3L, Type.BIGINT)), "hello", "hé", "日本語の")).containsExactly("llo", "", "本語の");
        assertThat(column(Type.VARCHAR, fn("substr", Type.VARCHAR, s, lit(2L, Type.BIGINT), lit(2L, Type.BIGINT)), "héllo")).containsExactly("él");
        assertThat(column(Type.VARCHAR, fn("substring", Type.VARCHAR, s, lit(-4L, Type.BIGINT), lit(2L, Type.BIGINT)), "hello")).containsExactly("el");
        assertThat(column(Type.VARCHAR, fn("substr", Type.VARCHAR, s, lit(0L, Type.BIGINT)), "hello")).containsExactly("");
        assertThat(column(Type.VARCHAR, fn("substr", Type.VARCHAR, s, lit(1L, Type.BIGINT), lit(-1L, Type.BIGINT)), "hello")).containsExactly("");
    }

    @Test
    void padding()
    {
        InputRef s = col(0, Type.VARCHAR);
        assertThat(column(Type.VARCHAR, fn("lpad", Type.VARCHAR, s, lit(5L, Type.BIGINT), str("ab")), "x", "toolong", "", null))
                .containsExactly("ababx", "toolo", "ababa", null);
        assertThat(column(Type.VARCHAR, fn("rpad", Type.VARCHAR, s, lit(4L, Type.BIGINT), str("é")), "ab")).containsExactly("abéé");
        assertError(() -> column(Type.VARCHAR, fn("lpad", Type.VARCHAR, s, lit(5L, Type.BIGINT), str("")), "x"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
        assertError(() -> column(Type.VARCHAR, fn("lpad", Type.VARCHAR, s, lit(-1L, Type.BIGINT), str("a")), "x"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
    }

    // ------------------------------------------------------------------ regular expressions

    @Test
    void regularExpressions()
    {
        InputRef s = col(0, Type.VARCHAR);
        assertThat(column(Type.VARCHAR, fn("regexp_like", Type.BOOLEAN, s, str("^GET /api")), "GET /api/x", "POST /api", null, "é GET /api"))
                .containsExactly(true, false, null, false);
        assertThat(column(Type.VARCHAR, fn("regexp_extract", Type.VARCHAR, s, str("[0-9]+")), "ab12c34", "none", null, "é42"))
                .containsExactly("12", null, null, "42");
        assertThat(column(Type.VARCHAR, fn("regexp_extract", Type.VARCHAR, s, str("(\\w+)@(\\w+)"), lit(2L, Type.BIGINT)), "mail bob@example now", "x"))
                .containsExactly("example", null);
        assertError(() -> column(Type.VARCHAR, fn("regexp_extract", Type.VARCHAR, s, str("(a)"), lit(2L, Type.BIGINT)), "a"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
        assertThat(column(Type.VARCHAR, fn("regexp_replace", Type.VARCHAR, s, str("[0-9]")), "a1b22", null)).containsExactly("ab", null);
        assertThat(column(Type.VARCHAR, fn("regexp_replace", Type.VARCHAR, s, str("([^ ]+) ([^ ]+)"), str("$2 $1")), "hello world", "ünï cödé"))
                .containsExactly("world hello", "cödé ünï");
        assertThat(column(Type.VARCHAR, fn("regexp_count", Type.BIGINT, s, str("a")), "banana", "", null)).containsExactly(3L, 0L, null);
        assertThat(column(Type.VARCHAR, fn("regexp_position", Type.INTEGER, s, str("n")), "banana", "xyz", "ñan")).containsExactly(3L, -1L, 3L);
        assertThat(column(Type.VARCHAR, fn("regexp_position", Type.INTEGER, s, str("n"), lit(4L, Type.BIGINT), lit(1L, Type.BIGINT)), "banana"))
                .containsExactly(5L);
        assertError(() -> column(Type.VARCHAR, fn("regexp_like", Type.BOOLEAN, s, str("(a")), "a"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
        // RE2 has no backreferences: refused, not run with another meaning
        assertError(() -> column(Type.VARCHAR, fn("regexp_like", Type.BOOLEAN, s, str("(a)\\1")), "aa"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
    }

    @Test
    @Timeout(20)
    void hostilePatternRunsInLinearTime()
    {
        String input = "a".repeat(50_000) + "!";
        assertThat(column(Type.VARCHAR, fn("regexp_like", Type.BOOLEAN, col(0, Type.VARCHAR), str("^(a+)+$")), input)).containsExactly(false);
        assertThat(column(Type.VARCHAR, fn("regexp_like", Type.BOOLEAN, col(0, Type.VARCHAR), str("(a|aa)+b")), input)).containsExactly(false);
    }

    // ------------------------------------------------------------------ URL and JSON

    @Test
    void urlAndJson()
    {
        InputRef s = col(0, Type.VARCHAR);
        String url = "https://example.com:8080/a/b?x=1&y=two#frag";
        assertThat(column(Type.VARCHAR, fn("url_extract_host", Type.VARCHAR, s), url, "not a url", null)).containsExactly("example.com", null, null);
        assertThat(column(Type.VARCHAR, fn("url_extract_path", Type.VARCHAR, s), url)).containsExactly("/a/b");
        assertThat(column(Type.VARCHAR, fn("url_extract_port", Type.BIGINT, s), url, "http://x/")).containsExactly(8080L, null);
        assertThat(column(Type.VARCHAR, fn("url_extract_protocol", Type.VARCHAR, s), url)).containsExactly("https");
        assertThat(column(Type.VARCHAR, fn("url_extract_query", Type.VARCHAR, s), url)).containsExactly("x=1&y=two");
        assertThat(column(Type.VARCHAR, fn("url_extract_fragment", Type.VARCHAR, s), url)).containsExactly("frag");
        assertThat(column(Type.VARCHAR, fn("url_extract_parameter", Type.VARCHAR, s, str("y")), url, "http://x/?z=1")).containsExactly("two", null);
        assertThat(column(Type.VARCHAR, fn("url_decode", Type.VARCHAR, s), "a%20b+c")).containsExactly("a b c");
        assertThat(column(Type.VARCHAR, fn("url_encode", Type.VARCHAR, s), "a b/c")).containsExactly("a+b%2Fc");
        assertThat(column(Type.VARCHAR, fn("json_extract_scalar", Type.VARCHAR, s, str("$.a.b")), "{\"a\":{\"b\":5}}", "{\"a\":{\"b\":[1]}}", "bad", null))
                .containsExactly("5", null, null, null);
        assertThat(column(Type.VARCHAR, fn("json_extract_scalar", Type.VARCHAR, s, str("$.a[1]")), "{\"a\":[1,\"x\"]}")).containsExactly("x");
        assertError(() -> column(Type.VARCHAR, fn("json_extract_scalar", Type.VARCHAR, s, str("a")), "{}"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
    }

    // ------------------------------------------------------------------ math

    @Test
    void mathFunctions()
    {
        InputRef d = col(0, Type.DOUBLE);
        InputRef l = col(0, Type.BIGINT);
        assertThat(column(Type.DOUBLE, fn("round", Type.DOUBLE, d), 2.5, -2.5, 1.4, null, Double.NaN)).containsExactly(3.0, -3.0, 1.0, null, Double.NaN);
        assertThat(column(Type.DOUBLE, fn("round", Type.DOUBLE, d, lit(2L, Type.INTEGER)), 1.005, -3.14159)).containsExactly(1.01, -3.14);
        assertThat(column(Type.BIGINT, fn("round", Type.BIGINT, l, lit(-1L, Type.INTEGER)), 15L, -15L, 14L)).containsExactly(20L, -20L, 10L);
        assertThat(column(Type.DOUBLE, fn("floor", Type.DOUBLE, d), -1.5, 1.5)).containsExactly(-2.0, 1.0);
        assertThat(column(Type.DOUBLE, fn("ceil", Type.DOUBLE, d), -1.5, 1.5)).containsExactly(-1.0, 2.0);
        assertThat(column(Type.DOUBLE, fn("truncate", Type.DOUBLE, d), -1.7, 1.7)).containsExactly(-1.0, 1.0);
        assertThat(column(Type.BIGINT, fn("abs", Type.BIGINT, l), -5L, 5L, null)).containsExactly(5L, 5L, null);
        assertError(() -> column(Type.BIGINT, fn("abs", Type.BIGINT, l), Long.MIN_VALUE), ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE);
        assertThat(column(Type.BIGINT, fn("sign", Type.BIGINT, l), -5L, 0L, 7L)).containsExactly(-1L, 0L, 1L);
        assertThat(column(Type.DOUBLE, fn("sqrt", Type.DOUBLE, d), 4.0, -1.0)).containsExactly(2.0, Double.NaN);
        assertThat(column(Type.BIGINT, fn("sqrt", Type.DOUBLE, l), 9L)).containsExactly(3.0);
        assertThat(column(Type.DOUBLE, fn("power", Type.DOUBLE, d, lit(2L, Type.INTEGER)), 3.0)).containsExactly(9.0);
        assertThat(column(Type.DOUBLE, fn("ln", Type.DOUBLE, d), Math.E)).containsExactly(1.0);
        assertThat(column(Type.DOUBLE, fn("exp", Type.DOUBLE, d), 0.0)).containsExactly(1.0);
        assertThat(column(Type.DOUBLE, fn("log10", Type.DOUBLE, d), 1000.0)).containsExactly(3.0);
        assertThat(column(Type.DOUBLE, fn("log2", Type.DOUBLE, d), 8.0)).containsExactly(3.0);
        assertThat(column(Type.BIGINT, fn("mod", Type.BIGINT, l, lit(3L, Type.BIGINT)), 7L, -7L)).containsExactly(1L, -1L);
        assertError(() -> column(Type.BIGINT, fn("mod", Type.BIGINT, l, lit(0L, Type.BIGINT)), 7L), ErrorCode.DIVISION_BY_ZERO);
        assertThat(column(Type.BIGINT, fn("greatest", Type.BIGINT, l, lit(3L, Type.BIGINT), lit(1L, Type.INTEGER)), 7L, 2L, null)).containsExactly(7L, 3L, null);
        assertThat(column(Type.DOUBLE, fn("least", Type.DOUBLE, d, lit(3L, Type.BIGINT)), 7.5, 2.5)).containsExactly(3.0, 2.5);
        assertThat(column(Type.VARCHAR, fn("greatest", Type.VARCHAR, col(0, Type.VARCHAR), str("m")), "a", "z")).containsExactly("m", "z");
        assertThat(value(fn("pi", Type.DOUBLE))).isEqualTo(Math.PI);
    }

    // ------------------------------------------------------------------ date and time

    @Test
    void dateTrunc()
    {
        InputRef t = col(0, TS6);
        long ts = micros("2024-05-15T13:45:30.123456");
        assertThat(column(TS6, fn("date_trunc", TS6, str("hour"), t), ts, null)).containsExactly(micros("2024-05-15T13:00:00"), null);
        assertThat(column(TS6, fn("date_trunc", TS6, str("MINUTE"), t), ts)).containsExactly(micros("2024-05-15T13:45:00"));
        assertThat(column(TS6, fn("date_trunc", TS6, str("day"), t), ts)).containsExactly(micros("2024-05-15T00:00:00"));
        assertThat(column(TS6, fn("date_trunc", TS6, str("week"), t), ts)).containsExactly(micros("2024-05-13T00:00:00"));
        assertThat(column(TS6, fn("date_trunc", TS6, str("month"), t), ts)).containsExactly(micros("2024-05-01T00:00:00"));
        assertThat(column(TS6, fn("date_trunc", TS6, str("quarter"), t), ts)).containsExactly(micros("2024-04-01T00:00:00"));
        assertThat(column(TS6, fn("date_trunc", TS6, str("year"), t), ts, micros("1969-12-31T23:59:59"))).containsExactly(micros("2024-01-01T00:00:00"), micros("1969-01-01T00:00:00"));
        assertThat(column(TS6, fn("date_trunc", TS6, str("second"), t), micros("1969-12-31T23:59:59.5"))).containsExactly(micros("1969-12-31T23:59:59"));
        assertThat(column(Type.DATE, fn("date_trunc", Type.DATE, str("month"), col(0, Type.DATE)), days("2024-02-29"))).containsExactly(days("2024-02-01"));
        assertError(() -> column(Type.DATE, fn("date_trunc", Type.DATE, str("hour"), col(0, Type.DATE)), 1L), ErrorCode.INVALID_FUNCTION_ARGUMENT);
        assertError(() -> column(TS6, fn("date_trunc", TS6, str("fortnight"), t), 1L), ErrorCode.INVALID_FUNCTION_ARGUMENT);
    }

    @Test
    void dateAddAndDiff()
    {
        InputRef t = col(0, TS6);
        long ts = micros("2024-01-31T10:00:00");
        assertThat(column(TS6, fn("date_add", TS6, str("month"), lit(1L, Type.BIGINT), t), ts)).containsExactly(micros("2024-02-29T10:00:00"));
        assertThat(column(TS6, fn("date_add", TS6, str("hour"), lit(-11L, Type.BIGINT), t), ts)).containsExactly(micros("2024-01-30T23:00:00"));
        assertThat(column(TS6, fn("date_add", TS6, str("year"), lit(1L, Type.INTEGER), t), micros("2024-02-29T00:00:00"))).containsExactly(micros("2025-02-28T00:00:00"));
        assertThat(column(Type.DATE, fn("date_add", Type.DATE, str("week"), lit(2L, Type.BIGINT), col(0, Type.DATE)), days("2024-01-01"))).containsExactly(days("2024-01-15"));
        assertThat(eval(fn("date_diff", Type.BIGINT, str("day"), col(0, TS6), col(1, TS6)), List.of(TS6, TS6),
                new Object[] {micros("2024-01-01T12:00:00"), micros("2024-01-03T00:00:00")},
                new Object[] {micros("2024-01-03T11:59:59"), micros("2024-01-01T00:00:00")}))
                .containsExactly(1L, -2L);
        assertThat(eval(fn("date_diff", Type.BIGINT, str("month"), col(0, TS6), col(1, TS6)), List.of(TS6, TS6),
                new Object[] {micros("2024-01-31T00:00:00"), micros("2024-03-31T00:00:00"), micros("2024-01-15T10:00:00")},
                new Object[] {micros("2024-02-29T00:00:00"), micros("2024-01-31T00:00:00"), micros("2025-01-15T10:00:00")}))
                .containsExactly(0L, -2L, 12L);
        assertThat(eval(fn("date_diff", Type.BIGINT, str("year"), col(0, Type.DATE), col(1, Type.DATE)), List.of(Type.DATE, Type.DATE),
                new Object[] {days("2020-02-29")}, new Object[] {days("2024-02-28")}))
                .containsExactly(3L);
    }

    @Test
    void fieldsAreIso()
    {
        InputRef t = col(0, TS6);
        long sunday = micros("2024-01-07T23:59:58.750");
        assertThat(column(TS6, fn("day_of_week", Type.BIGINT, t), sunday, micros("2024-01-08T00:00:00"))).containsExactly(7L, 1L);
        assertThat(column(TS6, fn("year", Type.BIGINT, t), sunday)).containsExactly(2024L);
        assertThat(column(TS6, fn("quarter", Type.BIGINT, t), sunday)).containsExactly(1L);
        assertThat(column(TS6, fn("month", Type.BIGINT, t), sunday)).containsExactly(1L);
        assertThat(column(TS6, fn("day", Type.BIGINT, t), sunday)).containsExactly(7L);
        assertThat(column(TS6, fn("day_of_year", Type.BIGINT, t), micros("2024-12-31T00:00:00"))).containsExactly(366L);
        assertThat(column(TS6, fn("hour", Type.BIGINT, t), sunday)).containsExactly(23L);
        assertThat(column(TS6, fn("minute", Type.BIGINT, t), sunday)).containsExactly(59L);
        assertThat(column(TS6, fn("second", Type.BIGINT, t), sunday)).containsExactly(58L);
        assertThat(column(TS6, fn("millisecond", Type.BIGINT, t), sunday)).containsExactly(750L);
        // 2021-01-03 is in ISO week 53 of 2020
        assertThat(column(Type.DATE, fn("week", Type.BIGINT, col(0, Type.DATE)), days("2021-01-03"), days("2021-01-04"))).containsExactly(53L, 1L);
        assertThat(column(Type.DATE, fn("year_of_week", Type.BIGINT, col(0, Type.DATE)), days("2021-01-03"))).containsExactly(2020L);
        assertThat(column(Type.DATE, fn("dow", Type.BIGINT, col(0, Type.DATE)), days("1969-12-29"))).containsExactly(1L);
        assertThat(column(Type.DATE, fn("last_day_of_month", Type.DATE, col(0, Type.DATE)), days("2023-02-10"))).containsExactly(days("2023-02-28"));
    }

    @Test
    void unixTimeParsingAndFormatting()
    {
        // timestamp(3) with time zone, in UTC without the session's zone the planner adds; Trino rounds half up
        assertThat(column(Type.DOUBLE, fn("from_unixtime", Type.TIMESTAMP_TZ, col(0, Type.DOUBLE)), 1.5, null, -0.0005))
                .containsExactly(TimeZones.pack(1_500, TimeZones.UTC_KEY), null, TimeZones.pack(0, TimeZones.UTC_KEY));
        assertThat(column(Type.BIGINT, fn("from_unixtime", Type.TIMESTAMP_TZ, col(0, Type.BIGINT)), 86400L)).containsExactly(TimeZones.pack(86_400_000L, TimeZones.UTC_KEY));
        assertThat(column(TS3, fn("to_unixtime", Type.DOUBLE, col(0, TS3)), 1_500_000L)).containsExactly(1.5);
        InputRef s = col(0, Type.VARCHAR);
        // the offset the text names is the value's zone; without one, the session's zone (UTC here, Tokyo below)
        assertThat(column(Type.VARCHAR, fn("from_iso8601_timestamp", Type.TIMESTAMP_TZ, s), "2024-05-15T13:45:30.5Z", "2024-05-15T13:45:30+02:00", "2024-05-15"))
                .containsExactly(TimeZones.pack(micros("2024-05-15T13:45:30.5") / 1000, TimeZones.UTC_KEY),
                        TimeZones.pack(micros("2024-05-15T11:45:30") / 1000, TimeZones.offsetMinutesKey(120)),
                        TimeZones.pack(micros("2024-05-15T00:00:00") / 1000, TimeZones.UTC_KEY));
        int tokyo = TimeZones.key("Asia/Tokyo");
        assertThat(column(Type.VARCHAR, fn("$from_iso8601_timestamp", Type.TIMESTAMP_TZ, s, str("Asia/Tokyo")), "2024-05-15T09:00", "2024-05-15T09:00Z"))
                .containsExactly(TimeZones.pack(micros("2024-05-15T00:00:00") / 1000, tokyo), TimeZones.pack(micros("2024-05-15T09:00:00") / 1000, TimeZones.UTC_KEY));
        assertThat(column(Type.VARCHAR, fn("$parse_datetime", Type.TIMESTAMP_TZ, s, str("yyyy-MM-dd HH:mm ZZZ"), str("Asia/Tokyo")), "2024-05-15 09:00 Europe/Paris"))
                .containsExactly(TimeZones.pack(micros("2024-05-15T07:00:00") / 1000, TimeZones.key("Europe/Paris")));
        assertError(() -> column(Type.VARCHAR, fn("from_iso8601_timestamp", Type.TIMESTAMP_TZ, s), "yesterday"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
        assertThat(column(Type.VARCHAR, fn("from_iso8601_date", Type.DATE, s), "2024-05-15")).containsExactly(days("2024-05-15"));
        assertThat(column(Type.VARCHAR, fn("date_parse", TS3, s, str("%d/%b/%Y:%H:%i:%s")), "10/Oct/2000:13:55:36", null))
                .containsExactly(micros("2000-10-10T13:55:36"), null);
        assertError(() -> column(Type.VARCHAR, fn("date_parse", TS3, s, str("%Y-%m-%d")), "2000/10/10"), ErrorCode.INVALID_FUNCTION_ARGUMENT);
        assertThat(column(TS6, fn("date_format", Type.VARCHAR, col(0, TS6), str("%Y-%m-%d %H:%i:%s")), micros("2024-05-15T13:45:30"), null))
                .containsExactly("2024-05-15 13:45:30", null);
    }

    // ------------------------------------------------------------------ special forms

    @Test
    void caseIfCoalesceNullIf()
    {
        InputRef x = col(0, Type.BIGINT);
        Expression positive = new Call(Operator.GREATER_THAN, List.of(x, lit(0L, Type.BIGINT)), Type.BOOLEAN);
        Expression negative = new Call(Operator.LESS_THAN, List.of(x, lit(0L, Type.BIGINT)), Type.BOOLEAN);
        Expression caseExpression = new SpecialForm(Form.CASE, List.of(positive, str("pos"), negative, str("neg"), str("zero or null")), Type.VARCHAR);
        assertThat(column(Type.BIGINT, caseExpression, 5L, -1L, 0L, null, 7L)).containsExactly("pos", "neg", "zero or null", "zero or null", "pos");
        Expression caseWithoutElse = new SpecialForm(Form.CASE, List.of(positive, x, lit(null, Type.BIGINT)), Type.BIGINT);
        assertThat(column(Type.BIGINT, caseWithoutElse, 5L, -1L, null)).containsExactly(5L, null, null);
        // the branch not taken is not evaluated: 10 / x only where x <> 0
        Expression divide = new Call(Operator.DIVIDE, List.of(lit(10L, Type.BIGINT), x), Type.BIGINT);
        Expression nonZero = new Call(Operator.NOT_EQUAL, List.of(x, lit(0L, Type.BIGINT)), Type.BOOLEAN);
        assertThat(column(Type.BIGINT, new SpecialForm(Form.IF, List.of(nonZero, divide, lit(-1L, Type.BIGINT)), Type.BIGINT), 2L, 0L, 5L, null))
                .containsExactly(5L, -1L, 2L, -1L);
        assertThat(column(Type.BIGINT, new SpecialForm(Form.COALESCE, List.of(x, lit(42L, Type.BIGINT)), Type.BIGINT), 1L, null)).containsExactly(1L, 42L);
        assertThat(column(Type.BIGINT, new SpecialForm(Form.COALESCE, List.of(x, divide), Type.BIGINT), 0L, null)).containsExactly(0L, null)
                .as("divide is evaluated for the NULL row only; 10 / NULL is NULL");
        assertThat(column(Type.VARCHAR, new SpecialForm(Form.COALESCE, List.of(col(0, Type.VARCHAR), str("-")), Type.VARCHAR), "a", null, "")).containsExactly("a", "-", "");
        assertThat(column(Type.BIGINT, new SpecialForm(Form.NULLIF, List.of(x, lit(0L, Type.BIGINT)), Type.BIGINT), 0L, 3L, null)).containsExactly(null, 3L, null);
        assertThat(column(Type.VARCHAR, new SpecialForm(Form.NULLIF, List.of(col(0, Type.VARCHAR), str("-")), Type.VARCHAR), "-", "x")).containsExactly(null, "x");
    }

    @Test
    void tryAndTryCast()
    {
        InputRef x = col(0, Type.BIGINT);
        Expression divide = new Call(Operator.DIVIDE, List.of(lit(10L, Type.BIGINT), x), Type.BIGINT);
        assertThat(column(Type.BIGINT, new SpecialForm(Form.TRY, List.of(divide), Type.BIGINT), 2L, 0L, null, 5L)).containsExactly(5L, null, null, 2L);
        InputRef s = col(0, Type.VARCHAR);
        assertThat(column(Type.VARCHAR, new SpecialForm(Form.TRY_CAST, List.of(s), Type.INTEGER), "12", "x", null, "99999999999")).containsExactly(12L, null, null, null);
        assertThat(column(Type.VARCHAR, new SpecialForm(Form.TRY_CAST, List.of(s), Type.DATE), "2024-01-02", "nope")).containsExactly(days("2024-01-02"), null);
        assertError(() -> column(Type.VARCHAR, new Call(Operator.CAST, List.of(s), Type.INTEGER), "x"), ErrorCode.INVALID_CAST_ARGUMENT);
    }

    // ------------------------------------------------------------------ decimals and casts

    @Test
    void decimalArithmeticHasTrinoResultTypes()
    {
        Type d21 = new Type.Decimal(2, 1);
        Type d42 = new Type.Decimal(4, 2);
        // 1.0 / 3 = 0.3 (decimal(11,1)); 10.00 / 4.00 = 2.50
        assertThat(value(new Call(Operator.DIVIDE, List.of(lit(new BigDecimal("1.0"), d21), lit(3L, Type.INTEGER)), new Type.Decimal(11, 1))))
                .isEqualTo(new BigDecimal("0.3"));
        assertThat(value(new Call(Operator.DIVIDE, List.of(lit(new BigDecimal("10.00"), d42), lit(new BigDecimal("4.00"), d42)), new Type.Decimal(8, 2))))
                .isEqualTo(new BigDecimal("2.50"));
        assertThat(value(new Call(Operator.DIVIDE, List.of(lit(new BigDecimal("2.0"), d21), lit(3L, Type.INTEGER)), new Type.Decimal(11, 1))))
                .isEqualTo(new BigDecimal("0.7"));
        Type d52 = new Type.Decimal(5, 2);
        InputRef c = col(0, d52);
        assertThat(column(d52, new Call(Operator.ADD, List.of(c, lit(new BigDecimal("0.5"), d21)), new Type.Decimal(6, 2)), new BigDecimal("1.25"), null, new BigDecimal("-3.00")))
                .containsExactly(new BigDecimal("1.75"), null, new BigDecimal("-2.50"));
        assertThat(column(d52, new Call(Operator.MULTIPLY, List.of(c, c), new Type.Decimal(10, 4)), new BigDecimal("1.25")))
                .containsExactly(new BigDecimal("1.5625"));
        assertThat(column(d52, new Call(Operator.MODULUS, List.of(c, lit(new BigDecimal("0.5"), d21)), d52), new BigDecimal("1.25")))
                .containsExactly(new BigDecimal("0.25"));
        assertThat(column(d52, new Call(Operator.NEGATE, List.of(c), d52), new BigDecimal("1.25"))).containsExactly(new BigDecimal("-1.25"));
        assertError(() -> column(d52, new Call(Operator.DIVIDE, List.of(c, lit(BigDecimal.ZERO, d21)), d52), new BigDecimal("1.25")), ErrorCode.DIVISION_BY_ZERO);
        assertError(() -> column(d52, new Call(Operator.MULTIPLY, List.of(c, lit(new BigDecimal("100"), new Type.Decimal(3, 0))), d52), new BigDecimal("999.99")),
                ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE);
        // comparisons across scales and with integers
        Expression greater = new Call(Operator.GREATER_THAN, List.of(c, lit(1L, Type.INTEGER)), Type.BOOLEAN);
        assertThat(column(d52, greater, new BigDecimal("1.25"), new BigDecimal("0.99"), null)).containsExactly(true, false, null);
        assertThat(column(d52, fn("round", d52, c), new BigDecimal("1.50"), new BigDecimal("-2.50"))).containsExactly(new BigDecimal("2.00"), new BigDecimal("-3.00"));
        assertThat(column(d52, fn("abs", d52, c), new BigDecimal("-1.50"))).containsExactly(new BigDecimal("1.50"));
        assertThat(column(d52, fn("floor", d52, c), new BigDecimal("-1.50"))).containsExactly(new BigDecimal("-2.00"));
    }

    @Test
    void castsRoundHalfAwayFromZero()
    {
        Type d21 = new Type.Decimal(2, 1);
        assertThat(value(new Call(Operator.CAST, List.of(lit(new BigDecimal("3.7"), d21)), Type.INTEGER))).isEqualTo(4L);
        assertThat(value(new Call(Operator.CAST, List.of(lit(new BigDecimal("-2.5"), d21)), Type.BIGINT))).isEqualTo(-3L);
        assertThat(value(new Call(Operator.CAST, List.of(lit(-2.5, Type.DOUBLE)), Type.BIGINT))).isEqualTo(-3L);
        assertThat(value(new Call(Operator.CAST, List.of(lit(3.7, Type.DOUBLE)), Type.INTEGER))).isEqualTo(4L);
        Type d53 = new Type.Decimal(5, 3);
        assertThat(column(Type.REAL, new Call(Operator.CAST, List.of(col(0, Type.REAL)), d53), 0.102)).containsExactly(new BigDecimal("0.102"));
        assertThat(column(Type.DOUBLE, new Call(Operator.CAST, List.of(col(0, Type.DOUBLE)), new Type.Decimal(3, 1)), 1.25, -1.25))
                .containsExactly(new BigDecimal("1.3"), new BigDecimal("-1.3"));
        assertThat(column(Type.VARCHAR, new Call(Operator.CAST, List.of(col(0, Type.VARCHAR)), d53), "1.2345", " 7 "))
                .containsExactly(new BigDecimal("1.235"), new BigDecimal("7.000"));
        assertError(() -> column(Type.VARCHAR, new Call(Operator.CAST, List.of(col(0, Type.VARCHAR)), d53), "123"), ErrorCode.INVALID_CAST_ARGUMENT);
        assertThat(column(d53, new Call(Operator.CAST, List.of(col(0, d53)), Type.VARCHAR), new BigDecimal("-0.500"))).containsExactly("-0.500");
        assertThat(column(d53, new Call(Operator.CAST, List.of(col(0, d53)), Type.DOUBLE), new BigDecimal("0.125"))).containsExactly(0.125);
        assertThat(column(Type.BIGINT, new Call(Operator.CAST, List.of(col(0, Type.BIGINT)), d53), 12L)).containsExactly(new BigDecimal("12.000"));
        assertError(() -> column(Type.BIGINT, new Call(Operator.CAST, List.of(col(0, Type.BIGINT)), d53), 100L), ErrorCode.INVALID_CAST_ARGUMENT);
    }

    @Test
    void integerDivisionByZeroIsCoded()
    {
        assertError(() -> value(new Call(Operator.DIVIDE, List.of(lit(1L, Type.INTEGER), lit(0L, Type.INTEGER)), Type.INTEGER)), ErrorCode.DIVISION_BY_ZERO);
    }

    // ------------------------------------------------------------------ registry

    @Test
    void resolutionFollowsArgumentTypes()
    {
        assertThat(FunctionRegistry.resolve("length", List.of(str("a")))).contains(Type.BIGINT);
        assertThat(FunctionRegistry.resolve("LENGTH", List.of(str("a")))).contains(Type.BIGINT);
        assertThat(FunctionRegistry.resolve("length", List.of(lit(1L, Type.BIGINT)))).isEmpty();
        assertThat(FunctionRegistry.resolve("no_such_function", List.of())).isEmpty();
        // the pattern must be a constant
        assertThat(FunctionRegistry.resolve("regexp_like", List.of(str("a"), col(0, Type.VARCHAR)))).isEmpty();
        assertThat(FunctionRegistry.resolve("date_trunc", List.of(str("day"), col(0, Type.DATE)))).contains(Type.DATE);
        assertThat(FunctionRegistry.supports("length", List.of(str("a")), Type.INTEGER)).isTrue();
        assertThat(FunctionRegistry.functions()).extracting(FunctionRegistry.FunctionInfo::name).contains("regexp_like", "date_diff", "substr", "round");
        assertThat(Arrays.asList(FunctionRegistry.names().toArray())).doesNotHaveDuplicates();
    }

    @Test
    void resultIsCastToTheCallType()
    {
        // length is bigint; a planner may type it integer
        assertThat(column(Type.VARCHAR, fn("length", Type.INTEGER, col(0, Type.VARCHAR)), "abc")).containsExactly(3L);
    }
}
