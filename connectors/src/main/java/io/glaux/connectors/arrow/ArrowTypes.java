package io.glaux.connectors.arrow;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.format.ColumnHandle;
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
 * The Arrow representation of each engine {@link Type}, as fixed in the {@code Type} javadoc:
 * boolean → Bool, tinyint..bigint → Int(8..64, signed), real/double → FloatingPoint, varchar → Utf8,
 * varbinary → Binary, date → Date(DAY), timestamp(p) → Timestamp(MICROSECOND, no zone),
 * decimal(p, s) → Decimal(p, s, 128), array → List, map → Map, row → Struct.
 */
public final class ArrowTypes
{
    /** The child name of list vectors (Arrow's C++/Python convention). */
    public static final String LIST_ELEMENT_NAME = "item";
    public static final String MAP_ENTRIES_NAME = "entries";
    public static final String MAP_KEY_NAME = "key";
    public static final String MAP_VALUE_NAME = "value";

    private ArrowTypes() {}

    /** A nullable field named {@code name} of the Arrow type of {@code type}. */
    public static Field toArrowField(String name, Type type)
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        return field(name, type, true);
    }

    /** A schema with one nullable field per name and type. */
    public static Schema toArrowSchema(List<String> names, List<Type> types)
    {
        if (names.size() != types.size()) {
            throw new IllegalArgumentException("names and types differ in size");
        }
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            fields.add(toArrowField(names.get(i), types.get(i)));
        }
        return new Schema(fields);
    }

    /** The schema of the batches a scan of {@code columns} produces, in order. */
    public static Schema toArrowSchema(List<ColumnHandle> columns)
    {
        List<Field> fields = new ArrayList<>(columns.size());
        for (ColumnHandle column : columns) {
            fields.add(toArrowField(column.name(), column.type()));
        }
        return new Schema(fields);
    }

    private static Field field(String name, Type type, boolean nullable)
    {
        return switch (type) {
            case Type.Array array -> new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null),
                    List.of(field(LIST_ELEMENT_NAME, array.element(), true)));
            case Type.MapType map -> {
                Field entries = new Field(MAP_ENTRIES_NAME, FieldType.notNullable(ArrowType.Struct.INSTANCE),
                        List.of(field(MAP_KEY_NAME, map.key(), false), field(MAP_VALUE_NAME, map.value(), true)));
                yield new Field(name, new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
            }
            case Type.Row row -> {
                List<Field> children = new ArrayList<>(row.fields().size());
                for (Type.Field child : row.fields()) {
                    children.add(field(child.name(), child.type(), true));
                }
                yield new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null), children);
            }
            default -> new Field(name, new FieldType(nullable, toArrowType(type), null), null);
        };
    }

    /** The Arrow type of a scalar type; array, map and row need {@link #toArrowField} (they have children). */
    public static ArrowType toArrowType(Type type)
    {
        requireNonNull(type, "type is null");
        return switch (type) {
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> ArrowType.Bool.INSTANCE;
                case TINYINT -> new ArrowType.Int(8, true);
                case SMALLINT -> new ArrowType.Int(16, true);
                case INTEGER -> new ArrowType.Int(32, true);
                case BIGINT -> new ArrowType.Int(64, true);
                // Trino's representations: milliseconds and months
                case INTERVAL_DAY_TO_SECOND -> new ArrowType.Int(64, true);
                case INTERVAL_YEAR_TO_MONTH -> new ArrowType.Int(32, true);
                case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
                case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case VARBINARY, UUID -> ArrowType.Binary.INSTANCE;
                case IPADDRESS, IPPREFIX -> ArrowType.Binary.INSTANCE;
                case JSON -> ArrowType.Utf8.INSTANCE;
                case DATE -> new ArrowType.Date(DateUnit.DAY);
            };
            case Type.Varchar _ -> ArrowType.Utf8.INSTANCE;
            case Type.Timestamp _ -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case Type.Time _ -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
            // packed epoch millis and zone key (see the engine's TimeZones)
            case Type.TimestampWithTimeZone _ -> new ArrowType.Int(64, true);
            case Type.Decimal decimal -> new ArrowType.Decimal(decimal.precision(), decimal.scale(), 128);
            case Type.Array _ -> ArrowType.List.INSTANCE;
            case Type.MapType _ -> new ArrowType.Map(false);
            case Type.Row _ -> ArrowType.Struct.INSTANCE;
        };
    }
}
