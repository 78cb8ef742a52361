package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A trust manager that lets {@code delegate} (the cluster CA) check a peer's chain and then adds a check
 * of its own ({@link #checkClient}, {@link #checkServer}), in every one of the six variants the JDK and
 * Netty call: the one place those overloads are written out, for {@link NodeIdentityTrustManager} and
 * {@link RevocationList#checking}.
 */
abstract class CheckingTrustManager
        extends X509ExtendedTrustManager
{
    private final X509ExtendedTrustManager delegate;

    CheckingTrustManager(X509ExtendedTrustManager delegate)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** Runs after the delegate accepted a client's chain. */
    abstract void checkClient(X509Certificate[] chain)
            throws CertificateException;

    /** Runs after the delegate accepted a server's chain. */
    abstract void checkServer(X509Certificate[] chain)
            throws CertificateException;

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException
    {
        delegate.checkClientTrusted(chain, authType, socket);
        checkClient(chain);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException
    {
        delegate.checkClientTrusted(chain, authType, engine);
        checkClient(chain);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException
    {
        delegate.checkClientTrusted(chain, authType);
        checkClient(chain);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException
    {
        delegate.checkServerTrusted(chain, authType, socket);
        checkServer(chain);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException
    {
        delegate.checkServerTrusted(chain, authType, engine);
        checkServer(chain);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException
    {
        delegate.checkServerTrusted(chain, authType);
        checkServer(chain);
    }

    @Override
    public final X509Certificate[] getAcceptedIssuers()
    {
        return delegate.getAcceptedIssuers();
    }
}
