package io.gatehouse.access;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.audit.Origin;
import io.gatehouse.auth.FailureLimiter;
import io.gatehouse.auth.SignInAudit;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.error.GatehouseException;
import io.gatehouse.license.LicenseSeats;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Local (password) accounts people create themselves: with an invite (active at once, with the invite's
 * roles) or, if an admin turned local sign-up on, for an allowed domain (pending approval). Every try
 * counts against the address, so the form cannot be used to mass-create accounts or probe emails. The
 * audit trail gets {@code invite.accepted} or {@code user.signed_up}, refusals included (with their reason);
 * an account is created only together with its row.
 */
@Singleton
public class SignUp {

    static final int MAX_PER_IP = 10;
    static final Duration WINDOW = Duration.ofHours(1);

    private final UserAccounts accounts;
    private final AccessPolicy policy;
    private final Invites invites;
    private final RoleAssignments roles;
    private final FailureLimiter attempts;
    private final AuditTrail audit;
    private final ChangeAudit changes;
    private final LicenseSeats seats;

    SignUp(UserAccounts accounts, AccessPolicy policy, Invites invites, RoleAssignments roles, Clock clock, AuditTrail audit,
           ChangeAudit changes, LicenseSeats seats) {
        this.seats = seats;
        this.accounts = accounts;
        this.policy = policy;
        this.invites = invites;
        this.roles = roles;
        this.attempts = new FailureLimiter("sign-up", clock, WINDOW);
        this.audit = audit;
        this.changes = changes;
    }

    @Transactional
    public User signUp(String email, String displayName, String password, @Nullable String inviteToken, Origin origin) {
        boolean invited = inviteToken != null && !inviteToken.isBlank();
        String action = invited ? "invite.accepted" : "user.signed_up";
        FailureLimiter.Key address = FailureLimiter.Key.ip(origin.ip(), MAX_PER_IP);
        try {
            attempts.check(address);
        } catch (GatehouseException.TooManyRequests limited) {
            denied(action, email, origin, "rate_limited");
            throw limited;
        }
        attempts.recordFailure(address);
        if (invited) {
            String normalized = UserAccounts.checkedEmail(email);
            Optional<Refusal> refusal = invites.refusalFor(inviteToken, normalized);
            if (refusal.isPresent()) {
                denied(action, email, origin, refusal.get().reason());
                throw refusal.get().error();
            }
            Invite invite = invites.checkFor(inviteToken, normalized);
            // An invite makes the person active at once, so it takes a seat (an admin approval would check the same).
            seats.requireFreeSeat(SignInAudit.event(action, null, email, origin).target("invite", invite.id()).detail("method", "password"));
            User user = accounts.createLocal(email, displayName, password, false, User.ACTIVE);
            invites.claim(inviteToken, user);
            roles.setManual(user.id(), invite.roles());
            changes.record(SignInAudit.event(action, user.id(), email, origin).target("invite", invite.id())
                    .detail("user_id", user.id()).detail("method", "password")
                    .detail("role_ids", invite.roles().stream().map(UUID::toString).toList()));
            return user;
        }
        if (!policy.localSignupEnabled()) {
            denied(action, email, origin, "local_signup_off");
            throw new GatehouseException.Forbidden("Sign-up with a password is turned off here. "
                    + "Sign in with your company account, or ask your administrator for an invite.");
        }
        Optional<Refusal> refusal = policy.selfSignupRefusal(UserAccounts.checkedEmail(email));
        if (refusal.isPresent()) {
            denied(action, email, origin, refusal.get().reason());
            throw refusal.get().error();
        }
        User user = accounts.createLocal(email, displayName, password, false, User.PENDING);
        changes.record(SignInAudit.event(action, user.id(), email, origin).target("user", user.id())
                .detail("method", "password").detail("status", user.status()));
        return user;
    }

    private void denied(String action, String email, Origin origin, String reason) {
        audit.record(SignInAudit.event(action, null, email, origin).denied().detail("method", "password").detail("reason", reason));
    }
}
