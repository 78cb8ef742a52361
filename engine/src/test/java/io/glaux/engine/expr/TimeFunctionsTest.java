package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** time(p) and interval values: text in Trino's forms, and the vectorized casts and functions over real Arrow batches. */
class TimeFunctionsTest
{
    private static final Type TIME3 = new Type.Time(3);
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

    @Test
    void textOfTimesAndIntervals()
    {
        assertThat(TimeFunctions.format(TIME3, 36_672_345_000L)).isEqualTo("10:11:12.345");
        assertThat(TimeFunctions.format(new Type.Time(0), 36_672_000_000L)).isEqualTo("10:11:12");
        assertThat(TimeFunctions.format(Type.INTERVAL_DAY_TO_SECOND, 2 * 86_400_000L + 11_045_000L)).isEqualTo("2 03:04:05.000");
        assertThat(TimeFunctions.format(Type.INTERVAL_DAY_TO_SECOND, -5_400_000L)).isEqualTo("-0 01:30:00.000");
        assertThat(TimeFunctions.format(Type.INTERVAL_DAY_TO_SECOND, Long.MIN_VALUE)).isEqualTo("-106751991167 07:12:55.808");
        assertThat(TimeFunctions.format(Type.INTERVAL_YEAR_TO_MONTH, 14)).isEqualTo("1-2");
        assertThat(TimeFunctions.format(Type.INTERVAL_YEAR_TO_MONTH, -14)).isEqualTo("-1-2");
        assertThat(parseTime("7:08", 3)).isEqualTo(25_680_000_000L);
        assertThat(parseTime("23:59:59.9996", 3)).isEqualTo(0L);
        assertThat(parseTime("10:11:12.123456789", 6)).isEqualTo(36_672_123_457L);
        for (String invalid : List.of("", "24:00", "10:60", "10:00:61", "10:00:00.", "10", "1:2", "10:00 x")) {
            assertThat(parseTime(invalid, 3)).as(invalid).isEqualTo(DateTimes.INVALID);
        }
        assertThat(TimeFunctions.ParseDuration.parse("1.5h")).isEqualTo(5_400_000L);
        assertThat(TimeFunctions.ParseDuration.parse("3 d")).isEqualTo(259_200_000L);
        assertThat(TimeFunctions.HumanReadableSeconds.text(96)).isEqualTo("1 minute, 36 seconds");
        assertThat(TimeFunctions.HumanReadableSeconds.text(604_800)).isEqualTo("1 week");
    }

    @Test
    void castsAndFunctionsOverBatches()
    {
        Expression time = new Call(Operator.CAST, List.of(new InputRef(0, Type.VARCHAR)), TIME3);
        assertThat(eval(new Call(Operator.CAST, List.of(time), Type.VARCHAR), "10:11:12.3456", " 1:02 ", null))
                .containsExactly("10:11:12.346", "01:02:00.000", null);
        assertThat(eval(new FunctionCall("minute", List.of(time), Type.BIGINT), "10:11:12", "23:59:00")).containsExactly(11L, 59L);
        Expression later = new FunctionCall("date_add", List.of(new Literal("hour", Type.VARCHAR), new Literal(3L, Type.BIGINT), time), TIME3);
        assertThat(eval(new Call(Operator.CAST, List.of(later), Type.VARCHAR), "10:00:00", "22:30:00")).containsExactly("13:00:00.000", "01:30:00.000");
        Expression difference = new FunctionCall("$datetime_minus", List.of(time, new Literal(3_600_000_000L, TIME3)), Type.INTERVAL_DAY_TO_SECOND);
        assertThat(eval(new Call(Operator.CAST, List.of(difference), Type.VARCHAR), "10:00:00", "00:30:00")).containsExactly("0 09:00:00.000", "-0 00:30:00.000");
        Expression duration = new FunctionCall("parse_duration", List.of(new InputRef(0, Type.VARCHAR)), Type.INTERVAL_DAY_TO_SECOND);
        Expression doubled = new FunctionCall("$interval_multiply", List.of(duration, new Literal(2.0, Type.DOUBLE)), Type.INTERVAL_DAY_TO_SECOND);
        assertThat(eval(new FunctionCall("to_milliseconds", List.of(doubled), Type.BIGINT), "1s", "2.5m")).containsExactly(2_000L, 300_000L);
        assertThatThrownBy(() -> eval(new Call(Operator.CAST, List.of(time), Type.VARCHAR), "25:00"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        assertThatThrownBy(() -> eval(new FunctionCall("$interval_divide", List.of(duration, new Literal(0.0, Type.DOUBLE)), Type.INTERVAL_DAY_TO_SECOND), "1s"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DIVISION_BY_ZERO));
    }

    private static long parseTime(String text, int precision)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return TimeFunctions.parseTime(bytes, 0, bytes.length, precision);
    }

    private List<Object> eval(Expression expression, Object... values)
    {
        List<Type> types = List.of(Type.VARCHAR);
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, types, new Object[][] {values});
                VectorSchemaRoot out = Projector.compile(List.of(expression), types).project(batch, new Selection().selectAll(values.length), allocator)) {
            return TestBatches.column(out, 0);
        }
    }
}
