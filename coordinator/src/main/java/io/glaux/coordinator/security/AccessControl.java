package io.glaux.coordinator.security;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.Collection;
import java.util.List;

/**
 * Who may read, define and see what. Every check throws {@link GlauxException} with
 * {@link ErrorCode#ACCESS_DENIED} and a message naming the object ("Access Denied: Cannot select from
 * table hive.web.clicks"); the filters return the names a user may see, in their given order. One
 * implementation serves the statement checks and every listing ({@code SHOW SCHEMAS/TABLES},
 * {@code system.jdbc.*}, {@code information_schema}), so they cannot disagree.
 *
 * <p>{@link #allowAll()} is the default (no {@code access-control.rules-file});
 * {@link FileAccessControl} reads Trino-style rules.
 */
public interface AccessControl
{
    /** Reading anything in the catalog (it is visible and not {@code none}). */
    void checkCanAccessCatalog(String user, String catalog);

    /** {@code SELECT} from a table or view (and every table a view reads). */
    void checkCanSelect(String user, QualifiedName table);

    /** {@code DESCRIBE}, {@code SHOW COLUMNS}, {@code SHOW PARTITIONS}, {@code SHOW TBLPROPERTIES}: the table is visible. */
    void checkCanShowColumns(String user, QualifiedName table);

    /** {@code SHOW TABLES} of a schema: the schema is visible. */
    void checkCanShowTables(String user, String catalog, String schema);

    void checkCanCreateSchema(String user, String catalog, String schema);

    void checkCanDropSchema(String user, String catalog, String schema);

    void checkCanCreateTable(String user, QualifiedName table);

    void checkCanDropTable(String user, QualifiedName table);

    /** {@code ALTER TABLE} (columns, partitions, properties, locations) and {@code MSCK REPAIR TABLE}. */
    void checkCanAlterTable(String user, QualifiedName table);

    void checkCanCreateView(String user, QualifiedName view);

    void checkCanDropView(String user, QualifiedName view);

    /** {@code SHOW CREATE TABLE|VIEW}: the definition (location, SerDe properties) is the owner's to see. */
    void checkCanShowCreateTable(String user, QualifiedName table);

    /**
     * A {@code LOCATION} ({@code s3://bucket/prefix/}) a table, partition or schema of the user may point at;
     * {@code object} names what is being defined, for the message.
     */
    void checkCanUseLocation(String user, String location, String object);

    List<String> filterCatalogs(String user, Collection<String> catalogs);

    List<String> filterSchemas(String user, String catalog, Collection<String> schemas);

    List<String> filterTables(String user, String catalog, String schema, Collection<String> tables);

    /** The groups the user is in (group file and rules file); the query queue counts per group too. */
    default java.util.Set<String> groupsOf(String user)
    {
        return java.util.Set.of();
    }

    /** Whether the user may see the table at all (any privilege on it). */
    default boolean canSeeTable(String user, QualifiedName table)
    {
        return !filterTables(user, table.catalog(), table.schema(), List.of(table.name())).isEmpty();
    }

    /** The error every denial throws: "Access Denied: " + what. */
    static GlauxException denied(String what)
    {
        return new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: " + what);
    }

    /** Everyone may do everything (no rules file). */
    static AccessControl allowAll()
    {
        return AllowAllAccessControl.INSTANCE;
    }
}
