package io.glaux.engine.expr;

import io.glaux.spi.type.Type;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's SQL type → Arrow type mapping, as fixed by {@link Type}'s documentation. Every field is
 * nullable. (Engine-private for now; to be unified with the connectors' mapping.)
 */
public final class ArrowTypeMapping
{
    private ArrowTypeMapping() {}

    public static ArrowType toArrowType(Type type)
    {
        return switch (type) {
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> ArrowType.Bool.INSTANCE;
                case TINYINT -> new ArrowType.Int(8, true);
                case SMALLINT -> new ArrowType.Int(16, true);
                case INTEGER -> new ArrowType.Int(32, true);
                case BIGINT -> new ArrowType.Int(64, true);
                case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
                case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case VARBINARY -> ArrowType.Binary.INSTANCE;
                case DATE -> new ArrowType.Date(DateUnit.DAY);
            };
            case Type.Timestamp _ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case Type.Varchar _ -> ArrowType.Utf8.INSTANCE;
            case Type.Decimal decimal -> new ArrowType.Decimal(decimal.precision(), decimal.scale(), 128);
            case Type.Array _ -> ArrowType.List.INSTANCE;
            case Type.MapType _ -> new ArrowType.Map(false);
            case Type.Row _ -> ArrowType.Struct.INSTANCE;
        };
    }

    public static Field toField(String name, Type type)
    {
        List<Field> children = switch (type) {
            case Type.Array array -> List.of(toField("element", array.element()));
            case Type.MapType map -> List.of(new Field(
                    "entries",
                    FieldType.notNullable(ArrowType.Struct.INSTANCE),
                    List.of(
                            new Field("key", FieldType.notNullable(toArrowType(map.key())), childrenOf(map.key())),
                            toField("value", map.value()))));
            case Type.Row row -> {
                List<Field> fields = new ArrayList<>();
                for (Type.Field field : row.fields()) {
                    fields.add(toField(field.name(), field.type()));
                }
                yield fields;
            }
            default -> List.of();
        };
        return new Field(name, FieldType.nullable(toArrowType(type)), children);
    }

    private static List<Field> childrenOf(Type type)
    {
        return toField("x", type).getChildren();
    }

    /** A schema with one nullable field per type. */
    public static Schema toSchema(List<String> names, List<Type> types)
    {
        if (names.size() != types.size()) {
            throw new IllegalArgumentException("names and types differ in size");
        }
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            fields.add(toField(names.get(i), types.get(i)));
        }
        return new Schema(fields);
    }
}
