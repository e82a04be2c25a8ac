package io.gatehouse.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Admins edit what a role grants: models, tools (reads, actions with trust levels), its prompt and budget. */
@Singleton
public class RoleGrants {

    private static final Logger LOG = LoggerFactory.getLogger(RoleGrants.class);
    private static final Pattern NAME = Pattern.compile("^\\*$|^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$");
    private static final int MAX_PROMPT = 8_000;

    private final GrantRepository grants;
    private final RoleRepository roles;
    private final GrantResolver resolver;
    private final ObjectMapper json;
    private final ChangeAudit changes;

    RoleGrants(GrantRepository grants, RoleRepository roles, GrantResolver resolver, ObjectMapper json, ChangeAudit changes) {
        this.changes = changes;
        this.grants = grants;
        this.roles = roles;
        this.resolver = resolver;
        this.json = json;
    }

    /** A tool grant as admins send and see it; {@code access} is READ or ACTION. */
    public record ToolGrantForm(@Nullable String connector, @Nullable String tool, @Nullable String access,
                                @Nullable String trustLevel, @Nullable Integer maxCallsPerDay, @Nullable JsonNode argumentLimits,
                                @Nullable String approver) {
    }

    public record RoleGrantsView(UUID roleId, String role, List<String> models, List<ToolGrantForm> tools, String systemPrompt,
                                 @Nullable Long monthlyTokenBudget) {
    }

    public record RoleGrantsForm(@Nullable List<String> models, @Nullable List<ToolGrantForm> tools, @Nullable String systemPrompt,
                                 @Nullable Long monthlyTokenBudget) {
    }

    public RoleGrantsView view(UUID roleId) {
        Role role = roles.findById(roleId).orElseThrow(() -> new GatehouseException.NotFound("role-not-found", "No role with this id."));
        List<ToolGrantForm> tools = grants.toolGrantsOfRole(roleId).stream().map(r -> new ToolGrantForm(r.connectorName(),
                r.toolName(), r.access(), r.trustLevel(), r.maxCallsPerDay(), readJson(r.argumentLimits()), r.approver())).toList();
        return new RoleGrantsView(roleId, role.name(), grants.modelsOfRole(roleId), tools, grants.promptOf(roleId), grants.budgetOf(roleId));
    }

    /**
     * Replaces everything the role grants; any invalid entry is a 400 naming it, and nothing changes. The change
     * commits only with its audit row ({@code role.updated}, what was added, removed or changed).
     */
    @Transactional
    public RoleGrantsView replace(Caller admin, UUID roleId, RoleGrantsForm form) {
        Role role = roles.findById(roleId).orElseThrow(() -> new GatehouseException.NotFound("role-not-found", "No role with this id."));
        RoleGrantsView before = view(roleId);
        List<String> models = form.models() == null ? List.of() : form.models();
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i) == null || models.get(i).isBlank() || models.get(i).length() > 200) {
                throw new GatehouseException.BadRequest("invalid-model", "Name a model, or * for every model.", "models[" + i + "]");
            }
        }
        String prompt = form.systemPrompt() == null ? "" : form.systemPrompt().strip();
        if (prompt.length() > MAX_PROMPT) {
            throw new GatehouseException.BadRequest("invalid-prompt", "Keep the role prompt under " + MAX_PROMPT + " characters.", "systemPrompt");
        }
        if (form.monthlyTokenBudget() != null && form.monthlyTokenBudget() < 0) {
            throw new GatehouseException.BadRequest("invalid-budget", "The monthly token budget is 0 or more (empty for no limit).",
                    "monthlyTokenBudget");
        }
        List<ToolGrantForm> tools = form.tools() == null ? List.of() : form.tools();
        List<ToolGrantForm> checked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            ToolGrantForm grant = check(tools.get(i), "tools[" + i + "]");
            if (!seen.add(grant.connector() + "\u0000" + grant.tool())) {
                throw new GatehouseException.BadRequest("duplicate-grant", "The tool " + grant.connector() + " / " + grant.tool()
                        + " is listed twice.", "tools[" + i + "]");
            }
            checked.add(grant);
        }
        grants.clearModels(roleId);
        models.stream().map(String::strip).distinct().forEach(m -> grants.addModel(roleId, m));
        grants.clearToolGrants(roleId);
        for (ToolGrantForm g : checked) {
            grants.addToolGrant(UUID.randomUUID(), roleId, g.connector(), g.tool(), g.access(), g.trustLevel(), g.maxCallsPerDay(),
                    g.argumentLimits() == null ? null : g.argumentLimits().toString(), g.approver());
        }
        grants.updatePromptAndBudget(roleId, prompt, form.monthlyTokenBudget());
        RoleGrantsView after = view(roleId);
        changes.record(GrantChanges.describe(admin.audit("role.updated").target("role", roleId).detail("name", role.name()), before, after));
        resolver.invalidateAll();
        LOG.info("Admin {} changed the grants of role {} ({} models, {} tool grants)", admin.userId(), role.name(), models.size(), checked.size());
        return after;
    }

    private static ToolGrantForm check(ToolGrantForm g, String field) {
        if (g == null) {
            throw new GatehouseException.BadRequest("invalid-grant", "A tool grant is missing.", field);
        }
        String connector = g.connector() == null ? "" : g.connector().strip();
        String tool = g.tool() == null ? "" : g.tool().strip();
        if (!NAME.matcher(connector).matches()) {
            throw new GatehouseException.BadRequest("invalid-grant", "Name the connector (or * for every connector).", field + ".connector");
        }
        if (!NAME.matcher(tool).matches()) {
            throw new GatehouseException.BadRequest("invalid-grant", "Name the tool (or * for every read tool).", field + ".tool");
        }
        String access = g.access() == null ? "" : g.access().strip().toUpperCase(Locale.ROOT);
        if (access.equals("READ")) {
            if (g.trustLevel() != null || g.maxCallsPerDay() != null || g.argumentLimits() != null || g.approver() != null) {
                throw new GatehouseException.BadRequest("invalid-grant", "Trust level, limits and approver apply to action tools only.", field);
            }
            return new ToolGrantForm(connector, tool, access, null, null, null, null);
        }
        if (!access.equals("ACTION")) {
            throw new GatehouseException.BadRequest("invalid-grant", "Access is READ or ACTION.", field + ".access");
        }
        if (connector.equals(ToolGrant.ANY) || tool.equals(ToolGrant.ANY)) {
            throw new GatehouseException.BadRequest("invalid-grant",
                    "An action grant names one connector and one tool; wildcards are for read tools only.", field);
        }
        TrustLevel trust;
        try {
            trust = TrustLevel.valueOf(g.trustLevel() == null ? "" : g.trustLevel().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GatehouseException.BadRequest("invalid-grant", "Choose the trust level: SHADOW, SUPERVISED, AUDITED or BOUNDED.",
                    field + ".trustLevel");
        }
        if (g.maxCallsPerDay() != null && g.maxCallsPerDay() <= 0) {
            throw new GatehouseException.BadRequest("invalid-grant", "Calls per day is 1 or more.", field + ".maxCallsPerDay");
        }
        if (trust == TrustLevel.BOUNDED && g.maxCallsPerDay() == null && g.argumentLimits() == null) {
            throw new GatehouseException.BadRequest("invalid-grant", "A bounded action needs a limit: calls per day or argument limits.", field);
        }
        if (g.argumentLimits() != null) {
            checkArgumentLimits(g.argumentLimits(), field + ".argumentLimits");
        }
        String approver = null;
        if (trust == TrustLevel.SUPERVISED) {
            try {
                approver = ToolGrant.Approver.valueOf(g.approver() == null ? "REQUESTER" : g.approver().strip().toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw new GatehouseException.BadRequest("invalid-grant", "The approver is REQUESTER, OTHER_PERSON or ADMIN.", field + ".approver");
            }
        } else if (g.approver() != null) {
            throw new GatehouseException.BadRequest("invalid-grant", "Only supervised actions have an approver.", field + ".approver");
        }
        return new ToolGrantForm(connector, tool, access, trust.name(), g.maxCallsPerDay(), g.argumentLimits(), approver);
    }

    /** {@code {"amount": {"max": 500}, "currency": {"oneOf": ["EUR", "USD"]}}}: per argument, a maximum and/or allowed values. */
    private static void checkArgumentLimits(JsonNode limits, String field) {
        if (!limits.isObject()) {
            throw new GatehouseException.BadRequest("invalid-grant", "Argument limits are an object: {\"argument\": {\"max\": 500}}.", field);
        }
        var names = limits.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode rule = limits.get(name);
            boolean ok = rule.isObject() && rule.size() > 0;
            var keys = rule.fieldNames();
            while (ok && keys.hasNext()) {
                String key = keys.next();
                ok = (key.equals("max") || key.equals("min")) ? rule.get(key).isNumber() : key.equals("oneOf") && rule.get(key).isArray();
            }
            if (!ok) {
                throw new GatehouseException.BadRequest("invalid-grant", "Limit for '" + name + "' must use max, min (numbers) or oneOf (a list).",
                        field + "." + name);
            }
        }
    }

    private JsonNode readJson(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
