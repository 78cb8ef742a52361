package io.glaux.catalog.hive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback TCP forwarder whose connections a test can cut, to break a client's transport for real. */
final class TcpProxy
        implements AutoCloseable
{
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean swallowing;

    private TcpProxy(ServerSocket server, int targetPort)
    {
        this.server = server;
        this.targetPort = targetPort;
    }

    static TcpProxy start(int targetPort)
            throws IOException
    {
        TcpProxy proxy = new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort);
        Thread.ofVirtual().start(proxy::acceptLoop);
        return proxy;
    }

    int port()
    {
        return server.getLocalPort();
    }

    int acceptedConnections()
    {
        return accepted.get();
    }

    void dropConnections()
            throws IOException
    {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** From now on, bytes are read but not passed on: calls on open connections get no answer. */
    void swallowTraffic()
    {
        swallowing = true;
    }

    private void acceptLoop()
    {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            }
            catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to)
    {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!swallowing) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        }
        catch (IOException e) {
            // connection cut
        }
        finally {
            try {
                from.close();
                to.close();
            }
            catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close()
            throws IOException
    {
        server.close();
        dropConnections();
    }
}
