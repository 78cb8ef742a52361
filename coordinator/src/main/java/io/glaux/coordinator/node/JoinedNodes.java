package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which key joined as which node id: the coordinator's record of the certificates it signed for join
 * tokens, kept in {@code joined-nodes.json} next to the CA (so that it survives a restart).
 *
 * <p>A join token lets its holder ask for a certificate; this record stops it from asking for another
 * node's identity. A join for a node id is refused ({@link ErrorCode#ACCESS_DENIED}) when:
 * <ul>
 *   <li>that id already joined with another key (the same key may join again: a renewal);</li>
 *   <li>that id did not join through this coordinator but a worker announces itself under it now (its
 *       certificate came from files);</li>
 *   <li>one of the requested host names is the id of another node (joined, announcing, or the
 *       coordinator), or the id is a host name in another node's certificate.</li>
 * </ul>
 * Instances are thread-safe; {@link #admit} and {@link #record} are called under one lock by the join
 * handler so that two joins for one id cannot both pass.
 */
public final class JoinedNodes
{
    public static final String FILE_NAME = "joined-nodes.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Host names every node certificate carries: never a node's identity. */
    private static final Set<String> COMMON_HOST_NAMES = Set.of("localhost", "127.0.0.1");

    /** One joined node: the pin of the key it joined with, its host names and its certificate's serial (hex). */
    public record Joined(String keyPin, List<String> hostNames, String serial)
    {
        public Joined
        {
            requireNonNull(keyPin, "keyPin is null");
            hostNames = List.copyOf(requireNonNull(hostNames, "hostNames is null"));
            requireNonNull(serial, "serial is null");
        }
    }

    private final Optional<Path> file;
    private final Map<String, Joined> nodes = new TreeMap<>();

    private JoinedNodes(Optional<Path> file)
    {
        this.file = requireNonNull(file, "file is null");
    }

    /** A record that lives in memory only (tests). */
    public static JoinedNodes inMemory()
    {
        return new JoinedNodes(Optional.empty());
    }

    /** The record in {@code dir}/{@value #FILE_NAME}, empty when the file does not exist yet. */
    public static JoinedNodes open(Path dir)
    {
        Path file = dir.resolve(FILE_NAME);
        JoinedNodes joined = new JoinedNodes(Optional.of(file));
        if (Files.exists(file)) {
            try {
                joined.nodes.putAll(MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Joined>>() {}));
            }
            catch (IOException e) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot read the joined nodes of " + file + ": " + e.getMessage(), e);
            }
        }
        return joined;
    }

    public synchronized Optional<Joined> get(String nodeId)
    {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    /**
     * Checks that the holder of the key {@code keyPin} may get a certificate for {@code nodeId} with
     * {@code hostNames}; {@code liveNodes} are the ids of the workers announcing now. Fails with
     * {@link ErrorCode#ACCESS_DENIED} naming the node id otherwise.
     */
    public synchronized void admit(String nodeId, String keyPin, List<String> hostNames, Collection<String> liveNodes)
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(keyPin, "keyPin is null");
        Joined existing = nodes.get(nodeId);
        if (existing != null && !existing.keyPin().equals(keyPin)) {
            throw denied("node " + nodeId + " has already joined with another key: a join token cannot take over a joined node's identity "
                    + "(revoke the node first: glaux node revoke, or POST /v1/node/revoke?node=" + nodeId + ")");
        }
        if (existing == null && liveNodes.contains(nodeId)) {
            throw denied("a worker with the id " + nodeId + " is running (with a certificate this coordinator did not sign for a join): "
                    + "a join token cannot take over its identity");
        }
        for (String host : hostNames) {
            String name = host.toLowerCase(Locale.ROOT);
            if (COMMON_HOST_NAMES.contains(name) || name.equals(nodeId.toLowerCase(Locale.ROOT))) {
                continue;
            }
            boolean namesNode = name.equals("coordinator")
                    || nodes.keySet().stream().anyMatch(id -> id.toLowerCase(Locale.ROOT).equals(name))
                    || liveNodes.stream().anyMatch(id -> id.toLowerCase(Locale.ROOT).equals(name));
            if (namesNode) {
                throw denied("node " + nodeId + " asked for the host name " + name + ", which is another node's id");
            }
        }
        String id = nodeId.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Joined> other : nodes.entrySet()) {
            if (!other.getKey().equals(nodeId) && other.getValue().hostNames().stream().anyMatch(host -> host.toLowerCase(Locale.ROOT).equals(id))) {
                throw denied("the id " + nodeId + " is a host name in the certificate of node " + other.getKey());
            }
        }
    }

    /**
     * Checks the host names a node renewing its certificate asks for (its identity is its current
     * certificate, so its key may change): none may be another node's id.
     */
    public synchronized void admitRenewal(String nodeId, List<String> hostNames, Collection<String> liveNodes)
    {
        Joined existing = nodes.get(nodeId);
        // the renewing node is live and may hold any key: only the host name rules apply
        admit(nodeId, existing == null ? "renewal" : existing.keyPin(), hostNames,
                liveNodes.stream().filter(id -> !id.equals(nodeId)).toList());
    }

    /** Records that {@code nodeId} now holds the certificate {@code serial} for {@code keyPin}, and saves the record. */
    public synchronized void record(String nodeId, Joined joined)
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(joined, "joined is null");
        Joined previous = nodes.put(nodeId, joined);
        try {
            save();
        }
        catch (RuntimeException e) {
            if (previous == null) {
                nodes.remove(nodeId);
            }
            else {
                nodes.put(nodeId, previous);
            }
            throw e;
        }
    }

    /** Forgets {@code nodeId} (after it was revoked: the id may join again with a new key). Returns what was recorded. */
    public synchronized Optional<Joined> remove(String nodeId)
    {
        Joined removed = nodes.remove(nodeId);
        if (removed != null) {
            save();
        }
        return Optional.ofNullable(removed);
    }

    public synchronized Map<String, Joined> snapshot()
    {
        return Map.copyOf(new LinkedHashMap<>(nodes));
    }

    private void save()
    {
        if (file.isEmpty()) {
            return;
        }
        try {
            TlsMaterial.writeFile(file.get(), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(nodes), false);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot save the joined nodes in " + file.get() + ": " + e.getMessage(), e);
        }
    }

    private static GlauxException denied(String message)
    {
        return new GlauxException(ErrorCode.ACCESS_DENIED, "Access Denied: " + message);
    }
}
