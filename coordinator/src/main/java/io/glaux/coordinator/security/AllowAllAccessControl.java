package io.glaux.coordinator.security;

import java.util.Collection;
import java.util.List;

/** No rules: every check passes and every name is visible. */
final class AllowAllAccessControl
        implements AccessControl
{
    static final AllowAllAccessControl INSTANCE = new AllowAllAccessControl();

    private AllowAllAccessControl() {}

    @Override
    public void checkCanAccessCatalog(String user, String catalog) {}

    @Override
    public void checkCanSelect(String user, QualifiedName table) {}

    @Override
    public void checkCanShowColumns(String user, QualifiedName table) {}

    @Override
    public void checkCanShowTables(String user, String catalog, String schema) {}

    @Override
    public void checkCanCreateSchema(String user, String catalog, String schema) {}

    @Override
    public void checkCanDropSchema(String user, String catalog, String schema) {}

    @Override
    public void checkCanCreateTable(String user, QualifiedName table) {}

    @Override
    public void checkCanDropTable(String user, QualifiedName table) {}

    @Override
    public void checkCanAlterTable(String user, QualifiedName table) {}

    @Override
    public void checkCanCreateView(String user, QualifiedName view) {}

    @Override
    public void checkCanDropView(String user, QualifiedName view) {}

    @Override
    public void checkCanShowCreateTable(String user, QualifiedName table) {}

    @Override
    public void checkCanUseLocation(String user, String location, String object) {}

    @Override
    public List<String> filterCatalogs(String user, Collection<String> catalogs)
    {
        return List.copyOf(catalogs);
    }

    @Override
    public List<String> filterSchemas(String user, String catalog, Collection<String> schemas)
    {
        return List.copyOf(schemas);
    }

    @Override
    public List<String> filterTables(String user, String catalog, String schema, Collection<String> tables)
    {
        return List.copyOf(tables);
    }

    @Override
    public String toString()
    {
        return "allow-all";
    }
}
