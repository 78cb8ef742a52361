package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The real Trino JDBC driver against the coordinator: metadata calls, types, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestJdbcDriver
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
    }

    @Test
    void databaseMetaData()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc()) {
            DatabaseMetaData metaData = connection.getMetaData();
            assertThat(column(metaData.getCatalogs(), "TABLE_CAT")).containsExactly("hive", "system");
            assertThat(column(metaData.getSchemas("hive", null), "TABLE_SCHEM")).contains("default", "web");
            assertThat(column(metaData.getTables("hive", "web", null, null), "TABLE_NAME")).containsExactly("access_logs");
            assertThat(column(metaData.getTables("hive", "w%", "access%", new String[] {"TABLE"}), "TABLE_NAME")).containsExactly("access_logs");
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            try (ResultSet resultSet = metaData.getColumns("hive", "web", "access_logs", null)) {
                while (resultSet.next()) {
                    columns.add(resultSet.getString("COLUMN_NAME"));
                    types.add(resultSet.getString("TYPE_NAME"));
                    assertThat(resultSet.getInt("ORDINAL_POSITION")).isEqualTo(columns.size());
                }
            }
            assertThat(columns).containsExactly("ts", "client_ip", "method", "url", "status", "bytes", "latency", "user_agent", "referrer", "target", "dt");
            assertThat(types).containsExactly("timestamp(3)", "varchar", "varchar", "varchar", "integer", "bigint", "double", "varchar", "varchar", "varchar", "varchar");
        }
    }

    @Test
    void typesAndValues()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT 1, CAST(2 AS bigint), 2.5e0, 'x', true, DATE '2024-03-01', TIMESTAMP '2024-03-01 10:11:12.345', CAST(NULL AS varchar)")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isEqualTo(1);
            assertThat(resultSet.getLong(2)).isEqualTo(2L);
            assertThat(resultSet.getDouble(3)).isEqualTo(2.5);
            assertThat(resultSet.getString(4)).isEqualTo("x");
            assertThat(resultSet.getBoolean(5)).isTrue();
            assertThat(resultSet.getDate(6).toLocalDate()).hasToString("2024-03-01");
            assertThat(resultSet.getTimestamp(7).toLocalDateTime()).hasToString("2024-03-01T10:11:12.345");
            assertThat(resultSet.getString(8)).isNull();
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("integer");
            assertThat(resultSet.next()).isFalse();
        }
    }

    /** The driver decodes time(p) and both interval types from the text the coordinator writes. */
    @Test
    void timeAndIntervalValues()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT TIME '10:11:12.345', TIMESTAMP '2024-03-02 12:00:00' - TIMESTAMP '2024-03-01 10:30:00', "
                        + "INTERVAL '1-2' YEAR TO MONTH, -INTERVAL '90' MINUTE")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("time(3)");
            assertThat(resultSet.getString(1)).isEqualTo("10:11:12.345");
            assertThat(resultSet.getTime(1)).hasToString("10:11:12");
            assertThat(resultSet.getMetaData().getColumnTypeName(2)).isEqualTo("interval day to second");
            assertThat(resultSet.getObject(2)).isEqualTo(new io.trino.jdbc.TrinoIntervalDayTime(86_400_000L + 5_400_000L));
            assertThat(resultSet.getMetaData().getColumnTypeName(3)).isEqualTo("interval year to month");
            assertThat(resultSet.getObject(3)).isEqualTo(new io.trino.jdbc.TrinoIntervalYearMonth(14));
            assertThat(resultSet.getObject(4)).isEqualTo(new io.trino.jdbc.TrinoIntervalDayTime(-5_400_000L));
            assertThat(resultSet.next()).isFalse();
        }
    }

    @Test
    void showStatements()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThat(column(statement.executeQuery("SHOW CATALOGS"), "Catalog")).containsExactly("hive", "system");
            assertThat(column(statement.executeQuery("SHOW SCHEMAS"), "Schema")).contains("default", "web");
            assertThat(column(statement.executeQuery("SHOW TABLES FROM hive.web"), "Table")).containsExactly("access_logs");
            assertThat(column(statement.executeQuery("DESCRIBE access_logs"), "Column")).startsWith("ts", "client_ip").endsWith("dt");
        }
    }

    @Test
    void hiddenColumns()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("SELECT * FROM access_logs LIMIT 1")) {
                assertThat(resultSet.getMetaData().getColumnCount()).isEqualTo(11);
            }
            List<String> paths = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery(
                    "SELECT \"$path\", \"$file_size\", max(\"$file_modified_time\"), count(*) FROM access_logs GROUP BY 1, 2 ORDER BY 1")) {
                while (resultSet.next()) {
                    paths.add(resultSet.getString(1));
                    assertThat(resultSet.getLong(2)).isPositive();
                    assertThat(resultSet.getTimestamp(3)).isNotNull();
                    assertThat(resultSet.getLong(4)).isEqualTo(20_000);
                }
            }
            assertThat(paths).hasSize(6).first().asString().isEqualTo("s3://glaux-demo/logs/access/dt=2024-03-01/part-0.parquet");
        }
    }

    @Test
    void syntaxErrorHasPosition()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT status,\n  count(* FROM access_logs"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("line 2:")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1));
        }
    }

    @Test
    void unknownTableAndColumnAreNamed()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM no_such_table"))
                    .hasMessageContaining("no_such_table").hasMessageContaining("line 1:15");
            assertThatThrownBy(() -> statement.executeQuery("SELECT no_such_column FROM access_logs"))
                    .hasMessageContaining("no_such_column").hasMessageContaining("line 1:8");
            assertThatThrownBy(() -> statement.executeQuery("DESCRIBE web.missing"))
                    .hasMessageContaining("hive.web.missing");
        }
    }

    private static List<String> column(ResultSet resultSet, String name)
            throws SQLException
    {
        List<String> values = new ArrayList<>();
        try (resultSet) {
            while (resultSet.next()) {
                values.add(resultSet.getString(name));
            }
        }
        return values;
    }
}
