package io.glaux.launcher.metastore;

import io.glaux.catalog.embedded.EmbeddedMetastore;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code glaux metastore}: the Hive metastore (the same server the demo embeds, Derby persisted in a
 * data directory) as a process of its own, for coordinators configured with
 * {@code hive.metastore.uri=thrift://host:port}, and for Hive, Spark or Trino sharing its tables.
 */
public final class MetastoreCommand
{
    private MetastoreCommand() {}

    public static void run(String[] args)
            throws InterruptedException
    {
        Path dataDir = Path.of("data", "metastore");
        int port = 9083;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--port" -> port = port(value(args, ++i));
                case "--host" -> host = value(args, ++i);
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Unknown metastore option " + args[i] + " (options: --data-dir DIR, --port N, --host 127.0.0.1|0.0.0.0)");
            }
        }
        EmbeddedMetastore metastore;
        try {
            metastore = EmbeddedMetastore.start(dataDir.toAbsolutePath(), host, port, EmbeddedMetastore.DEFAULT_START_TIMEOUT);
        }
        catch (IllegalArgumentException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid --host: " + e.getMessage(), e);
        }
        catch (IllegalStateException e) {
            throw new GlauxException(ErrorCode.METASTORE_ERROR, "Cannot start the metastore on " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            metastore.close();
            stop.countDown();
        }, "metastore-shutdown"));
        System.out.println("metastore listening on " + (host.equals("127.0.0.1") ? metastore.uri() : "thrift://" + host + ":" + metastore.port())
                + " (Hive metastore, Derby under " + metastore.dataDir() + ")");
        System.out.println("Serving until Ctrl-C.");
        stop.await();
    }

    private static String value(String[] args, int index)
    {
        if (index >= args.length) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Option " + args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static int port(String text)
    {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException ignored) {
            // reported below
        }
        throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid port '" + text + "' (0-65535, 0 picks a free one)");
    }
}
