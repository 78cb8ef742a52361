package io.glaux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A reader interrupted while its GET waits for the response (a scan ended early by a LIMIT, a cancelled
 * prefetch) must not leak the connection: the response that arrives later is closed. The store talks to
 * the real S3Proxy through a TCP relay that holds the server's answers back until the test lets them go,
 * so that the interrupt lands while the request is in flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectStoreInterruptTest
{
    private static final String BUCKET = "interrupt-test";

    private TestingS3 s3;
    private HoldingRelay relay;
    private ObjectStore store;
    private byte[] blob;

    @BeforeAll
    void setUp()
            throws Exception
    {
        s3 = new TestingS3();
        blob = new byte[256 * 1024];
        new Random(7).nextBytes(blob);
        try (ObjectStore direct = s3.newStore()) {
            direct.createBucketIfMissing(BUCKET);
            direct.put(BUCKET, "blob.bin", blob);
        }
        relay = new HoldingRelay(s3.endpoint().getPort());
        store = new ObjectStore(ObjectStoreConfig.of(URI.create("http://127.0.0.1:" + relay.port()), TestingS3.ACCESS_KEY, TestingS3.SECRET_KEY));
    }

    @AfterAll
    void tearDown()
            throws Exception
    {
        store.close();
        relay.close();
        s3.close();
    }

    @Test
    void interruptedReadsReleaseTheirConnections()
            throws Exception
    {
        int permits = store.availableConnectionPermits();
        for (boolean tail : new boolean[] {false, true}) {
            relay.hold();
            int before = relay.requestsSeen();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    if (tail) {
                        store.readTail(BUCKET, "blob.bin", 1024);
                    }
                    else {
                        store.read(BUCKET, "blob.bin", 1000, 50_000);
                    }
                }
                catch (Throwable e) {
                    failure.set(e);
                }
            });
            // the request reached the server; its answer is held back
            awaitCondition(() -> relay.requestsSeen() > before, "the GET reaches the relay");
            reader.interrupt();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(reader.isAlive()).isFalse();
            assertThat(failure.get()).isInstanceOf(GlauxException.class);
            assertThat(((GlauxException) failure.get()).errorCode()).isEqualTo(ErrorCode.OBJECT_STORE_ERROR);
            assertThat(failure.get().getMessage()).contains("Interrupted").contains("s3://" + BUCKET + "/blob.bin");
            assertThat(store.connectionsInUse()).isEqualTo(1);
            // the abandoned request still holds its connection permit: the limit counts it
            assertThat(store.availableConnectionPermits()).isEqualTo(permits - 1);

            // the answer arrives after its reader left: it is closed, and the connection is free again
            relay.release();
            awaitCondition(() -> store.connectionsInUse() == 0, "the late response to be closed (in use: " + store.connectionsInUse() + ")");
            awaitCondition(() -> store.availableConnectionPermits() == permits, "the permit of the late response to be returned");
        }

        // the store still works, over the freed connections
        assertThat(store.read(BUCKET, "blob.bin", 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(blob, 10, 30));
        assertThat(store.connectionsInUse()).isZero();
    }

    @Test
    void errorsStillCarryTheClientsException()
    {
        relay.release();
        assertThatThrownBy(() -> store.read(BUCKET, "missing.bin", 0, 10))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND))
                .hasMessageContaining("s3://" + BUCKET + "/missing.bin");
        assertThat(store.readTail(BUCKET, "blob.bin", 16)).isEqualTo(java.util.Arrays.copyOfRange(blob, blob.length - 16, blob.length));
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * A loopback TCP relay to the object store: client bytes go through at once; while held, server bytes
     * wait until {@link #release()}. Counts the client connections that sent something (requests).
     */
    private static final class HoldingRelay
            implements AutoCloseable
    {
        private final ServerSocket server;
        private final int targetPort;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final AtomicInteger requests = new AtomicInteger();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        HoldingRelay(int targetPort)
                throws IOException
        {
            this.targetPort = targetPort;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port()
        {
            return server.getLocalPort();
        }

        int requestsSeen()
        {
            return requests.get();
        }

        void hold()
        {
            if (gate.getCount() == 0) {
                gate = new CountDownLatch(1);
            }
        }

        void release()
        {
            gate.countDown();
        }

        private void accept()
        {
            try {
                while (!server.isClosed()) {
                    Socket client = server.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    Thread.ofVirtual().start(() -> pump(client, upstream, true));
                    Thread.ofVirtual().start(() -> pump(upstream, client, false));
                }
            }
            catch (IOException e) {
                // closed
            }
        }

        private void pump(Socket from, Socket to, boolean request)
        {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (request) {
                        requests.incrementAndGet();
                    }
                    else {
                        gate.await();
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            catch (IOException | InterruptedException e) {
                // a side closed: closing the streams closed both sockets
            }
        }

        @Override
        public void close()
                throws IOException
        {
            gate.countDown();
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
