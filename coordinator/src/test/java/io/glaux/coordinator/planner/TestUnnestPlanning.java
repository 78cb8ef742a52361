package io.glaux.coordinator.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.coordinator.execution.EngineExecution;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.operator.QueryContext;
import io.glaux.engine.plan.PlanNode;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.RootAllocator;
import org.apache.calcite.jdbc.CalciteSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** UNNEST planned into the engine's nodes and run by the engine on the coordinator (no cluster). */
class TestUnnestPlanning
{
    private final QueryPlanner planner = new QueryPlanner(CalciteSchema.createRootSchema(false, false));

    @Test
    void arrayConstructorWithOrdinality()
    {
        assertThat(rows("SELECT x, n FROM UNNEST(ARRAY[30, 10, 20]) WITH ORDINALITY AS t(x, n) ORDER BY n"))
                .containsExactly("[30, 1]", "[10, 2]", "[20, 3]");
    }

    @Test
    void ordinalIsBigintAsInTrino()
    {
        for (String sql : List.of(
                "SELECT x, n FROM UNNEST(ARRAY[30, 10]) WITH ORDINALITY AS t(x, n)",
                "SELECT v, n FROM (VALUES 1, 2) AS t(v) CROSS JOIN UNNEST(ARRAY[v, v * 10]) WITH ORDINALITY AS u(x, n)",
                "SELECT v, n FROM (VALUES 1, 2) AS t(v) LEFT JOIN UNNEST(ARRAY[v * 2]) WITH ORDINALITY AS u(x, n) ON true",
                "SELECT k, n FROM UNNEST(MAP(ARRAY['a'], ARRAY[1])) WITH ORDINALITY AS t(k, v, n)")) {
            QueryPlanner.Plan plan = planner.plan(sql, "hive", "default");
            assertThat(plan.rowType().getFieldList().get(1).getType().getSqlTypeName()).as(sql).isEqualTo(org.apache.calcite.sql.type.SqlTypeName.BIGINT);
        }
        assertThat(rows("SELECT typeof(n), typeof(n + 1), n * 3000000000 FROM UNNEST(ARRAY['a', 'b']) WITH ORDINALITY AS t(x, n) ORDER BY n"))
                .containsExactly("[bigint, bigint, 3000000000]", "[bigint, bigint, 6000000000]");
    }

    @Test
    void emptyArrayLiteralIsArrayOfUnknown()
    {
        assertThat(rows("SELECT ARRAY[], typeof(ARRAY[]), cardinality(ARRAY[]) = 0, coalesce(ARRAY[], ARRAY[1]), typeof(coalesce(ARRAY[], ARRAY[1]))"))
                .containsExactly("[[], array(unknown), true, [], array(integer)]");
        assertThat(rows("SELECT concat(ARRAY[1, 2], ARRAY[]), ARRAY[] || ARRAY['a'], concat(ARRAY[1], ARRAY[2, 3], ARRAY[]), ARRAY[1] || ARRAY[NULL, 4], concat(ARRAY[1], NULL)"))
                .containsExactly("[[1, 2], [a], [1, 2, 3], [1, null, 4], null]");
    }

    @Test
    void jsonIsNotOrderable()
    {
        assertThatThrownBy(() -> planner.plan("SELECT j FROM (VALUES JSON '1', JSON '[2]') t(j)\nORDER BY j DESC", "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
                    assertThat(e.getMessage()).contains("line 2:10").contains("Type json is not orderable, and therefore cannot be used in ORDER BY");
                });
        assertThat(rows("SELECT count(*) FROM (VALUES JSON '1', JSON '[2]', JSON '1') t(j) GROUP BY j ORDER BY 1")).containsExactly("[1]", "[2]");
    }

    @Test
    void severalConstructorsAreZipped()
    {
        assertThat(rows("SELECT a, b FROM UNNEST(ARRAY[1, 2, 3], ARRAY['x']) AS t(a, b) ORDER BY a"))
                .containsExactly("[1, x]", "[2, null]", "[3, null]");
    }

    @Test
    void constructorOfTheLeftRow()
    {
        assertThat(rows("SELECT v, x FROM (VALUES 1, 2) AS t(v) CROSS JOIN UNNEST(ARRAY[v, v * 10]) AS u(x) ORDER BY v, x"))
                .containsExactly("[1, 1]", "[1, 10]", "[2, 2]", "[2, 20]");
        assertThat(rows("SELECT v, x, n FROM (VALUES 1, 2) AS t(v) LEFT JOIN UNNEST(ARRAY[v * 2]) WITH ORDINALITY AS u(x, n) ON true ORDER BY v"))
                .containsExactly("[1, 2, 1]", "[2, 4, 1]");
    }

    @Test
    void runsAsAnEnginePlan()
    {
        QueryPlanner.Plan plan = planner.plan("SELECT v, x FROM (VALUES 1, 2) AS t(v) CROSS JOIN UNNEST(ARRAY[v, v + 1]) AS u(x)", "hive", "default");
        assertThat(plan.engine().root()).isInstanceOf(PlanNode.class);
    }

    @Test
    void correlatedSubqueryOverUnnestIsNotSupported()
    {
        assertThatThrownBy(() -> planner.plan("SELECT v, (SELECT max(x) FROM UNNEST(ARRAY[v, 2]) AS u(x)) FROM (VALUES 1, 3) AS t(v)", "hive", "default"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED);
                    assertThat(e.getMessage()).contains("the engine cannot run").contains("correlated subquery");
                });
    }

    @Test
    void tryOverConstantsRunsInTheEngine()
    {
        // a constant argument is not folded by Calcite, where the error would not be caught
        assertThat(rows("SELECT TRY(CAST(CAST('test' AS varchar) AS integer)) IS NULL, TRY(1 / 0), TRY(CAST('7' AS integer))"))
                .containsExactly("[true, null, 7]");
    }

    @Test
    void nullSafeComparisons()
    {
        assertThat(rows("WITH a(k1, k2, v) AS (VALUES (1, 'x', 'a1'), (2, NULL, 'a4'), (3, 'y', 'a5')), b(k1, k2, w) AS (VALUES (1, 'x', 'b1'), (2, NULL, 'b4'), (3, NULL, 'b5')) "
                + "SELECT a.v, b.w FROM a JOIN b ON a.k1 = b.k1 AND a.k2 IS NOT DISTINCT FROM b.k2 ORDER BY a.v"))
                .containsExactly("[a1, b1]", "[a4, b4]");
        assertThat(rows("SELECT x FROM (VALUES 1, 2, NULL) AS t(x) WHERE x IS DISTINCT FROM 2 ORDER BY x"))
                .containsExactly("[1]", "[null]");
    }

    private List<String> rows(String sql)
    {
        QueryPlanner.Plan plan = planner.plan(sql, "hive", "default");
        List<String> rows = new ArrayList<>();
        try (RootAllocator root = new RootAllocator();
                EngineExecution execution = new EngineExecution(plan.engine(), null, new QueryContext(
                        new QueryMemoryContext("test", new MemoryPool(1L << 30), 1L << 30, root), Optional.empty(), new QueryContext.Cancellation(),
                        SpillSpace.unlimited(), 1, new ConcurrentHashMap<>()), () -> false)) {
            Iterator<Object> iterator = execution.rows();
            while (iterator.hasNext()) {
                rows.add(Arrays.toString((Object[]) iterator.next()));
            }
        }
        return rows;
    }
}
