package io.glaux.coordinator.planner;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.jdbc.CalciteSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, validation and error mapping, without a cluster (queries over no table). */
class TestQueryPlanner
{
    private final QueryPlanner planner = new QueryPlanner(CalciteSchema.createRootSchema(false, false));

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT coalesce(NULL, 'a'), nullif(1, 1), upper('x'), lower('X'), char_length('abc'), trim(' a ')",
            "SELECT abs(-1), round(2.5e0), floor(1.5e0), ceil(1.5e0), mod(7, 3), power(2, 3), sqrt(4e0)",
            "SELECT CASE WHEN 1 > 0 THEN 'a' ELSE 'b' END, CAST('1' AS bigint), CAST(1 AS varchar)",
            "SELECT substring('abcdef' FROM 2 FOR 3), position('b' IN 'abc'), 'a' || 'b'",
            "SELECT extract(year FROM DATE '2024-03-01'), current_date, current_timestamp",
            "SELECT x FROM (VALUES (1), (2)) AS t(x) WHERE x IN (1, 3) AND x BETWEEN 0 AND 5 ORDER BY x LIMIT 1",
            "SELECT CASE WHEN x > 1 THEN 'a' ELSE 'b' END AS c, count(*) FROM (VALUES (1), (2)) AS t(x) GROUP BY 1",
            "SELECT coalesce(x, 'd') AS r, count(*) FROM (VALUES ('a'), (NULL)) AS t(x) GROUP BY coalesce(x, 'd')",
            // "system" is a name, as in Trino
            "SELECT coalesce(system.x, 'a'), mod(2, 1), trim(' a '), position('a' IN 'ba') FROM (VALUES ('b')) AS system(x)"})
    void plans(String sql)
    {
        assertThat(planner.plan(sql, "hive", "default").columnNames()).isNotEmpty();
    }

    @Test
    void unnamedColumnsAreNamedAsInTrino()
    {
        assertThat(planner.plan("SELECT 1, 2 AS two, 3", "hive", "default").columnNames()).containsExactly("_col0", "two", "_col2");
    }

    @Test
    void syntaxErrorHasLineAndColumn()
    {
        assertThatThrownBy(() -> planner.plan("SELECT 1,\n  2 FROM", "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR);
                    assertThat(e.getMessage()).startsWith("line 2:");
                });
    }

    @Test
    void unknownFunctionIsNamed()
    {
        assertThatThrownBy(() -> planner.plan("SELECT no_such_function(1)", "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.FUNCTION_NOT_FOUND);
                    assertThat(e.getMessage()).contains("no_such_function").startsWith("line 1:8");
                });
    }

    @Test
    void unknownSchemaIsNamed()
    {
        // as in Trino: the missing part is named, here the schema of nowhere.t
        assertThatThrownBy(() -> planner.plan("SELECT * FROM nowhere.t", "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SCHEMA_NOT_FOUND);
                    assertThat(e.getMessage()).contains("nowhere").startsWith("line 1:15");
                });
    }

    @Test
    void unknownCatalogIsNamed()
    {
        assertThatThrownBy(() -> planner.plan("SELECT * FROM nocatalog.s.t", "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CATALOG_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("line 1:15: Catalog 'nocatalog' not found");
                });
    }

    @Test
    void arrayAndMapExpressionsRunInTheEngine()
    {
        for (String sql : List.of(
                "SELECT split(s, ',')[1], cardinality(split(s, ',')) FROM (VALUES 'a,b', 'c') t(s)",
                "SELECT array_sort(array_agg(t)) FROM (VALUES 'b', 'c', 'a') v(t)",
                "SELECT element_at(MAP['a', n], 'a') FROM (VALUES 1, 2) t(n)",
                "SELECT MAP(ARRAY['a'], ARRAY[n])['a'] FROM (VALUES 1, 2) t(n)",
                "SELECT a[2], contains(a, 'x'), array_join(a, ',') FROM (VALUES ARRAY['x', 'y'], ARRAY['z']) t(a)")) {
            QueryPlanner.Plan plan = planner.plan(sql, "hive", "default");
            assertThat(plan.engine()).as(sql).isNotNull();
        }
    }

    @Test
    void lambdasRunInTheEngine()
    {
        for (String sql : List.of(
                "SELECT transform(a, x -> x * k), filter(a, x -> x > k) FROM (VALUES (ARRAY[1, 2], 10)) t(a, k)",
                "SELECT filter(ARRAY[1, 0, 2], x -> coalesce(TRY(10 / x) > 5, true))",
                "SELECT transform(ARRAY[1, 0, 2], x -> TRY(10 / x)), filter(ARRAY[1, 0, 2], x -> coalesce(TRY(10 / x) > 5, true))",
                "SELECT reduce(ARRAY[5, 20], 0, (s, x) -> s + x, s -> s)",
                "SELECT map_filter(MAP(ARRAY['a'], ARRAY[1]), (k, v) -> v > 0)")) {
            QueryPlanner.Plan plan = planner.plan(sql, "hive", "default");
            assertThat(plan.engine()).as(sql).isNotNull();
        }
    }
}
