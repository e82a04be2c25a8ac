package io.gatehouse.mfa;

import io.gatehouse.audit.AuditEvent;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.FailureLimiter;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Checks a person's second factor. A good TOTP code is used up with its time step (a code for that step
 * or an earlier one is refused from then on, even inside its 30 s); a good recovery code is used up itself.
 */
@Singleton
final class SecondFactor {

    static final String WRONG_CODE = "That code is not correct. Enter the code now showing in your authenticator app, "
            + "or an unused recovery code.";

    private final TotpRepository totp;
    private final TotpCodes codes;
    private final RecoveryCodes recovery;
    private final SecretBox box;
    private final MfaThrottle throttle;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    SecondFactor(TotpRepository totp, TotpCodes codes, RecoveryCodes recovery, SecretBox box, MfaThrottle throttle, AuditTrail audit,
                 ChangeAudit changes) {
        this.audit = audit;
        this.changes = changes;
        this.totp = totp;
        this.codes = codes;
        this.recovery = recovery;
        this.box = box;
        this.throttle = throttle;
    }

    /** The AES-GCM context that binds a sealed TOTP secret to its user row: it does not open on another row. */
    static String sealContext(UUID userId) {
        return "user-totp:" + userId;
    }

    /** Whether the proof is good for the user now; if it is, it is used up by this call. Not throttled. */
    boolean verify(UUID userId, Proof proof) {
        if (!proof.hasCode()) {
            return recovery.use(userId, proof.recoveryCode());
        }
        TotpRepository.TotpState state = totp.find(userId).orElse(null);
        if (state == null || !state.enabled()) {
            return false;
        }
        String secret = box.open(state.totpSecretCipher(), sealContext(userId));
        OptionalLong step = codes.freshStep(secret, proof.code(), state.totpLastStep());
        return step.isPresent() && totp.useStep(userId, step.getAsLong()) == 1;
    }

    /**
     * For a signed-in person changing their own two-factor set-up: a stolen session alone must not be enough
     * to replace or remove the second factor. Throttled like the sign-in challenge. Call inside the change's
     * transaction: a refusal is recorded as a DENIED {@code mfa.verification}, a recovery code used up as
     * {@code mfa.recovery_code_used}; {@code purpose} names the change in both.
     */
    void require(Caller caller, Proof proof, String ip, String purpose) {
        proof.requirePresent();
        try {
            throttle.check(caller.email(), ip);
        } catch (GatehouseException.TooManyRequests refused) {
            audit.record(verification(caller, proof, purpose).denied().detail("reason", FailureLimiter.reason(refused)));
            throw refused;
        }
        if (!verify(caller.userId(), proof)) {
            throttle.recordFailure(caller.email(), ip);
            audit.record(verification(caller, proof, purpose).denied().detail("reason", "wrong_code"));
            throw new GatehouseException.Forbidden(WRONG_CODE);
        }
        throttle.recordSuccess(caller.email());
        if (!proof.hasCode()) {
            changes.record(caller.audit("mfa.recovery_code_used").target("user", caller.userId()).detail("for", purpose)
                    .detail("recovery_codes_left", recovery.remaining(caller.userId())));
        }
    }

    private static AuditEvent.Builder verification(Caller caller, Proof proof, String purpose) {
        return caller.audit("mfa.verification").target("user", caller.userId()).detail("for", purpose).detail("factor", proof.factor());
    }
}
