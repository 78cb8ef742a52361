package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.spi.type.Type;

import java.security.SecureRandom;
import java.util.List;

/**
 * Trino's {@code uuid}: 16 bytes in a VarBinary vector, in the order the text shows them, so that
 * equality and ordering compare bytes. Text is the canonical {@code 8-4-4-4-12} lower-case hex form;
 * upper case is read too.
 */
public final class Uuids
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Uuids() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("uuid", List.of(), returns(Type.UUID), "uuid", "A random (version 4) UUID, a new one for every row.", RandomUuid::new);
    }

    public static byte[] toBytes(java.util.UUID uuid)
    {
        byte[] bytes = new byte[16];
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** The canonical text of 16 bytes. */
    public static String format(byte[] bytes)
    {
        byte[] out = new byte[36];
        int end = format(bytes, 0, out, 0);
        return new String(out, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Writes the 36 characters of the UUID at {@code bytes[from..from + 16)}; returns the end. */
    static int format(byte[] bytes, int from, byte[] out, int p)
    {
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                out[p++] = '-';
            }
            out[p++] = HEX[(bytes[from + i] >> 4) & 0xF];
            out[p++] = HEX[bytes[from + i] & 0xF];
        }
        return p;
    }

    /** Parses {@code 8-4-4-4-12} hex text into {@code out[0..16)}; false when the text is not a UUID. */
    static boolean parse(byte[] b, int from, int to, byte[] out)
    {
        while (from < to && b[from] == ' ') {
            from++;
        }
        while (to > from && b[to - 1] == ' ') {
            to--;
        }
        if (to - from != 36) {
            return false;
        }
        int k = 0;
        for (int i = from; i < to; ) {
            int offset = i - from;
            if (offset == 8 || offset == 13 || offset == 18 || offset == 23) {
                if (b[i] != '-') {
                    return false;
                }
                i++;
                continue;
            }
            int high = BinaryFunctions.hexValue(b[i]);
            int low = BinaryFunctions.hexValue(b[i + 1]);
            if (high < 0 || low < 0) {
                return false;
            }
            out[k++] = (byte) (high << 4 | low);
            i += 2;
        }
        return k == 16;
    }

    /** {@code uuid()}: 16 random bytes per row with the version 4 and variant bits set. */
    static final class RandomUuid
            extends Kernel
    {
        private final SecureRandom random = new SecureRandom();
        private byte[] buffer = new byte[0];

        RandomUuid(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            if (buffer.length < count * 16) {
                buffer = new byte[count * 16];
            }
            random.nextBytes(buffer);
            for (int j = 0; j < count; j++) {
                int at = j * 16;
                buffer[at + 6] = (byte) ((buffer[at + 6] & 0x0F) | 0x40);
                buffer[at + 8] = (byte) ((buffer[at + 8] & 0x3F) | 0x80);
                setBytes(j, buffer, at, 16);
            }
        }
    }
}
