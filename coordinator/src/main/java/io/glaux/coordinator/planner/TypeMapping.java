package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;



import java.util.ArrayList;
import java.util.List;

/** Glaux (Trino) types ↔ Calcite types. */
public final class TypeMapping
{
    private static final SqlIntervalQualifier DAY_TO_SECOND = new SqlIntervalQualifier(TimeUnit.DAY, TimeUnit.SECOND, SqlParserPos.ZERO);
    private static final SqlIntervalQualifier YEAR_TO_MONTH = new SqlIntervalQualifier(TimeUnit.YEAR, TimeUnit.MONTH, SqlParserPos.ZERO);

    private TypeMapping() {}

    public static RelDataType toRelType(RelDataTypeFactory factory, Type type)
    {
        RelDataType relType = switch (type) {
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
                case TINYINT -> factory.createSqlType(SqlTypeName.TINYINT);
                case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
                case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
                case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
                case REAL -> factory.createSqlType(SqlTypeName.REAL);
                case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
                case VARBINARY -> factory.createSqlType(SqlTypeName.VARBINARY);
                case UUID -> factory.createSqlType(SqlTypeName.UUID);
                case IPADDRESS, IPPREFIX, JSON -> TrinoSqlType.of(factory, type);
                case DATE -> factory.createSqlType(SqlTypeName.DATE);
                case INTERVAL_DAY_TO_SECOND -> factory.createSqlIntervalType(DAY_TO_SECOND);
                case INTERVAL_YEAR_TO_MONTH -> factory.createSqlIntervalType(YEAR_TO_MONTH);
            };
            case Type.Time time -> factory.createSqlType(SqlTypeName.TIME, Math.min(time.precision(), 3));
            case Type.Varchar varchar -> factory.createSqlType(SqlTypeName.VARCHAR, varchar.length());
            case Type.Timestamp timestamp -> factory.createSqlType(SqlTypeName.TIMESTAMP, Math.min(timestamp.precision(), 3));
            case Type.TimestampWithTimeZone timestamp -> factory.createSqlType(SqlTypeName.TIMESTAMP_TZ, Math.min(timestamp.precision(), 3));
            case Type.Decimal decimal -> factory.createSqlType(SqlTypeName.DECIMAL, decimal.precision(), decimal.scale());
            case Type.Array array -> factory.createArrayType(toRelType(factory, array.element()), -1);
            case Type.MapType map -> factory.createMapType(toRelType(factory, map.key()), toRelType(factory, map.value()));
            case Type.Row row -> {
                List<String> names = new ArrayList<>();
                List<RelDataType> types = new ArrayList<>();
                for (Type.Field field : row.fields()) {
                    names.add(field.name());
                    types.add(toRelType(factory, field.type()));
                }
                yield factory.createStructType(types, names);
            }
        };
        return factory.createTypeWithNullability(relType, true);
    }

    /** The Glaux type of a Calcite type, for expressions pushed to workers. */
    public static Type fromRelType(RelDataType type)
    {
        if (type instanceof TrinoSqlType trino) {
            return trino.type();
        }
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> Type.BOOLEAN;
            case TINYINT -> Type.TINYINT;
            case SMALLINT -> Type.SMALLINT;
            case INTEGER -> Type.INTEGER;
            case BIGINT -> Type.BIGINT;
            case REAL -> Type.REAL;
            case FLOAT, DOUBLE -> Type.DOUBLE;
            case CHAR, VARCHAR -> type.getPrecision() >= Integer.MAX_VALUE || type.getPrecision() <= 0 ? Type.VARCHAR : new Type.Varchar(type.getPrecision());
            case BINARY, VARBINARY -> Type.VARBINARY;
            case UUID -> Type.UUID;
            case DATE -> Type.DATE;
            case TIME -> new Type.Time(type.getPrecision() < 0 ? 3 : type.getPrecision());
            case TIMESTAMP -> new Type.Timestamp(type.getPrecision() < 0 ? 3 : type.getPrecision());
            case TIMESTAMP_TZ -> new Type.TimestampWithTimeZone(type.getPrecision() < 0 ? 3 : type.getPrecision());
            case DECIMAL -> new Type.Decimal(type.getPrecision(), type.getScale());
            case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE,
                 INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND -> Type.INTERVAL_DAY_TO_SECOND;
            case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH -> Type.INTERVAL_YEAR_TO_MONTH;
            // array(unknown), ARRAY[] or ARRAY[NULL]: the engine holds no unknown values, so its elements are boolean (as Trino stores unknown)
            case ARRAY -> new Type.Array(type.getComponentType().getSqlTypeName() == SqlTypeName.NULL ? Type.BOOLEAN : fromRelType(type.getComponentType()));
            case MAP -> new Type.MapType(fromRelType(type.getKeyType()), fromRelType(type.getValueType()));
            case ROW -> {
                List<Type.Field> fields = new ArrayList<>();
                for (RelDataTypeField field : type.getFieldList()) {
                    fields.add(new Type.Field(field.getName(), fromRelType(field.getType())));
                }
                yield new Type.Row(fields);
            }
            default -> throw new GlauxException(ErrorCode.NOT_SUPPORTED, "Type not supported: " + type.getFullTypeString());
        };
    }

    /** The Trino type name shown to clients (e.g. {@code varchar}, {@code varchar(3)}, {@code timestamp(3)}). */
    public static String trinoName(RelDataType type)
    {
        if (type instanceof TrinoSqlType trino) {
            return trino.type().trinoName();
        }
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> "boolean";
            case TINYINT -> "tinyint";
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case REAL -> "real";
            case FLOAT, DOUBLE -> "double";
            case CHAR, VARCHAR -> type.getPrecision() >= Integer.MAX_VALUE || type.getPrecision() <= 0 ? "varchar" : "varchar(" + type.getPrecision() + ")";
            case BINARY, VARBINARY -> "varbinary";
            case UUID -> "uuid";
            case DATE -> "date";
            case TIME -> "time(" + Math.max(type.getPrecision(), 0) + ")";
            case TIMESTAMP -> "timestamp(" + (type.getPrecision() < 0 ? 3 : type.getPrecision()) + ")";
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> "timestamp(" + (type.getPrecision() < 0 ? 3 : type.getPrecision()) + ") with time zone";
            case DECIMAL -> "decimal(" + type.getPrecision() + "," + type.getScale() + ")";
            case ARRAY -> "array(" + trinoName(type.getComponentType()) + ")";
            case MAP -> "map(" + trinoName(type.getKeyType()) + ", " + trinoName(type.getValueType()) + ")";
            case ROW -> {
                StringBuilder sb = new StringBuilder("row(");
                for (RelDataTypeField field : type.getFieldList()) {
                    sb.append(field.getIndex() == 0 ? "" : ", ").append(field.getName()).append(' ').append(trinoName(field.getType()));
                }
                yield sb.append(')').toString();
            }
            case NULL -> "unknown";
            case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE,
                 INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND -> "interval day to second";
            case INTERVAL_YEAR, INTERVAL_YEAR_MONTH, INTERVAL_MONTH -> "interval year to month";
            default -> "varchar";
        };
    }
}
