package io.gatehouse.governance.killswitch;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.governance.killswitch.KillSwitch.Scope;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes a change, its history line and its audit row in one transaction: the audit row (the trail's own
 * connection) is committed before this transaction commits, and if it cannot be, the change is rolled back and
 * the admin gets a 503. The table's trigger sends {@code NOTIFY gatehouse_kill_switch} when the transaction
 * commits, which wakes every other node.
 */
@Singleton
class KillSwitchStore {

    private final KillSwitchRepository repository;
    private final AuditTrail trail;

    KillSwitchStore(KillSwitchRepository repository, AuditTrail trail) {
        this.repository = repository;
        this.trail = trail;
    }

    @Transactional
    public void engage(Scope scope, String target, String reason, UUID actorId, String actorEmail, Instant at, AuditEvent.Builder audit) {
        repository.engage(scope.name(), target, reason, actorId, actorEmail, at);
        repository.append(scope.name(), target, "ENGAGE", reason, actorId, actorEmail, at);
        trail.record(audit);
    }

    /** False when the switch was not engaged; nothing is written (or audited) then. */
    @Transactional
    public boolean release(Scope scope, String target, String reason, UUID actorId, String actorEmail, Instant at, AuditEvent.Builder audit) {
        if (repository.release(scope.name(), target, actorId, actorEmail, at) == 0) {
            return false;
        }
        repository.append(scope.name(), target, "RELEASE", reason, actorId, actorEmail, at);
        trail.record(audit);
        return true;
    }
}
