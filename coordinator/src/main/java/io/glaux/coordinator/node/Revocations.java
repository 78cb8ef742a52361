package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.engine.exchange.RevocationList;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The coordinator's revoked node certificates, kept in {@value #FILE_NAME} next to the CA (so that a
 * restart keeps them) and served, as a {@link RevocationList}, to every TLS check of the coordinator
 * and, with the answers to their announcements, to the workers.
 *
 * <p>Revoking a node id revokes every certificate of that id whose validity started before the
 * revocation, and forgets which key joined as it ({@link JoinedNodes}): the id can join again later,
 * with a new key and a join token, and gets a certificate that starts after the revocation.
 */
public final class Revocations
{
    public static final String FILE_NAME = "revoked.json";
    private static final Pattern SERIAL = Pattern.compile("[0-9a-f]{1,64}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Stored(List<String> serials, Map<String, String> nodes) {}

    private final Optional<Path> file;
    private final Clock clock;
    private final RevocationList list = new RevocationList();

    private Revocations(Optional<Path> file, Clock clock)
    {
        this.file = requireNonNull(file, "file is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static Revocations inMemory(Clock clock)
    {
        return new Revocations(Optional.empty(), clock);
    }

    /** The revocations in {@code dir}/{@value #FILE_NAME}, none when the file does not exist yet. */
    public static Revocations open(Path dir, Clock clock)
    {
        Path file = dir.resolve(FILE_NAME);
        Revocations revocations = new Revocations(Optional.of(file), clock);
        if (Files.exists(file)) {
            try {
                Stored stored = MAPPER.readValue(file.toFile(), new TypeReference<Stored>() {});
                Map<String, Instant> nodes = new HashMap<>();
                stored.nodes().forEach((node, at) -> nodes.put(node, Instant.parse(at)));
                revocations.list.replace(new RevocationList.Snapshot(new HashSet<>(stored.serials()), nodes));
            }
            catch (IOException | RuntimeException e) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot read the revoked node certificates of " + file + ": " + e.getMessage(), e);
            }
        }
        return revocations;
    }

    /** The live list every TLS check of this coordinator consults. */
    public RevocationList list()
    {
        return list;
    }

    /** Revokes every certificate of {@code nodeId} issued until now; returns the instant of the revocation. */
    public synchronized Instant revokeNode(String nodeId)
    {
        if (!TlsMaterial.isValidNodeName(nodeId) || nodeId.equals("coordinator")) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid node id to revoke: '" + nodeId.replaceAll("[^A-Za-z0-9._-]", "?") + "'");
        }
        Instant now = clock.instant();
        RevocationList.Snapshot current = list.snapshot();
        Map<String, Instant> nodes = new HashMap<>(current.nodes());
        nodes.put(nodeId, now);
        save(new RevocationList.Snapshot(current.serials(), nodes));
        return now;
    }

    /** Revokes the certificate with this serial number (hex, as {@code openssl x509 -serial} prints it). */
    public synchronized String revokeSerial(String serial)
    {
        String normalized = serial.strip().toLowerCase(Locale.ROOT).replace(":", "").replaceFirst("^0+(?=.)", "");
        if (!SERIAL.matcher(normalized).matches()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid certificate serial number to revoke: expected hexadecimal digits");
        }
        RevocationList.Snapshot current = list.snapshot();
        Set<String> serials = new HashSet<>(current.serials());
        serials.add(normalized);
        save(new RevocationList.Snapshot(serials, current.nodes()));
        return normalized;
    }

    /**
     * When {@code nodeId} was revoked (the earliest instant a new certificate for it may start), if it
     * was.
     */
    public Optional<Instant> revokedAt(String nodeId)
    {
        return Optional.ofNullable(list.snapshot().nodes().get(nodeId));
    }

    /** The list as JSON for the workers: {@code {"serials": [...], "nodes": {"id": "instant"}}}. */
    public Map<String, Object> toJson()
    {
        RevocationList.Snapshot current = list.snapshot();
        Map<String, String> nodes = new TreeMap<>();
        current.nodes().forEach((node, at) -> nodes.put(node, at.toString()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("serials", new TreeSet<>(current.serials()));
        json.put("nodes", nodes);
        return json;
    }

    private void save(RevocationList.Snapshot snapshot)
    {
        if (file.isPresent()) {
            Map<String, String> nodes = new TreeMap<>();
            snapshot.nodes().forEach((node, at) -> nodes.put(node, at.toString()));
            try {
                TlsMaterial.writeFile(file.get(), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                        new Stored(List.copyOf(new TreeSet<>(snapshot.serials())), nodes)), false);
            }
            catch (IOException e) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot save the revoked node certificates in " + file.get() + ": " + e.getMessage(), e);
            }
        }
        // persisted first: a revocation the coordinator would forget on restart is not reported done
        list.replace(snapshot);
    }
}
