package io.gatehouse.budget;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.UUID;

/**
 * Writes one validated budget change and its audit row in one transaction. The audit row is committed before the
 * change is (the trail commits on its own connection and {@link AuditTrail#record} returns only once it has), so a
 * change is never kept without its row: if the trail cannot write, the exception rolls the change back (503).
 */
@Singleton
class BudgetChanges {

    private final BudgetRepository repository;
    private final AuditTrail audit;
    private final Clock clock;

    BudgetChanges(BudgetRepository repository, AuditTrail audit, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Amounts setGlobal(Caller caller, String model, Amounts after) {
        Amounts before = repository.globalRule(model).orElse(Amounts.NONE);
        if (after.empty()) {
            repository.deleteGlobalRule(model);
        } else {
            repository.upsertGlobalRule(model, after.monthlyTokens(), after.monthlyCost(), clock.instant());
        }
        audit.record(changed(caller, "GLOBAL", model, before, after).target("budget", "global"));
        return before;
    }

    /** The all-models token default is the role's own column (the Roles page edits it too); the rest are rules here. */
    @Transactional
    public Amounts setRole(Caller caller, UUID roleId, String model, Amounts after) {
        Amounts before;
        if (Counter.ALL_MODELS.equals(model)) {
            before = repository.roleDefaults(roleId);
            repository.setRoleTokenDefault(roleId, after.monthlyTokens());
            if (after.monthlyCost() == null) {
                repository.deleteRoleRule(roleId, model);
            } else {
                repository.upsertRoleRule(roleId, model, null, after.monthlyCost(), clock.instant());
            }
        } else {
            before = repository.roleRule(roleId, model).orElse(Amounts.NONE);
            if (after.empty()) {
                repository.deleteRoleRule(roleId, model);
            } else {
                repository.upsertRoleRule(roleId, model, after.monthlyTokens(), after.monthlyCost(), clock.instant());
            }
        }
        audit.record(changed(caller, "ROLE", model, before, after).target("role", roleId));
        return before;
    }

    @Transactional
    public Amounts setUser(Caller caller, UUID userId, String model, Amounts after) {
        Amounts before = repository.userRule(userId, model).orElse(Amounts.NONE);
        if (after.empty()) {
            repository.deleteUserRule(userId, model);
        } else {
            repository.upsertUserRule(userId, model, after.monthlyTokens(), after.monthlyCost(), clock.instant());
        }
        audit.record(changed(caller, "USER", model, before, after).target("user", userId));
        return before;
    }

    /** The installation's default requests per minute (null: no limit); returns the one before. */
    @Transactional
    public @Nullable Integer setDefaultRate(Caller caller, @Nullable Integer perMinute) {
        Integer before = repository.defaultRate().orElse(null);
        repository.setDefaultRate(perMinute);
        audit.record(caller.audit("budget.updated").target("budget", "rate-limit").detail("scope", "DEFAULT")
                .detail("setting", "requestsPerMinute").detail("before", before).detail("after", perMinute));
        return before;
    }

    /** A person's own requests per minute (null: follow the default; 0: no limit); returns the one before. */
    @Transactional
    public @Nullable Integer setUserRate(Caller caller, UUID userId, @Nullable Integer perMinute) {
        Integer before = repository.userRate(userId).orElse(null);
        if (perMinute == null) {
            repository.deleteUserRate(userId);
        } else {
            repository.upsertUserRate(userId, perMinute, clock.instant());
        }
        audit.record(caller.audit("budget.updated").target("user", userId).detail("scope", "USER")
                .detail("setting", "requestsPerMinute").detail("before", before).detail("after", perMinute));
        return before;
    }

    /** Before and after as numbers; an amount that is not set (no limit) is left out. */
    private static AuditEvent.Builder changed(Caller caller, String scope, String model, Amounts before, Amounts after) {
        return caller.audit("budget.updated").detail("scope", scope).detail("model", model)
                .detail("tokensBefore", before.monthlyTokens()).detail("tokensAfter", after.monthlyTokens())
                .detail("costBefore", before.monthlyCost()).detail("costAfter", after.monthlyCost());
    }
}
