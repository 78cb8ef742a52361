import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The JDBC side of docker/test/deploy-test.sh, run as a single-file program with the Trino JDBC
 * driver on the class path: {@code java -cp trino-jdbc.jar DeployCheck.java MODE HOST:PORT CA.pem ...}.
 *
 * <ul>
 *   <li>{@code query HOST:PORT CA SQL [EXPECTED]}: runs SQL, prints the rows; with EXPECTED, the first
 *       value of the first row must equal it.</li>
 *   <li>{@code kill-during-query HOST:PORT CA SQL COMMAND...}: starts SQL and at the same time runs the
 *       command (deploy-test.sh: the victim worker is frozen before the query starts, so the query's
 *       task on it is pending; the command kills it with SIGKILL and thaws it); the query must fail
 *       with WORKER_FAILED.</li>
 *   <li>{@code stop-during-query ...}: the same, and the query must succeed.</li>
 * </ul>
 * Exits 0 when the check holds, 1 (with the reason on stderr) otherwise.
 */
public class DeployCheck
{
    private static final int WORKER_FAILED = 0x0001_0100;

    public static void main(String[] args)
            throws Exception
    {
        if (args.length < 4) {
            System.err.println("usage: DeployCheck query|kill-during-query HOST:PORT CA.pem SQL [EXPECTED | KILL-COMMAND...]");
            System.exit(2);
        }
        String mode = args[0];
        String server = args[1];
        String ca = args[2];
        String sql = args[3];
        try {
            switch (mode) {
                case "query" -> query(server, ca, sql, args.length > 4 ? args[4] : null);
                case "kill-during-query" -> duringQuery(server, ca, sql, Arrays.asList(args).subList(4, args.length), true);
                case "stop-during-query" -> duringQuery(server, ca, sql, Arrays.asList(args).subList(4, args.length), false);
                default -> fail("unknown mode " + mode);
            }
        }
        catch (SQLException e) {
            fail("query failed: " + e.getMessage() + " (error code " + e.getErrorCode() + ")");
        }
    }

    private static Connection connect(String server, String ca)
            throws SQLException
    {
        return DriverManager.getConnection("jdbc:trino://" + server + "/hive/web?SSL=true&SSLTrustStorePath=" + ca + "&user=deploy-test");
    }

    private static void query(String server, String ca, String sql, String expected)
            throws SQLException
    {
        long start = System.nanoTime();
        List<List<String>> rows = run(server, ca, sql);
        System.out.printf("%s -> %s (%d ms)%n", sql, rows.size() <= 5 ? rows : rows.subList(0, 5) + "...", (System.nanoTime() - start) / 1_000_000);
        if (expected != null) {
            if (rows.isEmpty() || !expected.equals(rows.getFirst().getFirst())) {
                fail("expected " + expected + " as the first value of " + sql + ", got " + rows);
            }
        }
    }

    private static List<List<String>> run(String server, String ca, String sql)
            throws SQLException
    {
        try (Connection connection = connect(server, ca);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /**
     * Runs SQL while the action runs: the query starts first, the action (given the query's start) kills
     * or stops a worker, and the query's outcome is checked: WORKER_FAILED, or success.
     */
    private static void duringQuery(String server, String ca, String sql, List<String> action, boolean expectWorkerFailed)
            throws Exception
    {
        if (action.isEmpty()) {
            fail("the mode needs a command to run during the query");
        }
        long start = System.nanoTime();
        CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                return run(server, ca, sql);
            }
            catch (SQLException e) {
                return e;
            }
        });
        System.out.printf("query started; running %s%n", action);
        Process process = new ProcessBuilder(action).inheritIO().start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("the command failed or did not finish in 120 s: " + action);
        }
        Object result = outcome.get(300, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!expectWorkerFailed) {
            if (result instanceof SQLException e) {
                fail("expected the query to succeed, it failed: " + e.getMessage() + " (error code " + e.getErrorCode() + ")");
            }
            System.out.printf("query succeeded in %d ms: %d rows%n", millis, ((List<?>) result).size());
            return;
        }
        if (!(result instanceof SQLException e)) {
            fail("expected WORKER_FAILED, the query succeeded with " + ((List<?>) result).size() + " rows");
            return;
        }
        if (e.getErrorCode() != WORKER_FAILED) {
            fail("expected WORKER_FAILED (" + WORKER_FAILED + "), got error code " + e.getErrorCode() + ": " + e.getMessage());
        }
        System.out.printf("query failed as expected after %d ms: %s%n", millis, e.getMessage());
    }

    private static void fail(String message)
    {
        System.err.println("DeployCheck: FAILED: " + message);
        System.exit(1);
    }
}
