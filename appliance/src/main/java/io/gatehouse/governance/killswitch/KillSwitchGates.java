package io.gatehouse.governance.killswitch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.access.Role;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.auth.AccessHold;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.governance.DispatchGate;
import io.gatehouse.governance.ModelCallGate;
import io.gatehouse.governance.killswitch.Switchboard.Tripped;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the kill-switch is enforced: before every model call and on every streamed chunk (so an answer in
 * flight stops), before every tool dispatch, and on every API-token request of a person switched off.
 *
 * <p>The messages name what is off but never the admin's reason: a reason can say more than the person should
 * hear ("suspected data exfiltration"). A caller's roles are cached for {@link #ROLES_TTL}, and only looked up
 * at all while a role switch is engaged, so a streamed chunk never waits on the database.
 */
@Singleton
final class KillSwitchGates implements ModelCallGate, DispatchGate, AccessHold {

    static final String PROBLEM_TYPE = "kill-switch";
    /** How long a change of someone's roles may take to reach a role switch (the switch itself: under a second). */
    static final Duration ROLES_TTL = Duration.ofSeconds(5);

    private final KillSwitch killSwitch;
    private final RoleAssignments roleAssignments;
    private final Cache<UUID, Map<UUID, String>> roles = Caffeine.newBuilder()
            .expireAfterWrite(ROLES_TTL).maximumSize(50_000).build();

    KillSwitchGates(KillSwitch killSwitch, RoleAssignments roleAssignments) {
        this.killSwitch = killSwitch;
        this.roleAssignments = roleAssignments;
    }

    @Override
    public void check(Caller caller, String model) {
        String reason = stopReason(caller, model);
        if (reason != null) {
            throw new GatehouseException.Unavailable(HttpStatus.SERVICE_UNAVAILABLE, PROBLEM_TYPE, reason);
        }
    }

    @Override
    public String stopReason(Caller caller, String model) {
        return killSwitch.board().modelCall(caller.userId(), () -> rolesOf(caller.userId()).keySet(), model)
                .map(t -> forPerson(caller, t)).orElse(null);
    }

    @Override
    public String refusalCode() {
        return PROBLEM_TYPE;
    }

    @Override
    public String refusal(Caller caller, String connector, String tool) {
        Optional<Tripped> tripped = killSwitch.board().dispatch(caller.userId(), () -> rolesOf(caller.userId()).keySet(), connector, tool);
        return tripped.map(t -> switch (t.scope()) {
            case CONNECTOR -> "Not permitted right now: an administrator pulled the kill-switch for the connector '" + connector + "'.";
            case TOOL -> "Not permitted right now: an administrator pulled the kill-switch for the tool '" + tool
                    + "' of the connector '" + connector + "'.";
            default -> "Not permitted right now. " + forPerson(caller, t);
        } + " Tell the user; do not retry.").orElse(null);
    }

    @Override
    public String reason(UUID userId) {
        return killSwitch.board().holdsApiAccess(userId)
                ? "An administrator pulled the kill-switch for your account: your API tokens are refused for now. Ask your administrator."
                : null;
    }

    private String forPerson(Caller caller, Tripped tripped) {
        return switch (tripped.scope()) {
            case GLOBAL -> "An administrator pulled the kill-switch: all AI assistance is switched off for now. Try again later.";
            case USER -> "An administrator pulled the kill-switch for your account: AI assistance is switched off for you for now."
                    + " Ask your administrator.";
            case ROLE -> "An administrator pulled the kill-switch for the role '"
                    + rolesOf(caller.userId()).getOrDefault(UUID.fromString(tripped.target()), tripped.target())
                    + "': AI assistance is switched off for that role for now. Ask your administrator.";
            case MODEL -> "An administrator pulled the kill-switch for the model '" + tripped.target()
                    + "': it is switched off for now. Choose another model or try again later.";
            case CONNECTOR, TOOL -> "An administrator pulled the kill-switch for " + tripped.target() + ".";
        };
    }

    private Map<UUID, String> rolesOf(UUID userId) {
        return roles.get(userId, id -> {
            Map<UUID, String> byId = new LinkedHashMap<>();
            for (Role role : roleAssignments.rolesOf(id)) {
                byId.put(role.id(), role.name());
            }
            return Map.copyOf(byId);
        });
    }
}
