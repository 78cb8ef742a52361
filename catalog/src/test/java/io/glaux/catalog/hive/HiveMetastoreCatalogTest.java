package io.glaux.catalog.hive;

import static io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR;
import static io.glaux.spi.error.ErrorCode.METASTORE_ERROR;
import static io.glaux.spi.error.ErrorCode.SCHEMA_NOT_FOUND;
import static io.glaux.spi.error.ErrorCode.TABLE_NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.embedded.EmbeddedMetastore;
import io.glaux.catalog.model.Bucketing;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.ColumnStatistics;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.model.TableType;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@link HiveMetastoreCatalog} against the real Hive metastore (embedded, reached over Thrift). */
class HiveMetastoreCatalogTest
{
    @TempDir
    static Path dataDir;

    private static EmbeddedMetastore metastore;

    @BeforeAll
    static void startMetastore()
    {
        metastore = EmbeddedMetastore.start(dataDir, 0);
    }

    @AfterAll
    static void stopMetastore()
    {
        if (metastore != null) {
            metastore.close();
        }
    }

    static List<Column> logColumns()
    {
        return List.of(
                new Column("request_id", Type.BIGINT, Optional.of("unique per request")),
                new Column("message", Type.VARCHAR),
                new Column("latency", Type.DOUBLE),
                new Column("ts", Type.TIMESTAMP),
                new Column("status", Type.INTEGER),
                new Column("tags", new Type.Array(Type.VARCHAR)),
                new Column("counts", new Type.MapType(Type.VARCHAR, Type.INTEGER)),
                new Column("detail", TypeParser.parse("struct<a:int,b:string>")));
    }

    static Table logsTable(String schema, String name, String location)
    {
        return Table.external(
                schema,
                name,
                logColumns(),
                List.of(new Column("dt", Type.VARCHAR)),
                StorageFormat.PARQUET,
                location,
                Map.of("comment", "access logs", "parquet.compression", "SNAPPY"));
    }

    static List<Partition> days(String location)
    {
        List<Partition> partitions = new ArrayList<>();
        for (int day = 1; day <= 3; day++) {
            String dt = "2024-01-0" + day;
            partitions.add(new Partition(List.of(dt), location + "dt=" + dt));
        }
        return partitions;
    }

    @Test
    void roundTripsColumnStatistics()
    {
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            catalog.createSchema(Database.named("stats"), false);
            Table table = Table.external("stats", "orders", List.of(new Column("id", Type.BIGINT), new Column("status", Type.VARCHAR),
                    new Column("price", new Type.Decimal(12, 2)), new Column("day", Type.DATE), new Column("score", Type.DOUBLE), new Column("tags", new Type.Array(Type.VARCHAR))),
                    List.of(), StorageFormat.PARQUET, "s3://bucket/orders/", Map.of());
            catalog.createTable(table, false);
            assertThat(catalog.getColumnStatistics("stats", "orders", List.of("id", "status"))).isEmpty();

            ColumnStatistics id = new ColumnStatistics(OptionalLong.of(15_000), OptionalLong.of(0), OptionalDouble.of(1), OptionalDouble.of(60_000));
            ColumnStatistics status = new ColumnStatistics(OptionalLong.of(3), OptionalLong.of(7), OptionalDouble.empty(), OptionalDouble.empty());
            ColumnStatistics price = new ColumnStatistics(OptionalLong.of(14_000), OptionalLong.of(0), OptionalDouble.of(857.71), OptionalDouble.of(555_285.16));
            ColumnStatistics day = new ColumnStatistics(OptionalLong.of(2_400), OptionalLong.of(0), OptionalDouble.of(8_035), OptionalDouble.of(10_440));
            ColumnStatistics score = new ColumnStatistics(OptionalLong.of(10), OptionalLong.of(1), OptionalDouble.of(-0.5), OptionalDouble.of(2.25));
            catalog.setColumnStatistics("stats", "ORDERS", Map.of("id", id, "Status", status, "price", price, "day", day, "score", score));

            // read back by a new catalog, as the coordinator's planner reads them
            try (HiveMetastoreCatalog reader = HiveMetastoreCatalog.connect(metastore.uri())) {
                assertThat(reader.getColumnStatistics("stats", "orders", List.of("ID", "status", "price", "day", "score", "tags")))
                        .isEqualTo(Map.of("id", id, "status", status, "price", price, "day", day, "score", score));
            }
            assertThatThrownBy(() -> catalog.setColumnStatistics("stats", "orders", Map.of("nope", id)))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.COLUMN_NOT_FOUND));
            assertThatThrownBy(() -> catalog.setColumnStatistics("stats", "orders", Map.of("tags", id)))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.NOT_SUPPORTED))
                    .hasMessageContaining("'tags' of type array(varchar)");
        }
    }

    @Test
    void roundTripsSchemaTableAndPartitions()
    {
        try (HiveMetastoreCatalog writer = HiveMetastoreCatalog.connect(metastore.uri())) {
            writer.createSchema(new Database("Web", Optional.empty(), Optional.of("web logs"), Map.of("owner-team", "sre")), false);
            writer.createTable(logsTable("web", "Logs", "s3://bucket/logs/"), false);
            writer.addPartitions("web", "logs", days("s3://bucket/logs/"), false);
        }

        // a NEW catalog (no cache shared with the writer) reads everything back
        try (HiveMetastoreCatalog reader = HiveMetastoreCatalog.connect(metastore.uri())) {
            assertThat(reader.listSchemas()).contains("default", "web");
            Database schema = reader.getSchema("WEB").orElseThrow();
            assertThat(schema.name()).isEqualTo("web");
            assertThat(schema.comment()).contains("web logs");
            assertThat(schema.parameters()).isEqualTo(Map.of("owner-team", "sre"));
            assertThat(schema.location()).hasValueSatisfying(location -> assertThat(location).endsWith("/warehouse-external/web.db"));

            assertThat(reader.listTables("web")).containsExactly("logs");
            Table table = reader.getTable("web", "LOGS").orElseThrow();
            assertThat(table.schemaName()).isEqualTo("web");
            assertThat(table.tableName()).isEqualTo("logs");
            assertThat(table.tableType()).isEqualTo(TableType.EXTERNAL_TABLE);
            assertThat(table.dataColumns()).isEqualTo(logColumns());
            assertThat(table.dataColumns()).extracting(column -> column.type().hiveName()).containsExactly(
                    "bigint", "string", "double", "timestamp", "int", "array<string>", "map<string,int>", "struct<a:int,b:string>");
            assertThat(table.partitionColumns()).containsExactly(new Column("dt", Type.VARCHAR));
            assertThat(table.storage()).isEqualTo(StorageFormat.PARQUET);
            // the metastore normalizes locations: no trailing slash
            assertThat(table.location()).isEqualTo("s3://bucket/logs");
            assertThat(table.parameters()).isEqualTo(Map.of("comment", "access logs", "parquet.compression", "SNAPPY"));
            assertThat(table.viewOriginalText()).isEmpty();
            assertThat(table.viewExpandedText()).isEmpty();
            assertThat(table.isPartitioned()).isTrue();
            assertThat(table.column("DT")).contains(new Column("dt", Type.VARCHAR));

            assertThat(reader.listPartitionNames("web", "logs")).containsExactly("dt=2024-01-01", "dt=2024-01-02", "dt=2024-01-03");
            assertThat(reader.getPartitions("web", "logs")).containsExactly(
                    new Partition(List.of("2024-01-01"), "s3://bucket/logs/dt=2024-01-01"),
                    new Partition(List.of("2024-01-02"), "s3://bucket/logs/dt=2024-01-02"),
                    new Partition(List.of("2024-01-03"), "s3://bucket/logs/dt=2024-01-03"));

            // adding existing partitions: an error, or skipped with ifNotExists
            assertThatThrownBy(() -> reader.addPartitions("web", "logs", days("s3://bucket/logs/").subList(0, 1), false))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(GENERIC_USER_ERROR))
                    .hasMessageContaining("web.logs");
            reader.addPartitions("web", "logs", List.of(
                    new Partition(List.of("2024-01-03"), "s3://bucket/logs/dt=2024-01-03"),
                    new Partition(List.of("2024-01-04"), "")), true);
            assertThat(reader.getPartitions("web", "logs")).hasSize(4)
                    .last().isEqualTo(new Partition(List.of("2024-01-04"), "s3://bucket/logs/dt=2024-01-04"));

            // drop: metadata only, and the schema can go once it is empty
            reader.dropTable("web", "logs", false);
            assertThat(reader.getTable("web", "logs")).isEmpty();
            assertThat(reader.listTables("web")).isEmpty();
            reader.dropTable("web", "logs", true);
            reader.dropSchema("web", false, false);
            assertThat(reader.getSchema("web")).isEmpty();
            assertThat(reader.listSchemas()).doesNotContain("web");
        }
    }

    @Test
    void tablesReadBackThroughTheRawHiveClientWithStandardClassNames()
            throws Exception
    {
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            catalog.createSchema(Database.named("interop"), true);
            catalog.createTable(logsTable("interop", "logs", "s3a://bucket/interop/logs"), false);
            catalog.addPartitions("interop", "logs", days("s3a://bucket/interop/logs/"), false);
        }

        Configuration conf = new Configuration();
        MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, metastore.uri());
        HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
        try {
            org.apache.hadoop.hive.metastore.api.Table table = client.getTable(new GetTableRequest("interop", "logs"));
            assertThat(table.getTableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(table.getParameters()).containsEntry("EXTERNAL", "TRUE").containsEntry("comment", "access logs");
            assertThat(table.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
            assertThat(table.getSd().getInputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
            assertThat(table.getSd().getOutputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
            assertThat(table.getSd().getLocation()).isEqualTo("s3a://bucket/interop/logs");
            assertThat(table.getSd().getCols()).extracting(FieldSchema::getName, FieldSchema::getType).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("request_id", "bigint"),
                    org.assertj.core.groups.Tuple.tuple("message", "string"),
                    org.assertj.core.groups.Tuple.tuple("latency", "double"),
                    org.assertj.core.groups.Tuple.tuple("ts", "timestamp"),
                    org.assertj.core.groups.Tuple.tuple("status", "int"),
                    org.assertj.core.groups.Tuple.tuple("tags", "array<string>"),
                    org.assertj.core.groups.Tuple.tuple("counts", "map<string,int>"),
                    org.assertj.core.groups.Tuple.tuple("detail", "struct<a:int,b:string>"));
            assertThat(table.getSd().getCols().get(0).getComment()).isEqualTo("unique per request");
            assertThat(table.getPartitionKeys()).extracting(FieldSchema::getName, FieldSchema::getType)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("dt", "string"));

            List<org.apache.hadoop.hive.metastore.api.Partition> partitions = client.listPartitions("interop", "logs", (short) -1);
            assertThat(partitions).hasSize(3);
            for (org.apache.hadoop.hive.metastore.api.Partition partition : partitions) {
                assertThat(partition.getSd().getLocation()).isEqualTo("s3a://bucket/interop/logs/dt=" + partition.getValues().get(0));
                assertThat(partition.getSd().getSerdeInfo().getSerializationLib()).isEqualTo(StorageFormat.PARQUET_SERDE);
                assertThat(partition.getSd().getInputFormat()).isEqualTo(StorageFormat.PARQUET_INPUT_FORMAT);
            }

            // and the other way: a table created by a plain Hive client reads through the catalog
            org.apache.hadoop.hive.metastore.api.Table copy = table.deepCopy();
            copy.setTableName("hive_made");
            copy.getSd().setLocation("s3://bucket/hive_made");
            client.createTable(copy);
        }
        finally {
            client.close();
        }

        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            Table hiveMade = catalog.getTable("interop", "hive_made").orElseThrow();
            assertThat(hiveMade.dataColumns()).isEqualTo(logColumns());
            assertThat(hiveMade.location()).isEqualTo("s3://bucket/hive_made");
            assertThat(hiveMade.tableType()).isEqualTo(TableType.EXTERNAL_TABLE);
            catalog.dropSchema("interop", false, true);
            assertThat(catalog.getSchema("interop")).isEmpty();
        }
    }

    @Test
    void missingObjectsHaveTheirErrorCodes()
    {
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            assertThat(catalog.getSchema("nope")).isEmpty();
            assertError(() -> catalog.listTables("nope"), SCHEMA_NOT_FOUND, "Schema 'nope' does not exist");
            assertError(() -> catalog.getTable("nope", "t"), SCHEMA_NOT_FOUND, "Schema 'nope' does not exist");
            assertError(() -> catalog.dropSchema("nope", false, false), SCHEMA_NOT_FOUND, "Schema 'nope' does not exist");
            catalog.dropSchema("nope", true, false);
            assertError(() -> catalog.createTable(logsTable("nope", "t", "s3://b/t"), false), SCHEMA_NOT_FOUND, "Schema 'nope' does not exist");
            assertError(() -> catalog.getPartitions("nope", "t"), SCHEMA_NOT_FOUND, "Schema 'nope' does not exist");

            catalog.createSchema(Database.named("errors"), false);
            assertError(() -> catalog.createSchema(Database.named("errors"), false), GENERIC_USER_ERROR, "Schema 'errors' already exists");
            catalog.createSchema(Database.named("errors"), true);

            assertThat(catalog.getTable("errors", "missing")).isEmpty();
            assertError(() -> catalog.dropTable("errors", "missing", false), TABLE_NOT_FOUND, "Table 'errors.missing' does not exist");
            catalog.dropTable("errors", "missing", true);
            assertError(() -> catalog.getPartitions("errors", "missing"), TABLE_NOT_FOUND, "Table 'errors.missing' does not exist");
            assertError(() -> catalog.listPartitionNames("errors", "missing"), TABLE_NOT_FOUND, "Table 'errors.missing' does not exist");
            assertError(() -> catalog.addPartitions("errors", "missing", days("s3://b/t/"), false), TABLE_NOT_FOUND, "Table 'errors.missing' does not exist");

            catalog.createTable(logsTable("errors", "t", "s3://b/t"), false);
            assertError(() -> catalog.createTable(logsTable("errors", "t", "s3://b/t"), false), GENERIC_USER_ERROR, "Table 'errors.t' already exists");
            catalog.createTable(logsTable("errors", "t", "s3://b/other"), true);
            assertThat(catalog.getTable("errors", "t").orElseThrow().location()).isEqualTo("s3://b/t");
            assertThat(catalog.getPartitions("errors", "t")).isEmpty();
            assertError(() -> catalog.addPartitions("errors", "t", List.of(new Partition(List.of("a", "b"), "")), false), GENERIC_USER_ERROR, "has 2 values");

            assertError(() -> catalog.dropSchema("errors", false, false), GENERIC_USER_ERROR, "Schema 'errors' is not empty");
            catalog.dropSchema("errors", false, true);
            assertThat(catalog.getSchema("errors")).isEmpty();
        }
    }

    @Test
    void altersTablesAndPartitions()
    {
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            catalog.createSchema(Database.named("alter_test"), true);
            Table bucketed = logsTable("alter_test", "logs", "s3://bucket/alter/")
                    .withBucketing(Optional.of(new Bucketing(List.of("request_id"), List.of(new Bucketing.SortColumn("ts", false)), 8)));
            catalog.createTable(bucketed, false);
            catalog.addPartitions("alter_test", "logs", days("s3://bucket/alter/"), false);

            // columns and properties change, bucketing and partitions stay
            Table table = catalog.getTable("alter_test", "logs").orElseThrow();
            assertThat(table.bucketing()).isEqualTo(bucketed.bucketing());
            List<Column> columns = new ArrayList<>(table.dataColumns());
            columns.add(new Column("referrer", Type.VARCHAR, Optional.of("added")));
            catalog.alterTable(table.withDataColumns(columns).withParameters(Map.of("comment", "changed", "k", "v")));
            try (HiveMetastoreCatalog reader = HiveMetastoreCatalog.connect(metastore.uri())) {
                Table altered = reader.getTable("alter_test", "logs").orElseThrow();
                assertThat(altered.dataColumns()).isEqualTo(columns);
                assertThat(altered.parameters()).containsEntry("comment", "changed").containsEntry("k", "v").doesNotContainKey("parquet.compression");
                assertThat(altered.bucketing()).isEqualTo(bucketed.bucketing());
                assertThat(reader.listPartitionNames("alter_test", "logs")).hasSize(3);
            }
            // partitions: move one, drop two
            catalog.setPartitionLocation("alter_test", "logs", List.of("2024-01-02"), "s3://other/moved");
            assertThat(catalog.getPartitions("alter_test", "logs")).contains(new Partition(List.of("2024-01-02"), "s3://other/moved"));
            assertError(() -> catalog.setPartitionLocation("alter_test", "logs", List.of("2030-01-01"), "s3://x/y"),
                    GENERIC_USER_ERROR, "Partition dt=2030-01-01 of table 'alter_test.logs' does not exist");
            assertError(() -> catalog.dropPartitions("alter_test", "logs", List.of(List.of("2024-01-01"), List.of("2030-01-01")), false),
                    GENERIC_USER_ERROR, "Partition dt=2030-01-01 of table 'alter_test.logs' does not exist");
            assertThat(catalog.listPartitionNames("alter_test", "logs")).hasSize(3);
            catalog.dropPartitions("alter_test", "logs", List.of(List.of("2024-01-01"), List.of("2030-01-01"), List.of("2024-01-03")), true);
            assertThat(catalog.listPartitionNames("alter_test", "logs")).containsExactly("dt=2024-01-02");
            assertError(() -> catalog.dropPartitions("alter_test", "logs", List.of(List.of("a", "b")), true),
                    GENERIC_USER_ERROR, "has 2 values, the table has 1 partition columns");
            assertError(() -> catalog.alterTable(logsTable("alter_test", "missing", "s3://bucket/x/")), TABLE_NOT_FOUND, "Table 'alter_test.missing' does not exist");
        }
    }

    @Test
    void viewsRoundTrip()
    {
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            catalog.createSchema(Database.named("views"), false);
            Table view = new Table("views", "recent", TableType.VIRTUAL_VIEW,
                    List.of(new Column("status", Type.INTEGER), new Column("n", Type.BIGINT)), List.of(),
                    StorageFormat.NONE, "", Map.of("presto_view", "true"),
                    Optional.of("SELECT status, count(*) n FROM logs GROUP BY status"),
                    Optional.of("SELECT \"status\", count(*) \"n\" FROM \"web\".\"logs\" GROUP BY \"status\""));
            catalog.createTable(view, false);
            assertThat(catalog.getTable("views", "recent")).contains(view);
            assertThat(catalog.listTables("views")).containsExactly("recent");
            catalog.dropTable("views", "recent", false);
            catalog.dropSchema("views", false, false);
        }
    }

    @Test
    void unsupportedHiveTypesAreNamedInTheError()
            throws Exception
    {
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            catalog.createSchema(Database.named("odd"), false);
            catalog.createTable(logsTable("odd", "t", "s3://b/odd"), false);
        }
        Configuration conf = new Configuration();
        MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, metastore.uri());
        HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
        try {
            org.apache.hadoop.hive.metastore.api.Table table = client.getTable(new GetTableRequest("odd", "t"));
            table.setTableName("u");
            table.getSd().getCols().add(new FieldSchema("choice", "uniontype<int,string>", null));
            client.createTable(table);
        }
        finally {
            client.close();
        }
        try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            assertThat(catalog.listTables("odd")).containsExactly("t", "u");
            assertError(() -> catalog.getTable("odd", "u"), io.glaux.spi.error.ErrorCode.NOT_SUPPORTED,
                    "Column 'choice' of table odd.u has unsupported Hive type 'uniontype<int,string>'");
            catalog.dropSchema("odd", false, true);
        }
    }

    @Test
    void unreachableMetastoreIsAnExternalError()
    {
        HiveCatalogConfig config = HiveCatalogConfig.of("thrift://127.0.0.1:1").withTimeout(Duration.ofSeconds(2));
        try (HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(config)) {
            assertError(catalog::listSchemas, METASTORE_ERROR, "thrift://127.0.0.1:1");
        }
    }

    @Test
    void cacheServesWithinTtlAndOwnWritesInvalidate()
    {
        HiveCatalogConfig cached = HiveCatalogConfig.of(metastore.uri()).withCacheTtl(Duration.ofMinutes(10));
        try (HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(cached);
                HiveMetastoreCatalog other = HiveMetastoreCatalog.connect(metastore.uri())) {
            catalog.createSchema(Database.named("cache"), false);
            catalog.createTable(logsTable("cache", "t", "s3://b/cache/t"), false);
            assertThat(catalog.listTables("cache")).containsExactly("t");
            assertThat(catalog.getPartitions("cache", "t")).isEmpty();
            assertThat(catalog.listPartitionNames("cache", "t")).isEmpty();

            // another client's writes are not seen until the TTL passes...
            assertThat(catalog.getSchema("cache_other")).isEmpty();
            other.createSchema(Database.named("cache_other"), false);
            assertThat(catalog.getSchema("cache_other")).isEmpty();
            other.createTable(logsTable("cache", "u", "s3://b/cache/u"), false);
            other.addPartitions("cache", "t", days("s3://b/cache/t/"), false);
            assertThat(catalog.listTables("cache")).containsExactly("t");
            assertThat(catalog.getPartitions("cache", "t")).isEmpty();

            // ...but this catalog's own writes invalidate at once
            catalog.addPartitions("cache", "t", List.of(new Partition(List.of("2024-02-01"), "")), false);
            assertThat(catalog.getPartitions("cache", "t")).hasSize(4);
            assertThat(catalog.listPartitionNames("cache", "t")).hasSize(4);
            catalog.createTable(logsTable("cache", "v", "s3://b/cache/v"), false);
            assertThat(catalog.listTables("cache")).containsExactly("t", "u", "v");
            catalog.dropTable("cache", "t", false);
            assertThat(catalog.getTable("cache", "t")).isEmpty();
            assertError(() -> catalog.getPartitions("cache", "t"), TABLE_NOT_FOUND, "Table 'cache.t' does not exist");
            assertThat(catalog.getSchema("cache")).isPresent();
            catalog.dropSchema("cache", false, true);
            assertThat(catalog.getSchema("cache")).isEmpty();
            assertError(() -> catalog.listTables("cache"), SCHEMA_NOT_FOUND, "Schema 'cache' does not exist");
            catalog.dropSchema("cache_other", false, false);
            assertThat(catalog.getSchema("cache_other")).isEmpty();
        }

        // with the cache off, other clients' writes show at once
        try (HiveMetastoreCatalog uncached = new HiveMetastoreCatalog(HiveCatalogConfig.of(metastore.uri()).withCacheTtl(Duration.ZERO));
                HiveMetastoreCatalog other = HiveMetastoreCatalog.connect(metastore.uri())) {
            uncached.createSchema(Database.named("nocache"), false);
            assertThat(uncached.listTables("nocache")).isEmpty();
            other.createTable(logsTable("nocache", "t", "s3://b/nocache/t"), false);
            assertThat(uncached.listTables("nocache")).containsExactly("t");
            uncached.dropSchema("nocache", false, true);
        }
    }

    @Test
    void concurrentCallsShareThePool()
            throws Exception
    {
        HiveCatalogConfig config = HiveCatalogConfig.of(metastore.uri()).withCacheTtl(Duration.ZERO).withMaxConnections(3);
        try (HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(config)) {
            catalog.createSchema(Database.named("busy"), false);
            ExecutorService executor = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    String name = "t" + i;
                    futures.add(executor.submit(() -> {
                        catalog.createTable(logsTable("busy", name, "s3://b/busy/" + name), false);
                        assertThat(catalog.getTable("busy", name)).isPresent();
                        catalog.addPartitions("busy", name, days("s3://b/busy/" + name + "/"), false);
                        assertThat(catalog.getPartitions("busy", name)).hasSize(3);
                    }));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            }
            finally {
                executor.shutdownNow();
            }
            assertThat(catalog.listTables("busy")).hasSize(16);
            catalog.dropSchema("busy", false, true);
        }
    }

    @Test
    void reconnectsOnceAfterTheConnectionBreaks()
            throws Exception
    {
        try (TcpProxy proxy = TcpProxy.start(metastore.port());
                HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(HiveCatalogConfig.of("thrift://127.0.0.1:" + proxy.port()).withMaxConnections(1))) {
            assertThat(catalog.listSchemas()).contains("default");
            proxy.dropConnections();
            // the pooled connection is dead: the call fails on the transport and is retried on a new one
            assertThat(catalog.listSchemas()).contains("default");
            assertThat(proxy.acceptedConnections()).isEqualTo(2);
        }
    }

    @Test
    void doesNotRepeatACallThatTimedOut()
            throws Exception
    {
        try (TcpProxy proxy = TcpProxy.start(metastore.port());
                HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(HiveCatalogConfig.of("thrift://127.0.0.1:" + proxy.port())
                        .withMaxConnections(1).withTimeout(Duration.ofSeconds(1)).withCacheTtl(Duration.ZERO))) {
            assertThat(catalog.listSchemas()).contains("default");
            proxy.swallowTraffic();
            // the metastore may still be carrying out a call that timed out (a write would apply twice): no retry
            assertError(catalog::listSchemas, METASTORE_ERROR, "thrift://127.0.0.1:" + proxy.port());
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
        }
    }

    private static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, io.glaux.spi.error.ErrorCode code, String message)
    {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessageContaining(message);
    }
}
