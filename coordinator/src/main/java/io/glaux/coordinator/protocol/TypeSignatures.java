package io.glaux.coordinator.protocol;

import io.glaux.coordinator.planner.TypeMapping;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code typeSignature} JSON of Trino's protocol, which the JDBC driver uses to decode values. */
final class TypeSignatures
{
    private TypeSignatures() {}

    static Map<String, Object> of(RelDataType type)
    {
        String name = TypeMapping.trinoName(type);
        int paren = name.indexOf('(');
        String raw = paren < 0 ? name : name.substring(0, paren);
        if (raw.endsWith(" with time zone")) {
            raw = raw.substring(0, raw.length() - " with time zone".length());
        }
        List<Map<String, Object>> arguments = new ArrayList<>();
        if (type instanceof io.glaux.coordinator.planner.TrinoSqlType trino && trino.type().equals(io.glaux.spi.type.Type.IPPREFIX)) {
            // Trino has no ipprefix type: its clients decode a type they do not know as base64 binary, so
            // an ipprefix value travels as its text, in a varchar signature (the column's type name stays ipprefix)
            raw = "varchar";
            arguments.add(longArgument(Integer.MAX_VALUE));
        }
        switch (type.getSqlTypeName()) {
            case CHAR, VARCHAR -> arguments.add(longArgument(type.getPrecision() <= 0 ? Integer.MAX_VALUE : type.getPrecision()));
            case TIMESTAMP -> arguments.add(longArgument(type.getPrecision() < 0 ? 3 : type.getPrecision()));
            case TIME -> arguments.add(longArgument(Math.max(type.getPrecision(), 0)));
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> {
                raw = "timestamp with time zone";
                arguments.add(longArgument(type.getPrecision() < 0 ? 3 : type.getPrecision()));
            }
            case DECIMAL -> {
                arguments.add(longArgument(type.getPrecision()));
                arguments.add(longArgument(type.getScale()));
            }
            case ARRAY -> arguments.add(typeArgument(type.getComponentType()));
            case MAP -> {
                arguments.add(typeArgument(type.getKeyType()));
                arguments.add(typeArgument(type.getValueType()));
            }
            case ROW -> {
                for (RelDataTypeField field : type.getFieldList()) {
                    Map<String, Object> named = new LinkedHashMap<>();
                    named.put("fieldName", Map.of("name", field.getName()));
                    named.put("typeSignature", of(field.getType()));
                    arguments.add(Map.of("kind", "NAMED_TYPE", "value", named));
                }
            }
            default -> { }
        }
        Map<String, Object> signature = new LinkedHashMap<>();
        signature.put("rawType", raw);
        signature.put("arguments", arguments);
        return signature;
    }

    private static Map<String, Object> longArgument(long value)
    {
        return Map.of("kind", "LONG", "value", value);
    }

    private static Map<String, Object> typeArgument(RelDataType type)
    {
        return Map.of("kind", "TYPE", "value", of(type));
    }
}
