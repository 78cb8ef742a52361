package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The Trino JDBC driver's PreparedStatement (both ways the driver runs one: PREPARE + EXECUTE, and
 * EXECUTE IMMEDIATE) and session properties carried from statement to statement on one connection,
 * through the protocol's prepared-statement and session headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestSessionsAndPreparedStatements
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void preparedStatementWithoutParameters(boolean explicitPrepare)
            throws SQLException
    {
        try (Connection connection = connect(explicitPrepare, null);
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM access_logs")) {
            assertThat(single(statement.executeQuery())).isEqualTo("120000");
            // a prepared statement runs again
            assertThat(single(statement.executeQuery())).isEqualTo("120000");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void preparedStatementWithOneParameter(boolean explicitPrepare)
            throws SQLException
    {
        try (Connection connection = connect(explicitPrepare, null);
                Statement plain = connection.createStatement();
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM access_logs WHERE status = ?")) {
            String expected = single(plain.executeQuery("SELECT count(*) FROM access_logs WHERE status = 500"));
            assertThat(Long.parseLong(expected)).isPositive();
            statement.setInt(1, 500);
            assertThat(single(statement.executeQuery())).isEqualTo(expected);
            statement.setInt(1, 999);
            assertThat(single(statement.executeQuery())).isEqualTo("0");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void preparedStatementWithParametersOfEveryType(boolean explicitPrepare)
            throws SQLException
    {
        try (Connection connection = connect(explicitPrepare, null);
                PreparedStatement statement = connection.prepareStatement("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?")) {
            statement.setString(1, "it's");
            statement.setLong(2, 42L);
            statement.setDouble(3, 2.5);
            statement.setBoolean(4, true);
            statement.setDate(5, Date.valueOf(LocalDate.of(2024, 3, 1)));
            statement.setTimestamp(6, Timestamp.valueOf(LocalDateTime.of(2024, 3, 1, 10, 11, 12, 345_000_000)));
            statement.setBigDecimal(7, new BigDecimal("-12.50"));
            statement.setNull(8, Types.VARCHAR);
            statement.setInt(9, 7);
            try (ResultSet resultSet = statement.executeQuery()) {
                assertThat(resultSet.next()).isTrue();
                assertThat(resultSet.getString(1)).isEqualTo("it's");
                assertThat(resultSet.getLong(2)).isEqualTo(42L);
                assertThat(resultSet.getDouble(3)).isEqualTo(2.5);
                assertThat(resultSet.getBoolean(4)).isTrue();
                assertThat(resultSet.getDate(5).toLocalDate()).isEqualTo(LocalDate.of(2024, 3, 1));
                assertThat(resultSet.getTimestamp(6).toLocalDateTime()).isEqualTo(LocalDateTime.of(2024, 3, 1, 10, 11, 12, 345_000_000));
                assertThat(resultSet.getBigDecimal(7)).isEqualTo(new BigDecimal("-12.50"));
                assertThat(resultSet.getString(8)).isNull();
                assertThat(resultSet.getInt(9)).isEqualTo(7);
                ResultSetMetaData metaData = resultSet.getMetaData();
                List<String> types = new ArrayList<>();
                for (int i = 2; i <= 9; i++) {
                    types.add(metaData.getColumnTypeName(i));
                }
                // each parameter keeps the type of the literal the driver sends for it
                assertThat(types).containsExactly("bigint", "double", "boolean", "date", "timestamp(3)", "decimal(4,2)", "varchar", "integer");
                assertThat(resultSet.next()).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void parametersOfDifferentTypesFilterATable(boolean explicitPrepare)
            throws SQLException
    {
        try (Connection connection = connect(explicitPrepare, null);
                Statement plain = connection.createStatement();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM access_logs WHERE method = ? AND status >= ? AND latency > ? AND dt = ? AND bytes > ?")) {
            String expected = single(plain.executeQuery(
                    "SELECT count(*) FROM access_logs WHERE method = 'GET' AND status >= 400 AND latency > 0.1 AND dt = '2024-03-02' AND bytes > 100"));
            assertThat(Long.parseLong(expected)).isPositive();
            statement.setString(1, "GET");
            statement.setShort(2, (short) 400);
            statement.setDouble(3, 0.1);
            statement.setString(4, "2024-03-02");
            statement.setBigDecimal(5, new BigDecimal("100"));
            assertThat(single(statement.executeQuery())).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aWrongNumberOfParametersIsAnError(boolean explicitPrepare)
            throws SQLException
    {
        try (Connection connection = connect(explicitPrepare, null);
                PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM access_logs WHERE status = ?")) {
            assertThatThrownBy(statement::executeQuery)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Incorrect number of parameters: expected 1 but found 0")
                    .hasMessageContaining("line 1:1")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_USAGE.code()));
            statement.setInt(1, 200);
            statement.setInt(2, 300);
            assertThatThrownBy(statement::executeQuery)
                    .hasMessageContaining("Incorrect number of parameters: expected 1 but found 2");
        }
    }

    @Test
    void describeOutputAndInputBackTheDriversMetadata()
            throws SQLException
    {
        try (Connection connection = connect(true, null);
                PreparedStatement statement = connection.prepareStatement("SELECT status, url AS path, count(*) FROM access_logs WHERE status = ? GROUP BY 1, 2")) {
            ResultSetMetaData metaData = statement.getMetaData();
            assertThat(metaData.getColumnCount()).isEqualTo(3);
            assertThat(metaData.getColumnName(1)).isEqualTo("status");
            assertThat(metaData.getColumnTypeName(1)).isEqualTo("integer");
            assertThat(metaData.getTableName(1)).isEqualTo("access_logs");
            assertThat(metaData.getColumnName(2)).isEqualTo("path");
            assertThat(metaData.getColumnTypeName(2)).isEqualTo("varchar");
            assertThat(metaData.getColumnName(3)).isEqualTo("_col2");
            assertThat(metaData.getColumnTypeName(3)).isEqualTo("bigint");
            ParameterMetaData parameters = statement.getParameterMetaData();
            assertThat(parameters.getParameterCount()).isEqualTo(1);
            assertThat(parameters.getParameterTypeName(1)).isEqualTo("integer");
        }
    }

    @Test
    void prepareExecuteAndDeallocateAsStatements()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("PREPARE doubled FROM SELECT ? * 2, ? || 'x'");
            assertThat(row(statement.executeQuery("EXECUTE doubled USING 21, 'a'"))).containsExactly("42", "ax");
            assertThat(rows(statement.executeQuery("DESCRIBE INPUT doubled"))).hasSize(2);
            statement.execute("DEALLOCATE PREPARE doubled");
            assertThatThrownBy(() -> statement.executeQuery("EXECUTE doubled USING 1, 'b'"))
                    .hasMessageContaining("Prepared statement not found: doubled")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.NOT_FOUND.code()));
            assertThat(row(statement.executeQuery("EXECUTE IMMEDIATE 'SELECT ? + 1, ''it''''s''' USING BIGINT '41'"))).containsExactly("42", "it's");
        }
    }

    @Test
    void setSessionIsCarriedAcrossStatementsUntilReset()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThat(sessionValue(statement, "join_distribution_type")).isEqualTo("AUTOMATIC");
            statement.execute("SET SESSION join_distribution_type = 'broadcast'");
            assertThat(sessionValue(statement, "join_distribution_type")).isEqualTo("BROADCAST");
            statement.execute("SET SESSION query_max_run_time = '1h'");
            // both carried to the next statements of the connection, and queries still run
            assertThat(sessionValue(statement, "join_distribution_type")).isEqualTo("BROADCAST");
            assertThat(sessionValue(statement, "query_max_run_time")).isEqualTo("1h");
            assertThat(single(statement.executeQuery("SELECT count(*) FROM access_logs"))).isEqualTo("120000");
            statement.execute("RESET SESSION join_distribution_type");
            assertThat(sessionValue(statement, "join_distribution_type")).isEqualTo("AUTOMATIC");
            assertThat(sessionValue(statement, "query_max_run_time")).isEqualTo("1h");
        }
        // a new connection starts over
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThat(sessionValue(statement, "query_max_run_time")).isEqualTo("100d");
        }
    }

    @Test
    void timeZoneOfTheClientAndOfTheSession()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            // the driver sends the JVM's zone (X-Trino-Time-Zone): the property's default
            assertThat(sessionValue(statement, "time_zone")).isEqualTo(java.time.ZoneId.systemDefault().getId());
            statement.execute("SET SESSION time_zone = 'America/Sao_Paulo'");
            assertThat(sessionValue(statement, "time_zone")).isEqualTo("America/Sao_Paulo");
            // localtimestamp is the wall-clock time in the session's zone: 26 hours apart at +14:00 and -12:00
            // (current_timestamp is that instant as a timestamp with time zone in the session's zone)
            statement.execute("SET SESSION time_zone = '+14:00'");
            LocalDateTime east = LocalDateTime.parse(single(statement.executeQuery("SELECT localtimestamp")).replace(' ', 'T'));
            assertThat(single(statement.executeQuery("SELECT CAST(current_timestamp AS varchar)"))).endsWith(" +14:00");
            statement.execute("SET SESSION time_zone = '-12:00'");
            LocalDateTime west = LocalDateTime.parse(single(statement.executeQuery("SELECT localtimestamp")).replace(' ', 'T'));
            assertThat(java.time.Duration.between(west, east)).isBetween(java.time.Duration.ofHours(26).minusMinutes(1), java.time.Duration.ofHours(26));
        }
        Properties properties = new Properties();
        properties.setProperty("user", "test");
        properties.setProperty("timezone", "Asia/Kolkata");
        try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl(), properties); Statement statement = connection.createStatement()) {
            assertThat(sessionValue(statement, "time_zone")).isEqualTo("Asia/Kolkata");
        }
    }

    @Test
    void sessionPropertiesOfTheConnectionUrl()
            throws SQLException
    {
        try (Connection connection = connect(false, "join_distribution_type:PARTITIONED;query_max_memory:2GB");
                Statement statement = connection.createStatement()) {
            assertThat(sessionValue(statement, "join_distribution_type")).isEqualTo("PARTITIONED");
            assertThat(sessionValue(statement, "query_max_memory")).isEqualTo("2GB");
        }
        try (Connection connection = connect(false, "no_such_property:1"); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT 1"))
                    .hasMessageContaining("Session property 'no_such_property' does not exist")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.INVALID_SESSION_PROPERTY.code()));
        }
    }

    @Test
    void unknownPropertiesAndBadValuesAreRefused()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SET SESSION no_such_property = 'x'"))
                    .hasMessageContaining("line 1:13")
                    .hasMessageContaining("Session property 'no_such_property' does not exist")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.INVALID_SESSION_PROPERTY.code()));
            assertThatThrownBy(() -> statement.execute("SET SESSION join_distribution_type = 'SIDEWAYS'"))
                    .hasMessageContaining("Invalid value 'SIDEWAYS' for session property join_distribution_type")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.INVALID_SESSION_PROPERTY.code()));
            assertThatThrownBy(() -> statement.execute("SET SESSION query_max_run_time = 'soon'"))
                    .hasMessageContaining("Invalid value 'soon' for session property query_max_run_time");
            assertThatThrownBy(() -> statement.execute("SET SESSION time_zone = 'Mars/Olympus'"))
                    .hasMessageContaining("Invalid value 'Mars/Olympus' for session property time_zone");
            // nothing was set
            assertThat(sessionValue(statement, "join_distribution_type")).isEqualTo("AUTOMATIC");
        }
    }

    @Test
    void queryMaxRunTimeOfTheSessionEndsALongQuery()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION query_max_run_time = '1s'");
            assertThatThrownBy(() -> single(statement.executeQuery("SELECT count(*) FROM access_logs a CROSS JOIN access_logs b WHERE a.bytes + b.bytes < 0")))
                    .hasMessageContaining("Query exceeded the maximum run time limit of 1s (session property query_max_run_time)")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.EXCEEDED_TIME_LIMIT.code()));
            statement.execute("RESET SESSION query_max_run_time");
            assertThat(single(statement.executeQuery("SELECT 1"))).isEqualTo("1");
        }
    }

    @Test
    void queryMaxMemoryOfTheSessionFailsAQueryOverIt()
            throws SQLException
    {
        String window = "SELECT max(r) FROM (SELECT row_number() OVER (ORDER BY user_agent, url, client_ip, ts) AS r FROM access_logs)";
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION query_max_memory = '1MB'");
            assertThatThrownBy(() -> single(statement.executeQuery(window)))
                    .hasMessageContaining("Query exceeded per-node memory limit of 1MB (session property query_max_memory)")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(ErrorCode.EXCEEDED_MEMORY_LIMIT.code()));
            statement.execute("RESET SESSION query_max_memory");
            assertThat(single(statement.executeQuery(window))).isEqualTo("120000");
        }
    }

    private Connection connect(boolean explicitPrepare, String sessionProperties)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "test");
        properties.setProperty("explicitPrepare", String.valueOf(explicitPrepare));
        if (sessionProperties != null) {
            properties.setProperty("sessionProperties", sessionProperties);
        }
        return DriverManager.getConnection(cluster.jdbcUrl(), properties);
    }

    private static String sessionValue(Statement statement, String name)
            throws SQLException
    {
        try (ResultSet resultSet = statement.executeQuery("SHOW SESSION LIKE '" + name + "'")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString("Name")).isEqualTo(name);
            String value = resultSet.getString("Value");
            assertThat(resultSet.next()).isFalse();
            return value;
        }
    }

    private static String single(ResultSet resultSet)
            throws SQLException
    {
        List<String> row = row(resultSet);
        assertThat(row).hasSize(1);
        return row.get(0);
    }

    private static List<String> row(ResultSet resultSet)
            throws SQLException
    {
        List<List<String>> rows = rows(resultSet);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static List<List<String>> rows(ResultSet resultSet)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (resultSet) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(resultSet.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
