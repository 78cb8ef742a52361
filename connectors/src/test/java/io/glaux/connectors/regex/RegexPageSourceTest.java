package io.glaux.connectors.regex;

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

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegexPageSourceTest
{
    /** The shape of an Apache combined log line. */
    private static final String ACCESS_LOG = "^(\\S+) \\S+ (\\S+) \\[([^\\]]+)\\] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) (\\d+|-)(?: \"([^\"]*)\")?.*$";

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

    private PageSourceFactory factory(String regex, String columns, String... keyValues)
    {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableFormats.COLUMNS, columns);
        properties.put("input.regex", regex);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return FormatRegistry.standard(files.store()).factory("regex", properties);
    }

    @Test
    void accessLog()
    {
        Split split = files.put("logs/access.log", String.join("\n",
                "10.0.0.1 - alice [01/Jan/2024:00:00:01 +0000] \"GET /index.html HTTP/1.1\" 200 5120 \"https://ex.com/\"",
                "10.0.0.2 - - [01/Jan/2024:00:00:02 +0000] \"POST /api/ü HTTP/1.1\" 500 - ",
                "garbage that does not match",
                "") + "\n");
        PageSourceFactory factory = factory(ACCESS_LOG, "host,user,time,method,path,status,bytes,referer",
                "timestamp.formats", "dd/MMM/yyyy:HH:mm:ss Z");
        List<ColumnHandle> columns = List.of(regular("host", Type.VARCHAR), regular("time", Type.TIMESTAMP), regular("path", Type.VARCHAR),
                regular("status", Type.INTEGER), regular("bytes", Type.BIGINT), regular("referer", Type.VARCHAR));
        assertThat(files.read(factory, split, columns)).containsExactly(
                row("10.0.0.1", LocalDateTime.of(2024, 1, 1, 0, 0, 1), "/index.html", 200, 5120L, "https://ex.com/"),
                // "-" is not a number (NULL); the optional group did not take part (NULL)
                row("10.0.0.2", LocalDateTime.of(2024, 1, 1, 0, 0, 2), "/api/ü", 500, null, null),
                // lines that do not match are rows of NULLs
                row(null, null, null, null, null, null),
                row(null, null, null, null, null, null));
    }

    @Test
    void caseInsensitive()
    {
        Split split = files.put("logs/levels.log", "INFO started\nWarn disk\n");
        List<ColumnHandle> columns = List.of(regular("msg", Type.VARCHAR));
        assertThat(files.readLines(factory("(?:info|warn) (.*)", "msg"), split, columns)).containsExactly("null", "null");
        assertThat(files.readLines(factory("(?:info|warn) (.*)", "msg", "input.regex.case.insensitive", "true"), split, columns)).containsExactly("started", "disk");
    }

    @Test
    void badRegexAndTooFewGroups()
    {
        assertThatThrownBy(() -> factory("(unclosed", "a"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageStartingWith("Invalid input.regex: missing closing )");
        Split split = files.put("logs/x.log", "a b\n");
        assertThatThrownBy(() -> files.read(factory("(\\S+) \\S+", "a,b"), split, List.of(regular("b", Type.VARCHAR))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Column 'b' is column 2 of the table, but input.regex has only 1 groups");
    }

    @Test
    void patternsRe2RefusesAreNamedErrors()
    {
        for (String regex : List.of("(a)\\1", "(?=a)(.*)", "(?<!x)(.*)", "(a++)", "(?>a)(.*)", "(a{1001})")) {
            assertThatThrownBy(() -> factory(regex, "a"))
                    .as(regex)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                    .hasMessageStartingWith("Invalid input.regex: ")
                    .hasMessageContaining("RE2");
        }
    }

    @Test
    void aHostilePatternRunsInLinearTime()
    {
        // (a+)+$ backtracks exponentially in java.util.regex on a's followed by a b: here 5,000 a's,
        // fifty lines; RE2 reads each line a bounded number of times
        String line = "a".repeat(5_000) + "b";
        Split split = files.put("logs/hostile.log", (line + "\n").repeat(50) + "aaa\n");
        long start = System.nanoTime();
        List<String> values = files.readLines(factory("((a+)+)$", "x"), split, List.of(regular("x", Type.VARCHAR)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(values).hasSize(51);
        assertThat(values.getLast()).isEqualTo("aaa");
        assertThat(values.subList(0, 50)).containsOnly("null");
        assertThat(millis).as("milliseconds for 250 KB of hostile lines").isLessThan(20_000);
    }
}
