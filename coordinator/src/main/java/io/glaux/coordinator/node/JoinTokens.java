package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-time join tokens with which a worker gets its certificate from the coordinator, which alone holds
 * the cluster CA key (like Kubernetes' bootstrap tokens).
 *
 * <p>A token reads {@code glaux-join.<id>.<secret>.<CA hash>}: a public id (8 hex digits), a secret
 * (32 hex digits, 128 bits) and the SHA-256 of the CA's public key ({@code sha256:...} without the
 * prefix), with which the worker checks that it talks to its own cluster's coordinator before it
 * trusts anything it says. The coordinator keeps only the SHA-256 of each secret, the expiry, the
 * number of uses left and, optionally, the one node id the token admits, in {@value #STATE_FILE_NAME}
 * next to the CA (owner-only), so that a restarted coordinator still knows its tokens and how often
 * each may still be used. A token is refused, with {@link ErrorCode#INVALID_JOIN_TOKEN},
 * when it is malformed, unknown, forged (a wrong secret; compared in constant time), expired, used up,
 * or minted for another node; a forged attempt does not use the token up.
 */
public final class JoinTokens
{
    public static final String PREFIX = "glaux-join";
    public static final String STATE_FILE_NAME = "join-tokens.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("glaux-join\\.([0-9a-f]{8})\\.([0-9a-f]{32})\\.([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Expired and used-up tokens are kept this long so that a late retry is told what happened. */
    private static final Duration KEEP_AFTER_END = Duration.ofHours(1);

    private final Clock clock;
    private volatile String caPin;
    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private final Optional<Path> stateFile;

    /**
     * @param caPin {@code sha256:<base64url>} of the cluster CA's public key
     */
    public JoinTokens(Clock clock, String caPin)
    {
        this(clock, caPin, Optional.empty());
    }

    /**
     * @param stateFile where the tokens (hashes of their secrets, expiry, uses left) are kept, so that
     *        a restarted coordinator still knows them and a token's uses are not reset by a restart
     *        ({@value #STATE_FILE_NAME} next to the CA); empty keeps them in memory only
     */
    public JoinTokens(Clock clock, String caPin, Optional<Path> stateFile)
    {
        this.clock = requireNonNull(clock, "clock is null");
        this.stateFile = requireNonNull(stateFile, "stateFile is null");
        requireNonNull(caPin, "caPin is null");
        if (!caPin.startsWith("sha256:")) {
            throw new IllegalArgumentException("caPin must start with sha256:");
        }
        this.caPin = caPin;
        stateFile.filter(Files::exists).ifPresent(this::load);
    }

    /** A minted token: hand {@link #token()} to the worker (it is not shown again). */
    public record Minted(String token, String id, Instant expires, int uses, Optional<String> nodeId)
    {
        public Minted
        {
            requireNonNull(token, "token is null");
            requireNonNull(id, "id is null");
            requireNonNull(expires, "expires is null");
            requireNonNull(nodeId, "nodeId is null");
        }

        @Override
        public String toString()
        {
            return "JoinToken{id=" + id + ", expires=" + expires + ", uses=" + uses + ", node=" + nodeId.orElse("any") + "}";
        }
    }

    /**
     * Mints a token valid for {@code validity} and {@code uses} joins (1 for a one-time token), for
     * the node {@code nodeId} only when present.
     */
    public Minted mint(Duration validity, int uses, Optional<String> nodeId)
    {
        requireNonNull(validity, "validity is null");
        requireNonNull(nodeId, "nodeId is null");
        if (validity.isNegative() || validity.isZero()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A join token's validity must be positive: " + validity);
        }
        if (uses < 1 || uses > 10_000) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A join token's number of uses must be in [1, 10000]: " + uses);
        }
        purge();
        byte[] idBytes = new byte[4];
        byte[] secretBytes = new byte[16];
        String id;
        do {
            RANDOM.nextBytes(idBytes);
            id = HexFormat.of().formatHex(idBytes);
        }
        while (tokens.containsKey(id));
        RANDOM.nextBytes(secretBytes);
        String secret = HexFormat.of().formatHex(secretBytes);
        Instant expires = clock.instant().plus(validity);
        tokens.put(id, new Entry(sha256(secret), expires, uses, nodeId, false));
        save();
        String token = PREFIX + "." + id + "." + secret + "." + caPin.substring("sha256:".length());
        return new Minted(token, id, expires, uses, nodeId);
    }

    /**
     * Accepts a token the operator made beforehand ({@code node.join-token-file}, e.g. with
     * {@code glaux tls --join-token FILE}), valid until {@code expires} for {@code uses} joins by any
     * node: for deployments whose workers start with a token from a Secret or an environment variable.
     * It must name this coordinator's CA; otherwise, or when malformed, this fails with
     * {@link ErrorCode#INVALID_JOIN_TOKEN} (never echoing the secret). Returns the token's id.
     */
    public String register(String token, Instant expires, int uses)
    {
        requireNonNull(expires, "expires is null");
        Matcher matcher = token == null ? null : TOKEN.matcher(token.strip());
        if (matcher == null || !matcher.matches()) {
            throw invalid("Malformed pre-provisioned join token: expected " + PREFIX + ".<id>.<secret>.<CA hash>");
        }
        String id = matcher.group(1);
        if (!("sha256:" + matcher.group(3)).equals(caPin)) {
            throw invalid("Pre-provisioned join token " + id + " names another CA than this coordinator's (its CA hash differs from " + caPin + ")");
        }
        if (uses < 1 || uses > 1_000_000) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "A pre-provisioned join token's number of uses must be in [1, 1000000]: " + uses);
        }
        byte[] secretHash = sha256(matcher.group(2));
        Entry known = tokens.get(id);
        // the same token as before a restart keeps the uses it has left (a restart must not reset them)
        int usesLeft = known != null && MessageDigest.isEqual(known.secretHash(), secretHash) ? Math.min(known.usesLeft, uses) : uses;
        // a token the configuration no longer names was rotated away: it admits nobody any more
        tokens.values().removeIf(entry -> entry.preProvisioned);
        tokens.put(id, new Entry(secretHash, expires, usesLeft, Optional.empty(), true));
        save();
        return id;
    }

    /** The CA pin ({@code sha256:...}) that this coordinator's tokens carry. */
    public String caPin()
    {
        return caPin;
    }

    /**
     * The CA that signs changed (a CA rotation's promotion, {@code glaux tls --promote-ca}): tokens minted
     * from now on carry {@code caPin}, and tokens naming the old CA are refused, as a worker holding one
     * could not trust this coordinator's renewed certificate anyway.
     */
    public void setCaPin(String caPin)
    {
        requireNonNull(caPin, "caPin is null");
        if (!caPin.startsWith("sha256:")) {
            throw new IllegalArgumentException("caPin must start with sha256:");
        }
        this.caPin = caPin;
    }

    /**
     * Makes a token for the CA with this pin without a coordinator (the operator's
     * {@code glaux tls --join-token}): {@code glaux-join.<id>.<secret>.<CA hash>}.
     */
    public static String newToken(String caPin)
    {
        requireNonNull(caPin, "caPin is null");
        if (!caPin.startsWith("sha256:")) {
            throw new IllegalArgumentException("caPin must start with sha256:");
        }
        byte[] idBytes = new byte[4];
        byte[] secretBytes = new byte[16];
        RANDOM.nextBytes(idBytes);
        RANDOM.nextBytes(secretBytes);
        return PREFIX + "." + HexFormat.of().formatHex(idBytes) + "." + HexFormat.of().formatHex(secretBytes) + "." + caPin.substring("sha256:".length());
    }

    /** The public id of a well-formed token, to name it in logs; empty otherwise. */
    public static Optional<String> idOf(String token)
    {
        Matcher matcher = token == null ? null : TOKEN.matcher(token.strip());
        return matcher != null && matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Uses the token up once for {@code nodeId}, or fails with {@link ErrorCode#INVALID_JOIN_TOKEN}
     * saying why (never echoing the secret).
     */
    public void redeem(String token, String nodeId)
    {
        Entry entry = validate(token, nodeId);
        synchronized (entry) {
            entry.usesLeft--;
        }
        save();
    }

    /**
     * Checks that {@link #redeem} would accept the token for {@code nodeId}, without using it; fails
     * like it.
     */
    public void check(String token, String nodeId)
    {
        validate(token, nodeId);
    }

    private Entry validate(String token, String nodeId)
    {
        requireNonNull(nodeId, "nodeId is null");
        Matcher matcher = token == null ? null : TOKEN.matcher(token.strip());
        if (matcher == null || !matcher.matches()) {
            throw invalid("Malformed join token: expected " + PREFIX + ".<id>.<secret>.<CA hash>");
        }
        String id = matcher.group(1);
        if (!("sha256:" + matcher.group(3)).equals(caPin)) {
            throw invalid("Join token " + id + " was minted by another cluster's coordinator (its CA hash differs)");
        }
        Entry entry = tokens.get(id);
        // compare even for unknown ids, so that timing does not tell which ids exist
        byte[] presented = sha256(matcher.group(2));
        boolean secretMatches = MessageDigest.isEqual(presented, entry == null ? new byte[presented.length] : entry.secretHash());
        if (entry == null || !secretMatches) {
            throw invalid("Join token " + id + " is not valid on this coordinator (unknown, or a wrong secret)");
        }
        synchronized (entry) {
            if (!clock.instant().isBefore(entry.expires())) {
                throw invalid("Join token " + id + " expired at " + entry.expires());
            }
            if (entry.nodeId().isPresent() && !entry.nodeId().get().equals(nodeId)) {
                throw invalid("Join token " + id + " was minted for node " + entry.nodeId().get() + ", not " + nodeId);
            }
            if (entry.usesLeft <= 0) {
                throw invalid("Join token " + id + " was already used");
            }
        }
        return entry;
    }

    private void purge()
    {
        Instant now = clock.instant();
        tokens.values().removeIf(entry -> !entry.preProvisioned && now.isAfter(entry.expires().plus(KEEP_AFTER_END)));
    }

    /** The uses {@code id} has left; empty for an unknown id. */
    public Optional<Integer> usesLeft(String id)
    {
        Entry entry = tokens.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return Optional.of(entry.usesLeft);
        }
    }

    private record Stored(String id, String secretHash, String expires, int usesLeft, String nodeId, boolean preProvisioned) {}

    private void load(Path file)
    {
        try {
            for (Stored stored : MAPPER.readValue(file.toFile(), new TypeReference<List<Stored>>() {})) {
                tokens.put(stored.id(), new Entry(HexFormat.of().parseHex(stored.secretHash()), Instant.parse(stored.expires()), stored.usesLeft(),
                        Optional.ofNullable(stored.nodeId()), stored.preProvisioned()));
            }
        }
        catch (IOException | RuntimeException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot read the join tokens of " + file + ": " + e.getMessage(), e);
        }
    }

    private synchronized void save()
    {
        if (stateFile.isEmpty()) {
            return;
        }
        List<Stored> stored = new ArrayList<>();
        for (Map.Entry<String, Entry> token : new TreeMap<>(tokens).entrySet()) {
            Entry entry = token.getValue();
            synchronized (entry) {
                stored.add(new Stored(token.getKey(), HexFormat.of().formatHex(entry.secretHash()), entry.expires().toString(), entry.usesLeft,
                        entry.nodeId().orElse(null), entry.preProvisioned));
            }
        }
        try {
            // hashes of secrets only, but nobody else has any business reading them
            TlsMaterial.writeFile(stateFile.get(), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stored), true);
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot save the join tokens in " + stateFile.get() + ": " + e.getMessage(), e);
        }
    }

    private static GlauxException invalid(String message)
    {
        return new GlauxException(ErrorCode.INVALID_JOIN_TOKEN, message);
    }

    private static byte[] sha256(String value)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Entry
    {
        private final byte[] secretHash;
        private final Instant expires;
        private final Optional<String> nodeId;
        /** From the configuration: kept after it expires, so that a join is told it expired. */
        private final boolean preProvisioned;
        private int usesLeft;

        Entry(byte[] secretHash, Instant expires, int uses, Optional<String> nodeId, boolean preProvisioned)
        {
            this.preProvisioned = preProvisioned;
            this.secretHash = secretHash;
            this.expires = expires;
            this.usesLeft = uses;
            this.nodeId = nodeId;
        }

        byte[] secretHash()
        {
            return secretHash;
        }

        Instant expires()
        {
            return expires;
        }

        Optional<String> nodeId()
        {
            return nodeId;
        }
    }
}
