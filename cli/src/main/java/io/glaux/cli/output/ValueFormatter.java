package io.glaux.cli.output;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns protocol JSON values into text (tables, CSV, TSV) or into JSON-ready structures, guided by the
 * column type: arrays {@code [1, 2]}, maps {@code {k=v}}, rows {@code {name=value}}, varbinary (base64 on
 * the wire) as hex bytes, everything else as the server sent it.
 */
public final class ValueFormatter
{
    private static final String NESTED_NULL = "NULL";
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private ValueFormatter() {}

    /** {@code value} as text; a top-level SQL NULL becomes {@code nullText}. */
    public static String format(Object value, ColumnType type, String nullText)
    {
        if (value == null) {
            return nullText;
        }
        StringBuilder text = new StringBuilder();
        append(text, value, type);
        return text.toString();
    }

    private static void append(StringBuilder text, Object value, ColumnType type)
    {
        switch (value) {
            case null -> text.append(NESTED_NULL);
            case String string when type.rawType().equals("varbinary") -> text.append(hex(string));
            case List<?> list when type.rawType().equals("row") -> {
                text.append('{');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        text.append(", ");
                    }
                    text.append(type.fieldName(i)).append('=');
                    append(text, list.get(i), type.argument(i));
                }
                text.append('}');
            }
            case List<?> list -> {
                text.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        text.append(", ");
                    }
                    append(text, list.get(i), type.argument(0));
                }
                text.append(']');
            }
            case Map<?, ?> map -> {
                text.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        text.append(", ");
                    }
                    first = false;
                    append(text, entry.getKey(), type.argument(0));
                    text.append('=');
                    append(text, entry.getValue(), type.argument(1));
                }
                text.append('}');
            }
            default -> text.append(value);
        }
    }

    /**
     * {@code value} as a JSON-ready structure: rows become objects keyed by field name, other values stay
     * as the protocol sent them (varbinary stays base64).
     */
    public static Object toJson(Object value, ColumnType type)
    {
        return switch (value) {
            case null -> null;
            case List<?> list when type.rawType().equals("row") -> {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    row.put(type.fieldName(i), toJson(list.get(i), type.argument(i)));
                }
                yield row;
            }
            case List<?> list -> list.stream().map(element -> toJson(element, type.argument(0))).toList();
            case Map<?, ?> map -> {
                Map<Object, Object> result = new LinkedHashMap<>();
                map.forEach((key, element) -> result.put(key, toJson(element, type.argument(1))));
                yield result;
            }
            default -> value;
        };
    }

    private static String hex(String base64)
    {
        try {
            return HEX.formatHex(Base64.getDecoder().decode(base64));
        }
        catch (IllegalArgumentException e) {
            return base64;
        }
    }
}
