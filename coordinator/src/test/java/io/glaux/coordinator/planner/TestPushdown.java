package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.metadata.HiveCatalogSchema;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.calcite.jdbc.CalciteSchema;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the planner pushes into the scan, read from the physical plan. */
class TestPushdown
{
    private static final Table LOGS = Table.external("web", "logs",
            List.of(new Column("status", Type.INTEGER), new Column("bytes", Type.BIGINT), new Column("url", Type.VARCHAR),
                    new Column("agent", Type.VARCHAR), new Column("latency", Type.DOUBLE)),
            List.of(new Column("dt", Type.VARCHAR)), StorageFormat.PARQUET, "s3://b/logs/", Map.of());

    private final QueryPlanner planner;

    TestPushdown()
    {
        CalciteSchema root = CalciteSchema.createRootSchema(false, false);
        root.add("hive", new HiveCatalogSchema("hive", new TablesCatalog(List.of(LOGS))));
        planner = new QueryPlanner(root);
    }

    @Test
    void aggregationReadsOnlyItsColumns()
    {
        String plan = explain("SELECT count(*), sum(bytes) FROM logs WHERE status >= 500");
        assertThat(plan).contains("columns=[[status, bytes]]").contains("aggregation=").contains("GREATER_THAN_OR_EQUAL");
        // fully pushed: the scan is the whole plan
        assertThat(plan.strip().lines()).hasSize(1);
    }

    @Test
    void groupByPushesKeysAndAggregates()
    {
        String plan = explain("SELECT status, count(*), max(latency) FROM logs WHERE dt = '2024-03-01' GROUP BY status");
        assertThat(plan).contains("columns=[[status, latency, dt]]").contains("aggregation=[Aggregation[groupKeys=[0]");
    }

    @Test
    void averageAndDistinctAreRewrittenThenPushed()
    {
        assertThat(explain("SELECT avg(latency) FROM logs")).contains("function=SUM").contains("function=COUNT");
        assertThat(explain("SELECT count(DISTINCT url) FROM logs")).contains("groupKeys=[0]").contains("columns=[[url]]");
    }

    @Test
    void whatTheEngineCannotRunFailsNamingIt()
    {
        // initcap() is not in the engine's registry: there is no other executor to run it
        assertThatThrownBy(() -> explain("SELECT initcap(url) FROM logs WHERE status = 200 AND initcap(agent) LIKE 'CURL%'"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains("initcap(varchar)");
                });
    }

    @Test
    void registryFunctionsRunInTheScan()
    {
        String plan = explain("SELECT upper(url), round(latency) FROM logs WHERE regexp_like(agent, '^curl') AND length(url) > 3");
        assertThat(plan).contains("FunctionCall[name=regexp_like").contains("FunctionCall[name=upper").contains("FunctionCall[name=round");
        assertThat(plan.strip().lines()).hasSize(1);
    }

    @Test
    void hiddenColumnsAreSelectableButNotInStar()
    {
        assertThat(planner.plan("SELECT * FROM logs", "hive", "web").columnNames()).containsExactly("status", "bytes", "url", "agent", "latency", "dt");
        assertThat(planner.plan("SELECT \"$path\", \"$file_size\", \"$file_modified_time\" FROM logs", "hive", "web").columnNames())
                .containsExactly("$path", "$file_size", "$file_modified_time");
        assertThat(explain("SELECT count(*) FROM logs WHERE \"$path\" LIKE '%part-0%'")).contains("columns=[[$path]]");
    }

    @Test
    void limitWithoutOrderGoesToTheScan()
    {
        assertThat(explain("SELECT url FROM logs LIMIT 5")).contains("limit=[5]").contains("columns=[[url]]");
    }

    private String explain(String sql)
    {
        return planner.plan(sql, "hive", "web").explain();
    }
}
