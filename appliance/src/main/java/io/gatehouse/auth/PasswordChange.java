package io.gatehouse.auth;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signed-in user changes their own password: the current one is required (a stolen session alone
 * cannot take the account over), the new one meets the policy, and every other session ends, so whoever
 * else was signed in with the old password is out.
 */
@Singleton
final class PasswordChange {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordChange.class);

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final SessionRepository sessions;
    private final FailureLimiter wrongCurrent;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    PasswordChange(UserRepository users, PasswordHasher hasher, PasswordPolicy policy, SessionRepository sessions, Clock clock,
                   AuditTrail audit, ChangeAudit changes) {
        this.audit = audit;
        this.changes = changes;
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.sessions = sessions;
        this.wrongCurrent = new FailureLimiter("password change", clock, Duration.ofMinutes(15));
    }

    /** Returns how many other sessions were ended. */
    int change(Caller caller, String currentPassword, String newPassword) {
        User user = users.findById(caller.userId()).orElseThrow(() -> new GatehouseException.Unauthorized("Sign in again."));
        if (user.passwordHash() == null) {
            throw new GatehouseException.Conflict("no-password",
                    "You sign in through your company account, so there is no Gatehouse password to change.");
        }
        FailureLimiter.Key account = FailureLimiter.Key.account(user.email(), 3, 5);
        try {
            wrongCurrent.check(account);
        } catch (GatehouseException.TooManyRequests refused) {
            audit.record(caller.audit("auth.password_changed").denied().target("user", user.id())
                    .detail("reason", FailureLimiter.reason(refused)));
            throw refused;
        }
        if (currentPassword == null || !hasher.matches(currentPassword, user.passwordHash())) {
            wrongCurrent.recordFailure(account);
            audit.record(caller.audit("auth.password_changed").denied().target("user", user.id()).detail("reason", "wrong_password"));
            throw new GatehouseException.BadRequest("wrong-password", "Your current password is not correct.", "currentPassword");
        }
        policy.check(newPassword, user.email());
        String hash = hasher.hash(newPassword);
        int ended = changes.around(caller.audit("auth.password_changed").target("user", user.id()), () -> {
            users.updatePassword(user.id(), hash);
            return caller.channel() == Caller.Channel.SESSION
                    ? sessions.deleteOthers(user.id(), caller.credentialId()) : sessions.deleteAllOf(user.id());
        });
        LOG.info("User {} changed their password; {} other sessions ended", user.id(), ended);
        return ended;
    }
}
