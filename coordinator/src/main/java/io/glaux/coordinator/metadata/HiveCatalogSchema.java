package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.Lookup;

import java.util.Set;
import java.util.TreeSet;

/** The {@code hive} catalog: one Calcite sub-schema per metastore database, tables loaded on demand. */
public final class HiveCatalogSchema
        extends AbstractSchema
{
    private final String catalogName;
    private final Catalog catalog;

    public HiveCatalogSchema(String catalogName, Catalog catalog)
    {
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    @Override
    public Lookup<? extends Schema> subSchemas()
    {
        return new LazyLookup<>(
                name -> catalog.getSchema(name).map(database -> new DatabaseSchema(database.name())).orElse(null),
                () -> new TreeSet<>(catalog.listSchemas()));
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
                    name -> catalog.getTable(schemaName, name).map(table -> (Table) new HiveTable(catalogName, table)).orElse(null),
                    () -> Set.copyOf(catalog.listTables(schemaName)));
        }
    }
}
