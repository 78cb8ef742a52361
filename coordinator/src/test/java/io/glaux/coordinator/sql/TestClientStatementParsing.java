package io.glaux.coordinator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.sql.ast.SqlGlauxStatement;
import io.glaux.coordinator.sql.ast.Statement;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserUtil;
import org.junit.jupiter.api.Test;

/** The session and prepared-statement statements of Glaux's grammar (no cluster needed). */
class TestClientStatementParsing
{
    private static Statement statement(String sql)
    {
        SqlNode node = QueryPlanner.parse(sql);
        assertThat(node).isInstanceOf(SqlGlauxStatement.class);
        return ((SqlGlauxStatement) node).statement();
    }

    @Test
    void sessionStatements()
    {
        Statement.SetSession set = (Statement.SetSession) statement("SET SESSION Query_Max_Run_Time = '10s'");
        assertThat(set.name().toString()).isEqualTo("query_max_run_time");
        assertThat(set.value().getKind()).isEqualTo(SqlKind.LITERAL);
        assertThat(((Statement.SetSession) statement("SET SESSION hive.some_property = 5")).name().parts()).containsExactly("hive", "some_property");
        assertThat(((Statement.ResetSession) statement("RESET SESSION join_distribution_type")).name().toString()).isEqualTo("join_distribution_type");
        assertThat(((Statement.ShowSession) statement("SHOW SESSION")).like()).isEmpty();
        assertThat(((Statement.ShowSession) statement("SHOW SESSION LIKE 'query%'")).like()).contains("query%");
        // the other SHOW statements are untouched
        assertThat(statement("SHOW TABLES")).isInstanceOf(Statement.ShowTables.class);
    }

    @Test
    void prepareKeepsTheStatementsText()
    {
        String sql = "PREPARE my_query FROM\n  SELECT a, ? FROM t WHERE b = ? LIMIT ?";
        Statement.Prepare prepare = (Statement.Prepare) statement(sql);
        assertThat(prepare.name().value()).isEqualTo("my_query");
        int start = SqlParserUtil.lineColToIndex(sql, prepare.statementPos().getLineNum(), prepare.statementPos().getColumnNum());
        assertThat(sql.substring(start)).isEqualTo("SELECT a, ? FROM t WHERE b = ? LIMIT ?");
        assertThat(statement("PREPARE q FROM SHOW TABLES FROM web")).isInstanceOf(Statement.Prepare.class);
        assertThat(statement("PREPARE q FROM CREATE SCHEMA x")).isInstanceOf(Statement.Prepare.class);
    }

    @Test
    void executeWithParametersAsTheJdbcDriverWritesThem()
    {
        Statement.Execute execute = (Statement.Execute) statement(
                "EXECUTE statement1 USING 'it''s', BIGINT '42', DOUBLE '2.5', true, DATE '2024-03-01', TIMESTAMP '2024-03-01 10:11:12.345', "
                        + "DECIMAL '-12.50', CAST(NULL AS VARCHAR), INTEGER '7', 1 + 2");
        assertThat(execute.name().value()).isEqualTo("statement1");
        assertThat(execute.parameters()).hasSize(10);
        assertThat(execute.parameters().get(1).toString()).isEqualTo("CAST('42' AS BIGINT)");
        assertThat(execute.parameters().get(2).toString()).isEqualTo("CAST('2.5' AS DOUBLE)");
        assertThat(execute.parameters().get(6).toString()).isEqualTo("CAST('-12.50' AS DECIMAL(4, 2))");
        assertThat(((Statement.Execute) statement("EXECUTE q")).parameters()).isEmpty();
        // IMMEDIATE followed by a string is EXECUTE IMMEDIATE; otherwise a statement named immediate
        Statement.ExecuteImmediate immediate = (Statement.ExecuteImmediate) statement("EXECUTE IMMEDIATE 'SELECT ''x'', ?' USING 1");
        assertThat(immediate.statement().value()).isEqualTo("SELECT 'x', ?");
        assertThat(immediate.parameters()).hasSize(1);
        assertThat(((Statement.Execute) statement("EXECUTE immediate USING 1")).name().value()).isEqualTo("immediate");
    }

    @Test
    void deallocateAndDescribe()
    {
        assertThat(((Statement.Deallocate) statement("DEALLOCATE PREPARE q")).name().value()).isEqualTo("q");
        assertThat(((Statement.DescribeInput) statement("DESCRIBE INPUT q")).name().value()).isEqualTo("q");
        assertThat(((Statement.DescribeOutput) statement("DESCRIBE OUTPUT q")).name().value()).isEqualTo("q");
        // tables named input and output are still described as tables
        assertThat(((Statement.Describe) statement("DESCRIBE input")).name().toString()).isEqualTo("input");
        assertThat(((Statement.Describe) statement("DESCRIBE output")).name().toString()).isEqualTo("output");
        assertThat(((Statement.Describe) statement("DESCRIBE web.access_logs")).name().toString()).isEqualTo("web.access_logs");
    }
}
