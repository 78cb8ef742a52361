package io.glaux.coordinator.metadata;

import static io.glaux.coordinator.metadata.SystemTable.varchars;
import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.coordinator.metadata.SystemTable.ColumnDef;
import io.glaux.spi.type.Type;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.type.SqlTypeName;

import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code system} catalog. {@code system.jdbc} holds the tables the Trino JDBC driver's
 * {@code DatabaseMetaData} queries (catalogs, schemas, tables, columns, table_types, types and the
 * always-empty ones); {@code system.metadata.catalogs}, {@code system.runtime.queries} and
 * {@code system.runtime.nodes} are Trino's; every catalog has an {@code information_schema}
 * ({@link #informationSchema}). All are computed when a query reads them, from one
 * {@link MetadataListing} that applies who may see what.
 */
public final class SystemCatalogSchema
        extends AbstractSchema
{
    public static final String NAME = "system";

    /** A query as {@code system.runtime.queries} shows it; times in epoch milliseconds. */
    public record QueryInfo(String queryId, String state, String user, String source, String query, long createdMillis,
            Optional<Long> endMillis, Optional<String> errorType, Optional<String> errorCode)
    {
        public QueryInfo
        {
            requireNonNull(queryId, "queryId is null");
            requireNonNull(endMillis, "endMillis is null");
            requireNonNull(errorType, "errorType is null");
            requireNonNull(errorCode, "errorCode is null");
        }
    }

    /** A node as {@code system.runtime.nodes} shows it. */
    public record NodeInfo(String nodeId, String httpUri, String nodeVersion, boolean coordinator, String state)
    {
        public NodeInfo
        {
            requireNonNull(nodeId, "nodeId is null");
        }
    }

    /** Where the runtime tables come from (the coordinator's query and node managers). */
    public interface Runtime
    {
        Runtime NONE = new Runtime()
        {
            @Override
            public List<QueryInfo> queries()
            {
                return List.of();
            }

            @Override
            public List<NodeInfo> nodes()
            {
                return List.of();
            }
        };

        List<QueryInfo> queries();

        List<NodeInfo> nodes();

        /** Whether {@code viewer} may see the queries (and their SQL) of {@code owner}: their own, or any when an admin. */
        default boolean maySeeQueryOf(String viewer, String owner)
        {
            return true;
        }
    }

    private static final Map<String, String> JDBC_NAMES = Map.of(
            "table_cat", "catalog", "table_catalog", "catalog", "table_schem", "schema", "table_name", "table", "column_name", "column");

    private final String hiveCatalogName;
    private final Runtime runtime;
    private final MetadataListing listing;
    private final Map<String, Map<String, SystemTable>> tables;
    private final Map<String, Schema> schemas;

    public SystemCatalogSchema(String hiveCatalogName, Catalog catalog)
    {
        this(hiveCatalogName, catalog, Runtime.NONE, MetadataAccess.ALLOW_ALL);
    }

    public SystemCatalogSchema(String hiveCatalogName, Catalog catalog, Runtime runtime, MetadataAccess access)
    {
        this.hiveCatalogName = requireNonNull(hiveCatalogName, "hiveCatalogName is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.listing = new MetadataListing(hiveCatalogName, catalog, this::systemTables, access);
        this.tables = Map.of(
                "jdbc", jdbcTables(),
                "metadata", Map.of("catalogs", new SystemTable(varchars("catalog_name", "connector_id", "connector_name"), this::catalogRows)),
                "runtime", Map.of(
                        "queries", new SystemTable(queryColumns(), (filter, user) -> queryRows(filter, user)),
                        "nodes", new SystemTable(List.of(
                                new ColumnDef("node_id", SqlTypeName.VARCHAR),
                                new ColumnDef("http_uri", SqlTypeName.VARCHAR),
                                new ColumnDef("node_version", SqlTypeName.VARCHAR),
                                new ColumnDef("coordinator", SqlTypeName.BOOLEAN),
                                new ColumnDef("state", SqlTypeName.VARCHAR)), (filter, user) -> nodeRows())));
        Map<String, Schema> subSchemas = new HashMap<>();
        tables.forEach((name, schemaTables) -> subSchemas.put(name, new TablesSchema(schemaTables)));
        subSchemas.put(MetadataListing.INFORMATION_SCHEMA, informationSchema(NAME));
        this.schemas = Map.copyOf(subSchemas);
    }

    /** The listing every metadata table and SHOW statement reads. */
    public MetadataListing listing()
    {
        return listing;
    }

    /** {@code <catalog>.information_schema}. */
    public Schema informationSchema(String catalogName)
    {
        return new InformationSchema(catalogName, listing);
    }

    @Override
    protected Map<String, Schema> getSubSchemaMap()
    {
        return schemas;
    }

    private Map<String, Map<String, SystemTable>> systemTables()
    {
        return tables;
    }

    private static final class TablesSchema
            extends AbstractSchema
    {
        private final Map<String, org.apache.calcite.schema.Table> tables;

        TablesSchema(Map<String, SystemTable> tables)
        {
            this.tables = Map.copyOf(tables);
        }

        @Override
        protected Map<String, org.apache.calcite.schema.Table> getTableMap()
        {
            return tables;
        }
    }

    private Map<String, SystemTable> jdbcTables()
    {
        Map<String, SystemTable> jdbc = new HashMap<>();
        jdbc.put("catalogs", new SystemTable(varchars("table_cat"), (filter, user) -> {
            List<Object[]> rows = new ArrayList<>();
            for (String name : listing.catalogs(user, filter.renamed(JDBC_NAMES))) {
                rows.add(new Object[] {name});
            }
            return rows;
        }));
        jdbc.put("schemas", new SystemTable(varchars("table_schem", "table_catalog"), (filter, user) -> {
            List<Object[]> rows = new ArrayList<>();
            for (String[] schema : listing.schemas(user, filter.renamed(JDBC_NAMES))) {
                rows.add(new Object[] {schema[1], schema[0]});
            }
            return rows;
        }));
        jdbc.put("tables", new SystemTable(varchars("table_cat", "table_schem", "table_name", "table_type", "remarks",
                "type_cat", "type_schem", "type_name", "self_referencing_col_name", "ref_generation"), (filter, user) -> {
            List<Object[]> rows = new ArrayList<>();
            for (MetadataListing.TableEntry table : listing.tables(user, filter.renamed(JDBC_NAMES))) {
                rows.add(new Object[] {table.catalog(), table.schema(), table.table(), table.view() ? "VIEW" : "TABLE", null, null, null, null, null, null});
            }
            return rows;
        }));
        jdbc.put("table_types", new SystemTable(varchars("table_type"), (filter, user) -> List.of(new Object[] {"TABLE"}, new Object[] {"VIEW"})));
        jdbc.put("columns", new SystemTable(columnDefs(), this::columnRows));
        jdbc.put("types", new SystemTable(typeDefs(), (filter, user) -> typeRows()));
        jdbc.put("procedures", new SystemTable(varchars("procedure_cat", "procedure_schem", "procedure_name", "remarks", "procedure_type", "specific_name"), (filter, user) -> List.of()));
        jdbc.put("procedure_columns", new SystemTable(withTypes(varchars("procedure_cat", "procedure_schem", "procedure_name", "column_name", "column_type",
                "data_type", "type_name", "precision", "length", "scale", "radix", "nullable", "remarks", "column_def", "sql_data_type", "sql_datetime_sub",
                "char_octet_length", "ordinal_position", "is_nullable", "specific_name"), "column_type", "data_type", "precision", "length", "scale", "radix",
                "nullable", "sql_data_type", "sql_datetime_sub", "char_octet_length", "ordinal_position"), (filter, user) -> List.of()));
        jdbc.put("pseudo_columns", new SystemTable(withTypes(varchars("table_cat", "table_schem", "table_name", "column_name", "data_type", "column_size",
                "decimal_digits", "num_prec_radix", "column_usage", "remarks", "char_octet_length", "is_nullable"), "data_type", "column_size",
                "decimal_digits", "num_prec_radix", "char_octet_length"), (filter, user) -> List.of()));
        jdbc.put("attributes", new SystemTable(withTypes(varchars("type_cat", "type_schem", "type_name", "attr_name", "data_type", "attr_type_name",
                "attr_size", "decimal_digits", "num_prec_radix", "nullable", "remarks", "attr_def", "sql_data_type", "sql_datetime_sub",
                "char_octet_length", "ordinal_position", "is_nullable", "scope_catalog", "scope_schema", "scope_table", "source_data_type"),
                "data_type", "attr_size", "decimal_digits", "num_prec_radix", "nullable", "sql_data_type", "sql_datetime_sub", "char_octet_length",
                "ordinal_position", "source_data_type"), (filter, user) -> List.of()));
        jdbc.put("udts", new SystemTable(withTypes(varchars("type_cat", "type_schem", "type_name", "class_name", "data_type", "remarks", "base_type"),
                "data_type", "base_type"), (filter, user) -> List.of()));
        jdbc.put("super_types", new SystemTable(varchars("type_cat", "type_schem", "type_name", "supertype_cat", "supertype_schem", "supertype_name"), (filter, user) -> List.of()));
        jdbc.put("super_tables", new SystemTable(varchars("table_cat", "table_schem", "table_name", "supertable_name"), (filter, user) -> List.of()));
        return Map.copyOf(jdbc);
    }

    /** The columns named are bigint, the others as given. */
    private static List<ColumnDef> withTypes(List<ColumnDef> columns, String... bigints)
    {
        List<String> names = List.of(bigints);
        return columns.stream().map(column -> names.contains(column.name()) ? new ColumnDef(column.name(), SqlTypeName.BIGINT) : column).toList();
    }

    private List<Object[]> catalogRows(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        for (String name : listing.catalogs(user, filter.renamed(Map.of("catalog_name", "catalog")))) {
            rows.add(new Object[] {name, name, name.equals(hiveCatalogName) ? "hive" : NAME});
        }
        return rows;
    }

    private static List<ColumnDef> queryColumns()
    {
        return List.of(
                new ColumnDef("query_id", SqlTypeName.VARCHAR),
                new ColumnDef("state", SqlTypeName.VARCHAR),
                new ColumnDef("user", SqlTypeName.VARCHAR),
                new ColumnDef("source", SqlTypeName.VARCHAR),
                new ColumnDef("query", SqlTypeName.VARCHAR),
                new ColumnDef("resource_group_id", SqlTypeName.VARCHAR),
                new ColumnDef("queued_time_ms", SqlTypeName.BIGINT),
                new ColumnDef("analysis_time_ms", SqlTypeName.BIGINT),
                new ColumnDef("planning_time_ms", SqlTypeName.BIGINT),
                new ColumnDef("created", SqlTypeName.TIMESTAMP),
                new ColumnDef("started", SqlTypeName.TIMESTAMP),
                new ColumnDef("last_heartbeat", SqlTypeName.TIMESTAMP),
                new ColumnDef("end", SqlTypeName.TIMESTAMP),
                new ColumnDef("error_type", SqlTypeName.VARCHAR),
                new ColumnDef("error_code", SqlTypeName.VARCHAR));
    }

    private List<Object[]> queryRows(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (QueryInfo query : runtime.queries()) {
            // another user's queries (and their SQL) only for admins
            if (!filter.test("query_id", query.queryId()) || !runtime.maySeeQueryOf(user, query.user())) {
                continue;
            }
            Long created = query.createdMillis() * 1000;
            rows.add(new Object[] {query.queryId(), query.state(), query.user(), query.source(), query.query(), null, null, null, null,
                    created, created, query.endMillis().orElse(now) * 1000, query.endMillis().map(end -> end * 1000).orElse(null),
                    query.errorType().orElse(null), query.errorCode().orElse(null)});
        }
        return rows;
    }

    private List<Object[]> nodeRows()
    {
        List<Object[]> rows = new ArrayList<>();
        for (NodeInfo node : runtime.nodes()) {
            rows.add(new Object[] {node.nodeId(), node.httpUri(), node.nodeVersion(), node.coordinator(), node.state()});
        }
        return rows;
    }

    private static List<ColumnDef> columnDefs()
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

    private List<Object[]> columnRows(MetadataFilter filter, String user)
    {
        List<Object[]> rows = new ArrayList<>();
        for (MetadataListing.ColumnEntry column : listing.columns(user, filter.renamed(JDBC_NAMES))) {
            Type type = column.type();
            rows.add(new Object[] {
                    column.catalog(), column.schema(), column.table(), column.column(), (long) jdbcType(type),
                    type.trinoName(), columnSize(type), null, decimalDigits(type),
                    numPrecRadix(type), (long) java.sql.DatabaseMetaData.columnNullable, column.comment().orElse(null), null,
                    null, null, charOctetLength(type), column.position(), "YES", null, null, null, null, "NO", "NO"});
        }
        return rows;
    }

    private static List<ColumnDef> typeDefs()
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

    private static List<Object[]> typeRows()
    {
        List<Object[]> rows = new ArrayList<>();
        for (Type type : List.of(Type.BOOLEAN, Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE,
                Type.VARCHAR, Type.VARBINARY, Type.DATE, Type.TIMESTAMP, Type.TIMESTAMP_TZ, new Type.Decimal(38, 0))) {
            String name = type instanceof Type.Decimal ? "decimal" : type instanceof Type.Timestamp ? "timestamp"
                    : type instanceof Type.TimestampWithTimeZone ? "timestamp with time zone" : type.trinoName();
            boolean decimal = type instanceof Type.Decimal;
            rows.add(new Object[] {name, (long) jdbcType(type), columnSize(type), type == Type.VARCHAR ? "'" : null, type == Type.VARCHAR ? "'" : null,
                    decimal ? "precision,scale" : null,
                    (long) java.sql.DatabaseMetaData.typeNullable, type == Type.VARCHAR, (long) java.sql.DatabaseMetaData.typeSearchable,
                    false, false, false, null, 0L, decimal ? 38L : 0L, null, null, numPrecRadix(type)});
        }
        return rows;
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
                case UUID, INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH -> Types.OTHER;
                case IPADDRESS, IPPREFIX -> Types.JAVA_OBJECT;
                case JSON -> Types.JAVA_OBJECT;
                case DATE -> Types.DATE;
            };
            case Type.Varchar ignored -> Types.VARCHAR;
            case Type.Timestamp ignored -> Types.TIMESTAMP;
            case Type.Time ignored -> Types.TIME;
            case Type.TimestampWithTimeZone ignored -> Types.TIMESTAMP_WITH_TIMEZONE;
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
                case UUID -> 36L;
                case IPADDRESS -> 39L;
                case IPPREFIX -> 43L;
                case JSON -> (long) Integer.MAX_VALUE;
                case INTERVAL_DAY_TO_SECOND, INTERVAL_YEAR_TO_MONTH -> null;
                case DATE -> 14L;
            };
            case Type.Varchar varchar -> (long) varchar.length();
            case Type.Timestamp timestamp -> 20L + timestamp.precision();
            case Type.Time time -> 9L + time.precision();
            case Type.TimestampWithTimeZone timestamp -> 27L + timestamp.precision();
            case Type.Decimal decimal -> (long) decimal.precision();
            default -> null;
        };
    }

    private static Long decimalDigits(Type type)
    {
        return switch (type) {
            case Type.Decimal decimal -> (long) decimal.scale();
            case Type.Timestamp timestamp -> (long) timestamp.precision();
            case Type.TimestampWithTimeZone timestamp -> (long) timestamp.precision();
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
