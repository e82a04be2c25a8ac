package io.gatehouse.governance.killswitch;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.governance.killswitch.Switchboard.Tripped;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill-switch: an admin switches off everything, a model, a connector, a tool, a role or a person, with a
 * reason, and every portal node obeys within a second. Checks read {@link #board()}, an in-memory snapshot;
 * it is rebuilt from PostgreSQL at once on the node that made the change, on every {@code NOTIFY} the
 * {@link KillSwitchListener} receives, and every {@value #POLL_MILLIS} ms in case that listener is deaf.
 */
@Singleton
public final class KillSwitch {

    /** What a switch covers. */
    public enum Scope { GLOBAL, MODEL, CONNECTOR, TOOL, ROLE, USER }

    static final String TOOL_SEPARATOR = "__";
    static final long POLL_MILLIS = 500;
    static final int MAX_TARGET_CHARS = 200;
    static final int MAX_REASON_CHARS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(KillSwitch.class);

    private final KillSwitchRepository repository;
    private final KillSwitchStore store;
    private final Clock clock;
    private volatile Switchboard board = Switchboard.NOTHING;
    private volatile boolean reloadFailing;

    KillSwitch(KillSwitchRepository repository, KillSwitchStore store, Clock clock) {
        this.repository = repository;
        this.store = store;
        this.clock = clock;
        reload();
    }

    /** Whether this switch is engaged, as this node knows it now (no database access). */
    public boolean isTripped(Scope scope, String target) {
        return board.isTripped(scope, target == null ? "" : target);
    }

    Switchboard board() {
        return board;
    }

    /**
     * Reads the engaged switches and swaps the snapshot. Synchronized so that reads publish in the order they
     * were made: a slow older read never overwrites a newer one. If the database cannot be read, the last
     * snapshot stays in force (the portal cannot serve much then anyway).
     */
    public synchronized void reload() {
        try {
            board = Switchboard.of(repository.engagedTargets().stream()
                    .map(row -> new Tripped(Scope.valueOf(row.scope()), row.target())).toList());
            if (reloadFailing) {
                reloadFailing = false;
                LOG.info("Kill-switch state readable again");
            }
        } catch (RuntimeException e) {
            if (!reloadFailing) {
                reloadFailing = true;
                LOG.warn("Cannot read the kill-switch state; keeping the last one known until it can: {}", e.getMessage());
            }
        }
    }

    /** The safety net under LISTEN/NOTIFY: a connection that died silently would otherwise hear nothing. */
    @Scheduled(fixedDelay = POLL_MILLIS + "ms", initialDelay = POLL_MILLIS + "ms")
    void poll() {
        reload();
    }

    /** What an admin sends to engage or release a switch; TOOL takes {@code connector__tool} or both halves. */
    record SwitchForm(@Nullable String scope, @Nullable String target, @Nullable String connector, @Nullable String tool,
                      @Nullable String reason) {
    }

    /** A switch as the admin page shows it; {@code label} is the role name or email for ROLE and USER. */
    record SwitchView(Scope scope, String target, String label, boolean engaged, String reason, String changedBy, Instant changedAt) {
    }

    record State(SwitchView global, List<SwitchView> switches) {
    }

    record HistoryView(long id, Scope scope, String target, String label, String action, String reason, String actor, Instant at) {
    }

    record HistoryPage(List<HistoryView> items, int page, int size, long total) {
    }

    private record Target(Scope scope, String target, String label) {
    }

    SwitchView engage(Caller admin, SwitchForm form) {
        Target target = target(form, true);
        String reason = clean(form.reason());
        if (reason.isEmpty()) {
            throw invalid("Give a reason: it is shown in the kill-switch history.", "reason");
        }
        if (reason.length() > MAX_REASON_CHARS) {
            throw invalid("The reason has " + reason.length() + " characters; the limit is " + MAX_REASON_CHARS + ".", "reason");
        }
        Instant now = clock.instant();
        store.engage(target.scope(), target.target(), reason, admin.userId(), admin.email(), now, audit(admin, "kill_switch.engaged", target, reason));
        reload();
        LOG.warn("Kill-switch ENGAGED by {}: {} {} - {}", admin.email(), target.scope(), describe(target), reason);
        return new SwitchView(target.scope(), target.target(), target.label(), true, reason, admin.email(), now);
    }

    SwitchView release(Caller admin, SwitchForm form) {
        Target target = target(form, false);
        String reason = clean(form.reason());
        if (reason.length() > MAX_REASON_CHARS) {
            throw invalid("The reason has " + reason.length() + " characters; the limit is " + MAX_REASON_CHARS + ".", "reason");
        }
        Instant now = clock.instant();
        if (!store.release(target.scope(), target.target(), reason, admin.userId(), admin.email(), now,
                audit(admin, "kill_switch.released", target, reason))) {
            throw new GatehouseException.Conflict("kill-switch-not-engaged",
                    "The kill-switch for " + describe(target) + " is not engaged; there is nothing to release.");
        }
        reload();
        LOG.warn("Kill-switch released by {}: {} {}{}", admin.email(), target.scope(), describe(target), reason.isEmpty() ? "" : " - " + reason);
        return new SwitchView(target.scope(), target.target(), target.label(), false, reason, admin.email(), now);
    }

    /**
     * The audit row of a change: target {@code kill_switch} {@code <scope>[:<target>]} as the switch names it
     * ({@code global}, {@code model:gpt-4o}, {@code connector:demo}, {@code tool:demo__run_query}, {@code role:<id>},
     * {@code user:<id>}), the connector column for connector and tool switches, and the admin's reason.
     */
    private static AuditEvent.Builder audit(Caller admin, String action, Target target, String reason) {
        String connector = switch (target.scope()) {
            case CONNECTOR -> target.target();
            case TOOL -> target.target().substring(0, target.target().indexOf(TOOL_SEPARATOR));
            default -> null;
        };
        String scope = target.scope().name().toLowerCase(Locale.ROOT);
        return admin.audit(action).target("kill_switch", target.scope() == Scope.GLOBAL ? scope : scope + ":" + target.target())
                .connector(connector).detail("scope", target.scope()).detail("reason", reason.isEmpty() ? null : reason);
    }

    State state() {
        SwitchView global = new SwitchView(Scope.GLOBAL, "", "Everything", false, "", "", null);
        List<SwitchView> others = new java.util.ArrayList<>();
        for (KillSwitchRepository.SwitchRow row : repository.engaged()) {
            Scope scope = Scope.valueOf(row.scope());
            SwitchView view = new SwitchView(scope, row.target(), label(scope, row.target(), row.label()), true, row.reason(),
                    row.changedByEmail(), row.changedAt());
            if (scope == Scope.GLOBAL) {
                global = view;
            } else {
                others.add(view);
            }
        }
        return new State(global, List.copyOf(others));
    }

    HistoryPage history(int page, int size) {
        if (page < 0) {
            throw invalid("page starts at 0.", "page");
        }
        if (size < 1 || size > 100) {
            throw invalid("size is between 1 and 100.", "size");
        }
        List<HistoryView> items = repository.history(size, (long) page * size).stream()
                .map(row -> {
                    Scope scope = Scope.valueOf(row.scope());
                    return new HistoryView(row.id(), scope, row.target(), label(scope, row.target(), row.label()), row.action(),
                            row.reason(), row.actorEmail(), row.changedAt());
                }).toList();
        return new HistoryPage(items, page, size, repository.historySize());
    }

    /** Validates the form into the switch's canonical target; on engage a role or person must exist. */
    private Target target(SwitchForm form, boolean engaging) {
        Scope scope = scope(form.scope());
        String target = clean(form.target());
        return switch (scope) {
            case GLOBAL -> new Target(scope, "", "Everything");
            case MODEL -> named(scope, target, "Name the model to switch off, e.g. gpt-4o.");
            case CONNECTOR -> named(scope, target, "Name the connector to switch off, e.g. demo.");
            case TOOL -> {
                String connector = clean(form.connector());
                String tool = clean(form.tool());
                if (target.isEmpty() && !connector.isEmpty() && !tool.isEmpty()) {
                    target = Switchboard.toolTarget(connector, tool);
                }
                int split = target.indexOf(TOOL_SEPARATOR);
                if (split <= 0 || split + TOOL_SEPARATOR.length() >= target.length()) {
                    throw invalid("Name the tool as connector__tool (e.g. demo__run_query), or send connector and tool.", "target");
                }
                yield named(scope, target, null);
            }
            case ROLE -> {
                require(target, "Name the role to switch off: its name or id.");
                Optional<KillSwitchRepository.Named> role = repository.role(target);
                if (role.isPresent()) {
                    yield new Target(scope, role.get().id().toString(), role.get().name());
                }
                yield unresolved(scope, target, engaging, "There is no role '" + target + "'.");
            }
            case USER -> {
                require(target, "Name the person to switch off: their email or user id.");
                Optional<KillSwitchRepository.Named> user = repository.user(target);
                if (user.isPresent()) {
                    yield new Target(scope, user.get().id().toString(), user.get().name());
                }
                yield unresolved(scope, target, engaging, "There is no user '" + target + "'.");
            }
        };
    }

    /** A role or person deleted since their switch was engaged: the switch can still be released by its id. */
    private static Target unresolved(Scope scope, String target, boolean engaging, String message) {
        if (!engaging) {
            try {
                return new Target(scope, UUID.fromString(target).toString(), target);
            } catch (IllegalArgumentException notAnId) {
                // fall through to the 400
            }
        }
        throw invalid(message, "target");
    }

    private static Target named(Scope scope, String target, String missing) {
        require(target, missing);
        return new Target(scope, target, target);
    }

    private static void require(String target, String missing) {
        if (target.isEmpty()) {
            throw invalid(missing, "target");
        }
        if (target.length() > MAX_TARGET_CHARS) {
            throw invalid("The target has " + target.length() + " characters; the limit is " + MAX_TARGET_CHARS + ".", "target");
        }
    }

    private static Scope scope(String scope) {
        String names = Arrays.stream(Scope.values()).map(Scope::name).collect(Collectors.joining(", "));
        if (scope == null || scope.isBlank()) {
            throw invalid("Say which switch: scope is one of " + names + ".", "scope");
        }
        try {
            return Scope.valueOf(scope.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("Unknown scope '" + clean(scope) + "'. Use one of " + names + ".", "scope");
        }
    }

    private static String label(Scope scope, String target, @Nullable String joined) {
        return scope == Scope.GLOBAL ? "Everything" : joined != null ? joined : target;
    }

    private static String describe(Target target) {
        return switch (target.scope()) {
            case GLOBAL -> "everything";
            case MODEL -> "the model '" + target.target() + "'";
            case CONNECTOR -> "the connector '" + target.target() + "'";
            case TOOL -> "the tool '" + target.target() + "'";
            case ROLE -> "the role '" + target.label() + "'";
            case USER -> "the user " + target.label();
        };
    }

    /** Control characters become spaces: reasons and targets end up in logs and on pages. */
    private static String clean(@Nullable String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ").strip();
    }

    private static GatehouseException.BadRequest invalid(String message, String field) {
        return new GatehouseException.BadRequest("invalid-kill-switch", message, field);
    }
}
