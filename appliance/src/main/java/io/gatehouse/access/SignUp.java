package io.gatehouse.access;

import io.gatehouse.auth.FailureLimiter;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/**
 * Local (password) accounts people create themselves: with an invite (active at once, with the invite's
 * roles) or, if an admin turned local sign-up on, for an allowed domain (pending approval). Every try
 * counts against the address, so the form cannot be used to mass-create accounts or probe emails.
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

    SignUp(UserAccounts accounts, AccessPolicy policy, Invites invites, RoleAssignments roles, Clock clock) {
        this.accounts = accounts;
        this.policy = policy;
        this.invites = invites;
        this.roles = roles;
        this.attempts = new FailureLimiter("sign-up", clock, WINDOW);
    }

    @Transactional
    public User signUp(String email, String displayName, String password, @Nullable String inviteToken, String ip) {
        FailureLimiter.Key address = FailureLimiter.Key.ip(ip, MAX_PER_IP);
        attempts.check(address);
        attempts.recordFailure(address);
        if (inviteToken != null && !inviteToken.isBlank()) {
            Invite invite = invites.checkFor(inviteToken, UserAccounts.checkedEmail(email));
            User user = accounts.createLocal(email, displayName, password, false, User.ACTIVE);
            invites.claim(inviteToken, user);
            roles.setManual(user.id(), invite.roles());
            return user;
        }
        if (!policy.localSignupEnabled()) {
            throw new GatehouseException.Forbidden("Sign-up with a password is turned off here. "
                    + "Sign in with your company account, or ask your administrator for an invite.");
        }
        policy.checkSelfSignup(UserAccounts.checkedEmail(email));
        return accounts.createLocal(email, displayName, password, false, User.PENDING);
    }
}
