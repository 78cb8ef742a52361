package io.glaux.connectors.json;

import static io.glaux.connectors.line.LineFiles.regular;
import static io.glaux.connectors.line.LineFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.compress.CompressionKind;
import io.glaux.connectors.compress.TestingCompression;
import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.format.FormatRegistry;
import io.glaux.connectors.format.PageSourceFactory;
import io.glaux.connectors.format.TableFormats;
import io.glaux.connectors.line.LineFiles;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonPageSourceTest
{
    private LineFiles files;

    @BeforeAll
    void setUp()
            throws Exception
    {
        files = new LineFiles();
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        files.close();
    }

    private PageSourceFactory hive(String... keyValues)
    {
        return factory("hive", keyValues);
    }

    private PageSourceFactory openx(String... keyValues)
    {
        return factory("openx", keyValues);
    }

    private PageSourceFactory factory(String serde, String... keyValues)
    {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableFormats.JSON_SERDE, serde);
        properties.put(TableFormats.COLUMNS, "");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return FormatRegistry.standard(files.store()).factory("json", properties);
    }

    @Test
    void scalarsWithCoercion()
    {
        Split split = files.put("scalars/a.json", String.join("\n",
                "{\"id\": 1, \"Name\": \"alice\", \"score\": 1.5, \"ok\": true, \"amount\": 12.345, \"day\": \"2024-02-29\", \"at\": \"2024-02-29T10:11:12.5Z\", \"small\": 7}",
                // strings to numbers, numbers to strings, integral floats to integers, an unknown key, keys in any case
                "{\"ID\": \"2\", \"name\": 42, \"SCORE\": \"3\", \"ok\": \"FALSE\", \"amount\": \"0.005\", \"day\": null, \"at\": \"2024-03-01 00:00:00\", \"small\": 8.0, \"extra\": {\"x\": [1, 2]}}",
                "",
                "   ",
                // missing keys are NULL, an empty string is NULL for non-string columns
                "{\"id\": 3, \"small\": \"\", \"name\": \"\"}",
                // a repeated key takes its last value
                "{\"id\": 4, \"name\": \"first\", \"name\": \"second\", \"id\": 5}",
                // objects and arrays read as varchar are their JSON text
                "{\"id\": 6, \"name\": {\"a\": [1, \"x\", null]}}"));
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("name", Type.VARCHAR), regular("score", Type.DOUBLE),
                regular("ok", Type.BOOLEAN), regular("amount", new Type.Decimal(6, 2)), regular("day", Type.DATE), regular("at", Type.TIMESTAMP),
                regular("small", Type.TINYINT));
        assertThat(files.read(hive(), split, columns)).containsExactly(
                row(1L, "alice", 1.5, true, new BigDecimal("12.35"), (int) LocalDate.of(2024, 2, 29).toEpochDay(), LocalDateTime.of(2024, 2, 29, 10, 11, 12, 500_000_000), (byte) 7),
                row(2L, "42", 3.0, false, new BigDecimal("0.01"), null, LocalDateTime.of(2024, 3, 1, 0, 0), (byte) 8),
                row(3L, "", null, null, null, null, null, null),
                row(5L, "second", null, null, null, null, null, null),
                row(6L, "{\"a\":[1,\"x\",null]}", null, null, null, null, null, null));
    }

    @Test
    void stringsWithAndWithoutEscapesAndKeysInChangingOrder()
    {
        Split split = files.put("strings/a.json", String.join("\n",
                "{\"id\": 1, \"name\": \"plain\", \"at\": \"2024-02-29 10:11:12\", \"n\": \"17\"}",
                // escapes and non-ASCII text are decoded; keys in another order, some missing
                "{\"name\": \"a\\\"b\\\\c\\u00e9\\n\", \"id\": 2}",
                "{\"n\": \"\", \"name\": \"h\u00e9llo \ud83e\udd89\", \"other\": \"x\", \"id\": 3}",
                // a byte order mark at the start of a later line
                "\ufeff{\"id\": 4, \"name\": \"\", \"at\": \"2024-03-01T00:00:00Z\"}"));
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("name", Type.VARCHAR), regular("at", Type.TIMESTAMP), regular("n", Type.INTEGER));
        assertThat(files.read(hive(), split, columns)).containsExactly(
                row(1L, "plain", LocalDateTime.of(2024, 2, 29, 10, 11, 12), 17),
                row(2L, "a\"b\\c\u00e9\n", null, null),
                row(3L, "h\u00e9llo \ud83e\udd89", null, null),
                row(4L, "", LocalDateTime.of(2024, 3, 1, 0, 0), null));

        Split fraction = files.put("strings/fraction.json", "{\"n\": \"1\"}\n{\"n\": \"1.5\"}");
        assertThatThrownBy(() -> files.read(hive(), fraction, List.of(regular("n", Type.INTEGER))))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("cannot read string \"1.5\" as integer for column 'n'");
    }

    @Test
    void nestedColumns()
    {
        Split split = files.put("nested/a.json", String.join("\n",
                "{\"tags\": [\"a\", null, \"b\"], \"attrs\": {\"k1\": 1, \"k2\": null}, \"req\": {\"Method\": \"GET\", \"headers\": [{\"name\": \"h\", \"value\": \"v\"}], \"ignored\": 1}, \"matrix\": [[1, 2], [], null]}",
                "{\"tags\": [], \"attrs\": {}, \"req\": {}, \"matrix\": null}",
                "{\"tags\": null}"));
        Type header = new Type.Row(List.of(new Type.Field("name", Type.VARCHAR), new Type.Field("value", Type.VARCHAR)));
        Type request = new Type.Row(List.of(new Type.Field("method", Type.VARCHAR), new Type.Field("headers", new Type.Array(header)), new Type.Field("status", Type.INTEGER)));
        List<ColumnHandle> columns = List.of(
                regular("tags", new Type.Array(Type.VARCHAR)),
                regular("attrs", new Type.MapType(Type.VARCHAR, Type.BIGINT)),
                regular("req", request),
                regular("matrix", new Type.Array(new Type.Array(Type.BIGINT))));
        List<List<Object>> rows = files.read(hive(), split, columns);
        assertThat(rows.get(0).get(0)).isEqualTo(Arrays.asList("a", null, "b"));
        assertThat(rows.get(0).get(1)).isEqualTo(List.of(map("key", "k1", "value", 1L), map("key", "k2")));
        assertThat(rows.get(0).get(2)).isEqualTo(map("method", "GET", "headers", List.of(map("name", "h", "value", "v"))));
        assertThat(rows.get(0).get(3)).isEqualTo(Arrays.asList(List.of(1L, 2L), List.of(), null));
        assertThat(rows.get(1)).containsExactly(List.of(), List.of(), Map.of(), null);
        assertThat(rows.get(2)).containsExactly(null, null, null, null);
    }

    private static Map<String, Object> map(Object... keyValues)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void malformedLinesFailWithTheirLineNumber()
    {
        Split split = files.put("malformed/a.json", "{\"id\": 1}\n{\"id\": 2\n{\"id\": 3}\n");
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT));
        assertThatThrownBy(() -> files.read(hive(), split, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessageStartingWith("Malformed JSON data in s3://line-test/malformed/a.json at line 2 (byte offset 10): invalid JSON: Unexpected end-of-input");
        // OpenX without ignore.malformed.json fails too
        assertThatThrownBy(() -> files.read(openx(), split, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessageContaining("at line 2");
        // not an object, trailing garbage
        for (String line : List.of("[1, 2]", "42", "{\"id\": 1} x", "{\"id\": 1}{\"id\": 2}")) {
            Split bad = files.put("malformed/b.json", "{\"id\": 0}\n" + line + "\n");
            assertThatThrownBy(() -> files.read(hive(), bad, columns))
                    .as(line)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                    .hasMessageContaining("s3://line-test/malformed/b.json at line 2 ");
        }
    }

    @Test
    void objectInAnotherFormat()
    {
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT));
        Split parquet = files.put("other/part-0.parquet", "PAR1\u0015\u0000\nrest".getBytes(StandardCharsets.ISO_8859_1));
        // recognized even when malformed lines are ignored
        assertThatThrownBy(() -> files.read(openx("ignore.malformed.json", "true"), parquet, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("s3://line-test/other/part-0.parquet is not a JSON file: it is a Parquet file");
        Split csv = files.put("other/data.csv", "id,name\n1,a\n");
        assertThatThrownBy(() -> files.read(hive(), csv, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessageStartingWith("Malformed JSON data in s3://line-test/other/data.csv at line 1 (byte offset 0): invalid JSON: Unrecognized token 'id'");
    }

    @Test
    void ignoreMalformedJsonGivesRowsOfNulls()
    {
        // the second line is cut after a value was already written: that value must not survive
        Split split = files.put("ignored/a.json", "{\"id\": 1, \"s\": \"a\", \"tags\": [1]}\n{\"id\": 2, \"s\": \"b\", \"tags\": [2, 3], \n[1]\n{\"id\": 4, \"s\": \"d\", \"tags\": [4]}\n");
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("s", Type.VARCHAR), regular("tags", new Type.Array(Type.BIGINT)));
        assertThat(files.read(openx("ignore.malformed.json", "true"), split, columns)).containsExactly(
                row(1L, "a", List.of(1L)),
                row(null, null, null),
                row(null, null, null),
                row(4L, "d", List.of(4L)));
        // Hive's JSON SerDe has no such property: the table still fails
        assertThatThrownBy(() -> files.read(hive("ignore.malformed.json", "true"), split, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA));
    }

    @Test
    void valuesThatCannotBeCoercedAreBadDataEvenWhenIgnoringMalformedJson()
    {
        List<ColumnHandle> columns = List.of(regular("id", Type.INTEGER), regular("ok", Type.BOOLEAN), regular("tags", new Type.Array(Type.VARCHAR)),
                regular("at", Type.TIMESTAMP));
        Map<String, String> cases = Map.of(
                "{\"id\": \"one\"}", "cannot read string \"one\" as integer for column 'id'",
                "{\"id\": 1.5}", "cannot read 1.5 as integer for column 'id' (not an integer)",
                "{\"id\": 3000000000}", "cannot read 3000000000 as integer for column 'id' (out of range)",
                "{\"ok\": \"yes\"}", "cannot read string \"yes\" as boolean for column 'ok'",
                "{\"tags\": \"a\"}", "cannot read string \"a\" as array(varchar) for column 'tags'",
                "{\"id\": {\"a\": 1}}", "cannot read an object as integer for column 'id'",
                "{\"at\": 1700000000000}", "cannot read 1700000000000 as timestamp(3) for column 'at' (a number is a timestamp only with timestamp.formats 'millis')");
        int n = 0;
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            Split split = files.put("coercion/" + n++ + ".json", "{}\n" + entry.getKey() + "\n");
            assertThatThrownBy(() -> files.read(openx("ignore.malformed.json", "true"), split, columns))
                    .as(entry.getKey())
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                    .hasMessage("Malformed JSON data in %s at line 2 (byte offset 3): %s".formatted(split.path(), entry.getValue()));
        }
    }

    @Test
    void openxKeyMappingDotsAndCase()
    {
        Split split = files.put("openx/a.json", "{\"@timestamp\": \"2024-01-01T00:00:00Z\", \"user.name\": \"bob\", \"Level\": \"INFO\", 'quoted': 1, bare: 2}\n");
        List<ColumnHandle> columns = List.of(regular("ts", Type.TIMESTAMP), regular("user_name", Type.VARCHAR), regular("level", Type.VARCHAR),
                regular("quoted", Type.BIGINT), regular("bare", Type.BIGINT));
        assertThat(files.read(openx("mapping.ts", "@timestamp", "dots.in.keys", "true"), split, columns))
                .containsExactly(row(LocalDateTime.of(2024, 1, 1, 0, 0), "bob", "INFO", 1L, 2L));
        assertThat(files.read(openx("mapping.ts", "@timestamp", "case.insensitive", "false"), split, columns))
                .containsExactly(row(LocalDateTime.of(2024, 1, 1, 0, 0), null, null, 1L, 2L));
        // Hive's JSON SerDe: standard JSON only
        assertThatThrownBy(() -> files.read(hive("mapping.ts", "@timestamp"), split, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA));
    }

    @Test
    void timestampFormats()
    {
        Split split = files.put("ts/a.json", "{\"a\": \"01/02/2024 03:04\", \"b\": 1700000000123}\n");
        List<ColumnHandle> columns = List.of(regular("a", Type.TIMESTAMP), regular("b", Type.TIMESTAMP));
        assertThat(files.read(hive("timestamp.formats", "MM/dd/yyyy HH:mm,millis"), split, columns))
                .containsExactly(row(LocalDateTime.of(2024, 1, 2, 3, 4), LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000)));
    }

    @Test
    void countingRowsSkipsBlankLinesWithoutParsing()
    {
        Split split = files.put("count/a.json", "{\"a\": 1}\n\n{\"a\": 2}\n  \n{broken\n");
        assertThat(files.read(hive(), split, List.of())).hasSize(3);
    }

    @Test
    void compressedJsonLines()
    {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            content.append("{\"i\": ").append(i).append(", \"msg\": \"m").append(i % 13).append("\"}\n");
        }
        Split split = files.put("gz/a.json.gz", TestingCompression.compressConcatenated(CompressionKind.GZIP,
                content.substring(0, 1000).getBytes(StandardCharsets.UTF_8), content.substring(1000).getBytes(StandardCharsets.UTF_8)));
        List<List<Object>> rows = files.read(hive(), split, List.of(regular("i", Type.BIGINT), regular("msg", Type.VARCHAR)));
        assertThat(rows).hasSize(10_000);
        assertThat(rows.get(9_999)).containsExactly(9_999L, "m" + 9_999 % 13);
    }
}
