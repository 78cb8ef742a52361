package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.engine.exchange.RevocationList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the coordinator this worker exists: {@code PUT {coordinator}/v1/announcement/{nodeId}} with
 * {@code {"nodeId": ..., "flightUri": ...}} over HTTPS (client certificate from the cluster CA),
 * every {@code interval}, from start until {@link #close()}. A coordinator that is not up yet or
 * answers with an error is retried at the next interval.
 */
final class Announcer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI announcementUri;
    private final byte[] body;
    private final HttpClient client;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong successes = new AtomicLong();
    private final RevocationList revocations;
    private volatile boolean announced;

    /**
     * @param processors the worker's {@code task.concurrency}: the coordinator runs that many tasks of a hash stage here
     * @param revocations updated with the revoked node certificates the coordinator sends with each
     *        answer ({@code {"revoked": {"serials": [...], "nodes": {"id": "instant"}}}})
     */
    Announcer(URI coordinatorUri, String nodeId, URI flightUri, int processors, SSLContext sslContext, Duration interval, RevocationList revocations)
    {
        this.revocations = requireNonNull(revocations, "revocations is null");
        requireNonNull(coordinatorUri, "coordinatorUri is null");
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(flightUri, "flightUri is null");
        requireNonNull(sslContext, "sslContext is null");
        this.interval = requireNonNull(interval, "interval is null");
        String base = coordinatorUri.toString();
        this.announcementUri = URI.create((base.endsWith("/") ? base : base + "/") + "v1/announcement/"
                + URLEncoder.encode(nodeId, StandardCharsets.UTF_8).replace("+", "%20"));
        Map<String, String> announcement = new LinkedHashMap<>();
        announcement.put("nodeId", nodeId);
        announcement.put("flightUri", flightUri.toString());
        announcement.put("processors", String.valueOf(processors));
        try {
            this.body = new ObjectMapper().writeValueAsBytes(announcement);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        this.client = HttpClient.newBuilder()
                .sslContext(sslContext)
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "glaux-announcer-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start()
    {
        scheduler.scheduleWithFixedDelay(this::announce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    URI announcementUri()
    {
        return announcementUri;
    }

    /** How many announcements the coordinator accepted. */
    long successes()
    {
        return successes.get();
    }

    private void announce()
    {
        HttpRequest request = HttpRequest.newBuilder(announcementUri)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                updateRevocations(response.body());
                successes.incrementAndGet();
                if (!announced) {
                    announced = true;
                    log.info("Announced to the coordinator at {}", announcementUri);
                }
            }
            else {
                failed("HTTP " + response.statusCode() + " " + abbreviate(response.body()));
            }
        }
        catch (IOException e) {
            failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            failed(e.toString());
        }
    }

    private void updateRevocations(String body)
    {
        if (body == null || body.isBlank()) {
            return;
        }
        try {
            JsonNode revoked = MAPPER.readTree(body).path("revoked");
            if (!revoked.isObject()) {
                return;
            }
            java.util.Set<String> serials = new java.util.HashSet<>();
            revoked.path("serials").forEach(serial -> serials.add(serial.asText()));
            Map<String, java.time.Instant> nodes = new java.util.HashMap<>();
            revoked.path("nodes").properties().forEach(node -> nodes.put(node.getKey(), java.time.Instant.parse(node.getValue().asText())));
            RevocationList.Snapshot snapshot = new RevocationList.Snapshot(serials, nodes);
            if (!snapshot.equals(revocations.snapshot())) {
                log.info("The coordinator revokes {} node certificate serials and the nodes {}", serials.size(), new java.util.TreeSet<>(nodes.keySet()));
                revocations.replace(snapshot);
            }
        }
        catch (IOException | RuntimeException e) {
            log.warn("Cannot read the revoked node certificates in the coordinator's answer: {}", e.toString());
        }
    }

    private void failed(String reason)
    {
        if (announced) {
            announced = false;
            log.warn("Announcing to {} failed: {}", announcementUri, reason);
        }
        else {
            log.debug("Announcing to {} failed: {}", announcementUri, reason);
        }
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /**
     * Stops announcing and tells the coordinator to schedule nothing more here
     * ({@code DELETE {coordinator}/v1/announcement/{nodeId}}); a coordinator that cannot be reached
     * stops scheduling here once the announcements stop for its {@code node.worker-expiry}.
     */
    void withdraw()
    {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(announcementUri).timeout(Duration.ofSeconds(5)).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                log.info("Withdrew from the coordinator at {}", announcementUri);
            }
            else {
                log.warn("Withdrawing from {} failed: HTTP {}", announcementUri, response.statusCode());
            }
        }
        catch (IOException e) {
            log.warn("Withdrawing from {} failed: {}", announcementUri, e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close()
    {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
