package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks user names and passwords against a password file in Trino's format: one {@code user:hash} per
 * line, split at the first colon, blank lines and {@code #} comments skipped. Hashes are bcrypt
 * ({@code $2a$}, {@code $2b$}, {@code $2y$}) with a cost of at least 8 (e.g. {@code htpasswd -B -C 10}).
 * Successful checks are cached by user and a SHA-256 of the password (never the password); an unknown
 * user costs one bcrypt like a known one.
 */
public final class PasswordAuthenticator
{
    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final int MIN_COST = 8;
    private static final String DUMMY_HASH = new String(BCrypt.withDefaults().hash(MIN_COST, "glaux-dummy-password".toCharArray()), StandardCharsets.US_ASCII);

    private final Map<String, String> hashes;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    private PasswordAuthenticator(Map<String, String> hashes)
    {
        this.hashes = Map.copyOf(hashes);
    }

    /** Reads the password file; errors name the file and line, never a hash. */
    public static PasswordAuthenticator fromFile(Path file)
    {
        requireNonNull(file, "file is null");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the password file " + file + ": " + e.getMessage());
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new IllegalArgumentException("Error in password file %s line %d: Expected two parts for user and password".formatted(file, i + 1));
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            var matcher = BCRYPT.matcher(hash);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Error in password file %s line %d: the password of user %s is not a bcrypt hash ($2a$/$2b$/$2y$)".formatted(file, i + 1, user));
            }
            if (Integer.parseInt(matcher.group(1)) < MIN_COST) {
                throw new IllegalArgumentException("Error in password file %s line %d: Minimum cost of BCrypt password must be %d".formatted(file, i + 1, MIN_COST));
            }
            if (hashes.put(user, hash) != null) {
                throw new IllegalArgumentException("Error in password file %s line %d: Duplicate user: %s".formatted(file, i + 1, user));
            }
        }
        return new PasswordAuthenticator(hashes);
    }

    /** The user, when the password is right. */
    public String authenticate(String user, String password)
            throws AuthenticationException
    {
        if (user.isEmpty()) {
            throw new AuthenticationException("Malformed credentials: user is empty");
        }
        if (password.isEmpty()) {
            throw new AuthenticationException("Malformed credentials: password is empty");
        }
        byte[] digest = digest(user, password);
        byte[] cached = verified.get(user);
        if (cached != null && MessageDigest.isEqual(cached, digest)) {
            return user;
        }
        String hash = hashes.get(user);
        boolean ok = BCrypt.verifyer().verify(password.toCharArray(), (hash == null ? DUMMY_HASH : hash).toCharArray()).verified;
        if (!ok || hash == null) {
            throw new AuthenticationException("Access Denied: Invalid credentials");
        }
        verified.put(user, digest);
        return user;
    }

    private static byte[] digest(String user, String password)
    {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString()
    {
        return "PasswordAuthenticator[users=" + hashes.size() + "]";
    }
}
