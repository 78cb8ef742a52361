package io.glaux.launcher;

import io.glaux.cli.GlauxCli;
import io.glaux.coordinator.Coordinator;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.launcher.demo.DemoCommand;
import io.glaux.launcher.demo.LoadDemoCommand;
import io.glaux.launcher.metastore.MetastoreCommand;
import io.glaux.launcher.objectstore.ObjectStoreCommand;
import io.glaux.spi.config.ConfigFiles;
import io.glaux.spi.error.GlauxException;
import io.glaux.worker.WorkerMain;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The one launcher: {@code glaux demo | coordinator | worker | metastore | sql | node}. The {@code ./glaux} script at the
 * repository root builds if needed, finds JDK 25 and runs this class with the JVM flags Arrow needs.
 */
public final class Glaux
{
    private Glaux() {}

    /**
     * Sends what libraries log through java.util.logging (gRPC and Arrow Flight) through SLF4J to the
     * same Log4j configuration as everything else: without it they print multi-line records to stderr,
     * past the configured levels and into the middle of GLAUX_LOG_FORMAT=json's one object per line.
     */
    public static void routeJavaUtilLogging()
    {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    public static void main(String[] args)
            throws Exception
    {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            usage();
            System.exit(args.length == 0 ? 2 : 0);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        routeJavaUtilLogging();
        try {
            switch (args[0]) {
                case "demo" -> DemoCommand.run(rest);
                case "coordinator" -> runCoordinator(rest);
                case "worker" -> WorkerMain.main(rest);
                case "metastore" -> MetastoreCommand.run(rest);
                case "objectstore" -> ObjectStoreCommand.run(rest);
                case "load-demo" -> LoadDemoCommand.run(rest);
                case "tls" -> TlsCommand.run(rest);
                case "sql" -> System.exit(GlauxCli.run(rest, System.in, System.out, System.err));
                case "node" -> System.exit(io.glaux.cli.NodeCommand.run(rest, System.out, System.err));
                default -> {
                    System.err.println("Unknown command: " + args[0]);
                    usage();
                    System.exit(2);
                }
            }
        }
        catch (GlauxException e) {
            System.err.println("glaux " + args[0] + ": " + e.errorCode() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage()
    {
        System.err.println("""
                usage: glaux <command> [options]
                  demo          start an embedded stack (object store, metastore, coordinator, 2 workers) with sample logs
                                  --data-dir DIR (default ./data)  --port N (default 8443)
                  coordinator   --config etc/config.properties
                  worker        --config etc/worker.properties
                  metastore     the Hive metastore as its own process, for hive.metastore.uri=thrift://host:port
                                  --data-dir DIR (default ./data/metastore)  --port N (default 9083, 0 = any free port)
                                  --host 127.0.0.1|0.0.0.0 (default 127.0.0.1)
                  objectstore   the embedded S3-compatible object store (S3Proxy) as its own process
                                  --data-dir DIR (default ./data/s3)  --host ADDRESS (default 127.0.0.1)  --port N (default 9878)
                                  credentials from GLAUX_S3_ACCESS_KEY and GLAUX_S3_SECRET_KEY
                  load-demo     write the demo's sample logs to a cluster's object store and metastore
                                  --config etc/config.properties  --rows-per-day N (default 340000)
                  tls           create the cluster CA and node certificates before the nodes start
                                  --dir DIR  --node NAME (repeatable)  --host-names a,b
                  sql           the SQL command-line client (glaux sql --help)
                  node          the cluster's node identities, for admins: glaux node list | revoke NODE-ID | revoke --serial HEX
                                  --server URL  --user NAME  --password  --truststore ca.pem (glaux node --help)""");
    }

    private static void runCoordinator(String[] args)
            throws Exception
    {
        Path config = Path.of("etc/config.properties");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[++i]);
            }
        }
        Coordinator coordinator = Coordinator.start(CoordinatorConfig.fromProperties(load(config)));
        System.out.println("coordinator listening on https://127.0.0.1:" + coordinator.httpsPort());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                coordinator.close();
            }
            catch (Exception ignored) {
                // shutting down
            }
            stop.countDown();
        }));
        stop.await();
    }

    /** The properties file, with {@code ${ENV:NAME}} references replaced from the environment. */
    static Map<String, String> load(Path file)
    {
        return ConfigFiles.loadMap(file);
    }
}
