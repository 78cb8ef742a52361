package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

class ByteHashingTest
{
    /** The hash as first written: 8-byte little-endian steps, then the tail assembled byte by byte. */
    private static long reference(byte[] bytes, int from, int to)
    {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long m = 0x9E3779B97F4A7C15L;
        long h = (to - from) * m;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft(h ^ (buffer.getLong(i) * m), 29) * 0xC2B2AE3D27D4EB4FL;
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            tail |= (bytes[i] & 0xFFL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * m), 29) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    @Test
    void hashIsStableForEveryLengthAndOffset()
    {
        // sketches and spill partitions depend on these values: a faster tail must give the same hash
        Random random = new Random(8);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(ByteHashing.hash(bytes, from, to)).as("%d..%d of %d", from, to, bytes.length).isEqualTo(reference(bytes, from, to));
        }
    }
}
