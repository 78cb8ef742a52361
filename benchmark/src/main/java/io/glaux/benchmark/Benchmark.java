package io.glaux.benchmark;

import io.glaux.launcher.Glaux;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.testing.TestCluster;
import io.glaux.testing.TpchDataset;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./glaux-bench [query] [options]} and {@code ./glaux-bench decode [options]}: the query
 * benchmark (the default) and the decode-throughput benchmark ({@link DecodeBenchmark}).
 *
 * <p>The query benchmark: Glaux against DuckDB on the same Parquet files, in one run on one machine. Glaux runs as the
 * in-process cluster (coordinator + 2 workers, real HTTPS, Flight over mTLS, S3Proxy) and is queried
 * through the Trino JDBC driver; DuckDB reads the object store's files straight from local disk.
 * Each query runs {@code --warmup} times untimed, then {@code --runs} times; medians are compared.
 */
public final class Benchmark
{
    /** The demo table's queries: the same text in both dialects. */
    private static final List<LogWorkload.Query> DEMO_QUERIES = Stream.of(
            "SELECT count(*), sum(bytes) FROM access_logs WHERE status >= 500",
            "SELECT status, count(*), sum(bytes), avg(latency) FROM access_logs GROUP BY status",
            "SELECT url, count(*) AS c FROM access_logs WHERE method = 'GET' GROUP BY url ORDER BY c DESC LIMIT 10",
            "SELECT count(*) FROM access_logs WHERE dt = '2024-03-02' AND url LIKE '/api/%' AND latency > 0.5",
            "SELECT date_trunc('hour', ts) AS h, count(*) FROM access_logs WHERE status >= 500 GROUP BY 1 ORDER BY 1",
            "SELECT dt, count(DISTINCT client_ip) FROM access_logs GROUP BY dt ORDER BY dt",
            "SELECT regexp_extract(url, '^/([a-z]+)', 1) AS p, count(*) AS c FROM access_logs GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
            "WITH targets(target, team) AS (VALUES ('10.1.0.1:8080', 'core'), ('10.1.0.2:8080', 'edge'), ('10.1.0.3:8080', 'edge'))"
                    + " SELECT t.team, count(*) FROM access_logs l JOIN targets t ON l.target = t.target GROUP BY t.team ORDER BY 1",
            "SELECT count(*) FROM (SELECT latency - lag(latency) OVER (PARTITION BY client_ip ORDER BY ts) AS d FROM access_logs WHERE dt = '2024-03-02') WHERE d > 0",
            "SELECT count(DISTINCT client_ip) FROM access_logs WHERE user_agent LIKE '%bot%'",
            "SELECT client_ip, count(*) AS c FROM access_logs GROUP BY client_ip HAVING count(*) > 100 ORDER BY 2 DESC, 1 LIMIT 10",
            "SELECT url, latency FROM access_logs ORDER BY latency DESC, url LIMIT 50",
            "SELECT * FROM access_logs LIMIT 100",
            "SELECT 1").map(sql -> new LogWorkload.Query(sql, sql)).toList();

    private static final String USAGE = """
            Glaux vs DuckDB on the same files, printed as ratios:
              ./glaux-bench [query] [--rows-per-day N] [--runs N] [--warmup N]   queries over the demo's Parquet table
              ./glaux-bench --logs ROWS [--runs N] [--warmup N]                  issue 7's log workload (7 daily files + targets)
              ./glaux-bench --tpch SF [--runs N] [--warmup N]                    the 22 TPC-H queries at scale factor SF (answers compared)
              ./glaux-bench ... --only N[,N...] [--loop SECONDS]                 some of them (with --tpch: qN); --loop: on Glaux alone, back to back
              ./glaux-bench decode [--rows N] [--runs N] [--warmup N] [--formats LIST]   decode throughput per core
            Defaults: --rows-per-day 340000 --runs 5 --warmup 2.""";

    private Benchmark() {}

    private static String value(String[] args, int i)
    {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " takes a value");
        }
        return args[i];
    }

    public static void main(String[] args)
            throws Exception
    {
        List<String> arguments = List.of(args);
        Glaux.routeJavaUtilLogging();
        if (!arguments.isEmpty() && arguments.getFirst().equals("decode")) {
            DecodeBenchmark.main(arguments.subList(1, arguments.size()));
            return;
        }
        if (!arguments.isEmpty() && arguments.getFirst().equals("query")) {
            args = arguments.subList(1, arguments.size()).toArray(new String[0]);
        }
        int rowsPerDay = 340_000;
        long logRows = 0;
        double tpchScale = 0;
        int runs = 5;
        int warmup = 2;
        List<Integer> only = List.of();
        double loopSeconds = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help", "help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    case "--rows-per-day" -> rowsPerDay = Integer.parseInt(value(args, ++i));
                    case "--logs" -> logRows = Long.parseLong(value(args, ++i).replace("_", ""));
                    case "--tpch" -> tpchScale = Double.parseDouble(value(args, ++i));
                    case "--runs" -> runs = Integer.parseInt(value(args, ++i));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i));
                    case "--only" -> only = Arrays.stream(value(args, ++i).split(",")).map(String::strip).map(Integer::parseInt).toList();
                    case "--loop" -> loopSeconds = Double.parseDouble(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (tpchScale < 0 || (tpchScale > 0 && logRows > 0)) {
                throw new IllegalArgumentException("--tpch takes a positive scale factor, and cannot be combined with --logs");
            }
            if (runs < 1 || warmup < 0 || loopSeconds < 0 || rowsPerDay < 1 || logRows < 0) {
                throw new IllegalArgumentException("--runs, --rows-per-day take a positive number; --warmup, --loop, --logs none below 0");
            }
        }
        catch (IllegalArgumentException e) {
            // NumberFormatException included: a usage error, not a stack trace
            System.err.println("glaux-bench: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory("glaux-bench");
        if (tpchScale > 0) {
            System.out.printf(Locale.ROOT, "Starting the cluster and generating TPC-H at scale factor %s as Parquet in %s ...%n", tpchScale, dir);
        }
        else if (logRows > 0) {
            System.out.printf("Starting the cluster and generating the log workload's %,d rows (7 days, 1 Parquet file per day) in %s ...%n", logRows, dir);
        }
        else {
            System.out.printf("Generating %,d rows (3 days, 2 Parquet files per day) and starting the cluster in %s ...%n", 3L * rowsPerDay, dir);
        }
        try {
            try (TestCluster cluster = TestCluster.start(dir, 2, logRows > 0 || tpchScale > 0 ? 0 : rowsPerDay, 2);
                    Connection glaux = cluster.jdbc();
                    Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
                try (Statement statement = duckdb.createStatement()) {
                    statement.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
                }
                if (tpchScale > 0) {
                    Tpch.run(cluster, glaux, duckdb, dir.resolve("tpch"), tpchScale, runs, warmup, only, loopSeconds);
                    return;
                }
                Path files;
                long rows;
                List<LogWorkload.Query> all;
                if (logRows > 0) {
                    files = LogWorkload.create(duckdb, glaux, cluster.coordinator().objectStore(), dir.resolve("generated"), logRows);
                    glaux.setSchema(LogWorkload.SCHEMA);
                    rows = logRows;
                    all = LogWorkload.QUERIES;
                }
                else {
                    files = cluster.tableDirectory();
                    try (Statement statement = duckdb.createStatement()) {
                        statement.execute("CREATE VIEW access_logs AS SELECT * FROM read_parquet('" + files + "/*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})");
                    }
                    rows = 3L * rowsPerDay;
                    all = DEMO_QUERIES;
                }
                long bytes;
                try (Stream<Path> paths = Files.walk(files)) {
                    bytes = paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
                }
                System.out.printf("Table: %,d rows, %.1f MB of Parquet; %d cores; median of %d runs after %d warm-up runs%n%n",
                        rows, bytes / 1e6, Runtime.getRuntime().availableProcessors(), runs, warmup);
                if (only.stream().anyMatch(n -> n < 1 || n > all.size())) {
                    System.err.println("glaux-bench: --only takes numbers from 1 to " + all.size());
                    System.exit(2);
                }
                List<LogWorkload.Query> queries = only.isEmpty() ? all : only.stream().map(n -> all.get(n - 1)).toList();
                if (loopSeconds > 0) {
                    for (LogWorkload.Query query : queries) {
                        // the warm-up runs first, so that the loop measures compiled code
                        for (int i = 0; i < warmup; i++) {
                            execute(glaux, query.glaux());
                        }
                        loop(glaux, query.glaux(), loopSeconds);
                    }
                    return;
                }
                System.out.printf("%-100s %10s %10s %8s %12s %10s%n", "query", "glaux ms", "duckdb ms", "ratio", "glaux rows/s", "glaux MB/s");
                double glauxTotal = 0;
                double duckTotal = 0;
                double logRatios = 0;
                List<String> mismatches = new ArrayList<>();
                for (LogWorkload.Query query : queries) {
                    int glauxRows = execute(glaux, query.glaux()).size();
                    int duckRows = execute(duckdb, query.duckdb()).size();
                    if (glauxRows != duckRows) {
                        mismatches.add("%s: Glaux returned %d rows, DuckDB %d".formatted(query.name(), glauxRows, duckRows));
                    }
                    double glauxMillis = median(glaux, query.glaux(), runs, warmup);
                    double duckMillis = median(duckdb, query.duckdb(), runs, warmup);
                    glauxTotal += glauxMillis;
                    duckTotal += duckMillis;
                    logRatios += Math.log(glauxMillis / duckMillis);
                    boolean scan = query.glaux().contains("FROM");
                    System.out.printf(Locale.ROOT, "%-100s %10.1f %10.1f %7.2fx %12s %10s%n", query.name(), glauxMillis, duckMillis, glauxMillis / duckMillis,
                            scan ? String.format(Locale.ROOT, "%,.0f", rows / (glauxMillis / 1000)) : "-",
                            scan ? String.format(Locale.ROOT, "%.0f", bytes / 1e6 / (glauxMillis / 1000)) : "-");
                }
                System.out.printf(Locale.ROOT, "%-100s %10.1f %10.1f %7.2fx   (geometric mean of the ratios %.2fx)%n", "total",
                        glauxTotal, duckTotal, glauxTotal / duckTotal, Math.exp(logRatios / queries.size()));
                System.out.println("\nratio = Glaux time / DuckDB time (lower is better for Glaux). DuckDB reads local files in-process;"
                        + " Glaux goes through HTTPS, the object store and Arrow Flight.");
                mismatches.forEach(mismatch -> System.out.println("RESULT MISMATCH " + mismatch));
            }
        }
        finally {
            // the generated data, object store and metastore (gigabytes with --logs); a failure here must
            // not hide the one that ended the run
            try {
                DemoDataset.deleteRecursively(dir);
            }
            catch (RuntimeException e) {
                System.err.println("glaux-bench: could not delete " + dir + ": " + e.getMessage());
            }
        }
    }

    /**
     * Runs the query on Glaux alone, back to back, for the given time: a steady load to attach a
     * profiler to.
     */
    static void loop(Connection connection, String sql, double seconds)
            throws SQLException
    {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int count = 0;
        long start = System.nanoTime();
        long startCpu = os.getProcessCpuTime();
        while (System.nanoTime() < end) {
            execute(connection, sql);
            count++;
        }
        System.out.printf(Locale.ROOT, "%-100s %,d runs, %.1f ms each, %.1f ms of CPU each (the whole process)%n",
                sql, count, (System.nanoTime() - start) / 1e6 / count, (os.getProcessCpuTime() - startCpu) / 1e6 / count);
    }

    static double median(Connection connection, String sql, int runs, int warmup)
            throws SQLException
    {
        for (int i = 0; i < warmup; i++) {
            execute(connection, sql);
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            execute(connection, sql);
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[runs / 2];
    }

    private static List<Object> execute(Connection connection, String sql)
            throws SQLException
    {
        List<Object> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                values.add(resultSet.getObject(1));
            }
        }
        return values;
    }
}
