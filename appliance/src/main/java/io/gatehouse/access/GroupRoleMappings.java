package io.gatehouse.access;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * "Members of IdP group X hold role Y": the admin's list. The group name is matched exactly against what the
 * provider's group claim sends (a name for Keycloak or Okta, an object id for Entra). The roles it grants are
 * recomputed at each sign-in, so a change here takes effect at the person's next sign-in.
 */
@Singleton
public class GroupRoleMappings {

    private static final int MAX_GROUP_NAME = 256;

    private final GroupRoleMappingRepository mappings;
    private final RoleRepository roles;
    private final ChangeAudit changes;

    GroupRoleMappings(GroupRoleMappingRepository mappings, RoleRepository roles, ChangeAudit changes) {
        this.mappings = mappings;
        this.roles = roles;
        this.changes = changes;
    }

    /** A mapping with its role's name, for lists people read. */
    public record MappingView(UUID id, String groupName, UUID roleId, String roleName) {
    }

    public List<MappingView> list() {
        Map<UUID, String> roleNames = roles.listAll().stream().collect(Collectors.toMap(Role::id, Role::name));
        return mappings.listAll().stream()
                .map(m -> new MappingView(m.id(), m.groupName(), m.roleId(), roleNames.getOrDefault(m.roleId(), "?")))
                .toList();
    }

    public MappingView add(Caller admin, @Nullable String groupName, @Nullable UUID roleId) {
        String group = groupName == null ? "" : groupName.strip();
        if (group.isEmpty() || group.length() > MAX_GROUP_NAME || group.chars().anyMatch(Character::isISOControl)) {
            throw new GatehouseException.BadRequest("invalid-group-name", "Enter the group exactly as the identity provider "
                    + "sends it in the group claim (1 to 256 characters), e.g. 'gatehouse-analysts' or an Entra group object id.",
                    "groupName");
        }
        Role role = roleId == null ? null : roles.findById(roleId).orElse(null);
        if (role == null) {
            throw new GatehouseException.BadRequest("unknown-role",
                    roleId == null ? "Choose the role the group grants." : "There is no role with id " + roleId + ".", "roleId");
        }
        if (mappings.existsByGroupNameAndRoleId(group, role.id())) {
            throw new GatehouseException.Conflict("group-mapping-exists", "Group '" + group + "' already maps to " + role.name() + ".");
        }
        UUID id = UUID.randomUUID();
        GroupRoleMapping saved = changes.around(admin.audit("group_mapping.created").target("group_mapping", id)
                        .detail("group", group).detail("role_id", role.id()).detail("role", role.name()),
                () -> mappings.save(new GroupRoleMapping(id, group, role.id())));
        return new MappingView(saved.id(), saved.groupName(), saved.roleId(), role.name());
    }

    public void remove(Caller admin, UUID id) {
        GroupRoleMapping mapping = mappings.findById(id).orElseThrow(() ->
                new GatehouseException.NotFound("group-mapping-not-found", "No group mapping with id " + id + "."));
        String roleName = roles.findById(mapping.roleId()).map(Role::name).orElse(null);
        changes.around(admin.audit("group_mapping.deleted").target("group_mapping", id).detail("group", mapping.groupName())
                .detail("role_id", mapping.roleId()).detail("role", roleName), () -> mappings.deleteById(id));
    }
}
