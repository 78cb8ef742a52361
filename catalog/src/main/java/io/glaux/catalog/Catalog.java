package io.glaux.catalog;

import io.glaux.catalog.model.ColumnStatistics;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.Table;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Schemas, tables and partitions, as the engine sees them. Implementations are thread-safe. Names
 * are case-insensitive (folded to lower case). Failures are {@link io.glaux.spi.error.GlauxException}s:
 * {@code SCHEMA_NOT_FOUND} / {@code TABLE_NOT_FOUND} name what is missing, {@code GENERIC_USER_ERROR}
 * for "already exists" and "not empty", {@code METASTORE_ERROR} when the metastore fails or cannot be
 * reached. Nothing here ever deletes data files.
 */
public interface Catalog
        extends AutoCloseable
{
    List<String> listSchemas();

    Optional<Database> getSchema(String name);

    void createSchema(Database database, boolean ifNotExists);

    /**
     * Drops a schema. With {@code cascade}, its tables are dropped too (metadata only); without it a
     * schema that still has tables is an error.
     */
    void dropSchema(String name, boolean ifExists, boolean cascade);

    /** Table and view names of a schema, sorted. Fails with SCHEMA_NOT_FOUND when there is no such schema. */
    List<String> listTables(String schema);

    /** The table, or empty when the schema has no such table. Fails with SCHEMA_NOT_FOUND when the schema is missing. */
    Optional<Table> getTable(String schema, String table);

    void createTable(Table table, boolean ifNotExists);

    /** Drops the table's metadata; its files are never deleted. */
    void dropTable(String schema, String table, boolean ifExists);

    /** All partitions of a table, sorted by partition name. Fails with TABLE_NOT_FOUND for a missing table. */
    List<Partition> getPartitions(String schema, String table);

    /** Partition names ({@code dt=2024-01-01/hour=00}), sorted. */
    List<String> listPartitionNames(String schema, String table);

    /**
     * Adds partitions to a partitioned table; each gets the table's storage format. With
     * {@code ifNotExists}, partitions that already exist are skipped; without it, any existing
     * partition fails the whole call.
     */
    void addPartitions(String schema, String table, List<Partition> partitions, boolean ifNotExists);

    /**
     * Replaces a table's definition (its data columns, TBLPROPERTIES, storage, location) by this one,
     * found by the table's schema and name. Partition columns cannot change; existing partitions keep
     * their own storage descriptors. Fails with TABLE_NOT_FOUND for a missing table and
     * GENERIC_USER_ERROR when the metastore refuses the change (e.g. an incompatible column type).
     */
    void alterTable(Table table);

    /**
     * Drops partitions (metadata only; their files stay), each given by its values in partition-column
     * order. With {@code ifExists}, missing partitions are skipped; without it, a missing partition
     * fails with GENERIC_USER_ERROR before anything is dropped.
     */
    void dropPartitions(String schema, String table, List<List<String>> partitionValues, boolean ifExists);

    /** Points a partition at another location. Fails with GENERIC_USER_ERROR when there is no such partition. */
    void setPartitionLocation(String schema, String table, List<String> partitionValues, String location);

    /**
     * The table-level statistics the metastore holds for {@code columns} of {@code schema.table}, by column
     * name; a column without statistics is missing from the map. Statistics only guide plans, so a
     * catalog without them answers an empty map.
     */
    default Map<String, ColumnStatistics> getColumnStatistics(String schema, String table, List<String> columns)
    {
        return Map.of();
    }

    /** Stores table-level statistics of columns of {@code schema.table} (by column name), replacing those it had. */
    default void setColumnStatistics(String schema, String table, Map<String, ColumnStatistics> statistics)
    {
        throw new io.glaux.spi.error.GlauxException(io.glaux.spi.error.ErrorCode.NOT_SUPPORTED, "This catalog does not store column statistics");
    }

    @Override
    void close();
}
