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
                    channel.close();
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
                }
            }
            return read;
        }
    }
}
