package io.gatehouse.auth;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.audit.Origin;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common end of every sign-in, by password or by SSO, once the first factor is proven: refuses
 * rejected and disabled accounts with a plain reason, then opens a session at the right stage (owing a
 * TOTP code, owing MFA set-up, or full; a pending user's session only reaches the waiting page). The
 * {@code auth.sign_in} row is committed before the session exists: if it cannot be, there is no session (503).
 */
@Singleton
public final class SignInCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(SignInCompletion.class);

    private final UserRepository users;
    private final SessionService sessions;
    private final Clock clock;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    SignInCompletion(UserRepository users, SessionService sessions, Clock clock, AuditTrail audit, ChangeAudit changes) {
        this.users = users;
        this.sessions = sessions;
        this.clock = clock;
        this.audit = audit;
        this.changes = changes;
    }

    /**
     * @param method how the first factor was proven: {@code password}, {@code sso:<slug>}, {@code sign-up}, {@code setup}
     * @param typedEmail the email as the person typed it (or the identity provider sent it), for the audit row
     */
    public SessionService.NewSession complete(User user, String method, String typedEmail, Origin origin) {
        if (User.REJECTED.equals(user.status())) {
            denied(user, method, typedEmail, origin, "rejected");
            throw new GatehouseException.Forbidden("An administrator declined your request for access. "
                    + "If you think this is a mistake, contact your administrator.");
        }
        if (!user.maySignIn()) {
            denied(user, method, typedEmail, origin, "disabled");
            throw new GatehouseException.Forbidden("Your account is disabled. Contact your administrator.");
        }
        String stage = stageFor(user);
        SessionService.NewSession session = changes.around(SignInAudit.event("auth.sign_in", user.id(), typedEmail, origin)
                .target("user", user.id()).detail("method", method).detail("stage", stage).detail("status", user.status()), () -> {
                    users.markLogin(user.id(), clock.instant());
                    return sessions.open(user, origin.ip(), origin.userAgent(), stage);
                });
        LOG.info("User {} signed in ({}) from {}; stage {}, status {}", user.id(), method, origin.ip(), stage, user.status());
        return session;
    }

    private void denied(User user, String method, String typedEmail, Origin origin, String reason) {
        audit.record(SignInAudit.event("auth.sign_in", user.id(), typedEmail, origin).denied().target("user", user.id())
                .detail("method", method).detail("reason", reason));
    }

    /** A second factor is owed by whoever set one up; admins must set one up before anything else. */
    static String stageFor(User user) {
        if (user.mfaEnabled()) {
            return UserSession.MFA_CHALLENGE;
        }
        // A stolen admin password alone must not reach the admin pages: the admin first sets up an authenticator.
        if (user.admin()) {
            return UserSession.MFA_ENROLMENT;
        }
        return UserSession.FULL;
    }
}
