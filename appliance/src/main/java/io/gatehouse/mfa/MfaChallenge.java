package io.gatehouse.mfa;

import io.gatehouse.auth.Caller;
import io.gatehouse.auth.SessionService;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of signing in for someone with TOTP on: a code (or recovery code) lifts the session to
 * FULL under a new cookie value. Wrong answers get one generic message; once the account is locked for
 * too many of them the restricted session is ended, so more guessing needs the password again.
 */
@Singleton
final class MfaChallenge {

    private static final Logger LOG = LoggerFactory.getLogger(MfaChallenge.class);
    static final String GENERIC_FAILURE = "The code is not correct.";

    private final SecondFactor secondFactor;
    private final MfaThrottle throttle;
    private final SessionService sessions;

    MfaChallenge(SecondFactor secondFactor, MfaThrottle throttle, SessionService sessions) {
        this.secondFactor = secondFactor;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    SessionService.NewSession answer(Caller caller, Proof proof, String ip) {
        if (caller.access() != Caller.Access.MFA_CHALLENGE) {
            throw new GatehouseException.Conflict("no-mfa-challenge", "This session does not owe a code: you are already signed in.");
        }
        proof.requirePresent();
        try {
            throttle.check(caller.email(), ip);
        } catch (GatehouseException.TooManyRequests refused) {
            endIfLocked(caller);
            throw refused;
        }
        if (!secondFactor.verify(caller.userId(), proof)) {
            LOG.info("Wrong second factor for user {} from {}", caller.userId(), ip);
            if (throttle.recordFailure(caller.email(), ip)) {
                endIfLocked(caller);
                throttle.check(caller.email(), ip); // throws: the answer is the lock's 429 with its Retry-After
            }
            throw new GatehouseException.Unauthorized(GENERIC_FAILURE);
        }
        throttle.recordSuccess(caller.email());
        LOG.info("User {} passed the second factor ({})", caller.userId(), proof.hasCode() ? "TOTP" : "recovery code");
        return sessions.promote(caller.credentialId());
    }

    private void endIfLocked(Caller caller) {
        if (throttle.accountLocked(caller.email())) {
            sessions.end(caller.credentialId());
            LOG.warn("Second-factor guessing locked user {}; their unfinished sign-in was ended", caller.userId());
        }
    }
}
