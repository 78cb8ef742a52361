package io.glaux.coordinator.metadata;

import static io.glaux.coordinator.metadata.SystemTable.varchars;
import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.metadata.SystemTable.ColumnDef;
import io.glaux.coordinator.security.AccessControl;
import io.glaux.spi.type.Type;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code system} catalog. {@code system.jdbc} holds the tables the Trino JDBC driver's
 * {@code DatabaseMetaData} queries (catalogs, schemas, tables, columns, table_types, types and the
 * always-empty ones), computed from the metastore when scanned.
 */
public final class SystemCatalogSchema
        extends AbstractSchema
{
    public static final String NAME = "system";

    private final String hiveCatalogName;
    private final Catalog catalog;
    private final AccessControl accessControl;

    public SystemCatalogSchema(String hiveCatalogName, Catalog catalog)
    {
        this(hiveCatalogName, catalog, AccessControl.allowAll());
    }

    /** The rows of every table list only what {@code accessControl} lets the querying user see. */
    public SystemCatalogSchema(String hiveCatalogName, Catalog catalog, AccessControl accessControl)
    {
        this.hiveCatalogName = requireNonNull(hiveCatalogName, "hiveCatalogName is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.accessControl = requireNonNull(accessControl, "accessControl is null");
    }

    @Override
    protected Map<String, Schema> getSubSchemaMap()
    {
        return Map.of("jdbc", new JdbcSchema());
    }

    private List<String> catalogs(String user)
    {
        return accessControl.filterCatalogs(user, List.of(hiveCatalogName, NAME));
    }

    /** The Hive schemas the user may see (none when the catalog is hidden from them). */
    private List<String> schemas(String user)
    {
        return accessControl.filterSchemas(user, hiveCatalogName, catalog.listSchemas());
    }

    private List<String> visibleTables(String user, String schema)
    {
        return accessControl.filterTables(user, hiveCatalogName, schema, catalog.listTables(schema));
    }

    private final class JdbcSchema
            extends AbstractSchema
    {
        @Override
        protected Map<String, org.apache.calcite.schema.Table> getTableMap()
        {
            return Map.of(
                    "catalogs", new SystemTable(varchars("table_cat"), this::catalogRows),
                    "schemas", new SystemTable(varchars("table_schem", "table_catalog"), this::schemaRows),
                    "tables", new SystemTable(varchars("table_cat", "table_schem", "table_name", "table_type", "remarks",
                            "type_cat", "type_schem", "type_name", "self_referencing_col_name", "ref_generation"), this::tableRows),
                    "table_types", new SystemTable(varchars("table_type"), () -> List.of(new Object[] {"TABLE"}, new Object[] {"VIEW"})),
                    "columns", new SystemTable(columnDefs(), this::columnRows),
                    "types", new SystemTable(typeDefs(), this::typeRows),
                    "procedures", new SystemTable(varchars("procedure_cat", "procedure_schem", "procedure_name", "remarks", "procedure_type", "specific_name"), () -> List.<Object[]>of()),
                    "udts", new SystemTable(varchars("type_cat", "type_schem", "type_name", "class_name", "data_type", "remarks", "base_type"), () -> List.<Object[]>of()),
                    "super_types", new SystemTable(varchars("type_cat", "type_schem", "type_name", "supertype_cat", "supertype_schem", "supertype_name"), () -> List.<Object[]>of()),
                    "super_tables", new SystemTable(varchars("table_cat", "table_schem", "table_name", "supertable_name"), () -> List.<Object[]>of()));
        }

        private List<Object[]> catalogRows(String user)
        {
            List<Object[]> rows = new ArrayList<>();
            for (String name : catalogs(user)) {
                rows.add(new Object[] {name});
            }
            return rows;
        }

        private List<Object[]> schemaRows(String user)
        {
            List<Object[]> rows = new ArrayList<>();
            for (String schema : schemas(user)) {
                rows.add(new Object[] {schema, hiveCatalogName});
            }
            for (String schema : accessControl.filterSchemas(user, NAME, List.of("jdbc"))) {
                rows.add(new Object[] {schema, NAME});
            }
            return rows;
        }

        private List<Object[]> tableRows(String user)
        {
            List<Object[]> rows = new ArrayList<>();
            for (String schema : schemas(user)) {
                for (String table : visibleTables(user, schema)) {
                    // the table definition is cached; only views are reported differently
                    String type = "TABLE";
                    try {
                        if (catalog.getTable(schema, table).map(definition -> definition.tableType() == io.glaux.catalog.model.TableType.VIRTUAL_VIEW).orElse(false)) {
                            type = "VIEW";
                        }
                    }
                    catch (io.glaux.spi.error.GlauxException e) {
                        // a table whose metadata Glaux cannot read is still listed
                    }
                    rows.add(new Object[] {hiveCatalogName, schema, table, type, null, null, null, null, null, null});
                }
            }
            for (String table : accessControl.filterTables(user, NAME, "jdbc", new java.util.TreeSet<>(getTableMap().keySet()))) {
                rows.add(new Object[] {NAME, "jdbc", table, "TABLE", null, null, null, null, null, null});
            }
            return rows;
        }

        private List<ColumnDef> columnDefs()
        {
            return List.of(
                    new ColumnDef("table_cat", SqlTypeName.VARCHAR),
                    new ColumnDef("table_schem", SqlTypeName.VARCHAR),
                    new ColumnDef("table_name", SqlTypeName.VARCHAR),
                    new ColumnDef("column_name", SqlTypeName.VARCHAR),
                    new ColumnDef("data_type", SqlTypeName.BIGINT),
                    new ColumnDef("type_name", SqlTypeName.VARCHAR),
                    new ColumnDef("column_size", SqlTypeName.BIGINT),
                    new ColumnDef("buffer_length", SqlTypeName.BIGINT),
                    new ColumnDef("decimal_digits", SqlTypeName.BIGINT),
                    new ColumnDef("num_prec_radix", SqlTypeName.BIGINT),
                    new ColumnDef("nullable", SqlTypeName.BIGINT),
                    new ColumnDef("remarks", SqlTypeName.VARCHAR),
                    new ColumnDef("column_def", SqlTypeName.VARCHAR),
                    new ColumnDef("sql_data_type", SqlTypeName.BIGINT),
                    new ColumnDef("sql_datetime_sub", SqlTypeName.BIGINT),
                    new ColumnDef("char_octet_length", SqlTypeName.BIGINT),
                    new ColumnDef("ordinal_position", SqlTypeName.BIGINT),
                    new ColumnDef("is_nullable", SqlTypeName.VARCHAR),
                    new ColumnDef("scope_catalog", SqlTypeName.VARCHAR),
                    new ColumnDef("scope_schema", SqlTypeName.VARCHAR),
                    new ColumnDef("scope_table", SqlTypeName.VARCHAR),
                    new ColumnDef("source_data_type", SqlTypeName.BIGINT),
                    new ColumnDef("is_autoincrement", SqlTypeName.VARCHAR),
                    new ColumnDef("is_generatedcolumn", SqlTypeName.VARCHAR));
        }

        private List<Object[]> columnRows(String user)
        {
            List<Object[]> rows = new ArrayList<>();
            for (String schema : schemas(user)) {
                for (String tableName : visibleTables(user, schema)) {
                    Table table = catalog.getTable(schema, tableName).orElse(null);
                    if (table == null) {
                        continue;
                    }
                    List<Column> columns = new ArrayList<>(table.dataColumns());
                    columns.addAll(table.partitionColumns());
                    long position = 1;
                    for (Column column : columns) {
                        rows.add(new Object[] {
                                hiveCatalogName, schema, tableName, column.name(), (long) jdbcType(column.type()),
                                column.type().trinoName(), columnSize(column.type()), null, decimalDigits(column.type()),
                                numPrecRadix(column.type()), (long) java.sql.DatabaseMetaData.columnNullable, column.comment().orElse(null), null,
                                null, null, charOctetLength(column.type()), position++, "YES", null, null, null, null, "NO", "NO"});
                    }
                }
            }
            return rows;
        }

        private List<ColumnDef> typeDefs()
        {
            return List.of(
                    new ColumnDef("type_name", SqlTypeName.VARCHAR),
                    new ColumnDef("data_type", SqlTypeName.BIGINT),
                    new ColumnDef("precision", SqlTypeName.BIGINT),
                    new ColumnDef("literal_prefix", SqlTypeName.VARCHAR),
                    new ColumnDef("literal_suffix", SqlTypeName.VARCHAR),
                    new ColumnDef("create_params", SqlTypeName.VARCHAR),
                    new ColumnDef("nullable", SqlTypeName.BIGINT),
                    new ColumnDef("case_sensitive", SqlTypeName.BOOLEAN),
                    new ColumnDef("searchable", SqlTypeName.BIGINT),
                    new ColumnDef("unsigned_attribute", SqlTypeName.BOOLEAN),
                    new ColumnDef("fixed_prec_scale", SqlTypeName.BOOLEAN),
                    new ColumnDef("auto_increment", SqlTypeName.BOOLEAN),
                    new ColumnDef("local_type_name", SqlTypeName.VARCHAR),
                    new ColumnDef("minimum_scale", SqlTypeName.BIGINT),
                    new ColumnDef("maximum_scale", SqlTypeName.BIGINT),
                    new ColumnDef("sql_data_type", SqlTypeName.BIGINT),
                    new ColumnDef("sql_datetime_sub", SqlTypeName.BIGINT),
                    new ColumnDef("num_prec_radix", SqlTypeName.BIGINT));
        }

        private List<Object[]> typeRows()
        {
            List<Object[]> rows = new ArrayList<>();
            for (Type type : List.of(Type.BOOLEAN, Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE,
                    Type.VARCHAR, Type.VARBINARY, Type.DATE, Type.TIMESTAMP, new Type.Decimal(38, 0))) {
                String name = type instanceof Type.Decimal ? "decimal" : type instanceof Type.Timestamp ? "timestamp" : type.trinoName();
                rows.add(new Object[] {name, (long) jdbcType(type), columnSize(type), null, null, null,
                        (long) java.sql.DatabaseMetaData.typeNullable, type == Type.VARCHAR, (long) java.sql.DatabaseMetaData.typeSearchable,
                        false, false, false, null, 0L, 0L, null, null, numPrecRadix(type)});
            }
            return rows;
        }
    }

    static int jdbcType(Type type)
    {
        return switch (type) {
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> Types.BOOLEAN;
                case TINYINT -> Types.TINYINT;
                case SMALLINT -> Types.SMALLINT;
                case INTEGER -> Types.INTEGER;
                case BIGINT -> Types.BIGINT;
                case REAL -> Types.REAL;
                case DOUBLE -> Types.DOUBLE;
                case VARBINARY -> Types.VARBINARY;
                case DATE -> Types.DATE;
            };
            case Type.Varchar ignored -> Types.VARCHAR;
            case Type.Timestamp ignored -> Types.TIMESTAMP;
            case Type.Decimal ignored -> Types.DECIMAL;
            case Type.Array ignored -> Types.ARRAY;
            case Type.MapType ignored -> Types.JAVA_OBJECT;
            case Type.Row ignored -> Types.JAVA_OBJECT;
        };
    }

    private static Long columnSize(Type type)
    {
        return switch (type) {
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case BOOLEAN -> 1L;
                case TINYINT -> 3L;
                case SMALLINT -> 5L;
                case INTEGER -> 10L;
                case BIGINT -> 19L;
                case REAL -> 24L;
                case DOUBLE -> 53L;
                case VARBINARY -> (long) Integer.MAX_VALUE;
                case DATE -> 14L;
            };
            case Type.Varchar varchar -> (long) varchar.length();
            case Type.Timestamp timestamp -> 20L + timestamp.precision();
            case Type.Decimal decimal -> (long) decimal.precision();
            default -> null;
        };
    }

    private static Long decimalDigits(Type type)
    {
        return switch (type) {
            case Type.Decimal decimal -> (long) decimal.scale();
            case Type.Timestamp timestamp -> (long) timestamp.precision();
            case Type.Primitive primitive when primitive.kind() == Type.Kind.TINYINT || primitive.kind() == Type.Kind.SMALLINT
                    || primitive.kind() == Type.Kind.INTEGER || primitive.kind() == Type.Kind.BIGINT -> 0L;
            default -> null;
        };
    }

    private static Long numPrecRadix(Type type)
    {
        return switch (type) {
            case Type.Decimal ignored -> 10L;
            case Type.Primitive primitive -> switch (primitive.kind()) {
                case TINYINT, SMALLINT, INTEGER, BIGINT -> 10L;
                case REAL, DOUBLE -> 2L;
                default -> null;
            };
            default -> null;
        };
    }

    private static Long charOctetLength(Type type)
    {
        return type instanceof Type.Varchar varchar ? (long) varchar.length() : null;
    }
}
