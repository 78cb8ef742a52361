package io.glaux.connectors.split;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Hive partition paths ({@code dt=2024-01-01/region=eu}) and partition values. Escaping follows
 * Hive's {@code FileUtils.escapePathName}/{@code unescapePathName}: special characters become
 * {@code %XX} (two hex digits of the UTF-16 unit); other characters, non-ASCII included, stay as they are.
 */
public final class HivePartitions
{
    /** The value Hive writes for a NULL partition value. */
    public static final String DEFAULT_PARTITION_NAME = "__HIVE_DEFAULT_PARTITION__";

    private static final BitSet ESCAPED = new BitSet(128);
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    static {
        for (char c = 1; c < ' '; c++) {
            ESCAPED.set(c);
        }
        for (char c : new char[] {'"', '#', '%', '\'', '*', '/', ':', '=', '?', '\\', '\u007F', '{', '[', ']', '^'}) {
            ESCAPED.set(c);
        }
    }

    private HivePartitions() {}

    /** Hive's {@code FileUtils.escapePathName}. */
    public static String escapePathName(String value)
    {
        requireNonNull(value, "value is null");
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 128 && ESCAPED.get(c)) {
                if (sb == null) {
                    sb = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                sb.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            }
            else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? value : sb.toString();
    }

    /** Hive's {@code FileUtils.unescapePathName}: {@code %XX} (two hex digits) becomes that character. */
    public static String unescapePathName(String value)
    {
        requireNonNull(value, "value is null");
        int percent = value.indexOf('%');
        if (percent < 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length()).append(value, 0, percent);
        for (int i = percent; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length()) {
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high >= 0 && low >= 0) {
                    sb.append((char) (high << 4 | low));
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * The {@code key=value} segments of a path, unescaped, in path order: {@code dt=2024-01-01/hr=03/f.parquet}
     * → {dt=2024-01-01, hr=03}. Segments without '=' (like the file name) are ignored.
     */
    public static Map<String, String> parsePartitionPath(String path)
    {
        requireNonNull(path, "path is null");
        Map<String, String> values = new LinkedHashMap<>();
        for (String segment : path.split("/")) {
            int equals = segment.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            values.put(unescapePathName(segment.substring(0, equals)), unescapePathName(segment.substring(equals + 1)));
        }
        return values;
    }

    /** {@code k1=v1/k2=v2} with Hive escaping, in map order. */
    public static String makePartitionPath(Map<String, String> values)
    {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append('/');
            }
            String value = entry.getValue() == null ? DEFAULT_PARTITION_NAME : entry.getValue();
            sb.append(escapePathName(entry.getKey())).append('=').append(escapePathName(value));
        }
        return sb.toString();
    }

    /**
     * A partition value (unescaped, as in {@link Split#partitionValues()}) in the engine's Java
     * representation of {@code type}: Long for tinyint..bigint, date (days since epoch) and timestamp
     * (micros since epoch); Double for real and double; Boolean; String for varchar; byte[] for
     * varbinary; BigDecimal for decimal. {@code null} and {@value #DEFAULT_PARTITION_NAME} are NULL.
     *
     * @throws IllegalArgumentException when the value is not of the type
     */
    public static Object parseValue(String value, Type type)
    {
        requireNonNull(type, "type is null");
        if (value == null || value.equals(DEFAULT_PARTITION_NAME)) {
            return null;
        }
        try {
            return switch (type) {
                case Type.Varchar _ -> value;
                case Type.Timestamp _ -> {
                    LocalDateTime dateTime = LocalDateTime.parse(value.trim(), TIMESTAMP);
                    long seconds = dateTime.toEpochSecond(ZoneOffset.UTC);
                    yield Math.addExact(Math.multiplyExact(seconds, 1_000_000L), dateTime.getNano() / 1000);
                }
                case Type.Decimal decimal -> {
                    BigDecimal parsed = new BigDecimal(value.trim()).setScale(decimal.scale(), RoundingMode.UNNECESSARY);
                    if (parsed.precision() > decimal.precision()) {
                        throw new IllegalArgumentException("too many digits for " + type.trinoName());
                    }
                    yield parsed;
                }
                case Type.Primitive primitive -> switch (primitive.kind()) {
                    case BOOLEAN -> {
                        if (value.equalsIgnoreCase("true")) {
                            yield Boolean.TRUE;
                        }
                        if (value.equalsIgnoreCase("false")) {
                            yield Boolean.FALSE;
                        }
                        throw new IllegalArgumentException("not a boolean");
                    }
                    case TINYINT -> (long) Byte.parseByte(value.trim());
                    case SMALLINT -> (long) Short.parseShort(value.trim());
                    case INTEGER -> (long) Integer.parseInt(value.trim());
                    case BIGINT -> Long.parseLong(value.trim());
                    case REAL, DOUBLE -> Double.parseDouble(value.trim());
                    case DATE -> LocalDate.parse(value.trim()).toEpochDay();
                    case VARBINARY -> value.getBytes(StandardCharsets.UTF_8);
                    case UUID, IPADDRESS, IPPREFIX, JSON, INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH ->
                            throw new IllegalArgumentException("partition columns cannot be of type " + type.trinoName());
                };
                case Type.Array _, Type.MapType _, Type.Row _, Type.TimestampWithTimeZone _, Type.Time _ -> throw new IllegalArgumentException("partition columns cannot be of type " + type.trinoName());
            };
        }
        catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("partition columns")) {
                throw e;
            }
            throw new IllegalArgumentException("'%s' is not a valid %s value".formatted(value, type.trinoName()), e);
        }
    }
}
