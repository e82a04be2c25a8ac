package io.gatehouse.governance.killswitch;

import io.gatehouse.governance.killswitch.KillSwitch.Scope;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes a change and its history line in one transaction. The table's trigger sends
 * {@code NOTIFY gatehouse_kill_switch} when that transaction commits, which wakes every other node.
 */
@Singleton
class KillSwitchStore {

    private final KillSwitchRepository repository;

    KillSwitchStore(KillSwitchRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public void engage(Scope scope, String target, String reason, UUID actorId, String actorEmail, Instant at) {
        repository.engage(scope.name(), target, reason, actorId, actorEmail, at);
        repository.append(scope.name(), target, "ENGAGE", reason, actorId, actorEmail, at);
    }

    /** False when the switch was not engaged; nothing is written then. */
    @Transactional
    public boolean release(Scope scope, String target, String reason, UUID actorId, String actorEmail, Instant at) {
        if (repository.release(scope.name(), target, actorId, actorEmail, at) == 0) {
            return false;
        }
        repository.append(scope.name(), target, "RELEASE", reason, actorId, actorEmail, at);
        return true;
    }
}
