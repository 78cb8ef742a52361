package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.time.temporal.TemporalUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Trino's scalar functions, run on the coordinator by Calcite's generated code ({@link TrinoFunctions}
 * declares them). Values come in Calcite's representation: a {@code timestamp} is the wall-clock
 * time as milliseconds since the epoch (UTC), a {@code date} is days since the epoch. A NULL argument
 * gives NULL before any of these methods is called.
 */
public final class TrinoScalarFunctions
{
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final Map<String, DateTimeFormatter> FORMATS = new ConcurrentHashMap<>();
    private static final int CACHE_SIZE = 1000;

    private TrinoScalarFunctions() {}

    // date and time

    public static Long dateTrunc(String unit, Long timestamp)
    {
        LocalDateTime value = toDateTime(timestamp);
        LocalDateTime truncated = switch (unit(unit)) {
            case "millisecond" -> value;
            case "second" -> value.truncatedTo(ChronoUnit.SECONDS);
            case "minute" -> value.truncatedTo(ChronoUnit.MINUTES);
            case "hour" -> value.truncatedTo(ChronoUnit.HOURS);
            default -> truncate(unit, value.toLocalDate(), "timestamp").atStartOfDay();
        };
        return fromDateTime(truncated);
    }

    public static Integer dateTrunc(String unit, Integer date)
    {
        return (int) truncate(unit, LocalDate.ofEpochDay(date), "date").toEpochDay();
    }

    public static Long dateAdd(String unit, Long value, Long timestamp)
    {
        return fromDateTime(toDateTime(timestamp).plus(value, chronoUnit(unit, "timestamp")));
    }

    public static Integer dateAdd(String unit, Long value, Integer date)
    {
        return Math.toIntExact(LocalDate.ofEpochDay(date).plus(value, dateUnit(unit)).toEpochDay());
    }

    public static Long dateDiff(String unit, Long first, Long second)
    {
        return chronoUnit(unit, "timestamp").between(toDateTime(first), toDateTime(second));
    }

    public static Long dateDiff(String unit, Integer first, Integer second)
    {
        return dateUnit(unit).between(LocalDate.ofEpochDay(first), LocalDate.ofEpochDay(second));
    }

    public static Long fromUnixtime(Double seconds)
    {
        return Math.round(seconds * 1000);
    }

    public static Long fromUnixtime(Long seconds)
    {
        return Math.multiplyExact(seconds, 1000L);
    }

    public static Double toUnixtime(Long timestamp)
    {
        return timestamp / 1000.0;
    }

    public static Long dateParse(String text, String format)
    {
        DateTimeFormatter formatter = mysqlFormat(format);
        try {
            return fromDateTime(io.glaux.engine.expr.DateTimes.localDateTime(formatter.parse(text)));
        }
        catch (DateTimeException e) {
            throw invalidArgument("Invalid format: \"" + text + "\"");
        }
    }

    public static String dateFormat(Long timestamp, String format)
    {
        return mysqlFormat(format).format(toDateTime(timestamp));
    }

    /** An interval day to second, which Calcite holds as milliseconds. */
    public static Long toMilliseconds(Long interval)
    {
        return interval;
    }

    public static Long now()
    {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
    }

    private static LocalDate truncate(String unit, LocalDate date, String type)
    {
        return switch (unit(unit)) {
            case "day" -> date;
            case "week" -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> date.withDayOfMonth(1);
            case "quarter" -> date.withDayOfMonth(1).withMonth((date.getMonthValue() - 1) / 3 * 3 + 1);
            case "year" -> date.withDayOfYear(1);
            default -> throw invalidUnit(unit, type);
        };
    }

    private static TemporalUnit chronoUnit(String unit, String type)
    {
        return switch (unit(unit)) {
            case "millisecond" -> ChronoUnit.MILLIS;
            case "second" -> ChronoUnit.SECONDS;
            case "minute" -> ChronoUnit.MINUTES;
            case "hour" -> ChronoUnit.HOURS;
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            case "quarter" -> IsoFields.QUARTER_YEARS;
            case "year" -> ChronoUnit.YEARS;
            default -> throw invalidUnit(unit, type);
        };
    }

    private static TemporalUnit dateUnit(String unit)
    {
        return switch (unit(unit)) {
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            case "quarter" -> IsoFields.QUARTER_YEARS;
            case "year" -> ChronoUnit.YEARS;
            default -> throw invalidUnit(unit, "date");
        };
    }

    private static String unit(String unit)
    {
        return unit.toLowerCase(Locale.ROOT);
    }

    private static GlauxException invalidUnit(String unit, String type)
    {
        return invalidArgument("'" + unit + "' is not a valid " + type.toUpperCase(Locale.ROOT) + " field");
    }

    private static LocalDateTime toDateTime(long millis)
    {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
    }

    private static long fromDateTime(LocalDateTime value)
    {
        return value.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** MySQL's {@code %} patterns as Trino's {@code date_parse} and {@code date_format} read them. */
    private static DateTimeFormatter mysqlFormat(String format)
    {
        DateTimeFormatter cached = FORMATS.get(format);
        if (cached != null) {
            return cached;
        }
        // the engine's parser of the patterns: one definition for both executors
        DateTimeFormatter formatter = io.glaux.engine.expr.DateTimes.mysqlFormat(format);
        if (FORMATS.size() < CACHE_SIZE) {
            FORMATS.put(format, formatter);
        }
        return formatter;
    }

    // strings

    public static Boolean regexpLike(String text, String pattern)
    {
        return pattern(pattern).matcher(text).find();
    }

    public static String regexpExtract(String text, String pattern)
    {
        return regexpExtract(text, pattern, 0L);
    }

    public static String regexpExtract(String text, String pattern, Long group)
    {
        Matcher matcher = pattern(pattern).matcher(text);
        if (group < 0 || group > matcher.groupCount()) {
            throw invalidArgument("Pattern has " + matcher.groupCount() + " groups. Cannot access group " + group);
        }
        return matcher.find() ? matcher.group(group.intValue()) : null;
    }

    public static String regexpReplace(String text, String pattern)
    {
        return regexpReplace(text, pattern, "");
    }

    public static String regexpReplace(String text, String pattern, String replacement)
    {
        try {
            return pattern(pattern).matcher(text).replaceAll(replacement);
        }
        catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw invalidArgument("Illegal replacement '" + replacement + "': " + e.getMessage());
        }
    }

    public static String splitPart(String text, String delimiter, Long index)
    {
        if (index < 1) {
            throw invalidArgument("Index must be greater than zero");
        }
        if (delimiter.isEmpty()) {
            return index == 1 ? text : null;
        }
        int start = 0;
        for (long part = 1; part < index; part++) {
            int next = text.indexOf(delimiter, start);
            if (next < 0) {
                return null;
            }
            start = next + delimiter.length();
        }
        int end = text.indexOf(delimiter, start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    public static Long strpos(String text, String substring)
    {
        int index = text.indexOf(substring);
        return index < 0 ? 0L : text.codePointCount(0, index) + 1L;
    }

    public static Long length(String text)
    {
        return (long) text.codePointCount(0, text.length());
    }

    public static String concat(String[] values)
    {
        return String.join("", values);
    }

    public static String replace(String text, String search)
    {
        return replace(text, search, "");
    }

    public static String replace(String text, String search, String replacement)
    {
        return text.replace(search, replacement);
    }

    public static Boolean startsWith(String text, String prefix)
    {
        return text.startsWith(prefix);
    }

    public static String urlExtractHost(String url)
    {
        URI uri = uri(url);
        return uri == null ? null : uri.getHost();
    }

    public static String urlExtractPath(String url)
    {
        URI uri = uri(url);
        return uri == null ? null : uri.getRawPath();
    }

    public static String urlExtractParameter(String url, String name)
    {
        URI uri = uri(url);
        if (uri == null || uri.getRawQuery() == null) {
            return null;
        }
        for (String parameter : uri.getRawQuery().split("&")) {
            String[] nameValue = parameter.split("=", 2);
            if (nameValue[0].equals(name)) {
                return nameValue.length == 2 ? nameValue[1] : "";
            }
        }
        return null;
    }

    private static URI uri(String url)
    {
        try {
            return new URI(url);
        }
        catch (URISyntaxException e) {
            return null;
        }
    }

    private static Pattern pattern(String pattern)
    {
        Pattern compiled = PATTERNS.get(pattern);
        if (compiled != null) {
            return compiled;
        }
        try {
            compiled = Pattern.compile(pattern);
        }
        catch (PatternSyntaxException e) {
            throw invalidArgument("Invalid regular expression '" + pattern + "': " + e.getDescription());
        }
        if (PATTERNS.size() < CACHE_SIZE) {
            PATTERNS.put(pattern, compiled);
        }
        return compiled;
    }

    private static GlauxException invalidArgument(String message)
    {
        return new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, message);
    }
}
