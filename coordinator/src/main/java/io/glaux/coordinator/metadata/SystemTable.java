package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** A small metadata table computed on the coordinator when scanned (system.jdbc.*). */
final class SystemTable
        extends AbstractTable
        implements ScannableTable
{
    record ColumnDef(String name, SqlTypeName type) {}

    private final List<ColumnDef> columns;
    private final Function<String, List<Object[]>> rows;

    SystemTable(List<ColumnDef> columns, Supplier<List<Object[]>> rows)
    {
        this(columns, user -> rows.get());
    }

    /** {@code rows} computes the rows the querying user may see (access control filters them). */
    SystemTable(List<ColumnDef> columns, Function<String, List<Object[]>> rows)
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

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory)
    {
        RelDataTypeFactory.Builder builder = typeFactory.builder();
        for (ColumnDef column : columns) {
            RelDataType type = column.type() == SqlTypeName.VARCHAR
                    ? typeFactory.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE)
                    : typeFactory.createSqlType(column.type());
            builder.add(column.name(), typeFactory.createTypeWithNullability(type, true));
        }
        return builder.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root)
    {
        // the user the query runs as (GlauxDataContext answers "user"); nobody when there is none
        Object user = root.get(DataContext.Variable.USER.camelName);
        return Linq4j.asEnumerable(rows.apply(user == null ? "" : user.toString()));
    }
}
