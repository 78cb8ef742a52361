package io.glaux.connectors.sse;

import static java.util.Objects.requireNonNull;

import io.minio.ServerSideEncryptionCustomerKey;

import javax.crypto.spec.SecretKeySpec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One SSE-C customer key: a 256-bit AES key known by an id. The raw key leaves this object only as the
 * SSE-C request headers that the MinIO client sends over HTTPS; {@link #toString()} shows the id only,
 * and {@link #identity()} (what caches are keyed by) is a one-way digest, never the key.
 */
public final class CustomerKey
{
    public static final int KEY_BYTES = 32;

    private final String id;
    private final ServerSideEncryptionCustomerKey headers;
    private final String identity;

    public CustomerKey(String id, byte[] key)
    {
        this.id = requireNonNull(id, "id is null");
        requireNonNull(key, "key is null");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("SSE-C key '%s' must be %d bytes (AES-256), but it is %d bytes".formatted(id, KEY_BYTES, key.length));
        }
        try {
            this.headers = new ServerSideEncryptionCustomerKey(new SecretKeySpec(key, "AES"));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("glaux-sse-c-identity:".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            digest.update(key);
            this.identity = id + "#" + HexFormat.of().formatHex(digest.digest(), 0, 12);
        }
        catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
            throw new IllegalStateException("cannot use SSE-C key '" + id + "'", e);
        }
        finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    public String id()
    {
        return id;
    }

    /**
     * The key's identity for cache keys: the id and a truncated SHA-256 of the key (so two nodes, or two
     * configurations, with different keys under one id never share cached data). Never the key itself.
     */
    public String identity()
    {
        return identity;
    }

    /** The MinIO argument that adds the three SSE-C headers to a request. */
    public ServerSideEncryptionCustomerKey headers()
    {
        return headers;
    }

    @Override
    public String toString()
    {
        return "CustomerKey[id=" + id + ", key=***]";
    }
}
