package io.gatehouse.governance.guardrail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builds policies for the detector tests without a database: everyone's defaults plus what a test turns on. */
final class Policies {

    private final Map<Check, Check.Action> checks = new EnumMap<>(ScopeSettings.everyoneDefaults().checks());
    private final List<String> linkDomains = new ArrayList<>();
    private final List<String> internalDomains = new ArrayList<>();
    private final List<String> identifiers = new ArrayList<>();

    static Policies defaults() {
        return new Policies();
    }

    Policies with(Check check, Check.Action action) {
        checks.put(check, action);
        return this;
    }

    Policies allowLinksTo(String... domains) {
        linkDomains.addAll(List.of(domains));
        return this;
    }

    Policies internalDomains(String... domains) {
        internalDomains.addAll(List.of(domains));
        return this;
    }

    Policies blockIdentifiers(String... names) {
        identifiers.addAll(List.of(names));
        return with(Check.IDENTIFIERS, Check.Action.STRIP);
    }

    EffectivePolicy policy() {
        return EffectivePolicy.combine(new ScopeSettings(null, checks, List.of(), linkDomains, internalDomains, identifiers, null), List.of());
    }

    TextGuard guard() {
        return new TextGuard(policy());
    }
}
