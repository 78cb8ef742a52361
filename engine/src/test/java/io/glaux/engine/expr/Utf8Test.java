package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Random;

class Utf8Test
{
    @Test
    void asciiAndIndexOfAgreeWithByteLoops()
    {
        Random random = new Random(17);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(30)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(12) == 0 ? 0xC3 : 'a' + random.nextInt(3));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            boolean ascii = true;
            for (int i = from; i < to; i++) {
                ascii &= bytes[i] >= 0;
            }
            assertThat(Utf8.isAscii(bytes, from, to)).isEqualTo(ascii);

            byte[] pattern = new byte[1 + random.nextInt(3)];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) ('a' + random.nextInt(3));
            }
            int expected = -1;
            for (int i = from; i + pattern.length <= to && expected < 0; i++) {
                boolean match = true;
                for (int k = 0; k < pattern.length; k++) {
                    match &= bytes[i + k] == pattern[k];
                }
                if (match) {
                    expected = i;
                }
            }
            assertThat(Utf8.indexOf(bytes, from, to, pattern, 0, pattern.length)).isEqualTo(expected);
        }
    }
}
