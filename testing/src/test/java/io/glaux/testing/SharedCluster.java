package io.glaux.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** One cluster (2 workers, 3 days × 40,000 rows in 6 files) shared by the read-only test classes of this JVM. */
final class SharedCluster
{
    private static TestCluster cluster;

    private SharedCluster() {}

    static synchronized TestCluster get()
            throws Exception
    {
        if (cluster == null) {
            Path dir = Files.createTempDirectory("glaux-test-cluster");
            cluster = TestCluster.start(dir, 2, 40_000, 2);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    cluster.close();
                }
                catch (Exception ignored) {
                    // JVM exit
                }
            }));
        }
        return cluster;
    }
}
