package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Header injection: CR, LF and other control characters, raw or url-encoded, and oversized values in
 * X-Trino-* headers get a coded answer ({@code INVALID_REQUEST_HEADER}), run nothing, and leave the
 * coordinator serving the next query. Sent over a raw TLS socket, since HTTP clients refuse to send
 * such headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestHeaderInjection
{
    private TestCluster cluster;
    private SSLContext tls;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(cluster.coordinator().tls().trustStore());
        tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
    }

    @Test
    void rawLineBreaksAndControlCharactersInAHeaderAreRefused()
            throws Exception
    {
        int queriesBefore = cluster.coordinator().queryManager().all().size();
        // a bare CR inside a value, NUL and ESC: the HTTP parser refuses the request, with the code
        for (String user : new String[] {"alice\rX-Trino-Role: admin", "al\u0000ice", "al\u001bice"}) {
            String answer = post("X-Trino-User: " + user + "\r\n", "SELECT 1");
            assertThat(answer).as(user).startsWith("HTTP/1.1 400").containsPattern("INVALID_REQUEST_HEADER: Malformed request \\((Illegal character|Bad EOL)");
        }
        assertThat(cluster.coordinator().queryManager().all()).hasSize(queriesBefore);
        // a bare LF ends the header line (RFC 9112 lets a server accept it as a line end): what follows is
        // another header of the client's own request, and nothing with a line break reaches the query
        String split = post("X-Trino-User: alice\nX-Trino-Source: injected\r\n", "SELECT 1");
        assertThat(split).startsWith("HTTP/1.1 200");
        String queryId = split.substring(split.indexOf("\"id\":\"") + 6, split.indexOf('"', split.indexOf("\"id\":\"") + 6));
        assertThat(cluster.coordinator().queryManager().get(queryId).orElseThrow().session().user()).isEqualTo("alice");
        assertHealthy();
    }

    @Test
    void encodedLineBreaksInSessionAndTagsAreRefused()
            throws Exception
    {
        String session = post("X-Trino-User: alice\r\nX-Trino-Session: query_max_run_time=1h%0D%0ASet-Cookie%3A%20x%3D1\r\n", "SELECT 1");
        assertThat(session).startsWith("HTTP/1.1 400")
                .contains("INVALID_REQUEST_HEADER: Invalid header X-Trino-Session: the decoded value of query_max_run_time holds the control character U+000D");
        String name = post("X-Trino-User: alice\r\nX-Trino-Prepared-Statement: evil%0Aname=SELECT%201\r\n", "EXECUTE evil");
        assertThat(name).startsWith("HTTP/1.1 400").contains("a decoded name holds the control character U+000A");
        String tags = post("X-Trino-User: alice\r\nX-Trino-Client-Tags: a,\u0007b\r\n", "SELECT 1");
        assertThat(tags).startsWith("HTTP/1.1 400").contains("INVALID_REQUEST_HEADER: Malformed request (Illegal character CNTL=0x7)");
        String encodedTag = post("X-Trino-User: alice\r\nX-Trino-Extra-Credential: key=a%1Bb\r\n", "SELECT 1");
        assertThat(encodedTag).startsWith("HTTP/1.1 400").contains("INVALID_REQUEST_HEADER: Invalid header X-Trino-Extra-Credential: the decoded value of key holds the control character U+001B");
        // a prepared statement's SQL may span lines
        String prepared = post("X-Trino-User: alice\r\nX-Trino-Prepared-Statement: two_lines=SELECT%0A%20%202\r\n", "EXECUTE two_lines");
        assertThat(prepared).startsWith("HTTP/1.1 200");
        assertHealthy();
    }

    @Test
    void oversizedValuesAreRefused()
            throws Exception
    {
        String user = post("X-Trino-User: " + "u".repeat(5000) + "\r\n", "SELECT 1");
        assertThat(user).startsWith("HTTP/1.1 400")
                .contains("INVALID_REQUEST_HEADER: Invalid header X-Trino-User: its value of 5000 characters is longer than the 1024 allowed");
        // larger than Jetty reads at all: refused by the parser, with the same code
        String huge = post("X-Trino-User: alice\r\nX-Trino-Client-Info: " + "i".repeat(16_000) + "\r\n", "SELECT 1");
        assertThat(huge).startsWith("HTTP/1.1 431").contains("INVALID_REQUEST_HEADER: Request headers are larger than the coordinator accepts");
        assertHealthy();
    }

    private String post(String headers, String sql)
            throws IOException
    {
        byte[] body = sql.getBytes(StandardCharsets.UTF_8);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", cluster.coordinator().httpsPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String request = "POST /v1/statement HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: text/plain\r\n"
                    + headers + "Content-Length: " + body.length + "\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                // the server may reset after answering a request it refused to read whole
                return "connection ended: " + e.getMessage();
            }
        }
    }

    private void assertHealthy()
            throws Exception
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM access_logs")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isPositive();
        }
    }
}
