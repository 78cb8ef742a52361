package io.glaux.launcher.objectstore;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code glaux objectstore}: the embedded S3-compatible object store (S3Proxy, filesystem backend) as a
 * process of its own, for a compose stack or a small cluster without an S3 service. The credentials
 * come from the environment ({@code GLAUX_S3_ACCESS_KEY}, {@code GLAUX_S3_SECRET_KEY}), never from the
 * command line, which other users of the machine can read.
 */
public final class ObjectStoreCommand
{
    public static final String ACCESS_KEY_VARIABLE = "GLAUX_S3_ACCESS_KEY";
    public static final String SECRET_KEY_VARIABLE = "GLAUX_S3_SECRET_KEY";

    private ObjectStoreCommand() {}

    public static void run(String[] args)
            throws InterruptedException
    {
        Path dataDir = Path.of("data", "s3");
        String host = "127.0.0.1";
        int port = 9878;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                case "--host" -> host = value(args, ++i);
                case "--port" -> port = port(value(args, ++i));
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR,
                        "Unknown objectstore option " + args[i] + " (options: --data-dir DIR, --host ADDRESS, --port N)");
            }
        }
        String accessKey = environment(ACCESS_KEY_VARIABLE);
        String secretKey = environment(SECRET_KEY_VARIABLE);
        EmbeddedObjectStore store = EmbeddedObjectStore.start(dataDir, host, port, accessKey, secretKey);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            stop.countDown();
        }, "objectstore-shutdown"));
        System.out.println("object store listening on http://" + host + ":" + store.endpoint().getPort() + " (S3Proxy, buckets under " + dataDir.toAbsolutePath() + ")");
        System.out.flush();
        stop.await();
    }

    private static String environment(String name)
    {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Environment variable " + name + " must hold the object store's credentials");
        }
        return value;
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
        throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid port '" + text + "' (0-65535)");
    }
}
