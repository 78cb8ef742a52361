package io.glaux.engine.expr;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;

/**
 * Trino's {@code ipaddress} and Presto's {@code ipprefix}, as bytes in a VarBinary vector. An address is
 * 16 bytes, an IPv4 address mapped into IPv6 ({@code ::ffff:a.b.c.d}) as Trino stores it, so that equality,
 * ordering and hashing compare bytes (unsigned, big-endian). A prefix is 17 bytes: the network address
 * (host bits zero) and the prefix length as written ({@code 0..32} for IPv4, {@code 0..128} for IPv6).
 *
 * <p>Text: an IPv4 address is dotted decimal without leading zeros; an IPv6 address is written as RFC 5952
 * says (lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}), as Trino
 * (Guava's {@code InetAddresses}) reads and writes them. Parsing and formatting work on byte ranges: no
 * objects per row.
 */
public final class IpAddresses
{
    static final int ADDRESS = 16;
    static final int PREFIX = 17;
    /** Longest text of an address ({@code ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff}) and of a prefix. */
    static final int MAX_ADDRESS_TEXT = 39;
    static final int MAX_PREFIX_TEXT = 43;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private IpAddresses() {}

    /** Whether the 16 bytes at {@code from} are an IPv4 address mapped into IPv6. */
    static boolean isIpv4(byte[] b, int from)
    {
        for (int i = 0; i < 10; i++) {
            if (b[from + i] != 0) {
                return false;
            }
        }
        return b[from + 10] == (byte) 0xFF && b[from + 11] == (byte) 0xFF;
    }

    // ------------------------------------------------------------------ parse

    /** Parses an IPv4 or IPv6 address in {@code b[from..to)} into {@code out[at..at + 16)}; false when the text is not one. */
    static boolean parse(byte[] b, int from, int to, byte[] out, int at)
    {
        if (from >= to) {
            return false;
        }
        boolean colon = false;
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                colon = true;
                break;
            }
        }
        if (!colon) {
            java.util.Arrays.fill(out, at, at + 10, (byte) 0);
            out[at + 10] = (byte) 0xFF;
            out[at + 11] = (byte) 0xFF;
            return parseIpv4(b, from, to, out, at + 12);
        }
        return parseIpv6(b, from, to, out, at);
    }

    /** Dotted decimal: four numbers 0..255, without leading zeros. */
    private static boolean parseIpv4(byte[] b, int from, int to, byte[] out, int at)
    {
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i] - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && b[start] == '0')) {
                return false;
            }
            out[at + part] = (byte) value;
            part++;
            if (part < 4) {
                if (i >= to || b[i] != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    private static boolean parseIpv6(byte[] b, int from, int to, byte[] out, int at)
    {
        // groups of 16 bits are written in order, then the ones after "::" move to the end; an IPv4 tail counts as two groups
        int count = 0;
        int gap = -1;
        int i = from;
        if (to - from >= 2 && b[from] == ':' && b[from + 1] == ':') {
            gap = 0;
            i += 2;
        }
        else if (b[from] == ':') {
            return false;
        }
        while (i < to) {
            if (count == 8) {
                return false;
            }
            int start = i;
            int value = 0;
            while (i < to && hex(b[i]) >= 0) {
                value = value << 4 | hex(b[i]);
                i++;
                if (i - start > 4) {
                    return false;
                }
            }
            if (i < to && b[i] == '.') {
                // an IPv4 tail: the last two groups
                if (count > 6 || !parseIpv4(b, start, to, out, at + 2 * count)) {
                    return false;
                }
                count += 2;
                break;
            }
            if (i == start) {
                return false;
            }
            out[at + 2 * count] = (byte) (value >>> 8);
            out[at + 2 * count + 1] = (byte) value;
            count++;
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
            }
            else if (i == to) {
                // a trailing single colon
                return false;
            }
        }
        if (gap < 0) {
            return count == 8;
        }
        if (count > 7) {
            return false;
        }
        int tail = count - gap;
        int zeros = 8 - count;
        System.arraycopy(out, at + 2 * gap, out, at + 2 * (gap + zeros), 2 * tail);
        java.util.Arrays.fill(out, at + 2 * gap, at + 2 * (gap + zeros), (byte) 0);
        return true;
    }

    private static int hex(byte c)
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

    /**
     * Parses {@code address/length} into the 17 bytes of a prefix at {@code out[at..)}, the host bits
     * cleared; false when the text is not a prefix.
     */
    static boolean parsePrefix(byte[] b, int from, int to, byte[] out, int at)
    {
        int slash = -1;
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '/') {
                slash = i;
                break;
            }
        }
        if (slash < 0 || slash + 1 == to || to - slash - 1 > 3 || !parse(b, from, slash, out, at)) {
            return false;
        }
        int length = 0;
        for (int i = slash + 1; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
            length = length * 10 + (b[i] - '0');
        }
        boolean ipv4 = isIpv4(out, at);
        if (length > (ipv4 ? 32 : 128)) {
            return false;
        }
        mask(out, at, ipv4 ? 96 + length : length, false);
        out[at + ADDRESS] = (byte) length;
        return true;
    }

    /** Clears (or, with {@code set}, sets) the bits after the first {@code bits} of the 16 bytes at {@code at}. */
    static void mask(byte[] b, int at, int bits, boolean set)
    {
        for (int i = 0; i < ADDRESS; i++) {
            int keep = Math.clamp(bits - 8 * i, 0, 8);
            int hostMask = 0xFF >>> keep;
            b[at + i] = (byte) (set ? (b[at + i] | hostMask) : (b[at + i] & ~hostMask));
        }
    }

    /** The number of leading bits of the 16-byte address a prefix of these 17 bytes fixes. */
    static int bits(byte[] b, int at)
    {
        int length = b[at + ADDRESS] & 0xFF;
        return isIpv4(b, at) ? 96 + length : length;
    }

    // ------------------------------------------------------------------ format

    /** The text of a 16-byte address. */
    public static String format(byte[] bytes)
    {
        byte[] out = new byte[MAX_ADDRESS_TEXT];
        int end = format(bytes, 0, out, 0);
        return new String(out, 0, end, StandardCharsets.US_ASCII);
    }

    /** The text of a 17-byte prefix. */
    public static String formatPrefix(byte[] bytes)
    {
        byte[] out = new byte[MAX_PREFIX_TEXT];
        int end = formatPrefix(bytes, 0, out, 0);
        return new String(out, 0, end, StandardCharsets.US_ASCII);
    }

    /** Writes the text of the prefix at {@code b[from..from + 17)} to {@code out[p..)}; returns the end. */
    static int formatPrefix(byte[] b, int from, byte[] out, int p)
    {
        p = format(b, from, out, p);
        out[p++] = '/';
        return decimal(b[from + ADDRESS] & 0xFF, out, p);
    }

    /** Writes the text of the address at {@code b[from..from + 16)} to {@code out[p..)}; returns the end. */
    static int format(byte[] b, int from, byte[] out, int p)
    {
        if (isIpv4(b, from)) {
            for (int i = 12; i < 16; i++) {
                if (i > 12) {
                    out[p++] = '.';
                }
                p = decimal(b[from + i] & 0xFF, out, p);
            }
            return p;
        }
        // the longest run of two or more zero groups (the first of equal runs) is written as "::"
        int bestStart = -1;
        int bestLength = 0;
        int runStart = -1;
        for (int g = 0; g <= 8; g++) {
            boolean zero = g < 8 && b[from + 2 * g] == 0 && b[from + 2 * g + 1] == 0;
            if (zero && runStart < 0) {
                runStart = g;
            }
            else if (!zero && runStart >= 0) {
                if (g - runStart > bestLength && g - runStart >= 2) {
                    bestStart = runStart;
                    bestLength = g - runStart;
                }
                runStart = -1;
            }
        }
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                out[p++] = ':';
                out[p++] = ':';
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength) {
                out[p++] = ':';
            }
            int value = (b[from + 2 * g] & 0xFF) << 8 | (b[from + 2 * g + 1] & 0xFF);
            boolean started = false;
            for (int shift = 12; shift >= 0; shift -= 4) {
                int digit = (value >>> shift) & 0xF;
                if (digit != 0 || started || shift == 0) {
                    out[p++] = HEX[digit];
                    started = true;
                }
            }
        }
        return p;
    }

    private static int decimal(int value, byte[] out, int p)
    {
        if (value >= 100) {
            out[p++] = (byte) ('0' + value / 100);
        }
        if (value >= 10) {
            out[p++] = (byte) ('0' + value / 10 % 10);
        }
        out[p++] = (byte) ('0' + value % 10);
        return p;
    }

    // ------------------------------------------------------------------ CAST

    /** {@code CAST(source AS target)} between ipaddress, ipprefix, varchar and varbinary; null for other types. */
    static ValueEvaluator cast(ValueEvaluator input, Type target)
    {
        Conversion conversion = conversion(input.type, target);
        return conversion == null ? null : new Cast(input, target, conversion);
    }

    /** Whether a cast involves ipaddress or ipprefix (then {@link #cast} decides it). */
    static boolean involved(Type source, Type target)
    {
        return source.equals(Type.IPADDRESS) || source.equals(Type.IPPREFIX) || target.equals(Type.IPADDRESS) || target.equals(Type.IPPREFIX);
    }

    static boolean supported(Type source, Type target)
    {
        return conversion(source, target) != null;
    }

    private enum Conversion
    {
        VARCHAR_TO_ADDRESS, ADDRESS_TO_VARCHAR, VARBINARY_TO_ADDRESS, ADDRESS_TO_VARBINARY,
        VARCHAR_TO_PREFIX, PREFIX_TO_VARCHAR, ADDRESS_TO_PREFIX, PREFIX_TO_ADDRESS
    }

    private static Conversion conversion(Type source, Type target)
    {
        if (target.equals(Type.IPADDRESS)) {
            return SqlTypes.isVarchar(source) ? Conversion.VARCHAR_TO_ADDRESS
                    : source.equals(Type.VARBINARY) ? Conversion.VARBINARY_TO_ADDRESS
                    : source.equals(Type.IPPREFIX) ? Conversion.PREFIX_TO_ADDRESS : null;
        }
        if (target.equals(Type.IPPREFIX)) {
            return SqlTypes.isVarchar(source) ? Conversion.VARCHAR_TO_PREFIX
                    : source.equals(Type.IPADDRESS) ? Conversion.ADDRESS_TO_PREFIX : null;
        }
        if (source.equals(Type.IPADDRESS)) {
            return target.equals(Type.VARCHAR) ? Conversion.ADDRESS_TO_VARCHAR
                    : target.equals(Type.VARBINARY) ? Conversion.ADDRESS_TO_VARBINARY : null;
        }
        if (source.equals(Type.IPPREFIX)) {
            return target.equals(Type.VARCHAR) ? Conversion.PREFIX_TO_VARCHAR : null;
        }
        return null;
    }

    private static final class Cast
            extends ValueEvaluator
    {
        private final ValueEvaluator input;
        private final Conversion conversion;

        Cast(ValueEvaluator input, Type target, Conversion conversion)
        {
            super(target);
            this.input = input;
            this.conversion = conversion;
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            Block in = input.evaluate(batch, positions, count);
            boolean[] nulls = in.hasNull ? in.nulls : null;
            if (nulls != null) {
                System.arraycopy(nulls, 0, result.nulls(count), 0, count);
            }
            result.count = count;
            result.hasNull = nulls != null;
            int[] offsets = result.offsets(count + 1);
            offsets[0] = 0;
            int width = switch (conversion) {
                case VARCHAR_TO_ADDRESS, VARBINARY_TO_ADDRESS, PREFIX_TO_ADDRESS, ADDRESS_TO_VARBINARY -> ADDRESS;
                case VARCHAR_TO_PREFIX, ADDRESS_TO_PREFIX -> PREFIX;
                case ADDRESS_TO_VARCHAR -> MAX_ADDRESS_TEXT;
                case PREFIX_TO_VARCHAR -> MAX_PREFIX_TEXT;
            };
            byte[] out = result.bytes(count * width, 0);
            byte[] b = in.bytes;
            int[] o = in.offsets;
            int p = 0;
            for (int j = 0; j < count; j++) {
                if (nulls == null || !nulls[j]) {
                    int from = o[j];
                    int to = o[j + 1];
                    switch (conversion) {
                        case VARCHAR_TO_ADDRESS -> {
                            if (!parse(b, from, to, out, p)) {
                                throw cannotCast(b, from, to, "IPADDRESS");
                            }
                            p += ADDRESS;
                        }
                        case VARCHAR_TO_PREFIX -> {
                            if (!parsePrefix(b, from, to, out, p)) {
                                throw cannotCast(b, from, to, "IPPREFIX");
                            }
                            p += PREFIX;
                        }
                        case VARBINARY_TO_ADDRESS -> {
                            if (to - from == 4) {
                                java.util.Arrays.fill(out, p, p + 10, (byte) 0);
                                out[p + 10] = (byte) 0xFF;
                                out[p + 11] = (byte) 0xFF;
                                System.arraycopy(b, from, out, p + 12, 4);
                            }
                            else if (to - from == ADDRESS) {
                                System.arraycopy(b, from, out, p, ADDRESS);
                            }
                            else {
                                throw new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT, "Invalid IP address binary length: " + (to - from));
                            }
                            p += ADDRESS;
                        }
                        case ADDRESS_TO_VARBINARY, PREFIX_TO_ADDRESS -> {
                            System.arraycopy(b, from, out, p, ADDRESS);
                            p += ADDRESS;
                        }
                        case ADDRESS_TO_PREFIX -> {
                            System.arraycopy(b, from, out, p, ADDRESS);
                            out[p + ADDRESS] = (byte) (isIpv4(b, from) ? 32 : 128);
                            p += PREFIX;
                        }
                        case ADDRESS_TO_VARCHAR -> p = format(b, from, out, p);
                        case PREFIX_TO_VARCHAR -> p = formatPrefix(b, from, out, p);
                    }
                }
                offsets[j + 1] = p;
            }
            return result;
        }
    }

    static GlauxException cannotCast(byte[] b, int from, int to, String type)
    {
        return new GlauxException(ErrorCode.INVALID_CAST_ARGUMENT,
                "Cannot cast value to " + type + ": '" + new String(b, from, to - from, StandardCharsets.UTF_8) + "'");
    }
}
