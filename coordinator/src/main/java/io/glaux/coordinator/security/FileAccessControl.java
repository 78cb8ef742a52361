package io.glaux.coordinator.security;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Access control from a JSON rules file, in the shape of Trino's file-based access control
 * (docs/security.md has the format and a worked example):
 * <ul>
 *   <li>{@code catalogs}: {@code {user, group, catalog, allow: all|read-only|none}};</li>
 *   <li>{@code schemas}: {@code {user, group, catalog, schema, owner: true|false}}: owners create and drop the schema;</li>
 *   <li>{@code tables}: {@code {user, group, catalog, schema, table, privileges: [SELECT, OWNERSHIP, ...]}}:
 *       SELECT reads, OWNERSHIP defines (CREATE, DROP, ALTER, MSCK, SHOW CREATE);</li>
 *   <li>{@code locations}: {@code {user, group, location: "s3://bucket/prefix/"}}: the storage a user's
 *       tables, partitions and schemas may point at;</li>
 *   <li>{@code groups}: {@code {"group": ["user", ...]}}, added to those of {@code access-control.group-file}.</li>
 * </ul>
 * {@code user}, {@code group} and the object names are regular expressions matching the whole name
 * (default {@code .*}). In each section the first rule that matches decides; no match denies; an absent
 * section allows everything it covers. Writes also need the catalog at {@code all}. The {@code system}
 * catalog (its rows are filtered) and {@code information_schema} are readable by everyone who can access
 * the catalog.
 */
public final class FileAccessControl
        implements AccessControl
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SYSTEM_CATALOG = "system";
    private static final String INFORMATION_SCHEMA = "information_schema";

    enum CatalogAccess { ALL, READ_ONLY, NONE }

    enum Privilege { SELECT, INSERT, DELETE, UPDATE, OWNERSHIP, GRANT_SELECT }

    private final Path rulesFile;
    private final Optional<Path> groupFile;
    private final Optional<Duration> refreshPeriod;
    private volatile Rules rules;
    private volatile long checkedNanos;
    private volatile List<FileTime> loadedTimes;

    public FileAccessControl(Path rulesFile, Optional<Path> groupFile, Optional<Duration> refreshPeriod)
    {
        this.rulesFile = requireNonNull(rulesFile, "rulesFile is null");
        this.groupFile = requireNonNull(groupFile, "groupFile is null");
        this.refreshPeriod = requireNonNull(refreshPeriod, "refreshPeriod is null");
        this.loadedTimes = modificationTimes();
        this.rules = load(rulesFile, groupFile);
        this.checkedNanos = System.nanoTime();
    }

    /** The rules now in force: reloaded when the files changed and {@code access-control.refresh-period} has passed. */
    private Rules rules()
    {
        if (refreshPeriod.isPresent() && System.nanoTime() - checkedNanos >= refreshPeriod.get().toNanos()) {
            synchronized (this) {
                if (System.nanoTime() - checkedNanos >= refreshPeriod.get().toNanos()) {
                    checkedNanos = System.nanoTime();
                    List<FileTime> times = modificationTimes();
                    if (!times.equals(loadedTimes)) {
                        try {
                            rules = load(rulesFile, groupFile);
                            loadedTimes = times;
                        }
                        catch (IllegalArgumentException e) {
                            // keep the rules in force; a broken edit must not open (or close) everything
                            org.slf4j.LoggerFactory.getLogger(FileAccessControl.class).warn("Access-control rules not reloaded: {}", e.getMessage());
                        }
                    }
                }
            }
        }
        return rules;
    }

    private List<FileTime> modificationTimes()
    {
        List<FileTime> times = new ArrayList<>();
        for (Path path : groupFile.map(group -> List.of(rulesFile, group)).orElse(List.of(rulesFile))) {
            try {
                times.add(Files.getLastModifiedTime(path));
            }
            catch (IOException e) {
                times.add(FileTime.fromMillis(-1));
            }
        }
        return times;
    }

    @Override
    public Set<String> groupsOf(String user)
    {
        return Set.copyOf(rules().groupsOf(user));
    }

    // --- checks

    @Override
    public void checkCanAccessCatalog(String user, String catalog)
    {
        if (rules().catalogAccess(user, catalog) == CatalogAccess.NONE) {
            throw AccessControl.denied("Cannot access catalog " + catalog);
        }
    }

    @Override
    public void checkCanSelect(String user, QualifiedName table)
    {
        Rules current = rules();
        if (current.catalogAccess(user, table.catalog()) == CatalogAccess.NONE) {
            throw AccessControl.denied("Cannot access catalog " + table.catalog());
        }
        if (isMetadata(table.catalog(), table.schema())) {
            return;
        }
        if (!current.tablePrivileges(user, table).contains(Privilege.SELECT)) {
            throw AccessControl.denied("Cannot select from table " + table);
        }
    }

    @Override
    public void checkCanShowColumns(String user, QualifiedName table)
    {
        Rules current = rules();
        if (current.catalogAccess(user, table.catalog()) == CatalogAccess.NONE) {
            throw AccessControl.denied("Cannot access catalog " + table.catalog());
        }
        if (!isMetadata(table.catalog(), table.schema()) && current.tablePrivileges(user, table).isEmpty()) {
            throw AccessControl.denied("Cannot show columns of table " + table);
        }
    }

    @Override
    public void checkCanShowTables(String user, String catalog, String schema)
    {
        Rules current = rules();
        if (current.catalogAccess(user, catalog) == CatalogAccess.NONE) {
            throw AccessControl.denied("Cannot access catalog " + catalog);
        }
        if (!isMetadata(catalog, schema) && !current.schemaVisible(user, catalog, schema)) {
            throw AccessControl.denied("Cannot show tables of schema " + catalog + "." + schema);
        }
    }

    @Override
    public void checkCanCreateSchema(String user, String catalog, String schema)
    {
        Rules current = rules();
        if (!current.canWrite(user, catalog) || !current.isSchemaOwner(user, catalog, schema)) {
            throw AccessControl.denied("Cannot create schema " + catalog + "." + schema);
        }
    }

    @Override
    public void checkCanDropSchema(String user, String catalog, String schema)
    {
        Rules current = rules();
        if (!current.canWrite(user, catalog) || !current.isSchemaOwner(user, catalog, schema)) {
            throw AccessControl.denied("Cannot drop schema " + catalog + "." + schema);
        }
    }

    @Override
    public void checkCanCreateTable(String user, QualifiedName table)
    {
        checkOwnership(user, table, "Cannot create table ");
    }

    @Override
    public void checkCanDropTable(String user, QualifiedName table)
    {
        checkOwnership(user, table, "Cannot drop table ");
    }

    @Override
    public void checkCanAlterTable(String user, QualifiedName table)
    {
        checkOwnership(user, table, "Cannot alter table ");
    }

    @Override
    public void checkCanCreateView(String user, QualifiedName view)
    {
        checkOwnership(user, view, "Cannot create view ");
    }

    @Override
    public void checkCanDropView(String user, QualifiedName view)
    {
        checkOwnership(user, view, "Cannot drop view ");
    }

    @Override
    public void checkCanShowCreateTable(String user, QualifiedName table)
    {
        Rules current = rules();
        if (current.catalogAccess(user, table.catalog()) == CatalogAccess.NONE || !current.tablePrivileges(user, table).contains(Privilege.OWNERSHIP)) {
            throw AccessControl.denied("Cannot show create table for " + table);
        }
    }

    private void checkOwnership(String user, QualifiedName table, String message)
    {
        Rules current = rules();
        if (!current.canWrite(user, table.catalog()) || !current.tablePrivileges(user, table).contains(Privilege.OWNERSHIP)) {
            throw AccessControl.denied(message + table);
        }
    }

    @Override
    public void checkCanUseLocation(String user, String location, String object)
    {
        if (!rules().locationAllowed(user, location)) {
            throw AccessControl.denied("Cannot use location " + location + " for " + object + " (not under a location the rules allow this user)");
        }
    }

    // --- filters

    @Override
    public List<String> filterCatalogs(String user, Collection<String> catalogs)
    {
        Rules current = rules();
        return catalogs.stream().filter(catalog -> current.catalogAccess(user, catalog) != CatalogAccess.NONE).toList();
    }

    @Override
    public List<String> filterSchemas(String user, String catalog, Collection<String> schemas)
    {
        Rules current = rules();
        if (current.catalogAccess(user, catalog) == CatalogAccess.NONE) {
            return List.of();
        }
        return schemas.stream().filter(schema -> isMetadata(catalog, schema) || current.schemaVisible(user, catalog, schema)).toList();
    }

    @Override
    public List<String> filterTables(String user, String catalog, String schema, Collection<String> tables)
    {
        Rules current = rules();
        if (current.catalogAccess(user, catalog) == CatalogAccess.NONE) {
            return List.of();
        }
        if (isMetadata(catalog, schema)) {
            return List.copyOf(tables);
        }
        return tables.stream().filter(table -> !current.tablePrivileges(user, new QualifiedName(catalog, schema, table)).isEmpty()).toList();
    }

    private static boolean isMetadata(String catalog, String schema)
    {
        return catalog.equals(SYSTEM_CATALOG) || schema.equals(INFORMATION_SCHEMA);
    }

    @Override
    public String toString()
    {
        return "file:" + rulesFile;
    }

    // --- the rules

    private record Subject(Pattern user, Pattern group)
    {
        boolean matches(String name, Set<String> groups)
        {
            if (!user.matcher(name).matches()) {
                return false;
            }
            if (group.pattern().equals(".*")) {
                return true;
            }
            for (String candidate : groups) {
                if (group.matcher(candidate).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    private record CatalogRule(Subject subject, Pattern catalog, CatalogAccess access) {}

    private record SchemaRule(Subject subject, Pattern catalog, Pattern schema, boolean owner) {}

    private record TableRule(Subject subject, Pattern catalog, Pattern schema, Pattern table, Set<Privilege> privileges) {}

    private record LocationRule(Subject subject, String prefix) {}

    /** One loaded rules file: absent sections are empty Optionals (they allow everything they cover). */
    private record Rules(
            Optional<List<CatalogRule>> catalogs,
            Optional<List<SchemaRule>> schemas,
            Optional<List<TableRule>> tables,
            Optional<List<LocationRule>> locations,
            Map<String, Set<String>> groups)
    {
        Set<String> groupsOf(String user)
        {
            return groups.getOrDefault(user, Set.of());
        }

        CatalogAccess catalogAccess(String user, String catalog)
        {
            if (catalogs.isEmpty()) {
                return CatalogAccess.ALL;
            }
            Set<String> userGroups = groupsOf(user);
            for (CatalogRule rule : catalogs.get()) {
                if (rule.subject().matches(user, userGroups) && rule.catalog().matcher(catalog).matches()) {
                    return catalog.equals(SYSTEM_CATALOG) && rule.access() == CatalogAccess.NONE ? CatalogAccess.READ_ONLY : rule.access();
                }
            }
            // the JDBC driver's metadata calls read system.jdbc, whose rows are filtered anyway
            return catalog.equals(SYSTEM_CATALOG) ? CatalogAccess.READ_ONLY : CatalogAccess.NONE;
        }

        boolean canWrite(String user, String catalog)
        {
            return !catalog.equals(SYSTEM_CATALOG) && catalogAccess(user, catalog) == CatalogAccess.ALL;
        }

        boolean isSchemaOwner(String user, String catalog, String schema)
        {
            if (schemas.isEmpty()) {
                return true;
            }
            Set<String> userGroups = groupsOf(user);
            for (SchemaRule rule : schemas.get()) {
                if (rule.subject().matches(user, userGroups) && rule.catalog().matcher(catalog).matches() && rule.schema().matcher(schema).matches()) {
                    return rule.owner();
                }
            }
            return false;
        }

        Set<Privilege> tablePrivileges(String user, QualifiedName table)
        {
            if (catalogAccess(user, table.catalog()) == CatalogAccess.NONE) {
                return Set.of();
            }
            if (tables.isEmpty()) {
                return EnumSet.allOf(Privilege.class);
            }
            Set<String> userGroups = groupsOf(user);
            for (TableRule rule : tables.get()) {
                if (rule.subject().matches(user, userGroups) && rule.catalog().matcher(table.catalog()).matches()
                        && rule.schema().matcher(table.schema()).matches() && rule.table().matcher(table.name()).matches()) {
                    return rule.privileges();
                }
            }
            return Set.of();
        }

        /** A schema is visible to its owner and to anyone a table rule grants something in it. */
        boolean schemaVisible(String user, String catalog, String schema)
        {
            if (catalogAccess(user, catalog) == CatalogAccess.NONE) {
                return false;
            }
            if (schemas.isPresent() && isSchemaOwner(user, catalog, schema)) {
                return true;
            }
            if (tables.isEmpty()) {
                return true;
            }
            Set<String> userGroups = groupsOf(user);
            for (TableRule rule : tables.get()) {
                if (!rule.privileges().isEmpty() && rule.subject().matches(user, userGroups) && rule.catalog().matcher(catalog).matches()
                        && rule.schema().matcher(schema).matches()) {
                    return true;
                }
            }
            return false;
        }

        boolean locationAllowed(String user, String location)
        {
            if (locations.isEmpty()) {
                return true;
            }
            Optional<String> normalized = normalizeLocation(location);
            if (normalized.isEmpty()) {
                return false;
            }
            Set<String> userGroups = groupsOf(user);
            for (LocationRule rule : locations.get()) {
                if (rule.subject().matches(user, userGroups) && normalized.get().startsWith(rule.prefix())) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code s3a://Bucket/a/b} → {@code s3://bucket/a/b/}: one scheme, the bucket in lower case, a
     * trailing slash so that a prefix matches whole path segments only. Empty for anything that is not
     * an object-store location or has {@code .}/{@code ..}/empty segments (path games).
     */
    static Optional<String> normalizeLocation(String location)
    {
        int schemeEnd = location.indexOf("://");
        if (schemeEnd < 0) {
            return Optional.empty();
        }
        String scheme = location.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("s3") && !scheme.equals("s3a") && !scheme.equals("s3n")) {
            return Optional.empty();
        }
        String rest = location.substring(schemeEnd + 3);
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String[] segments = rest.split("/", -1);
        if (segments.length == 0 || segments[0].isEmpty()) {
            return Optional.empty();
        }
        StringBuilder normalized = new StringBuilder("s3://").append(segments[0].toLowerCase(Locale.ROOT)).append('/');
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                return Optional.empty();
            }
            normalized.append(segment).append('/');
        }
        return Optional.of(normalized.toString());
    }

    // --- loading

    private static Rules load(Path rulesFile, Optional<Path> groupFile)
    {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(rulesFile));
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Access-control rules file " + rulesFile + " is not valid JSON: " + e.getOriginalMessage());
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the access-control rules file " + rulesFile + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Access-control rules file " + rulesFile + " must hold a JSON object");
        }
        Set<String> known = Set.of("catalogs", "schemas", "tables", "locations", "groups");
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(rulesFile + ": unknown section '" + name + "' (known: catalogs, schemas, tables, locations, groups)");
            }
        }
        Map<String, Set<String>> groups = new HashMap<>();
        groupFile.ifPresent(path -> readGroupFile(path, groups));
        JsonNode groupSection = root.get("groups");
        if (groupSection != null) {
            if (!groupSection.isObject()) {
                throw new IllegalArgumentException(rulesFile + ": 'groups' must map group names to lists of users");
            }
            groupSection.properties().forEach(entry -> {
                if (!entry.getValue().isArray()) {
                    throw new IllegalArgumentException(rulesFile + ": group '" + entry.getKey() + "' must be a list of users");
                }
                entry.getValue().forEach(member -> groups.computeIfAbsent(member.asText(), ignored -> new HashSet<>()).add(entry.getKey()));
            });
        }
        return new Rules(
                section(root, "catalogs", rulesFile, (rule, where) -> new CatalogRule(subject(rule, where), pattern(rule, "catalog", where), catalogAccess(rule, where))),
                section(root, "schemas", rulesFile, (rule, where) -> new SchemaRule(subject(rule, where), pattern(rule, "catalog", where), pattern(rule, "schema", where),
                        rule.path("owner").asBoolean(false))),
                section(root, "tables", rulesFile, (rule, where) -> new TableRule(subject(rule, where), pattern(rule, "catalog", where), pattern(rule, "schema", where),
                        pattern(rule, "table", where), privileges(rule, where))),
                section(root, "locations", rulesFile, (rule, where) -> new LocationRule(subject(rule, where), locationPrefix(rule, where))),
                groups);
    }

    private interface RuleReader<T>
    {
        T read(JsonNode rule, String where);
    }

    private static <T> Optional<List<T>> section(JsonNode root, String name, Path file, RuleReader<T> reader)
    {
        JsonNode section = root.get(name);
        if (section == null) {
            return Optional.empty();
        }
        if (!section.isArray()) {
            throw new IllegalArgumentException(file + ": '" + name + "' must be a list of rules");
        }
        List<T> rules = new ArrayList<>();
        for (int i = 0; i < section.size(); i++) {
            rules.add(reader.read(section.get(i), file + ": " + name + "[" + i + "]"));
        }
        return Optional.of(List.copyOf(rules));
    }

    private static Subject subject(JsonNode rule, String where)
    {
        return new Subject(pattern(rule, "user", where), pattern(rule, "group", where));
    }

    private static Pattern pattern(JsonNode rule, String field, String where)
    {
        JsonNode value = rule.get(field);
        String regex = value == null ? ".*" : value.asText();
        try {
            return Pattern.compile(regex);
        }
        catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": '" + field + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    private static CatalogAccess catalogAccess(JsonNode rule, String where)
    {
        JsonNode allow = rule.get("allow");
        if (allow == null) {
            throw new IllegalArgumentException(where + ": a catalog rule needs 'allow' (all, read-only or none)");
        }
        if (allow.isBoolean()) {
            return allow.asBoolean() ? CatalogAccess.ALL : CatalogAccess.NONE;
        }
        return switch (allow.asText().toLowerCase(Locale.ROOT)) {
            case "all" -> CatalogAccess.ALL;
            case "read-only" -> CatalogAccess.READ_ONLY;
            case "none" -> CatalogAccess.NONE;
            default -> throw new IllegalArgumentException(where + ": 'allow' is '" + allow.asText() + "'; expected all, read-only or none");
        };
    }

    private static Set<Privilege> privileges(JsonNode rule, String where)
    {
        JsonNode list = rule.get("privileges");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(where + ": a table rule needs 'privileges', a list such as [\"SELECT\"] ([] for none)");
        }
        Set<Privilege> privileges = EnumSet.noneOf(Privilege.class);
        for (JsonNode item : list) {
            try {
                privileges.add(Privilege.valueOf(item.asText().toUpperCase(Locale.ROOT)));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": unknown privilege '" + item.asText() + "' (known: SELECT, INSERT, DELETE, UPDATE, OWNERSHIP, GRANT_SELECT)");
            }
        }
        return Set.copyOf(privileges);
    }

    private static String locationPrefix(JsonNode rule, String where)
    {
        JsonNode value = rule.get("location");
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(where + ": a location rule needs 'location', e.g. \"s3://bucket/prefix/\"");
        }
        return normalizeLocation(value.asText()).orElseThrow(() ->
                new IllegalArgumentException(where + ": '" + value.asText() + "' is not an s3://bucket/prefix location"));
    }

    /** Trino's group file: one {@code group:user1,user2} per line; blank lines and {@code #} comments skipped. */
    private static void readGroupFile(Path path, Map<String, Set<String>> groups)
    {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the group file " + path + ": " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Error in group file " + path + " line " + (i + 1) + ": expected group:user1,user2");
            }
            String group = line.substring(0, colon).strip();
            for (String user : line.substring(colon + 1).split(",")) {
                if (!user.isBlank()) {
                    groups.computeIfAbsent(user.strip(), ignored -> new HashSet<>()).add(group);
                }
            }
        }
    }
}
