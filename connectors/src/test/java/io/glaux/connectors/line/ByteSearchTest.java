package io.glaux.connectors.line;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Random;

class ByteSearchTest
{
    @Test
    void findsTheSameByteAsAByteByByteScan()
    {
        Random random = new Random(7);
        // bytes near the wanted values (and with the high bit set) exercise the word-at-a-time test
        byte[] alphabet = {'\n', '\r', ',', '"', '\\', 0x0B, 0x0C, 0x09, 0x0E, 0x2B, 0x2D, 0x21, 0x23, 0x5B, 0x5D, 0x00, (byte) 0x8A, (byte) 0xAC, (byte) 0xFF, 'a'};
        byte[][] wanted = {{'\n', '\r'}, {',', '"', '\\'}, {'\t', '"', '\\'}};
        for (int round = 0; round < 30_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(3) + (random.nextInt(8) == 0 ? 128 : 0));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            byte[] values = wanted[round % wanted.length];
            int expected = from;
            while (expected < to && !contains(values, b[expected])) {
                expected++;
            }
            int actual = values.length == 2
                    ? ByteSearch.indexOfAny(b, from, to, ByteSearch.repeat(values[0]), ByteSearch.repeat(values[1]))
                    : ByteSearch.indexOfAny(b, from, to, ByteSearch.repeat(values[0]), ByteSearch.repeat(values[1]), ByteSearch.repeat(values[2]));
            assertThat(actual).as("round %d", round).isEqualTo(expected);
        }
    }

    private static boolean contains(byte[] values, byte value)
    {
        for (byte candidate : values) {
            if (candidate == value) {
                return true;
            }
        }
        return false;
    }
}
