package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A node's certificate and key as a key manager that can be {@linkplain #replace replaced} while the
 * node runs: every TLS handshake (the Flight server, Flight clients, the HTTPS client announcing to the
 * coordinator) asks it for the current pair, so a renewed certificate is used from the next handshake
 * on, without restarting a server or a channel. Connections established before keep their session.
 *
 * <p>Each certificate gets its own alias ({@code <node>#<serial>}), and the pair a handshake chose stays
 * resolvable after a replacement, so a handshake running during one never mixes an old certificate with
 * a new key. Thread-safe.
 */
public final class NodeKeys
        extends X509ExtendedKeyManager
{
    private record Entry(String alias, TlsMaterial material, X509Certificate[] chain) {}

    private volatile Entry current;
    private volatile Entry previous;
    /** The trust of the current material's CAs: replaced with the material when its {@code ca.pem} changes. */
    private volatile X509ExtendedTrustManager caTrust;
    private final X509ExtendedTrustManager trust = new CurrentTrust();
    private final List<Consumer<TlsMaterial>> listeners = new CopyOnWriteArrayList<>();

    private NodeKeys(TlsMaterial material)
    {
        this.current = entry(material);
        this.previous = current;
        this.caTrust = caTrust(material);
    }

    public static NodeKeys of(TlsMaterial material)
    {
        return new NodeKeys(requireNonNull(material, "material is null"));
    }

    /** The certificate and key handshakes use now. */
    public TlsMaterial material()
    {
        return current.material();
    }

    /**
     * Uses {@code next} from the next handshake on, and trusts its CAs. It must be the same node's, under
     * a CA trusted now or trusting the current one (a renewal, possibly during a CA rotation); listeners
     * run after the switch.
     */
    public void replace(TlsMaterial next)
    {
        requireNonNull(next, "next is null");
        synchronized (this) {
            TlsMaterial now = current.material();
            boolean overlapping = now.caCertificates().contains(next.caCertificateValue()) || next.caCertificates().contains(now.caCertificateValue());
            if (!next.nodeName().equals(now.nodeName()) || !overlapping) {
                throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "A renewed certificate must be node " + now.nodeName() + "'s under a CA it trusts: "
                        + next.certificate().getSubjectX500Principal());
            }
            X509ExtendedTrustManager nextTrust = next.caCertificates().equals(now.caCertificates()) ? caTrust : caTrust(next);
            previous = current;
            current = entry(next);
            caTrust = nextTrust;
        }
        for (Consumer<TlsMaterial> listener : listeners) {
            listener.accept(next);
        }
    }

    /** Runs {@code listener} with each replacement. */
    public void onReplace(Consumer<TlsMaterial> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /**
     * For HTTPS clients and servers: trusts only the cluster's CAs and presents the current certificate,
     * both as they are at each handshake.
     */
    public SSLContext clientSslContext()
    {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {this}, new TrustManager[] {trust}, new SecureRandom());
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot build an SSL context for node " + material().nodeName() + ": " + e.getMessage(), e);
        }
    }

    /** The trust managers for the cluster's CAs: those of the current material at each handshake (a CA rotation changes them). */
    public TrustManager[] caTrustManagers()
    {
        return new TrustManager[] {trust};
    }

    /** The trust of the cluster's CAs, as they are at each handshake. */
    public X509ExtendedTrustManager trustManager()
    {
        return trust;
    }

    private static X509ExtendedTrustManager caTrust(TlsMaterial material)
    {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(material.trustStore());
            for (TrustManager manager : trustManagers.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "No X.509 trust manager for the cluster CA");
        }
        catch (GeneralSecurityException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot trust the cluster CA: " + e.getMessage(), e);
        }
    }

    /**
     * When a node renews a certificate it received at {@code received}: two thirds into the lifetime it
     * had left then (the workers' renewal and the coordinator's own).
     */
    public static Instant renewalTime(Instant received, Instant notBefore, Instant notAfter)
    {
        Instant start = received.isAfter(notBefore) ? received : notBefore;
        Duration left = Duration.between(start, notAfter);
        if (left.isNegative()) {
            return start;
        }
        return start.plus(left.multipliedBy(2).dividedBy(3));
    }

    /** Delegates every check to the trust of the current material's CAs. */
    private final class CurrentTrust
            extends X509ExtendedTrustManager
    {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException
        {
            caTrust.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException
        {
            caTrust.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException
        {
            caTrust.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException
        {
            caTrust.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException
        {
            caTrust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException
        {
            caTrust.checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return caTrust.getAcceptedIssuers();
        }
    }

    private static Entry entry(TlsMaterial material)
    {
        return new Entry(material.nodeName() + "#" + material.certificate().getSerialNumber().toString(16), material,
                material.chainValue().toArray(new X509Certificate[0]));
    }

    private String alias(String keyType)
    {
        Entry entry = current;
        String algorithm = entry.material().certificate().getPublicKey().getAlgorithm();
        // "EC", or the TLS 1.2 forms "EC_EC", "EC_RSA"
        return keyType == null || keyType.equals(algorithm) || keyType.startsWith(algorithm + "_") ? entry.alias() : null;
    }

    private String alias(String[] keyTypes)
    {
        if (keyTypes == null) {
            return current.alias();
        }
        for (String keyType : keyTypes) {
            String alias = alias(keyType);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    private Entry lookup(String alias)
    {
        Entry entry = current;
        if (entry.alias().equals(alias)) {
            return entry;
        }
        entry = previous;
        return entry.alias().equals(alias) ? entry : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers)
    {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket)
    {
        return alias(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine)
    {
        return alias(keyTypes);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers)
    {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket)
    {
        return alias(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine)
    {
        return alias(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias)
    {
        Entry entry = lookup(alias);
        return entry == null ? null : entry.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias)
    {
        Entry entry = lookup(alias);
        return entry == null ? null : entry.material().privateKeyValue();
    }

    @Override
    public String toString()
    {
        return "NodeKeys{" + current.alias() + "}";
    }
}
