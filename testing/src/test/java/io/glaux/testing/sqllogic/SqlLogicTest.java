package io.glaux.testing.sqllogic;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sqllogictest-style file: records separated by blank lines, {@code #} comments.
 *
 * <pre>
 * statement ok
 * CREATE DATABASE db
 *
 * statement error SCHEMA_ALREADY_EXISTS: .*line 1:17: Schema 'hive.db' already exists
 * CREATE DATABASE db
 *
 * query TT rowsort
 * SHOW TABLES IN db
 * ----
 * a	b
 * </pre>
 *
 * An error's regex is matched against {@code ERROR_NAME: message} (the JDBC message, which carries
 * {@code line L:C}). Expected rows are tab-separated, or space-separated when a line has no tab; an empty string is
 * {@code (empty)} and SQL NULL is {@code NULL}. Glaux adds two records: {@code roundtrip} followed by
 * a table name (SHOW CREATE TABLE, DROP TABLE, run the output, and the new SHOW CREATE TABLE must be
 * the same text) and {@code object s3://bucket/key} (writes an object: the lines that follow, each ended
 * by a newline, or one byte when none follow).
 */
public record SqlLogicTest(Path file, List<Record> records)
{
    public sealed interface Record
    {
        int line();

        String sql();
    }

    public record StatementOk(int line, String sql) implements Record {}

    public record StatementError(int line, String sql, String regex) implements Record {}

    public record Query(int line, String sql, String types, boolean rowSort, List<String> expected) implements Record {}

    public record RoundTrip(int line, String sql) implements Record {}

    /** {@code sql} is the object's location. */
    public record PutObject(int line, String sql, String content) implements Record {}

    public SqlLogicTest
    {
        requireNonNull(file, "file is null");
        records = List.copyOf(records);
    }

    public static SqlLogicTest parse(Path file)
            throws IOException
    {
        List<String> lines = Files.readAllLines(file);
        List<Record> records = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String header = lines.get(i).strip();
            if (header.isEmpty() || header.startsWith("#")) {
                i++;
                continue;
            }
            int headerLine = i + 1;
            i++;
            List<String> sql = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).equals("----")) {
                sql.add(lines.get(i));
                i++;
            }
            List<String> expected = new ArrayList<>();
            if (i < lines.size() && lines.get(i).equals("----")) {
                i++;
                while (i < lines.size() && !lines.get(i).isEmpty()) {
                    expected.add(lines.get(i));
                    i++;
                }
            }
            String text = String.join("\n", sql);
            String[] words = header.split("\\s+", 3);
            Record record = switch (words[0]) {
                case "statement" -> {
                    if (words.length >= 2 && words[1].equals("ok")) {
                        yield new StatementOk(headerLine, text);
                    }
                    if (words.length == 3 && words[1].equals("error")) {
                        yield new StatementError(headerLine, text, words[2]);
                    }
                    throw new IllegalArgumentException(file + ":" + headerLine + ": expected 'statement ok' or 'statement error <regex>'");
                }
                case "query" -> {
                    if (words.length < 2) {
                        throw new IllegalArgumentException(file + ":" + headerLine + ": 'query' needs column types");
                    }
                    boolean rowSort = words.length == 3 && words[2].equals("rowsort");
                    yield new Query(headerLine, text, words[1], rowSort, expected);
                }
                case "roundtrip" -> new RoundTrip(headerLine, text.strip());
                case "object" -> new PutObject(headerLine, words.length > 1 ? header.substring("object".length()).strip() : "", sql.isEmpty() ? "x" : text + "\n");
                default -> throw new IllegalArgumentException(file + ":" + headerLine + ": unknown record '" + header + "'");
            };
            if (record.sql().isBlank()) {
                throw new IllegalArgumentException(file + ":" + headerLine + ": record has no SQL");
            }
            records.add(record);
        }
        return new SqlLogicTest(file, records);
    }
}
