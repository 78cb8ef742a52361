package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A join token the operator made beforehand and gives both to the coordinator (this file) and to the
 * workers (a Secret, {@code GLAUX_JOIN_TOKEN}): multi-use and expiring, for deployments whose workers
 * come and go without an admin minting a token for each ({@code docker/}, Kubernetes).
 *
 * @param file the token file ({@code node.join-token-file}): the token on its first line that is
 *        neither blank nor a {@code #} comment; readable by its owner only
 * @param expires {@code node.join-token-expires}: after this instant joins with it are refused
 * @param uses {@code node.join-token-uses}: joins it admits until the coordinator restarts
 */
public record JoinTokenConfig(Path file, Instant expires, int uses)
{
    public static final String FILE = "node.join-token-file";
    public static final String EXPIRES = "node.join-token-expires";
    public static final String USES = "node.join-token-uses";
    public static final int DEFAULT_USES = 10_000;

    public JoinTokenConfig
    {
        requireNonNull(file, "file is null");
        requireNonNull(expires, "expires is null");
        if (uses < 1 || uses > 1_000_000) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid value " + uses + " for " + USES + " (1 to 1000000)");
        }
    }

    /** Empty when {@code node.join-token-file} is absent or blank; a USER error naming the key when a setting is invalid. */
    public static Optional<JoinTokenConfig> fromProperties(Map<String, String> properties)
    {
        String file = properties.getOrDefault(FILE, "").strip();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String expires = properties.getOrDefault(EXPIRES, "").strip();
        if (expires.isEmpty()) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR,
                    "Configuration property '" + EXPIRES + "' is required with " + FILE + " (an instant such as 2027-01-31T00:00:00Z)");
        }
        Instant expiry;
        try {
            expiry = Instant.parse(expires);
        }
        catch (DateTimeParseException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid value '" + expires + "' for " + EXPIRES + " (an instant such as 2027-01-31T00:00:00Z)", e);
        }
        String uses = properties.getOrDefault(USES, "").strip();
        int count;
        try {
            count = uses.isEmpty() ? DEFAULT_USES : Integer.parseInt(uses);
        }
        catch (NumberFormatException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Invalid value '" + uses + "' for " + USES + " (a number of joins)", e);
        }
        return Optional.of(new JoinTokenConfig(Path.of(file), expiry, count));
    }

    /** The token in {@link #file()}; a USER error naming the file (never its content) when it is missing, unreadable or readable by others. */
    public String readToken()
    {
        try {
            if (!Files.isRegularFile(file)) {
                throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, FILE + ": " + file + " does not exist");
            }
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(permission -> permission.name().startsWith("GROUP") || permission.name().startsWith("OTHERS"))) {
                    throw new GlauxException(ErrorCode.GENERIC_USER_ERROR,
                            FILE + ": " + file + " holds a join token, so it must be readable by its owner only (chmod 600 " + file + ")");
                }
            }
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String stripped = line.strip();
                if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                    return stripped;
                }
            }
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, FILE + ": " + file + " holds no token");
        }
        catch (IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, FILE + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
