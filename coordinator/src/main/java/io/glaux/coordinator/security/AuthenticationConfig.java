package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the coordinator authenticates clients (keys in docs/security.md):
 * <ul>
 *   <li>{@value #TYPE}: {@code PASSWORD}, {@code JWT} or {@code PASSWORD,JWT} (tried in that order);</li>
 *   <li>{@value #PASSWORD_FILE}: the bcrypt password file ({@code user:hash} lines);</li>
 *   <li>{@value #JWT_KEY_FILE}: a JWKS file of public keys; {@value #JWT_REQUIRED_ISSUER},
 *       {@value #JWT_REQUIRED_AUDIENCE}, {@value #JWT_PRINCIPAL_FIELD} ({@code sub});</li>
 *   <li>{@value #ALLOW_ANONYMOUS}: requests without credentials run as their {@code X-Trino-User}
 *       (only when set to true; a coordinator with no authentication type must set it);</li>
 *   <li>{@value #ADMIN_USERS}: comma-separated users who may see and cancel every query.</li>
 * </ul>
 */
public record AuthenticationConfig(
        Optional<PasswordAuthenticator> passwords,
        Optional<JwtAuthenticator> jwt,
        boolean allowAnonymous,
        Set<String> adminUsers)
{
    public static final String TYPE = "http-server.authentication.type";
    public static final String PASSWORD_FILE = "http-server.authentication.password.file";
    public static final String JWT_KEY_FILE = "http-server.authentication.jwt.key-file";
    public static final String JWT_REQUIRED_ISSUER = "http-server.authentication.jwt.required-issuer";
    public static final String JWT_REQUIRED_AUDIENCE = "http-server.authentication.jwt.required-audience";
    public static final String JWT_PRINCIPAL_FIELD = "http-server.authentication.jwt.principal-field";
    public static final String ALLOW_ANONYMOUS = "http-server.authentication.allow-anonymous";
    public static final String ADMIN_USERS = "http-server.authentication.admin-users";
    public static final Set<String> CONFIG_KEYS = Set.of(TYPE, PASSWORD_FILE, JWT_KEY_FILE, JWT_REQUIRED_ISSUER,
            JWT_REQUIRED_AUDIENCE, JWT_PRINCIPAL_FIELD, ALLOW_ANONYMOUS, ADMIN_USERS);

    public AuthenticationConfig
    {
        requireNonNull(passwords, "passwords is null");
        requireNonNull(jwt, "jwt is null");
        adminUsers = Set.copyOf(adminUsers);
    }

    /** How the web console signs users in: {@code password}, {@code token} (JWT only: not from the console) or {@code none}. */
    public String consoleMethod()
    {
        if (passwords.isPresent()) {
            return "password";
        }
        return jwt.isPresent() ? "token" : "none";
    }

    /** Anonymous access, no authenticators (tests and the demo). */
    public static AuthenticationConfig anonymous()
    {
        return new AuthenticationConfig(Optional.empty(), Optional.empty(), true, Set.of());
    }

    public static AuthenticationConfig fromProperties(Map<String, String> properties)
    {
        List<String> types = new ArrayList<>();
        for (String type : properties.getOrDefault(TYPE, "").split(",")) {
            if (!type.isBlank()) {
                types.add(type.strip().toUpperCase(Locale.ROOT));
            }
        }
        Optional<PasswordAuthenticator> passwords = Optional.empty();
        Optional<JwtAuthenticator> jwt = Optional.empty();
        for (String type : types) {
            switch (type) {
                case "PASSWORD" -> passwords = Optional.of(PasswordAuthenticator.fromFile(Path.of(required(properties, PASSWORD_FILE, type))));
                case "JWT" -> jwt = Optional.of(new JwtAuthenticator(Path.of(required(properties, JWT_KEY_FILE, type)),
                        optional(properties, JWT_REQUIRED_ISSUER), optional(properties, JWT_REQUIRED_AUDIENCE),
                        properties.getOrDefault(JWT_PRINCIPAL_FIELD, "sub")));
                default -> throw new IllegalArgumentException("%s: unknown authentication type '%s' (expected PASSWORD, JWT or PASSWORD,JWT)".formatted(TYPE, type));
            }
        }
        String anonymous = properties.getOrDefault(ALLOW_ANONYMOUS, "false").strip();
        if (!anonymous.equals("true") && !anonymous.equals("false")) {
            throw new IllegalArgumentException("%s must be true or false, not '%s'".formatted(ALLOW_ANONYMOUS, anonymous));
        }
        boolean allowAnonymous = Boolean.parseBoolean(anonymous);
        if (types.isEmpty() && !allowAnonymous) {
            throw new IllegalArgumentException("No client authentication is configured: set %s (PASSWORD and/or JWT), or %s=true to let anyone in without credentials"
                    .formatted(TYPE, ALLOW_ANONYMOUS));
        }
        Set<String> admins = new java.util.TreeSet<>();
        for (String admin : properties.getOrDefault(ADMIN_USERS, "").split(",")) {
            if (!admin.isBlank()) {
                admins.add(admin.strip());
            }
        }
        return new AuthenticationConfig(passwords, jwt, allowAnonymous, admins);
    }

    private static String required(Map<String, String> properties, String key, String type)
    {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("%s=%s needs %s".formatted(TYPE, type, key));
        }
        return value.strip();
    }

    private static Optional<String> optional(Map<String, String> properties, String key)
    {
        return Optional.ofNullable(properties.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }
}
