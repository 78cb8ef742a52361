package io.glaux.coordinator.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

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
            case TIMESTAMP -> 3;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName)
    {
        return switch (typeName) {
            case VARCHAR, VARBINARY -> Integer.MAX_VALUE;
            case TIMESTAMP -> 3;
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

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying()
    {
        return true;
    }
}
