package io.gatehouse.access;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** How a set of roles changed, in the words of the audit trail: roles added and removed, each by id and name. */
final class RoleChanges {

    private RoleChanges() {
    }

    static List<Map<String, Object>> added(Collection<Role> before, Collection<Role> after) {
        return difference(after, before);
    }

    static List<Map<String, Object>> removed(Collection<Role> before, Collection<Role> after) {
        return difference(before, after);
    }

    /** Roles as the audit row names them: {@code {"id": ..., "name": ...}}. */
    static List<Map<String, Object>> named(Collection<Role> roles) {
        return roles.stream().map(RoleChanges::named).toList();
    }

    private static List<Map<String, Object>> difference(Collection<Role> from, Collection<Role> minus) {
        Set<UUID> ids = minus.stream().map(Role::id).collect(Collectors.toSet());
        return from.stream().filter(r -> !ids.contains(r.id())).map(RoleChanges::named).toList();
    }

    private static Map<String, Object> named(Role role) {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("id", role.id().toString());
        named.put("name", role.name());
        return named;
    }
}
