package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.metadata.HiveCatalogSchema;
import io.glaux.coordinator.metadata.MetadataAccess;
import io.glaux.coordinator.metadata.SystemCatalogSchema;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.type.Type;
import org.apache.calcite.jdbc.CalciteSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metadata tables are engine leaves (Values) listed for the session's user; the predicates of a
 * query narrow the metastore calls; the access hook hides what a user may not see.
 */
class TestMetadataTables
{
    /** Two schemas in memory; records every lookup the listings make. */
    private final TablesCatalog catalog = new TablesCatalog(List.of(
            Table.external("web", "logs", List.of(new Column("status", Type.INTEGER), new Column("url", Type.VARCHAR)),
                    List.of(new Column("dt", Type.VARCHAR)), StorageFormat.PARQUET, "s3://b/logs/", Map.of()),
            Table.external("web", "secret", List.of(new Column("key", Type.VARCHAR)), List.of(), StorageFormat.PARQUET, "s3://b/secret/", Map.of()),
            Table.external("shop", "orders", List.of(new Column("id", Type.BIGINT)), List.of(), StorageFormat.PARQUET, "s3://b/orders/", Map.of())));
    private final QueryPlanner planner;

    TestMetadataTables()
    {
        MetadataAccess access = new MetadataAccess()
        {
            @Override
            public boolean canSeeSchema(String user, String catalogName, String schema)
            {
                return !(user.equals("bob") && schema.equals("shop"));
            }

            @Override
            public boolean canSeeTable(String user, String catalogName, String schema, String table)
            {
                return !(user.equals("bob") && table.equals("secret"));
            }
        };
        SystemCatalogSchema system = new SystemCatalogSchema("hive", catalog, SystemCatalogSchema.Runtime.NONE, access);
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        root.add("hive", new HiveCatalogSchema("hive", catalog, Optional.of(system.informationSchema("hive"))));
        root.add(SystemCatalogSchema.NAME, system);
        planner = new QueryPlanner(root);
    }

    @Test
    void oneTableIsOneLookup()
    {
        List<List<Object>> rows = values("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'web' AND table_name = 'logs'", "alice");
        assertThat(rows).extracting(row -> row.get(3)).containsExactly("status", "url", "dt");
        // name resolution looks up schemas and tables by name; the listing lists nothing
        assertThat(catalog.calls).noneMatch(call -> call.startsWith("list")).contains("getTable web.logs");
    }

    @Test
    void likeOnTheTableNameListsOneSchema()
    {
        List<List<Object>> rows = values("SELECT table_name FROM system.jdbc.tables WHERE table_cat = 'hive' AND table_schem LIKE 'web' ESCAPE '\\' AND table_name LIKE 'lo%'", "alice");
        assertThat(rows).extracting(row -> row.get(2)).containsExactly("logs");
        assertThat(catalog.calls).filteredOn(call -> call.startsWith("list")).containsExactly("listTables web");
    }

    @Test
    void accessHidesSchemasAndTables()
    {
        assertThat(values("SELECT table_schema, table_name FROM information_schema.tables", "alice"))
                .filteredOn(row -> !row.get(1).equals("information_schema"))
                .extracting(row -> row.get(1) + "." + row.get(2)).containsExactly("shop.orders", "web.logs", "web.secret");
        assertThat(values("SELECT table_schema, table_name FROM information_schema.tables", "bob"))
                .filteredOn(row -> !row.get(1).equals("information_schema"))
                .extracting(row -> row.get(1) + "." + row.get(2)).containsExactly("web.logs");
        assertThat(values("SELECT table_schem FROM system.jdbc.schemas WHERE table_catalog = 'hive'", "bob"))
                .extracting(row -> row.get(0)).containsExactly("information_schema", "web");
    }

    @Test
    void sessionFunctionsAreConstants()
    {
        QueryPlanner.Plan plan = planner.plan(QueryPlanner.parse("SELECT current_user, current_catalog, current_schema, version()"), "hive", "web", "alice", relation -> { });
        assertThat(plan.explain()).contains("'alice'").contains("'hive'").contains("'web'");
        assertThat(plan.columnNames()).containsExactly("_col0", "_col1", "_col2", "_col3");
    }

    @Test
    void selectWithoutFromTakesWhere()
    {
        assertThat(planner.plan(QueryPlanner.parse("SELECT 'kept' WHERE 1 = 1"), "hive", "web", "alice", relation -> { }).columnNames()).containsExactly("_col0");
        assertThat(planner.plan(QueryPlanner.parse("SELECT CAST(NULL AS varchar) AS a,\n  1 b WHERE false"), "hive", "web", "alice", relation -> { }).columnNames())
                .containsExactly("a", "b");
    }

    /** The rows of the one Values leaf of the query's engine plan. */
    private List<List<Object>> values(String sql, String user)
    {
        QueryPlanner.Plan plan = planner.plan(QueryPlanner.parse(sql), "hive", "web", user, relation -> { });
        List<PlanNode.Values> leaves = new ArrayList<>();
        collect(plan.engine().root(), leaves);
        assertThat(leaves).hasSize(1);
        return leaves.getFirst().rows();
    }

    private static void collect(PlanNode node, List<PlanNode.Values> leaves)
    {
        if (node instanceof PlanNode.Values values) {
            leaves.add(values);
        }
        for (PlanNode source : node.sources()) {
            collect(source, leaves);
        }
    }
}
