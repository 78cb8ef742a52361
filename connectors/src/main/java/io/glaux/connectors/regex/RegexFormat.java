package io.glaux.connectors.regex;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
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

/**
 * Hive's {@code RegexSerDe} (web server and load balancer logs): each line must match
 * {@code input.regex} as a whole; group n is the n-th of
 * the table's data columns ({@value TableFormats#COLUMNS}). A line that does not match is a row of
 * NULLs, as in Hive and Athena; so is a group that did not take part in the match. Values are parsed
 * to the column's scalar type as Hive's text SerDe does (a value that does not parse is NULL).
 * {@code input.regex.case.insensitive=true} matches ignoring case. The pattern runs in RE2/J, in time
 * linear in the line whatever the pattern: a hostile or careless pattern cannot hold a thread. RE2 has no
 * backreferences, lookaround, possessive quantifiers or atomic groups; such a pattern is refused with
 * {@code INVALID_TABLE_PROPERTY} naming {@value #INPUT_REGEX}. Immutable.
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
        this.groupCount = pattern.groupCount();
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
        int flags = Boolean.parseBoolean(properties.getOrDefault(CASE_INSENSITIVE, "false").trim()) ? Pattern.CASE_INSENSITIVE : 0;
        Pattern pattern = compile(regex, flags, INPUT_REGEX);
        return new RegexFormat(pattern, TextFormat.tableColumns(properties), TimestampFormats.parse(properties.get(TimestampFormats.PROPERTY)));
    }

    /**
     * {@code regex} compiled by RE2/J, or {@code INVALID_TABLE_PROPERTY} naming {@code property} and saying
     * what RE2 refuses (the pattern itself is not repeated: it may be long).
     */
    static Pattern compile(String regex, int flags, String property)
    {
        try {
            return Pattern.compile(regex, flags);
        }
        catch (PatternSyntaxException e) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, ("Invalid %s: %s. Glaux runs table patterns with RE2 (linear time), which has no"
                    + " backreferences, lookaround (?=, (?!, (?<=, (?<!, possessive quantifiers, atomic groups or repeat counts over 1000")
                    .formatted(property, re2Message(e)), e);
        }
    }

    /** RE2/J's description and the part of the pattern it refers to. */
    static String re2Message(PatternSyntaxException e)
    {
        String description = e.getDescription();
        String where = e.getPattern();
        return where == null || where.isEmpty() ? description : description + " at '" + (where.length() > 60 ? where.substring(0, 60) + "..." : where) + "'";
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
        return new RegexDeserializer(new LineMatcher.Re2(pattern), true, timestampFormats, columns, groups);
    }
}
