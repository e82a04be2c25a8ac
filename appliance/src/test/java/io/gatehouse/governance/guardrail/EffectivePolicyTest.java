package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A person with several roles gets the strictest union of everyone's settings and each role's. */
class EffectivePolicyTest {

    private static final ScopeSettings EVERYONE = new ScopeSettings(null,
            Map.of(Check.SECRETS, Check.Action.STRIP, Check.INTERNAL_ADDRESSES, Check.Action.STRIP),
            List.of("(?i)confidential"), List.of("example.com", "wiki.acme.test"), List.of("corp.acme.test"), List.of("salaries"), null);

    private static ScopeSettings role(Map<Check, Check.Action> checks, List<String> links, List<String> identifiers) {
        return new ScopeSettings(UUID.randomUUID(), checks, List.of("(?i)project x"), links, List.of("lab.acme.test"), identifiers, null);
    }

    @Test
    void aCheckAppliesIfAnyScopeTurnsItOnAndBlockBeatsStrip() {
        ScopeSettings finance = role(Map.of(Check.SQL, Check.Action.STRIP), List.of(), List.of());
        ScopeSettings sales = role(Map.of(Check.SQL, Check.Action.BLOCK, Check.CODE_BLOCKS, Check.Action.STRIP), List.of(), List.of());

        EffectivePolicy both = EffectivePolicy.combine(EVERYONE, List.of(finance, sales));

        assertThat(both.action(Check.SQL)).isEqualTo(Check.Action.BLOCK);
        assertThat(both.action(Check.CODE_BLOCKS)).isEqualTo(Check.Action.STRIP);
        assertThat(both.action(Check.IDENTIFIERS)).isEqualTo(Check.Action.OFF);
    }

    @Test
    void aRoleCannotTurnOffWhatEveryoneHas() {
        ScopeSettings lax = role(Map.of(Check.SECRETS, Check.Action.OFF), List.of(), List.of());

        assertThat(EffectivePolicy.combine(EVERYONE, List.of(lax)).action(Check.SECRETS)).isEqualTo(Check.Action.STRIP);
    }

    @Test
    void listsAddUp() {
        EffectivePolicy p = EffectivePolicy.combine(EVERYONE, List.of(role(Map.of(), List.of(), List.of("invoices"))));

        assertThat(p.denyPatterns()).extracting(java.util.regex.Pattern::pattern).containsExactly("(?i)confidential", "(?i)project x");
        assertThat(p.internalDomains()).containsExactlyInAnyOrder("corp.acme.test", "lab.acme.test");
        assertThat(p.blockedIdentifiers()).containsExactlyInAnyOrder("salaries", "invoices");
    }

    @Test
    void aLinkMustBeAllowedByEveryoneAndByEachRoleWithItsOwnList() {
        ScopeSettings narrow = role(Map.of(), List.of("docs.example.com", "other.test"), List.of());
        ScopeSettings noList = role(Map.of(), List.of(), List.of());

        EffectivePolicy p = EffectivePolicy.combine(EVERYONE, List.of(narrow, noList));

        assertThat(p.links().domains()).containsExactly("docs.example.com");
        assertThat(p.links().allows("https://docs.example.com/a")).isTrue();
        assertThat(p.links().allows("https://api.docs.example.com/a")).isTrue();
        assertThat(p.links().allows("https://example.com/")).isFalse();
        assertThat(p.links().allows("https://wiki.acme.test/")).isFalse();
        assertThat(p.links().allows("https://other.test/")).isFalse();
        assertThat(EffectivePolicy.combine(EVERYONE, List.of(noList)).links().allows("https://wiki.acme.test/x")).isTrue();
    }
}
