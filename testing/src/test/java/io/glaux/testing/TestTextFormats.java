package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.type.TypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Access logs as gzip JSON lines (Hive JsonSerDe), CSV with a header (OpenCSVSerde) and TSV
 * (LazySimpleSerDe), written by DuckDB from the Parquet data, queried through Glaux and compared with
 * DuckDB reading the same files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTextFormats
{
    private static final String COLUMNS = "client_ip, method, url, status, bytes, latency, referrer";

    private TestCluster cluster;
    private Connection duckdb;
    private Path dir;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        dir = Files.createTempDirectory("glaux-text");
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        String source = "read_parquet('" + cluster.tableDirectory() + "/*/*.parquet')";
        try (Statement statement = duckdb.createStatement()) {
            statement.execute("COPY (SELECT " + COLUMNS + " FROM " + source + ") TO '" + dir.resolve("logs.json.gz") + "' (FORMAT json, COMPRESSION gzip)");
            statement.execute("COPY (SELECT " + COLUMNS + " FROM " + source + ") TO '" + dir.resolve("logs.csv") + "' (FORMAT csv, HEADER true)");
            statement.execute("COPY (SELECT " + COLUMNS + " FROM " + source + ") TO '" + dir.resolve("logs.tsv") + "' (FORMAT csv, DELIMITER '\t', HEADER false, NULLSTR '\\N', QUOTE '')");
        }
        var store = cluster.coordinator().objectStore();
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(Database.named("text"), true);
        List<Column> columns = new ArrayList<>();
        for (String column : COLUMNS.split(",\\s*")) {
            String type = switch (column) {
                case "status" -> "int";
                case "bytes" -> "bigint";
                case "latency" -> "double";
                default -> "string";
            };
            columns.add(new Column(column, TypeParser.parse(type)));
        }
        register(store, catalog, "json_logs", "logs.json.gz", columns, StorageFormat.JSONFILE.withSerde("org.apache.hive.hcatalog.data.JsonSerDe"), Map.of());
        register(store, catalog, "csv_logs", "logs.csv", columns, StorageFormat.TEXTFILE.withSerde("org.apache.hadoop.hive.serde2.OpenCSVSerde"),
                Map.of("skip.header.line.count", "1"));
        register(store, catalog, "tsv_logs", "logs.tsv", columns, StorageFormat.TEXTFILE.withSerdeParameters(Map.of("field.delim", "\t")), Map.of());
        try (Statement statement = duckdb.createStatement()) {
            statement.execute("CREATE VIEW json_logs AS SELECT * FROM read_json('" + dir.resolve("logs.json.gz") + "')");
            statement.execute("CREATE VIEW csv_logs AS SELECT * FROM read_csv('" + dir.resolve("logs.csv") + "', header = true)");
            statement.execute("CREATE VIEW tsv_logs AS SELECT * FROM read_parquet('" + cluster.tableDirectory() + "/*/*.parquet')");
        }
    }

    private void register(io.glaux.connectors.s3.ObjectStore store, io.glaux.catalog.Catalog catalog, String table, String file,
            List<Column> columns, StorageFormat format, Map<String, String> properties)
    {
        store.put(DemoDataset.BUCKET, "text/" + table + "/" + file, dir.resolve(file));
        catalog.createTable(Table.external("text", table, columns, List.of(), format, "s3://" + DemoDataset.BUCKET + "/text/" + table + "/", properties), true);
    }

    @AfterAll
    void tearDown()
            throws SQLException
    {
        duckdb.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "json_logs|SELECT count(*), sum(bytes), count(referrer) FROM %s",
            "json_logs|SELECT status, count(*), round(avg(latency), 6) FROM %s WHERE method = 'GET' GROUP BY status",
            // OpenCSVSerde reads an empty string field as '' (as Athena does); DuckDB's CSV reader as NULL
            "csv_logs|SELECT count(*), sum(bytes), count(nullif(referrer, '')) FROM %s",
            "csv_logs|SELECT url, count(*) FROM %s WHERE status >= 500 GROUP BY url",
            "tsv_logs|SELECT count(*), sum(bytes), count(referrer) FROM %s",
            "tsv_logs|SELECT method, max(latency), min(client_ip) FROM %s GROUP BY method"})
    void matchesDuckDb(String table, String template)
            throws SQLException
    {
        String glauxSql = template.formatted("text." + table);
        String duckSql = template.formatted(table);
        List<String> expected = rows(duckdb, duckSql);
        try (Connection glaux = cluster.jdbc()) {
            List<String> actual = rows(glaux, glauxSql);
            expected.sort(null);
            actual.sort(null);
            assertThat(actual).as(glauxSql).isEqualTo(expected);
        }
    }

    private static List<String> rows(Connection connection, String sql)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    Object value = resultSet.getObject(i);
                    row.append(i == 1 ? "" : " | ").append(value == null ? "NULL"
                            : value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal
                            ? String.format(Locale.ROOT, "%.6g", ((Number) value).doubleValue())
                            : value instanceof Number number ? Long.toString(number.longValue()) : value.toString());
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
