package io.glaux.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.engine.exchange.WorkerClient;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestWorkerMain
{
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown()
            throws Exception
    {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    record Announcement(String method, String path, JsonNode body, String clientSubject) {}

    /** A stand-in coordinator: HTTPS with required client certificates from the cluster CA. */
    private BlockingQueue<Announcement> startCoordinator(TlsMaterial tls, int port)
            throws IOException
    {
        BlockingQueue<Announcement> announcements = new LinkedBlockingQueue<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        SSLContext context = tls.serverSslContext();
        server.setHttpsConfigurator(new HttpsConfigurator(context)
        {
            @Override
            public void configure(HttpsParameters params)
            {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        ObjectMapper json = new ObjectMapper();
        server.createContext("/v1/announcement/", exchange -> {
            String subject = ((X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            announcements.add(new Announcement(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    json.readTree(exchange.getRequestBody()), subject));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        closeables.add(() -> server.stop(0));
        return announcements;
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Properties workerProperties(String nodeId, int coordinatorPort)
    {
        Properties properties = new Properties();
        properties.setProperty("node.id", nodeId);
        properties.setProperty("node.data-dir", dir.resolve("data").toString());
        properties.setProperty("tls.dir", dir.resolve("tls").toString());
        properties.setProperty("coordinator.uri", "https://127.0.0.1:" + coordinatorPort);
        properties.setProperty("coordinator.announce-interval", "200ms");
        properties.setProperty("task.concurrency", "2");
        return properties;
    }

    @Test
    void configurationHidesSecretsAndReadsDecompressionLimits()
    {
        Properties properties = new Properties();
        properties.setProperty("s3.endpoint", "http://127.0.0.1:9000");
        properties.setProperty("s3.access-key", "AKIAEXAMPLE");
        properties.setProperty("s3.secret-key", "super-secret-key-0123");
        properties.setProperty("tls.join-token", "glaux-join.0123abcd.00112233445566778899aabbccddeeff." + "a".repeat(43));
        properties.setProperty("scan.max-decompression-ratio", "50");
        properties.setProperty("scan.max-decompressed-size", "1GB");
        WorkerConfig config = WorkerConfig.fromProperties(properties);
        assertThat(config.toString()).doesNotContain("super-secret-key-0123").doesNotContain("00112233445566778899aabbccddeeff");
        assertThat(config.joinToken()).isPresent();
        assertThat(config.decompressionLimits().maxRatio()).isEqualTo(50);
        assertThat(config.decompressionLimits().maxDecompressedBytes()).isEqualTo(1L << 30);
        properties.setProperty("scan.max-decompression-ratio", "0");
        assertThatThrownBy(() -> WorkerConfig.fromProperties(properties)).hasMessageContaining("scan.max-decompression-ratio");
    }

    @Test
    void readsTheJoinTokenFromAnOwnerOnlyFile(@TempDir Path dir)
            throws Exception
    {
        String token = "glaux-join.0123abcd.00112233445566778899aabbccddeeff." + "a".repeat(43);
        Path file = dir.resolve("join-token");
        Files.writeString(file, "# the deployment's join token\n\n" + token + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Properties properties = new Properties();
        properties.setProperty("tls.join-token-file", file.toString());
        WorkerConfig config = WorkerConfig.fromProperties(properties);
        assertThat(config.joinToken()).map(WorkerConfig.JoinToken::value).contains(token);
        assertThat(config.toString()).doesNotContain("00112233445566778899aabbccddeeff");

        // readable by others: refused, naming the file and not the token
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> WorkerConfig.fromProperties(properties))
                .isInstanceOfSatisfying(io.glaux.spi.error.GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(io.glaux.spi.error.ErrorCode.GENERIC_USER_ERROR))
                .hasMessageContaining("tls.join-token-file: " + file + " holds a join token, so it must be readable by its owner only")
                .hasMessageNotContaining("00112233445566778899aabbccddeeff");
        properties.setProperty("tls.join-token-file", dir.resolve("missing").toString());
        assertThatThrownBy(() -> WorkerConfig.fromProperties(properties)).hasMessageContaining("does not exist");
    }

    @Test
    void readsConfiguration()
    {
        Properties properties = new Properties();
        WorkerConfig defaults = WorkerConfig.fromProperties(properties);
        assertThat(defaults.flightHost()).isEqualTo("127.0.0.1");
        assertThat(defaults.flightAdvertisedHost()).isEqualTo("127.0.0.1");
        assertThat(defaults.flightPort()).isZero();
        assertThat(defaults.tlsDir()).isEqualTo(Path.of("data", "tls"));
        assertThat(defaults.taskConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.coordinatorUri()).isEmpty();
        assertThat(defaults.announceInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.objectStore()).isEmpty();

        properties.setProperty("node.id", "w7");
        properties.setProperty("node.data-dir", "/var/glaux");
        properties.setProperty("flight.host", "0.0.0.0");
        properties.setProperty("flight.advertised-host", "w7.internal");
        properties.setProperty("flight.port", "8815");
        properties.setProperty("tls.extra-host-names", "w7.example.com, 10.0.0.7");
        properties.setProperty("coordinator.uri", "https://coordinator:8443");
        properties.setProperty("task.concurrency", "3");
        properties.setProperty("s3.endpoint", "http://127.0.0.1:9000");
        properties.setProperty("s3.access-key", "AK");
        properties.setProperty("s3.secret-key", "SK");
        properties.setProperty("s3.region", "eu-west-1");
        properties.setProperty("tls.typo", "x");
        WorkerConfig config = WorkerConfig.fromProperties(properties);
        assertThat(config.nodeId()).isEqualTo("w7");
        assertThat(config.tlsDir()).isEqualTo(Path.of("/var/glaux/tls"));
        assertThat(config.serverOptions()).isEqualTo(new WorkerServer.Options("w7", "0.0.0.0", "w7.internal", 8815, 3, MemoryPool.defaultMaxBytes(),
                SpillConfig.at(Path.of("/var/glaux/spill"))));
        assertThat(defaults.spill()).isEqualTo(SpillConfig.at(Path.of("data", "spill")));

        Properties spill = new Properties();
        spill.setProperty("spill.path", "/fast/spill");
        spill.setProperty("spill.max-size", "20GB");
        spill.setProperty("query.max-spill-per-node", "5GB");
        assertThat(WorkerConfig.fromProperties(spill).spill())
                .isEqualTo(new SpillConfig(java.util.Optional.of(Path.of("/fast/spill")), java.util.OptionalLong.of(20L << 30), java.util.OptionalLong.of(5L << 30)));
        spill.setProperty("spill.path", "none");
        assertThat(WorkerConfig.fromProperties(spill).spill().path()).isEmpty();
        spill.setProperty("query.max-spill-per-node", "-1");
        assertThatThrownBy(() -> WorkerConfig.fromProperties(spill))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("query.max-spill-per-node=-1");
        assertThat(config.certificateHostNames()).containsExactly("w7.example.com", "10.0.0.7", "w7.internal");
        assertThat(config.coordinatorUri()).contains(URI.create("https://coordinator:8443"));
        assertThat(config.objectStore().orElseThrow().region()).isEqualTo("eu-west-1");
        assertThat(config.objectStore().orElseThrow().toString()).doesNotContain("SK");
        assertThat(WorkerConfig.unknownKeys(properties)).containsExactly("tls.typo");

        properties.setProperty("flight.port", "http");
        assertThatThrownBy(() -> WorkerConfig.fromProperties(properties))
                .isInstanceOf(GlauxException.class)
                .hasMessage("Invalid worker configuration flight.port=http: expected an integer");
        properties.setProperty("flight.port", "0");
        properties.setProperty("coordinator.uri", "http://coordinator:8080");
        assertThatThrownBy(() -> WorkerConfig.fromProperties(properties))
                .isInstanceOf(GlauxException.class)
                .hasMessageContaining("coordinator.uri");
    }

    @Test
    void servesInfoAndMetricsAndWithdrawsWhenStoppedGracefully()
            throws Exception
    {
        TlsMaterial coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
        int port = freePort();
        BlockingQueue<Announcement> announcements = startCoordinator(coordinatorTls, port);
        Properties properties = workerProperties("worker-9", port);
        properties.setProperty("http-server.http.port", "0");
        properties.setProperty("shutdown.grace-period", "5s");
        WorkerMain.Handle worker = WorkerMain.start(WorkerConfig.fromProperties(properties), new SyntheticPageSourceFactory(10, 10, 0));
        closeables.add(worker);
        assertThat(announcements.poll(10, TimeUnit.SECONDS)).extracting(Announcement::method).isEqualTo("PUT");

        URI base = URI.create("http://127.0.0.1:" + worker.httpPort().orElseThrow());
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            var info = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/v1/info")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(info.body()).get("state").asText()).isEqualTo("ACTIVE");
            var metrics = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body())
                    .contains("glaux_worker_active 1\n")
                    .contains("glaux_worker_running_tasks 0\n")
                    .contains("glaux_worker_object_store_bytes_read_total 0\n")
                    .contains("# TYPE glaux_arrow_memory_allocated_bytes gauge\n")
                    .contains("jvm_memory_bytes_used{area=\"heap\"}");
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/nothing")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(404);

            // no task runs: the graceful stop withdraws and stops at once, not after the grace period
            long start = System.nanoTime();
            worker.shutdownGracefully();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            Announcement withdrawal;
            do {
                withdrawal = announcements.poll(10, TimeUnit.SECONDS);
                assertThat(withdrawal).isNotNull();
            }
            while (withdrawal.method().equals("PUT"));
            assertThat(withdrawal.method()).isEqualTo("DELETE");
            assertThat(withdrawal.path()).isEqualTo("/v1/announcement/worker-9");
            assertThatThrownBy(() -> http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/v1/info")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void announcesToTheCoordinatorOnceItIsUp()
            throws Exception
    {
        TlsMaterial coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
        int port = freePort();
        try (BufferAllocator root = new RootAllocator();
                WorkerMain.Handle worker = WorkerMain.start(WorkerConfig.fromProperties(workerProperties("worker-7", port)), new SyntheticPageSourceFactory(10, 10, 0))) {
            // the coordinator is not up yet: the worker keeps trying
            Thread.sleep(600);
            assertThat(worker.announcements()).isZero();

            BlockingQueue<Announcement> announcements = startCoordinator(coordinatorTls, port);
            Announcement announcement = announcements.poll(10, TimeUnit.SECONDS);
            assertThat(announcement).isNotNull();
            assertThat(announcement.method()).isEqualTo("PUT");
            assertThat(announcement.path()).isEqualTo("/v1/announcement/worker-7");
            assertThat(announcement.body().get("nodeId").asText()).isEqualTo("worker-7");
            assertThat(announcement.body().get("flightUri").asText()).isEqualTo(worker.flightUri().toString());
            assertThat(announcement.clientSubject()).isEqualTo("CN=worker-7,O=Glaux");
            // and repeats
            assertThat(announcements.poll(5, TimeUnit.SECONDS)).isNotNull();

            // the announced URI serves tasks
            try (WorkerClient client = new WorkerClient(worker.flightUri(), coordinatorTls, root, worker.nodeId())) {
                assertThat(client.ping(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void mainRunsAWorkerProcess()
            throws Exception
    {
        TlsMaterial coordinatorTls = TlsMaterial.loadOrCreate(dir.resolve("tls"), "coordinator", List.of());
        int port = freePort();
        BlockingQueue<Announcement> announcements = startCoordinator(coordinatorTls, port);
        Properties properties = workerProperties("worker-main", port);
        properties.setProperty("s3.endpoint", "http://127.0.0.1:" + freePort());
        properties.setProperty("s3.access-key", "test");
        properties.setProperty("s3.secret-key", "test");
        Path config = dir.resolve("worker.properties");
        try (var writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties.store(writer, null);
        }

        JavaProcesses.Child child = JavaProcesses.startWorker(WorkerMain.class, List.of("--config", config.toString()), dir.resolve("main.err"));
        try {
            assertThat(child.nodeId()).isEqualTo("worker-main");
            assertThat(child.flightUri().toString()).startsWith("grpc+tls://127.0.0.1:");
            Announcement announcement = announcements.poll(20, TimeUnit.SECONDS);
            assertThat(announcement).isNotNull();
            assertThat(announcement.body().get("flightUri").asText()).isEqualTo(child.flightUri().toString());
            try (BufferAllocator root = new RootAllocator();
                    WorkerClient client = new WorkerClient(child.flightUri(), coordinatorTls, root, child.nodeId())) {
                assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
            }
            // SIGTERM runs the shutdown hook and the process exits
            child.process().destroy();
            assertThat(child.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("main.err"))).doesNotContain("leaked");
        }
        finally {
            child.destroy();
        }
    }
}
