package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.query.Session;
import io.glaux.coordinator.sql.ast.Statement;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;
import java.util.Optional;

/**
 * The access checks of Glaux's own statements (DDL, SHOW, DESCRIBE, USE, MSCK), run before the
 * statement touches anything. Queries are checked table by table as the planner resolves them
 * ({@link #checkRelation}); {@code SHOW SCHEMAS|TABLES|CATALOGS} and {@code DESCRIBE} read
 * {@code system.jdbc}, which filters its rows through the same {@link AccessControl}.
 */
public final class StatementAuthorizer
{
    private final AccessControl accessControl;
    private final String catalogName;

    /** {@code catalogName}: the Hive catalog, where schemas are created and dropped. */
    public StatementAuthorizer(AccessControl accessControl, String catalogName)
    {
        this.accessControl = requireNonNull(accessControl, "accessControl is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
    }

    public AccessControl accessControl()
    {
        return accessControl;
    }

    /** A table or view a query reads ({@code [catalog, schema, table]} as the planner resolved it). */
    public void checkRelation(String user, List<String> qualifiedName)
    {
        if (qualifiedName.size() == 3) {
            accessControl.checkCanSelect(user, new QualifiedName(qualifiedName.get(0), qualifiedName.get(1), qualifiedName.get(2)));
        }
        else if (!qualifiedName.isEmpty()) {
            accessControl.checkCanAccessCatalog(user, qualifiedName.getFirst());
        }
    }

    /** Throws ACCESS_DENIED, positioned at the object's name, when {@code session.user()} may not run {@code statement}. */
    public void check(Statement statement, Session session)
    {
        String user = session.user();
        try {
            switch (statement) {
                case Statement.ShowCatalogs ignored -> { }
                case Statement.ShowSchemas show -> show.catalog().ifPresent(name -> accessControl.checkCanAccessCatalog(user, name.parts().getFirst()));
                case Statement.ShowTables show -> {
                    List<String> parts = show.schema().map(Statement.Name::parts).orElse(List.of());
                    String catalog = parts.size() == 2 ? parts.get(0) : session.catalog();
                    String schema = parts.isEmpty() ? session.schema() : parts.getLast();
                    accessControl.checkCanShowTables(user, catalog, schema);
                }
                case Statement.Use use -> accessControl.checkCanAccessCatalog(user, use.name().parts().size() == 2 ? use.name().parts().get(0) : session.catalog());
                case Statement.Explain ignored -> { } // the query is checked as it is planned
                case Statement.CreateSchema create -> {
                    String schema = create.name().parts().getLast();
                    accessControl.checkCanCreateSchema(user, catalogName, schema);
                    create.location().ifPresent(location -> at(location.pos(),
                            () -> accessControl.checkCanUseLocation(user, location.value(), "schema " + catalogName + "." + schema)));
                }
                case Statement.DropSchema drop -> accessControl.checkCanDropSchema(user, catalogName, drop.name().parts().getLast());
                case Statement.CreateTable create -> {
                    QualifiedName table = table(create.name(), session);
                    accessControl.checkCanCreateTable(user, table);
                    create.location().ifPresent(location -> at(location.pos(),
                            () -> accessControl.checkCanUseLocation(user, location.value(), "table " + table)));
                }
                case Statement.DropTable drop -> accessControl.checkCanDropTable(user, table(drop.name(), session));
                case Statement.ShowCreateTable show -> accessControl.checkCanShowCreateTable(user, table(show.name(), session));
                case Statement.Describe describe -> {
                    QualifiedName table = table(describe.name(), session);
                    if (describe.formatted()) {
                        // the formatted form shows the location and SerDe properties, as SHOW CREATE TABLE does
                        accessControl.checkCanShowCreateTable(user, table);
                    }
                    else {
                        accessControl.checkCanShowColumns(user, table);
                    }
                }
                case Statement.ShowPartitions show -> accessControl.checkCanShowColumns(user, table(show.name(), session));
                case Statement.ShowTableProperties show -> accessControl.checkCanShowCreateTable(user, table(show.name(), session));
                case Statement.AddPartitions add -> {
                    QualifiedName table = table(add.name(), session);
                    accessControl.checkCanAlterTable(user, table);
                    for (Statement.AddPartition partition : add.partitions()) {
                        partition.location().ifPresent(location -> at(location.pos(),
                                () -> accessControl.checkCanUseLocation(user, location.value(), "a partition of table " + table)));
                    }
                }
                case Statement.SetPartitionLocation set -> {
                    QualifiedName table = table(set.name(), session);
                    accessControl.checkCanAlterTable(user, table);
                    at(set.location().pos(), () -> accessControl.checkCanUseLocation(user, set.location().value(), "a partition of table " + table));
                }
                case Statement.DropPartitions drop -> accessControl.checkCanAlterTable(user, table(drop.name(), session));
                case Statement.ChangeColumns change -> accessControl.checkCanAlterTable(user, table(change.name(), session));
                case Statement.ChangeColumn change -> accessControl.checkCanAlterTable(user, table(change.name(), session));
                case Statement.RenameTable rename -> accessControl.checkCanAlterTable(user, table(rename.name(), session));
                case Statement.SetTableProperties set -> accessControl.checkCanAlterTable(user, table(set.name(), session));
                case Statement.MsckRepair repair -> accessControl.checkCanAlterTable(user, table(repair.name(), session));
                case Statement.Analyze analyze -> {
                    // it reads every row and writes the statistics
                    accessControl.checkCanSelect(user, table(analyze.name(), session));
                    accessControl.checkCanAlterTable(user, table(analyze.name(), session));
                }
                case Statement.CreateView create -> accessControl.checkCanCreateView(user, table(create.name(), session));
                case Statement.DropView drop -> accessControl.checkCanDropView(user, table(drop.name(), session));
                case Statement.ShowCreateView show -> accessControl.checkCanShowCreateTable(user, table(show.name(), session));
                // a statement added later defines something until someone says otherwise: it needs write access to the catalog
                default -> {
                    if (accessControl != AccessControl.allowAll()) {
                        accessControl.checkCanCreateSchema(user, catalogName, session.schema());
                    }
                }
            }
        }
        catch (GlauxException e) {
            if (e.location().isPresent()) {
                throw e;
            }
            throw positioned(e, nameOf(statement).map(Statement.Name::pos).orElse(statement.pos()));
        }
    }

    private static void at(SqlParserPos pos, Runnable check)
    {
        try {
            check.run();
        }
        catch (GlauxException e) {
            throw positioned(e, pos);
        }
    }

    private static GlauxException positioned(GlauxException e, SqlParserPos pos)
    {
        return new GlauxException(e.errorCode(), new ErrorLocation(Math.max(1, pos.getLineNum()), Math.max(1, pos.getColumnNum())), e.rawMessage(), null);
    }

    private static Optional<Statement.Name> nameOf(Statement statement)
    {
        return switch (statement) {
            case Statement.CreateSchema create -> Optional.of(create.name());
            case Statement.DropSchema drop -> Optional.of(drop.name());
            case Statement.CreateTable create -> Optional.of(create.name());
            case Statement.DropTable drop -> Optional.of(drop.name());
            case Statement.ShowCreateTable show -> Optional.of(show.name());
            case Statement.Describe describe -> Optional.of(describe.name());
            case Statement.ShowPartitions show -> Optional.of(show.name());
            case Statement.ShowTableProperties show -> Optional.of(show.name());
            case Statement.AddPartitions add -> Optional.of(add.name());
            case Statement.DropPartitions drop -> Optional.of(drop.name());
            case Statement.SetPartitionLocation set -> Optional.of(set.name());
            case Statement.ChangeColumns change -> Optional.of(change.name());
            case Statement.ChangeColumn change -> Optional.of(change.name());
            case Statement.RenameTable rename -> Optional.of(rename.name());
            case Statement.SetTableProperties set -> Optional.of(set.name());
            case Statement.MsckRepair repair -> Optional.of(repair.name());
            case Statement.Analyze analyze -> Optional.of(analyze.name());
            case Statement.CreateView create -> Optional.of(create.name());
            case Statement.DropView drop -> Optional.of(drop.name());
            case Statement.ShowCreateView show -> Optional.of(show.name());
            case Statement.ShowTables show -> show.schema();
            case Statement.Use use -> Optional.of(use.name());
            default -> Optional.empty();
        };
    }

    /** {@code t}, {@code s.t} or {@code c.s.t} in the session's catalog and schema (malformed names are the executor's to report). */
    private static QualifiedName table(Statement.Name name, Session session)
    {
        List<String> parts = name.parts();
        return switch (parts.size()) {
            case 1 -> new QualifiedName(session.catalog(), session.schema(), parts.get(0));
            case 2 -> new QualifiedName(session.catalog(), parts.get(0), parts.get(1));
            default -> new QualifiedName(parts.get(parts.size() - 3), parts.get(parts.size() - 2), parts.getLast());
        };
    }
}
