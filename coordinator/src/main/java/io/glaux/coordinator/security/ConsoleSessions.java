package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The web console's sign-in: after {@code POST /v1/console/login} checked a user's password, the
 * browser holds a cookie {@code user.expiry.signature}, signed with HMAC-SHA256 under a key drawn at
 * start-up. The cookie is {@code HttpOnly}, {@code Secure} and {@code SameSite=Strict}, so scripts
 * cannot read it and other sites cannot send it. Sign-ins end after {@link #TIMEOUT} or when the
 * coordinator restarts (a new key), whichever comes first; the password itself is never stored.
 */
public final class ConsoleSessions
{
    public static final String COOKIE = "glaux_console";
    public static final Duration TIMEOUT = Duration.ofHours(12);

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public ConsoleSessions(Clock clock)
    {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The {@code Set-Cookie} value that signs {@code user} in. */
    public String signIn(String user)
    {
        long expiry = clock.instant().plus(TIMEOUT).getEpochSecond();
        String payload = ENCODER.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "." + expiry;
        return cookie(payload + "." + ENCODER.encodeToString(sign(payload)), TIMEOUT.toSeconds());
    }

    /** The {@code Set-Cookie} value that signs out. */
    public static String signOut()
    {
        return cookie("", 0);
    }

    /** The user a cookie value names, if its signature is ours and it has not expired. */
    public Optional<String> user(String value)
    {
        int last = value.lastIndexOf('.');
        int first = value.indexOf('.');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String payload = value.substring(0, last);
        try {
            if (!MessageDigest.isEqual(sign(payload), DECODER.decode(value.substring(last + 1)))) {
                return Optional.empty();
            }
            if (Long.parseLong(value.substring(first + 1, last)) <= clock.instant().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(new String(DECODER.decode(value.substring(0, first)), StandardCharsets.UTF_8));
        }
        catch (IllegalArgumentException e) {
            // not base64, not a number: not a cookie of ours
            return Optional.empty();
        }
    }

    private byte[] sign(String payload)
    {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String cookie(String value, long maxAgeSeconds)
    {
        return "%s=%s; Path=/; Max-Age=%d; HttpOnly; Secure; SameSite=Strict".formatted(COOKIE, value, maxAgeSeconds);
    }
}
