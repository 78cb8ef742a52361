package io.glaux.catalog.hive;

import static io.glaux.catalog.hive.ThriftMapping.HIVE_CATALOG;
import static io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR;
import static io.glaux.spi.error.ErrorCode.METASTORE_ERROR;
import static io.glaux.spi.error.ErrorCode.SCHEMA_NOT_FOUND;
import static io.glaux.spi.error.ErrorCode.TABLE_NOT_FOUND;
import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.ColumnStatistics;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.Table;
import io.glaux.spi.error.GlauxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.api.AlreadyExistsException;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.InvalidObjectException;
import org.apache.hadoop.hive.metastore.api.InvalidOperationException;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;
import org.apache.thrift.TException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Catalog} over a Hive metastore, reached over Thrift at {@code thrift://host:port}: an
 * external metastore and the {@link io.glaux.catalog.embedded.EmbeddedMetastore} take the same path.
 *
 * <p>Thread-safe: calls share a small pool of {@code HiveMetaStoreClient}s (see
 * {@link HiveCatalogConfig#maxConnections()}), and a call that fails on the transport is retried once
 * on a new connection. Schema lookups (found or not), table definitions, table lists and partition lists are cached for
 * {@link HiveCatalogConfig#cacheTtl()}; this catalog's own writes invalidate what they change at once,
 * changes made by other clients show within the TTL.
 *
 * <p>Tables are written with the standard Hive SerDe and input/output format class names and
 * external tables with {@code tableType=EXTERNAL_TABLE} and {@code EXTERNAL=TRUE}, so Hive, Spark and
 * Trino read them. Nothing here deletes data: drops remove metadata only.
 */
public final class HiveMetastoreCatalog
        implements Catalog
{
    private record TableKey(String schema, String table) {}

    /** The engine whose statistics these are: Hive's own, which Hive, Spark and Trino write and read. */
    private static final String STATISTICS_ENGINE = "hive";

    private final String uri;
    private final String owner;
    private final MetastoreClientPool pool;
    /** schema lookups, including misses: resolving a name tries the session schema, the catalog and the root */
    private final TtlCache<String, Optional<Database>> schemaCache;
    private final TtlCache<String, List<String>> tableNamesCache;
    private final TtlCache<TableKey, Table> tableCache;
    private final TtlCache<TableKey, List<Partition>> partitionsCache;
    private final TtlCache<TableKey, List<String>> partitionNamesCache;

    public HiveMetastoreCatalog(HiveCatalogConfig config)
    {
        requireNonNull(config, "config is null");
        this.uri = config.metastoreUri();
        this.owner = System.getProperty("user.name", "glaux");
        this.pool = new MetastoreClientPool(clientConfiguration(config), uri, config.maxConnections());
        this.schemaCache = new TtlCache<>(config.cacheTtl());
        this.tableNamesCache = new TtlCache<>(config.cacheTtl());
        this.tableCache = new TtlCache<>(config.cacheTtl());
        this.partitionsCache = new TtlCache<>(config.cacheTtl());
        this.partitionNamesCache = new TtlCache<>(config.cacheTtl());
    }

    /** A catalog over the metastore at {@code thrift://host:port} with default settings. */
    public static HiveMetastoreCatalog connect(String metastoreUri)
    {
        return new HiveMetastoreCatalog(HiveCatalogConfig.of(metastoreUri));
    }

    private static Configuration clientConfiguration(HiveCatalogConfig config)
    {
        Configuration conf = new Configuration();
        MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, config.metastoreUri());
        MetastoreConf.setTimeVar(conf, ConfVars.CLIENT_SOCKET_TIMEOUT, config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        // fail fast when the metastore is down; the pool retries a broken call once by itself
        MetastoreConf.setLongVar(conf, ConfVars.THRIFT_CONNECTION_RETRIES, 1);
        MetastoreConf.setTimeVar(conf, ConfVars.CLIENT_CONNECT_RETRY_DELAY, 1, TimeUnit.SECONDS);
        config.metastoreProperties().forEach(conf::set);
        return conf;
    }

    /** The metastore this catalog talks to. */
    public String metastoreUri()
    {
        return uri;
    }

    // --- schemas

    @Override
    public List<String> listSchemas()
    {
        List<String> names = call("list schemas", client -> client.getAllDatabases(HIVE_CATALOG));
        return sorted(names);
    }

    @Override
    public Optional<Database> getSchema(String name)
    {
        String schema = lower(name, "name");
        return schemaCache.get(schema, () -> loadSchema(schema));
    }

    private Optional<Database> loadSchema(String schema)
    {
        try {
            return Optional.of(ThriftMapping.toDatabase(pool.run(client -> client.getDatabase(HIVE_CATALOG, schema))));
        }
        catch (NoSuchObjectException e) {
            return Optional.empty();
        }
        catch (TException e) {
            throw metastoreError("get schema '" + schema + "'", e);
        }
    }

    @Override
    public void createSchema(Database database, boolean ifNotExists)
    {
        requireNonNull(database, "database is null");
        try {
            pool.run(client -> {
                client.createDatabase(ThriftMapping.toThrift(database, owner));
                return null;
            });
        }
        catch (AlreadyExistsException e) {
            if (!ifNotExists) {
                throw new GlauxException(GENERIC_USER_ERROR, "Schema '" + database.name() + "' already exists", e);
            }
        }
        catch (InvalidObjectException e) {
            throw new GlauxException(GENERIC_USER_ERROR, "Invalid schema '" + database.name() + "': " + e.getMessage(), e);
        }
        catch (TException e) {
            throw metastoreError("create schema '" + database.name() + "'", e);
        }
        finally {
            invalidateSchema(database.name());
        }
    }

    @Override
    public void dropSchema(String name, boolean ifExists, boolean cascade)
    {
        String schema = lower(name, "name");
        try {
            // deleteData=false: the schema's location may be a prefix shared with table data
            pool.run(client -> {
                client.dropDatabase(schema, false, false, cascade);
                return null;
            });
        }
        catch (NoSuchObjectException e) {
            if (!ifExists) {
                throw schemaNotFound(schema, e);
            }
        }
        catch (InvalidOperationException e) {
            throw new GlauxException(GENERIC_USER_ERROR, "Schema '" + schema + "' is not empty: " + e.getMessage(), e);
        }
        catch (TException e) {
            throw metastoreError("drop schema '" + schema + "'", e);
        }
        finally {
            invalidateSchema(schema);
        }
    }

    // --- tables

    @Override
    public List<String> listTables(String schemaName)
    {
        String schema = lower(schemaName, "schema");
        return tableNamesCache.get(schema, () -> {
            List<String> names = call("list tables of schema '" + schema + "'", client -> client.getAllTables(HIVE_CATALOG, schema));
            if (names.isEmpty()) {
                requireSchema(schema);
            }
            return sorted(names);
        });
    }

    @Override
    public Optional<Table> getTable(String schemaName, String tableName)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        return Optional.ofNullable(tableCache.get(key, () -> loadTable(key).map(ThriftMapping::toTable).orElse(null)));
    }

    private Optional<org.apache.hadoop.hive.metastore.api.Table> loadTable(TableKey key)
    {
        try {
            GetTableRequest request = new GetTableRequest(key.schema(), key.table());
            request.setCatName(HIVE_CATALOG);
            return Optional.of(pool.run(client -> client.getTable(request)));
        }
        catch (NoSuchObjectException e) {
            requireSchema(key.schema());
            return Optional.empty();
        }
        catch (TException e) {
            throw metastoreError("get table " + key.schema() + "." + key.table(), e);
        }
    }

    @Override
    public Map<String, ColumnStatistics> getColumnStatistics(String schemaName, String tableName, List<String> columns)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        List<String> names = columns.stream().map(column -> column.toLowerCase(Locale.ROOT)).toList();
        if (names.isEmpty()) {
            return Map.of();
        }
        List<org.apache.hadoop.hive.metastore.api.ColumnStatisticsObj> objects = call("get column statistics of " + key.schema() + "." + key.table(),
                client -> client.getTableColumnStatistics(HIVE_CATALOG, key.schema(), key.table(), names, STATISTICS_ENGINE));
        Map<String, ColumnStatistics> statistics = new HashMap<>();
        for (var object : objects) {
            statistics.put(object.getColName().toLowerCase(Locale.ROOT), ColumnStatisticsMapping.fromThrift(object));
        }
        return Map.copyOf(statistics);
    }

    @Override
    public void setColumnStatistics(String schemaName, String tableName, Map<String, ColumnStatistics> statistics)
    {
        Table table = getTable(schemaName, tableName)
                .orElseThrow(() -> new GlauxException(TABLE_NOT_FOUND, "Table '%s.%s' does not exist".formatted(schemaName, tableName)));
        var description = new org.apache.hadoop.hive.metastore.api.ColumnStatisticsDesc(true, table.schemaName(), table.tableName());
        description.setCatName(HIVE_CATALOG);
        var thrift = new org.apache.hadoop.hive.metastore.api.ColumnStatistics(description, new ArrayList<>());
        thrift.setEngine(STATISTICS_ENGINE);
        statistics.forEach((name, columnStatistics) -> {
            Column column = table.columns().stream().filter(candidate -> candidate.name().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new GlauxException(io.glaux.spi.error.ErrorCode.COLUMN_NOT_FOUND, "Column '%s' of table '%s' does not exist".formatted(name, table.qualifiedName())));
            thrift.addToStatsObj(ColumnStatisticsMapping.toThrift(column, columnStatistics));
        });
        if (thrift.getStatsObjSize() > 0) {
            call("set column statistics of " + table.qualifiedName(), client -> client.updateTableColumnStatistics(thrift));
        }
    }

    @Override
    public void createTable(Table table, boolean ifNotExists)
    {
        requireNonNull(table, "table is null");
        TableKey key = new TableKey(table.schemaName(), table.tableName());
        try {
            pool.run(client -> {
                client.createTable(ThriftMapping.toThrift(table, owner));
                return null;
            });
        }
        catch (AlreadyExistsException e) {
            if (!ifNotExists) {
                throw new GlauxException(GENERIC_USER_ERROR, "Table '" + table.qualifiedName() + "' already exists", e);
            }
        }
        catch (NoSuchObjectException | InvalidObjectException e) {
            requireSchema(table.schemaName());
            throw new GlauxException(GENERIC_USER_ERROR, "Invalid table '" + table.qualifiedName() + "': " + e.getMessage(), e);
        }
        catch (TException e) {
            throw metastoreError("create table " + table.qualifiedName(), e);
        }
        finally {
            invalidateTable(key);
        }
    }

    @Override
    public void dropTable(String schemaName, String tableName, boolean ifExists)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        try {
            // deleteData=false, for external and managed tables alike: Glaux never deletes data
            pool.run(client -> {
                client.dropTable(HIVE_CATALOG, key.schema(), key.table(), false, false, false);
                return null;
            });
        }
        catch (NoSuchObjectException e) {
            if (!ifExists) {
                requireSchema(key.schema());
                throw tableNotFound(key, e);
            }
        }
        catch (TException e) {
            throw metastoreError("drop table " + key.schema() + "." + key.table(), e);
        }
        finally {
            invalidateTable(key);
        }
    }

    // --- partitions

    @Override
    public List<Partition> getPartitions(String schemaName, String tableName)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        return partitionsCache.get(key, () -> {
            List<org.apache.hadoop.hive.metastore.api.Partition> partitions;
            try {
                partitions = pool.run(client -> client.listPartitions(HIVE_CATALOG, key.schema(), key.table(), -1));
            }
            catch (NoSuchObjectException e) {
                throw missingTable(key, e);
            }
            catch (TException e) {
                throw metastoreError("list partitions of table " + key.schema() + "." + key.table(), e);
            }
            if (partitions.isEmpty()) {
                requireTable(key);
            }
            List<Partition> result = new ArrayList<>(partitions.size());
            for (org.apache.hadoop.hive.metastore.api.Partition partition : partitions) {
                result.add(ThriftMapping.toPartition(partition));
            }
            result.sort(Comparator.comparing(Partition::values, HiveMetastoreCatalog::compareValues));
            return List.copyOf(result);
        });
    }

    @Override
    public List<String> listPartitionNames(String schemaName, String tableName)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        return partitionNamesCache.get(key, () -> {
            List<String> names;
            try {
                names = pool.run(client -> client.listPartitionNames(HIVE_CATALOG, key.schema(), key.table(), -1));
            }
            catch (NoSuchObjectException e) {
                throw missingTable(key, e);
            }
            catch (TException e) {
                throw metastoreError("list partition names of table " + key.schema() + "." + key.table(), e);
            }
            if (names.isEmpty()) {
                requireTable(key);
            }
            return sorted(names);
        });
    }

    @Override
    public void addPartitions(String schemaName, String tableName, List<Partition> partitions, boolean ifNotExists)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        requireNonNull(partitions, "partitions is null");
        if (partitions.isEmpty()) {
            return;
        }
        // the raw Thrift table, not the cached model: partitions copy its storage descriptor as-is
        org.apache.hadoop.hive.metastore.api.Table table = loadTable(key).orElseThrow(() -> tableNotFound(key, null));
        int keys = table.getPartitionKeysSize();
        if (keys == 0) {
            throw new GlauxException(GENERIC_USER_ERROR, "Table '" + key.schema() + "." + key.table() + "' is not partitioned");
        }
        List<org.apache.hadoop.hive.metastore.api.Partition> thriftPartitions = new ArrayList<>(partitions.size());
        for (Partition partition : partitions) {
            if (partition.values().size() != keys) {
                throw new GlauxException(GENERIC_USER_ERROR, "Partition " + partition.values() + " of table '" + key.schema() + "." + key.table()
                        + "' has " + partition.values().size() + " values, the table has " + keys + " partition columns");
            }
            thriftPartitions.add(ThriftMapping.toThrift(table, partition));
        }
        try {
            pool.run(client -> client.add_partitions(thriftPartitions, ifNotExists, false));
        }
        catch (AlreadyExistsException e) {
            throw new GlauxException(GENERIC_USER_ERROR, "Partition already exists in table '" + key.schema() + "." + key.table() + "': " + e.getMessage(), e);
        }
        catch (NoSuchObjectException e) {
            throw missingTable(key, e);
        }
        catch (InvalidObjectException e) {
            throw new GlauxException(GENERIC_USER_ERROR, "Invalid partition for table '" + key.schema() + "." + key.table() + "': " + e.getMessage(), e);
        }
        catch (TException e) {
            throw metastoreError("add partitions to table " + key.schema() + "." + key.table(), e);
        }
        finally {
            partitionsCache.invalidate(key);
            partitionNamesCache.invalidate(key);
        }
    }

    @Override
    public void alterTable(Table table)
    {
        requireNonNull(table, "table is null");
        TableKey key = new TableKey(table.schemaName(), table.tableName());
        try {
            org.apache.hadoop.hive.metastore.api.Table existing = loadTable(key).orElseThrow(() -> tableNotFound(key, null));
            if (!ThriftMapping.toColumns(table.qualifiedName(), existing.getPartitionKeys()).equals(table.partitionColumns())) {
                throw new GlauxException(GENERIC_USER_ERROR, "The partition columns of table '" + table.qualifiedName() + "' cannot be changed");
            }
            org.apache.hadoop.hive.metastore.api.Table thrift = ThriftMapping.toThrift(table, existing.getOwner() == null ? owner : existing.getOwner());
            thrift.setCreateTime(existing.getCreateTime());
            if (existing.getOwnerType() != null) {
                thrift.setOwnerType(existing.getOwnerType());
            }
            pool.run(client -> {
                client.alter_table(HIVE_CATALOG, key.schema(), key.table(), thrift);
                return null;
            });
        }
        catch (InvalidOperationException e) {
            throw new GlauxException(GENERIC_USER_ERROR, "Cannot alter table '" + table.qualifiedName() + "': " + e.getMessage(), e);
        }
        catch (NoSuchObjectException e) {
            throw missingTable(key, e);
        }
        catch (TException e) {
            throw metastoreError("alter table " + table.qualifiedName(), e);
        }
        finally {
            invalidateTable(key);
        }
    }

    @Override
    public void dropPartitions(String schemaName, String tableName, List<List<String>> partitionValues, boolean ifExists)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        requireNonNull(partitionValues, "partitionValues is null");
        try {
            List<String> existing = listPartitionNames(key.schema(), key.table());
            org.apache.hadoop.hive.metastore.api.Table table = loadTable(key).orElseThrow(() -> tableNotFound(key, null));
            List<List<String>> toDrop = new ArrayList<>();
            for (List<String> values : partitionValues) {
                String name = partitionName(table, values);
                if (existing.contains(name)) {
                    toDrop.add(values);
                }
                else if (!ifExists) {
                    throw new GlauxException(GENERIC_USER_ERROR, "Partition " + name + " of table '" + key.schema() + "." + key.table() + "' does not exist");
                }
            }
            for (List<String> values : toDrop) {
                // deleteData=false: metadata only
                pool.run(client -> client.dropPartition(HIVE_CATALOG, key.schema(), key.table(), values, false));
            }
        }
        catch (NoSuchObjectException e) {
            throw missingTable(key, e);
        }
        catch (TException e) {
            throw metastoreError("drop partitions of table " + key.schema() + "." + key.table(), e);
        }
        finally {
            partitionsCache.invalidate(key);
            partitionNamesCache.invalidate(key);
        }
    }

    @Override
    public void setPartitionLocation(String schemaName, String tableName, List<String> partitionValues, String location)
    {
        TableKey key = new TableKey(lower(schemaName, "schema"), lower(tableName, "table"));
        requireNonNull(location, "location is null");
        org.apache.hadoop.hive.metastore.api.Table table = loadTable(key).orElseThrow(() -> tableNotFound(key, null));
        String name = partitionName(table, partitionValues);
        try {
            org.apache.hadoop.hive.metastore.api.Partition partition;
            try {
                partition = pool.run(client -> client.getPartition(HIVE_CATALOG, key.schema(), key.table(), partitionValues));
            }
            catch (NoSuchObjectException e) {
                throw new GlauxException(GENERIC_USER_ERROR, "Partition " + name + " of table '" + key.schema() + "." + key.table() + "' does not exist", e);
            }
            partition.getSd().setLocation(location);
            pool.run(client -> {
                client.alter_partition(HIVE_CATALOG, key.schema(), key.table(), partition, null);
                return null;
            });
        }
        catch (InvalidOperationException e) {
            throw new GlauxException(GENERIC_USER_ERROR, "Cannot alter partition " + name + " of table '" + key.schema() + "." + key.table() + "': " + e.getMessage(), e);
        }
        catch (TException e) {
            throw metastoreError("alter partition " + name + " of table " + key.schema() + "." + key.table(), e);
        }
        finally {
            partitionsCache.invalidate(key);
            partitionNamesCache.invalidate(key);
        }
    }

    /** {@code k1=v1/k2=v2}, checking the number of values against the table's partition columns. */
    private static String partitionName(org.apache.hadoop.hive.metastore.api.Table table, List<String> values)
    {
        int keys = table.getPartitionKeysSize();
        String qualified = table.getDbName() + "." + table.getTableName();
        if (keys == 0) {
            throw new GlauxException(GENERIC_USER_ERROR, "Table '" + qualified + "' is not partitioned");
        }
        if (values.size() != keys) {
            throw new GlauxException(GENERIC_USER_ERROR, "Partition " + values + " of table '" + qualified
                    + "' has " + values.size() + " values, the table has " + keys + " partition columns");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            names.add(table.getPartitionKeys().get(i).getName());
        }
        return org.apache.hadoop.hive.metastore.utils.FileUtils.makePartName(names, values);
    }

    @Override
    public void close()
    {
        pool.close();
    }

    // --- helpers

    private <T> T call(String action, MetastoreClientPool.MetastoreCall<T> call)
    {
        try {
            return pool.run(call);
        }
        catch (TException e) {
            throw metastoreError(action, e);
        }
    }

    private void requireSchema(String schema)
    {
        if (loadSchema(schema).isEmpty()) {
            throw schemaNotFound(schema, null);
        }
    }

    private void requireTable(TableKey key)
    {
        if (loadTable(key).isEmpty()) {
            throw tableNotFound(key, null);
        }
    }

    /** SCHEMA_NOT_FOUND when the schema is missing, else TABLE_NOT_FOUND. */
    private GlauxException missingTable(TableKey key, Throwable cause)
    {
        requireSchema(key.schema());
        return tableNotFound(key, cause);
    }

    private void invalidateSchema(String schema)
    {
        schemaCache.invalidate(schema);
        tableNamesCache.invalidate(schema);
        tableCache.invalidateIf(key -> key.schema().equals(schema));
        partitionsCache.invalidateIf(key -> key.schema().equals(schema));
        partitionNamesCache.invalidateIf(key -> key.schema().equals(schema));
    }

    private void invalidateTable(TableKey key)
    {
        tableNamesCache.invalidate(key.schema());
        tableCache.invalidate(key);
        partitionsCache.invalidate(key);
        partitionNamesCache.invalidate(key);
    }

    private static GlauxException schemaNotFound(String schema, Throwable cause)
    {
        return new GlauxException(SCHEMA_NOT_FOUND, "Schema '" + schema + "' does not exist", cause);
    }

    private static GlauxException tableNotFound(TableKey key, Throwable cause)
    {
        return new GlauxException(TABLE_NOT_FOUND, "Table '" + key.schema() + "." + key.table() + "' does not exist", cause);
    }

    private GlauxException metastoreError(String action, TException e)
    {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new GlauxException(METASTORE_ERROR, "Hive metastore at " + uri + " failed to " + action + ": " + detail, e);
    }

    private static String lower(String name, String what)
    {
        return requireNonNull(name, what + " is null").toLowerCase(Locale.ROOT);
    }

    private static List<String> sorted(List<String> names)
    {
        List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return List.copyOf(copy);
    }

    private static int compareValues(List<String> left, List<String> right)
    {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int result = left.get(i).compareTo(right.get(i));
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(left.size(), right.size());
    }
}
