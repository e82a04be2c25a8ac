package io.gatehouse.retention;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.config.InstallationZone;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long things are kept: chat history (by a conversation's last activity), model-call records, and audit rows
 * in the table before they are archived to a file. Empty means keep forever, the default: nothing is deleted until
 * an administrator chooses a period.
 */
@Singleton
class RetentionSettings {

    /**
     * Audit rows stay in the table at least a year: they are the evidence of what happened to everything else
     * (including what a purge deleted), investigations and audits (SOC 2, ISO 27001, PCI DSS 10.5.1 asks for 12
     * months) look back that far, and the hash chain and audit search work only on rows still in the table.
     */
    static final int MINIMUM_AUDIT_DAYS = 365;
    static final int MAXIMUM_DAYS = 36_500;

    private final RetentionRepository repository;
    private final AuditTrail audit;
    private final Clock clock;
    private final ZoneId zone;

    RetentionSettings(RetentionRepository repository, AuditTrail audit, Clock clock, InstallationZone zone) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
        this.zone = zone.zone();
    }

    /** The periods in days; null is "keep forever". */
    record Periods(@Nullable Integer chatDays, @Nullable Integer modelCallDays, @Nullable Integer auditDays) {

        boolean purgesSomething() {
            return chatDays != null || modelCallDays != null;
        }

        Map<String, Object> asDetail() {
            Map<String, Object> detail = new LinkedHashMap<>(); // null values stay: "forever" is a value here
            detail.put("chat_days", chatDays);
            detail.put("model_call_days", modelCallDays);
            detail.put("audit_days", auditDays);
            return detail;
        }
    }

    /** The settings as the admin page shows them. */
    record SettingsView(@Nullable Integer chatDays, @Nullable Integer modelCallDays, @Nullable Integer auditDays,
                        int minimumAuditDays, String timeZone, @Nullable String updatedBy, @Nullable Instant updatedAt) {
    }

    Periods current() {
        RetentionRepository.SettingsRow row = repository.settings();
        return new Periods(row.chatDays(), row.modelCallDays(), row.auditDays());
    }

    SettingsView view() {
        return view(repository.settings());
    }

    private SettingsView view(RetentionRepository.SettingsRow row) {
        return new SettingsView(row.chatDays(), row.modelCallDays(), row.auditDays(), MINIMUM_AUDIT_DAYS, zone.getId(),
                row.updatedByEmail(), row.updatedAt());
    }

    /** Validates, audits (before the change, so a change that cannot be audited is not made) and saves. */
    @Transactional
    public SettingsView update(Caller admin, @Nullable Periods form) {
        if (form == null) {
            throw invalid("Send the periods as JSON: chatDays, modelCallDays, auditDays (null keeps forever).", "chatDays");
        }
        check(form.chatDays(), 1, "chatDays", "Chat history");
        check(form.modelCallDays(), 1, "modelCallDays", "Model-call records");
        check(form.auditDays(), MINIMUM_AUDIT_DAYS, "auditDays", "Audit rows");
        RetentionRepository.SettingsRow before = repository.settingsForUpdate();
        Instant now = clock.instant();
        audit.record(admin.audit("retention.updated").target("retention", "settings")
                .detail("before", new Periods(before.chatDays(), before.modelCallDays(), before.auditDays()).asDetail())
                .detail("after", form.asDetail()));
        repository.updateSettings(form.chatDays(), form.modelCallDays(), form.auditDays(), admin.userId(), admin.email(), now);
        return view(new RetentionRepository.SettingsRow(form.chatDays(), form.modelCallDays(), form.auditDays(), admin.userId(),
                admin.email(), now));
    }

    private static void check(@Nullable Integer days, int minimum, String field, String what) {
        if (days == null) {
            return;
        }
        if (days < minimum || days > MAXIMUM_DAYS) {
            String why = minimum == MINIMUM_AUDIT_DAYS
                    ? " Audit rows are the evidence of everything else, including what purges deleted, so they stay at least a year."
                    : "";
            throw invalid(what + ": " + days + " days is not allowed; use " + minimum + " to " + MAXIMUM_DAYS
                    + " days, or leave it empty to keep forever." + why, field);
        }
    }

    /**
     * The same time of day {@code days} calendar days before now, in the installation's time zone (so a day across a
     * daylight-saving change is still a day): anything older is past retention.
     */
    Instant cutoff(Instant now, int days) {
        return ZonedDateTime.ofInstant(now, zone).minusDays(days).toInstant();
    }

    ZoneId zone() {
        return zone;
    }

    private static GatehouseException.BadRequest invalid(String message, String field) {
        return new GatehouseException.BadRequest("invalid-retention", message, field);
    }
}
