package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common end of every sign-in, by password or by SSO, once the first factor is proven: refuses
 * rejected and disabled accounts with a plain reason, then opens a session at the right stage (owing a
 * TOTP code, owing MFA set-up, or full; a pending user's session only reaches the waiting page).
 */
@Singleton
public final class SignInCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(SignInCompletion.class);

    private final UserRepository users;
    private final SessionService sessions;
    private final Clock clock;

    SignInCompletion(UserRepository users, SessionService sessions, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.clock = clock;
    }

    public SessionService.NewSession complete(User user, String method, String ip, String userAgent) {
        if (User.REJECTED.equals(user.status())) {
            throw new GatehouseException.Forbidden("An administrator declined your request for access. "
                    + "If you think this is a mistake, contact your administrator.");
        }
        if (!user.maySignIn()) {
            throw new GatehouseException.Forbidden("Your account is disabled. Contact your administrator.");
        }
        users.markLogin(user.id(), clock.instant());
        String stage = stageFor(user);
        LOG.info("User {} signed in ({}) from {}; stage {}, status {}", user.id(), method, ip, stage, user.status());
        return sessions.open(user, ip, userAgent, stage);
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
