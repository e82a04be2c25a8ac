package io.gatehouse.access;

import io.gatehouse.error.GatehouseException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Gives users their roles: the ones an admin chose (MANUAL) and the ones their IdP groups map to (GROUP,
 * recomputed at each sign-in). Keeps {@code users.admin} equal to "holds the Admin role".
 */
@Singleton
public class RoleAssignments {

    static final String MANUAL = "MANUAL";
    static final String GROUP = "GROUP";

    private final RoleRepository roles;
    private final UserRoleRepository userRoles;
    private final GrantResolver grants;

    RoleAssignments(RoleRepository roles, UserRoleRepository userRoles, GrantResolver grants) {
        this.roles = roles;
        this.userRoles = userRoles;
        this.grants = grants;
    }

    public List<Role> rolesOf(UUID userId) {
        return userRoles.rolesOf(userId);
    }

    /** The roles an admin (or an invite) gave the user. */
    public List<Role> manualRolesOf(UUID userId) {
        return userRoles.rolesOf(userId, MANUAL);
    }

    /** The roles the user holds through their identity provider's groups. */
    public List<Role> groupRolesOf(UUID userId) {
        return userRoles.rolesOf(userId, GROUP);
    }

    /** Replaces the admin-chosen roles; unknown role ids are a 400, nothing is changed then. */
    @Transactional
    public void setManual(UUID userId, Collection<UUID> roleIds) {
        replace(userId, MANUAL, requireKnown(roleIds));
    }

    /** Replaces the roles that came from IdP groups with the ones the current groups map to. */
    @Transactional
    public void setFromGroups(UUID userId, Collection<UUID> roleIds) {
        replace(userId, GROUP, roleIds);
    }

    private void replace(UUID userId, String source, Collection<UUID> roleIds) {
        userRoles.clear(userId, source);
        roleIds.forEach(roleId -> userRoles.add(userId, roleId, source));
        userRoles.setAdminFlag(userId, userRoles.holds(userId, Role.ADMIN));
        grants.invalidate(userId);
    }

    private Collection<UUID> requireKnown(Collection<UUID> roleIds) {
        for (UUID id : roleIds) {
            if (!roles.existsById(id)) {
                throw new GatehouseException.BadRequest("unknown-role", "There is no role with id " + id + ".", "roleIds");
            }
        }
        return roleIds;
    }
}
