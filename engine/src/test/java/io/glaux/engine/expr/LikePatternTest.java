package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.engine.Reference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class LikePatternTest
{
    private static boolean matches(String pattern, String escape, String value)
    {
        byte[] bytes = ("##" + value + "#").getBytes(StandardCharsets.UTF_8);
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        return LikePattern.compile(pattern, escape).matches(bytes, 2, 2 + length);
    }

    @Test
    void fastPathsAreChosen()
    {
        assertThat(LikePattern.compile("abc", null).kind()).isEqualTo(LikePattern.Kind.EXACT);
        assertThat(LikePattern.compile("abc%", null).kind()).isEqualTo(LikePattern.Kind.PREFIX);
        assertThat(LikePattern.compile("%abc", null).kind()).isEqualTo(LikePattern.Kind.SUFFIX);
        assertThat(LikePattern.compile("%abc%", null).kind()).isEqualTo(LikePattern.Kind.CONTAINS);
        assertThat(LikePattern.compile("%%", null).kind()).isEqualTo(LikePattern.Kind.ANY);
        assertThat(LikePattern.compile("a%c", null).kind()).isEqualTo(LikePattern.Kind.GENERAL);
        assertThat(LikePattern.compile("a_c", null).kind()).isEqualTo(LikePattern.Kind.GENERAL);
        assertThat(LikePattern.compile("100\\%", "\\").kind()).isEqualTo(LikePattern.Kind.EXACT);
    }

    @Test
    void examples()
    {
        assertThat(matches("a_c", null, "abc")).isTrue();
        assertThat(matches("a_c", null, "aéc")).isTrue();
        assertThat(matches("a_c", null, "a😀c")).isTrue();
        assertThat(matches("a_c", null, "ac")).isFalse();
        assertThat(matches("%b%b", null, "abab")).isTrue();
        assertThat(matches("%b%b", null, "abba")).isFalse();
        assertThat(matches("_%_", null, "é")).isFalse();
        assertThat(matches("_%_", null, "éé")).isTrue();
        assertThat(matches("100\\%", "\\", "100%")).isTrue();
        assertThat(matches("100\\%", "\\", "1000")).isFalse();
        assertThat(matches("a\\_%", "\\", "a_x")).isTrue();
        assertThat(matches("a\\_%", "\\", "abx")).isFalse();
        assertThat(matches("", null, "")).isTrue();
        assertThat(matches("", null, "a")).isFalse();
    }

    @Test
    void agreesWithRegexOnRandomInputs()
    {
        String[] alphabet = {"a", "b", "é", "😀", "%", "_"};
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            String pattern = randomString(random, alphabet, 5);
            String value = randomString(random, new String[] {"a", "b", "é", "😀"}, 6);
            assertThat(matches(pattern, null, value))
                    .as("'%s' LIKE '%s'", value, pattern)
                    .isEqualTo(Reference.likeRegex(pattern, null).matcher(value).matches());
        }
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String pattern = randomString(random, new String[] {"a", "#%", "#_", "##", "%", "_"}, 4);
            String value = randomString(random, new String[] {"a", "%", "_", "#"}, 5);
            escaped.add(pattern);
            assertThat(matches(pattern, "#", value))
                    .as("'%s' LIKE '%s' ESCAPE '#'", value, pattern)
                    .isEqualTo(Reference.likeRegex(pattern, "#").matcher(value).matches());
        }
        assertThat(escaped).isNotEmpty();
    }

    private static String randomString(Random random, String[] alphabet, int maxLength)
    {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            s.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return s.toString();
    }
}
