package io.glaux.catalog.hive;

import static io.glaux.spi.error.ErrorCode.NOT_SUPPORTED;

import io.glaux.catalog.model.Bucketing;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.model.TableType;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import io.glaux.spi.type.TypeParser;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Order;
import org.apache.hadoop.hive.metastore.api.PrincipalType;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.SkewedInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Converts between the Glaux catalog model and the Hive metastore's Thrift objects. */
final class ThriftMapping
{
    /** The metastore catalog every Hive client uses unless told otherwise. */
    static final String HIVE_CATALOG = "hive";
    /** Table parameter Hive, Spark and Trino check (with the table type) to treat a table as external. */
    static final String EXTERNAL_PARAMETER = "EXTERNAL";
    /** Table/partition parameter the metastore sets on every DDL. */
    static final String LAST_DDL_TIME_PARAMETER = "transient_lastDdlTime";

    private ThriftMapping() {}

    // --- databases

    static Database toDatabase(org.apache.hadoop.hive.metastore.api.Database database)
    {
        return new Database(
                database.getName(),
                nonEmpty(database.getLocationUri()),
                nonEmpty(database.getDescription()),
                database.getParameters() == null ? Map.of() : database.getParameters());
    }

    static org.apache.hadoop.hive.metastore.api.Database toThrift(Database database, String owner)
    {
        org.apache.hadoop.hive.metastore.api.Database thrift = new org.apache.hadoop.hive.metastore.api.Database();
        thrift.setName(database.name());
        thrift.setCatalogName(HIVE_CATALOG);
        database.location().ifPresent(thrift::setLocationUri);
        database.comment().ifPresent(thrift::setDescription);
        thrift.setParameters(new HashMap<>(database.parameters()));
        thrift.setOwnerName(owner);
        thrift.setOwnerType(PrincipalType.USER);
        return thrift;
    }

    // --- tables

    static Table toTable(org.apache.hadoop.hive.metastore.api.Table table)
    {
        String name = table.getDbName() + "." + table.getTableName();
        TableType tableType;
        try {
            tableType = TableType.valueOf(table.getTableType());
        }
        catch (IllegalArgumentException | NullPointerException e) {
            throw new GlauxException(NOT_SUPPORTED, "Table " + name + " has unsupported table type " + table.getTableType());
        }
        StorageDescriptor sd = table.getSd() == null ? new StorageDescriptor() : table.getSd();
        Map<String, String> parameters = new HashMap<>(table.getParameters() == null ? Map.of() : table.getParameters());
        parameters.remove(EXTERNAL_PARAMETER);
        parameters.remove(LAST_DDL_TIME_PARAMETER);
        try {
            return new Table(
                    table.getDbName(),
                    table.getTableName(),
                    tableType,
                    toColumns(name, sd.getCols()),
                    toColumns(name, table.getPartitionKeys()),
                    toStorageFormat(sd),
                    nullToEmpty(sd.getLocation()),
                    parameters,
                    nonEmpty(table.getViewOriginalText()),
                    nonEmpty(table.getViewExpandedText()),
                    toBucketing(sd));
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(NOT_SUPPORTED, "Table " + name + " has metadata Glaux cannot use: " + e.getMessage(), e);
        }
        catch (GlauxException e) {
            if (e.errorCode() == NOT_SUPPORTED) {
                throw e;
            }
            throw new GlauxException(NOT_SUPPORTED, "Table " + name + " has metadata Glaux cannot use: " + e.getMessage(), e);
        }
    }

    static org.apache.hadoop.hive.metastore.api.Table toThrift(Table table, String owner)
    {
        org.apache.hadoop.hive.metastore.api.Table thrift = new org.apache.hadoop.hive.metastore.api.Table();
        thrift.setCatName(HIVE_CATALOG);
        thrift.setDbName(table.schemaName());
        thrift.setTableName(table.tableName());
        thrift.setOwner(owner);
        thrift.setOwnerType(PrincipalType.USER);
        thrift.setTableType(table.tableType().name());
        thrift.setCreateTime(nowSeconds());
        thrift.setLastAccessTime(0);
        thrift.setRetention(0);
        thrift.setPartitionKeys(toFieldSchemas(table.partitionColumns()));

        Map<String, String> parameters = new HashMap<>(table.parameters());
        if (table.tableType() == TableType.EXTERNAL_TABLE) {
            parameters.put(EXTERNAL_PARAMETER, "TRUE");
        }
        thrift.setParameters(parameters);

        StorageDescriptor sd = storageDescriptor(table.tableName(), table.dataColumns(), table.storage(), table.location());
        table.bucketing().ifPresent(bucketing -> {
            sd.setNumBuckets(bucketing.buckets());
            sd.setBucketCols(new ArrayList<>(bucketing.columns()));
            sd.setSortCols(new ArrayList<>(bucketing.sortedBy().stream()
                    .map(column -> new Order(column.name(), column.ascending() ? 1 : 0))
                    .toList()));
        });
        thrift.setSd(sd);
        table.viewOriginalText().ifPresent(thrift::setViewOriginalText);
        table.viewExpandedText().ifPresent(thrift::setViewExpandedText);
        return thrift;
    }

    static Optional<Bucketing> toBucketing(StorageDescriptor sd)
    {
        if (sd.getNumBuckets() <= 0 || sd.getBucketCols() == null || sd.getBucketCols().isEmpty()) {
            return Optional.empty();
        }
        List<Bucketing.SortColumn> sortedBy = new ArrayList<>();
        if (sd.getSortCols() != null) {
            for (Order order : sd.getSortCols()) {
                sortedBy.add(new Bucketing.SortColumn(order.getCol(), order.getOrder() != 0));
            }
        }
        return Optional.of(new Bucketing(sd.getBucketCols(), sortedBy, sd.getNumBuckets()));
    }

    static StorageFormat toStorageFormat(StorageDescriptor sd)
    {
        SerDeInfo serde = sd.getSerdeInfo();
        return new StorageFormat(
                serde == null ? "" : nullToEmpty(serde.getSerializationLib()),
                nullToEmpty(sd.getInputFormat()),
                nullToEmpty(sd.getOutputFormat()),
                serde == null || serde.getParameters() == null ? Map.of() : serde.getParameters());
    }

    static StorageDescriptor storageDescriptor(String serdeName, List<Column> columns, StorageFormat storage, String location)
    {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(toFieldSchemas(columns));
        sd.setLocation(emptyToNull(location));
        sd.setInputFormat(emptyToNull(storage.inputFormat()));
        sd.setOutputFormat(emptyToNull(storage.outputFormat()));
        sd.setCompressed(false);
        sd.setNumBuckets(-1);
        SerDeInfo serde = new SerDeInfo();
        serde.setName(serdeName);
        serde.setSerializationLib(emptyToNull(storage.serde()));
        serde.setParameters(new HashMap<>(storage.serdeParameters()));
        sd.setSerdeInfo(serde);
        sd.setBucketCols(new ArrayList<>());
        sd.setSortCols(new ArrayList<>());
        sd.setParameters(new HashMap<>());
        sd.setSkewedInfo(new SkewedInfo(new ArrayList<>(), new ArrayList<>(), new HashMap<>()));
        sd.setStoredAsSubDirectories(false);
        return sd;
    }

    // --- partitions

    static Partition toPartition(org.apache.hadoop.hive.metastore.api.Partition partition)
    {
        return new Partition(partition.getValues(), partition.getSd() == null ? "" : nullToEmpty(partition.getSd().getLocation()));
    }

    /** A partition with the table's columns and storage format at the partition's location. */
    static org.apache.hadoop.hive.metastore.api.Partition toThrift(org.apache.hadoop.hive.metastore.api.Table table, Partition partition)
    {
        org.apache.hadoop.hive.metastore.api.Partition thrift = new org.apache.hadoop.hive.metastore.api.Partition();
        thrift.setCatName(HIVE_CATALOG);
        thrift.setDbName(table.getDbName());
        thrift.setTableName(table.getTableName());
        thrift.setValues(new ArrayList<>(partition.values()));
        thrift.setCreateTime(nowSeconds());
        thrift.setLastAccessTime(0);
        thrift.setParameters(new HashMap<>());
        StorageDescriptor sd = table.getSd().deepCopy();
        sd.setLocation(emptyToNull(partition.location()));
        thrift.setSd(sd);
        return thrift;
    }

    // --- columns

    static List<Column> toColumns(String tableName, List<FieldSchema> fields)
    {
        if (fields == null) {
            return List.of();
        }
        List<Column> columns = new ArrayList<>(fields.size());
        for (FieldSchema field : fields) {
            Type type;
            try {
                type = TypeParser.parse(field.getType());
            }
            catch (GlauxException e) {
                throw new GlauxException(NOT_SUPPORTED, "Column '" + field.getName() + "' of table " + tableName + " has unsupported Hive type '" + field.getType() + "'", e);
            }
            columns.add(new Column(field.getName(), type, nonEmpty(field.getComment())));
        }
        return columns;
    }

    static List<FieldSchema> toFieldSchemas(List<Column> columns)
    {
        List<FieldSchema> fields = new ArrayList<>(columns.size());
        for (Column column : columns) {
            fields.add(new FieldSchema(column.name(), column.type().hiveName(), column.comment().orElse(null)));
        }
        return fields;
    }

    // --- helpers

    private static int nowSeconds()
    {
        return (int) (System.currentTimeMillis() / 1000);
    }

    private static Optional<String> nonEmpty(String value)
    {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static String nullToEmpty(String value)
    {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value)
    {
        return value == null || value.isEmpty() ? null : value;
    }
}
