package io.glaux.coordinator.metadata;

import static io.glaux.coordinator.metadata.SystemTable.varchars;
import static java.util.Objects.requireNonNull;

import io.glaux.catalog.model.Table;
import io.glaux.coordinator.metadata.SystemTable.ColumnDef;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <catalog>.information_schema}: Trino's {@code schemata}, {@code tables}, {@code columns},
 * {@code views} and {@code table_privileges} with Trino's column names and types (Trino's hidden
 * columns are left out), computed from {@link MetadataListing} for one catalog.
 */
public final class InformationSchema
        extends AbstractSchema
{
    /** The tables and their columns, the same in every catalog. */
    static final Map<String, List<ColumnDef>> TABLES = Map.of(
            "schemata", varchars("catalog_name", "schema_name"),
            "tables", varchars("table_catalog", "table_schema", "table_name", "table_type"),
            "columns", List.of(
                    new ColumnDef("table_catalog", SqlTypeName.VARCHAR),
                    new ColumnDef("table_schema", SqlTypeName.VARCHAR),
                    new ColumnDef("table_name", SqlTypeName.VARCHAR),
                    new ColumnDef("column_name", SqlTypeName.VARCHAR),
                    new ColumnDef("ordinal_position", SqlTypeName.BIGINT),
                    new ColumnDef("column_default", SqlTypeName.VARCHAR),
                    new ColumnDef("is_nullable", SqlTypeName.VARCHAR),
                    new ColumnDef("data_type", SqlTypeName.VARCHAR)),
            "views", varchars("table_catalog", "table_schema", "table_name", "view_definition"),
            "table_privileges", varchars("grantor", "grantor_type", "grantee", "grantee_type", "table_catalog", "table_schema", "table_name",
                    "privilege_type", "is_grantable", "with_hierarchy"));

    private static final Map<String, String> NAMES = Map.of(
            "catalog_name", "catalog", "schema_name", "schema",
            "table_catalog", "catalog", "table_schema", "schema", "table_name", "table", "column_name", "column");

    private final String catalogName;
    private final MetadataListing listing;
    private final Map<String, org.apache.calcite.schema.Table> tables;

    InformationSchema(String catalogName, MetadataListing listing)
    {
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.listing = requireNonNull(listing, "listing is null");
        this.tables = Map.of(
                "schemata", new SystemTable(TABLES.get("schemata"), this::schemata),
                "tables", new SystemTable(TABLES.get("tables"), this::tables),
                "columns", new SystemTable(TABLES.get("columns"), this::columns),
                "views", new SystemTable(TABLES.get("views"), this::views),
                "table_privileges", new SystemTable(TABLES.get("table_privileges"), (filter, user) -> List.of()));
    }

    @Override
    protected Map<String, org.apache.calcite.schema.Table> getTableMap()
    {
        return tables;
    }

    private MetadataFilter scoped(MetadataFilter filter)
    {
        return filter.renamed(NAMES).withEquality("catalog", catalogName);
    }

    private List<Object[]> schemata(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        for (String[] schema : listing.schemas(user, scoped(filter))) {
            rows.add(new Object[] {schema[0], schema[1]});
        }
        return rows;
    }

    private List<Object[]> tables(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        for (MetadataListing.TableEntry table : listing.tables(user, scoped(filter))) {
            rows.add(new Object[] {table.catalog(), table.schema(), table.table(), table.view() ? "VIEW" : "BASE TABLE"});
        }
        return rows;
    }

    private List<Object[]> columns(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        for (MetadataListing.ColumnEntry column : listing.columns(user, scoped(filter))) {
            rows.add(new Object[] {column.catalog(), column.schema(), column.table(), column.column(), column.position(), null, "YES", column.type().trinoName()});
        }
        return rows;
    }

    private List<Object[]> views(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        for (MetadataListing.TableEntry table : listing.tables(user, scoped(filter))) {
            if (!table.view()) {
                continue;
            }
            Optional<Table> definition = listing.hiveTable(table);
            String text = definition.flatMap(view -> TrinoView.of(view).map(TrinoView::originalSql)
                    .or(() -> view.viewOriginalText().or(view::viewExpandedText))).orElse(null);
            rows.add(new Object[] {table.catalog(), table.schema(), table.table(), text});
        }
        return rows;
    }
}
