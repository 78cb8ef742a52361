package io.glaux.connectors.regex;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineDeserializer;
import io.glaux.connectors.line.LineFormat;
import io.glaux.connectors.line.TimestampFormats;
import io.glaux.connectors.text.TextFormat;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Hive's {@code RegexSerDe} (web server and load balancer logs): each line must match
 * {@code input.regex} as a whole ({@link java.util.regex.Matcher#matches()}); group n is the n-th of
 * the table's data columns ({@value TableFormats#COLUMNS}). A line that does not match is a row of
 * NULLs, as in Hive and Athena; so is a group that did not take part in the match. Values are parsed
 * to the column's scalar type as Hive's text SerDe does (a value that does not parse is NULL).
 * {@code input.regex.case.insensitive=true} matches ignoring case. Immutable.
 */
public final class RegexFormat
        implements LineFormat
{
    public static final String INPUT_REGEX = "input.regex";
    public static final String CASE_INSENSITIVE = "input.regex.case.insensitive";

    private final Pattern pattern;
    private final int groupCount;
    private final List<String> tableColumns;
    private final TimestampFormats timestampFormats;

    private RegexFormat(Pattern pattern, List<String> tableColumns, TimestampFormats timestampFormats)
    {
        this.pattern = requireNonNull(pattern, "pattern is null");
        this.groupCount = pattern.matcher("").groupCount();
        this.tableColumns = List.copyOf(tableColumns);
        this.timestampFormats = requireNonNull(timestampFormats, "timestampFormats is null");
    }

    public static RegexFormat fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        String regex = properties.get(INPUT_REGEX);
        if (regex == null || regex.isEmpty()) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "The regex format needs the SerDe property '%s'".formatted(INPUT_REGEX));
        }
        int flags = Boolean.parseBoolean(properties.getOrDefault(CASE_INSENSITIVE, "false").trim()) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex, flags);
        }
        catch (PatternSyntaxException e) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Invalid %s: %s".formatted(INPUT_REGEX, e.getMessage()), e);
        }
        return new RegexFormat(pattern, TextFormat.tableColumns(properties), TimestampFormats.parse(properties.get(TimestampFormats.PROPERTY)));
    }

    @Override
    public String displayName()
    {
        return "regex";
    }

    @Override
    public LineDeserializer createDeserializer(List<ColumnHandle> columns, String path)
    {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < tableColumns.size(); i++) {
            positions.putIfAbsent(tableColumns.get(i), i);
        }
        int[][] groups = new int[columns.size()][];
        for (int i = 0; i < columns.size(); i++) {
            ColumnHandle column = columns.get(i);
            Integer position = positions.get(column.name().toLowerCase(Locale.ROOT));
            if (position == null) {
                throw new GlauxException(ErrorCode.COLUMN_NOT_FOUND, "Column '%s' is not one of the table's data columns (%s)"
                        .formatted(column.name(), String.join(", ", tableColumns)));
            }
            if (position >= groupCount) {
                throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Column '%s' is column %d of the table, but %s has only %d groups"
                        .formatted(column.name(), position + 1, INPUT_REGEX, groupCount));
            }
            if (column.type() instanceof Type.Array || column.type() instanceof Type.MapType || column.type() instanceof Type.Row) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column '%s' of %s is of type %s: regex columns must be scalar"
                        .formatted(column.name(), path, column.type().trinoName()));
            }
            groups[i] = new int[] {position + 1};
        }
        return new RegexDeserializer(pattern, true, timestampFormats, columns, groups);
    }
}
