package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/** The regular-expression fast path must give RE2/J's answer for every pattern it accepts. */
class SimpleRegexTest
{
    private static final List<String> ACCEPTED = List.of(
            "^/([a-z]+)", "(\\w+)@(\\w+)", "[0-9]+", "^GET /api/", "a", "ab*c", "^a*$", "b+$", "(a)(b?)c",
            "[^/]+/x", "\\d{2,3}-\\d{4}", "x.y", "^([^ ]*) (\\d+)", "[]a]+b", "[a-]+/", "\\.([a-z]{1,2})$",
            "a{0}b", "c{2}", "a?b", "(a*)b", "^\\s*([a-c]+)\\s*$", "[^a]", ".");
    private static final List<String> REFUSED = List.of(
            "a|b", "(?i)a", "(a)+", "a*?", "a+a", "[a-c]*b", "\\bword", "((a))", "(?:a)", "é+", "a.*b", "\\pL", "", "^", "(a)(b)?c",
            "[[:alpha:]]", "a{2,1}", "a*a?", "x$y", ".+z");

    @Test
    void acceptsAndRefuses()
    {
        for (String pattern : ACCEPTED) {
            assertThat(SimpleRegex.compile(pattern)).as(pattern).isNotNull();
        }
        for (String pattern : REFUSED) {
            assertThat(SimpleRegex.compile(pattern)).as(pattern).isNull();
        }
    }

    @Test
    void agreesWithRe2()
    {
        SplittableRandom random = new SplittableRandom(42);
        String alphabet = "abcxy/@ .-_]09\nGET api";
        for (String pattern : ACCEPTED) {
            SimpleRegex fast = SimpleRegex.compile(pattern);
            Matcher matcher = Pattern.compile(pattern).matcher("");
            assertThat(fast.groupCount()).as(pattern).isEqualTo(matcher.groupCount());
            for (int n = 0; n < 3000; n++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(12);
                for (int k = 0; k < length; k++) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String input = random.nextInt(4) == 0 ? "GET /api/" + text : text.toString();
                check(fast, matcher, pattern, input, random.nextInt(3));
            }
        }
    }

    @Test
    void fixedInputs()
    {
        String[][] cases = {
                {"^/([a-z]+)", "/api/v1/users"}, {"^/([a-z]+)", "api"}, {"^/([a-z]+)", "/123"},
                {"(\\w+)@(\\w+)", "mail bob@example now"}, {"[0-9]+", "ab12c34"}, {"[0-9]+", "none"},
                {"^a*$", ""}, {"b+$", "abbb"}, {"b+$", "abbba"}, {"(a*)b", "xxb"}};
        for (String[] c : cases) {
            SimpleRegex fast = SimpleRegex.compile(c[0]);
            Matcher matcher = Pattern.compile(c[0]).matcher("");
            for (int group = 0; group <= fast.groupCount(); group++) {
                check(fast, matcher, c[0], c[1], group);
            }
        }
    }

    @Test
    void givesUpOnQuadraticRows()
    {
        SimpleRegex fast = SimpleRegex.compile("a+b");
        byte[] row = "a".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        assertThat(fast.find(row, 0, row.length)).isEqualTo(SimpleRegex.GIVE_UP);
        byte[] padded = ("xx" + "a".repeat(10) + "b").getBytes(StandardCharsets.US_ASCII);
        assertThat(fast.find(padded, 1, padded.length)).isEqualTo(2);
        assertThat(fast.start(0)).isEqualTo(2);
        assertThat(fast.end(0)).isEqualTo(padded.length);
    }

    private static void check(SimpleRegex fast, Matcher matcher, String pattern, String input, int group)
    {
        group = Math.min(group, matcher.groupCount());
        byte[] bytes = ("#" + input).getBytes(StandardCharsets.US_ASCII);
        int at = fast.find(bytes, 1, bytes.length);
        matcher.reset(input);
        boolean found = matcher.find();
        String description = pattern + " on \"" + input + "\"";
        assertThat(at).as(description).isNotEqualTo(SimpleRegex.GIVE_UP);
        assertThat(at >= 0).as(description).isEqualTo(found);
        if (found) {
            assertThat(at - 1).as(description).isEqualTo(matcher.start());
            String actual = new String(bytes, fast.start(group), fast.end(group) - fast.start(group), StandardCharsets.US_ASCII);
            assertThat(actual).as(description + " group " + group).isEqualTo(matcher.group(group));
        }
    }
}
