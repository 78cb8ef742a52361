package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Every {@code DatabaseMetaData} call of the real Trino JDBC driver that BI tools (DBeaver, DataGrip)
 * make on connect, checked for content; the driver runs SQL over {@code system.jdbc}. Also the
 * metadata statements whose output spans lines (SHOW CREATE SCHEMA) and SHOW FUNCTIONS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestJdbcMetadata
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS hive.jdbc_meta COMMENT 'for the driver' LOCATION 's3://jdbc-meta/'");
            statement.execute("CREATE EXTERNAL TABLE IF NOT EXISTS jdbc_meta.orders (id bigint COMMENT 'order id', price decimal(12,2), placed timestamp, note string)"
                    + " PARTITIONED BY (dt string) STORED AS PARQUET LOCATION 's3://jdbc-meta/orders/'");
            statement.execute("CREATE OR REPLACE VIEW jdbc_meta.expensive AS SELECT id, price FROM jdbc_meta.orders WHERE price > 100");
        }
    }

    @Test
    void catalogsSchemasAndTableTypes()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc()) {
            DatabaseMetaData metaData = connection.getMetaData();
            assertThat(rows(metaData.getCatalogs(), "TABLE_CAT")).containsExactly(List.of("hive"), List.of("system"));
            List<List<String>> schemas = rows(metaData.getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG");
            assertThat(schemas).contains(List.of("jdbc_meta", "hive"), List.of("information_schema", "hive"), List.of("web", "hive"),
                    List.of("jdbc", "system"), List.of("runtime", "system"), List.of("information_schema", "system"));
            assertThat(rows(metaData.getSchemas("hive", "jdbc\\_m%"), "TABLE_SCHEM", "TABLE_CATALOG")).containsExactly(List.of("jdbc_meta", "hive"));
            assertThat(rows(metaData.getSchemas("system", null), "TABLE_SCHEM"))
                    .containsExactly(List.of("information_schema"), List.of("jdbc"), List.of("metadata"), List.of("runtime"));
            assertThat(rows(metaData.getTableTypes(), "TABLE_TYPE")).containsExactly(List.of("TABLE"), List.of("VIEW"));
        }
    }

    @Test
    void tables()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc()) {
            DatabaseMetaData metaData = connection.getMetaData();
            assertThat(rows(metaData.getTables("hive", "jdbc_meta", null, null), "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"))
                    .containsExactly(List.of("hive", "jdbc_meta", "orders", "TABLE"), List.of("hive", "jdbc_meta", "expensive", "VIEW"));
            assertThat(rows(metaData.getTables("hive", "jdbc_meta", "%", new String[] {"VIEW"}), "TABLE_NAME")).containsExactly(List.of("expensive"));
            assertThat(rows(metaData.getTables(null, "jdbc\\_meta", "ord%", new String[] {"TABLE"}), "TABLE_NAME")).containsExactly(List.of("orders"));
            assertThat(rows(metaData.getTables("hive", "information_schema", null, null), "TABLE_NAME"))
                    .containsExactly(List.of("columns"), List.of("schemata"), List.of("table_privileges"), List.of("tables"), List.of("views"));
            assertThat(rows(metaData.getTables("system", "jdbc", "t%", null), "TABLE_NAME")).containsExactly(List.of("table_types"), List.of("tables"), List.of("types"));
            assertThat(rows(metaData.getTables("hive", "jdbc_meta", "missing", null), "TABLE_NAME")).isEmpty();
        }
    }

    @Test
    void columns()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc()) {
            DatabaseMetaData metaData = connection.getMetaData();
            List<List<String>> columns = rows(metaData.getColumns("hive", "jdbc_meta", "orders", null),
                    "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NULLABLE", "REMARKS", "ORDINAL_POSITION", "IS_NULLABLE");
            assertThat(columns).containsExactly(
                    List.of("id", String.valueOf(Types.BIGINT), "bigint", "19", "0", "1", "order id", "1", "YES"),
                    List.of("price", String.valueOf(Types.DECIMAL), "decimal(12,2)", "12", "2", "1", "null", "2", "YES"),
                    List.of("placed", String.valueOf(Types.TIMESTAMP), "timestamp(3)", "23", "3", "1", "null", "3", "YES"),
                    List.of("note", String.valueOf(Types.VARCHAR), "varchar", "2147483647", "null", "1", "null", "4", "YES"),
                    List.of("dt", String.valueOf(Types.VARCHAR), "varchar", "2147483647", "null", "1", "null", "5", "YES"));
            assertThat(rows(metaData.getColumns("hive", "jdbc_meta", "expensive", "pri%"), "COLUMN_NAME", "TYPE_NAME", "ORDINAL_POSITION"))
                    .containsExactly(List.of("price", "decimal(12,2)", "2"));
            assertThat(rows(metaData.getColumns("system", "runtime", "nodes", null), "COLUMN_NAME", "TYPE_NAME")).containsExactly(
                    List.of("node_id", "varchar"), List.of("http_uri", "varchar"), List.of("node_version", "varchar"),
                    List.of("coordinator", "boolean"), List.of("state", "varchar"));
        }
    }

    @Test
    void typesKeysAndTheEmptyCalls()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc()) {
            DatabaseMetaData metaData = connection.getMetaData();
            List<List<String>> types = rows(metaData.getTypeInfo(), "TYPE_NAME", "DATA_TYPE");
            assertThat(types).contains(List.of("bigint", String.valueOf(Types.BIGINT)), List.of("varchar", String.valueOf(Types.VARCHAR)),
                    List.of("decimal", String.valueOf(Types.DECIMAL)), List.of("timestamp", String.valueOf(Types.TIMESTAMP)), List.of("boolean", String.valueOf(Types.BOOLEAN)));
            // ordered by DATA_TYPE, as JDBC requires
            List<Integer> dataTypes = types.stream().map(row -> Integer.parseInt(row.get(1))).toList();
            assertThat(dataTypes).isSorted();

            // Hive tables have no keys: empty results with the columns JDBC defines (names folded to lower case, as Trino does)
            try (ResultSet keys = metaData.getPrimaryKeys("hive", "jdbc_meta", "orders")) {
                assertThat(columnNames(keys.getMetaData())).containsExactly("table_cat", "table_schem", "table_name", "column_name", "key_seq", "pk_name");
                assertThat(keys.next()).isFalse();
            }
            try (ResultSet keys = metaData.getImportedKeys("hive", "jdbc_meta", "orders")) {
                assertThat(columnNames(keys.getMetaData())).startsWith("pktable_cat", "pktable_schem", "pktable_name", "pkcolumn_name").hasSize(14);
                assertThat(keys.next()).isFalse();
            }
            // (getExportedKeys and getCrossReference are refused by the driver itself, as against Trino)
            assertThat(rows(metaData.getProcedures(null, null, null), "PROCEDURE_NAME")).isEmpty();
            assertThat(rows(metaData.getProcedureColumns(null, null, null, null), "COLUMN_NAME")).isEmpty();
            assertThat(rows(metaData.getUDTs(null, null, null, null), "TYPE_NAME")).isEmpty();
            assertThat(rows(metaData.getSuperTypes(null, null, null), "TYPE_NAME")).isEmpty();
            assertThat(rows(metaData.getSuperTables(null, null, null), "TABLE_NAME")).isEmpty();
            assertThat(rows(metaData.getAttributes(null, null, null, null), "ATTR_NAME")).isEmpty();
            assertThat(rows(metaData.getPseudoColumns(null, null, null, null), "COLUMN_NAME")).isEmpty();

            // the driver asks the server: SELECT current_user, SELECT version()
            assertThat(metaData.getUserName()).isEqualTo("test");
            assertThat(metaData.getDatabaseProductVersion()).isNotBlank();
        }
    }

    @Test
    void sessionFunctions()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT current_user, current_catalog, current_schema, version()")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("test");
            assertThat(resultSet.getString(2)).isEqualTo("hive");
            assertThat(resultSet.getString(3)).isEqualTo("web");
            assertThat(resultSet.getString(4)).isEqualTo(connection.getMetaData().getDatabaseProductVersion());
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("varchar");
        }
    }

    @Test
    void metadataQueriesRunInTheEngine()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("EXPLAIN SELECT t.table_name, count(*) FROM information_schema.tables t"
                        + " JOIN information_schema.columns c ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
                        + " WHERE t.table_schema = 'jdbc_meta' GROUP BY t.table_name")) {
            assertThat(resultSet.next()).isTrue();
            // not Calcite's executor: the engine's plan, with the listings as Values leaves
            assertThat(resultSet.getString(1)).doesNotContain("Calcite plan").contains("Values");
        }
    }

    @Test
    void showCreateSchemaAndFunctions()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            try (ResultSet resultSet = statement.executeQuery("SHOW CREATE SCHEMA hive.jdbc_meta")) {
                assertThat(resultSet.getMetaData().getColumnName(1)).isEqualTo("Create Schema");
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString(1)).startsWith("CREATE SCHEMA hive.jdbc_meta\nCOMMENT 'for the driver'\nLOCATION '")
                        .contains("jdbc-meta");
            }
            try (ResultSet resultSet = statement.executeQuery("SHOW FUNCTIONS")) {
                assertThat(columnNames(resultSet.getMetaData()))
                        .containsExactly("Function", "Return Type", "Argument Types", "Function Type", "Deterministic", "Description");
                List<String> names = new ArrayList<>();
                List<String> kinds = new ArrayList<>();
                while (resultSet.next()) {
                    names.add(resultSet.getString(1));
                    kinds.add(resultSet.getString(4));
                    assertThat(resultSet.getObject(5)).isInstanceOf(Boolean.class);
                }
                assertThat(names).contains("lower", "regexp_like", "date_trunc", "sum", "approx_distinct", "row_number").isSorted();
                assertThat(kinds).contains("scalar", "aggregate", "window");
            }
        }
    }

    private static List<String> columnNames(ResultSetMetaData metaData)
            throws SQLException
    {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            names.add(metaData.getColumnName(i));
        }
        return names;
    }

    /** The named columns of every row, as strings ("null" for NULL). */
    private static List<List<String>> rows(ResultSet resultSet, String... columns)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (resultSet) {
            while (resultSet.next()) {
                List<String> row = new ArrayList<>();
                for (String column : columns) {
                    row.add(String.valueOf(resultSet.getString(column)));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
