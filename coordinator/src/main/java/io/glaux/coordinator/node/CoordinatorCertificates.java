package io.glaux.coordinator.node;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.NodeKeys;
import io.glaux.engine.exchange.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps the coordinator's own TLS identity current while it runs, in its {@link NodeKeys} (which its
 * HTTPS server, its Flight clients to the workers and its trust of client certificates read at every
 * handshake):
 *
 * <ul>
 * <li><b>Renewal.</b> A coordinator holding the CA key ({@code ca-key.pem}) issues itself a new key and
 * certificate, valid for {@code node.certificate-validity}, at two thirds of the lifetime its
 * certificate had left when it got it, and at once when the CA that signs changed (a CA rotation's
 * promotion).</li>
 * <li><b>Files changed on disk.</b> Every {@link #CHECK_INTERVAL} it looks at {@code ca.pem},
 * {@code ca-key.pem}, {@code coordinator.pem} and {@code coordinator-key.pem} (their inode, size and
 * modification time); when one changed (an operator replaced the PEM files, or added a CA to the
 * bundle) it loads them, and uses them from the next handshake on if they are valid, signed by a CA of
 * the bundle and overlap the current trust; otherwise it keeps what it has and logs why.</li>
 * </ul>
 *
 * <p>Connections already open keep their TLS session; nothing restarts.
 */
public final class CoordinatorCertificates
        implements AutoCloseable
{
    /** How often the files are looked at (a few {@code stat} calls). */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorCertificates.class);

    private final NodeKeys keys;
    private final Path directory;
    private final String nodeName;
    private final List<String> hostNames;
    private final Duration validity;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();
    private final List<Consumer<TlsMaterial>> listeners = new CopyOnWriteArrayList<>();
    /** When the current certificate was issued or loaded: the start of its remaining lifetime. */
    private volatile Instant received;
    private volatile String fingerprint;
    /** The fingerprint whose files were found unusable (logged once, not again until they change). */
    private volatile String refused = "";

    public CoordinatorCertificates(NodeKeys keys, List<String> hostNames, Duration validity, Clock clock)
    {
        this.keys = requireNonNull(keys, "keys is null");
        this.directory = keys.material().directory();
        this.nodeName = keys.material().nodeName();
        this.hostNames = List.copyOf(hostNames);
        this.validity = requireNonNull(validity, "validity is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.received = clock.instant();
        this.fingerprint = fingerprint();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "glaux-coordinator-certificates");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Issues the coordinator a certificate of {@code validity} now when it holds the CA key and its
     * certificate outlives that (the files from {@code glaux tls} are valid for years), or its signer
     * no longer signs: from the start, the coordinator's certificate lives as long as the workers'.
     */
    public static TlsMaterial initial(TlsMaterial loaded, List<String> hostNames, Duration validity)
    {
        requireNonNull(loaded, "loaded is null");
        if (!TlsMaterial.holdsCaKey(loaded.directory())) {
            return loaded;
        }
        Instant notAfter = loaded.certificate().getNotAfter().toInstant();
        boolean outlives = notAfter.isAfter(Instant.now().plus(validity).plus(Duration.ofMinutes(1)));
        boolean staleSigner = !TlsMaterial.signingCaCertificate(loaded.directory()).equals(loaded.caCertificateValue());
        if (!outlives && !staleSigner) {
            return loaded;
        }
        return TlsMaterial.renewOwn(loaded.directory(), loaded.nodeName(), hostNames, validity);
    }

    public void start()
    {
        long interval = CHECK_INTERVAL.toMillis();
        scheduler.scheduleWithFixedDelay(this::check, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code listener} with each new material (after {@link NodeKeys#replace}). */
    public void onChange(Consumer<TlsMaterial> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Certificates this coordinator issued itself since it started. */
    public long renewals()
    {
        return renewals.get();
    }

    /** Times it took up files changed on disk (by an operator or a CA rotation) since it started. */
    public long reloads()
    {
        return reloads.get();
    }

    private void check()
    {
        try {
            String now = fingerprint();
            boolean holdsCaKey = TlsMaterial.holdsCaKey(directory);
            if (!now.equals(fingerprint)) {
                fingerprint = now;
                filesChanged(holdsCaKey);
            }
            TlsMaterial current = keys.material();
            X509Certificate certificate = current.certificate();
            if (holdsCaKey && !clock.instant().isBefore(NodeKeys.renewalTime(received, certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))) {
                renew("its certificate (serial " + certificate.getSerialNumber().toString(16) + ") expires at " + certificate.getNotAfter().toInstant());
            }
        }
        catch (RuntimeException e) {
            // a file half-written by an operator, a CA key that does not belong to the bundle: keep the
            // current identity, try again at the next check
            LOG.warn("The coordinator's TLS identity was not updated: {}", e.getMessage());
        }
    }

    private void filesChanged(boolean holdsCaKey)
    {
        TlsMaterial current = keys.material();
        // files being replaced (a certificate without its key yet) are not usable: never overwritten here
        Optional<TlsMaterial> onDisk = TlsMaterial.loadCurrent(directory, nodeName);
        if (onDisk.isPresent() && holdsCaKey) {
            X509Certificate signing = TlsMaterial.signingCaCertificate(directory);
            if (!onDisk.get().caCertificateValue().equals(signing)) {
                renew("the CA that signs is now " + signing.getSubjectX500Principal().getName());
                return;
            }
        }
        if (onDisk.isEmpty()) {
            if (!refused.equals(fingerprint)) {
                refused = fingerprint;
                LOG.warn("The TLS files of the coordinator in {} changed but are not usable now ({}.pem not valid now, not signed by a CA of ca.pem, "
                        + "or not matching {}-key.pem): it keeps its current certificate", directory, nodeName, nodeName);
            }
            return;
        }
        use(onDisk.get(), current);
    }

    private void use(TlsMaterial next, TlsMaterial current)
    {
        if (next.certificate().equals(current.certificate()) && next.caCertificates().equals(current.caCertificates())) {
            return;
        }
        keys.replace(next);
        received = clock.instant();
        reloads.incrementAndGet();
        LOG.info("The coordinator took up its TLS files from {}: certificate serial {} (valid until {}), trusting {} CA(s)", directory,
                next.certificate().getSerialNumber().toString(16), next.certificate().getNotAfter().toInstant(), next.caCertificates().size());
        listeners.forEach(listener -> listener.accept(next));
    }

    private void renew(String why)
    {
        TlsMaterial renewed = TlsMaterial.renewOwn(directory, nodeName, hostNames, validity);
        fingerprint = fingerprint();
        keys.replace(renewed);
        received = clock.instant();
        renewals.incrementAndGet();
        LOG.info("The coordinator renewed its certificate ({}): serial {}, valid until {}", why,
                renewed.certificate().getSerialNumber().toString(16), renewed.certificate().getNotAfter().toInstant());
        listeners.forEach(listener -> listener.accept(renewed));
    }

    /** Inode, size and modification time of each file (absent files too): changes with every atomic rename. */
    private String fingerprint()
    {
        StringBuilder print = new StringBuilder();
        for (String name : List.of("ca.pem", "ca-key.pem", nodeName + ".pem", nodeName + "-key.pem")) {
            Path file = directory.resolve(name);
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                print.append(name).append(':').append(attributes.fileKey()).append(':').append(attributes.size()).append(':')
                        .append(attributes.lastModifiedTime().toInstant()).append(';');
            }
            catch (NoSuchFileException e) {
                print.append(name).append(":-;");
            }
            catch (IOException e) {
                print.append(name).append(":?;");
            }
        }
        return print.toString();
    }

    @Override
    public void close()
    {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
