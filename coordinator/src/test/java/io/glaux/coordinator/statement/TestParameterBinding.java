package io.glaux.coordinator.statement;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.sql.ast.SqlGlauxStatement;
import io.glaux.coordinator.sql.ast.Statement;
import org.apache.calcite.sql.SqlNode;
import org.junit.jupiter.api.Test;

import java.util.List;

/** EXECUTE's binding of parameter values into a prepared statement (no cluster needed). */
class TestParameterBinding
{
    private static List<SqlNode> using(String values)
    {
        Statement.Execute execute = (Statement.Execute) ((SqlGlauxStatement) QueryPlanner.parse("EXECUTE q USING " + values)).statement();
        return execute.parameters();
    }

    @Test
    void parametersAreReplacedInOrder()
    {
        SqlNode parsed = QueryPlanner.parse("SELECT ?, a FROM t WHERE b = ? AND c IN (?, 'x')");
        assertThat(ClientStatements.parameterCount(parsed)).isEqualTo(3);
        SqlNode bound = ClientStatements.bind(parsed, using("'one', BIGINT '2', DATE '2024-03-01'"));
        assertThat(ClientStatements.parameterCount(bound)).isZero();
        assertThat(bound.toString().replace("\n", " "))
                .contains("SELECT 'one', `a`")
                .contains("`b` = CAST('2' AS BIGINT)")
                .contains("`c` IN (DATE '2024-03-01', 'x')");
    }

    @Test
    void limitAndOffsetTakeTheNumber()
    {
        SqlNode parsed = QueryPlanner.parse("SELECT a FROM t ORDER BY a LIMIT ?");
        SqlNode bound = ClientStatements.bind(parsed, using("BIGINT '10'"));
        assertThat(bound.toString().replace("\n", " ")).endsWith("FETCH NEXT 10 ROWS ONLY");
    }

    @Test
    void explainOfAPreparedQuery()
    {
        SqlNode parsed = QueryPlanner.parse("EXPLAIN SELECT a FROM t WHERE b = ?");
        assertThat(ClientStatements.parameterCount(parsed)).isEqualTo(1);
        SqlNode bound = ClientStatements.bind(parsed, using("5"));
        Statement.Explain explain = (Statement.Explain) ((SqlGlauxStatement) bound).statement();
        assertThat(explain.query().toString()).contains("`b` = 5");
    }
}
