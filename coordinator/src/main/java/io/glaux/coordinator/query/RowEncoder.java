package io.glaux.coordinator.query;

import org.apache.calcite.rel.type.RelDataType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes rows of Calcite Java values into the JSON values of the Trino protocol: numbers and booleans
 * as JSON, dates {@code 2024-01-01}, timestamps {@code 2024-01-01 12:34:56.789}, decimals as strings,
 * NaN and infinities as strings, arrays/maps/rows as JSON arrays/objects.
 */
public final class RowEncoder
{
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    public List<Object> encode(List<ResultColumn> columns, Object row)
    {
        List<Object> values = new ArrayList<>(columns.size());
        if (columns.size() == 1) {
            // Calcite hands one-column rows over as the bare value
            Object value = row instanceof Object[] array && array.length == 1 ? array[0] : row;
            values.add(encodeValue(columns.getFirst().type(), value));
            return values;
        }
        Object[] array = (Object[]) row;
        for (int i = 0; i < columns.size(); i++) {
            values.add(encodeValue(columns.get(i).type(), array[i]));
        }
        return values;
    }

    public static Object encodeValue(RelDataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        if (type instanceof io.glaux.coordinator.planner.TrinoSqlType trino) {
            // ipaddress and ipprefix as their text, json as its JSON text
            byte[] bytes = value instanceof org.apache.calcite.avatica.util.ByteString b ? b.getBytes() : value instanceof byte[] b ? b : null;
            return bytes == null ? value.toString()
                    : trino.type().equals(io.glaux.spi.type.Type.IPPREFIX) ? io.glaux.engine.expr.IpAddresses.formatPrefix(bytes)
                    : io.glaux.engine.expr.IpAddresses.format(bytes);
        }
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> value;
            case TINYINT, SMALLINT, INTEGER, BIGINT -> ((Number) value).longValue();
            case REAL, FLOAT, DOUBLE -> {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d)) {
                    yield "NaN";
                }
                if (Double.isInfinite(d)) {
                    yield d > 0 ? "Infinity" : "-Infinity";
                }
                yield type.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.REAL ? (Object) ((Number) value).floatValue() : (Object) d;
            }
            case DECIMAL -> value instanceof BigDecimal decimal ? decimal.setScale(Math.max(type.getScale(), 0), java.math.RoundingMode.HALF_UP).toPlainString() : value.toString();
            case CHAR, VARCHAR -> value.toString();
            case DATE -> LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case TIMESTAMP -> TIMESTAMP.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) value).longValue()), ZoneOffset.UTC));
            case UUID -> value instanceof org.apache.calcite.avatica.util.ByteString bytes ? io.glaux.engine.expr.Uuids.format(bytes.getBytes())
                    : value instanceof byte[] bytes ? io.glaux.engine.expr.Uuids.format(bytes) : value.toString();
            case TIMESTAMP_TZ -> io.glaux.engine.expr.TimestampsWithTimeZone.format(((Number) value).longValue(), Math.max(type.getPrecision(), 0));
            // millis of the day (Calcite's and the final stage's), as Trino writes time(p)
            case TIME -> io.glaux.engine.expr.TimeFunctions.format(new io.glaux.spi.type.Type.Time(Math.max(type.getPrecision(), 0)),
                    Math.floorMod(((Number) value).longValue(), 86_400_000L) * 1000L);
            case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE,
                 INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND ->
                    io.glaux.engine.expr.TimeFunctions.format(io.glaux.spi.type.Type.INTERVAL_DAY_TO_SECOND, ((Number) value).longValue());
            case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH ->
                    io.glaux.engine.expr.TimeFunctions.format(io.glaux.spi.type.Type.INTERVAL_YEAR_TO_MONTH, ((Number) value).longValue());
            case BINARY, VARBINARY -> value instanceof byte[] bytes ? java.util.Base64.getEncoder().encodeToString(bytes)
                    : value instanceof org.apache.calcite.avatica.util.ByteString bytes ? java.util.Base64.getEncoder().encodeToString(bytes.getBytes()) : value.toString();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                Iterable<?> elements = value instanceof Object[] array ? Arrays.asList(array) : (Iterable<?>) value;
                for (Object element : elements) {
                    list.add(encodeValue(type.getComponentType(), element));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    map.put(String.valueOf(encodeValue(type.getKeyType(), entry.getKey())), encodeValue(type.getValueType(), entry.getValue()));
                }
                yield map;
            }
            case ROW -> {
                List<Object> fields = new ArrayList<>();
                Object[] array = value instanceof Object[] a ? a : ((List<?>) value).toArray();
                for (int i = 0; i < type.getFieldCount(); i++) {
                    fields.add(encodeValue(type.getFieldList().get(i).getType(), array[i]));
                }
                yield fields;
            }
            default -> value.toString();
        };
    }
}
