package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The byte kernels of ipaddress and ipprefix: parsing and formatting checked against the JDK's
 * {@link InetAddress} for random addresses, and {@code contains} over a batch checked against a
 * reference computed with {@link BigInteger} (the allocator is checked for leaks).
 */
class IpAddressesTest
{
    private BufferAllocator allocator;

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        allocator.close();
    }

    private static byte[] parse(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[16];
        return IpAddresses.parse(bytes, 0, bytes.length, out, 0) ? out : null;
    }

    /** The 16 bytes the JDK reads from the text, an IPv4 address mapped into IPv6. */
    private static byte[] jdk(String text)
            throws Exception
    {
        byte[] address = InetAddress.getByName(text).getAddress();
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    @Test
    void parsesAndFormatsRandomAddressesAsTheJdkReadsThem()
            throws Exception
    {
        Random random = new Random(11);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            // runs of zero groups, so that "::" is exercised in every place
            int zeroFrom = random.nextInt(8);
            int zeroTo = zeroFrom + random.nextInt(9 - zeroFrom);
            Arrays.fill(bytes, 2 * zeroFrom, 2 * zeroTo, (byte) 0);
            if (random.nextInt(4) == 0) {
                Arrays.fill(bytes, 0, 10, (byte) 0);
                bytes[10] = (byte) 0xFF;
                bytes[11] = (byte) 0xFF;
            }
            String text = IpAddresses.format(bytes);
            assertThat(parse(text)).as(text).isEqualTo(bytes);
            assertThat(jdk(text)).as(text).isEqualTo(bytes);
            // the JDK's uncompressed text reads back to the same bytes and formats to the same text
            String full = InetAddress.getByAddress(bytes).getHostAddress();
            assertThat(parse(full)).as(full).isEqualTo(bytes);
            assertThat(IpAddresses.format(parse(full))).isEqualTo(text);
        }
    }

    @Test
    void writesIpv6AsRfc5952Says()
    {
        assertThat(IpAddresses.format(parse("2001:0db8:0000:0000:0000:ff00:0042:8329"))).isEqualTo("2001:db8::ff00:42:8329");
        assertThat(IpAddresses.format(parse("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddresses.format(parse("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpAddresses.format(parse("0:0:0:0:0:0:0:0"))).isEqualTo("::");
        assertThat(IpAddresses.format(parse("::ffff:1.2.3.4"))).isEqualTo("1.2.3.4");
        assertThat(IpAddresses.format(parse("::1.2.3.4"))).isEqualTo("::102:304");
    }

    @Test
    void refusesWhatIsNotAnAddress()
    {
        for (String text : List.of("", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", " 1.2.3.4", "1::2::3", ":1::2", "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7", "12345::", "1:2:3:4:5:6:7:8::", "::g", "1.2.3.4::", "1:", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4")) {
            assertThat(parse(text)).as(text).isNull();
        }
    }

    @Test
    void prefixesClearTheHostBits()
    {
        byte[] out = new byte[17];
        byte[] text = "192.168.255.255/9".getBytes(StandardCharsets.US_ASCII);
        assertThat(IpAddresses.parsePrefix(text, 0, text.length, out, 0)).isTrue();
        assertThat(IpAddresses.formatPrefix(out)).isEqualTo("192.128.0.0/9");
        text = "2001:db8::1/129".getBytes(StandardCharsets.US_ASCII);
        assertThat(IpAddresses.parsePrefix(text, 0, text.length, out, 0)).isFalse();
        text = "10.0.0.0/33".getBytes(StandardCharsets.US_ASCII);
        assertThat(IpAddresses.parsePrefix(text, 0, text.length, out, 0)).isFalse();
    }

    @Test
    void containsMatchesAReferenceOverABatch()
            throws Exception
    {
        Random random = new Random(5);
        int rows = 3000;
        Object[] addresses = new Object[rows];
        for (int i = 0; i < rows; i++) {
            addresses[i] = i % 97 == 0 ? null
                    : i % 5 == 0 ? "2001:db8::" + Integer.toHexString(random.nextInt(0x10000))
                    : "10." + random.nextInt(3) + "." + random.nextInt(256) + "." + random.nextInt(256);
        }
        for (String network : List.of("10.1.0.0/16", "10.0.0.0/8", "10.2.128.0/17", "0.0.0.0/0", "2001:db8::/112", "10.1.2.3/32")) {
            Expression contains = new FunctionCall("contains", List.of(new Literal(network, Type.VARCHAR),
                    new Call(Operator.CAST, List.of(new InputRef(0, Type.VARCHAR)), Type.IPADDRESS)), Type.BOOLEAN);
            List<Object> actual = project(contains, addresses);
            for (int i = 0; i < rows; i++) {
                assertThat(actual.get(i)).as(network + " " + addresses[i]).isEqualTo(addresses[i] == null ? null : reference(network, (String) addresses[i]));
            }
        }
    }

    @Test
    void castsRoundTripOverABatch()
    {
        Object[] texts = {"10.0.0.1", null, "::ffff:10.0.0.2", "2001:DB8::0:1", "::"};
        Expression roundTrip = new Call(Operator.CAST, List.of(new Call(Operator.CAST, List.of(new InputRef(0, Type.VARCHAR)), Type.IPADDRESS)), Type.VARCHAR);
        assertThat(project(roundTrip, texts)).containsExactly("10.0.0.1", null, "10.0.0.2", "2001:db8::1", "::");
        Expression prefix = new Call(Operator.CAST, List.of(new FunctionCall("ip_prefix", List.of(
                new Call(Operator.CAST, List.of(new InputRef(0, Type.VARCHAR)), Type.IPADDRESS), new Literal(8L, Type.BIGINT)), Type.IPPREFIX)), Type.VARCHAR);
        assertThat(project(prefix, texts)).containsExactly("10.0.0.0/8", null, "10.0.0.0/8", "2000::/8", "::/8");
        assertThatThrownBy(() -> project(roundTrip, new Object[] {"10.0.0.1", "bad"}))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT))
                .hasMessageContaining("Cannot cast value to IPADDRESS: 'bad'");
    }

    private List<Object> project(Expression expression, Object[] column)
    {
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(Type.VARCHAR), column);
                VectorSchemaRoot out = Projector.compile(List.of(expression), List.of(Type.VARCHAR)).project(batch, new Selection().selectAll(column.length), allocator)) {
            return new ArrayList<>(TestBatches.column(out, 0));
        }
    }

    private static boolean reference(String network, String address)
            throws Exception
    {
        int slash = network.indexOf('/');
        byte[] base = InetAddress.getByName(network.substring(0, slash)).getAddress();
        byte[] ip = InetAddress.getByName(address).getAddress();
        if (base.length != ip.length) {
            return false;
        }
        int shift = base.length * 8 - Integer.parseInt(network.substring(slash + 1));
        return new BigInteger(1, base).shiftRight(shift).equals(new BigInteger(1, ip).shiftRight(shift));
    }
}
