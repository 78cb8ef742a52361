package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.Properties;

/**
 * {@code timestamp(p) with time zone} as the real Trino JDBC driver sees it: the column types of the
 * result metadata, the instants the driver decodes, and the client's zone ({@code X-Trino-Time-Zone},
 * the driver's {@code timezone} property) as the zone of {@code current_timestamp}.
 */
class TestTimeZoneTypes
{
    @Test
    void columnTypesAndValues()
            throws Exception
    {
        try (Connection connection = SharedCluster.get().jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT TIMESTAMP '2020-01-01 10:00:00 America/New_York', "
                        + "TIMESTAMP '2020-07-01 12:00:00.123 +02:00' AT TIME ZONE 'UTC', CAST(NULL AS timestamp(3) with time zone)")) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            assertThat(metaData.getColumnTypeName(1)).isEqualTo("timestamp(0) with time zone");
            assertThat(metaData.getColumnTypeName(2)).isEqualTo("timestamp(3) with time zone");
            assertThat(metaData.getColumnType(1)).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
            assertThat(metaData.getColumnType(2)).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getTimestamp(1).toInstant()).isEqualTo(Instant.parse("2020-01-01T15:00:00Z"));
            assertThat(resultSet.getString(1)).isEqualTo("2020-01-01 10:00:00 America/New_York");
            assertThat(resultSet.getTimestamp(2).toInstant()).isEqualTo(Instant.parse("2020-07-01T10:00:00.123Z"));
            assertThat(resultSet.getString(2)).isEqualTo("2020-07-01 10:00:00.123 UTC");
            assertThat(resultSet.getObject(3)).isNull();
            assertThat(resultSet.next()).isFalse();
        }
    }

    @Test
    void currentTimestampInTheClientZone()
            throws Exception
    {
        TestCluster cluster = SharedCluster.get();
        Properties properties = new Properties();
        properties.setProperty("user", "test");
        properties.setProperty("timezone", "Asia/Kathmandu");
        Instant before = Instant.now().minusMillis(1);
        try (Connection connection = DriverManager.getConnection(cluster.jdbcUrl(), properties); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT current_timestamp, current_timezone(), timezone_hour(now()), timezone_minute(now())")) {
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("timestamp(3) with time zone");
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).endsWith(" Asia/Kathmandu");
            assertThat(resultSet.getTimestamp(1).toInstant()).isBetween(before, Instant.now().plusMillis(1));
            assertThat(resultSet.getString(2)).isEqualTo("Asia/Kathmandu");
            assertThat(resultSet.getLong(3)).isEqualTo(5);
            assertThat(resultSet.getLong(4)).isEqualTo(45);
        }
    }
}
