package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Email + password sign-in for local accounts. One generic answer for every failure: no user enumeration. */
@Singleton
public final class LoginService {

    private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);
    static final String GENERIC_FAILURE = "The email or password is not correct.";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SignInCompletion completion;

    LoginService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SignInCompletion completion) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.completion = completion;
    }

    public SessionService.NewSession login(String email, String password, String ip, String userAgent) {
        if (email == null || email.isBlank() || password == null || password.isEmpty()) {
            throw new GatehouseException.BadRequest("invalid-login", "Enter your email and password.");
        }
        throttle.checkAllowed(email, ip);
        Optional<User> user = users.findByEmailIgnoreCase(email.strip());
        boolean ok;
        if (user.isPresent() && user.get().passwordHash() != null) {
            ok = hasher.matches(password, user.get().passwordHash());
        } else {
            hasher.burnEquivalentTime(password);
            ok = false;
        }
        if (!ok) {
            throttle.recordFailure(email, ip);
            LOG.info("Failed sign-in from {}", ip);
            throw new GatehouseException.Unauthorized(GENERIC_FAILURE);
        }
        throttle.recordSuccess(email);
        return completion.complete(user.get(), "password", ip, userAgent);
    }
}
