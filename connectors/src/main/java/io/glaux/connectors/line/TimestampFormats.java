package io.glaux.connectors.line;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SerDe property {@code timestamp.formats}: comma-separated {@link DateTimeFormatter} patterns
 * (Hive documents Joda patterns; the common letters mean the same), and the special name
 * {@code millis} for milliseconds since the epoch. Values with an offset or zone are converted to UTC.
 * Not thread-safe (holds the last result): each reader uses its own {@link #copy()}.
 */
public final class TimestampFormats
{
    public static final String PROPERTY = "timestamp.formats";
    private static final TimestampFormats NONE = new TimestampFormats(List.of(), false);

    private final List<DateTimeFormatter> formatters;
    private final boolean millis;
    private long micros;

    private TimestampFormats(List<DateTimeFormatter> formatters, boolean millis)
    {
        this.formatters = formatters;
        this.millis = millis;
    }

    public static TimestampFormats none()
    {
        return NONE;
    }

    /** Parses the property value; {@code INVALID_TABLE_PROPERTY} for a pattern that is not valid. */
    public static TimestampFormats parse(String property)
    {
        if (property == null || property.isBlank()) {
            return NONE;
        }
        List<DateTimeFormatter> formatters = new ArrayList<>();
        boolean millis = false;
        // Hive escapes commas inside a pattern as "\,"
        for (String pattern : property.split("(?<!\\\\),")) {
            String trimmed = pattern.replace("\\,", ",").trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equalsIgnoreCase("millis")) {
                millis = true;
                continue;
            }
            try {
                formatters.add(DateTimeFormatter.ofPattern(trimmed, Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Invalid pattern '%s' in %s: %s".formatted(trimmed, PROPERTY, e.getMessage()), e);
            }
        }
        return new TimestampFormats(List.copyOf(formatters), millis);
    }

    /** A copy with its own result state, for another reader (patterns are shared: they are immutable). */
    public TimestampFormats copy()
    {
        return isEmpty() ? NONE : new TimestampFormats(formatters, millis);
    }

    public boolean isEmpty()
    {
        return formatters.isEmpty() && !millis;
    }

    /** Micros since the epoch of the last successful {@link #parse(byte[], int, int)}. */
    public long micros()
    {
        return micros;
    }

    /** Tries {@code millis} and each pattern in order; false when none matches. */
    public boolean parse(byte[] b, int offset, int length)
    {
        if (millis && isInteger(b, offset, length)) {
            try {
                micros = Math.multiplyExact(Long.parseLong(new String(b, offset, length, StandardCharsets.ISO_8859_1)), 1000L);
                return true;
            }
            catch (NumberFormatException | ArithmeticException e) {
                // too large: try the patterns
            }
        }
        if (formatters.isEmpty()) {
            return false;
        }
        String text = new String(b, offset, length, StandardCharsets.UTF_8).trim();
        for (DateTimeFormatter formatter : formatters) {
            try {
                TemporalAccessor parsed = formatter.parse(text);
                micros = toMicros(parsed);
                return true;
            }
            catch (DateTimeParseException | ArithmeticException e) {
                // try the next pattern
            }
            catch (java.time.DateTimeException e) {
                // parsed, but not enough fields for a timestamp
            }
        }
        return false;
    }

    private static long toMicros(TemporalAccessor parsed)
    {
        if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
            Instant instant = Instant.from(parsed);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
        }
        LocalDateTime dateTime;
        if (parsed.isSupported(ChronoField.HOUR_OF_DAY) || parsed.isSupported(ChronoField.CLOCK_HOUR_OF_AMPM)) {
            dateTime = LocalDateTime.from(parsed);
        }
        else {
            dateTime = LocalDate.from(parsed).atStartOfDay();
        }
        return Math.addExact(Math.multiplyExact(dateTime.toEpochSecond(ZoneOffset.UTC), 1_000_000L), dateTime.getNano() / 1000);
    }

    private static boolean isInteger(byte[] b, int offset, int length)
    {
        if (length == 0 || length > 19) {
            return false;
        }
        int start = b[offset] == '-' ? 1 : 0;
        if (start == length) {
            return false;
        }
        for (int i = offset + start; i < offset + length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
