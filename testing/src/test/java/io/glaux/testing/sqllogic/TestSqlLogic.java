package io.glaux.testing.sqllogic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.s3.ObjectStore;
import io.glaux.connectors.s3.S3Location;
import io.glaux.spi.error.ErrorCode;
import io.glaux.testing.SharedClusterAccess;
import io.glaux.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every {@code .slt} file under {@code src/test/resources/sql/} against the shared in-process
 * cluster through the Trino JDBC driver: one dynamic test per record, in file order, one JDBC
 * connection (one session) per file.
 */
class TestSqlLogic
{
    private static final List<Connection> connections = new ArrayList<>();

    @AfterAll
    static void closeConnections()
            throws SQLException
    {
        for (Connection connection : connections) {
            connection.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> sqlLogicTests()
            throws Exception
    {
        Path directory = Path.of(requireResource("sql"));
        List<Path> files;
        try (Stream<Path> paths = Files.list(directory)) {
            files = paths.filter(path -> path.toString().endsWith(".slt")).sorted().toList();
        }
        // -Dsqllogic.files=query_aggregation,views runs only the files whose names contain one of these
        String only = System.getProperty("sqllogic.files", "");
        if (!only.isBlank()) {
            List<String> names = List.of(only.split(","));
            files = files.stream().filter(file -> names.stream().anyMatch(name -> file.getFileName().toString().contains(name.trim()))).toList();
        }
        assertThat(files).isNotEmpty();
        List<DynamicNode> containers = new ArrayList<>();
        for (Path file : files) {
            SqlLogicTest test = SqlLogicTest.parse(file);
            Session session = new Session();
            List<DynamicTest> tests = new ArrayList<>();
            for (SqlLogicTest.Record record : test.records()) {
                String name = file.getFileName() + ":" + record.line() + " " + firstLine(record.sql());
                tests.add(DynamicTest.dynamicTest(name, file.toUri(), () -> run(session, record)));
            }
            containers.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), file.toUri(), tests.stream()));
        }
        return containers.stream();
    }

    /** The connection of one file, opened at its first record. */
    private static final class Session
    {
        private Connection connection;

        Connection connection()
                throws Exception
        {
            if (connection == null) {
                connection = SharedClusterAccess.cluster().jdbc();
                synchronized (connections) {
                    connections.add(connection);
                }
            }
            return connection;
        }
    }

    private static void run(Session session, SqlLogicTest.Record record)
            throws Exception
    {
        switch (record) {
            case SqlLogicTest.StatementOk ok -> {
                try (Statement statement = session.connection().createStatement()) {
                    statement.execute(ok.sql());
                }
            }
            case SqlLogicTest.StatementError error -> {
                try (Statement statement = session.connection().createStatement()) {
                    // an error may come with the first page or only while the rows are fetched
                    assertThatThrownBy(() -> {
                        if (statement.execute(error.sql())) {
                            try (ResultSet resultSet = statement.getResultSet()) {
                                while (resultSet.next()) {
                                    // drain
                                }
                            }
                        }
                    })
                            .isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(errorName(((SQLException) e).getErrorCode()) + ": " + e.getMessage()).containsPattern(error.regex()));
                }
            }
            case SqlLogicTest.Query query -> {
                List<String> actual = rows(session.connection(), query.sql(), query.types().length());
                // tab-separated expectations compare exactly; space-separated ones with the values joined by spaces
                boolean tabs = query.expected().stream().anyMatch(line -> line.indexOf('\t') >= 0);
                List<String> expected = new ArrayList<>(query.expected().stream().map(line -> tabs ? line : line.strip()).toList());
                List<String> compared = new ArrayList<>(actual.stream().map(row -> tabs ? row : row.replace('\t', ' ')).toList());
                if (query.rowSort()) {
                    expected.sort(null);
                    compared.sort(null);
                }
                assertThat(compared).as("rows of: %s", query.sql()).containsExactlyElementsOf(expected);
            }
            case SqlLogicTest.RoundTrip roundTrip -> {
                String before = showCreate(session.connection(), roundTrip.sql());
                try (Statement statement = session.connection().createStatement()) {
                    statement.execute("DROP TABLE " + roundTrip.sql());
                    statement.execute(before);
                }
                String after = showCreate(session.connection(), roundTrip.sql());
                assertThat(after).as("SHOW CREATE TABLE after re-creating from its output").isEqualTo(before);
            }
            case SqlLogicTest.PutObject put -> {
                TestCluster cluster = SharedClusterAccess.cluster();
                ObjectStore store = cluster.coordinator().objectStore();
                S3Location location = ObjectStore.parse(put.sql());
                store.createBucketIfMissing(location.bucket());
                store.put(location.bucket(), location.key(), put.content().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** The Glaux error name of a JDBC error code ({@code TABLE_NOT_FOUND}), so records can match on it. */
    private static String errorName(int code)
    {
        for (ErrorCode errorCode : ErrorCode.values()) {
            if (errorCode.code() == code) {
                return errorCode.name();
            }
        }
        return "UNKNOWN_" + code;
    }

    private static String showCreate(Connection connection, String table)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery("SHOW CREATE TABLE " + table)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1);
        }
    }

    private static List<String> rows(Connection connection, String sql, int columns)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.getMetaData().getColumnCount()).as("column count of: %s", sql).isEqualTo(columns);
            while (resultSet.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    // a timestamp with time zone and a time as the server sent them (the driver's objects drop the zone
                    // and java.sql.Time the fraction)
                    String typeName = resultSet.getMetaData().getColumnTypeName(i);
                    String value = typeName.endsWith("with time zone") || typeName.startsWith("time(")
                            ? render(resultSet.getString(i)) : render(resultSet.getObject(i));
                    values.add(value.isEmpty() ? "(empty)" : value);
                }
                rows.add(String.join("\t", values));
            }
        }
        return rows;
    }

    /** A value as the Trino CLI prints it: arrays {@code [a, NULL]}, maps {@code {k=v}}, rows as the driver renders them. */
    private static String render(Object value)
            throws SQLException
    {
        return switch (value) {
            case null -> "NULL";
            case java.sql.Array array -> render(array.getArray());
            case Object[] elements -> {
                List<String> parts = new ArrayList<>();
                for (Object element : elements) {
                    parts.add(render(element));
                }
                yield "[" + String.join(", ", parts) + "]";
            }
            case List<?> elements -> render(elements.toArray());
            case java.util.Map<?, ?> map -> {
                List<String> parts = new ArrayList<>();
                for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
                    parts.add(render(entry.getKey()) + "=" + render(entry.getValue()));
                }
                yield "{" + String.join(", ", parts) + "}";
            }
            default -> value.toString();
        };
    }

    private static java.net.URI requireResource(String name)
            throws URISyntaxException
    {
        java.net.URL url = TestSqlLogic.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("no test resource " + name);
        }
        return url.toURI();
    }

    private static String firstLine(String sql)
    {
        String first = sql.lines().findFirst().orElse("");
        return first.length() > 80 ? first.substring(0, 80) + "..." : first;
    }
}
