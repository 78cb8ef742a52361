package io.glaux.coordinator.metadata;

/**
 * Which schemas and tables a user may see in metadata listings. The one place listings ask:
 * {@code SHOW SCHEMAS|TABLES|COLUMNS}, {@code DESCRIBE}, {@code information_schema.*} and
 * {@code system.jdbc.*} (what the JDBC driver's {@code DatabaseMetaData} reads) all go through
 * {@link MetadataListing}, which applies it.
 */
public interface MetadataAccess
{
    /** Everyone sees everything. */
    MetadataAccess ALLOW_ALL = new MetadataAccess()
    {
        @Override
        public boolean canSeeSchema(String user, String catalog, String schema)
        {
            return true;
        }

        @Override
        public boolean canSeeTable(String user, String catalog, String schema, String table)
        {
            return true;
        }
    };

    /** Whether the catalog is listed at all (SHOW CATALOGS, system.jdbc.catalogs, system.metadata.catalogs). */
    default boolean canSeeCatalog(String user, String catalog)
    {
        return true;
    }

    boolean canSeeSchema(String user, String catalog, String schema);

    /** Asked only for tables of schemas the user may see. */
    boolean canSeeTable(String user, String catalog, String schema, String table);
}
