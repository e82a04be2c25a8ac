package io.gatehouse.governance.killswitch;

import io.gatehouse.governance.killswitch.KillSwitch.Scope;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What is switched off right now, as every check reads it: an immutable snapshot that {@link KillSwitch} swaps
 * whole on each reload, so a check is a few set lookups and never touches the database. The decisions are pure
 * functions of (snapshot, request); the caller's roles are asked for only when a role switch is engaged.
 */
record Switchboard(boolean global, Set<String> models, Set<String> connectors, Set<String> tools, Set<UUID> roles,
                   Set<UUID> users) {

    static final Switchboard NOTHING = new Switchboard(false, Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

    /** One engaged switch: its scope and canonical target ('' for GLOBAL, {@code connector__tool} for TOOL). */
    record Tripped(Scope scope, String target) {
    }

    static Switchboard of(Collection<Tripped> engaged) {
        boolean global = false;
        Set<String> models = new HashSet<>();
        Set<String> connectors = new HashSet<>();
        Set<String> tools = new HashSet<>();
        Set<UUID> roles = new HashSet<>();
        Set<UUID> users = new HashSet<>();
        for (Tripped t : engaged) {
            switch (t.scope()) {
                case GLOBAL -> global = true;
                case MODEL -> models.add(t.target());
                case CONNECTOR -> connectors.add(t.target());
                case TOOL -> tools.add(t.target());
                case ROLE -> uuid(t.target()).ifPresent(roles::add);
                case USER -> uuid(t.target()).ifPresent(users::add);
            }
        }
        return new Switchboard(global, Set.copyOf(models), Set.copyOf(connectors), Set.copyOf(tools), Set.copyOf(roles), Set.copyOf(users));
    }

    boolean isTripped(Scope scope, String target) {
        return switch (scope) {
            case GLOBAL -> global;
            case MODEL -> models.contains(target);
            case CONNECTOR -> connectors.contains(target);
            case TOOL -> tools.contains(target);
            case ROLE -> uuid(target).map(roles::contains).orElse(false);
            case USER -> uuid(target).map(users::contains).orElse(false);
        };
    }

    /** Why a model call must not be made: everything, this person, one of their roles, or this model is off. */
    Optional<Tripped> modelCall(UUID user, Supplier<Set<UUID>> rolesOfUser, String model) {
        return person(user, rolesOfUser).or(() -> models.contains(model) ? Optional.of(new Tripped(Scope.MODEL, model)) : Optional.empty());
    }

    /** Why a tool call must not be dispatched: everything, this person, one of their roles, the connector or the tool. */
    Optional<Tripped> dispatch(UUID user, Supplier<Set<UUID>> rolesOfUser, String connector, String tool) {
        String qualified = toolTarget(connector, tool);
        return person(user, rolesOfUser)
                .or(() -> connectors.contains(connector) ? Optional.of(new Tripped(Scope.CONNECTOR, connector)) : Optional.empty())
                .or(() -> tools.contains(qualified) ? Optional.of(new Tripped(Scope.TOOL, qualified)) : Optional.empty());
    }

    /** Whether this person's API tokens are held. */
    boolean holdsApiAccess(UUID user) {
        return users.contains(user);
    }

    private Optional<Tripped> person(UUID user, Supplier<Set<UUID>> rolesOfUser) {
        if (global) {
            return Optional.of(new Tripped(Scope.GLOBAL, ""));
        }
        if (users.contains(user)) {
            return Optional.of(new Tripped(Scope.USER, user.toString()));
        }
        if (!roles.isEmpty()) {
            for (UUID role : rolesOfUser.get()) {
                if (roles.contains(role)) {
                    return Optional.of(new Tripped(Scope.ROLE, role.toString()));
                }
            }
        }
        return Optional.empty();
    }

    static String toolTarget(String connector, String tool) {
        return connector + KillSwitch.TOOL_SEPARATOR + tool;
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
