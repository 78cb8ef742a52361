package io.glaux.coordinator.metadata;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a query's predicates say about the varchar columns of a metadata table: for each constrained
 * column, a test its value must pass ({@code table_schema = 'web'}, {@code table_name LIKE 'acc%'}).
 * Listings use it to look up one schema or one table instead of all of them. Immutable.
 */
public final class MetadataFilter
{
    public static final MetadataFilter NONE = new MetadataFilter(Map.of(), Map.of());

    private final Map<String, Predicate<String>> tests;
    private final Map<String, String> equalities;

    private MetadataFilter(Map<String, Predicate<String>> tests, Map<String, String> equalities)
    {
        this.tests = Map.copyOf(tests);
        this.equalities = Map.copyOf(equalities);
    }

    /** This filter with {@code column = value} added. */
    public MetadataFilter withEquality(String column, String value)
    {
        Map<String, String> newEqualities = new HashMap<>(equalities);
        if (newEqualities.containsKey(column) && !newEqualities.get(column).equals(value)) {
            // two different values: no row passes
            return with(column, ignored -> false, newEqualities);
        }
        newEqualities.put(column, value);
        return with(column, value::equals, newEqualities);
    }

    /** This filter with {@code column LIKE pattern [ESCAPE escape]} added. */
    public MetadataFilter withLike(String column, String pattern, Optional<Character> escape)
    {
        Optional<String> exact = LikePattern.exactValue(pattern, escape);
        if (exact.isPresent()) {
            return withEquality(column, exact.get());
        }
        java.util.regex.Pattern regex = LikePattern.toRegex(pattern, escape);
        return with(column, value -> regex.matcher(value).matches(), equalities);
    }

    private MetadataFilter with(String column, Predicate<String> test, Map<String, String> newEqualities)
    {
        Map<String, Predicate<String>> newTests = new HashMap<>(tests);
        newTests.merge(column, test, Predicate::and);
        return new MetadataFilter(newTests, newEqualities);
    }

    /** Whether {@code value} of {@code column} may be in the result (NULL never is, when the column is constrained). */
    public boolean test(String column, String value)
    {
        Predicate<String> test = tests.get(column);
        return test == null || value != null && test.test(value);
    }

    /** The one value {@code column} must have, when the query says so. */
    public Optional<String> equality(String column)
    {
        return Optional.ofNullable(equalities.get(column));
    }

    /** This filter with its columns renamed ({@code table_schem} → {@code table_schema}); columns not mapped are dropped. */
    public MetadataFilter renamed(Map<String, String> names)
    {
        Map<String, Predicate<String>> newTests = new HashMap<>();
        Map<String, String> newEqualities = new HashMap<>();
        names.forEach((from, to) -> {
            if (tests.containsKey(from)) {
                newTests.put(to, tests.get(from));
            }
            if (equalities.containsKey(from)) {
                newEqualities.put(to, equalities.get(from));
            }
        });
        return new MetadataFilter(newTests, newEqualities);
    }

    @Override
    public String toString()
    {
        return "MetadataFilter" + tests.keySet() + equalities;
    }

    /** SQL LIKE patterns as regular expressions. */
    static final class LikePattern
    {
        private LikePattern() {}

        static Optional<String> exactValue(String pattern, Optional<Character> escape)
        {
            StringBuilder value = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (escape.isPresent() && c == escape.get() && i + 1 < pattern.length()) {
                    value.append(pattern.charAt(++i));
                }
                else if (c == '%' || c == '_') {
                    return Optional.empty();
                }
                else {
                    value.append(c);
                }
            }
            return Optional.of(value.toString());
        }

        static java.util.regex.Pattern toRegex(String pattern, Optional<Character> escape)
        {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (escape.isPresent() && c == escape.get() && i + 1 < pattern.length()) {
                    regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
                }
                else if (c == '%') {
                    regex.append(".*");
                }
                else if (c == '_') {
                    regex.append('.');
                }
                else {
                    regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL);
        }
    }
}
