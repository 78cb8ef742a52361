package io.glaux.coordinator.planner;

import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeMappingRule;
import org.apache.calcite.sql.type.SqlTypeName;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Calcite's type factory with Trino's string semantics: character types are Unicode (UTF-8), so a
 * literal such as {@code '東京'} or {@code 'Zürich'} is a varchar like any other. Calcite's default,
 * ISO-8859-1, refuses every character outside Latin-1 when it builds the literal. It also knows
 * Trino's types Calcite lacks ({@link TrinoSqlType}).
 */
public final class GlauxTypeFactory
        extends JavaTypeFactoryImpl
{
    public GlauxTypeFactory()
    {
        super(GlauxTypeSystem.INSTANCE);
    }

    @Override
    public Charset getDefaultCharset()
    {
        return StandardCharsets.UTF_8;
    }

    @Override
    public RelDataType createTypeWithNullability(RelDataType type, boolean nullable)
    {
        if (type instanceof TrinoSqlType trino) {
            return canonize(trino.withNullability(nullable));
        }
        return super.createTypeWithNullability(type, nullable);
    }

    @Override
    public RelDataType leastRestrictive(List<RelDataType> types)
    {
        return types.stream().anyMatch(type -> type instanceof TrinoSqlType) ? leastRestrictiveTrino(types) : super.leastRestrictive(types);
    }

    @Override
    public RelDataType leastRestrictive(List<RelDataType> types, SqlTypeMappingRule mappingRule)
    {
        return types.stream().anyMatch(type -> type instanceof TrinoSqlType) ? leastRestrictiveTrino(types) : super.leastRestrictive(types, mappingRule);
    }

    /** Values of one {@link TrinoSqlType} (and NULLs) unite into it; with values of any other type, into nothing (null). */
    private RelDataType leastRestrictiveTrino(List<RelDataType> types)
    {
        Optional<TrinoSqlType> common = TrinoSqlType.common(types);
        if (common.isEmpty()) {
            return null;
        }
        boolean nullable = types.stream().anyMatch(type -> type.isNullable() || type.getSqlTypeName() == SqlTypeName.NULL);
        return createTypeWithNullability(common.get(), nullable);
    }
}
