package io.gatehouse.retention;

import io.gatehouse.config.InstallationZone;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly retention job, at 03:30 in the installation's time zone (GATEHOUSE_TIME_ZONE, read by
 * {@link InstallationZone} from the same property): the purge, then the audit archival when an audit retention is
 * set. Every portal node schedules it; the purge's claim on the night makes only one of them run it, and the
 * archival takes a lock of its own.
 */
@Singleton
class NightlyRetention {

    static final String CRON = "0 30 3 * * *";
    static final LocalTime AT = LocalTime.of(3, 30);
    private static final Logger LOG = LoggerFactory.getLogger(NightlyRetention.class);

    private final RetentionSettings settings;
    private final RetentionPurge purge;
    private final AuditArchival archival;
    private final Clock clock;
    private final InstallationZone zone;

    NightlyRetention(RetentionSettings settings, RetentionPurge purge, AuditArchival archival, Clock clock, InstallationZone zone) {
        this.settings = settings;
        this.purge = purge;
        this.archival = archival;
        this.clock = clock;
        this.zone = zone;
    }

    /** What one night did; either part is null when it did not run. */
    record NightlyResult(LocalDate night, RetentionPurge.@Nullable PurgeResult purge, AuditArchival.@Nullable Archived archive) {
    }

    @Scheduled(cron = CRON, zoneId = "${gatehouse.time-zone:UTC}")
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.error("The nightly retention run failed; it runs again tomorrow night: {}", e.getMessage(), e);
        }
    }

    /**
     * The night is the date in the installation's time zone now, by the injected clock. Only the node that claims
     * the night (through the purge) archives, so the archival is tried once per night, not once per node. A purge
     * that fails skips that night's archival too; both are tried again the next night.
     */
    NightlyResult run() {
        LocalDate night = LocalDate.now(clock.withZone(zone.zone()));
        RetentionSettings.Periods periods = settings.current();
        if (!periods.purgesSomething() && periods.auditDays() == null) {
            return new NightlyResult(night, null, null); // everything is kept forever
        }
        Optional<RetentionPurge.PurgeResult> purged = purge.runNightly(night);
        if (purged.isEmpty()) {
            return new NightlyResult(night, null, null);
        }
        return new NightlyResult(night, purged.get(), archival.archiveNightly());
    }

    /** When the job runs next, for the admin page. */
    ZonedDateTime nextRun() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone.zone()));
        ZonedDateTime today = now.with(AT);
        return now.isBefore(today) ? today : today.plusDays(1).with(AT);
    }
}
