package io.gatehouse.governance.guardrail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts what was removed from one answer, and notes when a check set to BLOCK found something. */
final class Tally {

    private final EffectivePolicy policy;
    private final Map<RemovalKind, Integer> counts = new EnumMap<>(RemovalKind.class);
    private boolean blocked;

    Tally(EffectivePolicy policy) {
        this.policy = policy;
    }

    /** A finding without a kind (a stray closing tag) is removed but not counted. */
    void add(RemovalKind kind) {
        if (kind == null) {
            return;
        }
        counts.merge(kind, 1, Integer::sum);
        if (kind.check != null && policy.action(kind.check) == Check.Action.BLOCK) {
            blocked = true;
        }
    }

    boolean blocked() {
        return blocked;
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** "1 API key", "2 internal addresses" ... in a fixed order; never the removed text. */
    List<String> descriptions() {
        List<String> out = new ArrayList<>();
        counts.forEach((kind, n) -> out.add(kind.describe(n)));
        return out;
    }
}
