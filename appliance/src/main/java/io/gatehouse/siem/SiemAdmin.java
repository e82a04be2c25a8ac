package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SIEM settings and status for admins: read them, change them (validated, audited as {@code siem.updated}
 * before anything is saved, so a change the trail cannot record is refused), and send a test event.
 */
@Singleton
class SiemAdmin {

    private final SiemStore store;
    private final SiemShipper shipper;
    private final Collectors collectors;
    private final SecretBox secrets;
    private final AuditTrail audit;
    private final Clock clock;

    SiemAdmin(SiemStore store, SiemShipper shipper, Collectors collectors, SecretBox secrets, AuditTrail audit, Clock clock) {
        this.store = store;
        this.shipper = shipper;
        this.collectors = collectors;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    /** What an admin sends. A blank {@code authorization} keeps the stored value; {@code clearAuthorization} removes it. */
    record SiemForm(@Nullable Boolean enabled, @Nullable String transport, @Nullable String url, @Nullable String authorization,
                    @Nullable Boolean clearAuthorization, @Nullable String host, @Nullable Integer port, @Nullable Integer batchSize) {
    }

    /** The settings as the page shows them: whether an Authorization value is stored, never the value. */
    record SettingsView(boolean enabled, Transport transport, @Nullable String url, @Nullable String host, @Nullable Integer port,
                        int batchSize, boolean authorizationSet, @Nullable String updatedBy, @Nullable Instant updatedAt) {
    }

    /**
     * Delivery: {@code cursor} is the last seq the collector acknowledged, {@code lag} how many audit rows wait after
     * it, {@code failures} failed batches in a row since the last success, {@code shippingNode} the node holding the
     * lease (null when none does).
     */
    record StatusView(long cursor, long newestSeq, long lag, long delivered, @Nullable Instant lastSuccessAt, @Nullable String lastError,
                      @Nullable Instant lastErrorAt, int failures, @Nullable String shippingNode, String thisNode) {
    }

    record SiemView(SettingsView settings, StatusView status) {
    }

    /** The outcome of "send test event": the audit row it recorded and sent, and why it failed if it did. */
    record TestResult(boolean delivered, long seq, String destination, @Nullable String error) {
    }

    SiemView view() {
        SiemStore.Snapshot snapshot = store.snapshot();
        SiemStore.Head head = store.head();
        SiemSettings s = snapshot.settings();
        SiemStore.Cursor c = snapshot.cursor();
        // seq is gap-free from the oldest row kept (older ones may be archived), so the lag is a subtraction.
        long lag = head.newestSeq() == 0 ? 0 : Math.max(0, head.newestSeq() - Math.max(c.lastSeq(), head.oldestSeq() - 1));
        return new SiemView(
                new SettingsView(s.enabled(), s.transport(), s.url() == null ? null : s.url().toString(), s.host(), s.port(), s.batchSize(),
                        s.authorizationCipher() != null, s.updatedByEmail(), s.updatedBy() == null ? null : s.updatedAt()),
                new StatusView(c.lastSeq(), head.newestSeq(), lag, c.delivered(), c.lastSuccessAt(), c.lastError(), c.lastErrorAt(),
                        c.failures(), c.leaseLive() ? c.leaseOwner() : null, shipper.node()));
    }

    SiemView update(Caller admin, @Nullable SiemForm form) {
        if (form == null) {
            throw new GatehouseException.BadRequest("invalid-siem-settings",
                    "Send the settings as JSON: enabled, transport, url or host and port, batchSize.", "transport");
        }
        SiemSettings old = store.settings();
        boolean enabled = Boolean.TRUE.equals(form.enabled());
        Transport transport = SiemRules.transport(form.transport());
        URI url = null;
        String host = null;
        Integer port = null;
        if (transport == Transport.HTTP) {
            url = SiemRules.url(form.url());
        } else {
            host = SiemRules.host(form.host());
            port = SiemRules.port(form.port());
        }
        int batchSize = SiemRules.batchSize(form.batchSize());
        String newAuthorization = form.authorization() == null || form.authorization().isBlank() ? null
                : SiemRules.authorization(form.authorization());
        boolean clear = Boolean.TRUE.equals(form.clearAuthorization());
        if (clear && newAuthorization != null) {
            throw new GatehouseException.BadRequest("invalid-siem-settings",
                    "Either enter a new Authorization value or remove the stored one, not both.", "authorization");
        }
        String authorizationChange = newAuthorization != null ? (old.authorizationCipher() == null ? "set" : "replaced")
                : clear ? (old.authorizationCipher() == null ? "none" : "removed")
                : old.authorizationCipher() == null ? "none" : "kept";
        Instant now = clock.instant();
        byte[] cipher = newAuthorization != null ? secrets.seal(newAuthorization, SiemSettings.AUTHORIZATION_CONTEXT)
                : clear ? null : old.authorizationCipher();
        SiemSettings updated = new SiemSettings(enabled, transport, url, host, port, batchSize, cipher, admin.userId(), admin.email(), now);

        // Fail closed: the change is saved only once its audit row is committed. Never the Authorization value, nor the
        // URL's path or query (either may hold a token): the destination's scheme, host and port.
        audit.record(admin.audit("siem.updated").target("siem_settings", "1")
                .detail("enabled", enabled).detail("transport", transport).detail("destination", updated.destination())
                .detail("batchSize", batchSize).detail("authorization", authorizationChange)
                .detail("changed", changed(old, updated, newAuthorization != null || clear && old.authorizationCipher() != null)));
        store.save(updated);
        shipper.wake();
        return view();
    }

    /** Records a {@code siem.test} audit row and sends exactly that row to the saved collector, now. */
    TestResult test(Caller admin) {
        SiemSettings settings = store.settings();
        if (!settings.hasDestination()) {
            throw new GatehouseException.Conflict("siem-not-configured", "No collector is saved yet: enter its "
                    + (settings.transport() == Transport.HTTP ? "URL" : "host and port") + ", save, then send a test event.");
        }
        long seq = audit.record(admin.audit("siem.test").target("siem_settings", "1").detail("transport", settings.transport())
                .detail("destination", settings.destination()));
        AuditRecord row = store.row(seq).orElseThrow(() -> new IllegalStateException("audit row " + seq + " was committed but cannot be read"));
        try {
            collectors.of(settings).send(List.of(row));
            return new TestResult(true, seq, settings.destination(), null);
        } catch (DeliveryException e) {
            return new TestResult(false, seq, settings.destination(), e.getMessage());
        }
    }

    private static List<String> changed(SiemSettings old, SiemSettings updated, boolean authorizationChanged) {
        List<String> changed = new ArrayList<>();
        if (old.enabled() != updated.enabled()) {
            changed.add("enabled");
        }
        if (old.transport() != updated.transport()) {
            changed.add("transport");
        }
        if (!Objects.equals(old.url(), updated.url())) {
            changed.add("url");
        }
        if (!Objects.equals(old.host(), updated.host()) || !Objects.equals(old.port(), updated.port())) {
            changed.add("host");
        }
        if (old.batchSize() != updated.batchSize()) {
            changed.add("batchSize");
        }
        if (authorizationChanged) {
            changed.add("authorization");
        }
        return changed;
    }
}
