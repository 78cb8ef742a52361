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

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * AWS Glue's {@code GrokSerDe} ({@code com.amazonaws.glue.serde.GrokSerDe}), as Athena reads it:
 * {@code input.format} is a grok expression ({@code %{COMBINEDAPACHELOG}},
 * {@code %{IP:client} %{WORD:method} ...}) over the {@link GrokPatterns#standard() standard library}
 * and the {@code input.grokCustomPatterns} definitions (newline-separated {@code NAME regex}). As in
 * Glue, a capture fills the column of the same name (case-insensitively; an unnamed
 * {@code %{NAME}} is the field NAME), not the n-th column; when a field is captured at several places,
 * the first that took part in the match wins. As in Logstash the expression may match anywhere in the
 * line ({@code ^...$} anchors it); a line it does not match is a row of NULLs. Values parse like text
 * (not parsable → NULL). The expression is expanded and compiled once per table. Immutable.
 */
public final class GrokFormat
        implements LineFormat
{
    public static final String INPUT_FORMAT = "input.format";
    public static final String CUSTOM_PATTERNS = "input.grokCustomPatterns";

    private final GrokPatterns.Compiled compiled;
    private final List<String> tableColumns;
    private final TimestampFormats timestampFormats;

    private GrokFormat(GrokPatterns.Compiled compiled, List<String> tableColumns, TimestampFormats timestampFormats)
    {
        this.compiled = requireNonNull(compiled, "compiled is null");
        this.tableColumns = List.copyOf(tableColumns);
        this.timestampFormats = requireNonNull(timestampFormats, "timestampFormats is null");
    }

    /**
     * The format of a table's properties ({@value #INPUT_FORMAT}, {@value #CUSTOM_PATTERNS},
     * {@value TableFormats#COLUMNS}, {@code timestamp.formats}).
     *
     * @throws GlauxException {@code INVALID_TABLE_PROPERTY} when {@code input.format} is missing or invalid
     *         (an unknown pattern, ...), or when a table column is captured nowhere in it
     */
    public static GrokFormat fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        String expression = property(properties, INPUT_FORMAT);
        if (expression == null || expression.isEmpty()) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "The grok format needs the SerDe property '%s'".formatted(INPUT_FORMAT));
        }
        GrokPatterns library = GrokPatterns.standard();
        String custom = property(properties, CUSTOM_PATTERNS);
        if (custom != null) {
            library = library.with(custom, CUSTOM_PATTERNS);
        }
        List<String> columns = TextFormat.tableColumns(properties);
        GrokPatterns.Compiled compiled = library.compile(expression, new HashSet<>(columns), INPUT_FORMAT);
        List<String> missing = columns.stream().filter(column -> !compiled.groups().containsKey(column)).toList();
        if (!missing.isEmpty()) {
            String names = String.join(", ", missing.stream().map(name -> "'" + name + "'").toList());
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "%s not captured in %s: name a capture after each column, as in %%{NOTSPACE:%s}"
                    .formatted(missing.size() == 1 ? "Column " + names + " is" : "Columns " + names + " are", INPUT_FORMAT, missing.getFirst()));
        }
        return new GrokFormat(compiled, columns, TimestampFormats.parse(properties.get(TimestampFormats.PROPERTY)));
    }

    /** A property by its name, or else by its name in lower case (metastores may fold keys). */
    private static String property(Map<String, String> properties, String name)
    {
        String value = properties.get(name);
        return value != null ? value : properties.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String displayName()
    {
        return "grok";
    }

    /** The regular expression the grok expression expanded to. */
    public String regex()
    {
        return compiled.regex();
    }

    @Override
    public LineDeserializer createDeserializer(List<ColumnHandle> columns, String path)
    {
        Set<String> known = Set.copyOf(tableColumns);
        int[][] groups = new int[columns.size()][];
        for (int i = 0; i < columns.size(); i++) {
            ColumnHandle column = columns.get(i);
            String name = column.name().toLowerCase(Locale.ROOT);
            if (!known.contains(name)) {
                throw new GlauxException(ErrorCode.COLUMN_NOT_FOUND, "Column '%s' is not one of the table's data columns (%s)"
                        .formatted(column.name(), String.join(", ", tableColumns)));
            }
            if (column.type() instanceof Type.Array || column.type() instanceof Type.MapType || column.type() instanceof Type.Row) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Column '%s' of %s is of type %s: grok columns must be scalar"
                        .formatted(column.name(), path, column.type().trinoName()));
            }
            groups[i] = compiled.groups().get(name);
        }
        return new RegexDeserializer(compiled.newMatcher(INPUT_FORMAT), false, timestampFormats, columns, groups);
    }
}
