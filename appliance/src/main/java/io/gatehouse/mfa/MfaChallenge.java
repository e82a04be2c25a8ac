package io.gatehouse.mfa;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.FailureLimiter;
import io.gatehouse.auth.SessionService;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of signing in for someone with TOTP on: a code (or recovery code) lifts the session to
 * FULL under a new cookie value. Wrong answers get one generic message; once the account is locked for
 * too many of them the restricted session is ended, so more guessing needs the password again. Each answer
 * is an {@code mfa.challenge} row; the session is promoted only once the SUCCESS row is written.
 */
@Singleton
final class MfaChallenge {

    private static final Logger LOG = LoggerFactory.getLogger(MfaChallenge.class);
    static final String GENERIC_FAILURE = "The code is not correct.";

    private final SecondFactor secondFactor;
    private final MfaThrottle throttle;
    private final SessionService sessions;
    private final RecoveryCodes recovery;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    MfaChallenge(SecondFactor secondFactor, MfaThrottle throttle, SessionService sessions, RecoveryCodes recovery, AuditTrail audit,
                 ChangeAudit changes) {
        this.secondFactor = secondFactor;
        this.throttle = throttle;
        this.sessions = sessions;
        this.recovery = recovery;
        this.audit = audit;
        this.changes = changes;
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
            denied(caller, proof, FailureLimiter.reason(refused));
            throw refused;
        }
        if (!secondFactor.verify(caller.userId(), proof)) {
            LOG.info("Wrong second factor for user {} from {}", caller.userId(), ip);
            boolean locked = throttle.recordFailure(caller.email(), ip);
            if (locked) {
                endIfLocked(caller);
            }
            denied(caller, proof, locked ? "wrong_code_locked" : "wrong_code");
            if (locked) {
                throttle.check(caller.email(), ip); // throws: the answer is the lock's 429 with its Retry-After
            }
            throw new GatehouseException.Unauthorized(GENERIC_FAILURE);
        }
        throttle.recordSuccess(caller.email());
        if (!proof.hasCode()) {
            // Used up already (one conditional update): recorded as the fact it is, whatever happens next.
            audit.record(caller.audit("mfa.recovery_code_used").target("user", caller.userId()).detail("for", "sign_in")
                    .detail("recovery_codes_left", recovery.remaining(caller.userId())));
        }
        LOG.info("User {} passed the second factor ({})", caller.userId(), proof.hasCode() ? "TOTP" : "recovery code");
        return changes.around(caller.audit("mfa.challenge").target("user", caller.userId()).detail("factor", proof.factor()),
                () -> sessions.promote(caller.credentialId()));
    }

    private void denied(Caller caller, Proof proof, String reason) {
        audit.record(caller.audit("mfa.challenge").denied().target("user", caller.userId()).detail("factor", proof.factor())
                .detail("reason", reason));
    }

    private void endIfLocked(Caller caller) {
        if (throttle.accountLocked(caller.email())) {
            sessions.end(caller.credentialId());
            LOG.warn("Second-factor guessing locked user {}; their unfinished sign-in was ended", caller.userId());
        }
    }
}
