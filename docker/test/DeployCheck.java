import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
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

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDBC side of docker/test/deploy-test.sh, run as a single-file program with the Trino JDBC
 * driver on the class path: {@code java -cp trino-jdbc.jar DeployCheck.java MODE HOST:PORT CA.pem ...}.
 *
 * <ul>
 *   <li>{@code query HOST:PORT CA SQL [EXPECTED]}: runs SQL, prints the rows; with EXPECTED, the first
 *       value of the first row must equal it.</li>
 *   <li>{@code kill-during-query HOST:PORT CA SQL KILL-COMMAND...}: starts SQL, waits until the coordinator
 *       reports it RUNNING with splits on the workers, runs the kill command, and expects the query to
 *       fail with WORKER_FAILED.</li>
 *   <li>{@code stop-during-query HOST:PORT CA SQL STOP-COMMAND...}: the same with a graceful stop
 *       (SIGTERM); the query must succeed, the worker finishing its tasks before it exits.</li>
 * </ul>
 * Exits 0 when the check holds, 1 (with the reason on stderr) otherwise.
 */
public class DeployCheck
{
    private static final int WORKER_FAILED = 0x0001_0001;

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

    private static void duringQuery(String server, String ca, String sql, List<String> killCommand, boolean expectWorkerFailed)
            throws Exception
    {
        if (killCommand.isEmpty()) {
            fail("kill-during-query needs a kill command");
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
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(ca)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // RUNNING with at least one split done and one to go: the workers are busy with it
        while (true) {
            if (outcome.isDone()) {
                fail("the query ended before a worker could be killed (make it longer): " + outcome.get());
            }
            if (System.nanoTime() > deadline) {
                fail("the query did not reach RUNNING within 120 s");
            }
            String queries = http.send(HttpRequest.newBuilder(URI.create("https://" + server + "/v1/query")).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (isRunningWithSplitsLeft(queries, sql)) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.printf("query running after %d ms; running %s%n", (System.nanoTime() - start) / 1_000_000, killCommand);
        Process kill = new ProcessBuilder(killCommand).inheritIO().start();
        if (kill.waitFor() != 0) {
            fail("kill command failed: " + killCommand);
        }
        Object result = outcome.get(180, TimeUnit.SECONDS);
        if (!expectWorkerFailed) {
            if (result instanceof SQLException e) {
                fail("expected the query to succeed while the worker drained, it failed: " + e.getMessage() + " (error code " + e.getErrorCode() + ")");
            }
            System.out.printf("query succeeded while a worker stopped gracefully, after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, result);
            return;
        }
        if (!(result instanceof SQLException e)) {
            fail("expected WORKER_FAILED, the query succeeded: " + result);
            return;
        }
        if (e.getErrorCode() != WORKER_FAILED) {
            fail("expected WORKER_FAILED (" + WORKER_FAILED + "), got error code " + e.getErrorCode() + ": " + e.getMessage());
        }
        System.out.printf("query failed as expected after %d ms: %s%n", (System.nanoTime() - start) / 1_000_000, e.getMessage());
    }

    /** Crude but dependency-free: finds the query's JSON object in /v1/query and reads its state and split counts. */
    private static boolean isRunningWithSplitsLeft(String queries, String sql)
    {
        String quoted = "\"query\":\"" + sql.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        int at = queries.indexOf(quoted);
        if (at < 0) {
            return false;
        }
        int begin = queries.lastIndexOf("{\"queryId\"", at);
        int end = queries.indexOf("{\"queryId\"", at);
        String query = queries.substring(begin, end < 0 ? queries.length() : end);
        if (!query.contains("\"state\":\"RUNNING\"")) {
            return false;
        }
        int total = number(query, "\"totalSplits\":");
        int completed = number(query, "\"completedSplits\":");
        return total > 0 && completed < total;
    }

    private static int number(String json, String key)
    {
        int at = json.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length();
        int j = i;
        while (j < json.length() && Character.isDigit(json.charAt(j))) {
            j++;
        }
        return j > i ? Integer.parseInt(json.substring(i, j)) : -1;
    }

    private static SSLContext trusting(String caFile)
            throws Exception
    {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (FileInputStream in = new FileInputStream(caFile)) {
            trust.setCertificateEntry("glaux-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static void fail(String message)
    {
        System.err.println("DeployCheck: FAILED: " + message);
        System.exit(1);
    }
}
