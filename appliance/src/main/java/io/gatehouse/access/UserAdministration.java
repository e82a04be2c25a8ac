package io.gatehouse.access;

import io.gatehouse.auth.ApiTokenService;
import io.gatehouse.auth.SessionService;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.error.GatehouseException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What admins do to accounts: approve (with roles) or reject sign-ups, disable and re-enable, change roles,
 * end sessions. Rejecting or disabling ends every session and revokes every API token at once, so the
 * user's next request is refused.
 */
@Singleton
public class UserAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(UserAdministration.class);

    private final UserRepository users;
    private final UserDirectoryRepository directory;
    private final RoleAssignments roles;
    private final SessionService sessions;
    private final ApiTokenService tokens;
    private final Clock clock;

    UserAdministration(UserRepository users, UserDirectoryRepository directory, RoleAssignments roles, SessionService sessions,
                       ApiTokenService tokens, Clock clock) {
        this.users = users;
        this.directory = directory;
        this.roles = roles;
        this.sessions = sessions;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Transactional
    public User approve(UUID adminId, UUID userId, Collection<UUID> roleIds) {
        User user = find(userId);
        if (!user.pending()) {
            throw new GatehouseException.Conflict("not-pending", "Only pending users can be approved; this one is " + user.status().toLowerCase() + ".");
        }
        roles.setManual(userId, roleIds);
        directory.decide(userId, User.ACTIVE, adminId, clock.instant());
        LOG.info("Admin {} approved user {} with roles {}", adminId, userId, roleIds);
        return find(userId);
    }

    @Transactional
    public User reject(UUID adminId, UUID userId) {
        User user = find(userId);
        if (!user.pending()) {
            throw new GatehouseException.Conflict("not-pending", "Only pending users can be rejected; disable active users instead.");
        }
        directory.decide(userId, User.REJECTED, adminId, clock.instant());
        cutOff(userId);
        LOG.info("Admin {} rejected user {}", adminId, userId);
        return find(userId);
    }

    @Transactional
    public User disable(UUID adminId, UUID userId) {
        if (adminId.equals(userId)) {
            throw new GatehouseException.Conflict("self-disable", "You cannot disable your own account. Ask another admin.");
        }
        User user = find(userId);
        if (user.admin() && directory.countActiveAdmins() <= 1 && user.active()) {
            throw new GatehouseException.Conflict("last-admin", "This is the last active admin; make someone else admin first.");
        }
        directory.decide(userId, User.DISABLED, adminId, clock.instant());
        cutOff(userId);
        LOG.info("Admin {} disabled user {}", adminId, userId);
        return find(userId);
    }

    @Transactional
    public User enable(UUID adminId, UUID userId) {
        User user = find(userId);
        if (!User.DISABLED.equals(user.status()) && !User.REJECTED.equals(user.status())) {
            throw new GatehouseException.Conflict("not-disabled", "Only disabled or rejected users can be re-enabled.");
        }
        directory.decide(userId, User.ACTIVE, adminId, clock.instant());
        LOG.info("Admin {} re-enabled user {}", adminId, userId);
        return find(userId);
    }

    @Transactional
    public User setRoles(UUID adminId, UUID userId, Collection<UUID> roleIds) {
        User user = find(userId);
        if (adminId.equals(userId) && user.admin() && !roleIds.contains(Role.ADMIN)) {
            throw new GatehouseException.Conflict("self-demote", "You cannot remove your own Admin role. Ask another admin.");
        }
        roles.setManual(userId, roleIds);
        LOG.info("Admin {} set roles of user {} to {}", adminId, userId, roleIds);
        return find(userId);
    }

    /** Signs the user out everywhere (sessions only; API tokens stay valid). */
    public void endSessions(UUID adminId, UUID userId) {
        find(userId);
        sessions.endAllOf(userId);
        LOG.info("Admin {} ended all sessions of user {}", adminId, userId);
    }

    public List<UserDirectoryRepository.UserRow> search(String query, String status, int limit) {
        String q = query == null ? "" : query.strip();
        String s = status == null || status.isBlank() ? null : status.strip().toUpperCase();
        if (s != null && !List.of(User.PENDING, User.ACTIVE, User.REJECTED, User.DISABLED).contains(s)) {
            throw new GatehouseException.BadRequest("invalid-status", "Status is one of pending, active, rejected, disabled.", "status");
        }
        return directory.search("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%", s, Math.clamp(limit, 1, 500));
    }

    public User find(UUID userId) {
        return users.findById(userId).orElseThrow(() -> new GatehouseException.NotFound("user-not-found", "No user with this id."));
    }

    private void cutOff(UUID userId) {
        sessions.endAllOf(userId);
        tokens.revokeAllOf(userId);
    }
}
