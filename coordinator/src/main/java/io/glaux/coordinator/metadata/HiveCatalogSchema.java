package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.coordinator.planner.TypeMapping;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.TypeParser;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.ViewTable;
import org.apache.calcite.schema.lookup.Lookup;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code hive} catalog: one Calcite sub-schema per metastore database, tables loaded on demand.
 * Views stored the way Trino stores them ({@link TrinoView}), and simple views Hive or Spark created
 * ({@link HiveView}), are Calcite views, expanded by the planner.
 */
public final class HiveCatalogSchema
        extends AbstractSchema
{
    private final String catalogName;
    private final Catalog catalog;
    private final Optional<Schema> informationSchema;
    private final TableStatistics statistics;

    public HiveCatalogSchema(String catalogName, Catalog catalog)
    {
        this(catalogName, catalog, Optional.empty(), TableStatistics.METASTORE_ONLY);
    }

    /** With {@code informationSchema} as the catalog's {@code information_schema}. */
    public HiveCatalogSchema(String catalogName, Catalog catalog, Optional<Schema> informationSchema)
    {
        this(catalogName, catalog, informationSchema, TableStatistics.METASTORE_ONLY);
    }

    /**
     * With {@code informationSchema} as the catalog's {@code information_schema}, and the tables' row
     * counts from {@code statistics}.
     */
    public HiveCatalogSchema(String catalogName, Catalog catalog, Optional<Schema> informationSchema, TableStatistics statistics)
    {
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.informationSchema = requireNonNull(informationSchema, "informationSchema is null");
        this.statistics = requireNonNull(statistics, "statistics is null");
    }

    @Override
    public Lookup<? extends Schema> subSchemas()
    {
        return new LazyLookup<>(
                name -> {
                    if (name.equals(MetadataListing.INFORMATION_SCHEMA) && informationSchema.isPresent()) {
                        return informationSchema.get();
                    }
                    return catalog.getSchema(name).map(database -> (Schema) new DatabaseSchema(database.name())).orElse(null);
                },
                () -> {
                    Set<String> names = new TreeSet<>(catalog.listSchemas());
                    informationSchema.ifPresent(ignored -> names.add(MetadataListing.INFORMATION_SCHEMA));
                    return names;
                });
    }

    private final class DatabaseSchema
            extends AbstractSchema
    {
        private final String schemaName;

        DatabaseSchema(String schemaName)
        {
            this.schemaName = schemaName;
        }

        @Override
        public Lookup<Table> tables()
        {
            return new LazyLookup<>(
                    name -> catalog.getTable(schemaName, name).map(this::toCalcite).orElse(null),
                    () -> Set.copyOf(catalog.listTables(schemaName)));
        }

        private Table toCalcite(io.glaux.catalog.model.Table table)
        {
            if (table.tableType() != io.glaux.catalog.model.TableType.VIRTUAL_VIEW) {
                return new HiveTable(catalogName, table, statistics);
            }
            String qualified = catalogName + "." + table.schemaName() + "." + table.tableName();
            List<String> viewPath = List.of(catalogName, table.schemaName(), table.tableName());
            Optional<TrinoView> trinoView = TrinoView.of(table);
            if (trinoView.isEmpty()) {
                String hiveQl = table.viewExpandedText().or(table::viewOriginalText).orElseThrow(() -> new GlauxException(ErrorCode.NOT_SUPPORTED,
                        "View " + qualified + " has no query text"));
                return new ViewTable(Object[].class, rowType(table.dataColumns()), HiveView.toGlauxSql(qualified, hiveQl),
                        List.of(catalogName, table.schemaName()), viewPath);
            }
            TrinoView view = trinoView.get();
            List<Column> columns = view.columns().stream().map(column -> new Column(column.name(), TypeParser.parse(column.type()))).toList();
            return new ViewTable(Object[].class, rowType(columns), view.originalSql(),
                    List.of(view.catalog() == null ? catalogName : view.catalog(), view.schema() == null ? table.schemaName() : view.schema()),
                    viewPath);
        }

        private static RelProtoDataType rowType(List<Column> columns)
        {
            return typeFactory -> {
                RelDataTypeFactory.Builder builder = typeFactory.builder();
                for (Column column : columns) {
                    builder.add(column.name(), TypeMapping.toRelType(typeFactory, column.type()));
                }
                return builder.build();
            };
        }
    }
}
