package io.glaux.connectors.sse;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import javax.crypto.SecretKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The SSE-C customer keys a node holds, and which objects each one is for. Keys come from the node
 * itself, never from the metastore or the network:
 * <ul>
 *   <li>a key file ({@value #KEY_FILE}): Java properties, {@code <key id>=<base64 of 32 bytes>}, which
 *       must not be readable by group or others (mode 0600);</li>
 *   <li>a PKCS#12 keystore ({@value #KEYSTORE}, password in {@value #KEYSTORE_PASSWORD} or the
 *       environment variable {@value #KEYSTORE_PASSWORD_ENV}) of AES-256 secret-key entries, the alias being the id;</li>
 *   <li>environment variables {@code GLAUX_SSE_C_KEY_<ID>=<base64>}; the id is the rest of the name in
 *       lower case ({@code GLAUX_SSE_C_KEY_LOGS_2026} → {@code logs_2026}).</li>
 * </ul>
 * Which key an object needs is chosen by {@value #LOCATIONS}: a comma-separated list of
 * {@code s3://bucket/prefix=<key id>}, the longest matching prefix winning; or, for a whole table, by its
 * table property {@value #TABLE_PROPERTY} naming a key id. Immutable and thread-safe;
 * {@link #toString()} lists ids, never keys.
 */
public final class CustomerKeyProvider
{
    public static final String KEY_FILE = "s3.sse-c.key-file";
    public static final String KEYSTORE = "s3.sse-c.keystore";
    public static final String KEYSTORE_PASSWORD = "s3.sse-c.keystore-password";
    public static final String LOCATIONS = "s3.sse-c.locations";
    public static final String KEYSTORE_PASSWORD_ENV = "GLAUX_SSE_C_KEYSTORE_PASSWORD";
    public static final String KEY_ENV_PREFIX = "GLAUX_SSE_C_KEY_";
    /** The table property (TBLPROPERTIES) naming the id of the key a table's objects are encrypted with. */
    public static final String TABLE_PROPERTY = "sse.customer-key-id";
    /** The configuration keys this class reads. */
    public static final Set<String> CONFIG_KEYS = Set.of(KEY_FILE, KEYSTORE, KEYSTORE_PASSWORD, LOCATIONS);

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final CustomerKeyProvider NONE = new CustomerKeyProvider(Map.of(), List.of());

    private record LocationRule(String bucket, String prefix, String keyId) {}

    private final Map<String, CustomerKey> keys;
    private final List<LocationRule> rules;

    private CustomerKeyProvider(Map<String, CustomerKey> keys, List<LocationRule> rules)
    {
        this.keys = Map.copyOf(keys);
        List<LocationRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt((LocationRule rule) -> rule.prefix().length()).reversed());
        this.rules = List.copyOf(sorted);
    }

    /** No keys: every object is read without SSE-C headers. */
    public static CustomerKeyProvider none()
    {
        return NONE;
    }

    /** A provider over the given keys and {@code s3://bucket/prefix → key id} rules (tests, embedding). */
    public static CustomerKeyProvider of(Map<String, byte[]> keys, Map<String, String> locations)
    {
        Map<String, CustomerKey> parsed = new TreeMap<>();
        keys.forEach((id, key) -> parsed.put(checkId(id, "key"), new CustomerKey(id, key.clone())));
        List<LocationRule> rules = new ArrayList<>();
        locations.forEach((location, id) -> rules.add(rule(location, id, parsed)));
        return new CustomerKeyProvider(parsed, rules);
    }

    /**
     * The provider a node configuration describes ({@link #CONFIG_KEYS}) plus the {@code GLAUX_SSE_C_KEY_*}
     * variables of {@code environment}. Errors name the setting, file or variable, never a key.
     */
    public static CustomerKeyProvider fromConfig(Map<String, String> config, Map<String, String> environment)
    {
        requireNonNull(config, "config is null");
        requireNonNull(environment, "environment is null");
        Map<String, CustomerKey> keys = new TreeMap<>();
        Optional.ofNullable(config.get(KEY_FILE)).filter(value -> !value.isBlank())
                .ifPresent(file -> readKeyFile(Path.of(file.strip()), keys));
        Optional.ofNullable(config.get(KEYSTORE)).filter(value -> !value.isBlank()).ifPresent(file -> {
            String password = Optional.ofNullable(config.get(KEYSTORE_PASSWORD))
                    .or(() -> Optional.ofNullable(environment.get(KEYSTORE_PASSWORD_ENV)))
                    .orElse("");
            readKeystore(Path.of(file.strip()), password.toCharArray(), keys);
        });
        new TreeMap<>(environment).forEach((name, value) -> {
            if (name.startsWith(KEY_ENV_PREFIX) && name.length() > KEY_ENV_PREFIX.length()) {
                String id = name.substring(KEY_ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
                add(keys, id, value, "environment variable " + name);
            }
        });
        List<LocationRule> rules = new ArrayList<>();
        String locations = config.getOrDefault(LOCATIONS, "");
        for (String entry : locations.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.lastIndexOf('=');
            if (equals < 0) {
                throw invalid("%s: expected s3://bucket/prefix=<key id>, got '%s'".formatted(LOCATIONS, entry.strip()));
            }
            rules.add(rule(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip(), keys));
        }
        return new CustomerKeyProvider(keys, rules);
    }

    public boolean isEmpty()
    {
        return keys.isEmpty();
    }

    /** The ids of the keys held, sorted. */
    public Set<String> keyIds()
    {
        return Collections.unmodifiableSet(new java.util.TreeSet<>(keys.keySet()));
    }

    /** The key for {@code s3://bucket/key} by the location rules, if any rule matches. */
    public Optional<CustomerKey> forObject(String bucket, String key)
    {
        for (LocationRule rule : rules) {
            if (rule.bucket().equals(bucket) && key.startsWith(rule.prefix())) {
                return Optional.of(keys.get(rule.keyId()));
            }
        }
        return Optional.empty();
    }

    /**
     * The key with this id; {@code ENCRYPTION_KEY_ERROR} naming the id (and {@code what} needs it) when
     * this node has no such key.
     */
    public CustomerKey byId(String id, String what)
    {
        CustomerKey key = keys.get(id);
        if (key == null) {
            throw new GlauxException(ErrorCode.ENCRYPTION_KEY_ERROR,
                    "%s needs the SSE-C key with id '%s', which is not configured on this node (configure it in %s, %s or %s<ID>)"
                            .formatted(what, id, KEY_FILE, KEYSTORE, KEY_ENV_PREFIX));
        }
        return key;
    }

    @Override
    public String toString()
    {
        Map<String, String> shown = new LinkedHashMap<>();
        rules.forEach(rule -> shown.put("s3://" + rule.bucket() + "/" + rule.prefix(), rule.keyId()));
        return "CustomerKeyProvider[keyIds=" + keyIds() + ", locations=" + shown + "]";
    }

    // ------------------------------------------------------------------ loading

    private static LocationRule rule(String location, String id, Map<String, CustomerKey> keys)
    {
        String rest;
        if (location.startsWith("s3://")) {
            rest = location.substring(5);
        }
        else if (location.startsWith("s3a://") || location.startsWith("s3n://")) {
            rest = location.substring(6);
        }
        else {
            throw invalid("%s: location '%s' must start with s3://".formatted(LOCATIONS, location));
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw invalid("%s: location '%s' has no bucket".formatted(LOCATIONS, location));
        }
        if (!keys.containsKey(id)) {
            throw invalid("%s: location '%s' names the SSE-C key id '%s', which is not configured (known ids: %s)"
                    .formatted(LOCATIONS, location, id, keys.keySet()));
        }
        return new LocationRule(bucket, prefix, id);
    }

    private static void readKeyFile(Path file, Map<String, CustomerKey> keys)
    {
        checkPrivate(file, KEY_FILE);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (IOException e) {
            throw invalid("%s: cannot read %s: %s".formatted(KEY_FILE, file, e.getClass().getSimpleName()));
        }
        new TreeMap<>(properties).forEach((id, value) -> add(keys, (String) id, (String) value, "key file " + file));
    }

    private static void readKeystore(Path file, char[] password, Map<String, CustomerKey> keys)
    {
        checkPrivate(file, KEYSTORE);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, password);
                if (key instanceof SecretKey secret) {
                    checkId(alias, "keystore alias");
                    if (keys.containsKey(alias)) {
                        throw invalid("SSE-C key id '%s' is defined twice (keystore %s)".formatted(alias, file));
                    }
                    byte[] bytes = secret.getEncoded();
                    try {
                        keys.put(alias, new CustomerKey(alias, bytes));
                    }
                    catch (IllegalArgumentException e) {
                        throw invalid("keystore %s: %s".formatted(file, e.getMessage()));
                    }
                }
            }
        }
        catch (GlauxException e) {
            throw e;
        }
        catch (Exception e) {
            throw invalid("%s: cannot read the PKCS#12 keystore %s (wrong password or not a keystore?): %s"
                    .formatted(KEYSTORE, file, e.getClass().getSimpleName()));
        }
        finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static void add(Map<String, CustomerKey> keys, String id, String base64, String source)
    {
        checkId(id, source + ": key id");
        if (keys.containsKey(id)) {
            throw invalid("SSE-C key id '%s' is defined twice (%s)".formatted(id, source));
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        }
        catch (IllegalArgumentException e) {
            throw invalid("%s: the SSE-C key '%s' is not valid base64".formatted(source, id));
        }
        try {
            keys.put(id, new CustomerKey(id, raw));
        }
        catch (IllegalArgumentException e) {
            throw invalid("%s: %s".formatted(source, e.getMessage()));
        }
    }

    private static String checkId(String id, String what)
    {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw invalid("%s '%s' is not a valid SSE-C key id (letters, digits, '.', '_', '-', at most 128)".formatted(what, id));
        }
        return id;
    }

    private static void checkPrivate(Path file, String setting)
    {
        if (!Files.isRegularFile(file)) {
            throw invalid("%s: %s does not exist or is not a file".formatted(setting, file));
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            for (PosixFilePermission permission : permissions) {
                if (permission.name().startsWith("GROUP_") || permission.name().startsWith("OTHERS_")) {
                    throw invalid("%s: %s holds secret keys, so it must be readable by its owner only (chmod 600 %s)"
                            .formatted(setting, file, file));
                }
            }
        }
        catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        catch (IOException e) {
            throw invalid("%s: cannot read the permissions of %s".formatted(setting, file));
        }
    }

    private static GlauxException invalid(String message)
    {
        return new GlauxException(ErrorCode.ENCRYPTION_KEY_ERROR, message);
    }
}
