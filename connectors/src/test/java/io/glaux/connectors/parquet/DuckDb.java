package io.glaux.connectors.parquet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** An in-memory DuckDB over JDBC: writes Parquet files the way DuckDB writes them, and reads them back as the oracle. */
final class DuckDb
        implements AutoCloseable
{
    private final Connection connection;

    DuckDb()
    {
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot start DuckDB", e);
        }
    }

    void execute(String sql)
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed: " + sql, e);
        }
    }

    /** {@code COPY (query) TO 'file' (FORMAT parquet, options)}. */
    void copy(String query, Path file, String options)
    {
        execute("COPY (%s) TO '%s' (FORMAT parquet%s)".formatted(query, file, options.isEmpty() ? "" : ", " + options));
    }

    /** The rows of {@code sql}, in {@link CanonicalValues} form. */
    List<List<Object>> query(String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            List<List<Object>> rows = new ArrayList<>();
            while (result.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(CanonicalValues.fromJdbc(result.getObject(i)));
                }
                rows.add(row);
            }
            return rows;
        }
        catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed: " + sql, e);
        }
    }

    @Override
    public void close()
    {
        try {
            connection.close();
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
