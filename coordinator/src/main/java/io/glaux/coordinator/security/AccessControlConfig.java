package io.glaux.coordinator.security;

import io.glaux.coordinator.limits.QueryLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which {@link AccessControl} the coordinator uses (keys in docs/security.md):
 * <ul>
 *   <li>{@value #RULES_FILE}: the JSON rules file ({@link FileAccessControl}); without it everyone may do everything;</li>
 *   <li>{@value #GROUP_FILE}: {@code group:user1,user2} lines, the groups rules match with {@code "group"};</li>
 *   <li>{@value #REFRESH_PERIOD}: how often the files are checked for changes (none: read once at start).</li>
 * </ul>
 */
public final class AccessControlConfig
{
    public static final String RULES_FILE = "access-control.rules-file";
    public static final String GROUP_FILE = "access-control.group-file";
    public static final String REFRESH_PERIOD = "access-control.refresh-period";
    public static final Set<String> CONFIG_KEYS = Set.of(RULES_FILE, GROUP_FILE, REFRESH_PERIOD);

    private AccessControlConfig() {}

    /** The access control the properties describe; {@link IllegalArgumentException} naming the file and rule for bad rules. */
    public static AccessControl fromProperties(Map<String, String> properties)
    {
        String rules = properties.get(RULES_FILE);
        Optional<Path> groups = Optional.ofNullable(properties.get(GROUP_FILE)).filter(value -> !value.isBlank()).map(value -> Path.of(value.strip()));
        if (rules == null || rules.isBlank()) {
            if (groups.isPresent()) {
                throw new IllegalArgumentException(GROUP_FILE + " is set but " + RULES_FILE + " is not: groups are only used by rules");
            }
            return AccessControl.allowAll();
        }
        Optional<Duration> refresh = properties.containsKey(REFRESH_PERIOD)
                ? Optional.of(QueryLimits.duration(properties, REFRESH_PERIOD, Duration.ofSeconds(5)))
                : Optional.empty();
        return new FileAccessControl(Path.of(rules.strip()), groups, refresh);
    }
}
