package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs each query on Glaux (Trino JDBC driver → coordinator → 2 workers → S3Proxy) and on DuckDB
 * reading the same Parquet files from local disk, and compares the results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestQueriesAgainstDuckDb
{
    private TestCluster cluster;
    private Connection glaux;
    private Connection duckdb;

    static Stream<String> queries()
    {
        return Stream.of(
                "SELECT count(*) FROM access_logs",
                "SELECT count(*), sum(bytes) FROM access_logs WHERE status >= 500",
                "SELECT status, count(*) FROM access_logs GROUP BY status",
                "SELECT method, count(*), sum(bytes), min(bytes), max(bytes) FROM access_logs GROUP BY method",
                "SELECT dt, count(*) FROM access_logs GROUP BY dt",
                "SELECT count(*) FROM access_logs WHERE dt = '2024-03-02'",
                "SELECT count(*) FROM access_logs WHERE dt BETWEEN '2024-03-01' AND '2024-03-02' AND status = 404",
                "SELECT status, avg(latency) FROM access_logs GROUP BY status",
                "SELECT count(DISTINCT client_ip) FROM access_logs",
                "SELECT method, count(DISTINCT url) FROM access_logs GROUP BY method",
                "SELECT url, count(*) AS c FROM access_logs GROUP BY url HAVING count(*) > 1000",
                "SELECT url, count(*) AS c FROM access_logs GROUP BY url ORDER BY c DESC, url LIMIT 5",
                "SELECT count(*) FROM access_logs WHERE referrer IS NULL",
                "SELECT count(*) FROM access_logs WHERE referrer IS NOT NULL AND method IN ('POST', 'PUT')",
                "SELECT count(*) FROM access_logs WHERE url LIKE '/api/%'",
                "SELECT count(*) FROM access_logs WHERE url LIKE '%.js' OR url LIKE '%.css'",
                "SELECT count(*) FROM access_logs WHERE NOT (status = 200)",
                "SELECT count(*) FROM access_logs WHERE status BETWEEN 300 AND 399",
                "SELECT count(*) FROM access_logs WHERE bytes > 100000 AND latency < 0.1",
                "SELECT target, sum(bytes) FROM access_logs WHERE status = 200 GROUP BY target",
                "SELECT min(ts), max(ts) FROM access_logs",
                "SELECT client_ip, count(*) FROM access_logs WHERE url = '/login' GROUP BY client_ip HAVING count(*) >= 3",
                "SELECT status * 2 + 1 AS s, count(*) FROM access_logs GROUP BY status * 2 + 1",
                "SELECT upper(method), count(*) FROM access_logs GROUP BY upper(method)",
                "SELECT count(*) FROM access_logs WHERE status IN (500, 502, 503)",
                "SELECT method, status, count(*) FROM access_logs GROUP BY method, status",
                "SELECT char_length(url), count(*) FROM access_logs GROUP BY char_length(url)",
                "SELECT count(*) FROM (SELECT DISTINCT method, status FROM access_logs) t",
                "SELECT url, method, status, bytes FROM access_logs WHERE bytes IS NOT NULL ORDER BY bytes DESC, url, method, status LIMIT 10",
                "SELECT dt, method, max(latency), min(latency) FROM access_logs GROUP BY dt, method",
                "SELECT CASE WHEN status >= 500 THEN 'error' WHEN status >= 400 THEN 'client' ELSE 'ok' END AS class, count(*) FROM access_logs GROUP BY 1",
                "SELECT count(*) FROM access_logs WHERE ts >= TIMESTAMP '2024-03-02 12:00:00' AND ts < TIMESTAMP '2024-03-02 13:00:00'",
                "SELECT coalesce(referrer, 'direct') AS r, count(*) FROM access_logs GROUP BY coalesce(referrer, 'direct')",
                "SELECT status, sum(latency), count(latency) FROM access_logs WHERE method = 'GET' AND status <> 200 GROUP BY status",
                "SELECT method, url, status FROM access_logs WHERE status = 503 AND url LIKE '/api/v1/orders%' AND dt = '2024-03-03'",
                "SELECT count(*) FROM access_logs WHERE status > 600",
                // Trino functions that DuckDB has with the same meaning (run on the coordinator)
                "SELECT date_trunc('hour', ts) AS h, count(*) FROM access_logs GROUP BY 1",
                "SELECT split_part(url, '/', 2) AS p, count(*) FROM access_logs GROUP BY 1",
                "SELECT count(*) FROM access_logs WHERE starts_with(url, '/api') AND strpos(url, 'orders') > 0 AND status = 200",
                "SELECT length(url) AS l, count_if(status >= 500), count(*) FROM access_logs GROUP BY length(url)",
                "SELECT replace(concat(method, ' ', url), '/api', '') AS r, count(*) FROM access_logs GROUP BY 1");
    }

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        glaux = cluster.jdbc();
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = duckdb.createStatement()) {
            statement.execute("CREATE VIEW access_logs AS SELECT * FROM read_parquet('" + cluster.tableDirectory() + "/*/*.parquet', "
                    + "hive_partitioning = true, hive_types = {'dt': VARCHAR})");
        }
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        glaux.close();
        duckdb.close();
    }

    @ParameterizedTest
    @MethodSource("queries")
    void matchesDuckDb(String sql)
            throws SQLException
    {
        List<String> expected = run(duckdb, sql);
        List<String> actual = run(glaux, sql);
        if (!sql.contains("ORDER BY")) {
            expected.sort(null);
            actual.sort(null);
        }
        assertThat(actual).as(sql).isEqualTo(expected);
    }

    private static List<String> run(Connection connection, String sql)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : " | ").append(normalize(resultSet.getObject(i)));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static String normalize(Object value)
    {
        return switch (value) {
            case null -> "NULL";
            case Long l -> l.toString();
            case Integer i -> Long.toString(i);
            case Short s -> Long.toString(s);
            case Byte b -> Long.toString(b);
            case BigInteger b -> b.toString();
            case BigDecimal d when d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0 -> d.toBigInteger().toString();
            case Number n -> String.format(Locale.ROOT, "%.6g", n.doubleValue());
            case Timestamp t -> millis(t.toLocalDateTime());
            case LocalDateTime t -> millis(t);
            default -> value.toString();
        };
    }

    private static String millis(LocalDateTime time)
    {
        // Glaux returns timestamp(3); DuckDB has microseconds: compare at millisecond precision
        return time.withNano(time.getNano() / 1_000_000 * 1_000_000).toString();
    }
}
