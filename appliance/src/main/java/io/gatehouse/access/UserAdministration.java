package io.gatehouse.access;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.ApiTokenService;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.SessionService;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.license.LicenseSeats;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What admins do to accounts: approve (with roles) or reject sign-ups, disable and re-enable, change roles,
 * end sessions. Rejecting or disabling ends every session and revokes every API token at once, so the
 * user's next request is refused. Each change is committed only together with its audit row.
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
    private final ChangeAudit changes;
    private final LicenseSeats seats;

    UserAdministration(UserRepository users, UserDirectoryRepository directory, RoleAssignments roles, SessionService sessions,
                       ApiTokenService tokens, Clock clock, ChangeAudit changes, LicenseSeats seats) {
        this.changes = changes;
        this.seats = seats;
        this.users = users;
        this.directory = directory;
        this.roles = roles;
        this.sessions = sessions;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Transactional
    public User approve(Caller admin, UUID userId, Collection<UUID> roleIds) {
        User user = find(userId);
        if (!user.pending()) {
            throw new GatehouseException.Conflict("not-pending", "Only pending users can be approved; this one is " + user.status().toLowerCase() + ".");
        }
        seats.requireFreeSeat(admin.audit("user.approved").target("user", userId).detail("email", user.email()));
        roles.setManual(userId, roleIds);
        directory.decide(userId, User.ACTIVE, admin.userId(), clock.instant());
        changes.record(admin.audit("user.approved").target("user", userId).detail("email", user.email())
                .detail("status", statusChange(user, User.ACTIVE)).detail("roles", RoleChanges.named(roles.manualRolesOf(userId))));
        LOG.info("Admin {} approved user {} with roles {}", admin.userId(), userId, roleIds);
        return find(userId);
    }

    @Transactional
    public User reject(Caller admin, UUID userId) {
        User user = find(userId);
        if (!user.pending()) {
            throw new GatehouseException.Conflict("not-pending", "Only pending users can be rejected; disable active users instead.");
        }
        directory.decide(userId, User.REJECTED, admin.userId(), clock.instant());
        int revoked = cutOff(userId);
        changes.record(admin.audit("user.rejected").target("user", userId).detail("email", user.email())
                .detail("status", statusChange(user, User.REJECTED)).detail("api_tokens_revoked", revoked));
        LOG.info("Admin {} rejected user {}", admin.userId(), userId);
        return find(userId);
    }

    @Transactional
    public User disable(Caller admin, UUID userId) {
        if (admin.userId().equals(userId)) {
            throw new GatehouseException.Conflict("self-disable", "You cannot disable your own account. Ask another admin.");
        }
        User user = find(userId);
        if (user.admin() && directory.countActiveAdmins() <= 1 && user.active()) {
            throw new GatehouseException.Conflict("last-admin", "This is the last active admin; make someone else admin first.");
        }
        directory.decide(userId, User.DISABLED, admin.userId(), clock.instant());
        int revoked = cutOff(userId);
        changes.record(admin.audit("user.disabled").target("user", userId).detail("email", user.email())
                .detail("status", statusChange(user, User.DISABLED)).detail("api_tokens_revoked", revoked));
        LOG.info("Admin {} disabled user {}", admin.userId(), userId);
        return find(userId);
    }

    @Transactional
    public User enable(Caller admin, UUID userId) {
        User user = find(userId);
        if (!User.DISABLED.equals(user.status()) && !User.REJECTED.equals(user.status())) {
            throw new GatehouseException.Conflict("not-disabled", "Only disabled or rejected users can be re-enabled.");
        }
        seats.requireFreeSeat(admin.audit("user.enabled").target("user", userId).detail("email", user.email()));
        directory.decide(userId, User.ACTIVE, admin.userId(), clock.instant());
        changes.record(admin.audit("user.enabled").target("user", userId).detail("email", user.email())
                .detail("status", statusChange(user, User.ACTIVE)));
        LOG.info("Admin {} re-enabled user {}", admin.userId(), userId);
        return find(userId);
    }

    @Transactional
    public User setRoles(Caller admin, UUID userId, Collection<UUID> roleIds) {
        User user = find(userId);
        if (admin.userId().equals(userId) && user.admin() && !roleIds.contains(Role.ADMIN)) {
            throw new GatehouseException.Conflict("self-demote", "You cannot remove your own Admin role. Ask another admin.");
        }
        List<Role> before = roles.manualRolesOf(userId);
        roles.setManual(userId, roleIds);
        List<Role> after = roles.manualRolesOf(userId);
        changes.record(admin.audit("user.roles_changed").target("user", userId).detail("email", user.email()).detail("source", "MANUAL")
                .detail("added", RoleChanges.added(before, after)).detail("removed", RoleChanges.removed(before, after)));
        LOG.info("Admin {} set roles of user {} to {}", admin.userId(), userId, roleIds);
        return find(userId);
    }

    /** Signs the user out everywhere (sessions only; API tokens stay valid). */
    @Transactional
    public void endSessions(Caller admin, UUID userId) {
        User user = find(userId);
        sessions.endAllOf(userId);
        changes.record(admin.audit("user.sessions_ended").target("user", userId).detail("email", user.email()));
        LOG.info("Admin {} ended all sessions of user {}", admin.userId(), userId);
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

    /** Returns how many API tokens were revoked. */
    private int cutOff(UUID userId) {
        sessions.endAllOf(userId);
        return tokens.revokeAllOf(userId);
    }

    private static Map<String, Object> statusChange(User before, String after) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("before", before.status());
        change.put("after", after);
        return change;
    }
}
