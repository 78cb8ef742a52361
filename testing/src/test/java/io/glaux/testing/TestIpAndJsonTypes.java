package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;

/**
 * {@code ipaddress}, {@code ipprefix} and {@code json} columns as the real Trino JDBC driver reads
 * them: the type names of the result metadata and the values the driver decodes.
 */
class TestIpAndJsonTypes
{
    @Test
    void columnTypesAndValues()
            throws Exception
    {
        try (Connection connection = SharedCluster.get().jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT IPADDRESS '10.0.0.1', CAST('2001:0db8::0001' AS ipaddress), "
                        + "IPPREFIX '10.1.2.3/16', JSON '{\"a\": [1, 2]}', json_extract('{\"b\": \"x\"}', '$.b'), CAST(NULL AS ipaddress), CAST(NULL AS json)")) {
            ResultSetMetaData metaData = resultSet.getMetaData();
            assertThat(metaData.getColumnTypeName(1)).isEqualTo("ipaddress");
            assertThat(metaData.getColumnTypeName(2)).isEqualTo("ipaddress");
            // Trino has no ipprefix: it travels as text in a varchar signature, which the driver names
            assertThat(metaData.getColumnTypeName(3)).isEqualTo("varchar");
            assertThat(metaData.getColumnTypeName(4)).isEqualTo("json");
            assertThat(metaData.getColumnTypeName(5)).isEqualTo("json");
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("10.0.0.1");
            assertThat(resultSet.getObject(1)).isEqualTo("10.0.0.1");
            assertThat(resultSet.getString(2)).isEqualTo("2001:db8::1");
            assertThat(resultSet.getString(3)).isEqualTo("10.1.0.0/16");
            assertThat(resultSet.getString(4)).isEqualTo("{\"a\":[1,2]}");
            assertThat(resultSet.getObject(4)).isEqualTo("{\"a\":[1,2]}");
            assertThat(resultSet.getString(5)).isEqualTo("\"x\"");
            assertThat(resultSet.getObject(6)).isNull();
            assertThat(resultSet.getObject(7)).isNull();
            assertThat(resultSet.next()).isFalse();
        }
    }

    @Test
    void filterAndGroupBySubnet()
            throws Exception
    {
        try (Connection connection = SharedCluster.get().jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT ip_prefix(ip, 24) AS net, count(*) FROM (SELECT CAST(a AS ipaddress) AS ip "
                        + "FROM (VALUES '10.0.0.1', '10.0.0.2', '10.0.1.9', '192.168.0.1') t(a)) WHERE contains('10.0.0.0/8', ip) GROUP BY 1 ORDER BY 1")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("10.0.0.0/24");
            assertThat(resultSet.getLong(2)).isEqualTo(2);
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(1)).isEqualTo("10.0.1.0/24");
            assertThat(resultSet.getLong(2)).isEqualTo(1);
            assertThat(resultSet.next()).isFalse();
        }
    }
}
