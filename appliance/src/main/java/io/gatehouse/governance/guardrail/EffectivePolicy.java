package io.gatehouse.governance.guardrail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What applies to one person: everyone's settings combined with those of each of their roles, the strictest way.
 * A check applies with the strictest action any scope gives it; deny patterns, internal domains and blocked
 * identifiers are the union of all lists; allowed link domains are what everyone's list and every role's own
 * list allow together (see {@link AllowedLinks#narrowedTo}).
 */
record EffectivePolicy(Map<Check, Check.Action> actions, List<Pattern> denyPatterns, AllowedLinks links,
                       Set<String> internalDomains, Set<String> blockedIdentifiers) {

    EffectivePolicy {
        actions = Map.copyOf(actions);
        denyPatterns = List.copyOf(denyPatterns);
        internalDomains = Set.copyOf(internalDomains);
        blockedIdentifiers = Set.copyOf(blockedIdentifiers);
    }

    static EffectivePolicy combine(ScopeSettings everyone, List<ScopeSettings> roles) {
        Map<Check, Check.Action> actions = new EnumMap<>(everyone.checks());
        Set<String> patterns = new LinkedHashSet<>(everyone.denyPatterns());
        Set<String> internal = new LinkedHashSet<>(everyone.internalDomains());
        Set<String> identifiers = new LinkedHashSet<>(everyone.blockedIdentifiers());
        AllowedLinks links = new AllowedLinks(new LinkedHashSet<>(everyone.allowedLinkDomains()));
        for (ScopeSettings role : roles) {
            role.checks().forEach((check, action) -> actions.merge(check, action, Check.Action::stricter));
            patterns.addAll(role.denyPatterns());
            internal.addAll(role.internalDomains());
            identifiers.addAll(role.blockedIdentifiers());
            links = links.narrowedTo(role.allowedLinkDomains());
        }
        List<Pattern> compiled = new ArrayList<>();
        // Validated when saved, so compiling cannot fail here.
        patterns.forEach(p -> compiled.add(Pattern.compile(p)));
        return new EffectivePolicy(actions, compiled, links, internal, identifiers);
    }

    Check.Action action(Check check) {
        return actions.getOrDefault(check, Check.Action.OFF);
    }

    boolean on(Check check) {
        return action(check) != Check.Action.OFF;
    }
}
