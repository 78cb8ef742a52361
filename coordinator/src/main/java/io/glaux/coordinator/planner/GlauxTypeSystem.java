package io.glaux.coordinator.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/** Trino's typing rules where they differ from Calcite's defaults. */
public final class GlauxTypeSystem
        extends RelDataTypeSystemImpl
{
    public static final GlauxTypeSystem INSTANCE = new GlauxTypeSystem();

    private GlauxTypeSystem() {}

    @Override
    public int getMaxPrecision(SqlTypeName typeName)
    {
        return switch (typeName) {
            case VARCHAR, VARBINARY, CHAR, BINARY -> Integer.MAX_VALUE;
            case TIME, TIMESTAMP, TIMESTAMP_TZ -> 3;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName)
    {
        return switch (typeName) {
            case VARCHAR, VARBINARY -> Integer.MAX_VALUE;
            // Trino: time and timestamp without a precision are time(3) and timestamp(3)
            case TIME, TIMESTAMP, TIMESTAMP_TZ -> 3;
            default -> super.getDefaultPrecision(typeName);
        };
    }

    /** sum(integer types) is bigint and sum(real/double) is double, as in Trino. */
    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType)
    {
        SqlTypeName name = argumentType.getSqlTypeName();
        RelDataType result = switch (name) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> typeFactory.createSqlType(SqlTypeName.BIGINT);
            case REAL, FLOAT, DOUBLE -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
            // Trino: sum(decimal(p, s)) is decimal(38, s)
            case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, 38, argumentType.getScale());
            default -> super.deriveSumType(typeFactory, argumentType);
        };
        return typeFactory.createTypeWithNullability(result, argumentType.isNullable());
    }

    /** avg of integer types is double, as in Trino. */
    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType)
    {
        SqlTypeName name = argumentType.getSqlTypeName();
        if (SqlTypeName.INT_TYPES.contains(name) || name == SqlTypeName.REAL || name == SqlTypeName.FLOAT || name == SqlTypeName.DOUBLE) {
            return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE), argumentType.isNullable());
        }
        return super.deriveAvgAggType(typeFactory, argumentType);
    }

    /** decimal + decimal: decimal(min(38, 1 + max(s1, s2) + max(p1 - s1, p2 - s2)), max(s1, s2)), as in Trino. */
    @Override
    public RelDataType deriveDecimalPlusType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2)
    {
        if (!decimalOperation(type1, type2)) {
            return null;
        }
        int p1 = precision(type1);
        int s1 = type1.getScale();
        int p2 = precision(type2);
        int s2 = type2.getScale();
        int scale = Math.max(s1, s2);
        return typeFactory.createSqlType(SqlTypeName.DECIMAL, Math.min(38, 1 + scale + Math.max(p1 - s1, p2 - s2)), scale);
    }

    /** decimal * decimal: decimal(min(38, p1 + p2), s1 + s2), as in Trino. */
    @Override
    public RelDataType deriveDecimalMultiplyType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2)
    {
        if (!decimalOperation(type1, type2)) {
            return null;
        }
        int scale = Math.min(38, type1.getScale() + type2.getScale());
        return typeFactory.createSqlType(SqlTypeName.DECIMAL, Math.max(scale, Math.min(38, precision(type1) + precision(type2))), scale);
    }

    /** decimal / decimal: decimal(min(38, p1 + s2 + max(0, s2 - s1)), max(s1, s2)), as in Trino ({@code 1.0 / 3} is 0.3). */
    @Override
    public RelDataType deriveDecimalDivideType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2)
    {
        if (!decimalOperation(type1, type2)) {
            return null;
        }
        int s1 = type1.getScale();
        int s2 = type2.getScale();
        int scale = Math.max(s1, s2);
        return typeFactory.createSqlType(SqlTypeName.DECIMAL, Math.max(scale, Math.min(38, precision(type1) + s2 + Math.max(0, s2 - s1))), scale);
    }

    /** decimal % decimal: decimal(min(p2 - s2, p1 - s1) + max(s1, s2), max(s1, s2)), as in Trino. */
    @Override
    public RelDataType deriveDecimalModType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2)
    {
        if (!decimalOperation(type1, type2)) {
            return null;
        }
        int s1 = type1.getScale();
        int s2 = type2.getScale();
        int scale = Math.max(s1, s2);
        return typeFactory.createSqlType(SqlTypeName.DECIMAL, Math.min(38, Math.min(precision(type2) - s2, precision(type1) - s1) + scale), scale);
    }

    /** Both exact numbers, at least one a decimal. */
    private static boolean decimalOperation(RelDataType type1, RelDataType type2)
    {
        return SqlTypeUtil.isExactNumeric(type1) && SqlTypeUtil.isExactNumeric(type2) && (SqlTypeUtil.isDecimal(type1) || SqlTypeUtil.isDecimal(type2));
    }

    /** The decimal precision of an exact number (an integer type as Trino sees it: integer is decimal(10, 0)). */
    private static int precision(RelDataType type)
    {
        return switch (type.getSqlTypeName()) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            default -> type.getPrecision();
        };
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying()
    {
        return true;
    }
}
