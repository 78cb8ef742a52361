package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.VARBINARY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/** Functions over varbinary: conversions to and from text, hashes and checksums, as in Trino. */
final class BinaryFunctions
{
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private BinaryFunctions() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("to_utf8", args(VARCHAR), returns(Type.VARBINARY), "varbinary", "The UTF-8 encoding of the string.", (a, c, t) -> new Copy(t, a));
        b.add("from_utf8", args(VARBINARY), returns(Type.VARCHAR), "varchar",
                "The string whose UTF-8 encoding the bytes are; an invalid sequence becomes U+FFFD.", FromUtf8::new);
        digest(b, "md5", "MD5", "The 128-bit MD5 digest of the bytes.");
        digest(b, "sha1", "SHA-1", "The 160-bit SHA-1 digest of the bytes.");
        digest(b, "sha256", "SHA-256", "The 256-bit SHA-256 digest of the bytes.");
        digest(b, "sha512", "SHA-512", "The 512-bit SHA-512 digest of the bytes.");
        b.add("xxhash64", args(VARBINARY), returns(Type.VARBINARY), "varbinary", "The 64-bit xxHash (seed 0) of the bytes, 8 bytes big-endian.",
                XxHash64::new);
        b.add("crc32", args(VARBINARY), returns(Type.BIGINT), "bigint", "The CRC-32 checksum of the bytes.", Crc32::new);
        b.add("to_hex", args(VARBINARY), returns(Type.VARCHAR), "varchar", "The bytes as upper-case hexadecimal text.", ToHex::new);
        b.add("from_hex", args(VARCHAR), returns(Type.VARBINARY), "varbinary", "The bytes the hexadecimal text spells.", FromHex::new);
        b.add("to_base64", args(VARBINARY), returns(Type.VARCHAR), "varchar", "The bytes in base64.",
                (a, c, t) -> new Base64Encode(t, a, Base64.getEncoder()));
        b.add("from_base64", args(VARCHAR), returns(Type.VARBINARY), "varbinary", "The bytes the base64 text encodes.",
                (a, c, t) -> new Base64Decode(t, a, Base64.getDecoder()));
        b.add("to_base64url", args(VARBINARY), returns(Type.VARCHAR), "varchar", "The bytes in URL-safe base64.",
                (a, c, t) -> new Base64Encode(t, a, Base64.getUrlEncoder()));
        b.add("from_base64url", args(VARCHAR), returns(Type.VARBINARY), "varbinary", "The bytes the URL-safe base64 text encodes.",
                (a, c, t) -> new Base64Decode(t, a, Base64.getUrlDecoder()));
    }

    private static void digest(FunctionRegistry.Builder b, String name, String algorithm, String description)
    {
        b.add(name, args(VARBINARY), returns(Type.VARBINARY), "varbinary", description, (a, c, t) -> new Digest(t, a, algorithm));
    }

    /** The argument's bytes, as another type. */
    static final class Copy
            extends Kernel
    {
        Copy(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                setBytes(j, b, o[j], o[j + 1] - o[j]);
            }
        }
    }

    static final class FromUtf8
            extends Kernel
    {
        FromUtf8(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                if (Utf8.isAscii(b, o[j], o[j + 1])) {
                    setBytes(j, b, o[j], o[j + 1] - o[j]);
                }
                else {
                    // decoding replaces each malformed sequence with U+FFFD
                    setString(j, new String(b, o[j], o[j + 1] - o[j], StandardCharsets.UTF_8));
                }
            }
        }
    }

    static final class Digest
            extends Kernel
    {
        private final MessageDigest digest;

        Digest(Type type, List<ValueEvaluator> args, String algorithm)
        {
            super(type, args);
            try {
                this.digest = MessageDigest.getInstance(algorithm);
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is not available", e);
            }
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            int length = digest.getDigestLength();
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                digest.update(b, o[j], o[j + 1] - o[j]);
                byte[] out = reserve(length);
                try {
                    digest.digest(out, reserved(), length);
                }
                catch (DigestException e) {
                    throw new IllegalStateException(e);
                }
                commit(j, length);
            }
        }
    }

    static final class Crc32
            extends Kernel
    {
        private final CRC32 crc = new CRC32();

        Crc32(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                crc.reset();
                crc.update(b, o[j], o[j + 1] - o[j]);
                r[j] = crc.getValue();
            }
        }
    }

    /** XXH64 with seed 0, as Trino's {@code xxhash64}. */
    static final class XxHash64
            extends Kernel
    {
        private static final long P1 = 0x9E3779B185EBCA87L;
        private static final long P2 = 0xC2B2AE3D27D4EB4FL;
        private static final long P3 = 0x165667B19E3779F9L;
        private static final long P4 = 0x85EBCA77C2B2AE63L;
        private static final long P5 = 0x27D4EB2F165667C5L;

        XxHash64(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                long hash = hash(b, o[j], o[j + 1]);
                byte[] out = reserve(8);
                int p = reserved();
                for (int k = 0; k < 8; k++) {
                    out[p + k] = (byte) (hash >>> (56 - 8 * k));
                }
                commit(j, 8);
            }
        }

        static long hash(byte[] b, int from, int to)
        {
            int length = to - from;
            int p = from;
            long hash;
            if (length >= 32) {
                long v1 = P1 + P2;
                long v2 = P2;
                long v3 = 0;
                long v4 = -P1;
                int limit = to - 32;
                while (p <= limit) {
                    v1 = round(v1, longAt(b, p));
                    v2 = round(v2, longAt(b, p + 8));
                    v3 = round(v3, longAt(b, p + 16));
                    v4 = round(v4, longAt(b, p + 24));
                    p += 32;
                }
                hash = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
                hash = merge(hash, v1);
                hash = merge(hash, v2);
                hash = merge(hash, v3);
                hash = merge(hash, v4);
            }
            else {
                hash = P5;
            }
            hash += length;
            while (p + 8 <= to) {
                hash ^= round(0, longAt(b, p));
                hash = Long.rotateLeft(hash, 27) * P1 + P4;
                p += 8;
            }
            if (p + 4 <= to) {
                hash ^= (intAt(b, p) & 0xFFFFFFFFL) * P1;
                hash = Long.rotateLeft(hash, 23) * P2 + P3;
                p += 4;
            }
            while (p < to) {
                hash ^= (b[p] & 0xFFL) * P5;
                hash = Long.rotateLeft(hash, 11) * P1;
                p++;
            }
            hash ^= hash >>> 33;
            hash *= P2;
            hash ^= hash >>> 29;
            hash *= P3;
            hash ^= hash >>> 32;
            return hash;
        }

        /** The hash of {@code value}'s 8 bytes (little-endian), as {@code hash} of them would give, without the bytes. */
        static long hash(long value)
        {
            long hash = P5 + 8;
            hash ^= round(0, value);
            hash = Long.rotateLeft(hash, 27) * P1 + P4;
            hash ^= hash >>> 33;
            hash *= P2;
            hash ^= hash >>> 29;
            hash *= P3;
            hash ^= hash >>> 32;
            return hash;
        }

        private static long round(long acc, long input)
        {
            return Long.rotateLeft(acc + input * P2, 31) * P1;
        }

        private static long merge(long hash, long v)
        {
            return (hash ^ round(0, v)) * P1 + P4;
        }

        private static long longAt(byte[] b, int p)
        {
            return (intAt(b, p) & 0xFFFFFFFFL) | ((long) intAt(b, p + 4) << 32);
        }

        private static int intAt(byte[] b, int p)
        {
            return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
        }
    }

    static final class ToHex
            extends Kernel
    {
        ToHex(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int length = o[j + 1] - o[j];
                byte[] out = reserve(2 * length);
                int p = reserved();
                for (int i = o[j]; i < o[j + 1]; i++) {
                    out[p++] = HEX[(b[i] >> 4) & 0xF];
                    out[p++] = HEX[b[i] & 0xF];
                }
                commit(j, 2 * length);
            }
        }
    }

    /** The value of a hex digit (either case), or -1. */
    static int hexValue(byte c)
    {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static final class FromHex
            extends Kernel
    {
        FromHex(List<ValueEvaluator> args, List<Expression> calls, Type type)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                int length = o[j + 1] - o[j];
                if (length % 2 != 0) {
                    throw invalidArgument("invalid input length " + length);
                }
                byte[] out = reserve(length / 2);
                int p = reserved();
                for (int i = o[j]; i < o[j + 1]; i += 2) {
                    out[p++] = (byte) (digit(b[i]) << 4 | digit(b[i + 1]));
                }
                commit(j, length / 2);
            }
        }

        private static int digit(byte c)
        {
            int digit = hexValue(c);
            if (digit < 0) {
                throw invalidArgument("invalid hex character: " + (char) (c & 0xFF));
            }
            return digit;
        }
    }

    static final class Base64Encode
            extends Kernel
    {
        private final Base64.Encoder encoder;

        Base64Encode(Type type, List<ValueEvaluator> args, Base64.Encoder encoder)
        {
            super(type, args);
            this.encoder = encoder;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                byte[] encoded = encoder.encode(java.util.Arrays.copyOfRange(b, o[j], o[j + 1]));
                setBytes(j, encoded, 0, encoded.length);
            }
        }
    }

    static final class Base64Decode
            extends Kernel
    {
        private final Base64.Decoder decoder;

        Base64Decode(Type type, List<ValueEvaluator> args, Base64.Decoder decoder)
        {
            super(type, args);
            this.decoder = decoder;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] b = in[0].bytes;
            int[] o = in[0].offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                byte[] decoded;
                try {
                    decoded = decoder.decode(java.util.Arrays.copyOfRange(b, o[j], o[j + 1]));
                }
                catch (IllegalArgumentException e) {
                    throw invalidArgument("Invalid base64 input: " + e.getMessage());
                }
                setBytes(j, decoded, 0, decoded.length);
            }
        }
    }
}
