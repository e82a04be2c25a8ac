package io.gatehouse.access;

import io.gatehouse.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an edit of a role's grants changed, as audit details: models added and removed; tool grants added, removed
 * and changed (access, trust level, calls per day, argument limits, approver), keyed by connector and tool; the
 * monthly token budget before and after; and for the role prompt, which can be long, only whether it changed and the
 * SHA-256 of each version (the prompt itself stays on the role).
 */
final class GrantChanges {

    private GrantChanges() {
    }

    static AuditEvent.Builder describe(AuditEvent.Builder event, RoleGrants.RoleGrantsView before, RoleGrants.RoleGrantsView after) {
        Set<String> modelsBefore = new LinkedHashSet<>(before.models());
        Set<String> modelsAfter = new LinkedHashSet<>(after.models());
        event.detail("models_added", modelsAfter.stream().filter(m -> !modelsBefore.contains(m)).toList());
        event.detail("models_removed", modelsBefore.stream().filter(m -> !modelsAfter.contains(m)).toList());

        Map<String, RoleGrants.ToolGrantForm> toolsBefore = byKey(before.tools());
        Map<String, RoleGrants.ToolGrantForm> toolsAfter = byKey(after.tools());
        List<Map<String, Object>> added = new ArrayList<>();
        List<Map<String, Object>> changed = new ArrayList<>();
        toolsAfter.forEach((key, grant) -> {
            RoleGrants.ToolGrantForm old = toolsBefore.get(key);
            if (old == null) {
                added.add(describe(grant));
            } else if (!describe(old).equals(describe(grant))) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("connector", grant.connector());
                change.put("tool", grant.tool());
                change.put("before", describe(old));
                change.put("after", describe(grant));
                changed.add(change);
            }
        });
        List<Map<String, Object>> removed = toolsBefore.entrySet().stream().filter(e -> !toolsAfter.containsKey(e.getKey()))
                .map(e -> describe(e.getValue())).toList();
        event.detail("tools_added", added).detail("tools_removed", removed).detail("tools_changed", changed);

        if (!Objects.equals(before.monthlyTokenBudget(), after.monthlyTokenBudget())) {
            event.detail("monthly_token_budget", beforeAfter(before.monthlyTokenBudget(), after.monthlyTokenBudget()));
        }
        if (!Objects.equals(before.systemPrompt(), after.systemPrompt())) {
            event.detail("prompt_sha256", beforeAfter(sha256(before.systemPrompt()), sha256(after.systemPrompt())));
        }
        return event;
    }

    private static Map<String, RoleGrants.ToolGrantForm> byKey(List<RoleGrants.ToolGrantForm> tools) {
        Map<String, RoleGrants.ToolGrantForm> keyed = new LinkedHashMap<>();
        tools.forEach(t -> keyed.put(t.connector() + "\u0000" + t.tool(), t));
        return keyed;
    }

    /** A grant with the fields that apply to it; argument limits as their compact JSON (a few rules, set by an admin). */
    private static Map<String, Object> describe(RoleGrants.ToolGrantForm grant) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("connector", grant.connector());
        d.put("tool", grant.tool());
        d.put("access", grant.access());
        putIfSet(d, "trust_level", grant.trustLevel());
        putIfSet(d, "max_calls_per_day", grant.maxCallsPerDay());
        putIfSet(d, "argument_limits", grant.argumentLimits() == null ? null : grant.argumentLimits().toString());
        putIfSet(d, "approver", grant.approver());
        return d;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<String, Object> beforeAfter(Object before, Object after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before);
        change.put("after", after);
        return change;
    }

    private static String sha256(String text) {
        return text == null || text.isEmpty() ? null
                : HexFormat.of().formatHex(io.gatehouse.audit.AuditChain.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
