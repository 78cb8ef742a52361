package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.Table;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The catalog API over in-memory table definitions, read-only, for planner tests (the planner reads
 * nothing else of a catalog); {@link #calls} records the lookups made.
 */
final class TablesCatalog
        implements Catalog
{
    private final List<Table> tables;
    final List<String> calls = new CopyOnWriteArrayList<>();

    TablesCatalog(List<Table> tables)
    {
        this.tables = List.copyOf(requireNonNull(tables, "tables is null"));
    }

    @Override
    public List<String> listSchemas()
    {
        calls.add("listSchemas");
        return tables.stream().map(Table::schemaName).distinct().sorted().toList();
    }

    @Override
    public Optional<Database> getSchema(String name)
    {
        calls.add("getSchema " + name);
        return tables.stream().anyMatch(table -> table.schemaName().equals(name)) ? Optional.of(Database.named(name)) : Optional.empty();
    }

    @Override
    public List<String> listTables(String schema)
    {
        calls.add("listTables " + schema);
        return tables.stream().filter(table -> table.schemaName().equals(schema)).map(Table::tableName).toList();
    }

    @Override
    public Optional<Table> getTable(String schema, String table)
    {
        calls.add("getTable " + schema + "." + table);
        return tables.stream().filter(definition -> definition.schemaName().equals(schema) && definition.tableName().equals(table)).findFirst();
    }

    @Override
    public List<Partition> getPartitions(String schema, String table)
    {
        return List.of();
    }

    @Override
    public List<String> listPartitionNames(String schema, String table)
    {
        return List.of();
    }

    @Override
    public void createSchema(Database database, boolean ifNotExists)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dropSchema(String name, boolean ifExists, boolean cascade)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void createTable(Table table, boolean ifNotExists)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dropTable(String schema, String table, boolean ifExists)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addPartitions(String schema, String table, List<Partition> partitions, boolean ifNotExists)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void alterTable(Table table)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void dropPartitions(String schema, String table, List<List<String>> partitionValues, boolean ifExists)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setPartitionLocation(String schema, String table, List<String> partitionValues, String location)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close()
    {
    }
}
