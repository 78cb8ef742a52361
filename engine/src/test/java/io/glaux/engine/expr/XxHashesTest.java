package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

class XxHashesTest
{
    @Test
    void hashOfALongIsTheHashOfItsLittleEndianBytes()
    {
        SplittableRandom random = new SplittableRandom(7);
        byte[] bytes = new byte[8];
        for (int i = 0; i < 10_000; i++) {
            long value = i < 3 ? i - 1 : random.nextLong();
            for (int k = 0; k < 8; k++) {
                bytes[k] = (byte) (value >>> (8 * k));
            }
            assertThat(XxHashes.hash(value)).as("value %s", value).isEqualTo(XxHashes.hash(bytes, 0, 8));
        }
        // the empty input's xxHash64 (seed 0), as published
        assertThat(XxHashes.hash(new byte[0], 0, 0)).isEqualTo(0xEF46DB3751D8E999L);
    }
}
