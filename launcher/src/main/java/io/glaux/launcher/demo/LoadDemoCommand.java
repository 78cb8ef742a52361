package io.glaux.launcher.demo;

import io.glaux.catalog.hive.HiveMetastoreCatalog;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.ObjectStoreConfig;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.spi.config.ConfigFiles;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code glaux load-demo --config etc/config.properties}: writes the demo's sample access logs to the
 * object store and registers {@code web.access_logs} in the metastore the coordinator configuration
 * names, for a cluster started without {@code glaux demo} (the compose stack's one-shot loader). Does
 * nothing when the table exists already.
 */
public final class LoadDemoCommand
{
    private static final java.time.Duration WAIT = java.time.Duration.ofMinutes(3);

    private LoadDemoCommand() {}

    public static void run(String[] args)
            throws Exception
    {
        Path config = Path.of("etc/config.properties");
        int rowsPerDay = 340_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(value(args, ++i));
                case "--rows-per-day" -> rowsPerDay = Integer.parseInt(value(args, ++i));
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Unknown load-demo option " + args[i] + " (options: --config FILE, --rows-per-day N)");
            }
        }
        if (rowsPerDay <= 0) {
            System.out.println("load-demo: --rows-per-day " + rowsPerDay + ": nothing to load");
            return;
        }
        CoordinatorConfig coordinator = CoordinatorConfig.fromProperties(ConfigFiles.loadMap(config));
        try (HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(coordinator.metastore());
                ObjectStore store = new ObjectStore(ObjectStoreConfig.of(coordinator.s3Endpoint(), coordinator.s3AccessKey(), coordinator.s3SecretKey())
                        .withRegion(coordinator.s3Region()))) {
            // started together with the metastore and the object store: wait for both
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean exists = retry(deadline, "the metastore at " + coordinator.metastore().metastoreUri(),
                    () -> catalog.getSchema(DemoDataset.SCHEMA).isPresent() && catalog.getTable(DemoDataset.SCHEMA, DemoDataset.TABLE).isPresent());
            retry(deadline, "the object store at " + coordinator.s3Endpoint(), () -> {
                store.createBucketIfMissing(DemoDataset.BUCKET);
                return true;
            });
            if (exists) {
                System.out.println("load-demo: " + DemoDataset.SCHEMA + "." + DemoDataset.TABLE + " exists already; nothing to do");
                return;
            }
            long start = System.nanoTime();
            Path work = Files.createTempDirectory("glaux-demo-");
            try {
                DemoDataset.create(store, catalog, work, DemoDataset.BUCKET, DemoDataset.SCHEMA, DemoDataset.TABLE, 3, rowsPerDay, 2);
            }
            finally {
                DemoDataset.deleteRecursively(work);
            }
            System.out.printf("load-demo: wrote %,d rows to s3://%s/%s and registered %s.%s in %.1f s%n",
                    3L * rowsPerDay, DemoDataset.BUCKET, DemoDataset.PREFIX, DemoDataset.SCHEMA, DemoDataset.TABLE, (System.nanoTime() - start) / 1e9);
        }
    }

    private static <T> T retry(long deadline, String what, java.util.function.Supplier<T> call)
            throws InterruptedException
    {
        while (true) {
            try {
                return call.get();
            }
            catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "load-demo: cannot reach " + what + " within " + WAIT.toSeconds() + " s: " + e.getMessage(), e);
                }
                Thread.sleep(1000);
            }
        }
    }

    private static String value(String[] args, int index)
    {
        if (index >= args.length) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Option " + args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
