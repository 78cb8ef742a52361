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
import java.util.Set;
import java.util.regex.Matcher;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrokPageSourceTest
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

    private static Map<String, String> properties(String format, String columns, String... keyValues)
    {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableFormats.COLUMNS, columns);
        properties.put(GrokFormat.INPUT_FORMAT, format);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    private PageSourceFactory factory(String format, String columns, String... keyValues)
    {
        return FormatRegistry.standard(files.store()).factory("grok", properties(format, columns, keyValues));
    }

    /** Matches {@code text} against a library pattern alone, returning the whole match or null. */
    private static String match(String pattern, String text)
    {
        GrokPatterns.Compiled compiled = GrokPatterns.standard().compile("^%{" + pattern + ":v}$", Set.of("v"), "test");
        Matcher matcher = compiled.pattern().matcher(text);
        return matcher.matches() ? matcher.group(compiled.groups().get("v")[0]) : null;
    }

    @Test
    void libraryPatterns()
    {
        for (String ip : List.of("10.0.0.1", "255.255.255.255", "2001:db8::1", "::1", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.128", "1:2:3:4:5:6:7:8")) {
            assertThat(match("IP", ip)).as(ip).isEqualTo(ip);
        }
        assertThat(match("IPV4", "256.1.1.1")).isNull();
        assertThat(match("IPV4", "1.2.3")).isNull();
        assertThat(match("IPORHOST", "www.example.com")).isEqualTo("www.example.com");
        assertThat(match("HOSTPORT", "db-1.internal:5432")).isEqualTo("db-1.internal:5432");
        assertThat(match("NUMBER", "-12.5")).isEqualTo("-12.5");
        assertThat(match("INT", "x")).isNull();
        assertThat(match("UUID", "123e4567-e89b-12d3-a456-426614174000")).isNotNull();
        assertThat(match("QUOTEDSTRING", "\"say \\\"hi\\\"\"")).isNotNull();
        assertThat(match("QUOTEDSTRING", "\"\"")).isEqualTo("\"\"");
        assertThat(match("HTTPDATE", "10/Oct/2000:13:55:36 -0700")).isNotNull();
        assertThat(match("TIMESTAMP_ISO8601", "2024-03-01T12:34:56.789Z")).isNotNull();
        assertThat(match("TIMESTAMP_ISO8601", "2024-03-01 12:34:56,972")).isNotNull();
        assertThat(match("SYSLOGTIMESTAMP", "Feb  9 07:15:00")).isNotNull();
        assertThat(match("DATE_US", "12/31/2024")).isNotNull();
        assertThat(match("DATE_EU", "31.12.2024")).isNotNull();
        assertThat(match("URI", "https://user@example.com:8443/a/b.html?x=1&y=%20")).isNotNull();
        assertThat(match("URIPATHPARAM", "/search?q=glaux")).isEqualTo("/search?q=glaux");
        assertThat(match("LOGLEVEL", "WARNING")).isEqualTo("WARNING");
        assertThat(match("MAC", "00:1a:2b:3c:4d:5e")).isNotNull();
        assertThat(GrokPatterns.standard().names()).contains("USERNAME", "USER", "INT", "BASE10NUM", "NUMBER", "WORD", "NOTSPACE", "SPACE", "DATA",
                "GREEDYDATA", "QUOTEDSTRING", "UUID", "IP", "IPV4", "IPV6", "HOSTNAME", "IPORHOST", "HOSTPORT", "URIPATH", "URIPARAM", "URIPATHPARAM",
                "URI", "MONTH", "MONTHDAY", "YEAR", "HOUR", "MINUTE", "SECOND", "TIME", "DATE_US", "DATE_EU", "TIMESTAMP_ISO8601", "HTTPDATE",
                "SYSLOGTIMESTAMP", "LOGLEVEL", "COMMONAPACHELOG", "COMBINEDAPACHELOG", "SYSLOGBASE");
    }

    @Test
    void everyLibraryPatternCompiles()
    {
        for (String name : GrokPatterns.standard().names()) {
            assertThat(GrokPatterns.standard().compile("%{" + name + ":x}", Set.of("x"), name).groups()).as(name).containsKey("x");
        }
    }

    @Test
    void combinedApacheLog()
    {
        Split split = files.put("grok/access.log", String.join("\n",
                "192.168.1.20 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" \"Mozilla/4.08\"",
                "2001:db8::7 - - [11/Oct/2000:01:02:03 +0000] \"POST /api/ü HTTP/1.1\" 503 - \"-\" \"curl/8.5.0\"",
                "this line is not an access log",
                ""));
        PageSourceFactory factory = factory("%{COMBINEDAPACHELOG}", "clientip,ident,auth,timestamp,verb,request,httpversion,response,bytes,referrer,agent",
                "timestamp.formats", "dd/MMM/yyyy:HH:mm:ss Z");
        List<ColumnHandle> columns = List.of(regular("clientip", Type.VARCHAR), regular("auth", Type.VARCHAR), regular("timestamp", Type.TIMESTAMP),
                regular("verb", Type.VARCHAR), regular("request", Type.VARCHAR), regular("response", Type.INTEGER), regular("bytes", Type.BIGINT),
                regular("referrer", Type.VARCHAR), regular("agent", Type.VARCHAR));
        assertThat(files.read(factory, split, columns)).containsExactly(
                row("192.168.1.20", "frank", LocalDateTime.of(2000, 10, 10, 20, 55, 36), "GET", "/apache_pb.gif", 200, 2326L,
                        "\"http://www.example.com/start.html\"", "\"Mozilla/4.08\""),
                row("2001:db8::7", "-", LocalDateTime.of(2000, 10, 11, 1, 2, 3), "POST", "/api/ü", 503, null, "\"-\"", "\"curl/8.5.0\""),
                // a line that does not match is a row of NULLs
                row(null, null, null, null, null, null, null, null, null));
    }

    @Test
    void columnsByNameNotByOrder()
    {
        Split split = files.put("grok/kv.log", "GET 404 /missing\n");
        PageSourceFactory factory = factory("%{WORD:method} %{INT:status} %{NOTSPACE:path}", "path,status,method");
        assertThat(files.readLines(factory, split, List.of(regular("status", Type.INTEGER), regular("path", Type.VARCHAR), regular("method", Type.VARCHAR))))
                .containsExactly("404|/missing|GET");
    }

    @Test
    void customAndNestedPatterns()
    {
        // Athena's Postfix example: an unnamed %{SYSLOGBASE} fills the column of that name, and the
        // library's own fields inside it (timestamp, logsource, program, pid) fill theirs
        Split split = files.put("grok/maillog", String.join("\n",
                "Feb  9 07:15:00 m4eastmail postfix/smtpd[19305]: B88C4120838: connect from unknown[192.168.55.4]",
                "Feb  9 07:15:03 m4eastmail postfix/cleanup[22835]: BDC22A77854: message-id=<31221401257553.5004389LCBF@m4eastmail.example.com>",
                ""));
        PageSourceFactory factory = factory("%{SYSLOGBASE} %{POSTFIX_QUEUEID:queue_id}: %{GREEDYDATA:syslog_message}",
                "syslogbase,queue_id,syslog_message,program,pid,logsource",
                GrokFormat.CUSTOM_PATTERNS, "POSTFIX_QUEUEID %{HEXID}\n# comment\n\nHEXID [0-9A-F]{7,12}");
        List<ColumnHandle> columns = List.of(regular("syslogbase", Type.VARCHAR), regular("queue_id", Type.VARCHAR), regular("program", Type.VARCHAR),
                regular("pid", Type.INTEGER), regular("logsource", Type.VARCHAR), regular("syslog_message", Type.VARCHAR));
        assertThat(files.read(factory, split, columns)).containsExactly(
                row("Feb  9 07:15:00 m4eastmail postfix/smtpd[19305]:", "B88C4120838", "postfix/smtpd", 19305, "m4eastmail", "connect from unknown[192.168.55.4]"),
                row("Feb  9 07:15:03 m4eastmail postfix/cleanup[22835]:", "BDC22A77854", "postfix/cleanup", 22835, "m4eastmail",
                        "message-id=<31221401257553.5004389LCBF@m4eastmail.example.com>"));
    }

    @Test
    void inlineNamedGroupsTypeSuffixesAndUnwanted()
    {
        Split split = files.put("grok/inline.log", "id=42 took 1.5s user=bob_1\n");
        PageSourceFactory factory = factory("id=%{INT:request_id:int} took (?<duration_s>[0-9.]+)s user=%{USERNAME:UNWANTED}", "request_id,duration_s");
        assertThat(files.readLines(factory, split, List.of(regular("request_id", Type.BIGINT), regular("duration_s", Type.DOUBLE))))
                .containsExactly("42|1.5");
    }

    @Test
    void firstParticipatingCaptureWins()
    {
        Split split = files.put("grok/alt.log", "a=1\nb=2\n");
        PageSourceFactory factory = factory("^(?:a=%{INT:v}|b=%{INT:v})$", "v");
        assertThat(files.readLines(factory, split, List.of(regular("v", Type.INTEGER)))).containsExactly("1", "2");
    }

    @Test
    void errors()
    {
        assertThatThrownBy(() -> factory("%{IP:client} %{NOPE:x}", "client,x"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Invalid input.format: unknown grok pattern 'NOPE' in input.format; define it in input.grokCustomPatterns");
        assertThatThrownBy(() -> factory("%{A:x}", "x", GrokFormat.CUSTOM_PATTERNS, "A %{B}\nB x%{MISSING}"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Invalid input.format: unknown grok pattern 'MISSING' in grok pattern B; define it in input.grokCustomPatterns");
        assertThatThrownBy(() -> factory("%{A:x}", "x", GrokFormat.CUSTOM_PATTERNS, "A a%{B}\nB b%{A}"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Invalid input.format: grok pattern 'A' refers to itself (A -> B -> A)");
        assertThatThrownBy(() -> factory("%{WORD:x", "x"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageContaining("without a closing '}'");
        assertThatThrownBy(() -> factory("%{WORD:x} (", "x"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageStartingWith("Invalid input.format: once its grok patterns are expanded it is not a valid regular expression");
        assertThatThrownBy(() -> factory("%{WORD:x}", "x", GrokFormat.CUSTOM_PATTERNS, "JUSTANAME"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Invalid input.grokCustomPatterns: line 1 is not 'NAME regex': JUSTANAME");
        assertThatThrownBy(() -> factory("%{WORD:x} %{WORD:y}", "x,z,w"))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Columns 'z', 'w' are not captured in input.format: name a capture after each column, as in %{NOTSPACE:z}");
        assertThatThrownBy(() -> TableFormats.resolve(TableFormats.GROK_SERDE, "", Map.of(), Map.of(), List.of("a")))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessage("Table with SerDe com.amazonaws.glue.serde.GrokSerDe has no 'input.format' SerDe property");
    }

    @Test
    void onlyColumnsAreCaptured()
    {
        GrokFormat format = GrokFormat.fromProperties(properties("%{COMMONAPACHELOG}", "clientip"));
        assertThat(format.regex().split("\\(\\?<grok", -1)).hasSize(2);
    }

    @Test
    void aHostileGrokPatternEndsInTimeWithANamedError()
    {
        String line = "a".repeat(60) + "b";
        Split split = files.put("logs/hostile-grok.log", line + "\n");
        List<ColumnHandle> columns = List.of(LineFiles.regular("x", Type.VARCHAR));
        // RE2 can run this one: linear time, no match
        assertThat(files.readLines(factory("^%{HOSTILE:x}$", "x", GrokFormat.CUSTOM_PATTERNS, "HOSTILE (.*a){20}"), split, columns)).containsExactly("null");
        // a lookahead keeps it in java.util.regex, where it backtracks: stopped by the time bound, naming the property
        long start = System.nanoTime();
        assertThatThrownBy(() -> files.readLines(factory("^%{HOSTILE:x}$", "x", GrokFormat.CUSTOM_PATTERNS, "HOSTILE (?=a)(.*a){20}"), split, columns))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TABLE_PROPERTY))
                .hasMessageContaining("The pattern of input.format took longer than 1000 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(30_000);
    }
}
