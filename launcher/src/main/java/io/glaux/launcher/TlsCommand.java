package io.glaux.launcher;

import io.glaux.coordinator.node.JoinTokens;
import io.glaux.coordinator.query.SessionProperties;
import io.glaux.engine.exchange.TlsMaterial;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glaux tls --dir DIR --node NAME [--host-names a,b] [--join-token FILE [--join-token-validity 30d]]}
 * (or {@code glaux tls --dir DIR --rotate-ca stage|promote|retire}, {@link #rotateCa}):
 * creates (or reuses) the cluster CA in {@code DIR} and the certificate of one node, as the nodes do on
 * their first start. Deployments use it to create the cluster's TLS material once, before any node
 * starts ({@code docker/image/glaux-tls-init}).
 *
 * <p>With {@code --join-token FILE} it also writes a multi-use join token for that CA to {@code FILE}
 * (mode 0600) and its expiry to {@code FILE.expires}: the operator gives the token to the coordinator
 * ({@code node.join-token-file}, {@code node.join-token-expires}) and to the workers
 * ({@code GLAUX_JOIN_TOKEN}), which then get their certificates from the coordinator and never hold
 * the CA key. A token already in {@code FILE} is kept while it names this CA and has not expired.
 */
final class TlsCommand
{
    private TlsCommand() {}

    static void run(String[] args)
    {
        Path dir = null;
        List<String> nodes = new ArrayList<>();
        List<String> hostNames = new ArrayList<>();
        Path joinTokenFile = null;
        Duration joinTokenValidity = Duration.ofDays(30);
        String rotation = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rotate-ca" -> rotation = value(args, ++i);
                case "--dir" -> dir = Path.of(value(args, ++i));
                case "--node" -> nodes.add(value(args, ++i));
                case "--host-names" -> {
                    for (String host : value(args, ++i).split(",")) {
                        if (!host.isBlank()) {
                            hostNames.add(host.strip());
                        }
                    }
                }
                case "--join-token" -> joinTokenFile = Path.of(value(args, ++i));
                case "--join-token-validity" -> {
                    String text = value(args, ++i);
                    try {
                        joinTokenValidity = SessionProperties.parseDuration(text.strip());
                    }
                    catch (IllegalArgumentException e) {
                        throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid --join-token-validity '" + text + "': " + e.getMessage());
                    }
                }
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Unknown tls option " + args[i]
                        + " (options: --dir DIR, --node NAME, --host-names a,b, --join-token FILE, --join-token-validity 30d, --rotate-ca stage|promote|retire)");
            }
        }
        if (rotation != null) {
            if (dir == null || !nodes.isEmpty() || joinTokenFile != null) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "glaux tls --rotate-ca needs --dir DIR (the coordinator's, holding the CA key) and no other option");
            }
            rotateCa(dir, rotation);
            return;
        }
        if (dir == null || nodes.isEmpty()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "glaux tls needs --dir DIR and at least one --node NAME");
        }
        for (String node : nodes) {
            TlsMaterial material = TlsMaterial.loadOrCreate(dir, node, hostNames);
            System.out.println("tls: " + material.certificateChain() + " (" + material.certificate().getSubjectX500Principal() + ", CA " + material.caCertificate() + ")");
            if (joinTokenFile != null) {
                writeJoinToken(joinTokenFile, TlsMaterial.caPin(material.caCertificateValue()), joinTokenValidity);
                joinTokenFile = null;
            }
        }
    }

    /**
     * One step of a CA rotation in the coordinator's {@code dir} (docs/security.md, "Rotating the cluster
     * CA"): {@code stage} adds a new CA to the trusted bundle, {@code promote} makes it the one that
     * signs, {@code retire} stops trusting the old one. A running coordinator takes each step up by itself.
     */
    static void rotateCa(Path dir, String step)
    {
        switch (step) {
            case "stage" -> {
                java.security.cert.X509Certificate next = TlsMaterial.stageNextCa(dir);
                System.out.println("tls: staged the new CA " + next.getSubjectX500Principal().getName() + " in " + dir.resolve("ca.pem")
                        + " (trusted, not signing yet; its key is " + dir.resolve(TlsMaterial.NEXT_CA_KEY_FILE) + ")");
            }
            case "promote" -> {
                java.security.cert.X509Certificate signing = TlsMaterial.promoteNextCa(dir);
                System.out.println("tls: the CA " + signing.getSubjectX500Principal().getName() + " now signs; the old CA stays trusted until --rotate-ca retire");
            }
            case "retire" -> {
                List<java.security.cert.X509Certificate> removed = TlsMaterial.retireOldCas(dir);
                System.out.println("tls: " + dir.resolve("ca.pem") + " now trusts only the CA that signs (" + removed.size() + " retired)");
            }
            default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid --rotate-ca '" + step + "': expected stage, promote or retire");
        }
    }

    /** Writes a join token for the CA {@code caPin} to {@code file} (0600) and its expiry to {@code file.expires}, unless a usable one is there. */
    static void writeJoinToken(Path file, String caPin, Duration validity)
    {
        Path expiresFile = file.resolveSibling(file.getFileName() + ".expires");
        try {
            if (Files.isRegularFile(file) && Files.isRegularFile(expiresFile)) {
                String existing = Files.readString(file, StandardCharsets.US_ASCII).strip();
                Instant expires = Instant.parse(Files.readString(expiresFile, StandardCharsets.US_ASCII).strip());
                if (existing.endsWith("." + caPin.substring("sha256:".length())) && JoinTokens.idOf(existing).isPresent()
                        && expires.isAfter(Instant.now().plus(Duration.ofHours(1)))) {
                    System.out.println("tls: keeping the join token " + JoinTokens.idOf(existing).get() + " in " + file + " (expires " + expires + ")");
                    return;
                }
            }
            String token = JoinTokens.newToken(caPin);
            Instant expires = Instant.now().plus(validity).truncatedTo(ChronoUnit.SECONDS);
            writeOwnerOnly(file, token + "\n");
            writeOwnerOnly(expiresFile, expires + "\n");
            System.out.println("tls: join token " + JoinTokens.idOf(token).orElseThrow() + " in " + file + " (expires " + expires + ", in " + expiresFile + ")");
        }
        catch (IOException | java.time.format.DateTimeParseException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Cannot write the join token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(Path target, String content)
            throws IOException
    {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, ".join-token", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String value(String[] args, int index)
    {
        if (index >= args.length) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Option " + args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
