package io.glaux.engine.exchange;

import static java.util.Objects.requireNonNull;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.net.ssl.X509ExtendedTrustManager;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node certificates the coordinator revoked: by serial number, or by node id (every certificate
 * of that CN whose validity starts before the revocation). The coordinator keeps the list; workers get
 * it with each answer to their announcements. Every mutual TLS handshake between nodes checks it, in
 * both directions ({@link #checking}), so a revoked node can no longer announce itself, receive tasks,
 * call a worker or serve one.
 *
 * <p>Thread-safe: {@link #replace} swaps an immutable snapshot.
 */
public final class RevocationList
{
    /** Serial numbers (lower-case hex) and node ids with the instant they were revoked. */
    public record Snapshot(Set<String> serials, Map<String, Instant> nodes)
    {
        public static final Snapshot EMPTY = new Snapshot(Set.of(), Map.of());

        public Snapshot
        {
            serials = Set.copyOf(requireNonNull(serials, "serials is null"));
            nodes = Map.copyOf(requireNonNull(nodes, "nodes is null"));
        }
    }

    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Snapshot snapshot()
    {
        return snapshot;
    }

    /** Replaces the list; when it changed, runs the {@link #onChange} listeners (on this thread). */
    public void replace(Snapshot snapshot)
    {
        requireNonNull(snapshot, "snapshot is null");
        Snapshot old = this.snapshot;
        this.snapshot = snapshot;
        if (!old.equals(snapshot)) {
            for (Runnable listener : listeners) {
                listener.run();
            }
        }
    }

    /**
     * Runs {@code listener} after each change of the list: to cut off the connections a node revoked
     * just now opened before (the TLS checks refuse only new handshakes).
     */
    public void onChange(Runnable listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Why {@code certificate} is revoked, or empty when it is not. */
    public Optional<String> revocation(X509Certificate certificate)
    {
        Snapshot current = snapshot;
        String serial = certificate.getSerialNumber().toString(16).toLowerCase(Locale.ROOT);
        if (current.serials().contains(serial)) {
            return Optional.of("the certificate with serial " + serial + " was revoked");
        }
        if (!current.nodes().isEmpty()) {
            for (String name : commonNames(certificate)) {
                Instant revokedAt = current.nodes().get(name);
                if (revokedAt != null && certificate.getNotBefore().toInstant().isBefore(revokedAt)) {
                    return Optional.of("node " + name + " was revoked at " + revokedAt);
                }
            }
        }
        return Optional.empty();
    }

    /** The CN of a node certificate ({@code CN=<node id>,O=Glaux}), if it has one. */
    public static Optional<String> nodeId(X509Certificate certificate)
    {
        return commonNames(certificate).stream().findFirst();
    }

    /** {@code delegate}, also refusing a peer whose certificate this list revokes. */
    public X509ExtendedTrustManager checking(X509ExtendedTrustManager delegate)
    {
        requireNonNull(delegate, "delegate is null");
        return new CheckingTrustManager(delegate)
        {
            @Override
            void checkClient(X509Certificate[] chain)
                    throws CertificateException
            {
                checkNotRevoked(chain);
            }

            @Override
            void checkServer(X509Certificate[] chain)
                    throws CertificateException
            {
                checkNotRevoked(chain);
            }
        };
    }

    private void checkNotRevoked(X509Certificate[] chain)
            throws CertificateException
    {
        if (chain != null && chain.length > 0) {
            Optional<String> reason = revocation(chain[0]);
            if (reason.isPresent()) {
                throw new CertificateException("Revoked node certificate (" + chain[0].getSubjectX500Principal().getName() + "): " + reason.get());
            }
        }
    }

    static java.util.List<String> commonNames(X509Certificate certificate)
    {
        try {
            RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
            return java.util.Arrays.stream(rdns).map(rdn -> IETFUtils.valueToString(rdn.getFirst().getValue())).toList();
        }
        catch (IllegalArgumentException e) {
            return java.util.List.of();
        }
    }
}
