package io.gatehouse.mfa;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.SessionService;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-factor authentication as its owner manages it (status, new recovery codes, turning it off) and the
 * admin's reset for someone who lost both phone and recovery codes. Admins cannot turn theirs off: it is
 * mandatory for them.
 */
@Singleton
class MfaAccount {

    private static final Logger LOG = LoggerFactory.getLogger(MfaAccount.class);

    private final TotpRepository totp;
    private final RecoveryCodes recovery;
    private final SecondFactor secondFactor;
    private final UserRepository users;
    private final SessionService sessions;
    private final ChangeAudit changes;

    MfaAccount(TotpRepository totp, RecoveryCodes recovery, SecondFactor secondFactor, UserRepository users, SessionService sessions,
               ChangeAudit changes) {
        this.changes = changes;
        this.totp = totp;
        this.recovery = recovery;
        this.secondFactor = secondFactor;
        this.users = users;
        this.sessions = sessions;
    }

    /** {@code mandatory}: the caller is an admin and may not turn it off. */
    record Status(boolean enabled, @Nullable Instant enabledAt, boolean mandatory, long recoveryCodesLeft) {
    }

    Status status(Caller caller) {
        TotpRepository.TotpState state = totp.find(caller.userId()).orElseThrow();
        return new Status(state.enabled(), state.totpEnabledAt(), caller.admin(),
                state.enabled() ? recovery.remaining(caller.userId()) : 0);
    }

    @Transactional
    List<String> regenerateRecoveryCodes(Caller caller, Proof proof, String ip) {
        requireEnabled(caller);
        secondFactor.require(caller, proof, ip, "mfa.recovery_codes_regenerated");
        List<String> codes = recovery.replace(caller.userId());
        changes.record(caller.audit("mfa.recovery_codes_regenerated").target("user", caller.userId()).detail("recovery_codes_issued", codes.size()));
        LOG.info("User {} replaced their recovery codes", caller.userId());
        return codes;
    }

    @Transactional
    void disable(Caller caller, Proof proof, String ip) {
        if (caller.admin()) {
            throw new GatehouseException.Conflict("mfa-mandatory", "Administrators must keep two-factor authentication on. "
                    + "To move to a new phone, set up a new authenticator instead.");
        }
        requireEnabled(caller);
        secondFactor.require(caller, proof, ip, "mfa.disabled");
        clear(caller.userId());
        changes.record(caller.audit("mfa.disabled").target("user", caller.userId()));
        LOG.info("User {} turned off two-factor authentication", caller.userId());
    }

    /** Clears another user's second factor and signs them out everywhere; an admin among them sets up anew at sign-in. */
    @Transactional
    void reset(Caller admin, UUID userId) {
        UUID adminId = admin.userId();
        if (adminId.equals(userId)) {
            throw new GatehouseException.Conflict("self-mfa-reset",
                    "You cannot reset your own two-factor authentication. Ask another admin, or set up a new authenticator yourself.");
        }
        User user = users.findById(userId).orElseThrow(() -> new GatehouseException.NotFound("user-not-found", "No user with this id."));
        clear(userId);
        sessions.endAllOf(userId);
        changes.record(admin.audit("mfa.reset").target("user", userId).detail("email", user.email()).detail("was_enabled", user.mfaEnabled()));
        LOG.info("Admin {} reset two-factor authentication of user {} and ended their sessions", adminId, userId);
    }

    private void requireEnabled(Caller caller) {
        if (!totp.find(caller.userId()).map(TotpRepository.TotpState::enabled).orElse(false)) {
            throw new GatehouseException.Conflict("mfa-not-enabled", "Two-factor authentication is not on for your account. Set it up first.");
        }
    }

    private void clear(UUID userId) {
        totp.clear(userId);
        recovery.deleteAllOf(userId);
    }
}
