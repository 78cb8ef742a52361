package io.glaux.catalog.projection;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Table;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Athena's partition projection: a table with {@code projection.enabled=true} has its partitions
 * computed from table properties instead of stored in the metastore. Supported column types:
 * {@code enum} ({@code .values}), {@code integer} ({@code .range}, {@code .interval}, {@code .digits}),
 * {@code date} ({@code .range} with dates in {@code .format} or {@code NOW[+-N<UNIT>]},
 * {@code .interval}, {@code .interval.unit}) and {@code injected} (values only from the query's
 * equality predicates). Locations follow {@code storage.location.template} ({@code ${col}}
 * placeholders) or else {@code <table location>/col=value/}.
 */
public final class PartitionProjection
{
    /** More partitions than this for one query is an error rather than a huge listing. */
    public static final int MAX_PARTITIONS = 1_000_000;

    private static final Pattern RELATIVE_DATE = Pattern.compile("NOW(?:\\s*([+-])\\s*(\\d+)\\s*(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?)?", Pattern.CASE_INSENSITIVE);

    /** A projected partition: its values (in partition column order) and location. */
    public record ProjectedPartition(List<String> values, String location) {}

    private PartitionProjection() {}

    public static boolean isEnabled(Table table)
    {
        return "true".equalsIgnoreCase(table.parameters().getOrDefault("projection.enabled", "false").strip());
    }

    /**
     * The partitions a query can need.
     *
     * @param mayMatch whether a partition column may have this (textual) value, from the query's filter
     * @param fixedValues for each column the query pins to a set of values by equality (required for injected columns)
     */
    public static List<ProjectedPartition> partitions(Table table, BiPredicate<Column, String> mayMatch, Map<String, Set<String>> fixedValues, LocalDateTime now)
    {
        requireNonNull(table, "table is null");
        List<List<String>> perColumn = new ArrayList<>();
        long combinations = 1;
        for (Column column : table.partitionColumns()) {
            List<String> values = new ArrayList<>();
            for (String value : values(table, column, fixedValues.get(column.name()), now)) {
                if (mayMatch.test(column, value)) {
                    values.add(value);
                }
            }
            perColumn.add(values);
            combinations *= Math.max(1, values.size());
            if (values.isEmpty()) {
                return List.of();
            }
            if (combinations > MAX_PARTITIONS) {
                throw error(table, "the query would need more than " + MAX_PARTITIONS + " projected partitions; add filters on the partition columns");
            }
        }
        List<ProjectedPartition> partitions = new ArrayList<>();
        cross(table, perColumn, 0, new ArrayList<>(), partitions);
        return partitions;
    }

    private static void cross(Table table, List<List<String>> perColumn, int index, List<String> prefix, List<ProjectedPartition> out)
    {
        if (index == perColumn.size()) {
            out.add(new ProjectedPartition(List.copyOf(prefix), location(table, prefix)));
            return;
        }
        for (String value : perColumn.get(index)) {
            prefix.add(value);
            cross(table, perColumn, index + 1, prefix, out);
            prefix.removeLast();
        }
    }

    private static List<String> values(Table table, Column column, Set<String> fixed, LocalDateTime now)
    {
        String type = property(table, column, "type").orElseThrow(() -> error(table, "projection." + column.name() + ".type is not set"))
                .strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "enum" -> {
                String values = property(table, column, "values").orElseThrow(() -> error(table, "projection." + column.name() + ".values is not set"));
                List<String> list = new ArrayList<>();
                for (String value : values.split(",")) {
                    list.add(value.strip());
                }
                yield list;
            }
            case "integer" -> integers(table, column);
            case "date" -> dates(table, column, now);
            case "injected" -> {
                if (fixed == null || fixed.isEmpty()) {
                    throw error(table, "the injected partition column '" + column.name() + "' needs an equality (or IN) predicate in the query's WHERE clause");
                }
                yield List.copyOf(fixed);
            }
            default -> throw error(table, "projection." + column.name() + ".type '" + type + "' is not one of enum, integer, date, injected");
        };
    }

    private static List<String> integers(Table table, Column column)
    {
        String[] range = range(table, column);
        long low;
        long high;
        long interval;
        try {
            low = Long.parseLong(range[0]);
            high = Long.parseLong(range[1]);
            interval = Long.parseLong(property(table, column, "interval").orElse("1").strip());
        }
        catch (NumberFormatException e) {
            throw error(table, "projection." + column.name() + ".range/.interval must be integers: " + e.getMessage());
        }
        int digits = Integer.parseInt(property(table, column, "digits").orElse("0").strip());
        if (interval <= 0 || (high - low) / interval + 1 > MAX_PARTITIONS) {
            throw error(table, "projection." + column.name() + " has too many values (range " + low + ".." + high + " by " + interval + ")");
        }
        List<String> values = new ArrayList<>();
        for (long value = low; value <= high; value += interval) {
            values.add(digits > 0 ? String.format(Locale.ROOT, "%0" + digits + "d", value) : Long.toString(value));
        }
        return values;
    }

    private static List<String> dates(Table table, Column column, LocalDateTime now)
    {
        String pattern = property(table, column, "format").orElseThrow(() -> error(table, "projection." + column.name() + ".format is not set"));
        DateTimeFormatter format = new DateTimeFormatterBuilder().appendPattern(pattern)
                .parseDefaulting(ChronoField.MONTH_OF_YEAR, 1)
                .parseDefaulting(ChronoField.DAY_OF_MONTH, 1)
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .toFormatter(Locale.ROOT);
        String[] range = range(table, column);
        LocalDateTime start = dateBound(table, column, range[0], format, now);
        LocalDateTime end = dateBound(table, column, range[1], format, now);
        long interval = Long.parseLong(property(table, column, "interval").orElse("1").strip());
        ChronoUnit unit = ChronoUnit.valueOf(property(table, column, "interval.unit").orElse(defaultUnit(pattern)).strip().toUpperCase(Locale.ROOT));
        List<String> values = new ArrayList<>();
        for (LocalDateTime value = start; !value.isAfter(end); value = value.plus(interval, unit)) {
            values.add(format.format(value));
            if (values.size() > MAX_PARTITIONS) {
                throw error(table, "projection." + column.name() + " has more than " + MAX_PARTITIONS + " values");
            }
        }
        return values;
    }

    private static String defaultUnit(String pattern)
    {
        if (pattern.contains("s")) {
            return "SECONDS";
        }
        if (pattern.contains("m")) {
            return "MINUTES";
        }
        if (pattern.contains("H") || pattern.contains("h")) {
            return "HOURS";
        }
        if (pattern.contains("d")) {
            return "DAYS";
        }
        return pattern.contains("M") ? "MONTHS" : "YEARS";
    }

    private static LocalDateTime dateBound(Table table, Column column, String text, DateTimeFormatter format, LocalDateTime now)
    {
        Matcher relative = RELATIVE_DATE.matcher(text.strip());
        if (relative.matches()) {
            if (relative.group(1) == null) {
                return now;
            }
            long amount = Long.parseLong(relative.group(2)) * (relative.group(1).equals("-") ? -1 : 1);
            return now.plus(amount, ChronoUnit.valueOf(relative.group(3).toUpperCase(Locale.ROOT) + "S"));
        }
        try {
            return LocalDateTime.parse(text.strip(), format);
        }
        catch (RuntimeException e) {
            try {
                return LocalDate.parse(text.strip(), format).atStartOfDay();
            }
            catch (RuntimeException ignored) {
                throw error(table, "projection." + column.name() + ".range bound '" + text + "' does not match the format '" + format + "'");
            }
        }
    }

    private static String[] range(Table table, Column column)
    {
        String range = property(table, column, "range").orElseThrow(() -> error(table, "projection." + column.name() + ".range is not set"));
        String[] bounds = range.split(",");
        if (bounds.length != 2) {
            throw error(table, "projection." + column.name() + ".range must be 'low,high', not '" + range + "'");
        }
        return bounds;
    }

    private static String location(Table table, List<String> values)
    {
        Map<String, String> byName = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            byName.put(table.partitionColumns().get(i).name(), values.get(i));
        }
        String template = table.parameters().get("storage.location.template");
        if (template != null) {
            String location = template;
            for (Map.Entry<String, String> entry : byName.entrySet()) {
                location = location.replace("${" + entry.getKey() + "}", entry.getValue());
            }
            return location.endsWith("/") ? location : location + "/";
        }
        StringBuilder location = new StringBuilder(table.location().endsWith("/") ? table.location() : table.location() + "/");
        for (Map.Entry<String, String> entry : byName.entrySet()) {
            location.append(entry.getKey()).append('=').append(entry.getValue()).append('/');
        }
        return location.toString();
    }

    private static Optional<String> property(Table table, Column column, String name)
    {
        return Optional.ofNullable(table.parameters().get("projection." + column.name() + "." + name));
    }

    private static GlauxException error(Table table, String message)
    {
        return new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Partition projection of table " + table.schemaName() + "." + table.tableName() + ": " + message);
    }

    /** The time projection ranges with {@code NOW} are evaluated against. */
    public static LocalDateTime now()
    {
        return LocalDateTime.now(ZoneOffset.UTC);
    }
}
