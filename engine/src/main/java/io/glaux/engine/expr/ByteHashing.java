package io.glaux.engine.expr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** A fast 64-bit hash of byte ranges (8 bytes per step) and of longs. Engine-internal. */
public final class ByteHashing
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M = 0x9E3779B97F4A7C15L;

    private ByteHashing() {}

    public static long hash(byte[] bytes, int from, int to)
    {
        long h = (to - from) * M;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONGS.get(bytes, i);
            h = Long.rotateLeft(h ^ (v * M), 29) * 0xC2B2AE3D27D4EB4FL;
        }
        long tail = 0;
        int rest = to - i;
        if (rest != 0 && to - from >= 8) {
            // the last 1..7 bytes, little-endian, from one read of the last 8 (the same value as byte by byte)
            tail = (long) LONGS.get(bytes, to - 8) >>> ((8 - rest) << 3);
        }
        else {
            for (int shift = 0; i < to; i++, shift += 8) {
                tail |= (bytes[i] & 0xFFL) << shift;
            }
        }
        h = Long.rotateLeft(h ^ (tail * M), 29) * 0xC2B2AE3D27D4EB4FL;
        return finish(h);
    }

    public static long hash(long value)
    {
        return finish(value * M);
    }

    private static long finish(long h)
    {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
