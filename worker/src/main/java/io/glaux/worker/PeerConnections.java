package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.RevocationList;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLPeerUnverifiedException;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections other nodes opened to this worker's Flight server, so that those of a node revoked
 * after they were established can be closed: the TLS check refuses only new handshakes, and an open
 * HTTP/2 connection would otherwise go on carrying calls. Closing one fails every call on it (the
 * worker's tasks see a cancellation, the caller an unavailable worker).
 *
 * <p>The server's listening channel ({@link #channelFactory}) records each connection it accepts; a
 * connection's peer is the client certificate of its TLS session.
 */
final class PeerConnections
{
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    /** For {@code NettyServerBuilder.channelFactory}: a NIO listening channel that records what it accepts. */
    ChannelFactory<ServerChannel> channelFactory()
    {
        return TrackingServerChannel::new;
    }

    /** Connections open now. */
    int size()
    {
        open.removeIf(channel -> !channel.isOpen());
        return open.size();
    }

    /** Closes the connections whose client certificate {@code revocations} revokes; returns how many. */
    int closeRevoked(RevocationList revocations)
    {
        requireNonNull(revocations, "revocations is null");
        int closed = 0;
        for (Channel channel : List.copyOf(open)) {
            if (!channel.isOpen()) {
                open.remove(channel);
                continue;
            }
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                continue;
            }
            try {
                Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate certificate && revocations.revocation(certificate).isPresent()) {
                    closeAbruptly(channel);
                    open.remove(channel);
                    closed++;
                }
            }
            catch (SSLPeerUnverifiedException e) {
                // still handshaking: the handshake checks the list itself
            }
        }
        return closed;
    }

    /**
     * Refuses every call whose TLS peer {@code revocations} revokes, with PERMISSION_DENIED. The handshake
     * checks the list too, but a client that reconnects may resume its TLS session without presenting its
     * certificate again, and a connection may outlive the check: the session still names the peer. The
     * connection of a refused call is closed.
     */
    io.grpc.ServerInterceptor refusingRevoked(RevocationList revocations)
    {
        requireNonNull(revocations, "revocations is null");
        return new io.grpc.ServerInterceptor()
        {
            @Override
            public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, R> next)
            {
                javax.net.ssl.SSLSession session = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_SSL_SESSION);
                java.util.Optional<String> revoked = java.util.Optional.empty();
                if (session != null) {
                    try {
                        Certificate[] peer = session.getPeerCertificates();
                        if (peer.length > 0 && peer[0] instanceof X509Certificate certificate) {
                            revoked = revocations.revocation(certificate);
                        }
                    }
                    catch (SSLPeerUnverifiedException e) {
                        revoked = java.util.Optional.of("the caller presented no certificate");
                    }
                }
                if (revoked.isPresent()) {
                    java.net.SocketAddress remote = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                    if (remote != null) {
                        for (Channel channel : open) {
                            if (remote.equals(channel.remoteAddress())) {
                                // after the answer below is on its way
                                channel.eventLoop().schedule(() -> closeAbruptly(channel), 100, java.util.concurrent.TimeUnit.MILLISECONDS);
                                open.remove(channel);
                            }
                        }
                    }
                    call.close(io.grpc.Status.PERMISSION_DENIED.withDescription("Revoked node certificate: " + revoked.get()), new io.grpc.Metadata());
                    return new io.grpc.ServerCall.Listener<>() {};
                }
                return next.startCall(call, headers);
            }
        };
    }

    /**
     * Closes the socket itself, past the pipeline: {@code channel.close()} would go through HTTP/2's
     * graceful shutdown (GOAWAY, then wait for the streams in flight), which lets the revoked peer finish
     * what it started. Its calls fail at once instead (UNAVAILABLE on both ends).
     */
    private static void closeAbruptly(Channel channel)
    {
        channel.eventLoop().execute(() -> channel.unsafe().close(channel.unsafe().voidPromise()));
    }

    private final class TrackingServerChannel
            extends NioServerSocketChannel
    {
        @Override
        protected int doReadMessages(List<Object> buf)
                throws Exception
        {
            int from = buf.size();
            int read = super.doReadMessages(buf);
            for (int i = from; i < buf.size(); i++) {
                if (buf.get(i) instanceof Channel accepted) {
                    open.add(accepted);
                    // notified on the connection's event loop once it is registered and closes
                    accepted.closeFuture().addListener(_ -> open.remove(accepted));
                }
            }
            return read;
        }
    }
}
