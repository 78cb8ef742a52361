package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.coordinator.Coordinator;
import io.glaux.coordinator.CoordinatorConfig;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Bad input gives a clear error naming what is wrong: corrupt objects, wrong credentials. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestErrors
{
    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(Database.named("errors"), true);
        var store = cluster.coordinator().objectStore();
        store.put(DemoDataset.BUCKET, "errors/corrupt/data.parquet", "this is not a parquet file at all, just text".getBytes());
        Path good = Files.list(cluster.tableDirectory().resolve("dt=2024-03-01")).findFirst().orElseThrow();
        store.put(DemoDataset.BUCKET, "errors/truncated/data.parquet", Arrays.copyOf(Files.readAllBytes(good), 5000));
        for (String name : List.of("corrupt", "truncated")) {
            catalog.createTable(Table.external("errors", name, List.of(new Column("status", Type.INTEGER)), List.of(), StorageFormat.PARQUET,
                    "s3://" + DemoDataset.BUCKET + "/errors/" + name + "/", Map.of()), true);
        }
    }

    @Test
    void corruptObjectIsNamed()
            throws SQLException
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM errors.corrupt").next())
                    .hasMessageContaining("s3://glaux-demo/errors/corrupt/data.parquet");
            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM errors.truncated").next())
                    .hasMessageContaining("s3://glaux-demo/errors/truncated/data.parquet");
            // the cluster is still healthy afterwards
            var resultSet = statement.executeQuery("SELECT count(*) FROM web.access_logs");
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getLong(1)).isEqualTo(120_000);
        }
    }

    @Test
    void wrongObjectStoreCredentialsAreAnExternalError()
            throws Exception
    {
        Map<String, String> config = new HashMap<>();
        config.put(CoordinatorConfig.HTTP_PORT, "0");
        config.put(CoordinatorConfig.TLS_DIR, cluster.dataDir().resolve("tls").toString());
        config.put(CoordinatorConfig.METASTORE_URI, cluster.metastore().uri());
        config.put(CoordinatorConfig.S3_ENDPOINT, cluster.objectStore().endpoint().toString());
        config.put(CoordinatorConfig.S3_ACCESS_KEY, TestCluster.ACCESS_KEY);
        config.put(CoordinatorConfig.S3_SECRET_KEY, "not-the-secret");
        config.put("http-server.authentication.allow-anonymous", "true");
        try (Coordinator coordinator = Coordinator.start(CoordinatorConfig.fromProperties(config))) {
            // borrow the shared cluster's workers: they announce to the other coordinator only, so announce one by hand
            var worker = cluster.workers().getFirst();
            coordinator.nodeManager().announce(worker.nodeId(), worker.flightUri());
            Properties properties = new Properties();
            properties.setProperty("user", "test");
            try (Connection connection = DriverManager.getConnection("jdbc:trino://localhost:" + coordinator.httpsPort() + "/hive/web?SSL=true&SSLTrustStorePath="
                    + cluster.caCertificate(), properties); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM access_logs").next())
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("ccess denied")
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-secret"));
            }
        }
    }
}
