package io.glaux.cli;

import io.glaux.cli.protocol.Column;
import io.glaux.cli.protocol.QueryError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.glaux.cli.CannedTrinoServer.afterCancel;
import static io.glaux.cli.CannedTrinoServer.page;
import static io.glaux.cli.CannedTrinoServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The protocol client against a real HTTPS server serving canned Trino-protocol pages. */
class StatementClientTest
{
    static final String COLUMNS = """
            "columns": [
              {"name": "id", "type": "bigint", "typeSignature": {"rawType": "bigint", "arguments": []}},
              {"name": "name", "type": "varchar", "typeSignature": {"rawType": "varchar",
                "arguments": [{"kind": "LONG", "value": 2147483647}]}}
            ]""";

    private CannedTrinoServer server;
    private HttpTransport transport;
    private final ClientSession session = ClientSession.of("alice", "hive", "default");

    @BeforeEach
    void setUp()
    {
        server = CannedTrinoServer.start();
        transport = transport(new TlsOptions(Optional.of(TestTls.localhost().certificatePem()), false), Duration.ofSeconds(20));
    }

    @AfterEach
    void tearDown()
    {
        transport.close();
        server.close();
    }

    private HttpTransport transport(TlsOptions tls, Duration timeout)
    {
        return HttpTransport.create(server.uri(), tls, Optional.empty(), timeout);
    }

    @Test
    void followsNextUriAcrossPagesRetryingOn503()
    {
        server.on("SELECT id, name FROM t", "q1")
                .then(page("""
                        {"stats": {"state": "QUEUED", "queued": true}}"""))
                .then(status(503, "busy"), status(503, "busy"), page("""
                        {%s, "data": [[1, "a"], [2, "b"]],
                         "stats": {"state": "RUNNING", "totalSplits": 4, "completedSplits": 2, "processedRows": 2}}"""
                        .formatted(COLUMNS)))
                .then(page("""
                        {%s, "data": [[3, null]],
                         "stats": {"state": "FINISHED", "nodes": 2, "totalSplits": 4, "completedSplits": 4,
                                   "processedRows": 3, "processedBytes": 300, "elapsedTimeMillis": 120}}"""
                        .formatted(COLUMNS)));

        try (StatementClient client = StatementClient.execute(transport, session, "SELECT id, name FROM t")) {
            assertThat(client.queryId()).isEqualTo("q1");
            assertThat(client.columns()).isEmpty();
            List<List<Object>> rows = new ArrayList<>();
            client.rows().forEachRemaining(rows::add);

            assertThat(rows).containsExactly(List.of(1, "a"), List.of(2, "b"), Arrays.asList(3, null));
            assertThat(client.columns()).get().extracting(columns -> columns.stream().map(Column::name).toList())
                    .isEqualTo(List.of("id", "name"));
            assertThat(client.isFinished()).isTrue();
            assertThat(client.error()).isEmpty();
            assertThat(client.stats().state()).isEqualTo("FINISHED");
            assertThat(client.stats().nodes()).isEqualTo(2);
            assertThat(client.stats().processedRows()).isEqualTo(3);
        }

        assertThat(server.requests("GET")).extracting(CannedTrinoServer.Recorded::path).containsExactly(
                "/v1/statement/executing/q1/1", "/v1/statement/executing/q1/1", "/v1/statement/executing/q1/1",
                "/v1/statement/executing/q1/2");
        CannedTrinoServer.Recorded post = server.requests("POST").getFirst();
        assertThat(post.path()).isEqualTo("/v1/statement");
        assertThat(post.body()).isEqualTo("SELECT id, name FROM t");
        assertThat(post.header("X-Trino-User")).contains("alice");
        assertThat(post.header("X-Trino-Source")).contains("glaux-cli");
        assertThat(post.header("X-Trino-Catalog")).contains("hive");
        assertThat(post.header("X-Trino-Schema")).contains("default");
        assertThat(post.header("X-Trino-Client-Capabilities")).contains("PARAMETRIC_DATETIME");
        assertThat(post.header("X-Trino-Time-Zone")).isPresent();
        assertThat(post.header("User-Agent")).hasValueSatisfying(agent -> assertThat(agent).startsWith("glaux-cli/"));
    }

    @Test
    void reportsTheQueryError()
    {
        server.on("SELECT x FROM t", "q2")
                .then(page("""
                        {"stats": {"state": "QUEUED"}}"""))
                .then(page("""
                        {"stats": {"state": "FAILED"},
                         "error": {"message": "line 1:8: Column 'x' cannot be resolved", "errorCode": 47,
                                   "errorName": "COLUMN_NOT_FOUND", "errorType": "USER_ERROR",
                                   "errorLocation": {"lineNumber": 1, "columnNumber": 8},
                                   "failureInfo": {"type": "io.glaux.spi.error.GlauxException"}}}"""));

        try (StatementClient client = StatementClient.execute(transport, session, "SELECT x FROM t")) {
            assertThat(client.rows().hasNext()).isFalse();
            assertThat(client.isFinished()).isTrue();
            QueryError error = client.error().orElseThrow();
            assertThat(error.message()).isEqualTo("line 1:8: Column 'x' cannot be resolved");
            assertThat(error.errorName()).isEqualTo("COLUMN_NOT_FOUND");
            assertThat(error.errorType()).isEqualTo("USER_ERROR");
            assertThat(error.errorCode()).isEqualTo(47);
            assertThat(error.errorLocation().lineNumber()).isEqualTo(1);
            assertThat(error.errorLocation().columnNumber()).isEqualTo(8);
        }
    }

    @Test
    void cancelSendsDeleteToNextUriAndStopsReading()
            throws Exception
    {
        server.on("SELECT slow()", "q3")
                .then(page("""
                        {"stats": {"state": "RUNNING"}}"""))
                .then(afterCancel("""
                        {"stats": {"state": "FAILED"}, "error": {"message": "Query was canceled", "errorName": "USER_CANCELED"}}"""));

        try (StatementClient client = StatementClient.execute(transport, session, "SELECT slow()")) {
            Iterator<List<Object>> rows = client.rows();
            CompletableFuture<Boolean> reading = CompletableFuture.supplyAsync(rows::hasNext);
            server.awaitRequest("GET", "/v1/statement/executing/q3/1", Duration.ofSeconds(10));

            client.cancel();

            assertThat(reading.get(5, TimeUnit.SECONDS)).isFalse();
            assertThat(client.isCancelled()).isTrue();
            assertThat(server.requests("DELETE")).extracting(CannedTrinoServer.Recorded::path)
                    .containsExactly("/v1/statement/executing/q3/1");
            client.cancel();
            assertThat(server.requests("DELETE")).hasSize(1);
        }
    }

    @Test
    void closingAnUnfinishedStatementCancelsIt()
    {
        server.on("SELECT 1", "q4")
                .then(page("""
                        {"stats": {"state": "RUNNING"}}"""))
                .then(page("""
                        {"stats": {"state": "FINISHED"}}"""));

        StatementClient client = StatementClient.execute(transport, session, "SELECT 1");
        client.close();

        assertThat(server.requests("DELETE")).extracting(CannedTrinoServer.Recorded::path)
                .containsExactly("/v1/statement/executing/q4/1");
    }

    @Test
    void responseHeadersUpdateTheSession()
    {
        server.on("USE tpch.tiny", "q5")
                .then(page("""
                        {"stats": {"state": "RUNNING"}}"""))
                .then(page("""
                        {"updateType": "USE", "stats": {"state": "FINISHED"}}""",
                        "X-Trino-Set-Catalog: tpch", "X-Trino-Set-Schema: tiny",
                        "X-Trino-Set-Session: query_max_run_time=1h", "X-Trino-Set-Session: note=a%2Cb",
                        "X-Trino-Added-Prepare: q=SELECT+%3F"));

        ClientSession updated;
        try (StatementClient client = StatementClient.execute(transport, session, "USE tpch.tiny")) {
            assertThat(client.rows().hasNext()).isFalse();
            assertThat(client.updateType()).contains("USE");
            updated = client.updateSession(session);
        }

        assertThat(updated.catalog()).contains("tpch");
        assertThat(updated.schema()).contains("tiny");
        assertThat(updated.properties()).isEqualTo(Map.of("query_max_run_time", "1h", "note", "a,b"));
        assertThat(updated.preparedStatements()).isEqualTo(Map.of("q", "SELECT ?"));

        server.on("SELECT 2", "q6").then(page("""
                {"stats": {"state": "FINISHED"}}"""));
        try (StatementClient client = StatementClient.execute(transport, updated, "SELECT 2")) {
            assertThat(client.isFinished()).isTrue();
        }
        CannedTrinoServer.Recorded post = server.requests("POST").getLast();
        assertThat(post.header("X-Trino-Catalog")).contains("tpch");
        assertThat(post.header("X-Trino-Schema")).contains("tiny");
        assertThat(post.header("X-Trino-Session")).contains("query_max_run_time=1h,note=a%2Cb");
        assertThat(post.header("X-Trino-Prepared-Statement")).contains("q=SELECT+%3F");
    }

    @Test
    void unexpectedHttpStatusIsAClientException()
    {
        assertThatThrownBy(() -> StatementClient.execute(transport, session, "SELECT unknown_to_server"))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("no canned response for: SELECT unknown_to_server");
    }

    @Test
    void givesUpOnAPersistent503AfterTheRequestTimeout()
    {
        server.on("SELECT 3", "q7")
                .then(page("""
                        {"stats": {"state": "RUNNING"}}"""))
                .then(status(503, "down"));
        try (HttpTransport impatient = transport(new TlsOptions(Optional.of(TestTls.localhost().certificatePem()), false), Duration.ofMillis(400));
                StatementClient client = StatementClient.execute(impatient, session, "SELECT 3")) {
            assertThatThrownBy(() -> client.rows().hasNext())
                    .isInstanceOf(ClientException.class)
                    .hasMessageContaining("unavailable: HTTP 503");
        }
        assertThat(server.requests("GET").size()).isGreaterThan(1);
    }

    @Test
    void invalidJsonIsAClientException()
    {
        // A page that is JSON but not an object of the protocol: columns as a string.
        server.on("SELECT 5", "q9").then(page("""
                {"columns": "nope"}"""));
        assertThatThrownBy(() -> StatementClient.execute(transport, session, "SELECT 5"))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("not Trino protocol JSON");
    }

    @Test
    void defaultTrustStoreRejectsTheSelfSignedCertificate()
    {
        try (HttpTransport jvmTrust = transport(TlsOptions.defaults(), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> StatementClient.execute(jvmTrust, session, "SELECT 1"))
                    .isInstanceOf(ClientException.class)
                    .hasMessageContaining("TLS handshake with localhost:" + server.uri().getPort() + " failed")
                    .hasMessageContaining("--truststore")
                    .hasMessageContaining("--insecure");
        }
    }

    @Test
    void truststoreChecksTheHostNameAndInsecureDoesNot()
    {
        try (CannedTrinoServer other = new CannedTrinoServer(TestTls.otherHost().serverContext())) {
            other.on("SELECT 1", "q10").then(page("""
                    {"stats": {"state": "FINISHED"}}"""));
            TlsOptions trusting = new TlsOptions(Optional.of(TestTls.otherHost().certificatePem()), false);
            try (HttpTransport checked = HttpTransport.create(other.uri(), trusting, Optional.empty(), Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> StatementClient.execute(checked, session, "SELECT 1"))
                        .isInstanceOf(ClientException.class)
                        .hasMessageContaining("TLS handshake");
            }
            TlsOptions insecure = new TlsOptions(Optional.empty(), true);
            try (HttpTransport unchecked = HttpTransport.create(other.uri(), insecure, Optional.empty(), Duration.ofSeconds(5));
                    StatementClient client = StatementClient.execute(unchecked, session, "SELECT 1")) {
                assertThat(client.isFinished()).isTrue();
                assertThat(client.queryId()).isEqualTo("q10");
            }
        }
    }

    @Test
    void readsCertificatesFromPem()
    {
        assertThat(TlsOptions.readCertificates(TestTls.localhost().certificatePem())).hasSize(1)
                .first().satisfies(certificate -> assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=localhost"));
    }
}
