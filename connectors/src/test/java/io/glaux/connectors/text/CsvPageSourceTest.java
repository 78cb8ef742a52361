package io.glaux.connectors.text;

import static io.glaux.connectors.line.LineFiles.regular;
import static io.glaux.connectors.line.LineFiles.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvPageSourceTest
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

    private PageSourceFactory factory(String columns, String... keyValues)
    {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableFormats.COLUMNS, columns);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return FormatRegistry.standard(files.store()).factory("csv", properties);
    }

    private static List<ColumnHandle> strings(String... names)
    {
        return java.util.Arrays.stream(names).map(name -> regular(name, Type.VARCHAR)).toList();
    }

    @Test
    void quotingAsOpenCsv()
    {
        Split split = files.put("q/a.csv", String.join("\n",
                "plain,\"quoted, with comma\",\"say \"\"hi\"\"\"",
                "\"esc \\\"q\\\" and \\\\\",x\\y,",
                "a,bc\"d\"ef,g",
                "\"\",,\"  \"",
                "",
                "one") + "\n");
        assertThat(files.read(factory("a,b,c"), split, strings("a", "b", "c"))).containsExactly(
                row("plain", "quoted, with comma", "say \"hi\""),
                // inside quotes \" and \\ are literal; elsewhere the escape character is dropped
                row("esc \"q\" and \\", "xy", ""),
                // a quote in the middle of a field is kept (and protects what follows)
                row("a", "bc\"d\"ef", "g"),
                // empty fields are empty strings, missing ones NULL
                row("", "", "  "),
                row("", null, null),
                row("one", null, null));
    }

    @Test
    void separatorQuoteAndEscapeProperties()
    {
        Split split = files.put("props/a.tsv", "'a\tb'\tc|'d\n");
        assertThat(files.read(factory("x,y", "separatorChar", "\t", "quoteChar", "'", "escapeChar", "|"), split, strings("x", "y")))
                .containsExactly(row("a\tb", "c'd"));
        Split semicolons = files.put("props/b.csv", "1;\"2;3\"\n");
        assertThat(files.read(factory("x,y", "separatorChar", ";"), semicolons, strings("y", "x"))).containsExactly(row("2;3", "1"));
    }

    @Test
    void headerAndNonStringColumns()
    {
        Split split = files.put("types/a.csv", "id,amount,day,at,ok,name\n"
                + "1,\"12.50\",2024-01-31,2024-01-31 10:00:00,true,\"Smith, J\"\n"
                + "2,,,,,\n");
        List<ColumnHandle> columns = List.of(regular("id", Type.BIGINT), regular("amount", new Type.Decimal(10, 2)), regular("day", Type.DATE),
                regular("at", Type.TIMESTAMP), regular("ok", Type.BOOLEAN), regular("name", new Type.Varchar(5)));
        assertThat(files.read(factory("id,amount,day,at,ok,name", "skip.header.line.count", "1"), split, columns)).containsExactly(
                row(1L, new BigDecimal("12.50"), (int) LocalDate.of(2024, 1, 31).toEpochDay(), LocalDateTime.of(2024, 1, 31, 10, 0), true, "Smith"),
                // empty non-string fields are NULL
                row(2L, null, null, null, null, ""));
    }

    @Test
    void valueThatDoesNotParseIsBadData()
    {
        Split split = files.put("bad/a.csv", "id,n\n1,2\n2,two\n");
        assertThatThrownBy(() -> files.read(factory("id,n", "skip.header.line.count", "1"), split, List.of(regular("id", Type.BIGINT), regular("n", Type.INTEGER))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("Malformed CSV data in s3://line-test/bad/a.csv at line 3 (byte offset 9): 'two' is not a valid integer value for column 'n' (field 2)");
    }

    @Test
    void lineEndingInsideQuotesIsBadData()
    {
        Split split = files.put("bad/b.csv", "1,\"multi\nline\"\n");
        assertThatThrownBy(() -> files.read(factory("id,s"), split, strings("id", "s")))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA))
                .hasMessage("Malformed CSV data in s3://line-test/bad/b.csv at line 1 (byte offset 0): the line ends inside a quoted field (a quoted field cannot contain a line break)");
    }

    @Test
    void nestedColumnsAreNotSupported()
    {
        Split split = files.put("nested/a.csv", "1\n");
        assertThatThrownBy(() -> files.read(factory("a"), split, List.of(regular("a", new Type.Array(Type.BIGINT)))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessage("Column 'a' of s3://line-test/nested/a.csv is of type array(bigint): CSV (OpenCSVSerde) columns must be scalar");
    }
}
