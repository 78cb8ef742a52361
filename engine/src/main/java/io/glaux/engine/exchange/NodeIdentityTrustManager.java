package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;


import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Trusts a worker's server certificate only when the cluster CA signed it (and it names the host, as
 * usual) <em>and</em> its CN is the node id the worker announced (subject alternative names are
 * host names, never an identity: a joining worker chooses them). A worker that announced {@code worker-a} but serves {@code worker-b}'s certificate
 * (a stolen key, a wrong address) fails the handshake, so no task is sent to it.
 */
public final class NodeIdentityTrustManager
        extends CheckingTrustManager
{
    private final String nodeId;
    private final RevocationList revocations;
    /** The certificate the server presented in the last handshake this trusted. */
    private volatile X509Certificate peerCertificate;

    private NodeIdentityTrustManager(X509ExtendedTrustManager delegate, String nodeId, RevocationList revocations)
    {
        super(delegate);
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.revocations = requireNonNull(revocations, "revocations is null");
    }

    /** Trusts the CA in {@code trustStore} (the cluster's) for servers whose certificate names {@code nodeId}. */
    public static NodeIdentityTrustManager forNode(KeyStore trustStore, String nodeId)
    {
        return forNode(trustStore, nodeId, new RevocationList());
    }

    /** As {@link #forNode(KeyStore, String)}, also refusing a certificate that {@code revocations} revokes. */
    public static NodeIdentityTrustManager forNode(KeyStore trustStore, String nodeId, RevocationList revocations)
    {
        requireNonNull(trustStore, "trustStore is null");
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return new NodeIdentityTrustManager(extended, nodeId, revocations);
                }
            }
        }
        catch (GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot trust the cluster CA for node " + nodeId + ": " + e.getMessage(), e);
        }
        throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "No X.509 trust manager for node " + nodeId);
    }

    /** As {@link #forNode(KeyStore, String, RevocationList)}, with the CAs {@code caTrust} trusts (a node's {@link NodeKeys#trustManager()}). */
    public static NodeIdentityTrustManager forNode(X509ExtendedTrustManager caTrust, String nodeId, RevocationList revocations)
    {
        return new NodeIdentityTrustManager(requireNonNull(caTrust, "caTrust is null"), nodeId, revocations);
    }

    /**
     * Whether {@code certificate} is {@code nodeId}'s: its subject's CN is the node id. Subject
     * alternative names are host names, for hostname checks: a worker may have asked for any host
     * names, so they never make a node's identity.
     */
    public static boolean namesNode(X509Certificate certificate, String nodeId)
    {
        return commonNames(certificate).contains(nodeId);
    }

    private static List<String> commonNames(X509Certificate certificate)
    {
        return RevocationList.commonNames(certificate);
    }

    private void checkNamesNode(X509Certificate[] chain)
            throws CertificateException
    {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("Worker " + nodeId + " presented no certificate");
        }
        if (!namesNode(chain[0], nodeId)) {
            throw new CertificateException("The certificate of the worker announced as " + nodeId + " names another node ("
                    + chain[0].getSubjectX500Principal().getName() + "): it is not that node");
        }
        java.util.Optional<String> revoked = revocations.revocation(chain[0]);
        if (revoked.isPresent()) {
            throw new CertificateException("Worker " + nodeId + " presented a revoked certificate: " + revoked.get());
        }
        peerCertificate = chain[0];
    }

    /** The certificate the worker presented in the last handshake this trust manager accepted, if any. */
    public java.util.Optional<X509Certificate> peerCertificate()
    {
        return java.util.Optional.ofNullable(peerCertificate);
    }

    @Override
    void checkServer(X509Certificate[] chain)
            throws CertificateException
    {
        checkNamesNode(chain);
    }

    @Override
    void checkClient(X509Certificate[] chain)
            throws CertificateException
    {
        throw new CertificateException("A worker client checks servers only");
    }
}
