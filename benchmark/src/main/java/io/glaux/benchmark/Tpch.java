package io.glaux.benchmark;

import io.glaux.testing.TestCluster;
import io.glaux.testing.TpchDataset;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * {@code ./glaux-bench --tpch SF}: the 22 TPC-H queries at scale factor SF on Glaux and on DuckDB over
 * the same Parquet files ({@link TpchDataset}, the generator and writer {@code TestTpch} uses). Each
 * query first runs once on both to compare the answers (in order, values with TestTpch's tolerance);
 * that run is also its first warm-up. A query that fails or runs past the timeout is reported as such
 * and the others still run.
 */
final class Tpch
{
    static final String BUCKET = "glaux-bench";
    static final String SCHEMA = "tpch";
    /** A query still running after this long is cancelled and reported as timed out. */
    private static final long TIMEOUT_SECONDS = 600;

    private Tpch() {}

    static void run(TestCluster cluster, Connection glaux, Connection duckdb, Path dir, double scaleFactor, int runs, int warmup, List<Integer> only, double loopSeconds)
            throws IOException, SQLException
    {
        if (only.stream().anyMatch(n -> n < 1 || n > TpchDataset.QUERY_COUNT)) {
            throw new IllegalArgumentException("--only takes 1 to " + TpchDataset.QUERY_COUNT);
        }
        long start = System.nanoTime();
        long bytes = TpchDataset.create(glaux, duckdb, cluster.coordinator().objectStore(), BUCKET, SCHEMA, dir, scaleFactor);
        System.out.printf(Locale.ROOT, "TPC-H SF %s: %.1f MB of Parquet generated, uploaded and declared in %.1f s; %d cores; median of %d runs after %d warm-up runs%n%n",
                scaleFactor, bytes / 1e6, (System.nanoTime() - start) / 1e9, Runtime.getRuntime().availableProcessors(), runs, warmup);
        List<Integer> queries = only.isEmpty() ? IntStream.rangeClosed(1, TpchDataset.QUERY_COUNT).boxed().toList() : only;
        if (loopSeconds > 0) {
            for (int query : queries) {
                explain(glaux, query);
                Benchmark.loop(glaux, TpchDataset.query(query), loopSeconds);
            }
            return;
        }
        ScheduledExecutorService timeouts = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tpch-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        try {
            System.out.printf("%-6s %10s %10s %8s %6s  %s%n", "query", "glaux ms", "duckdb ms", "ratio", "rows", "answer");
            double glauxTotal = 0;
            double duckTotal = 0;
            double logRatios = 0;
            int timed = 0;
            List<String> problems = new ArrayList<>();
            for (int query : queries) {
                String name = "q" + query;
                String sql = TpchDataset.query(query);
                List<List<Object>> expected = answer(duckdb, sql, timeouts);
                List<List<Object>> actual;
                long firstStart = System.nanoTime();
                try {
                    actual = answer(glaux, sql, timeouts);
                }
                catch (SQLException e) {
                    double millis = (System.nanoTime() - firstStart) / 1e6;
                    System.out.printf(Locale.ROOT, "%-6s %10s %10s %8s %6s  FAILED after %.0f ms: %s%n", name, "-", "-", "-", "-", millis, e.getMessage());
                    problems.add("%s FAILED: %s".formatted(name, e.getMessage()));
                    continue;
                }
                String difference = TpchDataset.difference(actual, expected);
                if (difference != null) {
                    problems.add("%s RESULT MISMATCH %s".formatted(name, difference));
                }
                double glauxMillis = Benchmark.median(glaux, sql, runs, Math.max(0, warmup - 1));
                double duckMillis = Benchmark.median(duckdb, sql, runs, Math.max(0, warmup - 1));
                glauxTotal += glauxMillis;
                duckTotal += duckMillis;
                logRatios += Math.log(glauxMillis / duckMillis);
                timed++;
                System.out.printf(Locale.ROOT, "%-6s %10.1f %10.1f %7.2fx %6d  %s%n", name, glauxMillis, duckMillis, glauxMillis / duckMillis, actual.size(),
                        difference == null ? "same" : "DIFFERENT");
            }
            if (timed > 0) {
                System.out.printf(Locale.ROOT, "%-6s %10.1f %10.1f %7.2fx         (geometric mean of the ratios %.2fx; %d of %d queries)%n", "total",
                        glauxTotal, duckTotal, glauxTotal / duckTotal, Math.exp(logRatios / timed), timed, queries.size());
            }
            System.out.println("\nratio = Glaux time / DuckDB time (lower is better for Glaux). DuckDB reads local files in-process;"
                    + " Glaux goes through HTTPS, the object store and Arrow Flight.");
            problems.forEach(System.out::println);
            for (int query : queries) {
                explain(glaux, query);
            }
        }
        finally {
            timeouts.shutdownNow();
        }
    }

    /** With the environment variable {@code GLAUX_BENCH_EXPLAIN} set: prints the query's {@code EXPLAIN ANALYZE} (for profiling). */
    private static void explain(Connection glaux, int query)
            throws SQLException
    {
        if (System.getenv("GLAUX_BENCH_EXPLAIN") == null) {
            return;
        }
        System.out.printf(Locale.ROOT, "%nq%d:%n", query);
        try (Statement statement = glaux.createStatement(); java.sql.ResultSet plan = statement.executeQuery("EXPLAIN ANALYZE " + TpchDataset.query(query))) {
            while (plan.next()) {
                System.out.println(plan.getString(1));
            }
        }
    }

    /** The answer, cancelled after {@link #TIMEOUT_SECONDS}. */
    private static List<List<Object>> answer(Connection connection, String sql, ScheduledExecutorService timeouts)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            ScheduledFuture<?> cancel = timeouts.schedule(() -> {
                try {
                    statement.cancel();
                }
                catch (SQLException ignored) {
                    // the query ended meanwhile
                }
            }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
            try {
                return TpchDataset.rows(statement.executeQuery(sql));
            }
            finally {
                cancel.cancel(false);
            }
        }
    }
}
