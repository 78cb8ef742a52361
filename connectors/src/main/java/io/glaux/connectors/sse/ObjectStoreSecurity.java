package io.glaux.connectors.sse;

import static java.util.Objects.requireNonNull;

import io.glaux.connectors.s3.ObjectStoreConfig;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the object-store security settings every node shares ({@value #CA_FILE} and the SSE-C settings
 * of {@link CustomerKeyProvider}) from a node's configuration and the environment.
 */
public final class ObjectStoreSecurity
{
    /** PEM file of the CA certificates to trust for an https object store (a private CA). */
    public static final String CA_FILE = "s3.ca-file";
    /** Every configuration key read here. */
    public static final Set<String> CONFIG_KEYS;

    static {
        Set<String> keys = new HashSet<>(CustomerKeyProvider.CONFIG_KEYS);
        keys.add(CA_FILE);
        CONFIG_KEYS = Set.copyOf(keys);
    }

    private ObjectStoreSecurity() {}

    public static Optional<Path> caFile(Map<String, String> config)
    {
        return Optional.ofNullable(config.get(CA_FILE)).map(String::strip).filter(value -> !value.isEmpty()).map(Path::of);
    }

    /** {@code base} with the CA file and SSE-C keys {@code config} and {@code environment} describe. */
    public static ObjectStoreConfig apply(ObjectStoreConfig base, Map<String, String> config, Map<String, String> environment)
    {
        requireNonNull(base, "base is null");
        ObjectStoreConfig result = base;
        Optional<Path> caFile = caFile(config);
        if (caFile.isPresent()) {
            result = result.withTrustedCaFile(caFile.get());
        }
        return result.withCustomerKeys(CustomerKeyProvider.fromConfig(config, environment));
    }
}
