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

import java.time.Instant;
import java.util.List;

/** Packed timestamp with time zone values: zone keys, parsing and printing, and the vectorized casts over real Arrow batches. */
class TimestampWithTimeZoneTest
{
    private static final Type TSTZ3 = new Type.TimestampWithTimeZone(3);
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
    void zoneKeysRoundTrip()
    {
        assertThat(TimeZones.key("UTC")).isEqualTo(TimeZones.UTC_KEY);
        assertThat(TimeZones.key("Z")).isEqualTo(TimeZones.UTC_KEY);
        assertThat(TimeZones.key("+00:00")).isEqualTo(TimeZones.UTC_KEY);
        for (String zone : List.of("America/New_York", "Asia/Kolkata", "Europe/Berlin", "+02:00", "-03:30", "+14:00", "-14:00")) {
            assertThat(TimeZones.name(TimeZones.key(zone))).isEqualTo(zone);
        }
        assertThat(TimeZones.name(TimeZones.key("america/new_york"))).isEqualTo("America/New_York");
        assertThat(TimeZones.name(TimeZones.key("+0530"))).isEqualTo("+05:30");
        assertThat(TimeZones.name(TimeZones.key("UTC+2"))).isEqualTo("+02:00");
        assertThatThrownBy(() -> TimeZones.key("Mars/Olympus_Mons")).isInstanceOfSatisfying(GlauxException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT));
        assertThatThrownBy(() -> TimeZones.key("+15:00")).isInstanceOf(GlauxException.class);
    }

    @Test
    void packingKeepsTheInstantAndOrdersByIt()
    {
        long early = TimeZones.pack(-1_000L, TimeZones.key("Asia/Tokyo"));
        long late = TimeZones.pack(1_000L, TimeZones.UTC_KEY);
        assertThat(TimeZones.millis(early)).isEqualTo(-1_000L);
        assertThat(TimeZones.zoneKey(early)).isEqualTo(TimeZones.key("Asia/Tokyo"));
        assertThat(early).isLessThan(late);
    }

    @Test
    void parseAndFormat()
    {
        TimeZones.OffsetCache cache = new TimeZones.OffsetCache();
        long value = parse("2020-01-01 10:00:00.123 America/New_York", cache);
        assertThat(TimeZones.millis(value)).isEqualTo(Instant.parse("2020-01-01T15:00:00.123Z").toEpochMilli());
        assertThat(TimestampsWithTimeZone.format(value, 3)).isEqualTo("2020-01-01 10:00:00.123 America/New_York");
        assertThat(TimestampsWithTimeZone.format(value, 0)).isEqualTo("2020-01-01 10:00:00 America/New_York");
        // summer time, an offset, a date alone, the T separator and the zone attached to the time
        assertThat(TimeZones.millis(parse("2020-07-01 10:00 Europe/Berlin", cache))).isEqualTo(Instant.parse("2020-07-01T08:00:00Z").toEpochMilli());
        assertThat(TimestampsWithTimeZone.format(parse("2020-07-01T10:00:00+02:00", cache), 3)).isEqualTo("2020-07-01 10:00:00.000 +02:00");
        assertThat(TimestampsWithTimeZone.format(parse("2020-07-01 UTC", cache), 0)).isEqualTo("2020-07-01 00:00:00 UTC");
        // in a DST gap the wall clock moves forward
        assertThat(TimestampsWithTimeZone.format(parse("2020-03-08 02:30:00 America/New_York", cache), 0)).isEqualTo("2020-03-08 03:30:00 America/New_York");
        assertThat(parse("2020-02-30 10:00:00 UTC", cache)).isEqualTo(TimestampsWithTimeZone.INVALID);
        assertThat(parse("2020-01-01 10:00:00 Nowhere", cache)).isEqualTo(TimestampsWithTimeZone.INVALID);
    }

    @Test
    void vectorizedCastsAcrossZonesAndTransitions()
    {
        InputRef text = new InputRef(0, Type.VARCHAR);
        Expression roundTrip = new Call(Operator.CAST, List.of(new Call(Operator.CAST, List.of(text), TSTZ3)), Type.VARCHAR);
        Object[] values = {"2020-03-08 01:59:59.999 America/New_York", "2020-03-08 03:00:00 America/New_York", null,
                "2020-11-01 01:30:00 America/New_York", "1969-12-31 23:59:59.999 UTC", "2020-01-01 00:00:00 Asia/Kathmandu", "2020-06-30 12:00:00 -09:30"};
        assertThat(eval(roundTrip, values)).containsExactly("2020-03-08 01:59:59.999 America/New_York", "2020-03-08 03:00:00.000 America/New_York", null,
                "2020-11-01 01:30:00.000 America/New_York", "1969-12-31 23:59:59.999 UTC", "2020-01-01 00:00:00.000 Asia/Kathmandu",
                "2020-06-30 12:00:00.000 -09:30");
        Expression local = new Call(Operator.CAST, List.of(new Call(Operator.CAST, List.of(new Call(Operator.CAST, List.of(text), TSTZ3)),
                new Type.Timestamp(3))), Type.VARCHAR);
        assertThat(eval(local, "2020-03-08 03:00:00 America/New_York", "2020-07-01 10:00:00.5 +02:00"))
                .containsExactly("2020-03-08 03:00:00.000", "2020-07-01 10:00:00.500");
        Expression hours = new FunctionCall("hour", List.of(new Call(Operator.CAST, List.of(text), TSTZ3)), Type.BIGINT);
        assertThat(eval(hours, "2020-03-08 01:00:00 America/New_York", "2020-03-08 04:00:00 America/New_York", null)).containsExactly(1L, 4L, null);
        Expression utc = new FunctionCall("at_timezone", List.of(new Call(Operator.CAST, List.of(text), TSTZ3), new Literal("UTC", Type.VARCHAR)), TSTZ3);
        assertThat(eval(new Call(Operator.CAST, List.of(utc), Type.VARCHAR), "2020-03-08 01:00:00 America/New_York", "2020-03-08 04:00:00 America/New_York"))
                .containsExactly("2020-03-08 06:00:00.000 UTC", "2020-03-08 08:00:00.000 UTC");
        assertThatThrownBy(() -> eval(roundTrip, "2020-01-01 10:00:00 Mars/Olympus_Mons")).isInstanceOfSatisfying(GlauxException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
    }

    private static long parse(String text, TimeZones.OffsetCache cache)
    {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return TimestampsWithTimeZone.parse(bytes, 0, bytes.length, TimeZones.UTC_KEY, cache);
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
