package io.glaux.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.glaux.cli.protocol.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The part of a column's type signature output needs: the raw type name ({@code bigint},
 * {@code array}, {@code row}, ...), its type arguments and, for {@code row}, the field names (empty for
 * anonymous fields). Literal arguments such as {@code varchar(10)}'s length are dropped.
 */
public record ColumnType(String rawType, List<ColumnType> arguments, List<String> fieldNames)
{
    private static final Set<String> NUMERIC = Set.of("tinyint", "smallint", "integer", "int", "bigint", "real", "double", "decimal");
    private static final ColumnType UNKNOWN = new ColumnType("unknown", List.of(), List.of());

    public ColumnType
    {
        requireNonNull(rawType, "rawType is null");
        arguments = List.copyOf(arguments);
        fieldNames = List.copyOf(fieldNames);
    }

    /** The type of {@code column}, from its type signature, or else from the leading word of its type text. */
    public static ColumnType of(Column column)
    {
        if (column.typeSignature() != null && column.typeSignature().hasNonNull("rawType")) {
            return parse(column.typeSignature());
        }
        String type = column.type() == null ? "unknown" : column.type().strip();
        int paren = type.indexOf('(');
        return new ColumnType((paren < 0 ? type : type.substring(0, paren)).strip().toLowerCase(Locale.ROOT), List.of(), List.of());
    }

    static ColumnType parse(JsonNode signature)
    {
        if (signature == null || !signature.hasNonNull("rawType")) {
            return UNKNOWN;
        }
        List<ColumnType> arguments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode argument : signature.path("arguments")) {
            String kind = argument.path("kind").asText("");
            JsonNode value = argument.path("value");
            switch (kind) {
                case "TYPE", "TYPE_SIGNATURE" -> {
                    arguments.add(parse(value));
                    names.add("");
                }
                case "NAMED_TYPE", "NAMED_TYPE_SIGNATURE" -> {
                    arguments.add(parse(value.path("typeSignature")));
                    JsonNode fieldName = value.path("fieldName");
                    names.add(fieldName.isObject() ? fieldName.path("name").asText("") : fieldName.asText(""));
                }
                default -> {
                    // LONG / LONG_LITERAL / VARIABLE: precision, length and the like.
                }
            }
        }
        return new ColumnType(signature.get("rawType").asText().toLowerCase(Locale.ROOT), arguments, names);
    }

    /** Numbers are right-aligned in tables. */
    public boolean isNumeric()
    {
        return NUMERIC.contains(rawType);
    }

    public ColumnType argument(int index)
    {
        return index < arguments.size() ? arguments.get(index) : UNKNOWN;
    }

    /** The name of a row type's field {@code index}: its declared name, or {@code field<index>}. */
    public String fieldName(int index)
    {
        String name = index < fieldNames.size() ? fieldNames.get(index) : "";
        return name.isEmpty() ? "field" + index : name;
    }
}
