package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.type.Type;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

/**
 * A small metadata table computed on the coordinator when a query reads it (system.jdbc.*,
 * system.runtime.*, information_schema.*). The physical planner turns its scan into an engine leaf
 * filled with {@link #rows}, handing over the simple predicates of the query ({@link MetadataFilter})
 * so that a query naming one table does not list the whole metastore. Values use the engine's Java
 * representation: String for varchar, Long for bigint and timestamps (micros), Boolean for boolean.
 */
public final class SystemTable
        extends AbstractTable
{
    public record ColumnDef(String name, SqlTypeName type)
    {
        public ColumnDef
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }

        /** The column's Glaux (Trino) type. */
        public Type glauxType()
        {
            return switch (type) {
                case BIGINT -> Type.BIGINT;
                case INTEGER -> Type.INTEGER;
                case SMALLINT -> Type.SMALLINT;
                case BOOLEAN -> Type.BOOLEAN;
                case DOUBLE -> Type.DOUBLE;
                case TIMESTAMP -> Type.TIMESTAMP;
                default -> Type.VARCHAR;
            };
        }
    }

    /** Computes the rows of a metadata table for a user; rows may be a superset of what the filter admits. */
    @FunctionalInterface
    public interface RowSource
    {
        List<Object[]> rows(MetadataFilter filter, String user);
    }

    private final List<ColumnDef> columns;
    private final RowSource rows;

    SystemTable(List<ColumnDef> columns, RowSource rows)
    {
        this.columns = List.copyOf(columns);
        this.rows = requireNonNull(rows, "rows is null");
    }

    static List<ColumnDef> varchars(String... names)
    {
        List<ColumnDef> defs = new ArrayList<>();
        for (String name : names) {
            defs.add(new ColumnDef(name, SqlTypeName.VARCHAR));
        }
        return defs;
    }

    public List<ColumnDef> columns()
    {
        return columns;
    }

    /** The rows the user may see, at least those the filter admits (the caller still applies the query's predicates). */
    public List<Object[]> rows(MetadataFilter filter, String user)
    {
        return rows.rows(filter, user);
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory)
    {
        RelDataTypeFactory.Builder builder = typeFactory.builder();
        for (ColumnDef column : columns) {
            RelDataType type = switch (column.type()) {
                case VARCHAR -> typeFactory.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE);
                case TIMESTAMP -> typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3);
                default -> typeFactory.createSqlType(column.type());
            };
            builder.add(column.name(), typeFactory.createTypeWithNullability(type, true));
        }
        return builder.build();
    }
}
