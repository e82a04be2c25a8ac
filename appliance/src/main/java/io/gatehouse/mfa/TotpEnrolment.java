package io.gatehouse.mfa;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.SessionService;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Setting up an authenticator app: a new secret waits as "pending" until a code from the app proves it was
 * scanned, then becomes the active one and ten recovery codes are issued. A session that was held at
 * MFA_ENROLMENT (an admin without MFA) is promoted in the same transaction.
 */
@Singleton
class TotpEnrolment {

    private static final Logger LOG = LoggerFactory.getLogger(TotpEnrolment.class);

    private final TotpRepository totp;
    private final TotpSecretGenerator secrets;
    private final TotpCodes codes;
    private final RecoveryCodes recovery;
    private final SecondFactor secondFactor;
    private final SecretBox box;
    private final SessionService sessions;
    private final Clock clock;
    private final AuditTrail audit;
    private final ChangeAudit changes;

    TotpEnrolment(TotpRepository totp, TotpSecretGenerator secrets, TotpCodes codes, RecoveryCodes recovery,
                  SecondFactor secondFactor, SecretBox box, SessionService sessions, Clock clock, AuditTrail audit, ChangeAudit changes) {
        this.audit = audit;
        this.changes = changes;
        this.totp = totp;
        this.secrets = secrets;
        this.codes = codes;
        this.recovery = recovery;
        this.secondFactor = secondFactor;
        this.box = box;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Set-up finished: the codes to show once, and the promoted session's new cookie if there was one to promote. */
    record Confirmed(List<String> recoveryCodes, @Nullable SessionService.NewSession promoted) {
    }

    /** A new secret to scan. Replacing an authenticator that is already on takes a current code (or a recovery code). */
    @Transactional
    EnrolmentQr.Enrolment start(Caller caller, Proof proof, String ip) {
        if (state(caller.userId()).enabled()) {
            secondFactor.require(caller, proof, ip, "mfa.enrolled");
        }
        return newPending(caller);
    }

    /**
     * For the set-up page: the secret already being set up, so a reload shows the QR code the phone may have
     * scanned; otherwise a new one, unless an authenticator is already on (replacing it needs a code first).
     */
    Optional<EnrolmentQr.Enrolment> pendingOrNew(Caller caller) {
        TotpRepository.TotpState state = state(caller.userId());
        if (state.totpPendingSecretCipher() != null) {
            return Optional.of(EnrolmentQr.of(caller.email(), open(caller.userId(), state.totpPendingSecretCipher())));
        }
        if (state.enabled()) {
            return Optional.empty();
        }
        return Optional.of(newPending(caller));
    }

    @Transactional
    Confirmed confirm(Caller caller, String code) {
        UUID userId = caller.userId();
        TotpRepository.TotpState before = state(userId);
        byte[] pending = before.totpPendingSecretCipher();
        if (pending == null) {
            throw new GatehouseException.Conflict("mfa-enrolment-not-started",
                    "There is no authenticator being set up. Start the set-up first, then enter the code it shows.");
        }
        OptionalLong step = codes.freshStep(open(userId, pending), code, null);
        if (step.isEmpty()) {
            audit.record(caller.audit("mfa.enrolled").denied().target("user", userId).detail("reason", "wrong_code"));
            throw new GatehouseException.BadRequest("invalid-code", "That code does not match. Enter the 6-digit code now "
                    + "showing in your authenticator app; if it still fails, check that your phone sets its time automatically.", "code");
        }
        if (totp.activatePending(userId, pending, clock.instant(), step.getAsLong()) != 1) {
            throw new GatehouseException.Conflict("mfa-enrolment-replaced",
                    "This set-up was replaced by a newer one. Scan the newest QR code and enter its code.");
        }
        List<String> issued = recovery.replace(userId);
        SessionService.NewSession promoted = caller.access() == Caller.Access.MFA_ENROLMENT ? sessions.promote(caller.credentialId()) : null;
        changes.record(caller.audit("mfa.enrolled").target("user", userId).detail("replaced", before.enabled())
                .detail("recovery_codes_issued", issued.size()));
        LOG.info("User {} turned on two-factor authentication", userId);
        return new Confirmed(issued, promoted);
    }

    private EnrolmentQr.Enrolment newPending(Caller caller) {
        String secret = secrets.generate();
        totp.storePending(caller.userId(), box.seal(secret, SecondFactor.sealContext(caller.userId())));
        return EnrolmentQr.of(caller.email(), secret);
    }

    private TotpRepository.TotpState state(UUID userId) {
        return totp.find(userId).orElseThrow(() -> new GatehouseException.Unauthorized("Your account no longer exists. Sign in again."));
    }

    private String open(UUID userId, byte[] sealed) {
        return box.open(sealed, SecondFactor.sealContext(userId));
    }
}
