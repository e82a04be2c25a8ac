package io.gatehouse.governance.guardrail;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The guardrail settings of one scope: everyone ({@code roleId} null) or one role. Lists are already validated
 * and normalized (domains lower case, no duplicates).
 */
public record ScopeSettings(@Nullable UUID roleId, Map<Check, Check.Action> checks, List<String> denyPatterns,
                            List<String> allowedLinkDomains, List<String> internalDomains, List<String> blockedIdentifiers,
                            @Nullable Instant updatedAt) {

    public ScopeSettings {
        EnumMap<Check, Check.Action> all = new EnumMap<>(Check.class);
        for (Check check : Check.values()) {
            all.put(check, checks.getOrDefault(check, Check.Action.OFF));
        }
        checks = Map.copyOf(all);
        denyPatterns = List.copyOf(denyPatterns);
        allowedLinkDomains = List.copyOf(allowedLinkDomains);
        internalDomains = List.copyOf(internalDomains);
        blockedIdentifiers = List.copyOf(blockedIdentifiers);
    }

    /** Everyone's settings before an admin changes them (the migration seeds the same). */
    static ScopeSettings everyoneDefaults() {
        return new ScopeSettings(null, Map.of(Check.SECRETS, Check.Action.STRIP, Check.INTERNAL_ADDRESSES, Check.Action.STRIP),
                List.of(), List.of(), List.of(), List.of(), null);
    }

    /** A role without its own row adds nothing to everyone's settings. */
    static ScopeSettings roleDefaults(UUID roleId) {
        return new ScopeSettings(roleId, Map.of(), List.of(), List.of(), List.of(), List.of(), null);
    }

    public Check.Action action(Check check) {
        return checks.get(check);
    }
}
