package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the audit trail to the configured collector, at least once and in order. Every node runs one; the
 * node holding the lease in {@code siem_cursor} ships, the others only look. A round: claim the lease (and read
 * the settings and cursor in the same statement), read the next batch after the cursor, send it with no database
 * connection held, and only once the collector acknowledged move the cursor, from exactly where the batch was
 * read. A failed batch leaves the cursor where it was and is sent again after a backoff (doubling, capped), so
 * nothing is lost; a collector may see a batch twice when its acknowledgement got lost.
 */
@Singleton
class SiemShipper {

    private static final Logger LOG = LoggerFactory.getLogger(SiemShipper.class);

    private final SiemStore store;
    private final Collectors collectors;
    private final SiemProperties properties;
    private final Clock clock;
    private final String node;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;
    /** Failures of this node's own rounds (the database unreachable), for the backoff when the cursor row cannot count them. */
    private int localFailures;
    private boolean failing;

    SiemShipper(SiemStore store, Collectors collectors, SiemProperties properties, Clock clock, SecureRandom random) {
        this.store = store;
        this.collectors = collectors;
        this.properties = properties;
        this.clock = clock;
        byte[] id = new byte[4];
        random.nextBytes(id);
        this.node = ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(id);
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        start();
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("siem-shipper").start(this::run);
    }

    /** This node's name in the lease column. */
    String node() {
        return node;
    }

    /** Ends the current wait (after a settings change), so a new destination or a fix is tried at once. */
    void wake() {
        wake.release();
    }

    @PreDestroy
    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake.release();
        try {
            // A round in progress may finish; one stuck on a slow collector is interrupted (its batch is not acknowledged,
            // so the cursor stays and the batch is sent again later).
            if (!thread.join(Duration.ofSeconds(2))) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.release(node);
        } catch (RuntimeException e) {
            LOG.debug("Could not give up the SIEM shipping lease at shutdown (it expires by itself): {}", e.getMessage());
        }
    }

    private void run() {
        while (running) {
            Duration wait;
            try {
                wait = round();
                localFailures = 0;
                if (failing) {
                    failing = false;
                    LOG.info("SIEM export resumed");
                }
            } catch (RuntimeException e) {
                localFailures++;
                if (!failing) {
                    failing = true;
                    LOG.warn("SIEM export paused: {}", e.getMessage());
                }
                wait = properties.backoff(localFailures);
            }
            pause(wait);
        }
    }

    /** One round; returns how long to wait before the next (zero: more rows are waiting). */
    Duration round() {
        Optional<SiemStore.Snapshot> claimed = store.claim(node, properties.lease());
        if (claimed.isEmpty()) {
            return properties.pollInterval(); // disabled, or another node ships
        }
        SiemSettings settings = claimed.get().settings();
        long from = claimed.get().cursor().lastSeq();
        List<AuditRecord> batch = store.after(from, settings.batchSize());
        if (batch.isEmpty()) {
            return properties.pollInterval();
        }
        try {
            collectors.of(settings).send(batch);
        } catch (DeliveryException e) {
            int failures = store.failed(e.getMessage(), clock.instant());
            Duration wait = properties.backoff(failures);
            LOG.warn("SIEM export: batch after seq {} not delivered ({} failure(s) in a row), retrying in {} ms: {}", from, failures,
                    wait.toMillis(), e.getMessage());
            return wait;
        }
        long to = batch.getLast().seq();
        if (!store.advance(from, to, batch.size(), clock.instant())) {
            LOG.info("SIEM export: the cursor moved past {} while this node shipped up to {} (another node took over); the"
                    + " collector may see those events twice", from, to);
        }
        return batch.size() == settings.batchSize() ? Duration.ZERO : properties.pollInterval();
    }

    private void pause(Duration wait) {
        if (wait.isZero()) {
            return;
        }
        try {
            if (wake.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
