package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.glaux.coordinator.node.JoinTokens;
import io.glaux.coordinator.node.JoinedNodes;
import io.glaux.coordinator.security.AuthenticationConfig;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.worker.WorkerMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Client authentication with the real Trino JDBC driver (password and access token), query ownership
 * on {@code /v1/*}, and announcements that need a certificate from the cluster CA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAuthentication
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Path directory;
    private TestCluster cluster;
    private RSAKey signingKey;
    private RSAKey foreignKey;

    @BeforeAll
    void start()
            throws Exception
    {
        directory = Files.createTempDirectory("glaux-auth-test");
        Path passwords = directory.resolve("password.db");
        Files.writeString(passwords, """
                alice:%s
                bob:%s
                admin:%s
                """.formatted(hash("alice-secret"), hash("bob-secret"), hash("admin-secret")));
        signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        foreignKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = directory.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(signingKey.toPublicJWK()).toString());
        cluster = TestCluster.withCoordinatorProperties(directory.resolve("cluster"), 1, 0, 1, Map.of(
                AuthenticationConfig.TYPE, "PASSWORD,JWT",
                AuthenticationConfig.PASSWORD_FILE, passwords.toString(),
                AuthenticationConfig.JWT_KEY_FILE, jwks.toString(),
                AuthenticationConfig.JWT_REQUIRED_ISSUER, "https://idp.example.com",
                AuthenticationConfig.ALLOW_ANONYMOUS, "false",
                AuthenticationConfig.ADMIN_USERS, "admin"));
    }

    @AfterAll
    void stop()
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jdbcPasswordAndAccessTokenAuthenticate()
            throws Exception
    {
        assertThat(queryUser(connect("alice", "alice-secret", null))).isEqualTo("alice");
        assertThat(queryUser(connect("whatever", null, token("carol", signingKey, Instant.now().plusSeconds(300))))).isEqualTo("carol");

        assertThatThrownBy(() -> queryUser(connect("alice", "wrong", null)))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Authentication failed");
        assertThatThrownBy(() -> queryUser(connect("nobody", "alice-secret", null)))
                .hasMessageContaining("Authentication failed");
        assertThatThrownBy(() -> queryUser(connect("alice", null, null)))
                .hasMessageContaining("Authentication failed");
        assertThatThrownBy(() -> queryUser(connect("x", null, token("carol", signingKey, Instant.now().minusSeconds(300)))))
                .hasMessageContaining("Authentication failed");
        assertThatThrownBy(() -> queryUser(connect("x", null, token("carol", foreignKey, Instant.now().plusSeconds(300)))))
                .hasMessageContaining("Authentication failed");
        // and the server is fine afterwards
        assertThat(queryUser(connect("bob", "bob-secret", null))).isEqualTo("bob");
    }

    @Test
    void theConsoleSignsInWithAPasswordAndOut()
            throws Exception
    {
        ConsoleScript.requireBrowser();
        JsonNode result = ConsoleScript.run(cluster.serverUri(), "signIn", "alice|alice-secret");
        assertThat(result.get("loginUrl").asText()).isEqualTo("/ui/login");
        assertThat(result.get("wrongPassword").asText()).isEqualTo("Wrong user or password.");
        assertThat(result.get("shownUser").asText()).isEqualTo("alice");
        assertThat(result.get("userReadOnly").asBoolean()).isTrue();
        assertThat(result.get("rows").toString()).isEqualTo("[[\"signed-in\"]]");
        assertThat(result.get("whoami").get("user").asText()).isEqualTo("alice");
        assertThat(result.get("whoami").get("authentication").asText()).isEqualTo("password");
        assertThat(result.get("afterSignOut").asInt()).isEqualTo(401);
    }

    @Test
    void aForgedOrExpiredConsoleCookieIsNotASignIn()
            throws Exception
    {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(null)).build();
        HttpResponse<String> forged = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/console/whoami"))
                .header("Cookie", "glaux_console=YWRtaW4.99999999999.c2lnbmF0dXJl").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(MAPPER.readTree(forged.body()).get("authentication").asText()).isEqualTo("password");

        HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/console/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"bob\", \"password\": \"alice-secret\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> signIn = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/console/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"bob\", \"password\": \"bob-secret\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(200);
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("Secure").contains("SameSite=Strict").doesNotContain("bob-secret");
        String value = cookie.substring(0, cookie.indexOf(';'));
        HttpResponse<String> whoami = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/console/whoami"))
                .header("Cookie", value).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(MAPPER.readTree(whoami.body()).get("user").asText()).isEqualTo("bob");
        // the signed user cannot be swapped: the signature covers it
        String swapped = "glaux_console=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + value.substring(value.indexOf('.'));
        HttpResponse<String> impersonated = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/console/whoami"))
                .header("Cookie", swapped).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(impersonated.statusCode()).isEqualTo(401);
    }

    @Test
    void aClaimedUserHeaderCannotImpersonateAndQueriesAreVisibleToTheirOwner()
            throws Exception
    {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(null)).build();
        // alice claims to be bob: the query runs, and is recorded, as alice
        HttpResponse<String> submitted = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/statement"))
                .header("Authorization", basic("alice", "alice-secret"))
                .header("X-Trino-User", "bob")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 42 AS marker_" + System.nanoTime()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).isEqualTo(200);
        JsonNode results = MAPPER.readTree(submitted.body());
        String queryId = results.get("id").asText();
        String nextUri = results.get("nextUri").asText();

        JsonNode aliceQueries = MAPPER.readTree(get(client, "/v1/query", basic("alice", "alice-secret")).body());
        JsonNode mine = find(aliceQueries, queryId);
        assertThat(mine).isNotNull();
        assertThat(mine.get("user").asText()).isEqualTo("alice");
        assertThat(find(MAPPER.readTree(get(client, "/v1/query", basic("bob", "bob-secret")).body()), queryId)).isNull();
        assertThat(find(MAPPER.readTree(get(client, "/v1/query", basic("admin", "admin-secret")).body()), queryId)).isNotNull();

        // bob can neither read its results nor cancel it, even knowing the URI
        HttpResponse<String> bobReads = client.send(HttpRequest.newBuilder(URI.create(nextUri)).header("Authorization", basic("bob", "bob-secret")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bobReads.statusCode()).isEqualTo(403);
        assertThat(bobReads.body()).contains("Access Denied").contains(queryId);
        HttpResponse<String> bobCancels = client.send(HttpRequest.newBuilder(URI.create(nextUri)).header("Authorization", basic("bob", "bob-secret")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bobCancels.statusCode()).isEqualTo(403);
        HttpResponse<String> aliceReads = client.send(HttpRequest.newBuilder(URI.create(nextUri)).header("Authorization", basic("alice", "alice-secret")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(aliceReads.statusCode()).isEqualTo(200);

        // system.runtime.queries: the same rule as /v1/query (the SQL of another user's query only for admins)
        String lookup = "SELECT count(*) FROM system.runtime.queries WHERE query_id = '" + queryId + "'";
        assertThat(count(connect("alice", "alice-secret", null), lookup)).isEqualTo(1);
        assertThat(count(connect("bob", "bob-secret", null), lookup)).isZero();
        assertThat(count(connect("admin", "admin-secret", null), lookup)).isEqualTo(1);

        // no credentials: 401 with a challenge per method, and no query list
        HttpResponse<String> anonymous = get(client, "/v1/query", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"Glaux\"", "Bearer realm=\"Glaux\", token_type=\"JWT\"");
        // the console page itself holds no data: it loads, and its API calls need a sign-in
        // (404 when the build left the console out, -Dskip.npm)
        assertThat(get(client, "/ui/", null).statusCode()).isIn(200, 404);
        assertThat(get(client, "/v1/console/history", null).statusCode()).isEqualTo(401);
        assertThat(get(client, "/v1/info", null).statusCode()).isEqualTo(200);
    }

    @Test
    void announcementsNeedAClusterCertificate(@TempDir Path rogueDirectory)
            throws Exception
    {
        String body = "{\"nodeId\":\"rogue\",\"flightUri\":\"grpc+tls://127.0.0.1:1\"}";
        List<String> before = workerIds();
        assertThat(before).isNotEmpty();

        // no client certificate
        HttpClient noCertificate = HttpClient.newBuilder().sslContext(trusting(null)).build();
        HttpResponse<String> refused = noCertificate.send(announcement("rogue", body), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("client certificate issued by the cluster CA");

        // a certificate from another CA: the handshake fails, or the request is refused
        TlsMaterial rogue = TlsMaterial.loadOrCreate(rogueDirectory, "rogue", List.of());
        HttpClient foreign = HttpClient.newBuilder().sslContext(trusting(rogue)).build();
        try {
            HttpResponse<String> answer = foreign.send(announcement("rogue", body), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(403);
        }
        catch (IOException e) {
            // bad_certificate alert from the coordinator
        }
        assertThat(workerIds()).isEqualTo(before);

        // a certificate from the cluster CA announces only the node it names: the coordinator's cannot
        // announce (or replace) another node
        HttpClient other = HttpClient.newBuilder().sslContext(cluster.coordinator().tls().clientSslContext()).build();
        HttpResponse<String> impersonating = other.send(announcement("worker-1", "{\"nodeId\":\"worker-1\",\"flightUri\":\"grpc+tls://127.0.0.1:1\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(impersonating.statusCode()).isEqualTo(403);
        assertThat(impersonating.body()).isEqualTo("The certificate of node coordinator cannot announce node worker-1");
        HttpResponse<String> withdrawing = other.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/announcement/worker-1")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withdrawing.statusCode()).isEqualTo(403);
        assertThat(workerIds()).isEqualTo(before);
        assertThat(cluster.coordinator().nodeManager().activeWorkers()).extracting(node -> node.flightUri().toString())
                .doesNotContain("grpc+tls://127.0.0.1:1");

        // a certificate issued to extra-node announces extra-node (as the workers' own announcements do)
        TlsMaterial member = TlsMaterial.loadOrCreate(cluster.coordinator().tls().directory(), "extra-node", List.of());
        HttpClient memberClient = HttpClient.newBuilder().sslContext(trusting(member)).build();
        HttpResponse<String> accepted = memberClient.send(announcement("extra-node", "{\"nodeId\":\"extra-node\",\"flightUri\":\"grpc+tls://127.0.0.1:1\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        HttpResponse<String> withdrawn = memberClient.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/announcement/extra-node")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withdrawn.statusCode()).isEqualTo(204);
    }

    @Test
    void theWorkerJoinedWithATokenAndHoldsNoCaKey()
            throws Exception
    {
        WorkerMain.Handle worker = cluster.workers().getFirst();
        Path workerTls = worker.tls().directory();
        Path coordinatorTls = cluster.coordinator().tls().directory();
        assertThat(workerTls).isNotEqualTo(coordinatorTls);
        assertThat(TlsMaterial.holdsCaKey(coordinatorTls)).isTrue();
        String caKey = Files.readString(coordinatorTls.resolve("ca-key.pem"));
        // on the worker's disk: its own key (owner-only), its certificate and the CA certificate, no CA key
        try (var files = Files.list(workerTls)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = Files.readString(file);
                assertThat(content).as(file.toString()).doesNotContain(caKey.lines().skip(1).findFirst().orElseThrow());
                if (content.contains("PRIVATE KEY")) {
                    assertThat(file.getFileName().toString()).isEqualTo("worker-1-key.pem");
                    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
                }
            }
        }
        assertThat(workerTls.resolve("ca-key.pem")).doesNotExist();
        // its certificate names it and comes from the cluster CA; the key in memory is the node's, not the CA's
        assertThat(worker.tls().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=worker-1,O=Glaux");
        worker.tls().certificate().verify(cluster.coordinator().tls().caCertificateValue().getPublicKey());
        assertThat(worker.tls().certificate().getPublicKey()).isNotEqualTo(cluster.coordinator().tls().caCertificateValue().getPublicKey());
        assertThat(worker.tls().certificate().getBasicConstraints()).isEqualTo(-1);
        // and it announced with that certificate (mutual TLS)
        assertThat(workerIds()).contains("worker-1");
    }

    @Test
    void joinTokensAreOneTimeExpiringAndUnforgeable(@TempDir Path scratch)
            throws Exception
    {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(null)).build();
        // only admins mint tokens
        HttpResponse<String> denied = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/node/join-token?validity=10m"))
                .header("Authorization", basic("alice", "alice-secret")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(MAPPER.readTree(denied.body()).get("errorName").asText()).isEqualTo("ACCESS_DENIED");
        HttpResponse<String> minted = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/node/join-token?validity=10m"))
                .header("Authorization", basic("admin", "admin-secret")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(minted.statusCode()).isEqualTo(200);
        String token = MAPPER.readTree(minted.body()).get("token").asText();
        assertThat(token).matches("glaux-join\\.[0-9a-f]{8}\\.[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}");
        assertThat(token).endsWith(TlsMaterial.caPin(cluster.coordinator().tls().caCertificateValue()).substring("sha256:".length()));

        // a valid token joins once
        joinAndLeave("joiner-1", token);
        // reused
        assertJoinRefused("joiner-2", token, "was already used");

        // forged: the right id with another secret; the real token still works afterwards
        String fresh = cluster.coordinator().joinTokens().mint(Duration.ofMinutes(10), 1, java.util.Optional.empty()).token();
        String[] parts = fresh.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + "0".repeat(32) + "." + parts[3];
        assertJoinRefused("joiner-3", forged, "is not valid on this coordinator");
        joinAndLeave("joiner-3", fresh);

        // expired
        io.glaux.coordinator.node.JoinTokens.Minted shortLived = cluster.coordinator().joinTokens().mint(Duration.ofMillis(1), 1, java.util.Optional.empty());
        while (!Instant.now().isAfter(shortLived.expires())) {
            Thread.onSpinWait();
        }
        assertJoinRefused("joiner-4", shortLived.token(), "expired at");

        // minted for another node
        String bound = cluster.coordinator().joinTokens().mint(Duration.ofMinutes(10), 1, java.util.Optional.of("joiner-5")).token();
        assertJoinRefused("joiner-6", bound, "was minted for node joiner-5, not joiner-6");

        // malformed, sent straight to the coordinator: a coded JSON error
        HttpResponse<String> malformed = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/node/join"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"hello\", \"nodeId\": \"joiner-7\", \"hostNames\": [], "
                        + "\"csr\": \"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----\\n\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(403);
        JsonNode error = MAPPER.readTree(malformed.body());
        assertThat(error.get("errorName").asText()).isEqualTo("INVALID_JOIN_TOKEN");
        assertThat(error.get("errorCode").asInt()).isEqualTo(io.glaux.spi.error.ErrorCode.INVALID_JOIN_TOKEN.code());
        // the token of another cluster: the worker does not trust this coordinator (its CA hash differs)
        String otherCluster = parts[0] + "." + parts[1] + "." + parts[2] + "." + "A".repeat(43);
        assertThatThrownBy(() -> WorkerMain.start(joinerProperties("joiner-8", otherCluster)))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> assertThat(e.getMessage()).contains("cannot join"));

        // the coordinator is fine: its worker is still there and queries run
        assertThat(workerIds()).contains("worker-1");
        assertThat(queryUser(connect("alice", "alice-secret", null))).isEqualTo("alice");
    }

    @Test
    void aJoinTokenCannotTakeOverAnotherNodesIdentity(@TempDir Path scratch)
            throws Exception
    {
        JoinTokens.Minted shared = cluster.coordinator().joinTokens().mint(Duration.ofMinutes(10), 3, java.util.Optional.empty());
        // worker-1 joined and runs: the shared token cannot get a certificate for its id with another key
        Properties impostor = joinerProperties("worker-1", shared.token());
        impostor.setProperty("tls.dir", scratch.resolve("impostor-tls").toString());
        impostor.setProperty("node.data-dir", scratch.resolve("impostor-data").toString());
        assertThatThrownBy(() -> WorkerMain.start(impostor))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("node worker-1 has already joined with another key");
                });
        assertThat(scratch.resolve("impostor-tls").resolve("worker-1.pem")).doesNotExist();
        // nor a certificate whose host names hold another node's id
        Properties aliased = joinerProperties("joiner-20", shared.token());
        aliased.setProperty("tls.extra-host-names", "joiner-20.example,worker-1");
        assertThatThrownBy(() -> WorkerMain.start(aliased))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("the host name worker-1, which is another node's id");
                });
        // refused joins did not use the token up
        assertThat(cluster.coordinator().joinTokens().usesLeft(shared.id())).contains(3);
        joinAndLeave("joiner-20", shared.token());
        assertThat(cluster.coordinator().joinedNodes().get("joiner-20")).isPresent();
        // joiner-20 left; its id stays its key's: a new key (another disk) cannot join as it
        Properties again = joinerProperties("joiner-20", shared.token());
        again.setProperty("tls.dir", scratch.resolve("again-tls").toString());
        assertThatThrownBy(() -> WorkerMain.start(again))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> assertThat(e.getMessage()).contains("has already joined with another key"));
        assertThat(cluster.coordinator().joinTokens().usesLeft(shared.id())).contains(2);
        // the coordinator keeps the record next to the CA, so a restart does not forget it
        assertThat(Files.readString(cluster.coordinator().tls().directory().resolve(JoinedNodes.FILE_NAME))).contains("joiner-20", "worker-1");
        assertThat(workerIds()).contains("worker-1");
    }

    @Test
    void aRevokedNodeCanNoLongerAnnounceConnectOrJoin()
            throws Exception
    {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(null)).build();
        JoinTokens.Minted token = cluster.coordinator().joinTokens().mint(Duration.ofMinutes(10), 2, java.util.Optional.empty());
        WorkerMain.Handle revoked = WorkerMain.start(joinerProperties("joiner-30", token.token()));
        try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!workerIds().contains("joiner-30")) {
                assertThat(System.nanoTime()).as("announced").isLessThan(deadline);
                Thread.onSpinWait();
            }
            WorkerMain.Handle worker = cluster.workers().getFirst();
            try (io.glaux.engine.exchange.WorkerClient toWorker = new io.glaux.engine.exchange.WorkerClient(worker.flightUri(), revoked.tls(), allocator, worker.nodeId())) {
                assertThat(toWorker.ping(Duration.ofSeconds(10))).as("before the revocation, it calls other workers").isTrue();
            }

            // only admins revoke
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/node/revoke?node=joiner-30"))
                    .header("Authorization", basic("alice", "alice-secret")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(403);
            HttpResponse<String> done = client.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/node/revoke?node=joiner-30"))
                    .header("Authorization", basic("admin", "admin-secret")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(MAPPER.readTree(done.body()).get("nodeId").asText()).isEqualTo("joiner-30");
            assertThat(Files.readString(cluster.coordinator().tls().directory().resolve(io.glaux.coordinator.node.Revocations.FILE_NAME))).contains("joiner-30");

            // its announcements are refused, with its own (valid, CA-signed) certificate
            HttpClient asRevoked = HttpClient.newBuilder().sslContext(revoked.tls().clientSslContext()).build();
            HttpResponse<String> announced = asRevoked.send(announcement("joiner-30", "{\"nodeId\": \"joiner-30\", \"flightUri\": \"" + revoked.flightUri() + "\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(announced.statusCode()).isEqualTo(403);
            assertThat(announced.body()).contains("The certificate of node joiner-30 is revoked");
            assertThat(workerIds()).doesNotContain("joiner-30");

            // the coordinator no longer connects to it
            try (io.glaux.engine.exchange.WorkerClient toRevoked = new io.glaux.engine.exchange.WorkerClient(revoked.flightUri(), cluster.coordinator().tls(), allocator,
                    "joiner-30", cluster.coordinator().revocations().list())) {
                assertThat(toRevoked.ping(Duration.ofSeconds(10))).isFalse();
            }
            // other workers learn the revocation with the answer to their next announcement, and then refuse its calls
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!worker.server().revocations().snapshot().nodes().containsKey("joiner-30")) {
                assertThat(System.nanoTime()).as("worker-1 learns the revocation").isLessThan(deadline);
                Thread.onSpinWait();
            }
            try (io.glaux.engine.exchange.WorkerClient toWorker = new io.glaux.engine.exchange.WorkerClient(worker.flightUri(), revoked.tls(), allocator, worker.nodeId())) {
                assertThat(toWorker.ping(Duration.ofSeconds(10))).as("a revoked node's call to a worker").isFalse();
            }
            try (io.glaux.engine.exchange.WorkerClient fromWorker = new io.glaux.engine.exchange.WorkerClient(revoked.flightUri(), worker.tls(), allocator,
                    "joiner-30", worker.server().revocations())) {
                assertThat(fromWorker.ping(Duration.ofSeconds(10))).as("a worker's call to a revoked node").isFalse();
            }
        }
        finally {
            revoked.close();
        }
        // nor can it join again, even with a valid token and a new key
        Properties again = joinerProperties("joiner-30", token.token());
        again.setProperty("tls.dir", cluster.dataDir().resolve("joiner-30-again").toString());
        assertThatThrownBy(() -> WorkerMain.start(again))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("node joiner-30 was revoked at");
                });
        // the cluster goes on
        assertThat(workerIds()).contains("worker-1");
        assertThat(queryUser(connect("alice", "alice-secret", null))).isEqualTo("alice");
    }

    @Test
    void aJoinedWorkerRenewsItsCertificateWithTheCurrentOne()
            throws Exception
    {
        String token = cluster.coordinator().joinTokens().mint(Duration.ofMinutes(10), 1, java.util.Optional.of("joiner-40")).token();
        Properties properties = joinerProperties("joiner-40", token);
        java.math.BigInteger firstSerial;
        WorkerMain.Handle first = WorkerMain.start(properties);
        try {
            firstSerial = first.tls().certificate().getSerialNumber();
        }
        finally {
            first.close();
        }
        // started again wanting a host name its certificate lacks, without a token: it renews with its current certificate
        properties.remove("tls.join-token");
        properties.setProperty("tls.extra-host-names", "joiner-40.example");
        WorkerMain.Handle renewed = WorkerMain.start(properties);
        try {
            java.security.cert.X509Certificate certificate = renewed.tls().certificate();
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=joiner-40,O=Glaux");
            assertThat(certificate.getSerialNumber()).isNotEqualTo(firstSerial);
            assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))).toList()).contains("joiner-40.example");
            certificate.verify(cluster.coordinator().tls().caCertificateValue().getPublicKey());
            assertThat(cluster.coordinator().joinedNodes().get("joiner-40")).hasValueSatisfying(joined ->
                    assertThat(joined.serial()).isEqualTo(certificate.getSerialNumber().toString(16)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!workerIds().contains("joiner-40")) {
                assertThat(System.nanoTime()).as("announced with the renewed certificate").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        finally {
            renewed.shutdownGracefully();
            renewed.close();
        }
        // without a node certificate there is nothing to renew
        HttpClient anonymous = HttpClient.newBuilder().sslContext(trusting(null)).build();
        HttpResponse<String> refused = anonymous.send(HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/node/renew"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"hostNames\": [], \"csr\": \"\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(MAPPER.readTree(refused.body()).get("errorName").asText()).isEqualTo("ACCESS_DENIED");
    }

    private void joinAndLeave(String nodeId, String token)
            throws Exception
    {
        WorkerMain.Handle joined = WorkerMain.start(joinerProperties(nodeId, token));
        try {
            assertThat(joined.tls().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=" + nodeId + ",O=Glaux");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!workerIds().contains(nodeId)) {
                assertThat(System.nanoTime()).as("announced").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        finally {
            joined.shutdownGracefully();
            joined.close();
        }
        assertThat(workerIds()).doesNotContain(nodeId);
    }

    private void assertJoinRefused(String nodeId, String token, String reason)
    {
        Properties properties = joinerProperties(nodeId, token);
        assertThatThrownBy(() -> WorkerMain.start(properties))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.INVALID_JOIN_TOKEN);
                    assertThat(e.getMessage()).contains(reason).doesNotContain(token.split("\\.")[2]);
                });
        // nothing was written: no key, no certificate
        assertThat(Path.of(properties.getProperty("tls.dir")).resolve(nodeId + ".pem")).doesNotExist();
    }

    private Properties joinerProperties(String nodeId, String token)
    {
        Properties properties = cluster.workerProperties(nodeId);
        properties.setProperty("tls.join-token", token);
        return properties;
    }

    private HttpRequest announcement(String nodeId, String body)
    {
        return HttpRequest.newBuilder(URI.create(cluster.serverUri() + "/v1/announcement/" + nodeId))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
    }

    private List<String> workerIds()
    {
        return cluster.coordinator().nodeManager().activeWorkers().stream().map(node -> node.nodeId()).sorted().toList();
    }

    private HttpResponse<String> get(HttpClient client, String path, String authorization)
            throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.serverUri() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode find(JsonNode queries, String queryId)
    {
        for (JsonNode query : queries) {
            if (query.get("queryId").asText().equals(queryId)) {
                return query;
            }
        }
        return null;
    }

    private Connection connect(String user, String password, String accessToken)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        if (accessToken != null) {
            properties.setProperty("accessToken", accessToken);
        }
        return DriverManager.getConnection(cluster.jdbcUrl(), properties);
    }

    private static long count(Connection connection, String sql)
            throws SQLException
    {
        try (connection; Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    /** Runs a query and returns the user the server recorded for it. */
    private String queryUser(Connection connection)
            throws Exception
    {
        try (connection; Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(1);
            String queryId = rows.unwrap(io.trino.jdbc.TrinoResultSet.class).getQueryId();
            return cluster.coordinator().queryManager().get(queryId).orElseThrow().session().user();
        }
    }

    private static String token(String subject, RSAKey key, Instant expiry)
            throws Exception
    {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().subject(subject).issuer("https://idp.example.com").expirationTime(Date.from(expiry)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String hash(String password)
    {
        return BCrypt.withDefaults().hashToString(10, password.toCharArray());
    }

    private static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Trusts the cluster CA; presents {@code identity}'s certificate when not null. */
    private SSLContext trusting(TlsMaterial identity)
            throws Exception
    {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(cluster.coordinator().tls().trustStore());
        KeyManagerFactory keys = null;
        if (identity != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity.keyStore(new char[0]), new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
