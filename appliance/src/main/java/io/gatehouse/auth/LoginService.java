package io.gatehouse.auth;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.Origin;
import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Email + password sign-in for local accounts. One generic answer for every failure: no user enumeration. The
 * audit trail, which only admins read, does say why ({@code wrong_password}, {@code unknown_account} ...).
 */
@Singleton
public final class LoginService {

    private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);
    static final String GENERIC_FAILURE = "The email or password is not correct.";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SignInCompletion completion;
    private final AuditTrail audit;

    LoginService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SignInCompletion completion, AuditTrail audit) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.completion = completion;
        this.audit = audit;
    }

    public SessionService.NewSession login(String email, String password, Origin origin) {
        if (email == null || email.isBlank() || password == null || password.isEmpty()) {
            throw new GatehouseException.BadRequest("invalid-login", "Enter your email and password.");
        }
        try {
            throttle.checkAllowed(email, origin.ip());
        } catch (GatehouseException.TooManyRequests refused) {
            denied(users.findByEmailIgnoreCase(email.strip()).map(User::id).orElse(null), email, FailureLimiter.reason(refused), origin);
            throw refused;
        }
        Optional<User> user = users.findByEmailIgnoreCase(email.strip());
        boolean ok;
        if (user.isPresent() && user.get().passwordHash() != null) {
            ok = hasher.matches(password, user.get().passwordHash());
        } else {
            hasher.burnEquivalentTime(password);
            ok = false;
        }
        if (!ok) {
            throttle.recordFailure(email, origin.ip());
            LOG.info("Failed sign-in from {}", origin.ip());
            denied(user.map(User::id).orElse(null), email, user.isEmpty() ? "unknown_account"
                    : user.get().passwordHash() == null ? "no_password" : "wrong_password", origin);
            throw new GatehouseException.Unauthorized(GENERIC_FAILURE);
        }
        throttle.recordSuccess(email);
        return completion.complete(user.get(), "password", email, origin);
    }

    /** A refused attempt is recorded before the refusal is answered; if even that cannot be written, the answer is 503. */
    private void denied(UUID userId, String email, String reason, Origin origin) {
        audit.record(SignInAudit.event("auth.sign_in", userId, email, origin).denied()
                .detail("method", "password").detail("reason", reason));
    }
}
