package io.glaux.connectors.parquet;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Java form for values read by Glaux (Arrow vectors) and by DuckDB (JDBC objects), so results can
 * be compared: NULL → null, integers → Long, real/double → Double, decimal → BigDecimal without
 * trailing zeros, varchar → String, varbinary → hex String, date → LocalDate, timestamp →
 * LocalDateTime (UTC), array → List, row → LinkedHashMap of field name to value, map → LinkedHashMap.
 */
final class CanonicalValues
{
    private CanonicalValues() {}

    static List<List<Object>> rows(VectorSchemaRoot root)
    {
        List<List<Object>> rows = new ArrayList<>(root.getRowCount());
        for (int row = 0; row < root.getRowCount(); row++) {
            List<Object> values = new ArrayList<>(root.getFieldVectors().size());
            for (FieldVector vector : root.getFieldVectors()) {
                values.add(fromArrow(vector, row));
            }
            rows.add(values);
        }
        return rows;
    }

    static Object fromArrow(FieldVector vector, int index)
    {
        if (vector.isNull(index)) {
            return null;
        }
        return switch (vector) {
            case BitVector v -> v.get(index) != 0;
            case BaseIntVector v -> v.getValueAsLong(index);
            case Float4Vector v -> (double) v.get(index);
            case Float8Vector v -> v.get(index);
            case DecimalVector v -> decimal(v.getObject(index));
            case VarCharVector v -> new String(v.get(index), UTF_8);
            case VarBinaryVector v -> HexFormat.of().formatHex(v.get(index));
            case DateDayVector v -> LocalDate.ofEpochDay(v.get(index));
            case TimeStampMicroVector v -> micros(v.get(index));
            case MapVector v -> {
                StructVector entries = (StructVector) v.getDataVector();
                FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
                FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = v.getElementStartIndex(index); i < v.getElementEndIndex(index); i++) {
                    map.put(fromArrow(keys, i), fromArrow(values, i));
                }
                yield map;
            }
            case ListVector v -> {
                List<Object> list = new ArrayList<>();
                for (int i = v.getElementStartIndex(index); i < v.getElementEndIndex(index); i++) {
                    list.add(fromArrow(v.getDataVector(), i));
                }
                yield list;
            }
            case StructVector v -> {
                Map<String, Object> struct = new LinkedHashMap<>();
                for (int i = 0; i < v.size(); i++) {
                    FieldVector child = (FieldVector) v.getChildByOrdinal(i);
                    struct.put(child.getName(), fromArrow(child, index));
                }
                yield struct;
            }
            default -> throw new IllegalArgumentException("no canonical form for " + vector.getClass().getSimpleName());
        };
    }

    static Object fromJdbc(Object value)
    {
        try {
            return switch (value) {
                case null -> null;
                case Byte b -> (long) b;
                case Short s -> (long) s;
                case Integer i -> (long) i;
                case Long l -> l;
                case BigInteger b -> b.longValueExact();
                case Float f -> (double) f;
                case Double d -> d;
                case BigDecimal d -> decimal(d);
                case Boolean b -> b;
                case String s -> s;
                case byte[] bytes -> HexFormat.of().formatHex(bytes);
                case LocalDate d -> d;
                case LocalDateTime t -> t;
                case java.sql.Timestamp t -> throw new IllegalArgumentException("select timestamps as epoch_us(...): java.sql.Timestamp depends on the JVM's zone: " + t);
                case java.sql.Array array -> {
                    List<Object> list = new ArrayList<>();
                    for (Object element : (Object[]) array.getArray()) {
                        list.add(fromJdbc(element));
                    }
                    yield list;
                }
                case org.duckdb.DuckDBStruct duck -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> entry : duck.getMap().entrySet()) {
                        map.put(entry.getKey(), fromJdbc(entry.getValue()));
                    }
                    yield map;
                }
                case Map<?, ?> map -> {
                    Map<Object, Object> result = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> entry : map.entrySet()) {
                        result.put(fromJdbc(entry.getKey()), fromJdbc(entry.getValue()));
                    }
                    yield result;
                }
                case java.sql.Blob blob -> HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length()));
                default -> throw new IllegalArgumentException("no canonical form for " + value.getClass().getName() + ": " + value);
            };
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static BigDecimal decimal(BigDecimal value)
    {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    static LocalDateTime micros(long micros)
    {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    static String hex(ByteBuffer buffer)
    {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A row literal for tests: {@code row("a", 1L, "b", null)} → {a=1, b=null}. */
    static Map<String, Object> struct(Object... namesAndValues)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /** A map literal that allows null values: {@code map("k", 1L, "n", null)}. */
    static Map<Object, Object> map(Object... keysAndValues)
    {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A list literal that allows nulls. */
    static List<Object> list(Object... values)
    {
        return new ArrayList<>(Arrays.asList(values));
    }
}
