package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.hive.HiveCatalogConfig;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.spi.error.ErrorCategory;
import io.glaux.spi.error.ErrorCode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.GetTableRequest;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * External metastore mode: the Hive metastore runs as its own process ({@code glaux metastore}), the
 * coordinator reaches it at {@code hive.metastore.uri=thrift://127.0.0.1:PORT}. Tables and views made
 * by a plain Hive client are queryable, tables Glaux makes read back with Hive's standard class names,
 * and losing the metastore fails queries with an EXTERNAL error until it is back.
 */
class TestExternalMetastore
{
    private static final String LAZY_SIMPLE_SERDE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    private static final String TEXT_INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    private static final String TEXT_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    @TempDir
    Path dataDir;

    private Process metastore;

    @AfterEach
    void stopMetastore()
            throws InterruptedException
    {
        if (metastore != null) {
            metastore.destroy();
            if (!metastore.waitFor(30, TimeUnit.SECONDS)) {
                metastore.destroyForcibly();
            }
        }
    }

    @Test
    void coordinatorUsesAMetastoreProcess()
            throws Exception
    {
        int port = LauncherProcesses.freePort();
        String uri = "thrift://127.0.0.1:" + port;
        startMetastore(port);
        Map<String, String> properties = Map.of(HiveCatalogConfig.METASTORE_URI, uri, HiveCatalogConfig.CACHE_TTL, "0");
        try (TestCluster cluster = TestCluster.withExternalMetastore(dataDir.resolve("cluster"), 1, 500, 1, properties);
                Connection connection = cluster.jdbc()) {
            ObjectStore store = cluster.coordinator().objectStore();
            store.createBucketIfMissing("ext-data");
            store.put("ext-data", "people/part-0.csv", "1,ann,2024-01-01\n2,bob,2024-01-02\n3,cid,2024-01-03\n".getBytes(StandardCharsets.UTF_8));

            // DDL and queries through the Trino JDBC driver, metadata in the metastore process
            execute(connection, "CREATE DATABASE ext");
            execute(connection, "CREATE EXTERNAL TABLE ext.glaux_text (id int, name string, date date) "
                    + "ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://ext-data/people/'");
            execute(connection, "CREATE EXTERNAL TABLE ext.glaux_parquet (id int, name string) STORED AS PARQUET LOCATION 's3://ext-data/parquet/'");
            assertThat(rows(connection, "SELECT name FROM ext.glaux_text WHERE date = DATE '2024-01-02'")).containsExactly("bob");
            assertThat(rows(connection, "SELECT count(*) FROM web.access_logs")).containsExactly("1500");

            try (HiveMetaStoreClient client = hiveClient(uri)) {
                // what Glaux created, as Hive sees it
                Table text = client.getTable(new GetTableRequest("ext", "glaux_text"));
                assertThat(text.getTableType()).isEqualTo("EXTERNAL_TABLE");
                assertThat(text.getParameters()).containsEntry("EXTERNAL", "TRUE");
                assertThat(text.getSd().getSerdeInfo().getSerializationLib()).isEqualTo(LAZY_SIMPLE_SERDE);
                assertThat(text.getSd().getSerdeInfo().getParameters()).containsEntry("field.delim", ",");
                assertThat(text.getSd().getInputFormat()).isEqualTo(TEXT_INPUT_FORMAT);
                assertThat(text.getSd().getOutputFormat()).isEqualTo(TEXT_OUTPUT_FORMAT);
                assertThat(text.getSd().getCols()).extracting(FieldSchema::getName, FieldSchema::getType).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id", "int"),
                        org.assertj.core.groups.Tuple.tuple("name", "string"),
                        org.assertj.core.groups.Tuple.tuple("date", "date"));
                Table parquet = client.getTable(new GetTableRequest("ext", "glaux_parquet"));
                assertThat(parquet.getSd().getSerdeInfo().getSerializationLib()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
                assertThat(parquet.getSd().getInputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
                assertThat(parquet.getSd().getOutputFormat()).isEqualTo("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
                assertThat(parquet.getSd().getLocation()).isEqualTo("s3://ext-data/parquet");

                // what a plain Hive client creates, as Glaux sees it: a table and a Hive view
                client.createTable(hiveTextTable("ext", "hive_text", "s3://ext-data/people"));
                client.createTable(hiveView("ext", "hive_view",
                        "SELECT id, upper(name) AS name FROM hive_text WHERE id > 1",
                        "SELECT `hive_text`.`id`, upper(`hive_text`.`name`) AS `name` FROM `ext`.`hive_text` WHERE `hive_text`.`id` > 1"));
            }
            assertThat(rows(connection, "SELECT id, name, date FROM ext.hive_text ORDER BY id"))
                    .containsExactly("1 ann 2024-01-01", "2 bob 2024-01-02", "3 cid 2024-01-03");
            assertThat(rows(connection, "SELECT name FROM ext.hive_view WHERE id < 3")).containsExactly("BOB");
            assertThat(rows(connection, "SELECT table_type FROM system.jdbc.tables WHERE table_schem = 'ext' AND table_name = 'hive_view'")).containsExactly("VIEW");

            // the metastore process dies: a query that needs metadata fails soon, with an EXTERNAL error
            metastore.destroyForcibly();
            assertThat(metastore.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(() -> rows(connection, "SELECT count(*) FROM ext.hive_text"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(ErrorCode.METASTORE_ERROR.code());
                        assertThat(ErrorCode.METASTORE_ERROR.category()).isEqualTo(ErrorCategory.EXTERNAL);
                        assertThat(e.getMessage()).containsIgnoringCase("metastore");
                    });
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);

            // ... and it is back once the metastore is, with everything it stored
            startMetastore(port);
            assertThat(retry(() -> rows(connection, "SELECT count(*) FROM ext.hive_text"))).containsExactly("3");
            assertThat(rows(connection, "SELECT count(*) FROM ext.glaux_parquet")).containsExactly("0");
        }
    }

    private void startMetastore(int port)
            throws Exception
    {
        Process[] started = new Process[1];
        try {
            List<String> output = LauncherProcesses.startServing(
                    List.of("metastore", "--data-dir", dataDir.resolve("metastore").toString(), "--port", String.valueOf(port)), "glaux metastore", started);
            assertThat(String.join("\n", output)).contains("metastore listening on thrift://127.0.0.1:" + port);
        }
        finally {
            metastore = started[0];
        }
    }

    private static Table hiveTextTable(String schema, String name, String location)
    {
        SerDeInfo serde = new SerDeInfo();
        serde.setSerializationLib(LAZY_SIMPLE_SERDE);
        serde.setParameters(new HashMap<>(Map.of("field.delim", ",", "serialization.format", ",")));
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(List.of(new FieldSchema("id", "int", null), new FieldSchema("name", "string", null), new FieldSchema("date", "date", null)));
        sd.setLocation(location);
        sd.setInputFormat(TEXT_INPUT_FORMAT);
        sd.setOutputFormat(TEXT_OUTPUT_FORMAT);
        sd.setSerdeInfo(serde);
        Table table = new Table();
        table.setDbName(schema);
        table.setTableName(name);
        table.setTableType("EXTERNAL_TABLE");
        table.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE")));
        table.setPartitionKeys(new ArrayList<>());
        table.setSd(sd);
        return table;
    }

    /** A view as Hive stores one: HiveQL text, no Trino encoding, columns with Hive types. */
    private static Table hiveView(String schema, String name, String originalText, String expandedText)
    {
        StorageDescriptor sd = new StorageDescriptor();
        sd.setCols(List.of(new FieldSchema("id", "int", null), new FieldSchema("name", "string", null)));
        sd.setSerdeInfo(new SerDeInfo());
        Table view = new Table();
        view.setDbName(schema);
        view.setTableName(name);
        view.setTableType("VIRTUAL_VIEW");
        view.setViewOriginalText(originalText);
        view.setViewExpandedText(expandedText);
        view.setParameters(new HashMap<>());
        view.setPartitionKeys(new ArrayList<>());
        view.setSd(sd);
        return view;
    }

    private static HiveMetaStoreClient hiveClient(String uri)
            throws Exception
    {
        Configuration conf = new Configuration();
        MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, uri);
        return new HiveMetaStoreClient(conf);
    }

    private static void execute(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<String> rows(Connection connection, String sql)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(resultSet.getObject(i)));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    private interface SqlCall<T>
    {
        T call()
                throws SQLException;
    }

    /** The call's result once it succeeds, trying for up to 30 seconds (a restarted metastore takes a moment to be reached again). */
    private static <T> T retry(SqlCall<T> call)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return call.call();
            }
            catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
