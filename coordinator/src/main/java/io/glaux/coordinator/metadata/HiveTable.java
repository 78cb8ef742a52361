package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.TableFormats;
import io.glaux.coordinator.planner.GlauxTableScan;
import io.glaux.coordinator.planner.TypeMapping;
import io.glaux.spi.type.Type;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A metastore table as Calcite sees it: data columns, partition columns, then the hidden columns
 * {@code "$path"}, {@code "$file_size"} and {@code "$file_modified_time"}; scanned by {@link GlauxTableScan}.
 */
public final class HiveTable
        extends AbstractTable
        implements TranslatableTable
{
    public static final String PATH = "$path";
    public static final String FILE_SIZE = "$file_size";
    public static final String FILE_MODIFIED_TIME = "$file_modified_time";

    private final String catalogName;
    private final Table table;
    private final List<ColumnHandle> columns;
    private final TableFormats.TableFormat format;
    private final TableStatistics statistics;
    /** The row count, once asked for (null until then): a plan without a join never asks. */
    private OptionalDouble rowCount;
    /** The columns' statistics, once asked for (null until then): only a join's keys and a filter's columns ask. */
    private Map<String, ColumnStatistics> columnStatistics;

    /** @throws io.glaux.spi.error.GlauxException NOT_SUPPORTED when Glaux cannot read the table's SerDe */
    public HiveTable(String catalogName, Table table)
    {
        this(catalogName, table, TableStatistics.METASTORE_ONLY);
    }

    /** With its row count from {@code statistics}, computed when the planner first asks. */
    public HiveTable(String catalogName, Table table, TableStatistics statistics)
    {
        this.statistics = requireNonNull(statistics, "statistics is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.table = requireNonNull(table, "table is null");
        StorageFormat storage = table.storage();
        this.format = TableFormats.resolve(storage.serde(), storage.inputFormat(), storage.serdeParameters(), table.parameters(),
                table.dataColumns().stream().map(Column::name).toList());
        List<ColumnHandle> handles = new ArrayList<>();
        for (Column column : table.dataColumns()) {
            handles.add(new ColumnHandle(column.name(), column.type(), ColumnHandle.Kind.REGULAR));
        }
        for (Column column : table.partitionColumns()) {
            handles.add(new ColumnHandle(column.name(), column.type(), ColumnHandle.Kind.PARTITION));
        }
        // hidden: selectable by name, not part of SELECT * (see GlauxValidator)
        handles.add(new ColumnHandle(PATH, Type.VARCHAR, ColumnHandle.Kind.HIDDEN));
        handles.add(new ColumnHandle(FILE_SIZE, Type.BIGINT, ColumnHandle.Kind.HIDDEN));
        handles.add(new ColumnHandle(FILE_MODIFIED_TIME, Type.TIMESTAMP, ColumnHandle.Kind.HIDDEN));
        this.columns = List.copyOf(handles);
    }

    public Table table()
    {
        return table;
    }

    public List<ColumnHandle> columns()
    {
        return columns;
    }

    /** How workers read the table's objects: {@code parquet}, {@code text}, {@code csv}, {@code json}, {@code regex}, with its properties. */
    public TableFormats.TableFormat format()
    {
        return format;
    }

    public String qualifiedName()
    {
        return catalogName + "." + table.schemaName() + "." + table.tableName();
    }

    /** The table's rows as {@link TableStatistics} estimates them (the first call may list the table's objects); empty when unknown. */
    public synchronized OptionalDouble rowCount()
    {
        if (rowCount == null) {
            rowCount = statistics.rowCount(table, format, columns);
        }
        return rowCount;
    }

    /** What is known of {@code column}'s values ({@link TableStatistics#columnStatistics}; the first call may read the table's footers). */
    public ColumnStatistics columnStatistics(String column)
    {
        Map<String, ColumnStatistics> all;
        synchronized (this) {
            if (columnStatistics == null) {
                columnStatistics = statistics.columnStatistics(table, format, columns);
            }
            all = columnStatistics;
        }
        return all.getOrDefault(column, ColumnStatistics.UNKNOWN);
    }

    /** The row count for Calcite's estimates, asked lazily: only plans that need it (joins) pay for it. */
    @Override
    public Statistic getStatistic()
    {
        return new Statistic()
        {
            @Override
            public Double getRowCount()
            {
                OptionalDouble rows = rowCount();
                return rows.isPresent() ? rows.getAsDouble() : null;
            }
        };
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory)
    {
        RelDataTypeFactory.Builder builder = typeFactory.builder();
        for (ColumnHandle column : columns) {
            builder.add(column.name(), TypeMapping.toRelType(typeFactory, column.type()));
        }
        return builder.build();
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable)
    {
        return GlauxTableScan.create(context.getCluster(), relOptTable, this);
    }
}
