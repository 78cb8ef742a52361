package io.glaux.benchmark;

import io.glaux.connectors.s3.ObjectStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 7's log workload: an access-log table of {@code rows} rows in 7 daily partitions, one
 * Parquet file per day, and a 10-row {@code targets} table; the 15 query shapes a log analyst runs
 * most, each written once for Glaux (Trino's dialect) and once for DuckDB where the dialects differ.
 *
 * <p>DuckDB writes the files (deterministic, from hashes of the row number, in seconds where a
 * row-by-row writer takes minutes); both engines then read the very same files.
 */
final class LogWorkload
{
    static final String BUCKET = "glaux-bench";
    static final String SCHEMA = "bench";

    /** A query shape: its name, Glaux's text and DuckDB's text (the same unless the dialects differ). */
    record Query(String name, String glaux, String duckdb)
    {
        Query(String name, String sql)
        {
            this(name, sql, sql);
        }
    }

    static final List<Query> QUERIES = List.of(
            new Query("count(*)", "SELECT count(*) FROM logs"),
            new Query("hourly 5xx rate by date_trunc",
                    "SELECT date_trunc('hour', ts) AS h, count_if(status >= 500) * 1.0 / count(*) AS rate FROM logs GROUP BY 1 ORDER BY 1"),
            new Query("top URLs among 5xx", "SELECT url, count(*) AS c FROM logs WHERE status >= 500 GROUP BY url ORDER BY c DESC, url LIMIT 10"),
            new Query("p50/p95/p99 latency per target",
                    "SELECT target, approx_percentile(latency_ms, 0.5), approx_percentile(latency_ms, 0.95), approx_percentile(latency_ms, 0.99)"
                            + " FROM logs GROUP BY target ORDER BY target",
                    "SELECT target, approx_quantile(latency_ms, 0.5), approx_quantile(latency_ms, 0.95), approx_quantile(latency_ms, 0.99)"
                            + " FROM logs GROUP BY target ORDER BY target"),
            new Query("exact distinct clients per day", "SELECT dt, count(DISTINCT client_ip) FROM logs GROUP BY dt ORDER BY dt"),
            new Query("top user agents", "SELECT user_agent, count(*) AS c FROM logs GROUP BY user_agent ORDER BY c DESC, user_agent LIMIT 10"),
            new Query("bytes by status class",
                    "SELECT status / 100 AS class, sum(bytes) FROM logs GROUP BY 1 ORDER BY 1",
                    "SELECT status // 100 AS class, sum(bytes) FROM logs GROUP BY 1 ORDER BY 1"),
            new Query("point lookup by request id", "SELECT * FROM logs WHERE request_id = '" + requestId(12_345_678L) + "'",
                    "SELECT * FROM logs WHERE request_id = '" + requestId(12_345_678L) + "'"),
            new Query("regexp_extract on the URL path",
                    "SELECT regexp_extract(url, '^/([a-z]+)', 1) AS p, count(*) AS c FROM logs GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"),
            new Query("join with the targets table",
                    "SELECT t.team, count(*) AS c, sum(l.bytes) FROM logs l JOIN targets t ON l.target = t.target GROUP BY t.team ORDER BY 1"),
            new Query("lag() sessionization over one day",
                    "SELECT count(*) FROM (SELECT date_diff('second', lag(ts) OVER (PARTITION BY client_ip ORDER BY ts), ts) AS gap"
                            + " FROM logs WHERE dt = '2024-03-04') WHERE gap > 60"),
            new Query("LIKE '%bot%' with count distinct", "SELECT count(DISTINCT client_ip) FROM logs WHERE user_agent LIKE '%bot%'"),
            new Query("HAVING on per-client counts",
                    "SELECT client_ip, count(*) AS c FROM logs GROUP BY client_ip HAVING count(*) > 540 ORDER BY 2 DESC, 1 LIMIT 10"),
            new Query("ORDER BY latency DESC LIMIT 50", "SELECT request_id, latency_ms FROM logs ORDER BY latency_ms DESC, request_id LIMIT 50"),
            new Query("SELECT * LIMIT 100", "SELECT * FROM logs LIMIT 100"),
            new Query("SELECT 1", "SELECT 1"));

    private LogWorkload() {}

    /** The request id DuckDB writes for row {@code i}: the same expression in SQL, kept here for the point lookup. */
    private static String requestId(long i)
    {
        return "req-" + i;
    }

    /**
     * Writes the table's files with DuckDB into {@code dir}, puts them into the object store and
     * declares both tables through Glaux's own DDL (what a user runs). Returns the local directory
     * of the logs table's files, which DuckDB then reads.
     */
    static Path create(Connection duckdb, Connection glaux, ObjectStore store, Path dir, long rows)
            throws SQLException, IOException
    {
        Path logs = dir.resolve("logs");
        Path targets = dir.resolve("targets");
        Files.createDirectories(targets);
        long stepMicros = 7L * 86_400_000_000L / rows;
        try (Statement statement = duckdb.createStatement()) {
            // each column draws from its own hash of the row number, so the columns are independent and the data deterministic
            statement.execute("""
                    COPY (
                      SELECT
                        'req-' || i AS request_id,
                        TIMESTAMP '2024-03-01' + to_microseconds(CAST(i * %d AS BIGINT)) AS ts,
                        '10.' || (hash(i, 1) %% 4) || '.' || ((hash(i, 1) >> 8) %% 40) || '.' || (1 + (hash(i, 1) >> 16) %% 254) AS client_ip,
                        ['GET','GET','GET','GET','GET','GET','GET','GET','POST','POST','PUT','DELETE','HEAD'][1 + CAST(hash(i, 2) %% 13 AS INTEGER)] AS method,
                        ['/','/index.html','/login','/logout','/api/v1/users','/api/v1/orders','/api/v1/items','/api/v1/search','/static/app.js',
                         '/static/app.css','/static/logo.png','/checkout','/cart','/health','/metrics','/api/v2/events','/docs','/blog','/about',
                         '/favicon.ico'][1 + CAST(hash(i, 3) %% 20 AS INTEGER)]
                          || CASE WHEN hash(i, 3) %% 20 BETWEEN 4 AND 7 AND (hash(i, 3) >> 24) %% 3 = 0 THEN '/' || ((hash(i, 3) >> 8) %% 10000) ELSE '' END AS url,
                        CAST(CASE WHEN hash(i, 4) %% 1000 < 820 THEN 200 WHEN hash(i, 4) %% 1000 < 860 THEN 304 WHEN hash(i, 4) %% 1000 < 890 THEN 301
                             WHEN hash(i, 4) %% 1000 < 940 THEN 404 WHEN hash(i, 4) %% 1000 < 960 THEN 403 WHEN hash(i, 4) %% 1000 < 985 THEN 500
                             ELSE 503 END AS INTEGER) AS status,
                        CASE WHEN hash(i, 5) %% 200 = 0 THEN NULL ELSE CAST(exp(5 + ((hash(i, 5) >> 8) %% 1000000) / 1e6 * 9) AS BIGINT) END AS bytes,
                        CAST(((hash(i, 6) %% 1000) / 1000.0) * (((hash(i, 6) >> 10) %% 1000) / 1000.0) * 2000 AS INTEGER) AS latency_ms,
                        ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
                         'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
                         'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
                         'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
                         'curl/8.5.0', 'python-requests/2.31.0', 'Googlebot/2.1 (+http://www.google.com/bot.html)',
                         'ELB-HealthChecker/2.0'][1 + CAST(hash(i, 7) %% 8 AS INTEGER)] AS user_agent,
                        CASE WHEN hash(i, 8) %% 10 < 3 THEN NULL ELSE ['https://www.google.com/','https://duckduckgo.com/','https://example.com/blog',
                             'https://news.ycombinator.com/','https://t.co/abc'][1 + CAST((hash(i, 8) >> 8) %% 5 AS INTEGER)] END AS referrer,
                        '10.1.0.' || (1 + hash(i, 9) %% 10) || ':8080' AS target,
                        strftime(TIMESTAMP '2024-03-01' + to_microseconds(CAST(i * %d AS BIGINT)), '%%Y-%%m-%%d') AS dt
                      FROM range(%d) t(i)
                    ) TO '%s' (FORMAT parquet, PARTITION_BY (dt), COMPRESSION snappy, OVERWRITE_OR_IGNORE)
                    """.formatted(stepMicros, stepMicros, rows, logs));
            statement.execute("""
                    COPY (SELECT '10.1.0.' || i || ':8080' AS target, ['core', 'edge', 'payments', 'search'][1 + i %% 4] AS team
                          FROM range(1, 11) t(i)) TO '%s' (FORMAT parquet)
                    """.formatted(targets.resolve("targets.parquet")));
        }
        store.createBucketIfMissing(BUCKET);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                store.put(BUCKET, dir.relativize(file).toString().replace('\\', '/'), file);
            }
        }
        try (Statement statement = glaux.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            statement.execute("CREATE EXTERNAL TABLE " + SCHEMA + ".logs (request_id string, ts timestamp, client_ip string, method string, url string,"
                    + " status int, bytes bigint, latency_ms int, user_agent string, referrer string, target string)"
                    + " PARTITIONED BY (dt string) STORED AS PARQUET LOCATION 's3://" + BUCKET + "/logs/'");
            statement.execute("MSCK REPAIR TABLE " + SCHEMA + ".logs");
            statement.execute("CREATE EXTERNAL TABLE " + SCHEMA + ".targets (target string, team string) STORED AS PARQUET"
                    + " LOCATION 's3://" + BUCKET + "/targets/'");
        }
        try (Statement statement = duckdb.createStatement()) {
            statement.execute("CREATE VIEW logs AS SELECT * FROM read_parquet('" + logs + "/*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})");
            statement.execute("CREATE VIEW targets AS SELECT * FROM read_parquet('" + targets + "/*.parquet')");
        }
        return logs;
    }
}
