package io.glaux.worker;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.exchange.NodeKeys;
import io.glaux.engine.exchange.TlsMaterial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renews a joined worker's certificate while it runs: at two thirds of the time it had left when the
 * worker got it (or loaded it at start), through {@code POST /v1/node/renew} authenticated by the
 * current certificate, with a new key. The new certificate goes into {@link NodeKeys}, so the Flight
 * server, the Flight clients and the announcements present it from their next handshake on; nothing
 * restarts and open connections keep going.
 *
 * <p>A failed renewal (coordinator unreachable, an error) is retried with a backoff from one second,
 * doubling, at most a tenth of the time left (and at most five minutes), until the certificate expires.
 */
final class CertificateRenewal
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final URI coordinatorUri;
    private final NodeKeys keys;
    private final List<String> hostNames;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong renewals = new AtomicLong();
    /** When the current certificate was received or loaded: the start of its remaining lifetime. */
    private volatile Instant received;
    private volatile Duration retry = FIRST_RETRY;

    CertificateRenewal(URI coordinatorUri, NodeKeys keys, List<String> hostNames, Clock clock)
    {
        this.coordinatorUri = requireNonNull(coordinatorUri, "coordinatorUri is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.hostNames = List.copyOf(hostNames);
        this.clock = requireNonNull(clock, "clock is null");
        this.received = clock.instant();
        String nodeId = keys.material().nodeName();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "glaux-certificate-renewal-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start()
    {
        schedule(untilRenewal());
    }

    /** Renewals done since start. */
    long renewals()
    {
        return renewals.get();
    }

    private Duration untilRenewal()
    {
        TlsMaterial current = keys.material();
        Instant at = NodeKeys.renewalTime(received, current.certificate().getNotBefore().toInstant(), current.certificate().getNotAfter().toInstant());
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private void schedule(Duration delay)
    {
        try {
            scheduler.schedule(this::renew, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void renew()
    {
        TlsMaterial current = keys.material();
        Instant expires = current.certificate().getNotAfter().toInstant();
        try {
            TlsMaterial renewed = NodeJoin.renew(coordinatorUri, current, hostNames, Duration.ZERO);
            received = clock.instant();
            keys.replace(renewed);
            renewals.incrementAndGet();
            retry = FIRST_RETRY;
            log.info("Node {} now presents its renewed certificate (serial {}, valid until {})", current.nodeName(),
                    renewed.certificate().getSerialNumber().toString(16), renewed.certificate().getNotAfter().toInstant());
            schedule(untilRenewal());
        }
        catch (RuntimeException e) {
            Instant now = clock.instant();
            if (Thread.currentThread().isInterrupted() || scheduler.isShutdown()) {
                return;
            }
            Duration left = Duration.between(now, expires);
            if (left.isNegative() || left.isZero()) {
                log.error("Node {} could not renew its certificate before it expired at {}: {}. It cannot connect to other nodes until it "
                        + "is given a new certificate (restart it with a join token)", current.nodeName(), expires, e.getMessage());
                return;
            }
            Duration wait = retry;
            Duration cap = left.dividedBy(10);
            if (wait.compareTo(cap) > 0) {
                wait = cap;
            }
            retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
            log.warn("Node {} could not renew its certificate (it expires at {}), retrying in {}: {}", current.nodeName(), expires, wait, e.getMessage());
            schedule(wait);
        }
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
