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

    @Test
    void blockSelectionAgreesWithMatchingEachValue()
    {
        // CONTAINS searches a block's bytes in one pass: matches across value boundaries must not count,
        // and values of every length (empty, shorter than the needle, longer than a word) must be right
        Random random = new Random(11);
        String[] patterns = {"%bot%", "%b%", "%abab%", "%aaaaaaaaab%", "%é%", "bot%", "%bot", "b_t", "%"};
        for (int round = 0; round < 2000; round++) {
            int count = 1 + random.nextInt(40);
            List<byte[]> values = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                values.add(randomString(random, new String[] {"a", "b", "o", "t", "bot", "é"}, random.nextInt(3) == 0 ? 30 : 4)
                        .getBytes(StandardCharsets.UTF_8));
            }
            int start = random.nextInt(3);
            int[] offsets = new int[count + 1];
            offsets[0] = start;
            for (int j = 0; j < count; j++) {
                offsets[j + 1] = offsets[j] + values.get(j).length;
            }
            byte[] bytes = new byte[offsets[count] + random.nextInt(9)];
            java.util.Arrays.fill(bytes, (byte) 'b');
            for (int j = 0; j < count; j++) {
                System.arraycopy(values.get(j), 0, bytes, offsets[j], values.get(j).length);
            }
            Block block = new Block();
            block.bytes = bytes;
            block.offsets = offsets;
            block.count = count;
            for (String text : patterns) {
                LikePattern pattern = LikePattern.compile(text, null);
                for (int flip = 0; flip <= 1; flip++) {
                    List<Integer> expected = new ArrayList<>();
                    for (int j = 0; j < count; j++) {
                        if (pattern.matches(bytes, offsets[j], offsets[j + 1]) ^ flip == 1) {
                            expected.add(j);
                        }
                    }
                    int[] hits = new int[count];
                    int n = pattern.select(block, count, flip, hits);
                    List<Integer> actual = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        actual.add(hits[i]);
                    }
                    assertThat(actual).as("%s flip %d over %d values", text, flip, count).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void byteSearchFindsTheFirstOccurrence()
    {
        Random random = new Random(3);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(3) : 'a' + random.nextInt(3));
            }
            byte b = (byte) (random.nextBoolean() ? 0x81 : 'b');
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int expected = -1;
            for (int k = from; k < bytes.length; k++) {
                if (bytes[k] == b) {
                    expected = k;
                    break;
                }
            }
            assertThat(ByteSearch.indexOf(bytes, from, bytes.length, b)).isEqualTo(expected);
        }
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
