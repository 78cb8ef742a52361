package io.glaux.catalog.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.hive.HiveCatalogConfig;
import io.glaux.catalog.hive.HiveMetastoreCatalog;
import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.Partition;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

class EmbeddedMetastoreTest
{
    @TempDir
    Path dataDir;

    @Test
    void persistsAcrossRestartsOnTheSameDirectory()
            throws IOException
    {
        long start = System.nanoTime();
        String firstUri;
        try (EmbeddedMetastore metastore = EmbeddedMetastore.start(dataDir, 0)) {
            System.out.printf("first start: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            firstUri = metastore.uri();
            assertThat(firstUri).matches("thrift://127\\.0\\.0\\.1:\\d+");
            try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
                catalog.createSchema(Database.named("persisted"), false);
                catalog.createTable(Table.external("persisted", "events", List.of(new Column("id", Type.BIGINT)), List.of(new Column("dt", Type.VARCHAR)),
                        StorageFormat.PARQUET, "s3://bucket/events/", Map.of()), false);
                catalog.addPartitions("persisted", "events", List.of(new Partition(List.of("2024-01-01"), "s3://bucket/events/dt=2024-01-01")), false);
            }

            assertThatThrownBy(() -> EmbeddedMetastore.start(dataDir, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already running in this JVM at " + firstUri);
        }
        int oldPort = Integer.parseInt(firstUri.substring(firstUri.lastIndexOf(':') + 1));
        assertThat(accepts(oldPort)).as("port is closed after close()").isFalse();
        assertThat(dataDir.resolve("metastore_db")).isDirectory();
        // Derby was shut down cleanly: its lock file is gone, so another process could open the database
        assertThat(dataDir.resolve("metastore_db/db.lck")).doesNotExist();
        assertThat(System.getProperty("derby.stream.error.file")).endsWith("derby.log");

        // restart on the same directory and the same port: everything is still there
        start = System.nanoTime();
        try (EmbeddedMetastore metastore = EmbeddedMetastore.start(dataDir, oldPort)) {
            System.out.printf("restart: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(metastore.uri()).isEqualTo(firstUri);
            try (HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
                assertThat(catalog.listSchemas()).contains("persisted");
                Table table = catalog.getTable("persisted", "events").orElseThrow();
                assertThat(table.location()).isEqualTo("s3://bucket/events");
                assertThat(catalog.getPartitions("persisted", "events"))
                        .containsExactly(new Partition(List.of("2024-01-01"), "s3://bucket/events/dt=2024-01-01"));
                catalog.dropSchema("persisted", false, true);
            }
        }

        // and once more on a new port
        start = System.nanoTime();
        try (EmbeddedMetastore metastore = EmbeddedMetastore.start(dataDir, 0);
                HiveMetastoreCatalog catalog = HiveMetastoreCatalog.connect(metastore.uri())) {
            System.out.printf("second restart: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(catalog.getSchema("persisted")).isEmpty();
            assertThat(catalog.listSchemas()).contains("default");
        }
    }

    @Test
    void anOpenCatalogReconnectsToAMetastoreRestartedOnTheSamePort()
    {
        EmbeddedMetastore metastore = EmbeddedMetastore.start(dataDir, 0);
        int port = metastore.port();
        HiveCatalogConfig config = HiveCatalogConfig.of(metastore.uri()).withCacheTtl(Duration.ZERO).withMaxConnections(1);
        try (HiveMetastoreCatalog catalog = new HiveMetastoreCatalog(config)) {
            catalog.createSchema(Database.named("before"), false);
            metastore.close();
            metastore = EmbeddedMetastore.start(dataDir, port);
            // the pooled connection was closed with the old server: the call fails on the transport,
            // reconnects once (to the new server) and succeeds
            assertThat(catalog.listSchemas()).contains("before");
            catalog.dropSchema("before", false, false);

            metastore.close();
            assertThatThrownBy(catalog::listSchemas)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.METASTORE_ERROR))
                    .hasMessageContaining("Cannot connect to the Hive metastore at thrift://127.0.0.1:" + port);
        }
        finally {
            metastore.close();
        }
    }

    @Test
    void metastoresOnDifferentDirectoriesRunSideBySide()
    {
        try (EmbeddedMetastore first = EmbeddedMetastore.start(dataDir.resolve("first"), 0);
                EmbeddedMetastore second = EmbeddedMetastore.start(dataDir.resolve("second"), 0);
                HiveMetastoreCatalog firstCatalog = HiveMetastoreCatalog.connect(first.uri());
                HiveMetastoreCatalog secondCatalog = HiveMetastoreCatalog.connect(second.uri())) {
            assertThat(first.port()).isNotEqualTo(second.port());
            for (HiveMetastoreCatalog catalog : List.of(firstCatalog, secondCatalog)) {
                String schema = catalog == firstCatalog ? "only_first" : "only_second";
                catalog.createSchema(Database.named(schema), false);
                catalog.createTable(Table.external(schema, "t", List.of(new Column("id", Type.BIGINT)), List.of(new Column("dt", Type.VARCHAR)),
                        StorageFormat.PARQUET, "s3://bucket/" + schema, Map.of()), false);
                catalog.addPartitions(schema, "t", List.of(new Partition(List.of("x"), "")), false);
            }
            assertThat(firstCatalog.listSchemas()).containsExactly("default", "only_first");
            assertThat(secondCatalog.listSchemas()).containsExactly("default", "only_second");
            assertThat(firstCatalog.getPartitions("only_first", "t")).containsExactly(new Partition(List.of("x"), "s3://bucket/only_first/dt=x"));
            assertThat(secondCatalog.getPartitions("only_second", "t")).containsExactly(new Partition(List.of("x"), "s3://bucket/only_second/dt=x"));
        }
    }

    @Test
    void busyPortFailsWithAClearError()
            throws IOException
    {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedMetastore.start(dataDir, busy.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("failed to start on 127.0.0.1:" + busy.getLocalPort());
        }
        // a failed start leaves nothing running
        try (EmbeddedMetastore metastore = EmbeddedMetastore.start(dataDir, 0)) {
            assertThat(accepts(metastore.port())).isTrue();
        }
    }

    private static boolean accepts(int port)
    {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            return socket.isConnected();
        }
        catch (IOException e) {
            return false;
        }
    }
}
