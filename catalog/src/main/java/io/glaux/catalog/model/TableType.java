package io.glaux.catalog.model;

/** The Hive table types Glaux knows; names are the Hive metastore's {@code tableType} strings. */
public enum TableType
{
    /** Metadata only: dropping the table never deletes its files. What Glaux creates. */
    EXTERNAL_TABLE,
    /** A table whose files the metastore owns. Glaux reads them but never deletes data on drop. */
    MANAGED_TABLE,
    /** A view: {@link Table#viewOriginalText()} holds its SQL. */
    VIRTUAL_VIEW
}
