package io.glaux.coordinator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.coordinator.planner.GlauxTypeFactory;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.RowEncoder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON written straight from Arrow vectors ({@link JsonRows}) is, value for value, the JSON of the
 * rows the protocol encoded before ({@link ArrowRows} → {@link RowEncoder} → Jackson): what the Trino
 * JDBC driver and CLI parse must not change.
 */
class TestJsonRows
{
    private static final GlauxTypeFactory TYPES = new GlauxTypeFactory();

    @Test
    void writesEveryValueAsTheRowEncoderDoes()
            throws Exception
    {
        try (BufferAllocator allocator = new RootAllocator()) {
            List<FieldVector> vectors = new ArrayList<>();
            List<ResultColumn> columns = new ArrayList<>();
            int rows = 9;

            BigIntVector bigints = new BigIntVector("b", allocator);
            long[] longs = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 42, 1_000_000_000_000L, -7, 123};
            bigints.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                bigints.set(i, longs[i]);
            }
            bigints.setNull(7);
            add(vectors, columns, bigints, SqlTypeName.BIGINT);

            IntVector ints = new IntVector("i", allocator);
            ints.allocateNew(rows);
            int[] intValues = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 5, 6, 7, 8};
            for (int i = 0; i < rows; i++) {
                ints.set(i, intValues[i]);
            }
            ints.setNull(2);
            add(vectors, columns, ints, SqlTypeName.INTEGER);

            SmallIntVector smallints = new SmallIntVector("s", allocator);
            smallints.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                smallints.set(i, (short) (i * 1000 - 4000));
            }
            add(vectors, columns, smallints, SqlTypeName.SMALLINT);

            Float8Vector doubles = new Float8Vector("d", allocator);
            doubles.allocateNew(rows);
            double[] doubleValues = {0.0, -0.0, 1.5, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2, 1e-7};
            for (int i = 0; i < rows; i++) {
                doubles.set(i, doubleValues[i]);
            }
            add(vectors, columns, doubles, SqlTypeName.DOUBLE);

            Float4Vector reals = new Float4Vector("r", allocator);
            reals.allocateNew(rows);
            float[] realValues = {0f, 2.5f, 0.1f, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 1e-7f, 3.3333333f, -1f};
            for (int i = 0; i < rows; i++) {
                reals.set(i, realValues[i]);
            }
            reals.setNull(8);
            add(vectors, columns, reals, SqlTypeName.REAL);

            BitVector booleans = new BitVector("bo", allocator);
            booleans.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                booleans.set(i, i % 2);
            }
            booleans.setNull(4);
            add(vectors, columns, booleans, SqlTypeName.BOOLEAN);

            VarCharVector strings = new VarCharVector("v", allocator);
            strings.allocateNew(rows);
            String[] stringValues = {"", "plain", "quote \" and \\ backslash", "tab\tnew\nline\u0001", "é ü 中文 😀", "/api/v1?x=1&y=<2>", "\u2028\u2029", "x".repeat(300), "null"};
            for (int i = 0; i < rows; i++) {
                strings.setSafe(i, stringValues[i].getBytes(StandardCharsets.UTF_8));
            }
            strings.setNull(6);
            add(vectors, columns, strings, SqlTypeName.VARCHAR);

            DateDayVector dates = new DateDayVector("dt", allocator);
            dates.allocateNew(rows);
            int[] days = {0, -1, 19_783, -719_528, 2_932_896, 2_932_897, -719_529, 11_016, -141_427};
            for (int i = 0; i < rows; i++) {
                dates.set(i, days[i]);
            }
            add(vectors, columns, dates, SqlTypeName.DATE);

            TimeStampMicroVector timestamps = new TimeStampMicroVector("ts", allocator);
            timestamps.allocateNew(rows);
            long[] micros = {0, -1, 1_709_251_200_123_456L, -62_135_596_800_000_000L, 253_402_300_799_999_999L, 253_402_300_800_000_000L, -62_167_219_200_000_000L, 86_399_999_999L, -86_400_000_001L};
            for (int i = 0; i < rows; i++) {
                timestamps.set(i, micros[i]);
            }
            add(vectors, columns, timestamps, SqlTypeName.TIMESTAMP);

            DecimalVector decimals = new DecimalVector("de", allocator, 12, 2);
            decimals.allocateNew(rows);
            String[] decimalValues = {"0.00", "1.50", "-1.25", "9999999999.99", "0.01", "-0.01", "123.40", "100.00", "-9999999999.99"};
            for (int i = 0; i < rows; i++) {
                decimals.set(i, new BigDecimal(decimalValues[i]));
            }
            decimals.setNull(3);
            columns.add(new ResultColumn("de", TYPES.createSqlType(SqlTypeName.DECIMAL, 12, 2)));
            vectors.add(decimals);
            for (FieldVector vector : vectors) {
                vector.setValueCount(rows);
            }

            try (VectorSchemaRoot batch = new VectorSchemaRoot(vectors)) {
                batch.setRowCount(rows);
                List<Object[]> javaRows = new ArrayList<>();
                ArrowRows.appendRows(batch, javaRows);
                RowEncoder encoder = new RowEncoder();
                List<List<Object>> encoded = new ArrayList<>();
                for (Object[] row : javaRows) {
                    encoded.add(encoder.encode(columns, row));
                }
                String expected = new ObjectMapper().writeValueAsString(encoded);

                JsonRows json = new JsonRows(columns);
                json.append(batch, 0, 4);
                json.append(batch, 4, rows - 4);
                assertThat(json.rows()).isEqualTo(rows);
                byte[] written = json.finish();
                assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(expected);
                // as the protocol writes it into a response (bytes), and as text: verbatim
                java.util.Map<String, Object> response = java.util.Map.of("data", new io.glaux.coordinator.query.ResultPage.Json(written, rows).rawValue());
                assertThat(new String(new ObjectMapper().writeValueAsBytes(response), StandardCharsets.UTF_8)).isEqualTo("{\"data\":" + expected + "}");
                assertThat(new ObjectMapper().writeValueAsString(response)).isEqualTo("{\"data\":" + expected + "}");
            }
        }
    }

    @Test
    void formatsDatesAndTimestampsAsJavaTime()
    {
        byte[] out = new byte[48];
        java.time.format.DateTimeFormatter timestamp = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        for (long day = -800_000; day <= 3_000_000; day += 997) {
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(day);
            int length = JsonRows.formatDate(day, out, 0);
            if (date.getYear() < 0 || date.getYear() > 9999) {
                assertThat(length).isEqualTo(-1);
            }
            else {
                assertThat(new String(out, 0, length, StandardCharsets.US_ASCII)).isEqualTo(date.toString());
            }
            long micros = day * 86_400_000_000L + 45_296_789_123L;
            java.time.LocalDateTime time = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, java.time.ZoneOffset.UTC);
            length = JsonRows.formatTimestampMillis(micros, out);
            if (date.getYear() < 1 || date.getYear() > 9999) {
                assertThat(length).isEqualTo(-1);
            }
            else {
                assertThat(new String(out, 0, length, StandardCharsets.US_ASCII)).isEqualTo(time.format(timestamp));
            }
        }
    }

    private static void add(List<FieldVector> vectors, List<ResultColumn> columns, FieldVector vector, SqlTypeName type)
    {
        RelDataType relType = TYPES.createTypeWithNullability(TYPES.createSqlType(type), true);
        columns.add(new ResultColumn(vector.getName(), relType));
        vectors.add(vector);
    }
}
