package io.glaux.coordinator.ddl;

import static io.glaux.coordinator.ddl.DdlErrors.error;
import static io.glaux.coordinator.ddl.DdlErrors.positioned;
import static io.glaux.coordinator.sql.ast.ParserSupport.quoteHiveString;
import static io.glaux.spi.error.ErrorCode.ALREADY_EXISTS;
import static io.glaux.spi.error.ErrorCode.CATALOG_NOT_FOUND;
import static io.glaux.spi.error.ErrorCode.COLUMN_NOT_FOUND;
import static io.glaux.spi.error.ErrorCode.DUPLICATE_COLUMN_NAME;
import static io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR;
import static io.glaux.spi.error.ErrorCode.INVALID_LOCATION;
import static io.glaux.spi.error.ErrorCode.INVALID_PARTITION_VALUE;
import static io.glaux.spi.error.ErrorCode.NOT_SUPPORTED;
import static io.glaux.spi.error.ErrorCode.SCHEMA_ALREADY_EXISTS;
import static io.glaux.spi.error.ErrorCode.SCHEMA_NOT_EMPTY;
import static io.glaux.spi.error.ErrorCode.SCHEMA_NOT_FOUND;
import static io.glaux.spi.error.ErrorCode.SYNTAX_ERROR;
import static io.glaux.spi.error.ErrorCode.TABLE_ALREADY_EXISTS;
import static io.glaux.spi.error.ErrorCode.TABLE_NOT_FOUND;
import static io.glaux.spi.error.ErrorCode.TYPE_NOT_FOUND;
import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Bucketing;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.model.TableType;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.S3Location;
import io.glaux.coordinator.metadata.TrinoView;
import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.planner.TypeMapping;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.Session;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.coordinator.sql.ast.Statement;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.SqlParserUtil;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs the Athena/Hive statements of Glaux's grammar against the {@link Catalog} (the Hive
 * metastore): databases, external tables, partitions, {@code MSCK REPAIR TABLE}, and the {@code SHOW}
 * and {@code DESCRIBE} statements. Read-only statements that the JDBC metadata tables already answer
 * ({@code SHOW CATALOGS|SCHEMAS|TABLES|COLUMNS}, {@code DESCRIBE}) become queries over
 * {@code system.jdbc}, so they return what the JDBC metadata calls return. Every error is a
 * {@link GlauxException} positioned in the statement's text. The catalog invalidates its own cache
 * on writes.
 */
public final class DdlExecutor
{
    /** Table parameters the metastore maintains (statistics); not part of a table's definition. */
    private static final Set<String> METASTORE_PARAMETERS = Set.of(
            "numFiles", "numRows", "rawDataSize", "totalSize", "COLUMN_STATS_ACCURATE", "numFilesErasureCoded", "transient_lastDdlTime", "EXTERNAL");

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ HH:mm[:ss]]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .toFormatter(Locale.ROOT);

    private static final String INFORMATION_SCHEMA = io.glaux.coordinator.metadata.MetadataListing.INFORMATION_SCHEMA;

    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final String catalogName;
    private final QueryPlanner planner;
    private final RelDataType varchar;
    private final MetadataStatements metadata;
    private final TableAnalyzer analyzer;

    public DdlExecutor(Catalog catalog, ObjectStore objectStore, String catalogName, QueryPlanner planner)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.objectStore = requireNonNull(objectStore, "objectStore is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.planner = requireNonNull(planner, "planner is null");
        RelDataTypeFactory typeFactory = planner.typeFactory();
        this.varchar = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR, Integer.MAX_VALUE), true);
        this.metadata = new MetadataStatements(catalog, catalogName, typeFactory);
        this.analyzer = new TableAnalyzer(catalog, catalogName, typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BIGINT), true));
    }

    /**
     * Runs a statement whose text is {@code sql}. {@code query} runs SQL (over {@code system.jdbc}) for
     * the statements answered that way.
     */
    public StatementResult execute(Statement statement, String sql, Session session, Function<String, StatementResult> query)
    {
        try {
            return switch (statement) {
                case Statement.ShowCatalogs show -> query.apply("SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
                        + show.like().map(like -> " WHERE table_cat LIKE " + quote(like)).orElse("") + " ORDER BY 1");
                case Statement.ShowSchemas show -> showSchemas(show, session, query);
                case Statement.ShowTables show -> showTables(show, session, query);
                case Statement.Describe describe -> describe.formatted() ? describeFormatted(describe, session) : describe(describe, session, query);
                case Statement.Use use -> use(use, session);
                case Statement.Explain ignored -> throw new GlauxException(io.glaux.spi.error.ErrorCode.GENERIC_INTERNAL_ERROR, "EXPLAIN is run by the statement runner");
                case Statement.ClientStatement ignored -> throw new GlauxException(io.glaux.spi.error.ErrorCode.GENERIC_INTERNAL_ERROR, "Session statements are run by the statement runner");
                case Statement.CreateSchema create -> createSchema(create);
                case Statement.DropSchema drop -> dropSchema(drop);
                case Statement.CreateTable create -> createTable(create, session);
                case Statement.DropTable drop -> dropTable(drop, session);
                case Statement.ShowCreateTable show -> rows(List.of("Create Table"), List.<Object[]>of(new Object[] {showCreateTable(table(show.name(), session))}));
                case Statement.ShowPartitions show -> showPartitions(show, session);
                case Statement.ShowTableProperties show -> showTableProperties(show, session);
                case Statement.AddPartitions add -> addPartitions(add, session);
                case Statement.DropPartitions drop -> dropPartitions(drop, session);
                case Statement.SetPartitionLocation set -> setPartitionLocation(set, session);
                case Statement.ChangeColumns change -> changeColumns(change, session);
                case Statement.ChangeColumn change -> changeColumn(change, session);
                case Statement.RenameTable rename -> throw error(NOT_SUPPORTED, rename.pos(),
                        "ALTER TABLE RENAME TO is not supported for Hive tables (as in Athena): create the table again under the new name and drop the old one");
                case Statement.SetTableProperties set -> setTableProperties(set, session);
                case Statement.MsckRepair repair -> msckRepair(repair, session);
                case Statement.Analyze analyze -> analyzer.analyze(table(analyze.name(), session), query);
                case Statement.CreateView create -> createView(create, sql, session);
                case Statement.DropView drop -> dropView(drop, session);
                case Statement.ShowCreateView show -> rows(List.of("Create View"), List.<Object[]>of(new Object[] {showCreateView(show, session)}));
                case Statement.ShowCreateSchema show -> metadata.showCreateSchema(database(show.name(), session));
                case Statement.ShowFunctions show -> metadata.showFunctions(show.like());
                case Statement.ShowStats show -> metadata.showStats(table(show.name(), session));
            };
        }
        catch (GlauxException e) {
            throw positioned(e, statement.pos());
        }
    }

    // --- SHOW / DESCRIBE / USE

    private StatementResult showSchemas(Statement.ShowSchemas show, Session session, Function<String, StatementResult> query)
    {
        String catalogChoice = show.catalog().map(name -> single(name, "catalog")).orElse(session.catalog());
        show.catalog().ifPresent(name -> checkCatalog(catalogChoice, name.pos()));
        return query.apply("SELECT table_schem AS \"Schema\" FROM system.jdbc.schemas WHERE table_catalog = " + quote(catalogChoice)
                + show.like().map(like -> " AND table_schem LIKE " + quote(like)).orElse("") + " ORDER BY 1");
    }

    private StatementResult showTables(Statement.ShowTables show, Session session, Function<String, StatementResult> query)
    {
        String catalogChoice = session.catalog();
        String schema = session.schema();
        if (show.schema().isPresent()) {
            Statement.Name name = show.schema().get();
            if (name.parts().size() > 2) {
                throw error(SYNTAX_ERROR, name.pos(), "Expected [catalog.]schema but found '" + name + "'");
            }
            if (name.parts().size() == 2) {
                catalogChoice = name.parts().get(0);
            }
            schema = name.parts().getLast();
            checkCatalog(catalogChoice, name.pos());
            if (catalogChoice.equals(catalogName) && !schema.equals(INFORMATION_SCHEMA) && catalog.getSchema(schema).isEmpty()) {
                throw error(SCHEMA_NOT_FOUND, name.pos(), "Schema '" + catalogChoice + "." + schema + "' does not exist");
            }
        }
        return query.apply("SELECT table_name AS \"Table\" FROM system.jdbc.tables WHERE table_cat = " + quote(catalogChoice)
                + " AND table_schem = " + quote(schema) + show.like().map(like -> " AND table_name LIKE " + quote(like)).orElse("")
                + show.pattern().map(pattern -> " AND (" + tablePatternCondition(pattern) + ")").orElse("") + " ORDER BY 1");
    }

    /**
     * Athena's {@code SHOW TABLES 'pattern'}: {@code *} is any text, {@code |} separates alternatives,
     * every other character stands for itself, and names match case-insensitively (they are lower case).
     */
    private static String tablePatternCondition(String pattern)
    {
        List<String> alternatives = new ArrayList<>();
        for (String alternative : pattern.toLowerCase(Locale.ROOT).split("\\|", -1)) {
            String like = alternative.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
            alternatives.add("table_name LIKE " + quote(like) + " ESCAPE '\\'");
        }
        return String.join(" OR ", alternatives);
    }

    private StatementResult describe(Statement.Describe describe, Session session, Function<String, StatementResult> query)
    {
        List<String> name = qualify(describe.name(), session);
        if (name.get(0).equals(catalogName)) {
            if (!name.get(1).equals(INFORMATION_SCHEMA)) {
                relation(describe.name(), session);
            }
        }
        else if (!name.get(0).equals("system")) {
            throw error(CATALOG_NOT_FOUND, describe.name().pos(), "Catalog '" + name.get(0) + "' does not exist");
        }
        return query.apply("SELECT column_name AS \"Column\", type_name AS \"Type\", '' AS \"Extra\", coalesce(remarks, '') AS \"Comment\""
                + " FROM system.jdbc.columns WHERE table_cat = " + quote(name.get(0)) + " AND table_schem = " + quote(name.get(1))
                + " AND table_name = " + quote(name.get(2)) + " ORDER BY ordinal_position");
    }

    private StatementResult describeFormatted(Statement.Describe describe, Session session)
    {
        Table table = table(describe.name(), session);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"# col_name", "data_type", "comment"});
        for (Column column : table.dataColumns()) {
            rows.add(new Object[] {column.name(), column.type().hiveName(), column.comment().orElse("")});
        }
        if (table.isPartitioned()) {
            rows.add(new Object[] {"", "", ""});
            rows.add(new Object[] {"# Partition Information", "", ""});
            rows.add(new Object[] {"# col_name", "data_type", "comment"});
            for (Column column : table.partitionColumns()) {
                rows.add(new Object[] {column.name(), column.type().hiveName(), column.comment().orElse("")});
            }
        }
        rows.add(new Object[] {"", "", ""});
        rows.add(new Object[] {"# Detailed Table Information", "", ""});
        rows.add(new Object[] {"Database:", table.schemaName(), ""});
        rows.add(new Object[] {"Table:", table.tableName(), ""});
        rows.add(new Object[] {"Table Type:", table.tableType().name(), ""});
        rows.add(new Object[] {"Location:", table.location(), ""});
        rows.add(new Object[] {"Table Parameters:", "", ""});
        new TreeMap<>(definitionParameters(table)).forEach((key, value) -> rows.add(new Object[] {"", key, value}));
        rows.add(new Object[] {"", "", ""});
        rows.add(new Object[] {"# Storage Information", "", ""});
        rows.add(new Object[] {"SerDe Library:", table.storage().serde(), ""});
        rows.add(new Object[] {"InputFormat:", table.storage().inputFormat(), ""});
        rows.add(new Object[] {"OutputFormat:", table.storage().outputFormat(), ""});
        table.bucketing().ifPresent(bucketing -> {
            rows.add(new Object[] {"Num Buckets:", String.valueOf(bucketing.buckets()), ""});
            rows.add(new Object[] {"Bucket Columns:", bucketing.columns().toString(), ""});
        });
        rows.add(new Object[] {"Storage Desc Params:", "", ""});
        new TreeMap<>(table.storage().serdeParameters()).forEach((key, value) -> rows.add(new Object[] {"", key, value}));
        return rows(List.of("col_name", "data_type", "comment"), rows);
    }

    private StatementResult use(Statement.Use use, Session session)
    {
        List<String> parts = use.name().parts();
        if (parts.size() > 2) {
            throw error(SYNTAX_ERROR, use.name().pos(), "USE takes [catalog.]schema");
        }
        Optional<String> catalogChoice = parts.size() == 2 ? Optional.of(parts.get(0)) : Optional.empty();
        String schema = parts.getLast();
        String effective = catalogChoice.orElse(session.catalog());
        checkCatalog(effective, use.name().pos());
        if (effective.equals(catalogName) && !schema.equals(INFORMATION_SCHEMA) && catalog.getSchema(schema).isEmpty()) {
            throw error(SCHEMA_NOT_FOUND, use.name().pos(), "Schema '" + effective + "." + schema + "' does not exist");
        }
        return new StatementResult(List.of(), List.of().iterator(), () -> { }, catalogChoice, Optional.of(schema), Optional.of("USE"));
    }

    // --- schemas

    private StatementResult createSchema(Statement.CreateSchema create)
    {
        String name = schemaName(create.name());
        create.location().ifPresent(DdlExecutor::checkLocation);
        if (catalog.getSchema(name).isPresent()) {
            if (create.ifNotExists()) {
                return update("CREATE SCHEMA");
            }
            throw error(SCHEMA_ALREADY_EXISTS, create.name().pos(), "Schema '" + catalogName + "." + name + "' already exists");
        }
        catalog.createSchema(new Database(name, create.location().map(Statement.Located::value), create.comment(), create.properties()), create.ifNotExists());
        return update("CREATE SCHEMA");
    }

    private StatementResult dropSchema(Statement.DropSchema drop)
    {
        String name = schemaName(drop.name());
        if (catalog.getSchema(name).isEmpty()) {
            if (drop.ifExists()) {
                return update("DROP SCHEMA");
            }
            throw error(SCHEMA_NOT_FOUND, drop.name().pos(), "Schema '" + catalogName + "." + name + "' does not exist");
        }
        if (!drop.cascade() && !catalog.listTables(name).isEmpty()) {
            throw error(SCHEMA_NOT_EMPTY, drop.name().pos(), "Schema '" + catalogName + "." + name + "' is not empty: it has tables "
                    + catalog.listTables(name) + " (DROP ... CASCADE drops them, metadata only)");
        }
        catalog.dropSchema(name, drop.ifExists(), drop.cascade());
        return update("DROP SCHEMA");
    }

    // --- tables

    private StatementResult createTable(Statement.CreateTable create, Session session)
    {
        if (!create.external()) {
            throw error(NOT_SUPPORTED, create.pos(), "CREATE TABLE without EXTERNAL is not supported: Glaux creates external tables over object-store locations (CREATE EXTERNAL TABLE ... LOCATION 's3://...')");
        }
        List<String> name = tableName(create.name(), session);
        if (catalog.getSchema(name.get(1)).isEmpty()) {
            throw error(SCHEMA_NOT_FOUND, create.name().pos(), "Schema '" + name.get(0) + "." + name.get(1) + "' does not exist");
        }
        Statement.Located<String> location = create.location().orElseThrow(() ->
                error(GENERIC_USER_ERROR, create.pos(), "CREATE EXTERNAL TABLE needs LOCATION 's3://bucket/prefix/'"));
        checkLocation(location);
        Set<String> names = new HashSet<>();
        List<Column> dataColumns = columns(create.columns(), names);
        List<Column> partitionColumns = columns(create.partitionColumns(), names);
        for (int i = 0; i < partitionColumns.size(); i++) {
            if (!isPartitionType(partitionColumns.get(i).type())) {
                throw error(NOT_SUPPORTED, create.partitionColumns().get(i).type().pos(),
                        "Partition column '" + partitionColumns.get(i).name() + "' has type " + partitionColumns.get(i).type().hiveName() + "; partition columns must be of a primitive type");
            }
        }
        Optional<Bucketing> bucketing = create.bucketing().map(clause -> bucketing(clause, dataColumns));
        Map<String, String> parameters = new LinkedHashMap<>(create.properties());
        create.comment().ifPresent(comment -> parameters.put("comment", comment));
        parameters.remove("EXTERNAL");
        Table table = Table.external(name.get(1), name.get(2), dataColumns, partitionColumns,
                TableStorage.of(create.rowFormat(), create.storedAs()), location.value(), parameters).withBucketing(bucketing);
        if (catalog.getTable(name.get(1), name.get(2)).isPresent()) {
            if (create.ifNotExists()) {
                return update("CREATE TABLE");
            }
            throw error(TABLE_ALREADY_EXISTS, create.name().pos(), "Table '" + String.join(".", name) + "' already exists");
        }
        try {
            catalog.createTable(table, create.ifNotExists());
        }
        catch (GlauxException e) {
            if (e.rawMessage().contains("already exists")) {
                throw error(TABLE_ALREADY_EXISTS, create.name().pos(), "Table '" + String.join(".", name) + "' already exists");
            }
            throw e;
        }
        return update("CREATE TABLE");
    }

    private StatementResult dropTable(Statement.DropTable drop, Session session)
    {
        List<String> name = tableName(drop.name(), session);
        if (catalog.getSchema(name.get(1)).isEmpty()) {
            if (drop.ifExists()) {
                return update("DROP TABLE");
            }
            throw error(SCHEMA_NOT_FOUND, drop.name().pos(), "Schema '" + name.get(0) + "." + name.get(1) + "' does not exist");
        }
        Optional<Table> existing = catalog.getTable(name.get(1), name.get(2));
        if (existing.isEmpty()) {
            if (drop.ifExists()) {
                return update("DROP TABLE");
            }
            throw error(TABLE_NOT_FOUND, drop.name().pos(), "Table '" + String.join(".", name) + "' does not exist");
        }
        if (existing.get().tableType() == TableType.VIRTUAL_VIEW) {
            throw error(GENERIC_USER_ERROR, drop.name().pos(), "'" + String.join(".", name) + "' is a view, not a table: use DROP VIEW");
        }
        catalog.dropTable(name.get(1), name.get(2), drop.ifExists());
        return update("DROP TABLE");
    }

    /** Hive's {@code SHOW CREATE TABLE} layout; the text creates the same table again. */
    static String showCreateTable(Table table)
    {
        StringBuilder sql = new StringBuilder();
        sql.append("CREATE EXTERNAL TABLE ").append(quoteName(table.schemaName())).append('.').append(quoteName(table.tableName()));
        if (!table.dataColumns().isEmpty()) {
            sql.append("(\n").append(columnList(table.dataColumns())).append(")");
        }
        sql.append('\n');
        Optional.ofNullable(table.parameters().get("comment")).ifPresent(comment -> sql.append("COMMENT ").append(quoteHiveString(comment)).append('\n'));
        if (table.isPartitioned()) {
            sql.append("PARTITIONED BY (\n").append(columnList(table.partitionColumns())).append(")\n");
        }
        table.bucketing().ifPresent(bucketing -> {
            sql.append("CLUSTERED BY (\n  ").append(String.join(",\n  ", bucketing.columns().stream().map(DdlExecutor::quoteName).toList())).append(")\n");
            if (!bucketing.sortedBy().isEmpty()) {
                sql.append("SORTED BY (\n  ").append(String.join(",\n  ", bucketing.sortedBy().stream()
                        .map(column -> quoteName(column.name()) + (column.ascending() ? " ASC" : " DESC")).toList())).append(")\n");
            }
            sql.append("INTO ").append(bucketing.buckets()).append(" BUCKETS\n");
        });
        sql.append("ROW FORMAT SERDE\n  ").append(quoteHiveString(table.storage().serde())).append('\n');
        if (!table.storage().serdeParameters().isEmpty()) {
            sql.append("WITH SERDEPROPERTIES (\n").append(propertyList(table.storage().serdeParameters())).append(")\n");
        }
        sql.append("STORED AS INPUTFORMAT\n  ").append(quoteHiveString(table.storage().inputFormat())).append('\n');
        sql.append("OUTPUTFORMAT\n  ").append(quoteHiveString(table.storage().outputFormat())).append('\n');
        sql.append("LOCATION\n  ").append(quoteHiveString(table.location()));
        Map<String, String> properties = new HashMap<>(definitionParameters(table));
        properties.remove("comment");
        if (!properties.isEmpty()) {
            sql.append("\nTBLPROPERTIES (\n").append(propertyList(properties)).append(")");
        }
        return sql.toString();
    }

    private static String columnList(List<Column> columns)
    {
        List<String> lines = new ArrayList<>();
        for (Column column : columns) {
            lines.add("  " + quoteName(column.name()) + " " + column.type().hiveName()
                    + column.comment().map(comment -> " COMMENT " + quoteHiveString(comment)).orElse(""));
        }
        return String.join(",\n", lines);
    }

    private static String propertyList(Map<String, String> properties)
    {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(properties).forEach((key, value) -> lines.add("  " + quoteHiveString(key)
                + "=" + quoteHiveString(value)));
        return String.join(",\n", lines);
    }

    private static String quoteName(String name)
    {
        return "`" + name.replace("`", "``") + "`";
    }

    private static Map<String, String> definitionParameters(Table table)
    {
        Map<String, String> parameters = new HashMap<>(table.parameters());
        parameters.keySet().removeAll(METASTORE_PARAMETERS);
        return parameters;
    }

    private StatementResult showPartitions(Statement.ShowPartitions show, Session session)
    {
        Table table = table(show.name(), session);
        requirePartitioned(table, show.name().pos());
        List<Object[]> rows = new ArrayList<>();
        for (String name : catalog.listPartitionNames(table.schemaName(), table.tableName())) {
            rows.add(new Object[] {name});
        }
        return rows(List.of("partition"), rows);
    }

    private StatementResult showTableProperties(Statement.ShowTableProperties show, Session session)
    {
        Table table = table(show.name(), session);
        List<Object[]> rows = new ArrayList<>();
        new TreeMap<>(definitionParameters(table)).forEach((key, value) -> {
            if (show.key().isEmpty() || show.key().get().equals(key)) {
                rows.add(new Object[] {key, value});
            }
        });
        return rows(List.of("prpt_name", "prpt_value"), rows);
    }

    // --- ALTER TABLE

    private StatementResult addPartitions(Statement.AddPartitions add, Session session)
    {
        Table table = table(add.name(), session);
        requirePartitioned(table, add.name().pos());
        List<Partition> partitions = new ArrayList<>();
        for (Statement.AddPartition partition : add.partitions()) {
            List<String> values = partitionValues(table, partition.spec());
            partition.location().ifPresent(DdlExecutor::checkLocation);
            partitions.add(new Partition(values, partition.location().map(Statement.Located::value)
                    .orElse(table.location() + "/" + partitionName(table, values))));
        }
        if (!add.ifNotExists()) {
            List<String> existing = catalog.listPartitionNames(table.schemaName(), table.tableName());
            for (int i = 0; i < partitions.size(); i++) {
                String name = partitionName(table, partitions.get(i).values());
                if (existing.contains(name)) {
                    throw error(ALREADY_EXISTS, add.partitions().get(i).spec().pos(), "Partition " + name + " of table '" + table.qualifiedName() + "' already exists");
                }
            }
        }
        catalog.addPartitions(table.schemaName(), table.tableName(), partitions, add.ifNotExists());
        return update("ALTER TABLE");
    }

    private StatementResult dropPartitions(Statement.DropPartitions drop, Session session)
    {
        Table table = table(drop.name(), session);
        requirePartitioned(table, drop.name().pos());
        List<List<String>> values = new ArrayList<>();
        List<String> existing = catalog.listPartitionNames(table.schemaName(), table.tableName());
        for (Statement.PartitionSpec spec : drop.partitions()) {
            List<String> partition = partitionValues(table, spec);
            if (!drop.ifExists() && !existing.contains(partitionName(table, partition))) {
                throw error(GENERIC_USER_ERROR, spec.pos(), "Partition " + partitionName(table, partition) + " of table '" + table.qualifiedName() + "' does not exist");
            }
            values.add(partition);
        }
        catalog.dropPartitions(table.schemaName(), table.tableName(), values, drop.ifExists());
        return update("ALTER TABLE");
    }

    private StatementResult setPartitionLocation(Statement.SetPartitionLocation set, Session session)
    {
        Table table = table(set.name(), session);
        requirePartitioned(table, set.name().pos());
        List<String> values = partitionValues(table, set.partition());
        checkLocation(set.location());
        try {
            catalog.setPartitionLocation(table.schemaName(), table.tableName(), values, set.location().value());
        }
        catch (GlauxException e) {
            throw positioned(e, set.partition().pos());
        }
        return update("ALTER TABLE");
    }

    private StatementResult changeColumns(Statement.ChangeColumns change, Session session)
    {
        Table table = table(change.name(), session);
        Set<String> names = new HashSet<>();
        table.partitionColumns().forEach(column -> names.add(column.name()));
        List<Column> columns = new ArrayList<>();
        if (!change.replace()) {
            table.dataColumns().forEach(column -> names.add(column.name()));
            columns.addAll(table.dataColumns());
        }
        columns.addAll(columns(change.columns(), names));
        if (change.replace() && table.bucketing().isPresent()) {
            for (String column : table.bucketing().get().columns()) {
                if (columns.stream().noneMatch(c -> c.name().equals(column))) {
                    throw error(GENERIC_USER_ERROR, change.pos(), "REPLACE COLUMNS would remove bucketing column '" + column + "' of table '" + table.qualifiedName() + "'");
                }
            }
        }
        catalog.alterTable(table.withDataColumns(columns));
        return update("ALTER TABLE");
    }

    private StatementResult changeColumn(Statement.ChangeColumn change, Session session)
    {
        Table table = table(change.name(), session);
        String old = change.column().value().toLowerCase(Locale.ROOT);
        if (table.partitionColumns().stream().anyMatch(column -> column.name().equals(old))) {
            throw error(NOT_SUPPORTED, change.column().pos(), "'" + old + "' is a partition column of table '" + table.qualifiedName()
                    + "'; CHANGE COLUMN changes data columns only");
        }
        List<Column> columns = new ArrayList<>(table.dataColumns());
        int index = indexOf(columns, old);
        if (index < 0) {
            throw error(COLUMN_NOT_FOUND, change.column().pos(), "Column '" + old + "' does not exist in table '" + table.qualifiedName() + "'");
        }
        columns.remove(index);
        Set<String> names = new HashSet<>();
        table.partitionColumns().forEach(column -> names.add(column.name()));
        columns.forEach(column -> names.add(column.name()));
        Column changed = columns(List.of(change.definition()), names).getFirst();
        if (change.first()) {
            index = 0;
        }
        else if (change.after().isPresent()) {
            String after = change.after().get().value().toLowerCase(Locale.ROOT);
            index = indexOf(columns, after) + 1;
            if (index == 0) {
                throw error(COLUMN_NOT_FOUND, change.after().get().pos(), "Column '" + after + "' does not exist in table '" + table.qualifiedName() + "'");
            }
        }
        if (!changed.name().equals(old) && table.bucketing().map(bucketing -> bucketing.columns().contains(old)).orElse(false)) {
            throw error(NOT_SUPPORTED, change.column().pos(), "Column '" + old + "' is a bucketing column of table '" + table.qualifiedName() + "' and cannot be renamed");
        }
        columns.add(index, changed);
        catalog.alterTable(table.withDataColumns(columns));
        return update("ALTER TABLE");
    }

    private static int indexOf(List<Column> columns, String name)
    {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private StatementResult setTableProperties(Statement.SetTableProperties set, Session session)
    {
        Table table = table(set.name(), session);
        Map<String, String> parameters = new HashMap<>(table.parameters());
        parameters.putAll(set.properties());
        parameters.remove("EXTERNAL");
        catalog.alterTable(table.withParameters(parameters));
        return update("ALTER TABLE");
    }

    // --- MSCK REPAIR TABLE

    /**
     * Finds {@code col=value/} prefixes under the table's location, one delimiter listing per level
     * (never a listing of every file), and adds the partitions the metastore does not have ({@code ADD
     * PARTITIONS}, the default); with {@code DROP PARTITIONS} drops the partitions whose location holds
     * no object any more, with {@code SYNC PARTITIONS} does both. Returns the partitions added and
     * dropped. Prefixes whose names do not match the partition columns, or whose values do not fit the
     * column types, are skipped.
     */
    private StatementResult msckRepair(Statement.MsckRepair repair, Session session)
    {
        Table table = table(repair.name(), session);
        requirePartitioned(table, repair.name().pos());
        S3Location root;
        try {
            root = ObjectStore.parse(table.location());
        }
        catch (IllegalArgumentException e) {
            throw error(INVALID_LOCATION, repair.name().pos(), "Table '" + table.qualifiedName() + "' has location '" + table.location() + "', which is not an S3 location");
        }
        String prefix = root.key().isEmpty() || root.key().endsWith("/") ? root.key() : root.key() + "/";
        List<Partition> partitions = catalog.getPartitions(table.schemaName(), table.tableName());
        Set<List<String>> existing = new HashSet<>();
        for (Partition partition : partitions) {
            existing.add(partition.values());
        }
        List<Object[]> rows = new ArrayList<>();
        if (repair.add()) {
            List<Partition> found = new ArrayList<>();
            discover(table, root.bucket(), prefix, 0, new ArrayList<>(), found);
            List<Partition> missing = found.stream().filter(partition -> !existing.contains(partition.values())).toList();
            catalog.addPartitions(table.schemaName(), table.tableName(), missing, true);
            missing.forEach(partition -> rows.add(new Object[] {partitionName(table, partition.values()), "added"}));
        }
        if (repair.drop()) {
            List<List<String>> stale = new ArrayList<>();
            for (Partition partition : partitions) {
                if (isEmpty(partition.location())) {
                    stale.add(partition.values());
                    rows.add(new Object[] {partitionName(table, partition.values()), "dropped"});
                }
            }
            if (!stale.isEmpty()) {
                catalog.dropPartitions(table.schemaName(), table.tableName(), stale, true);
            }
        }
        rows.sort((left, right) -> ((String) left[0]).compareTo((String) right[0]));
        return rows(List.of("partition", "action"), rows);
    }

    /** Whether no object lies under a partition's location (a location that is not S3 counts as not empty: it is left alone). */
    private boolean isEmpty(String location)
    {
        S3Location parsed;
        try {
            parsed = ObjectStore.parse(location);
        }
        catch (IllegalArgumentException e) {
            return false;
        }
        String key = parsed.key().isEmpty() || parsed.key().endsWith("/") ? parsed.key() : parsed.key() + "/";
        return !objectStore.listIterator(parsed.bucket(), key).hasNext();
    }

    private void discover(Table table, String bucket, String prefix, int level, List<String> values, List<Partition> found)
    {
        Column column = table.partitionColumns().get(level);
        for (String child : objectStore.listPrefixes(bucket, prefix)) {
            String segment = child.substring(prefix.length(), child.length() - 1);
            int equals = segment.indexOf('=');
            if (equals < 0 || !segment.substring(0, equals).equalsIgnoreCase(column.name())) {
                continue;
            }
            String value = unescapePathName(segment.substring(equals + 1));
            if (!fits(column.type(), value)) {
                continue;
            }
            List<String> next = new ArrayList<>(values);
            next.add(value);
            if (level + 1 == table.partitionColumns().size()) {
                found.add(new Partition(next, "s3://" + bucket + "/" + child.substring(0, child.length() - 1)));
            }
            else {
                discover(table, bucket, child, level + 1, next, found);
            }
        }
    }

    // --- views

    private StatementResult createView(Statement.CreateView create, String sql, Session session)
    {
        List<String> name = tableName(create.name(), session);
        if (catalog.getSchema(name.get(1)).isEmpty()) {
            throw error(SCHEMA_NOT_FOUND, create.name().pos(), "Schema '" + name.get(0) + "." + name.get(1) + "' does not exist");
        }
        Optional<Table> existing = catalog.getTable(name.get(1), name.get(2));
        if (existing.isPresent() && (!create.replace() || existing.get().tableType() != TableType.VIRTUAL_VIEW)) {
            throw error(TABLE_ALREADY_EXISTS, create.name().pos(), (existing.get().tableType() == TableType.VIRTUAL_VIEW ? "View '" : "Table '")
                    + String.join(".", name) + "' already exists");
        }
        String query = sql.substring(SqlParserUtil.lineColToIndex(sql, create.queryPos().getLineNum(), create.queryPos().getColumnNum())).strip();
        QueryPlanner.Plan plan;
        try {
            plan = planner.plan(query, session.catalog(), session.schema());
        }
        catch (GlauxException e) {
            // positions in the query are positions in the statement, shifted by where the query starts
            throw e.location().map(location -> new GlauxException(e.errorCode(), DdlErrors.location(shift(create.queryPos(), location)), e.rawMessage(), e))
                    .orElse(e);
        }
        List<TrinoView.ViewColumn> viewColumns = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < plan.columnNames().size(); i++) {
            String type = TypeMapping.trinoName(plan.rowType().getFieldList().get(i).getType());
            String columnName = plan.columnNames().get(i).toLowerCase(Locale.ROOT);
            viewColumns.add(new TrinoView.ViewColumn(columnName, type));
            columns.add(new Column(columnName, TypeParser.parse(type)));
        }
        TrinoView view = new TrinoView(query, session.catalog(), session.schema(), viewColumns, session.user(), false);
        Table table = new Table(name.get(1), name.get(2), TableType.VIRTUAL_VIEW, columns, List.of(), StorageFormat.NONE, "",
                Map.of(TrinoView.VIEW_FLAG, "true", "comment", "Presto View"), Optional.of(view.encode()), Optional.of(TrinoView.EXPANDED_TEXT));
        if (existing.isPresent()) {
            catalog.alterTable(table);
        }
        else {
            catalog.createTable(table, false);
        }
        return update("CREATE VIEW");
    }

    private static SqlParserPos shift(SqlParserPos start, io.glaux.spi.error.ErrorLocation location)
    {
        int line = start.getLineNum() + location.line() - 1;
        int column = location.line() == 1 ? start.getColumnNum() + location.column() - 1 : location.column();
        return new SqlParserPos(line, column);
    }

    private StatementResult dropView(Statement.DropView drop, Session session)
    {
        List<String> name = tableName(drop.name(), session);
        Optional<Table> existing = catalog.getSchema(name.get(1)).isEmpty() ? Optional.empty() : catalog.getTable(name.get(1), name.get(2));
        if (existing.isEmpty()) {
            if (drop.ifExists()) {
                return update("DROP VIEW");
            }
            throw error(TABLE_NOT_FOUND, drop.name().pos(), "View '" + String.join(".", name) + "' does not exist");
        }
        if (existing.get().tableType() != TableType.VIRTUAL_VIEW) {
            throw error(GENERIC_USER_ERROR, drop.name().pos(), "'" + String.join(".", name) + "' is a table, not a view: use DROP TABLE");
        }
        catalog.dropTable(name.get(1), name.get(2), drop.ifExists());
        return update("DROP VIEW");
    }

    private String showCreateView(Statement.ShowCreateView show, Session session)
    {
        Table table = relation(show.name(), session);
        if (table.tableType() != TableType.VIRTUAL_VIEW) {
            throw error(GENERIC_USER_ERROR, show.name().pos(), "'" + table.qualifiedName() + "' is a table, not a view: use SHOW CREATE TABLE");
        }
        // a Hive or Spark view shows its HiveQL as written
        String query = TrinoView.of(table).map(TrinoView::originalSql).or(table::viewOriginalText)
                .orElseThrow(() -> error(NOT_SUPPORTED, show.name().pos(), "View '" + table.qualifiedName() + "' has no query text"));
        return "CREATE VIEW " + quoteName(table.schemaName()) + "." + quoteName(table.tableName()) + " AS " + query;
    }

    // --- helpers

    private static StatementResult update(String updateType)
    {
        return new StatementResult(List.of(), List.of().iterator(), () -> { }, Optional.empty(), Optional.empty(), Optional.of(updateType));
    }

    private StatementResult rows(List<String> names, List<Object[]> rows)
    {
        List<ResultColumn> columns = names.stream().map(name -> new ResultColumn(name, varchar)).toList();
        return StatementResult.of(columns, rows);
    }

    private List<Column> columns(List<Statement.ColumnDefinition> definitions, Set<String> names)
    {
        List<Column> columns = new ArrayList<>();
        for (Statement.ColumnDefinition definition : definitions) {
            String name = definition.name().value().toLowerCase(Locale.ROOT);
            if (!names.add(name)) {
                throw error(DUPLICATE_COLUMN_NAME, definition.name().pos(), "Column '" + name + "' is specified more than once");
            }
            Type type;
            try {
                type = TypeParser.parse(definition.type().value());
            }
            catch (GlauxException e) {
                throw error(TYPE_NOT_FOUND, definition.type().pos(), "Unknown type '" + definition.type().value() + "' for column '" + name + "': "
                        + e.rawMessage().replaceFirst("^Invalid type '.*' at offset \\d+: ", ""));
            }
            columns.add(new Column(name, type, definition.comment()));
        }
        return columns;
    }

    private static Bucketing bucketing(Statement.Bucketing clause, List<Column> dataColumns)
    {
        for (Statement.Located<String> column : clause.columns()) {
            requireDataColumn(column, dataColumns, "Bucketing");
        }
        List<Bucketing.SortColumn> sortedBy = new ArrayList<>();
        for (int i = 0; i < clause.sortedBy().size(); i++) {
            requireDataColumn(clause.sortedBy().get(i), dataColumns, "Sort");
            sortedBy.add(new Bucketing.SortColumn(clause.sortedBy().get(i).value(), clause.ascending().get(i)));
        }
        if (clause.buckets().value() <= 0) {
            throw error(GENERIC_USER_ERROR, clause.buckets().pos(), "The number of buckets must be positive");
        }
        return new Bucketing(clause.columns().stream().map(Statement.Located::value).toList(), sortedBy, clause.buckets().value());
    }

    private static void requireDataColumn(Statement.Located<String> column, List<Column> dataColumns, String what)
    {
        if (dataColumns.stream().noneMatch(dataColumn -> dataColumn.name().equalsIgnoreCase(column.value()))) {
            throw error(COLUMN_NOT_FOUND, column.pos(), what + " column '" + column.value() + "' is not a column of the table");
        }
    }

    /** The values of a partition spec in partition-column order, each checked against its column's type. */
    private static List<String> partitionValues(Table table, Statement.PartitionSpec spec)
    {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < spec.keys().size(); i++) {
            String key = spec.keys().get(i).value().toLowerCase(Locale.ROOT);
            if (table.partitionColumns().stream().noneMatch(column -> column.name().equals(key))) {
                throw error(INVALID_PARTITION_VALUE, spec.keys().get(i).pos(), "'" + key + "' is not a partition column of table '" + table.qualifiedName()
                        + "' (partition columns: " + String.join(", ", table.partitionColumns().stream().map(Column::name).toList()) + ")");
            }
            if (index.put(key, i) != null) {
                throw error(INVALID_PARTITION_VALUE, spec.keys().get(i).pos(), "Partition column '" + key + "' is given twice");
            }
        }
        List<String> values = new ArrayList<>();
        for (Column column : table.partitionColumns()) {
            Integer i = index.get(column.name());
            if (i == null) {
                throw error(INVALID_PARTITION_VALUE, spec.pos(), "Partition spec has no value for partition column '" + column.name() + "' of table '" + table.qualifiedName() + "'");
            }
            Statement.Located<String> value = spec.values().get(i);
            if (!fits(column.type(), value.value())) {
                throw error(INVALID_PARTITION_VALUE, value.pos(), "Value '" + value.value() + "' does not fit partition column '" + column.name() + "' of type " + column.type().hiveName());
            }
            values.add(value.value());
        }
        return values;
    }

    /** Whether a partition value (Hive keeps them as strings) is a value of the column's type. */
    static boolean fits(Type type, String value)
    {
        try {
            return switch (type) {
                case Type.Varchar varchar -> varchar.length() == Type.Varchar.UNBOUNDED || value.length() <= varchar.length();
                case Type.Decimal decimal -> {
                    BigDecimal number = new BigDecimal(value);
                    yield number.scale() <= decimal.scale() && number.precision() - number.scale() <= decimal.precision() - decimal.scale();
                }
                case Type.Timestamp ignored -> {
                    LocalDateTime.parse(value, TIMESTAMP);
                    yield true;
                }
                case Type.Primitive primitive -> switch (primitive.kind()) {
                    case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
                    case TINYINT -> inRange(value, Byte.MIN_VALUE, Byte.MAX_VALUE);
                    case SMALLINT -> inRange(value, Short.MIN_VALUE, Short.MAX_VALUE);
                    case INTEGER -> inRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    case BIGINT -> inRange(value, Long.MIN_VALUE, Long.MAX_VALUE);
                    case REAL, DOUBLE -> {
                        Double.parseDouble(value);
                        yield true;
                    }
                    case DATE -> {
                        LocalDate.parse(value);
                        yield true;
                    }
                    default -> true;
                };
                default -> false;
            };
        }
        catch (NumberFormatException | DateTimeParseException e) {
            return false;
        }
    }

    private static boolean inRange(String value, long min, long max)
    {
        long number = Long.parseLong(value.trim());
        return number >= min && number <= max;
    }

    private static boolean isPartitionType(Type type)
    {
        return type instanceof Type.Primitive || type instanceof Type.Varchar || type instanceof Type.Decimal || type instanceof Type.Timestamp;
    }

    private static void requirePartitioned(Table table, SqlParserPos pos)
    {
        if (!table.isPartitioned()) {
            throw error(GENERIC_USER_ERROR, pos, "Table '" + table.qualifiedName() + "' is not partitioned");
        }
    }

    /** {@code dt=2024-01-01/hour=00}, with Hive's escaping of special characters in values. */
    static String partitionName(Table table, List<String> values)
    {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parts.add(table.partitionColumns().get(i).name() + "=" + escapePathName(values.get(i)));
        }
        return String.join("/", parts);
    }

    /** Hive's path escaping: characters that are special in paths become {@code %XX}. */
    private static String escapePathName(String value)
    {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c < 0x20 || "\"#%'*/:=?\\\u007f{[]^".indexOf(c) >= 0) {
                out.append('%').append(String.format("%02X", (int) c));
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescapePathName(String value)
    {
        if (value.indexOf('%') < 0) {
            return value;
        }
        try {
            return URLDecoder.decode(value.replace("+", URLEncoder.encode("+", StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static void checkLocation(Statement.Located<String> location)
    {
        String value = location.value();
        int schemeEnd = value.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!(scheme.equals("s3") || scheme.equals("s3a") || scheme.equals("s3n")) || value.length() <= schemeEnd + 3 || value.charAt(schemeEnd + 3) == '/') {
            throw error(INVALID_LOCATION, location.pos(), "Location '" + value + "' is not an object-store location: use s3://bucket/prefix/ (or s3a://, s3n://)");
        }
        // a path that climbs out of its prefix, or hides characters, would reach objects the location does not name
        // (and, on a file-system-backed store, files outside the bucket)
        String path = value.substring(schemeEnd + 3);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw error(INVALID_LOCATION, location.pos(), "Location '%s' has a control character or a backslash at position %d".formatted(
                        value.replaceAll("\\p{Cntrl}", "?"), schemeEnd + 4 + i));
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw error(INVALID_LOCATION, location.pos(), "Location '" + value + "' has a '" + segment + "' path segment: name the prefix itself");
            }
        }
    }

    /** A table (not a view) of this catalog. */
    private Table table(Statement.Name name, Session session)
    {
        Table table = relation(name, session);
        if (table.tableType() == TableType.VIRTUAL_VIEW) {
            throw error(NOT_SUPPORTED, name.pos(), "'" + catalogName + "." + table.qualifiedName() + "' is a view, not a table");
        }
        return table;
    }

    /** A table or view of this catalog. */
    private Table relation(Statement.Name name, Session session)
    {
        List<String> qualified = tableName(name, session);
        if (catalog.getSchema(qualified.get(1)).isEmpty()) {
            throw error(SCHEMA_NOT_FOUND, name.pos(), "Schema '" + qualified.get(0) + "." + qualified.get(1) + "' does not exist");
        }
        return catalog.getTable(qualified.get(1), qualified.get(2))
                .orElseThrow(() -> error(TABLE_NOT_FOUND, name.pos(), "Table '" + String.join(".", qualified) + "' does not exist"));
    }

    /** {@code [catalog, schema, table]} of a table in this catalog. */
    private List<String> tableName(Statement.Name name, Session session)
    {
        List<String> qualified = qualify(name, session);
        checkCatalog(qualified.get(0), name.pos());
        if (!qualified.get(0).equals(catalogName)) {
            throw error(NOT_SUPPORTED, name.pos(), "Catalog '" + qualified.get(0) + "' is read-only: its tables cannot be changed or described this way");
        }
        return qualified;
    }

    private static List<String> qualify(Statement.Name name, Session session)
    {
        List<String> parts = name.parts();
        return switch (parts.size()) {
            case 1 -> List.of(session.catalog(), session.schema(), parts.get(0));
            case 2 -> List.of(session.catalog(), parts.get(0), parts.get(1));
            case 3 -> parts;
            default -> throw error(SYNTAX_ERROR, name.pos(), "Too many dots in table name '" + name + "'");
        };
    }

    /** The schema of {@code [catalog.]schema} in this catalog, the only one whose schemas change. */
    private String schemaName(Statement.Name name)
    {
        if (name.parts().size() == 2) {
            String catalogChoice = name.parts().getFirst();
            checkCatalog(catalogChoice, name.pos());
            if (!catalogChoice.equals(catalogName)) {
                throw error(NOT_SUPPORTED, name.pos(), "Catalog '" + catalogChoice + "' is read-only: its schemas cannot be created or dropped");
            }
            return name.parts().getLast();
        }
        if (name.parts().size() > 2) {
            throw error(SYNTAX_ERROR, name.pos(), "Expected [catalog.]schema but found '" + name + "'");
        }
        return name.parts().getFirst();
    }

    /** The database behind {@code [catalog.]schema}, resolved in the session's catalog. */
    private Database database(Statement.Name name, Session session)
    {
        String catalogChoice = name.parts().size() == 2 ? name.parts().getFirst() : session.catalog();
        if (name.parts().size() > 2) {
            throw error(SYNTAX_ERROR, name.pos(), "Expected [catalog.]schema but found '" + name + "'");
        }
        checkCatalog(catalogChoice, name.pos());
        String schema = name.parts().getLast();
        if (!catalogChoice.equals(catalogName)) {
            throw error(NOT_SUPPORTED, name.pos(), "Schema '" + catalogChoice + "." + schema + "' is built in: it has no CREATE SCHEMA statement");
        }
        return catalog.getSchema(schema).orElseThrow(() -> error(SCHEMA_NOT_FOUND, name.pos(), "Schema '" + catalogChoice + "." + schema + "' does not exist"));
    }

    private static String single(Statement.Name name, String what)
    {
        if (name.parts().size() != 1) {
            throw error(SYNTAX_ERROR, name.pos(), "Expected a " + what + " name but found '" + name + "'");
        }
        return name.parts().getFirst();
    }

    private void checkCatalog(String name, SqlParserPos pos)
    {
        if (!name.equals(catalogName) && !name.equals("system")) {
            throw error(CATALOG_NOT_FOUND, pos, "Catalog '" + name + "' does not exist");
        }
    }

    private static String quote(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }
}
