package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.model.TableType;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The catalogs, schemas, tables and columns a user may see: the one listing behind
 * {@code information_schema}, {@code system.jdbc} and the SHOW statements. Filters use the keys
 * {@code catalog}, {@code schema} and {@code table}; an equality on a schema or table name is a
 * single metastore lookup instead of a listing. Access ({@link MetadataAccess}) is applied here.
 */
public final class MetadataListing
{
    public static final String INFORMATION_SCHEMA = "information_schema";

    public record TableEntry(String catalog, String schema, String table, boolean view)
    {
        public TableEntry
        {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
        }
    }

    public record ColumnEntry(String catalog, String schema, String table, String column, Type type, Optional<String> comment, long position)
    {
        public ColumnEntry
        {
            requireNonNull(column, "column is null");
            requireNonNull(type, "type is null");
            requireNonNull(comment, "comment is null");
        }
    }

    private final String hiveCatalogName;
    private final Catalog catalog;
    private final Supplier<Map<String, Map<String, SystemTable>>> systemTables;
    private volatile MetadataAccess access;

    MetadataListing(String hiveCatalogName, Catalog catalog, Supplier<Map<String, Map<String, SystemTable>>> systemTables, MetadataAccess access)
    {
        this.hiveCatalogName = requireNonNull(hiveCatalogName, "hiveCatalogName is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
        this.access = requireNonNull(access, "access is null");
    }

    /** Installs the rules of who sees what (by default everyone sees everything). */
    public void setAccess(MetadataAccess access)
    {
        this.access = requireNonNull(access, "access is null");
    }

    public String hiveCatalogName()
    {
        return hiveCatalogName;
    }

    public List<String> catalogs(String user, MetadataFilter filter)
    {
        return List.of(hiveCatalogName, SystemCatalogSchema.NAME).stream()
                .filter(name -> filter.test("catalog", name) && access.canSeeCatalog(user, name))
                .toList();
    }

    /** Schemas as (catalog, schema) pairs, in catalog then name order. */
    public List<String[]> schemas(String user, MetadataFilter filter)
    {
        List<String[]> result = new ArrayList<>();
        for (String catalogName : catalogs(user, filter)) {
            for (String schema : schemaNames(catalogName, filter)) {
                if (filter.test("schema", schema) && access.canSeeSchema(user, catalogName, schema)) {
                    result.add(new String[] {catalogName, schema});
                }
            }
        }
        return result;
    }

    private List<String> schemaNames(String catalogName, MetadataFilter filter)
    {
        TreeSet<String> names = new TreeSet<>();
        if (catalogName.equals(hiveCatalogName)) {
            Optional<String> only = filter.equality("schema");
            if (only.isPresent()) {
                if (only.get().equals(INFORMATION_SCHEMA) || catalog.getSchema(only.get()).isPresent()) {
                    names.add(only.get());
                }
                return List.copyOf(names);
            }
            names.addAll(catalog.listSchemas());
        }
        else {
            names.addAll(systemTables.get().keySet());
        }
        names.add(INFORMATION_SCHEMA);
        return List.copyOf(names);
    }

    public List<TableEntry> tables(String user, MetadataFilter filter)
    {
        List<TableEntry> result = new ArrayList<>();
        for (String[] schema : schemas(user, filter)) {
            String catalogName = schema[0];
            String schemaName = schema[1];
            for (String table : tableNames(catalogName, schemaName, filter)) {
                if (!filter.test("table", table) || !access.canSeeTable(user, catalogName, schemaName, table)) {
                    continue;
                }
                boolean view = false;
                if (catalogName.equals(hiveCatalogName) && !schemaName.equals(INFORMATION_SCHEMA)) {
                    try {
                        // the definition is cached; only views are reported differently
                        Optional<Table> definition = catalog.getTable(schemaName, table);
                        if (definition.isEmpty()) {
                            continue;
                        }
                        view = definition.get().tableType() == TableType.VIRTUAL_VIEW;
                    }
                    catch (GlauxException e) {
                        // a table whose metadata Glaux cannot read is still listed
                    }
                }
                result.add(new TableEntry(catalogName, schemaName, table, view));
            }
        }
        return result;
    }

    private List<String> tableNames(String catalogName, String schemaName, MetadataFilter filter)
    {
        if (schemaName.equals(INFORMATION_SCHEMA)) {
            return List.copyOf(new TreeSet<>(InformationSchema.TABLES.keySet()));
        }
        if (!catalogName.equals(hiveCatalogName)) {
            return List.copyOf(new TreeSet<>(systemTables.get().getOrDefault(schemaName, Map.of()).keySet()));
        }
        Optional<String> only = filter.equality("table");
        if (only.isPresent()) {
            // one lookup (cached), not a listing
            return List.of(only.get());
        }
        return List.copyOf(new TreeSet<>(catalog.listTables(schemaName)));
    }

    public List<ColumnEntry> columns(String user, MetadataFilter filter)
    {
        List<ColumnEntry> result = new ArrayList<>();
        for (TableEntry table : tables(user, filter)) {
            long position = 1;
            for (Column column : columnsOf(table)) {
                if (filter.test("column", column.name())) {
                    result.add(new ColumnEntry(table.catalog(), table.schema(), table.table(), column.name(), column.type(), column.comment(), position));
                }
                position++;
            }
        }
        return result;
    }

    /** The Hive table or view behind an entry, when it is one. */
    public Optional<Table> hiveTable(TableEntry table)
    {
        if (!table.catalog().equals(hiveCatalogName) || table.schema().equals(INFORMATION_SCHEMA)) {
            return Optional.empty();
        }
        try {
            return catalog.getTable(table.schema(), table.table());
        }
        catch (GlauxException e) {
            return Optional.empty();
        }
    }

    private List<Column> columnsOf(TableEntry entry)
    {
        List<SystemTable.ColumnDef> definitions = null;
        if (entry.schema().equals(INFORMATION_SCHEMA)) {
            definitions = InformationSchema.TABLES.get(entry.table());
        }
        else if (!entry.catalog().equals(hiveCatalogName)) {
            definitions = systemTables.get().getOrDefault(entry.schema(), Map.of()).get(entry.table()).columns();
        }
        if (definitions != null) {
            return definitions.stream().map(definition -> new Column(definition.name(), definition.glauxType())).toList();
        }
        Table table = hiveTable(entry).orElse(null);
        if (table == null) {
            return List.of();
        }
        if (table.tableType() == TableType.VIRTUAL_VIEW) {
            Optional<TrinoView> view = TrinoView.of(table);
            if (view.isPresent()) {
                try {
                    return view.get().columns().stream().map(column -> new Column(column.name(), TypeParser.parse(column.type()))).toList();
                }
                catch (GlauxException e) {
                    return List.of();
                }
            }
            return table.dataColumns();
        }
        List<Column> columns = new ArrayList<>(table.dataColumns());
        columns.addAll(table.partitionColumns());
        return columns;
    }
}
