package io.gatehouse.license;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;

/**
 * The seat limit, asked by everything that makes one more person active (approving a sign-up, re-enabling an account,
 * signing up with an invite). Call it inside that change's transaction, before the change: it holds a lock until the
 * transaction ends, so two approvals at once cannot both take the last seat.
 */
@Singleton
public class LicenseSeats {

    private final Licensing licensing;
    private final LicenseStateRepository repository;
    private final AuditTrail audit;

    LicenseSeats(Licensing licensing, LicenseStateRepository repository, AuditTrail audit) {
        this.licensing = licensing;
        this.repository = repository;
        this.audit = audit;
    }

    /**
     * Refuses with 409 {@code license-seats} when no seat is free, after recording {@code change} (the event the change
     * would have written) as DENIED with the seat counts.
     */
    public void requireFreeSeat(AuditEvent.Builder change) {
        repository.lockSeats();
        LicenseStatus status = licensing.status();
        long inUse = repository.countActiveUsers();
        if (status.seatAvailable(inUse)) {
            return;
        }
        audit.record(change.denied().detail("reason", "license_seats").detail("seats_in_use", inUse)
                .detail("seats_licensed", status.license() == null ? null : status.license().seats()));
        throw new GatehouseException.Conflict("license-seats", status.noSeatMessage());
    }
}
