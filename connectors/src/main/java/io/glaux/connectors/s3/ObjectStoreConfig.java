package io.glaux.connectors.s3;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.sse.CustomerKeyProvider;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach an S3-compatible object store. Path-style addressing is always used.
 * {@link #toString()} never shows the credentials.
 *
 * @param endpoint {@code http(s)://host[:port]}, without a path
 * @param maxConnections the most requests in flight at once (and idle connections kept)
 * @param maxRetries how many times a request that failed with an I/O error or a 5xx answer is
 *        retried (with exponential backoff); 4xx answers are never retried
 * @param trustedCaFile PEM certificates to trust for an https endpoint instead of the JVM's default
 *        trust store (a private CA)
 * @param customerKeys the SSE-C keys of this node and the objects they are for; customer keys need an
 *        https endpoint
 */
public record ObjectStoreConfig(
        URI endpoint,
        String accessKey,
        String secretKey,
        String region,
        int maxConnections,
        int maxRetries,
        Duration connectTimeout,
        Duration readTimeout,
        Optional<Path> trustedCaFile,
        CustomerKeyProvider customerKeys)
{
    public static final String DEFAULT_REGION = "us-east-1";
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public ObjectStoreConfig
    {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(region, "region is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requireNonNull(trustedCaFile, "trustedCaFile is null");
        requireNonNull(customerKeys, "customerKeys is null");
        if (!customerKeys.isEmpty() && !"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException("SSE-C customer keys are configured, but the object store endpoint is not https (keys are only ever sent over TLS): " + endpoint);
        }
        if (!"http".equalsIgnoreCase(endpoint.getScheme()) && !"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException("object store endpoint must be http:// or https://: " + endpoint);
        }
        if (endpoint.getHost() == null) {
            throw new IllegalArgumentException("object store endpoint has no host: " + endpoint);
        }
        if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() && !endpoint.getRawPath().equals("/")) {
            throw new IllegalArgumentException("object store endpoint must not have a path (path-style addressing is used): " + endpoint);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** A configuration with default region, pool size, retries and timeouts. */
    public static ObjectStoreConfig of(URI endpoint, String accessKey, String secretKey)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, DEFAULT_REGION, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_RETRIES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, Optional.empty(), CustomerKeyProvider.none());
    }

    public ObjectStoreConfig withRegion(String region)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout, trustedCaFile, customerKeys);
    }

    public ObjectStoreConfig withCredentials(String accessKey, String secretKey)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout, trustedCaFile, customerKeys);
    }

    public ObjectStoreConfig withMaxConnections(int maxConnections)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout, trustedCaFile, customerKeys);
    }

    public ObjectStoreConfig withMaxRetries(int maxRetries)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout, trustedCaFile, customerKeys);
    }

    public ObjectStoreConfig withTimeouts(Duration connectTimeout, Duration readTimeout)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout, trustedCaFile, customerKeys);
    }

    /** Trusts the PEM certificates in {@code caFile} (instead of the JVM defaults) for an https endpoint. */
    public ObjectStoreConfig withTrustedCaFile(Path caFile)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout,
                Optional.of(caFile), customerKeys);
    }

    public ObjectStoreConfig withCustomerKeys(CustomerKeyProvider customerKeys)
    {
        return new ObjectStoreConfig(endpoint, accessKey, secretKey, region, maxConnections, maxRetries, connectTimeout, readTimeout,
                trustedCaFile, customerKeys);
    }

    /** Credentials are redacted. */
    @Override
    public String toString()
    {
        return "ObjectStoreConfig[endpoint=" + endpoint + ", accessKey=***, secretKey=***, region=" + region
                + ", maxConnections=" + maxConnections + ", maxRetries=" + maxRetries
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", trustedCaFile=" + trustedCaFile.map(Path::toString).orElse("(JVM default)") + ", customerKeys=" + customerKeys + "]";
    }
}
