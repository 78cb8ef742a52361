package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeComparability;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeFamily;
import org.apache.calcite.sql.type.AbstractSqlType;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Trino's types that Calcite has no type for: {@code ipaddress}, {@code ipprefix} and {@code json}. Each
 * is its own type family, so Calcite compares and unions a value only with values of the same type,
 * and casts decide by the engine's CAST (see {@link GlauxValidator}). json's family is Calcite's
 * VARIANT family, the one Calcite lets cast to and from arrays, maps and rows (no other Glaux type is
 * in it). The SQL type name underneath is
 * {@code VARIANT}, which Calcite never folds a literal into (a CAST of a text to one of these stays a
 * CAST, evaluated by the engine); Glaux has no VARIANT type of its own.
 */
public final class TrinoSqlType
        extends AbstractSqlType
{
    /** The types by Trino name. */
    private static final Map<String, Type> TYPES = Map.of("ipaddress", Type.IPADDRESS, "ipprefix", Type.IPPREFIX, "json", Type.JSON);
    private static final Map<Type, RelDataTypeFamily> FAMILIES = Map.of(
            Type.IPADDRESS, new Family("ipaddress"), Type.IPPREFIX, new Family("ipprefix"), Type.JSON, SqlTypeFamily.VARIANT);

    private final Type type;

    private TrinoSqlType(Type type, boolean nullable)
    {
        super(SqlTypeName.VARIANT, nullable, null);
        this.type = requireNonNull(type, "type is null");
        computeDigest();
    }

    /** The Glaux type of a Trino type name ({@code ipaddress}, any case), if it is one of these. */
    public static Optional<Type> named(String name)
    {
        return Optional.ofNullable(TYPES.get(name.toLowerCase(Locale.ROOT)));
    }

    public static boolean isTrinoType(Type type)
    {
        return FAMILIES.containsKey(type);
    }

    /** The Calcite type of {@code type} (one of {@link #isTrinoType}), nullable. */
    public static RelDataType of(RelDataTypeFactory factory, Type type)
    {
        return factory.createTypeWithNullability(new TrinoSqlType(type, true), true);
    }

    RelDataType withNullability(boolean nullable)
    {
        return nullable == isNullable ? this : new TrinoSqlType(type, nullable);
    }

    public Type type()
    {
        return type;
    }

    @Override
    public RelDataTypeFamily getFamily()
    {
        return FAMILIES.get(type);
    }

    @Override
    public RelDataTypeComparability getComparability()
    {
        // as Trino: json has equality but no order (json < json is TYPE_MISMATCH)
        return type.equals(Type.JSON) ? RelDataTypeComparability.UNORDERED : RelDataTypeComparability.ALL;
    }

    @Override
    protected void generateTypeString(StringBuilder sb, boolean withDetail)
    {
        sb.append(type.trinoName().toUpperCase(Locale.ROOT));
    }

    /** Whether {@code types} (NULLs aside) are all this one type. */
    static Optional<TrinoSqlType> common(List<RelDataType> types)
    {
        TrinoSqlType common = null;
        for (RelDataType type : types) {
            if (type.getSqlTypeName() == SqlTypeName.NULL) {
                continue;
            }
            if (!(type instanceof TrinoSqlType trino) || (common != null && !common.type.equals(trino.type))) {
                return Optional.empty();
            }
            common = trino;
        }
        return Optional.ofNullable(common);
    }

    private record Family(String name)
            implements RelDataTypeFamily
    {
    }
}
