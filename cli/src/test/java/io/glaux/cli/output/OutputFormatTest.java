package io.glaux.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.glaux.cli.protocol.Column;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OutputFormatTest
{
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final List<Column> COLUMNS = List.of(
            column("id", "bigint", "{\"rawType\": \"bigint\", \"arguments\": []}"),
            column("name", "varchar", "{\"rawType\": \"varchar\", \"arguments\": [{\"kind\": \"LONG\", \"value\": 2147483647}]}"),
            column("score", "double", "{\"rawType\": \"double\", \"arguments\": []}"));

    private static final List<List<?>> ROWS = List.of(
            List.of(1, "alice", 3.5),
            Arrays.asList(22, "bob", null),
            Arrays.asList(333, null, 10.25));

    static Column column(String name, String type, String signature)
    {
        try {
            return new Column(name, type, signature == null ? null : JSON.readTree(signature));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String print(OutputFormat format, List<Column> columns, List<? extends List<?>> rows, boolean complete)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        OutputPrinter printer = format.createPrinter(columns, out);
        rows.forEach(printer::printRow);
        printer.finish(complete);
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void alignedTable()
    {
        assertThat(print(OutputFormat.ALIGNED, COLUMNS, ROWS, true)).isEqualTo("""
                 id  | name  | score
                -----+-------+-------
                   1 | alice |   3.5
                  22 | bob   |  NULL
                 333 | NULL  | 10.25
                (3 rows)
                """);
    }

    @Test
    void alignedTableWithoutRowsOrWithOneRow()
    {
        assertThat(print(OutputFormat.ALIGNED, COLUMNS, List.of(), true)).isEqualTo("""
                 id | name | score
                ----+------+-------
                (0 rows)
                """);
        assertThat(print(OutputFormat.ALIGNED, COLUMNS.subList(0, 1), List.of(List.of(7)), true)).isEqualTo("""
                 id
                ----
                  7
                (1 row)
                """);
    }

    @Test
    void alignedTableIncompleteHasNoFooter()
    {
        assertThat(print(OutputFormat.ALIGNED, COLUMNS.subList(0, 1), List.of(List.of(7)), false)).isEqualTo("""
                 id
                ----
                  7
                """);
    }

    @Test
    void alignedMultiLineAndWideValues()
    {
        List<Column> columns = List.of(column("k", "varchar", null), column("v", "varchar", null));
        assertThat(print(OutputFormat.ALIGNED, columns, List.of(List.of("日本", "one\ntwo"), List.of("x", "y")), true)).isEqualTo("""
                  k   |  v
                ------+-----
                 日本 | one
                      | two
                 x    | y
                (2 rows)
                """);
    }

    @Test
    void alignedWindowsKeepWidening()
    {
        List<Column> columns = List.of(column("n", "varchar", null));
        List<List<?>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < AlignedPrinter.WINDOW; i++) {
            rows.add(List.of("a"));
        }
        rows.add(List.of("wider"));
        String[] lines = print(OutputFormat.ALIGNED, columns, rows, true).split("\n");
        assertThat(lines[0]).isEqualTo(" n");
        assertThat(lines[1]).isEqualTo("---");
        assertThat(lines[lines.length - 2]).isEqualTo(" wider");
        assertThat(lines[lines.length - 1]).isEqualTo("(" + (AlignedPrinter.WINDOW + 1) + " rows)");
    }

    @Test
    void vertical()
    {
        assertThat(print(OutputFormat.VERTICAL, COLUMNS, ROWS.subList(0, 2), true)).isEqualTo("""
                -[ RECORD 1 ]-
                id    | 1
                name  | alice
                score | 3.5
                -[ RECORD 2 ]-
                id    | 22
                name  | bob
                score | NULL
                """);
        assertThat(print(OutputFormat.VERTICAL, COLUMNS, List.of(), true)).isEqualTo("(no rows)\n");
    }

    @Test
    void csvQuotesEverythingButNull()
    {
        List<List<?>> rows = List.of(
                List.of(1, "plain", 1.5),
                Arrays.asList(2, "say \"hi\", then\nleave", null),
                List.of(3, "", 0.0));
        assertThat(print(OutputFormat.CSV, COLUMNS, rows, true)).isEqualTo("""
                "1","plain","1.5"
                "2","say ""hi"", then
                leave",
                "3","","0.0"
                """);
    }

    @Test
    void csvHeaderAlsoWithoutRows()
    {
        assertThat(print(OutputFormat.CSV_HEADER, COLUMNS, ROWS.subList(0, 1), true)).isEqualTo("""
                "id","name","score"
                "1","alice","3.5"
                """);
        assertThat(print(OutputFormat.CSV_HEADER, COLUMNS, List.of(), true)).isEqualTo("\"id\",\"name\",\"score\"\n");
        assertThat(print(OutputFormat.CSV, COLUMNS, List.of(), true)).isEmpty();
    }

    @Test
    void tsvEscapes()
    {
        List<List<?>> rows = List.of(Arrays.asList(1, "a\tb\nc\\d\re", null));
        assertThat(print(OutputFormat.TSV, COLUMNS, rows, true)).isEqualTo("1\ta\\tb\\nc\\\\d\\re\t\n");
        assertThat(print(OutputFormat.TSV_HEADER, COLUMNS, rows, true)).isEqualTo("id\tname\tscore\n1\ta\\tb\\nc\\\\d\\re\t\n");
    }

    @Test
    void jsonLines()
            throws Exception
    {
        String output = print(OutputFormat.JSON, COLUMNS, ROWS.subList(0, 2), true);
        String[] lines = output.split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("{\"id\":1,\"name\":\"alice\",\"score\":3.5}");
        JsonNode second = JSON.readTree(lines[1]);
        assertThat(second.get("score").isNull()).isTrue();
        assertThat(second.get("name").asText()).isEqualTo("bob");
    }

    @Test
    void nestedTypes()
    {
        List<Column> columns = List.of(
                column("tags", "array(varchar)", """
                        {"rawType": "array", "arguments": [{"kind": "TYPE", "value": {"rawType": "varchar", "arguments": []}}]}"""),
                column("attrs", "map(varchar, bigint)", """
                        {"rawType": "map", "arguments": [
                          {"kind": "TYPE", "value": {"rawType": "varchar", "arguments": []}},
                          {"kind": "TYPE", "value": {"rawType": "bigint", "arguments": []}}]}"""),
                column("point", "row(x double, y double)", """
                        {"rawType": "row", "arguments": [
                          {"kind": "NAMED_TYPE", "value": {"fieldName": {"name": "x"}, "typeSignature": {"rawType": "double", "arguments": []}}},
                          {"kind": "NAMED_TYPE", "value": {"fieldName": {"name": "y"}, "typeSignature": {"rawType": "double", "arguments": []}}}]}"""),
                column("anon", "row(bigint, varchar)", """
                        {"rawType": "row", "arguments": [
                          {"kind": "NAMED_TYPE", "value": {"typeSignature": {"rawType": "bigint", "arguments": []}}},
                          {"kind": "NAMED_TYPE", "value": {"typeSignature": {"rawType": "varchar", "arguments": []}}}]}"""),
                column("raw", "varbinary", "{\"rawType\": \"varbinary\", \"arguments\": []}"));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("a", 1);
        attrs.put("b", null);
        List<Object> row = List.of(Arrays.asList("x", null), attrs, List.of(1.5, 2.0), List.of(7, "s"), "AAH/");

        assertThat(print(OutputFormat.CSV, columns, List.of(row), true))
                .isEqualTo("\"[x, NULL]\",\"{a=1, b=NULL}\",\"{x=1.5, y=2.0}\",\"{field0=7, field1=s}\",\"00 01 ff\"\n");
        assertThat(print(OutputFormat.JSON, columns, List.of(row), true))
                .isEqualTo("{\"tags\":[\"x\",null],\"attrs\":{\"a\":1,\"b\":null},\"point\":{\"x\":1.5,\"y\":2.0},"
                        + "\"anon\":{\"field0\":7,\"field1\":\"s\"},\"raw\":\"AAH/\"}\n");
    }

    @Test
    void nullFormatPrintsNothing()
    {
        assertThat(print(OutputFormat.NULL, COLUMNS, ROWS, true)).isEmpty();
    }

    @Test
    void columnTypeFallsBackToTheTypeText()
    {
        ColumnType type = ColumnType.of(column("d", "decimal(10,2)", null));
        assertThat(type.rawType()).isEqualTo("decimal");
        assertThat(type.isNumeric()).isTrue();
        assertThat(ColumnType.of(column("t", "timestamp(3) with time zone", null)).isNumeric()).isFalse();
    }

    @Test
    void displayWidth()
    {
        assertThat(DisplayWidth.of("abc")).isEqualTo(3);
        assertThat(DisplayWidth.of("日本語")).isEqualTo(6);
        assertThat(DisplayWidth.of("e\u0301")).isEqualTo(1);
        assertThat(DisplayWidth.of("😀")).isEqualTo(2);
    }
}
