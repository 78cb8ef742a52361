package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.Projector;
import io.glaux.engine.expr.Selection;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one call of an engine registry function for Calcite's executor (constant folding at planning,
 * and the queries the engine cannot run yet), so that a function has one implementation: the engine's.
 * Values arrive and leave in Calcite's representation (date: Integer days, timestamp: Long millis,
 * varbinary: {@link ByteString}). Slow (a one-row batch per call): never on the engine's hot path.
 */
public final class EngineScalars
{
    private static final BufferAllocator ALLOCATOR = new RootAllocator();
    private static final List<Signature> SIGNATURES = new CopyOnWriteArrayList<>();
    private static final org.apache.calcite.rel.type.RelDataTypeFactory TYPE_FACTORY = new org.apache.calcite.jdbc.JavaTypeFactoryImpl();

    private record Signature(String name, List<Type> arguments, Type result, SqlTypeName calciteResult)
    {
        Signature
        {
            requireNonNull(name, "name is null");
            arguments = List.copyOf(arguments);
            requireNonNull(result, "result is null");
            requireNonNull(calciteResult, "calciteResult is null");
        }
    }

    private EngineScalars() {}

    /** The id generated code passes to {@link #call}. */
    static synchronized int signature(String name, List<Type> arguments, Type result, SqlTypeName calciteResult)
    {
        Signature signature = new Signature(name, arguments, result, calciteResult);
        int index = SIGNATURES.indexOf(signature);
        if (index >= 0) {
            return index;
        }
        SIGNATURES.add(signature);
        return SIGNATURES.size() - 1;
    }

    /** Calls signature {@code id} with non-NULL {@code values}; NULL or the value in Calcite's representation. */
    public static Object call(int id, Object[] values)
    {
        Signature signature = SIGNATURES.get(id);
        List<Expression> arguments = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Type type = signature.arguments().get(i);
            arguments.add(new Expression.Literal(toEngine(values[i], type), type));
        }
        Projector projector = Projector.compile(List.of(new Expression.FunctionCall(signature.name(), arguments, signature.result())), List.of());
        try (BufferAllocator allocator = ALLOCATOR.newChildAllocator("engine-scalar", 0, Long.MAX_VALUE);
                VectorSchemaRoot input = new VectorSchemaRoot(List.<FieldVector>of())) {
            input.setRowCount(1);
            try (VectorSchemaRoot output = projector.project(input, new Selection().selectAll(1), allocator)) {
                Object value = output.getVector(0).getObject(0);
                return signature.result() instanceof Type.Array || signature.result() instanceof Type.MapType || signature.result() instanceof Type.Row
                        ? toCalcite(value, signature.result()) : toCalcite(value, signature.calciteResult());
            }
        }
    }

    private static Object toEngine(Object value, Type type)
    {
        return switch (value) {
            case null -> null;
            case List<?> list when type instanceof Type.Array array -> list.stream().map(element -> toEngine(element, array.element())).toList();
            case Object[] fields when type instanceof Type.Row row -> {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < fields.length; i++) {
                    values.add(toEngine(fields[i], row.fields().get(i).type()));
                }
                yield values;
            }
            case java.util.Map<?, ?> map when type instanceof Type.MapType mapType -> {
                java.util.Map<Object, Object> values = new java.util.LinkedHashMap<>();
                map.forEach((k, v) -> values.put(toEngine(k, mapType.key()), toEngine(v, mapType.value())));
                yield values;
            }
            case ByteString bytes -> bytes.getBytes();
            case Integer days when type.equals(Type.DATE) -> (long) days;
            case Long millis when type instanceof Type.Timestamp -> Math.multiplyExact(millis, 1000L);
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            default -> value;
        };
    }

    /** An array, map or row value of an Arrow vector as Calcite holds it: List, Map, Object[]. */
    private static Object toCalcite(Object value, Type type)
    {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case Type.Array array -> ((List<?>) value).stream().map(element -> toCalcite(element, array.element())).collect(java.util.stream.Collectors.toList());
            case Type.MapType map -> {
                java.util.Map<Object, Object> entries = new java.util.LinkedHashMap<>();
                for (Object entry : (List<?>) value) {
                    java.util.Map<?, ?> pair = (java.util.Map<?, ?>) entry;
                    entries.put(toCalcite(pair.get("key"), map.key()), toCalcite(pair.get("value"), map.value()));
                }
                yield entries;
            }
            case Type.Row row -> {
                java.util.Map<?, ?> fields = (java.util.Map<?, ?>) value;
                Object[] values = new Object[row.fields().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = toCalcite(fields.get(row.fields().get(i).name()), row.fields().get(i).type());
                }
                yield values;
            }
            default -> toCalcite(value, TypeMapping.toRelType(TYPE_FACTORY, type).getSqlTypeName());
        };
    }

    private static Object toCalcite(Object value, SqlTypeName type)
    {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> value;
            case TINYINT -> ((Number) value).byteValue();
            case SMALLINT -> ((Number) value).shortValue();
            case INTEGER -> ((Number) value).intValue();
            case BIGINT -> ((Number) value).longValue();
            case REAL -> ((Number) value).floatValue();
            case FLOAT, DOUBLE -> ((Number) value).doubleValue();
            case DECIMAL -> value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
            case DATE -> value instanceof LocalDate d ? (int) d.toEpochDay() : ((Number) value).intValue();
            case TIMESTAMP -> value instanceof LocalDateTime t
                    ? t.toInstant(ZoneOffset.UTC).toEpochMilli()
                    : Math.floorDiv(((Number) value).longValue(), 1000L);
            case BINARY, VARBINARY -> new ByteString(value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8));
            default -> value.toString();
        };
    }
}
