package io.glaux.connectors.regex;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A grok pattern library (name → definition) and the compiler of grok expressions into one
 * {@link Pattern}. The standard library is the resource {@code grok-patterns} next to this class.
 *
 * <p>In an expression, {@code %{NAME}} is the pattern NAME, captured as field {@code NAME};
 * {@code %{NAME:field}} captures it as {@code field}; {@code %{NAME:field:type}} ignores the type (the
 * table's column decides); a field named {@code UNWANTED} is not captured. Inline named groups
 * {@code (?<field>...)} are fields too, and may contain '_' (which Java's group names may not). Only
 * fields that are the table's columns become capturing groups (matching is cheaper with fewer groups);
 * field names match columns case-insensitively. Immutable and thread-safe.
 */
public final class GrokPatterns
{
    private static final String RESOURCE = "grok-patterns";
    private static final String UNWANTED = "UNWANTED";
    private static final GrokPatterns STANDARD = new GrokPatterns(parse(readResource(), "the standard grok library"));

    private final Map<String, String> patterns;

    private GrokPatterns(Map<String, String> patterns)
    {
        this.patterns = Map.copyOf(patterns);
    }

    /** The standard library (the Logstash and AWS Glue pattern names). */
    public static GrokPatterns standard()
    {
        return STANDARD;
    }

    /**
     * This library with {@code definitions} added (and replacing patterns of the same name): lines
     * {@code NAME regex}; blank lines and lines starting with '#' are ignored.
     *
     * @param source what the definitions are, for messages (e.g. the property's name)
     */
    public GrokPatterns with(String definitions, String source)
    {
        requireNonNull(definitions, "definitions is null");
        Map<String, String> merged = new HashMap<>(patterns);
        merged.putAll(parse(definitions, source));
        return new GrokPatterns(merged);
    }

    /** The pattern names, sorted. */
    public Set<String> names()
    {
        return new TreeSet<>(patterns.keySet());
    }

    /** How long java.util.regex may take on one line (plus 1 µs per character) when RE2 cannot run a grok expression. */
    static final long MAX_NANOS_PER_LINE = 1_000_000_000L;

    /**
     * A compiled grok expression: the pattern, and the capturing groups of each field (lower case), in
     * order of appearance. {@code linear} is the same expression in RE2/J when RE2 can express it (then
     * lines are matched in linear time); otherwise lines are matched by {@code pattern} with a time
     * bound per line (the standard library's lookbehinds and possessive quantifiers need it).
     */
    public record Compiled(Pattern pattern, Optional<com.google.re2j.Pattern> linear, String regex, Map<String, int[]> groups)
    {
        public Compiled
        {
            requireNonNull(pattern, "pattern is null");
            requireNonNull(linear, "linear is null");
            requireNonNull(regex, "regex is null");
            groups = Map.copyOf(groups);
        }

        /** A matcher for one reader; {@code source} names the table property, for a time-bound error. */
        LineMatcher newMatcher(String source)
        {
            return linear.<LineMatcher>map(LineMatcher.Re2::new).orElseGet(() -> new LineMatcher.Bounded(pattern, MAX_NANOS_PER_LINE, source));
        }
    }

    /**
     * Compiles {@code expression}, capturing only the fields in {@code fields} (lower case).
     *
     * @param source the expression's name, for messages (e.g. the property's name)
     * @throws GlauxException {@code INVALID_TABLE_PROPERTY} for an unknown or recursive pattern reference,
     *         an unclosed {@code %{}, or an expression that is not a valid regular expression once expanded
     */
    public Compiled compile(String expression, Set<String> fields, String source)
    {
        requireNonNull(expression, "expression is null");
        requireNonNull(fields, "fields is null");
        Expander expander = new Expander(fields, source);
        expander.expand(expression, new ArrayDeque<>());
        String regex = expander.out.toString();
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        }
        catch (PatternSyntaxException e) {
            throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Invalid %s: once its grok patterns are expanded it is not a valid regular expression: %s"
                    .formatted(source, e.getDescription()), e);
        }
        Map<String, Integer> named = pattern.namedGroups();
        Map<String, List<Integer>> byField = new LinkedHashMap<>();
        for (int i = 0; i < expander.groupFields.size(); i++) {
            byField.computeIfAbsent(expander.groupFields.get(i), _ -> new ArrayList<>()).add(named.get(groupName(i)));
        }
        Map<String, int[]> groups = new HashMap<>();
        byField.forEach((field, numbers) -> groups.put(field, numbers.stream().mapToInt(Integer::intValue).toArray()));
        return new Compiled(pattern, linear(regex, named), regex, groups);
    }

    /** The expression in RE2/J if RE2 accepts it and numbers its groups the same way; empty otherwise. */
    private static Optional<com.google.re2j.Pattern> linear(String regex, Map<String, Integer> named)
    {
        try {
            com.google.re2j.Pattern pattern = com.google.re2j.Pattern.compile(regex);
            return pattern.namedGroups().equals(named) ? Optional.of(pattern) : Optional.empty();
        }
        catch (com.google.re2j.PatternSyntaxException e) {
            return Optional.empty();
        }
    }

    private static String groupName(int index)
    {
        return "grok" + index;
    }

    /** Expands pattern references into one regular expression, numbering the capturing groups. */
    private final class Expander
    {
        private final Set<String> fields;
        private final String source;
        private final StringBuilder out = new StringBuilder();
        /** The field (lower case) of each capturing group added, by index. */
        private final List<String> groupFields = new ArrayList<>();

        Expander(Set<String> fields, String source)
        {
            this.fields = fields;
            this.source = source;
        }

        void expand(String expression, Deque<String> stack)
        {
            int i = 0;
            int length = expression.length();
            while (i < length) {
                char c = expression.charAt(i);
                if (c == '\\' && i + 1 < length) {
                    out.append(c).append(expression.charAt(i + 1));
                    i += 2;
                }
                else if (c == '%' && i + 1 < length && expression.charAt(i + 1) == '{') {
                    int close = expression.indexOf('}', i + 2);
                    if (close < 0) {
                        throw invalid("'%%{' without a closing '}' at character %d of %s".formatted(i + 1, describe(stack)));
                    }
                    reference(expression.substring(i + 2, close), stack);
                    i = close + 1;
                }
                else if (c == '(' && expression.startsWith("(?<", i) && i + 3 < length && Character.isLetter(expression.charAt(i + 3))) {
                    // an inline named group: (?<field>...)
                    int close = expression.indexOf('>', i + 3);
                    if (close < 0) {
                        throw invalid("unclosed group name at character %d of %s".formatted(i + 1, describe(stack)));
                    }
                    openGroup(expression.substring(i + 3, close));
                    i = close + 1;
                }
                else {
                    out.append(c);
                    i++;
                }
            }
        }

        private void reference(String spec, Deque<String> stack)
        {
            String[] parts = spec.split(":", 3);
            String name = parts[0].trim();
            String field = parts.length > 1 ? parts[1].trim() : name;
            String definition = patterns.get(name);
            if (definition == null) {
                throw invalid("unknown grok pattern '%s' in %s; define it in input.grokCustomPatterns".formatted(name, describe(stack)));
            }
            if (stack.contains(name)) {
                throw invalid("grok pattern '%s' refers to itself (%s -> %s)".formatted(name, String.join(" -> ", stack.reversed()), name));
            }
            openGroup(field);
            stack.push(name);
            expand(definition, stack);
            stack.pop();
            out.append(')');
        }

        private void openGroup(String field)
        {
            String lower = field.toLowerCase(Locale.ROOT);
            if (field.equals(UNWANTED) || !fields.contains(lower)) {
                out.append("(?:");
                return;
            }
            out.append("(?<").append(groupName(groupFields.size())).append('>');
            groupFields.add(lower);
        }

        private String describe(Deque<String> stack)
        {
            return stack.isEmpty() ? source : "grok pattern " + stack.peek();
        }

        private GlauxException invalid(String message)
        {
            return new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Invalid %s: %s".formatted(source, message));
        }
    }

    private static Map<String, String> parse(String definitions, String source)
    {
        Map<String, String> parsed = new HashMap<>();
        int number = 0;
        for (String line : definitions.split("\r\n|\n|\r")) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int space = 0;
            while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) {
                space++;
            }
            String name = trimmed.substring(0, space);
            String definition = trimmed.substring(space).strip();
            if (!name.matches("[A-Za-z0-9_]+") || definition.isEmpty()) {
                throw new GlauxException(ErrorCode.INVALID_TABLE_PROPERTY, "Invalid %s: line %d is not 'NAME regex': %s".formatted(source, number, line));
            }
            parsed.put(name, definition);
        }
        return parsed;
    }

    private static String readResource()
    {
        try (InputStream in = GrokPatterns.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
