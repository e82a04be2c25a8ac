package io.gatehouse.license;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.license.LicenseStatus.Installed;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's license: what is installed (an uploaded license, else GATEHOUSE_LICENSE_FILE), the optional online
 * check, and the status they give. What every request needs ({@link #status()}) is computed from an in-memory snapshot
 * and the clock, no database round trip; the snapshot is re-read at start, every hour (so every node sees another
 * node's upload), when the License page asks, and after an upload or a check. The file and the check run daily.
 */
@Singleton
public class Licensing {

    private static final Logger LOG = LoggerFactory.getLogger(Licensing.class);

    /** What the last reload saw. */
    record Snapshot(Installed installed, LicenseStatus.OnlineCheck check, LicenseStateRepository.Row row) {
    }

    private final LicenseSettings settings;
    private final LicenseTrust trust;
    private final LicenseStateRepository repository;
    private final Clock clock;
    private final AuditTrail audit;
    private final LicenseStateChanges changes;
    private final LicenseServerCheck server;
    private volatile Snapshot snapshot;

    Licensing(LicenseSettings settings, LicenseStateRepository repository, Clock clock, AuditTrail audit, LicenseStateChanges changes) {
        this.settings = settings;
        this.trust = new LicenseTrust(settings.vendorKeys(), settings.configuredKeys());
        this.repository = repository;
        this.clock = clock;
        this.audit = audit;
        this.changes = changes;
        this.server = settings.checkUrl().map(LicenseServerCheck::new).orElse(null);
    }

    /** At start: read the license at once (cheap), then ask the license server off the startup path. */
    @EventListener
    void onStartup(StartupEvent event) {
        if (!settings.configuredKeys().isEmpty()) {
            // Whoever edits .env can trust their own signing key this way: allowed (tests, vendor staging), never silent.
            LOG.warn("GATEHOUSE_LICENSE_PUBLIC_KEYS adds {} license-signing key(s) besides the vendor's: a license signed with one is "
                    + "accepted but shown as signed by a configured key, for testing only. Remove the setting on a production appliance.",
                    settings.configuredKeys().size());
        }
        reload();
        LicenseStatus status = status();
        LOG.info("License: {} (source {}{})", status.state(), sourceOf(snapshot.installed()),
                status.signedBy() == null ? "" : ", signed by " + status.signedBy().apiName());
        if (status.keyWarning() != null) {
            LOG.warn("{}: license {}", status.keyWarning(), status.license().licenseId());
        }
        evaluate();
        if (server != null) {
            Thread.ofVirtual().name("license-check").start(this::checkAndLog);
        }
    }

    @Scheduled(fixedDelay = "24h", initialDelay = "24h")
    void daily() {
        reload();
        checkAndLog();
        evaluate();
    }

    /** Date-driven changes (expiring, grace, read-only) are audited within the hour they happen. */
    @Scheduled(fixedDelay = "1h", initialDelay = "1h")
    void hourly() {
        reload();
        evaluate();
    }

    public LicenseStatus status() {
        Snapshot current = current();
        Instant now = clock.instant();
        return LicenseStatus.of(current.installed(), current.check(), LocalDate.ofInstant(now, settings.zone()), now);
    }

    /** The installation's id as the online check sends it. */
    public UUID applianceId() {
        return settings.applianceId().orElse(current().row().applianceId());
    }

    public long seatsInUse() {
        return repository.countActiveUsers();
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), settings.zone());
    }

    Snapshot current() {
        Snapshot current = snapshot;
        return current != null ? current : reload();
    }

    /** Re-reads the uploaded license (database) and the license file; returns the new snapshot. */
    synchronized Snapshot reload() {
        LicenseStateRepository.Row row = repository.find()
                .orElseThrow(() -> new IllegalStateException("license_state has no row: the V18 migration did not run"));
        Installed installed;
        if (row.uploadedText() != null) {
            installed = installed(trust.verify(row.uploadedText()), LicenseStatus.Source.UPLOAD);
        } else {
            installed = fromFile();
        }
        if (installed instanceof Installed.Verified verified && !verified.license().licenseId().equals(row.verifiedLicenseId())) {
            // Remembered so that removing the license later reads as "gone" (read-only), not as a fresh evaluation.
            repository.recordVerified(verified.license().licenseId(), clock.instant());
            row = repository.find().orElseThrow();
        } else if (installed instanceof Installed.None && row.verifiedLicenseId() != null) {
            installed = new Installed.Gone(row.verifiedLicenseId(), row.verifiedSince(), settings.file().toString());
        }
        LicenseStatus.OnlineCheck check = server == null ? LicenseStatus.OnlineCheck.off()
                : new LicenseStatus.OnlineCheck(true, settings.checkGraceDays(), row.checkSince(), row.lastAnswerAt(), row.revokedLicenseId(),
                row.revokedMessage());
        snapshot = new Snapshot(installed, check, row);
        return snapshot;
    }

    private Installed fromFile() {
        String text;
        try {
            text = Files.readString(settings.file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Installed.None();
        } catch (IOException e) {
            LOG.warn("License file {} cannot be read: {}", settings.file(), e.toString());
            return new Installed.Rejected("the license file " + settings.file() + " cannot be read (" + e.getClass().getSimpleName()
                    + "). Check its permissions, or upload the license on the License page.", LicenseStatus.Source.FILE);
        }
        return installed(trust.verify(text), LicenseStatus.Source.FILE);
    }

    private static Installed installed(LicenseTrust.Checked checked, LicenseStatus.Source source) {
        return switch (checked.verification()) {
            case LicenseVerification.Valid valid -> new Installed.Verified(valid.license(), source, checked.signedBy());
            case LicenseVerification.Invalid invalid -> new Installed.Rejected(invalid.message(), source);
        };
    }

    private static String sourceOf(Installed installed) {
        return switch (installed) {
            case Installed.None none -> "none";
            case Installed.Gone gone -> "none (license " + gone.licenseId() + " is gone)";
            case Installed.Verified verified -> verified.source().name().toLowerCase();
            case Installed.Rejected rejected -> rejected.source().name().toLowerCase();
        };
    }

    /**
     * An admin's upload: the exact text is verified, stored (replacing the file's license) and audited; an invalid
     * file is refused with the verifier's reason (and the refusal audited) and changes nothing.
     */
    public LicenseStatus upload(Caller admin, String text) {
        LicenseTrust.Checked checked = trust.verify(text);
        LicenseVerification verification = checked.verification();
        if (verification instanceof LicenseVerification.Invalid invalid) {
            audit.record(admin.audit("license.uploaded").denied().detail("reason", invalid.reason().name().toLowerCase()));
            throw new GatehouseException.BadRequest("license-invalid", invalid.message());
        }
        License license = ((LicenseVerification.Valid) verification).license();
        changes.storeUpload(admin, text, license, checked.signedBy(), clock.instant());
        LOG.info("Admin {} uploaded license {} ({} seats, expires {}, signed by {})", admin.userId(), license.licenseId(), license.seats(),
                license.expiresAt(), checked.signedBy().apiName());
        if (checked.signedBy() == LicenseStatus.SignedBy.CONFIGURED_KEY) {
            LOG.warn("{}: license {}", LicenseStatus.CONFIGURED_KEY_WARNING, license.licenseId());
        }
        reload();
        evaluate();
        if (server != null) {
            Thread.ofVirtual().name("license-check").start(this::checkAndLog);
        }
        return status();
    }

    /** The License page's "check now": re-read everything and, if configured, ask the license server. */
    public LicenseStatus refresh() {
        reload();
        checkOnline();
        return evaluate();
    }

    private void checkAndLog() {
        try {
            checkOnline();
            evaluate();
        } catch (RuntimeException e) {
            LOG.warn("License check failed: {}", e.toString());
        }
    }

    /** Asks the license server now (no-op without GATEHOUSE_LICENSE_CHECK_URL or a verified license). */
    public void checkOnline() {
        if (server == null || !(current().installed() instanceof Installed.Verified verified)) {
            return;
        }
        Instant started = clock.instant();
        repository.startChecking(started);
        LicenseServerCheck.Answer answer = server.check(verified.license().licenseId(), applianceId(), seatsInUse());
        Instant at = clock.instant();
        switch (answer) {
            case LicenseServerCheck.Answer.Valid valid -> repository.recordAnswer(at, null, null);
            case LicenseServerCheck.Answer.Revoked revoked -> {
                LOG.warn("The license server revoked license {}", verified.license().licenseId());
                repository.recordAnswer(at, verified.license().licenseId(), revoked.message());
            }
            case LicenseServerCheck.Answer.NoAnswer none -> {
                LOG.warn("License check to {} got no answer: {}", settings.checkUrl().orElseThrow(), none.error());
                repository.recordNoAnswer(at, none.error());
            }
        }
        reload();
    }

    /** Computes the status and, when it differs from the one last audited, logs and audits the change. */
    LicenseStatus evaluate() {
        LicenseStatus status = status();
        try {
            changes.stateChanged(status);
        } catch (RuntimeException e) {
            // The audit trail being down must not stop the evaluation; the change is retried at the next one.
            LOG.warn("License state change to {} not audited yet: {}", status.state(), e.toString());
        }
        return status;
    }

    @Nullable
    LicenseStateRepository.Row row() {
        return current().row();
    }

    /** The audited writes, each in its own transaction with its audit row. */
    @Singleton
    static class LicenseStateChanges {

        private final LicenseStateRepository repository;
        private final ChangeAudit changes;

        LicenseStateChanges(LicenseStateRepository repository, ChangeAudit changes) {
            this.repository = repository;
            this.changes = changes;
        }

        @Transactional
        void storeUpload(Caller admin, String text, License license, LicenseStatus.SignedBy signedBy, Instant at) {
            repository.storeUpload(text, license.licenseId(), admin.userId(), admin.email(), at);
            changes.record(admin.audit("license.uploaded").target("license", license.licenseId()).detail("seats", license.seats())
                    .detail("expires_at", license.expiresAt().toString()).detail("customer", license.customer())
                    .detail("signed_by", signedBy.apiName()));
        }

        @Transactional
        void stateChanged(LicenseStatus status) {
            String before = repository.lockState().map(LicenseStateRepository.Row::lastState).orElse(null);
            if (!status.state().name().equals(before)) {
                repository.moveState(status.state().name());
                LOG.warn("License state is now {}{}", status.state(), status.message() == null ? "" : ": " + status.message());
                changes.record(AuditEvent.of("license.state_changed").target("license", status.license() == null ? null : status.license().licenseId())
                        .detail("before", before).detail("after", status.state().name())
                        .detail("source", status.source() == null ? null : status.source().name()));
            }
        }
    }
}
