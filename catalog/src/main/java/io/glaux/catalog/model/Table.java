package io.glaux.catalog.model;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A table or view as the metastore describes it. A definition that cannot be valid (a column twice,
 * an external table without location, a view without text) fails with {@code GENERIC_USER_ERROR}.
 *
 * @param schemaName lower-case schema name
 * @param tableName lower-case table name
 * @param tableType external, managed or view
 * @param dataColumns the columns stored in the files, in file-schema order
 * @param partitionColumns the partition keys, in directory order ({@code dt=.../hour=...})
 * @param storage SerDe and input/output formats
 * @param location the table's directory, e.g. {@code s3://bucket/logs}; an empty string for a view,
 *        or, when creating a managed table, to let the metastore choose. The metastore normalizes
 *        locations: a trailing {@code /} is dropped.
 * @param parameters the TBLPROPERTIES (including {@code comment} when the table has one). The
 *        metastore-maintained {@code EXTERNAL} (see {@code tableType}) and {@code transient_lastDdlTime}
 *        keys are not part of this map.
 * @param viewOriginalText the view's SQL as written (views only)
 * @param viewExpandedText the view's SQL with names qualified (views only)
 * @param bucketing {@code CLUSTERED BY ... INTO n BUCKETS}, when the table is bucketed
 */
public record Table(
        String schemaName,
        String tableName,
        TableType tableType,
        List<Column> dataColumns,
        List<Column> partitionColumns,
        StorageFormat storage,
        String location,
        Map<String, String> parameters,
        Optional<String> viewOriginalText,
        Optional<String> viewExpandedText,
        Optional<Bucketing> bucketing)
{
    public Table
    {
        requireNonNull(bucketing, "bucketing is null");
        schemaName = Names.lowerName(schemaName, "schemaName");
        tableName = Names.lowerName(tableName, "tableName");
        requireNonNull(tableType, "tableType is null");
        dataColumns = List.copyOf(requireNonNull(dataColumns, "dataColumns is null"));
        partitionColumns = List.copyOf(requireNonNull(partitionColumns, "partitionColumns is null"));
        requireNonNull(storage, "storage is null");
        requireNonNull(location, "location is null");
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        requireNonNull(viewOriginalText, "viewOriginalText is null");
        requireNonNull(viewExpandedText, "viewExpandedText is null");

        Set<String> names = new HashSet<>();
        for (Column column : dataColumns) {
            if (!names.add(column.name())) {
                throw invalid("Column '" + column.name() + "' appears twice in table " + schemaName + "." + tableName);
            }
        }
        for (Column column : partitionColumns) {
            if (!names.add(column.name())) {
                throw invalid("Column '" + column.name() + "' appears twice in table " + schemaName + "." + tableName);
            }
        }
        if (bucketing.isPresent()) {
            for (String column : bucketing.get().columns()) {
                if (dataColumns.stream().noneMatch(dataColumn -> dataColumn.name().equals(column))) {
                    throw invalid("Bucketing column '" + column + "' is not a data column of table " + schemaName + "." + tableName);
                }
            }
            for (Bucketing.SortColumn column : bucketing.get().sortedBy()) {
                if (dataColumns.stream().noneMatch(dataColumn -> dataColumn.name().equals(column.name()))) {
                    throw invalid("Sort column '" + column.name() + "' is not a data column of table " + schemaName + "." + tableName);
                }
            }
        }
        if (tableType == TableType.VIRTUAL_VIEW && viewOriginalText.isEmpty()) {
            throw invalid("View " + schemaName + "." + tableName + " has no view text");
        }
        if (tableType == TableType.EXTERNAL_TABLE && location.isEmpty()) {
            throw invalid("External table " + schemaName + "." + tableName + " has no location");
        }
    }

    /** A table that is not bucketed. */
    public Table(
            String schemaName,
            String tableName,
            TableType tableType,
            List<Column> dataColumns,
            List<Column> partitionColumns,
            StorageFormat storage,
            String location,
            Map<String, String> parameters,
            Optional<String> viewOriginalText,
            Optional<String> viewExpandedText)
    {
        this(schemaName, tableName, tableType, dataColumns, partitionColumns, storage, location, parameters, viewOriginalText, viewExpandedText, Optional.empty());
    }

    /** This table with other data columns ({@code ALTER TABLE ... ADD|REPLACE COLUMNS}). */
    public Table withDataColumns(List<Column> columns)
    {
        return new Table(schemaName, tableName, tableType, columns, partitionColumns, storage, location, parameters, viewOriginalText, viewExpandedText, bucketing);
    }

    /** This table with other TBLPROPERTIES. */
    public Table withParameters(Map<String, String> newParameters)
    {
        return new Table(schemaName, tableName, tableType, dataColumns, partitionColumns, storage, location, newParameters, viewOriginalText, viewExpandedText, bucketing);
    }

    /** This table, bucketed. */
    public Table withBucketing(Optional<Bucketing> newBucketing)
    {
        return new Table(schemaName, tableName, tableType, dataColumns, partitionColumns, storage, location, parameters, viewOriginalText, viewExpandedText, newBucketing);
    }

    private static GlauxException invalid(String message)
    {
        return new GlauxException(ErrorCode.GENERIC_USER_ERROR, message);
    }

    /** An external table: the shape {@code CREATE EXTERNAL TABLE ... LOCATION '...'} creates. */
    public static Table external(
            String schemaName,
            String tableName,
            List<Column> dataColumns,
            List<Column> partitionColumns,
            StorageFormat storage,
            String location,
            Map<String, String> parameters)
    {
        return new Table(schemaName, tableName, TableType.EXTERNAL_TABLE, dataColumns, partitionColumns, storage, location, parameters, Optional.empty(), Optional.empty());
    }

    /** Data columns followed by partition columns: the table's row type. */
    public List<Column> columns()
    {
        List<Column> columns = new ArrayList<>(dataColumns.size() + partitionColumns.size());
        columns.addAll(dataColumns);
        columns.addAll(partitionColumns);
        return List.copyOf(columns);
    }

    public Optional<Column> column(String name)
    {
        return columns().stream().filter(column -> column.name().equalsIgnoreCase(name)).findFirst();
    }

    public boolean isPartitioned()
    {
        return !partitionColumns.isEmpty();
    }

    /** {@code schema.table}, the form error messages use. */
    public String qualifiedName()
    {
        return schemaName + "." + tableName;
    }
}
