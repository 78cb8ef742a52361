package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.IPADDRESS;
import static io.glaux.engine.expr.FunctionRegistry.Arg.IPPREFIX;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;
import static io.glaux.engine.expr.IpAddresses.ADDRESS;
import static io.glaux.engine.expr.IpAddresses.PREFIX;

import io.glaux.engine.expr.Expression.Literal;
import io.glaux.spi.type.Type;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Functions of IP addresses and prefixes (see {@link IpAddresses} for the bytes): Trino's
 * {@code contains(cidr, address)} and Presto's {@code ip_prefix}, {@code ip_subnet_min},
 * {@code ip_subnet_max}, {@code ip_subnet_range} and {@code is_subnet_of}. Each is a loop over the
 * rows that compares or masks the 16 bytes of each value in place; a network given as a constant is
 * parsed once.
 */
final class IpPrefixes
{
    private static final String PRESTO = "Presto's function (Trino has no ipprefix type).";

    private IpPrefixes() {}

    static void register(FunctionRegistry.Builder b)
    {
        b.add("contains", args(VARCHAR, IPADDRESS), false, returns(Type.BOOLEAN), "boolean",
                "Whether the address is in the network given in CIDR notation (`'10.0.0.0/8'`); an address and a network of different families (IPv4, IPv6) give false.",
                "", (a, c, t) -> new Contains(t, a, c, false, true), new int[0]);
        b.add("contains", args(IPPREFIX, IPADDRESS), false, returns(Type.BOOLEAN), "boolean", "Whether the address is in the prefix's network; an address of the other family (IPv4, IPv6) gives false.",
                "", (a, c, t) -> new Contains(t, a, c, true, true), new int[0]);
        b.add("ip_prefix", args(IPADDRESS, INTEGER), false, returns(Type.IPPREFIX), "ipprefix",
                "The prefix of the address's network of `bits` leading bits (0 to 32 for IPv4, 0 to 128 for IPv6).", PRESTO,
                (a, c, t) -> new Prefix(t, a, false), new int[0]);
        b.add("ip_prefix", args(VARCHAR, INTEGER), false, returns(Type.IPPREFIX), "ipprefix",
                "The prefix of the address's network of `bits` leading bits (0 to 32 for IPv4, 0 to 128 for IPv6).", PRESTO,
                (a, c, t) -> new Prefix(t, a, true), new int[0]);
        b.add("ip_subnet_min", args(IPPREFIX), false, returns(Type.IPADDRESS), "ipaddress", "The smallest address of the prefix's network.", PRESTO,
                (a, c, t) -> new Bound(t, a, false), new int[0]);
        b.add("ip_subnet_max", args(IPPREFIX), false, returns(Type.IPADDRESS), "ipaddress", "The largest address of the prefix's network.", PRESTO,
                (a, c, t) -> new Bound(t, a, true), new int[0]);
        b.add("ip_subnet_range", args(IPPREFIX), false, returns(new Type.Array(Type.IPADDRESS)), "array(ipaddress)",
                "The smallest and the largest address of the prefix's network.", PRESTO, (a, c, t) -> new Range(t, a), new int[0]);
        b.add("is_subnet_of", args(IPPREFIX, IPADDRESS), false, returns(Type.BOOLEAN), "boolean", "Whether the address is in the prefix's network.",
                PRESTO, (a, c, t) -> new Contains(t, a, c, true, false), new int[0]);
        b.add("is_subnet_of", args(IPPREFIX, IPPREFIX), false, returns(Type.BOOLEAN), "boolean",
                "Whether the second prefix's network is inside the first's.", PRESTO, (a, c, t) -> new SubnetOf(t, a), new int[0]);
    }

    /** Whether the 16-byte address at {@code a} has the same first {@code bits} bits as the network at {@code n}. */
    static boolean within(byte[] nb, int n, int bits, byte[] ab, int a)
    {
        int whole = bits >>> 3;
        if (!Arrays.equals(nb, n, n + whole, ab, a, a + whole)) {
            return false;
        }
        int rest = bits & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return ((nb[n + whole] ^ ab[a + whole]) & mask) == 0;
    }

    /**
     * {@code contains(cidr, address)}, {@code contains(prefix, address)} and {@code is_subnet_of(prefix, address)}.
     * A CIDR text is parsed into a 17-byte prefix: once when it is a constant, else when it differs from the
     * previous row's.
     */
    static final class Contains
            extends Kernel
    {
        private final boolean prefix;
        /** Whether an address of the other family than the network's is outside it (Trino's contains), or compared as 128 bits (Presto's is_subnet_of). */
        private final boolean check;
        private final byte[] network = new byte[PREFIX];
        private boolean constant;
        private byte[] last = new byte[0];

        Contains(Type type, List<ValueEvaluator> args, List<Expression> calls, boolean prefix, boolean check)
        {
            super(type, args);
            this.prefix = prefix;
            this.check = check;
            if (!prefix && calls.getFirst() instanceof Literal literal && literal.value() instanceof String text) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                parseCidr(bytes, 0, bytes.length);
                constant = true;
            }
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Block networks = in[0];
            Block addresses = in[1];
            byte[] ab = addresses.bytes;
            int[] ao = addresses.offsets;
            long[] r = result.longs;
            if (prefix) {
                byte[] nb = networks.bytes;
                int[] no = networks.offsets;
                for (int j = 0; j < count; j++) {
                    if (!nulls[j]) {
                        r[j] = (check ? IpAddresses.isIpv4(nb, no[j]) == IpAddresses.isIpv4(ab, ao[j]) : true)
                                && within(nb, no[j], IpAddresses.bits(nb, no[j]), ab, ao[j]) ? 1 : 0;
                    }
                }
                return;
            }
            if (constant) {
                int bits = IpAddresses.bits(network, 0);
                boolean ipv4 = IpAddresses.isIpv4(network, 0);
                for (int j = 0; j < count; j++) {
                    if (!nulls[j]) {
                        r[j] = IpAddresses.isIpv4(ab, ao[j]) == ipv4 && within(network, 0, bits, ab, ao[j]) ? 1 : 0;
                    }
                }
                return;
            }
            byte[] nb = networks.bytes;
            int[] no = networks.offsets;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    continue;
                }
                if (!Arrays.equals(last, 0, last.length, nb, no[j], no[j + 1])) {
                    parseCidr(nb, no[j], no[j + 1]);
                    last = Arrays.copyOfRange(nb, no[j], no[j + 1]);
                }
                r[j] = IpAddresses.isIpv4(ab, ao[j]) == IpAddresses.isIpv4(network, 0) && within(network, 0, IpAddresses.bits(network, 0), ab, ao[j]) ? 1 : 0;
            }
        }

        /** Trino's checks of the network of {@code contains}: a CIDR whose host bits are zero. */
        private void parseCidr(byte[] b, int from, int to)
        {
            String text = new String(b, from, to - from, StandardCharsets.UTF_8);
            int slash = text.indexOf('/');
            if (slash < 0) {
                throw invalidArgument("Invalid CIDR: '" + text + "'");
            }
            if (!IpAddresses.parse(b, from, from + slash, network, 0)) {
                throw invalidArgument("Invalid network IP address: '" + text + "'");
            }
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalidArgument("Invalid prefix length: '" + text + "'");
            }
            int length = Integer.parseInt(digits);
            boolean ipv4 = IpAddresses.isIpv4(network, 0);
            if (length > (ipv4 ? 32 : 128)) {
                throw invalidArgument("Prefix length exceeds address length: '" + text + "'");
            }
            byte[] masked = Arrays.copyOf(network, ADDRESS);
            IpAddresses.mask(masked, 0, ipv4 ? 96 + length : length, false);
            if (!Arrays.equals(masked, 0, ADDRESS, network, 0, ADDRESS)) {
                throw invalidArgument("Invalid network IP address: '" + text + "'");
            }
            network[ADDRESS] = (byte) length;
        }
    }

    /** {@code ip_prefix(address, bits)}: the address with its host bits cleared, and the length. */
    static final class Prefix
            extends Kernel
    {
        private final boolean text;

        Prefix(Type type, List<ValueEvaluator> args, boolean text)
        {
            super(type, args);
            this.text = text;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Block addresses = in[0];
            long[] lengths = in[1].longs;
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                byte[] out = reserve(PREFIX);
                int p = reserved();
                int from = addresses.offsets[j];
                if (text) {
                    int to = addresses.offsets[j + 1];
                    if (!IpAddresses.parse(addresses.bytes, from, to, out, p)) {
                        throw invalidArgument("Cannot cast value to IPADDRESS: '" + new String(addresses.bytes, from, to - from, StandardCharsets.UTF_8) + "'");
                    }
                }
                else {
                    System.arraycopy(addresses.bytes, from, out, p, ADDRESS);
                }
                boolean ipv4 = IpAddresses.isIpv4(out, p);
                long length = lengths[j];
                if (length < 0 || length > (ipv4 ? 32 : 128)) {
                    throw invalidArgument(ipv4 ? "IPv4 subnet size must be in range [0, 32]" : "IPv6 subnet size must be in range [0, 128]");
                }
                IpAddresses.mask(out, p, (int) (ipv4 ? 96 + length : length), false);
                out[p + ADDRESS] = (byte) length;
                commit(j, PREFIX);
            }
        }
    }

    /** {@code ip_subnet_min} and {@code ip_subnet_max}. */
    static final class Bound
            extends Kernel
    {
        private final boolean max;

        Bound(Type type, List<ValueEvaluator> args, boolean max)
        {
            super(type, args);
            this.max = max;
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            Block prefixes = in[0];
            for (int j = 0; j < count; j++) {
                if (nulls[j]) {
                    setNull(j);
                    continue;
                }
                byte[] out = reserve(ADDRESS);
                int p = reserved();
                int from = prefixes.offsets[j];
                System.arraycopy(prefixes.bytes, from, out, p, ADDRESS);
                if (max) {
                    IpAddresses.mask(out, p, IpAddresses.bits(prefixes.bytes, from), true);
                }
                commit(j, ADDRESS);
            }
        }
    }

    /** {@code ip_subnet_range(prefix)}: {@code ARRAY[ip_subnet_min(prefix), ip_subnet_max(prefix)]}. */
    static final class Range
            extends ArrayKernel
    {
        private final byte[] address = new byte[ADDRESS];

        Range(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void row(int j)
        {
            Block prefixes = in[0];
            int from = prefixes.offsets[j];
            Block elements = elements();
            Nested.appendBytes(elements, prefixes.bytes, from, ADDRESS);
            System.arraycopy(prefixes.bytes, from, address, 0, ADDRESS);
            IpAddresses.mask(address, 0, IpAddresses.bits(prefixes.bytes, from), true);
            Nested.appendBytes(elements, address, 0, ADDRESS);
            endArray(j);
        }
    }

    /** {@code is_subnet_of(prefix, prefix)}: whether the second network lies inside the first. */
    static final class SubnetOf
            extends Kernel
    {
        SubnetOf(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void compute(int count, boolean[] nulls)
        {
            byte[] nb = in[0].bytes;
            int[] no = in[0].offsets;
            byte[] sb = in[1].bytes;
            int[] so = in[1].offsets;
            long[] r = result.longs;
            for (int j = 0; j < count; j++) {
                if (!nulls[j]) {
                    int bits = IpAddresses.bits(nb, no[j]);
                    r[j] = IpAddresses.bits(sb, so[j]) >= bits && within(nb, no[j], bits, sb, so[j]) ? 1 : 0;
                }
            }
        }
    }
}
