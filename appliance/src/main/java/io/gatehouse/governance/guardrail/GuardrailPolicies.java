package io.gatehouse.governance.guardrail;

import io.gatehouse.access.GrantResolver;
import io.gatehouse.access.Role;
import io.gatehouse.access.Roles;
import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guardrail settings: everyone's and each role's, validated when saved, held in memory and reloaded at once
 * after a change on this node (and at most {@link #MAX_AGE} later after a change on another node). Turns a
 * caller into the {@link EffectivePolicy} of their roles.
 */
@Singleton
public final class GuardrailPolicies {

    private static final Logger LOG = LoggerFactory.getLogger(GuardrailPolicies.class);
    static final Duration MAX_AGE = Duration.ofSeconds(10);
    static final int MAX_PATTERNS = 50;
    static final int MAX_PATTERN_CHARS = 500;
    static final int MAX_DOMAINS = 200;
    static final int MAX_IDENTIFIERS = 500;
    static final String EVERYONE = "everyone";

    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$.]{0,127}");

    private final GuardrailSettingsRepository repository;
    private final GrantResolver grants;
    private final Roles roles;
    private final Clock clock;
    private final AuditTrail trail;
    private volatile Snapshot snapshot;

    /** Everything loaded at once (a handful of rows), and the guards built from it per set of roles. */
    private record Snapshot(ScopeSettings everyone, Map<UUID, ScopeSettings> byRole, Instant loadedAt,
                            Map<Set<UUID>, TextGuard> guards) {
    }

    GuardrailPolicies(GuardrailSettingsRepository repository, GrantResolver grants, Roles roles, Clock clock, AuditTrail trail) {
        this.trail = trail;
        this.repository = repository;
        this.grants = grants;
        this.roles = roles;
        this.clock = clock;
    }

    TextGuard textGuardFor(Caller caller) {
        Snapshot current = current();
        Set<UUID> roleIds = new TreeSet<>();
        // The caller's roles come from the grants cache, which every change to a person's roles clears.
        for (UUID roleId : grants.of(caller.userId()).roleIds()) {
            if (current.byRole().containsKey(roleId)) {
                roleIds.add(roleId);
            }
        }
        return current.guards().computeIfAbsent(Set.copyOf(roleIds), ids -> new TextGuard(EffectivePolicy.combine(current.everyone(),
                ids.stream().map(current.byRole()::get).toList())));
    }

    EffectivePolicy policyFor(Caller caller) {
        return textGuardFor(caller).policy();
    }

    /** Everyone's settings, then every role's (a role without its own settings shows what it adds: nothing). */
    List<ScopeView> list() {
        Snapshot current = current();
        List<ScopeView> out = new ArrayList<>();
        out.add(ScopeView.of(EVERYONE, "Everyone", current.everyone()));
        for (Role role : roles.list()) {
            out.add(ScopeView.of(role.id().toString(), role.name(), current.byRole().getOrDefault(role.id(), ScopeSettings.roleDefaults(role.id()))));
        }
        return out;
    }

    ScopeView get(String scope) {
        return list().stream().filter(v -> v.scope().equals(normalizeScope(scope))).findFirst()
                .orElseThrow(() -> new GatehouseException.NotFound("role-not-found", "There is no role with id " + scope + "."));
    }

    /** The admin API's view of one scope. */
    record ScopeView(String scope, String name, Map<String, String> checks, List<String> denyPatterns, List<String> allowedLinkDomains,
                     List<String> internalDomains, List<String> blockedIdentifiers, @Nullable Instant updatedAt) {
        static ScopeView of(String scope, String name, ScopeSettings s) {
            Map<String, String> checks = new LinkedHashMap<>();
            for (Check check : Check.values()) {
                checks.put(check.key(), s.action(check).name());
            }
            return new ScopeView(scope, name, checks, s.denyPatterns(), s.allowedLinkDomains(), s.internalDomains(),
                    s.blockedIdentifiers(), s.updatedAt());
        }
    }

    /** What an admin sends; a field left out keeps its current value. */
    record SettingsForm(@Nullable Map<String, String> checks, @Nullable List<String> denyPatterns,
                        @Nullable List<String> allowedLinkDomains, @Nullable List<String> internalDomains,
                        @Nullable List<String> blockedIdentifiers) {
    }

    /** Changes a scope's settings; the {@code guardrail.updated} audit row is committed first, or nothing changes. */
    ScopeView update(String scope, SettingsForm form, Caller admin) {
        UUID actor = admin.userId();
        if (form == null) {
            throw new GatehouseException.BadRequest("invalid-guardrails", "Send the settings as a JSON object.");
        }
        String key = normalizeScope(scope);
        ScopeView before = get(key);
        UUID roleId = key.equals(EVERYONE) ? null : UUID.fromString(key);
        Map<Check, Check.Action> checks = new EnumMap<>(Check.class);
        for (Check check : Check.values()) {
            checks.put(check, Check.Action.valueOf(before.checks().get(check.key())));
        }
        if (form.checks() != null) {
            form.checks().forEach((name, value) -> {
                Check check = Check.byKey(name);
                if (check == null) {
                    throw new GatehouseException.BadRequest("unknown-check", "There is no check named '" + name + "'. The checks are "
                            + String.join(", ", Arrays.stream(Check.values()).map(Check::key).toList()) + ".", "checks." + name);
                }
                checks.put(check, action(name, value));
            });
        }
        ScopeSettings settings = new ScopeSettings(roleId, checks,
                form.denyPatterns() == null ? before.denyPatterns() : patterns(form.denyPatterns()),
                form.allowedLinkDomains() == null ? before.allowedLinkDomains() : domains("allowedLinkDomains", form.allowedLinkDomains(), true),
                form.internalDomains() == null ? before.internalDomains() : domains("internalDomains", form.internalDomains(), false),
                form.blockedIdentifiers() == null ? before.blockedIdentifiers() : identifiers(form.blockedIdentifiers()),
                clock.instant());
        trail.record(changes(admin.audit("guardrail.updated").target("guardrail", key).detail("scopeName", before.name()), before,
                ScopeView.of(key, before.name(), settings)));
        save(settings, actor);
        LOG.info("Guardrail settings for {} changed by user {}", before.name(), actor);
        return get(key);
    }

    /** Back to the defaults: everyone's as installed, a role's to "adds nothing". */
    void reset(String scope, Caller admin) {
        UUID actor = admin.userId();
        String key = normalizeScope(scope);
        ScopeView view = get(key);
        trail.record(admin.audit("guardrail.reset").target("guardrail", key).detail("scopeName", view.name()));
        if (key.equals(EVERYONE)) {
            ScopeSettings d = ScopeSettings.everyoneDefaults();
            save(new ScopeSettings(null, d.checks(), List.of(), List.of(), List.of(), List.of(), clock.instant()), actor);
        } else {
            repository.findByRoleId(UUID.fromString(key)).ifPresent(repository::delete);
            reload();
        }
        LOG.info("Guardrail settings for {} reset by user {}", view.name(), actor);
    }

    /**
     * What an update changes: each check whose action changes (with the new action), and which lists change with their
     * new sizes. The patterns, domains and identifiers themselves stay in the settings, not in the trail.
     */
    private static AuditEvent.Builder changes(AuditEvent.Builder event, ScopeView before, ScopeView after) {
        Map<String, String> checks = new LinkedHashMap<>();
        after.checks().forEach((check, action) -> {
            if (!action.equals(before.checks().get(check))) {
                checks.put(check, action);
            }
        });
        Map<String, Integer> lists = new LinkedHashMap<>();
        putIfChanged(lists, "denyPatterns", before.denyPatterns(), after.denyPatterns());
        putIfChanged(lists, "allowedLinkDomains", before.allowedLinkDomains(), after.allowedLinkDomains());
        putIfChanged(lists, "internalDomains", before.internalDomains(), after.internalDomains());
        putIfChanged(lists, "blockedIdentifiers", before.blockedIdentifiers(), after.blockedIdentifiers());
        return event.detail("checks", checks).detail("listSizes", lists);
    }

    private static void putIfChanged(Map<String, Integer> out, String name, List<String> before, List<String> after) {
        if (!before.equals(after)) {
            out.put(name, after.size());
        }
    }

    private void save(ScopeSettings s, UUID actor) {
        UUID id = s.roleId() == null ? GuardrailSettingsRow.EVERYONE
                : repository.findByRoleId(s.roleId()).map(GuardrailSettingsRow::id).orElse(null);
        GuardrailSettingsRow row = new GuardrailSettingsRow(id == null ? UUID.randomUUID() : id, s.roleId(),
                s.action(Check.SECRETS).name(), s.action(Check.INTERNAL_ADDRESSES).name(), s.action(Check.SQL).name(),
                s.action(Check.IDENTIFIERS).name(), s.action(Check.CODE_BLOCKS).name(), String.join("\n", s.denyPatterns()),
                String.join("\n", s.allowedLinkDomains()), String.join("\n", s.internalDomains()), String.join("\n", s.blockedIdentifiers()),
                s.updatedAt(), actor);
        if (id != null && repository.existsById(id)) {
            repository.update(row);
        } else {
            repository.save(row);
        }
        reload();
    }

    private String normalizeScope(String scope) {
        if (scope == null || scope.equalsIgnoreCase(EVERYONE)) {
            return EVERYONE;
        }
        try {
            return UUID.fromString(scope).toString();
        } catch (IllegalArgumentException e) {
            throw new GatehouseException.NotFound("role-not-found", "There is no role with id " + scope + ".");
        }
    }

    private static Check.Action action(String check, String value) {
        try {
            return Check.Action.valueOf(value == null ? "" : value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GatehouseException.BadRequest("invalid-action", "The check '" + check + "' is OFF, STRIP or BLOCK, not '" + value + "'.",
                    "checks." + check);
        }
    }

    /** Deny patterns are Java regular expressions; each must compile and must not match empty text. */
    static List<String> patterns(List<String> given) {
        if (given.size() > MAX_PATTERNS) {
            throw new GatehouseException.BadRequest("too-many-patterns", "Keep to " + MAX_PATTERNS + " deny patterns or fewer.", "denyPatterns");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String field = "denyPatterns[" + i + "]";
            String p = given.get(i);
            if (p == null || p.isBlank()) {
                throw new GatehouseException.BadRequest("invalid-pattern", "Deny pattern " + (i + 1) + " is empty.", field);
            }
            if (p.length() > MAX_PATTERN_CHARS || p.contains("\n") || p.contains("\r")) {
                throw new GatehouseException.BadRequest("invalid-pattern", "Deny pattern " + (i + 1) + " must be one line of at most "
                        + MAX_PATTERN_CHARS + " characters (write a line break as \\n).", field);
            }
            try {
                if (Pattern.compile(p).matcher("").matches()) {
                    throw new GatehouseException.BadRequest("invalid-pattern", "Deny pattern " + (i + 1)
                            + " matches empty text, so it would match everywhere. Make it match at least one character.", field);
                }
            } catch (PatternSyntaxException e) {
                throw new GatehouseException.BadRequest("invalid-pattern", "Deny pattern " + (i + 1) + " is not a valid regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " near position " + e.getIndex() : "") + ".", field);
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    static List<String> domains(String field, List<String> given, boolean needsDot) {
        if (given.size() > MAX_DOMAINS) {
            throw new GatehouseException.BadRequest("too-many-domains", "Keep to " + MAX_DOMAINS + " domains or fewer.", field);
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String d = given.get(i) == null ? "" : given.get(i).strip().toLowerCase(Locale.ROOT);
            if (d.startsWith("*.")) {
                d = d.substring(2);
            } else if (d.startsWith(".")) {
                d = d.substring(1);
            }
            if (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            if (!DOMAIN.matcher(d).matches() || (needsDot && !d.contains("."))) {
                throw new GatehouseException.BadRequest("invalid-domain", "'" + given.get(i) + "' is not a domain name like "
                        + (needsDot ? "docs.example.com" : "corp.example.com") + ".", field + "[" + i + "]");
            }
            out.add(d);
        }
        return List.copyOf(out);
    }

    static List<String> identifiers(List<String> given) {
        if (given.size() > MAX_IDENTIFIERS) {
            throw new GatehouseException.BadRequest("too-many-identifiers", "Keep to " + MAX_IDENTIFIERS + " names or fewer.", "blockedIdentifiers");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < given.size(); i++) {
            String name = given.get(i) == null ? "" : given.get(i).strip();
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new GatehouseException.BadRequest("invalid-identifier", "'" + given.get(i)
                        + "' is not a table or column name (letters, digits, _, $ and dots, starting with a letter or _).",
                        "blockedIdentifiers[" + i + "]");
            }
            out.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
        return List.copyOf(out.values());
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s == null || clock.instant().isAfter(s.loadedAt().plus(MAX_AGE)) || clock.instant().isBefore(s.loadedAt())) {
            s = reload();
        }
        return s;
    }

    private synchronized Snapshot reload() {
        ScopeSettings everyone = ScopeSettings.everyoneDefaults();
        Map<UUID, ScopeSettings> byRole = new HashMap<>();
        for (GuardrailSettingsRow row : repository.findAll()) {
            ScopeSettings s = settings(row);
            if (row.roleId() == null) {
                everyone = s;
            } else {
                byRole.put(row.roleId(), s);
            }
        }
        Snapshot s = new Snapshot(everyone, Map.copyOf(byRole), clock.instant(), new ConcurrentHashMap<>());
        snapshot = s;
        return s;
    }

    private static ScopeSettings settings(GuardrailSettingsRow row) {
        Map<Check, Check.Action> checks = new EnumMap<>(Check.class);
        checks.put(Check.SECRETS, Check.Action.valueOf(row.secrets()));
        checks.put(Check.INTERNAL_ADDRESSES, Check.Action.valueOf(row.internalAddresses()));
        checks.put(Check.SQL, Check.Action.valueOf(row.sqlText()));
        checks.put(Check.IDENTIFIERS, Check.Action.valueOf(row.identifiers()));
        checks.put(Check.CODE_BLOCKS, Check.Action.valueOf(row.codeBlocks()));
        return new ScopeSettings(row.roleId(), checks, lines(row.denyPatterns()), lines(row.allowedLinkDomains()),
                lines(row.internalDomains()), lines(row.blockedIdentifiers()), row.updatedAt());
    }

    private static List<String> lines(String stored) {
        return stored == null || stored.isEmpty() ? List.of() : List.of(stored.split("\n"));
    }
}
